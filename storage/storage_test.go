package storage_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/storage"
)

// MustOpen opens a store in a temporary directory, closed at the end of
// the test.
func MustOpen(tb testing.TB) *storage.Store {
	tb.Helper()
	s, err := storage.Open(filepath.Join(tb.TempDir(), "bot.db"), storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestLockedByAnotherProcess(t *testing.T) {
	s := MustOpen(t)
	start := time.Now()
	_, err := storage.Open(s.Path(), storage.Options{LockTimeout: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "another process holds the database") {
		t.Fatalf("err = %v, want a clear lock error", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("open did not time out")
	}
}

func TestSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var v []byte
	db.View(func(tx *bolt.Tx) error {
		v = append(v, tx.Bucket([]byte("meta")).Get([]byte("schema"))...)
		return nil
	})
	if len(v) != 8 || int(v[7]) != storage.SchemaVersion {
		t.Fatalf("stored schema = %v, want %d", v, storage.SchemaVersion)
	}
	// A database written by a newer build is refused, not damaged.
	db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte{0, 0, 0, 0, 0, 0, 0, 99})
	})
	db.Close()
	if _, err := storage.Open(path, storage.Options{}); err == nil || !strings.Contains(err.Error(), "newer than this build") {
		t.Fatalf("err = %v, want refusal of a newer schema", err)
	}
}

func TestUserRoundTrip(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	u := flows.User{Key: "console:a", Channel: "console", ID: "a", Lang: "kk",
		Session: flows.Session{Step: flows.StepRegBirth, Draft: flows.Draft{Name: "Әлия Қасымқызы"}}}
	if err := s.Update(ctx, func(tx flows.Tx) error { return tx.PutUser(&u) }); err != nil {
		t.Fatal(err)
	}
	var got flows.User
	err := s.View(ctx, func(tx flows.Tx) error {
		var err error
		got, err = tx.User("console:a")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Lang != "kk" || got.Session.Step != flows.StepRegBirth || got.Session.Draft.Name != "Әлия Қасымқызы" {
		t.Fatalf("got %+v", got)
	}
	err = s.View(ctx, func(tx flows.Tx) error {
		_, err := tx.User("console:nobody")
		return err
	})
	if !errors.Is(err, flows.ErrNotFound) {
		t.Fatalf("missing user: err = %v, want ErrNotFound", err)
	}
}

func TestRegistrationsTakePlaces(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	add := func(code, user string, at time.Time) error {
		return s.Update(ctx, func(tx flows.Tx) error {
			return tx.AddRegistration(&flows.Registration{Code: code, UserKey: user, Distance: "5k", Mode: event.InPerson, CreatedAt: at}, 2)
		})
	}
	t0 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := add("RFA-BBBB", "console:a", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := add("RFA-BBBB", "console:b", t0); !errors.Is(err, flows.ErrCodeTaken) {
		t.Fatalf("same code: err = %v, want ErrCodeTaken", err)
	}
	if err := add("RFA-AAAA", "console:a", t0); err != nil {
		t.Fatal(err)
	}
	if err := add("RFA-CCCC", "console:b", t0); !errors.Is(err, flows.ErrFull) {
		t.Fatalf("third on capacity 2: err = %v, want ErrFull", err)
	}
	s.View(ctx, func(tx flows.Tx) error {
		n, _ := tx.PlacesTaken("5k", event.InPerson)
		if n != 2 {
			t.Errorf("places taken = %d, want 2", n)
		}
		if n, _ := tx.PlacesTaken("5k", event.Online); n != 0 {
			t.Errorf("online places taken = %d, want 0", n)
		}
		regs, _ := tx.Registrations("console:a")
		if len(regs) != 2 || regs[0].Code != "RFA-AAAA" || regs[1].Code != "RFA-BBBB" {
			t.Errorf("registrations of a = %+v, want AAAA then BBBB (oldest first)", regs)
		}
		if regs, _ := tx.Registrations("console:b"); len(regs) != 0 {
			t.Errorf("b has %d registrations, want 0", len(regs))
		}
		return nil
	})
}

func TestEnqueueOnce(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	push := func(key string) (queued bool) {
		err := s.Update(ctx, func(tx flows.Tx) error {
			var err error
			queued, err = tx.Enqueue(&flows.Push{Key: key, UserKey: "console:a", Kind: "payment", Reply: flows.Reply{Text: "paid"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return queued
	}
	if !push("paid:RFA-AAAA") {
		t.Fatal("first push not queued")
	}
	if push("paid:RFA-AAAA") {
		t.Fatal("same key queued twice")
	}
	if !push("paid:RFA-BBBB") {
		t.Fatal("other key not queued")
	}
	got, err := s.PushesTo("console:a")
	if err != nil || len(got) != 2 || got[0].Key != "paid:RFA-AAAA" || got[1].Reply.Text != "paid" {
		t.Fatalf("PushesTo = %+v, %v; want the two pushes in order", got, err)
	}
	if got, _ := s.PushesTo("console:b"); len(got) != 0 {
		t.Errorf("pushes of another user: %+v", got)
	}
}

func TestOffsetSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if got, err := s.Offset(ctx, "telegram"); err != nil || got != 0 {
		t.Fatalf("fresh offset = %d, %v; want 0", got, err)
	}
	for _, v := range []int64{900000001, 17} {
		if err := s.SetOffset(ctx, "telegram", v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetOffset(ctx, "other", 5); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Offset(ctx, "telegram"); err != nil || got != 17 {
		t.Errorf("offset after reopen = %d, %v; want 17 (the last saved, even when lower)", got, err)
	}
	if got, _ := s.Offset(ctx, "other"); got != 5 {
		t.Errorf("other channel's offset = %d, want 5", got)
	}
}
