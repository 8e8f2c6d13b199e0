package storage_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/storage"
)

func enqueue(t *testing.T, s *storage.Store, p domain.Push) domain.Push {
	t.Helper()
	err := s.Update(context.Background(), func(tx domain.Tx) error {
		queued, err := tx.Enqueue(&p)
		if err == nil && !queued {
			t.Fatalf("%s not queued", p.Key)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func due(t *testing.T, s *storage.Store, channel string, now time.Time, limit int) []string {
	t.Helper()
	var keys []string
	err := s.View(context.Background(), func(tx domain.Tx) error {
		ps, err := tx.DuePushes(channel, now, limit)
		for _, p := range ps {
			keys = append(keys, p.Key)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func save(t *testing.T, s *storage.Store, p domain.Push) {
	t.Helper()
	if err := s.Update(context.Background(), func(tx domain.Tx) error { return tx.SavePush(&p) }); err != nil {
		t.Fatal(err)
	}
}

func TestDuePushesReadsTheIndex(t *testing.T) {
	s := MustOpen(t)
	now := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	b1 := enqueue(t, s, domain.Push{Key: "broadcast:1:telegram:1", UserKey: "telegram:1", Kind: "broadcast"})
	enqueue(t, s, domain.Push{Key: "broadcast:1:telegram:2", UserKey: "telegram:2", Kind: "broadcast"})
	enqueue(t, s, domain.Push{Key: "paid:RFA-AAAA", UserKey: "telegram:3", Kind: "payment"})
	enqueue(t, s, domain.Push{Key: "paid:RFA-BBBB", UserKey: "console:a", Kind: "payment"})
	enqueue(t, s, domain.Push{Key: "later", UserKey: "telegram:4", Kind: "payment", Due: now.Add(time.Hour)})

	if b1.Seq == 0 {
		t.Fatal("Enqueue did not set Seq")
	}
	want := []string{"paid:RFA-AAAA", "broadcast:1:telegram:1", "broadcast:1:telegram:2"}
	if got := due(t, s, "telegram", now, 10); !slices.Equal(got, want) {
		t.Fatalf("due = %v, want direct pushes first, then bulk, later ones not yet: %v", got, want)
	}
	if got := due(t, s, "telegram", now, 2); !slices.Equal(got, want[:2]) {
		t.Errorf("limit 2: %v", got)
	}
	if got := due(t, s, "console", now, 10); !slices.Equal(got, []string{"paid:RFA-BBBB"}) {
		t.Errorf("console: %v", got)
	}
	if got := due(t, s, "telegram", now.Add(time.Hour), 10); !slices.Contains(got, "later") {
		t.Errorf("at its due time the later push is due: %v", got)
	}

	// A sent push leaves the index; a retried one moves to its new time.
	b1.Status, b1.Done = domain.PushSent, now
	save(t, s, b1)
	var b2 domain.Push
	s.View(context.Background(), func(tx domain.Tx) error {
		ps, _ := tx.DuePushes("telegram", now, 10)
		b2 = ps[1]
		return nil
	})
	b2.Attempts, b2.Due, b2.LastError = 1, now.Add(time.Minute), "502"
	save(t, s, b2)
	if got := due(t, s, "telegram", now, 10); !slices.Equal(got, []string{"paid:RFA-AAAA"}) {
		t.Fatalf("after sent and retry: %v", got)
	}
	if got := due(t, s, "telegram", now.Add(time.Minute), 10); !slices.Equal(got, []string{"paid:RFA-AAAA", "broadcast:1:telegram:2"}) {
		t.Fatalf("retry due a minute later: %v", got)
	}

	// The index survives a reopen.
	path := s.Path()
	s.Close()
	s2, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := due(t, s2, "telegram", now.Add(time.Minute), 10); len(got) != 2 {
		t.Fatalf("after reopen: %v", got)
	}
	st := pushStats(t, s2, "broadcast:1:")
	if st.Sent != 1 || st.Pending != 1 || st.Queued() != 2 {
		t.Errorf("stats = %+v, want 1 sent, 1 pending", st)
	}
	err = s2.Update(context.Background(), func(tx domain.Tx) error {
		return tx.SavePush(&domain.Push{Seq: 999, Key: "x"})
	})
	if !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("unknown seq: err = %v, want ErrNotFound", err)
	}
	err = s2.Update(context.Background(), func(tx domain.Tx) error {
		_, err := tx.Enqueue(&domain.Push{Key: "k", UserKey: "nochannel"})
		return err
	})
	if err == nil {
		t.Error("a user key without a channel was queued")
	}
}

func pushStats(t *testing.T, s *storage.Store, prefix string) domain.PushStats {
	t.Helper()
	var st domain.PushStats
	if err := s.View(context.Background(), func(tx domain.Tx) error {
		var err error
		st, err = tx.PushStats(prefix)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPushStatsByStatus(t *testing.T) {
	s := MustOpen(t)
	statuses := []domain.PushStatus{domain.PushSent, domain.PushSent, domain.PushFailed, domain.PushUnreachable, domain.PushSkipped, domain.PushPending}
	for i, st := range statuses {
		p := enqueue(t, s, domain.Push{Key: "broadcast:7:test:" + string(rune('a'+i)), UserKey: "test:" + string(rune('a'+i)), Kind: "broadcast"})
		p.Status = st
		save(t, s, p)
	}
	enqueue(t, s, domain.Push{Key: "broadcast:70:test:a", UserKey: "test:a", Kind: "broadcast"})
	got := pushStats(t, s, "broadcast:7:")
	want := domain.PushStats{Pending: 1, Sent: 2, Failed: 1, Unreachable: 1, Skipped: 1}
	if got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
	ps, err := s.PushesByKey("broadcast:7:")
	if err != nil || len(ps) != len(statuses) || ps[0].Key != "broadcast:7:test:a" || ps[0].Status != domain.PushSent {
		t.Errorf("PushesByKey = %+v, %v", ps, err)
	}
}

func TestMigrationIndexesOldPushes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	// A schema 1 database with a push queued before the index existed.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(btx *bolt.Tx) error {
		meta, _ := btx.CreateBucketIfNotExists([]byte("meta"))
		out, _ := btx.CreateBucketIfNotExists([]byte("outbox"))
		keys, _ := btx.CreateBucketIfNotExists([]byte("outbox_keys"))
		v, _ := json.Marshal(domain.Push{Key: "paid:RFA-OLD1", UserKey: "telegram:5", Kind: "payment", Reply: dialog.Reply{Text: "paid"}})
		seq := binary.BigEndian.AppendUint64(nil, 1)
		out.SetSequence(1)
		out.Put(seq, v)
		keys.Put([]byte("paid:RFA-OLD1"), seq)
		return meta.Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 1))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got []domain.Push
	s.View(context.Background(), func(tx domain.Tx) error {
		got, err = tx.DuePushes("telegram", time.Now(), 10)
		return err
	})
	if len(got) != 1 || got[0].Key != "paid:RFA-OLD1" || got[0].Seq != 1 || got[0].Reply.Text != "paid" {
		t.Fatalf("old push after migration: %+v, %v", got, err)
	}
}

func TestBroadcastsNewestFirst(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	for _, aud := range []string{"all", "paid", "unpaid"} {
		err := s.Update(ctx, func(tx domain.Tx) error {
			return tx.AddBroadcast(&domain.Broadcast{Audience: aud, Texts: map[string]string{"en": aud}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	s.View(ctx, func(tx domain.Tx) error {
		bs, err := tx.Broadcasts(2)
		if err != nil || len(bs) != 2 || bs[0].ID != 3 || bs[0].Audience != "unpaid" || bs[1].ID != 2 {
			t.Errorf("Broadcasts(2) = %+v, %v", bs, err)
		}
		return nil
	})
}

func TestEachRegistrationAndUser(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	err := s.Update(ctx, func(tx domain.Tx) error {
		for _, code := range []string{"RFA-BBBB", "RFA-AAAA"} {
			if err := tx.AddRegistration(&domain.Registration{Code: code, UserKey: "test:" + code, Distance: "5k", Mode: event.InPerson}, 10); err != nil {
				return err
			}
			if err := tx.PutUser(&domain.User{Key: "test:" + code}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var codes, users []string
	stop := errors.New("stop")
	err = s.View(ctx, func(tx domain.Tx) error {
		tx.EachRegistration(func(r domain.Registration) error { codes = append(codes, r.Code); return nil })
		tx.EachUser(func(u domain.User) error { users = append(users, u.Key); return nil })
		n := 0
		if err := tx.EachUser(func(domain.User) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("EachUser did not stop at the first error: %v after %d", err, n)
		}
		return nil
	})
	if !slices.Equal(codes, []string{"RFA-AAAA", "RFA-BBBB"}) || !slices.Equal(users, []string{"test:RFA-AAAA", "test:RFA-BBBB"}) {
		t.Errorf("codes %v users %v", codes, users)
	}
}

// A push is found by its key; receipts on it are counted, and survive
// the sender saving the push after they came.
func TestPushByKeyAndReceipts(t *testing.T) {
	s := MustOpen(t)
	p := enqueue(t, s, domain.Push{Key: "broadcast:8:test:a", UserKey: "test:a", Kind: "broadcast"})
	enqueue(t, s, domain.Push{Key: "broadcast:8:test:b", UserKey: "test:b", Kind: "broadcast"})
	at := time.Date(2027, 4, 2, 18, 0, 0, 0, time.UTC)
	err := s.Update(context.Background(), func(tx domain.Tx) error {
		got, err := tx.Push(p.Key)
		if err != nil || got.Seq != p.Seq {
			t.Errorf("Push(%s) = %+v, %v", p.Key, got, err)
		}
		if _, err := tx.Push("broadcast:8:test:z"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Push of an unknown key: %v, want ErrNotFound", err)
		}
		got.Delivered, got.Read = at, at.Add(time.Minute)
		return tx.SavePush(&got)
	})
	if err != nil {
		t.Fatal(err)
	}
	p.Status = domain.PushSent
	save(t, s, p)
	want := domain.PushStats{Pending: 1, Sent: 1, Delivered: 1, Read: 1}
	if got := pushStats(t, s, "broadcast:8:"); got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
}
