package storage_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
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
	u := domain.User{Key: "console:a", Channel: "console", ID: "a", Lang: "kk",
		Session: domain.Session{Step: flows.StepRegBirth, Draft: domain.Draft{Name: "Әлия Қасымқызы"}}}
	if err := s.Update(ctx, func(tx domain.Tx) error { return tx.PutUser(&u) }); err != nil {
		t.Fatal(err)
	}
	var got domain.User
	err := s.View(ctx, func(tx domain.Tx) error {
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
	err = s.View(ctx, func(tx domain.Tx) error {
		_, err := tx.User("console:nobody")
		return err
	})
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("missing user: err = %v, want ErrNotFound", err)
	}
}

func TestRegistrationsTakePlaces(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	add := func(code, user string, at time.Time) error {
		return s.Update(ctx, func(tx domain.Tx) error {
			return tx.AddRegistration(&domain.Registration{Code: code, UserKey: user, Distance: "5k", Mode: event.InPerson, Status: domain.StatusAwaitingPayment, CreatedAt: at}, 2)
		})
	}
	t0 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := add("RFA-BBBB", "console:a", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := add("RFA-BBBB", "console:b", t0); !errors.Is(err, domain.ErrCodeTaken) {
		t.Fatalf("same code: err = %v, want ErrCodeTaken", err)
	}
	if err := add("RFA-AAAA", "console:a", t0); err != nil {
		t.Fatal(err)
	}
	if err := add("RFA-CCCC", "console:b", t0); !errors.Is(err, domain.ErrFull) {
		t.Fatalf("third on capacity 2: err = %v, want ErrFull", err)
	}
	s.View(ctx, func(tx domain.Tx) error {
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
		err := s.Update(ctx, func(tx domain.Tx) error {
			var err error
			queued, err = tx.Enqueue(&domain.Push{Key: key, UserKey: "console:a", Kind: "payment", Reply: dialog.Reply{Text: "paid"}})
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

func update(t *testing.T, s *storage.Store, fn func(tx domain.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatal(err)
	}
}

func TestPlacesTakenAndReleased(t *testing.T) {
	s := MustOpen(t)
	update(t, s, func(tx domain.Tx) error {
		// A waitlisted registration holds no place.
		return tx.AddRegistration(&domain.Registration{Code: "RFA-WAIT", UserKey: "console:a", Distance: "5k", Mode: event.InPerson, Status: domain.StatusWaitlisted}, 0)
	})
	update(t, s, func(tx domain.Tx) error { return tx.TakePlace("5k", event.InPerson, 1) })
	err := s.Update(t.Context(), func(tx domain.Tx) error { return tx.TakePlace("5k", event.InPerson, 1) })
	if !errors.Is(err, domain.ErrFull) {
		t.Fatalf("second place of 1: err = %v, want ErrFull", err)
	}
	update(t, s, func(tx domain.Tx) error { return tx.ReleasePlace("5k", event.InPerson) })
	err = s.Update(t.Context(), func(tx domain.Tx) error { return tx.ReleasePlace("5k", event.InPerson) })
	if err == nil {
		t.Fatal("released a place nobody held")
	}
	s.View(t.Context(), func(tx domain.Tx) error {
		if n, _ := tx.PlacesTaken("5k", event.InPerson); n != 0 {
			t.Errorf("places taken = %d, want 0", n)
		}
		return nil
	})
}

func TestBibsOnlyGoUp(t *testing.T) {
	s := MustOpen(t)
	next := func(d string, from, to int) (int, error) {
		var n int
		err := s.Update(t.Context(), func(tx domain.Tx) error {
			var err error
			n, err = tx.NextBib(d, from, to)
			return err
		})
		return n, err
	}
	for want := 1000; want <= 1002; want++ {
		if n, err := next("5k", 1000, 1002); n != want || err != nil {
			t.Fatalf("bib = %d, %v; want %d", n, err, want)
		}
	}
	if _, err := next("5k", 1000, 1002); !errors.Is(err, domain.ErrNoBibs) {
		t.Fatalf("range used up: err = %v, want ErrNoBibs", err)
	}
	// A widened range continues after the last bib; a range moved below
	// it never hands out an old number again.
	if n, _ := next("5k", 1000, 1010); n != 1003 {
		t.Errorf("after widening: %d, want 1003", n)
	}
	if n, _ := next("10k", 1, 999); n != 1 {
		t.Errorf("another distance: %d, want 1", n)
	}
}

func TestDueFollowsStatusAndDeadline(t *testing.T) {
	s := MustOpen(t)
	t0 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	r := domain.Registration{Code: "RFA-AAAA", UserKey: "console:a", Distance: "5k", Mode: event.InPerson,
		Status: domain.StatusAwaitingPayment, HoldUntil: t0.Add(48 * time.Hour)}
	other := domain.Registration{Code: "RFA-BBBB", UserKey: "console:b", Distance: "5k", Mode: event.InPerson,
		Status: domain.StatusAwaitingPayment, HoldUntil: t0.Add(24 * time.Hour)}
	update(t, s, func(tx domain.Tx) error {
		if err := tx.AddRegistration(&r, 10); err != nil {
			return err
		}
		return tx.AddRegistration(&other, 10)
	})
	due := func(before time.Time) string {
		var codes []string
		s.View(t.Context(), func(tx domain.Tx) error {
			regs, err := tx.Due(before)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range regs {
				codes = append(codes, r.Code)
			}
			return nil
		})
		return strings.Join(codes, " ")
	}
	if got := due(t0.Add(24*time.Hour - 1)); got != "" {
		t.Errorf("due before the first deadline: %q", got)
	}
	if got := due(t0.Add(24 * time.Hour)); got != "RFA-BBBB" {
		t.Errorf("due at the first deadline: %q", got)
	}
	if got := due(t0.Add(72 * time.Hour)); got != "RFA-BBBB RFA-AAAA" {
		t.Errorf("due = %q, want the earlier deadline first", got)
	}
	// A moved deadline moves the entry; a paid registration has none.
	r.HoldUntil = t0.Add(time.Hour)
	update(t, s, func(tx domain.Tx) error { return tx.PutRegistration(&r) })
	if got := due(t0.Add(2 * time.Hour)); got != "RFA-AAAA" {
		t.Errorf("after moving: %q", got)
	}
	r.Status = domain.StatusPaid
	update(t, s, func(tx domain.Tx) error { return tx.PutRegistration(&r) })
	if got := due(t0.Add(72 * time.Hour)); got != "RFA-BBBB" {
		t.Errorf("after paying: %q", got)
	}
	// A pending upgrade of a paid registration has its own deadline.
	r.UpgradeTo, r.UpgradeUntil = "10k", t0.Add(5*time.Hour)
	update(t, s, func(tx domain.Tx) error { return tx.PutRegistration(&r) })
	if got := due(t0.Add(6 * time.Hour)); got != "RFA-AAAA" {
		t.Errorf("pending upgrade: %q", got)
	}
}

func TestWaitingInOrder(t *testing.T) {
	s := MustOpen(t)
	t0 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, code := range []string{"RFA-CCCC", "RFA-AAAA", "RFA-BBBB"} {
		r := domain.Registration{Code: code, UserKey: "console:" + code, Distance: "10k", Mode: event.InPerson,
			Status: domain.StatusWaitlisted, WaitlistedAt: t0.Add(time.Duration(i) * time.Minute)}
		update(t, s, func(tx domain.Tx) error { return tx.AddRegistration(&r, 0) })
	}
	waiting := func() string {
		var codes []string
		s.View(t.Context(), func(tx domain.Tx) error {
			regs, err := tx.Waiting("10k", event.InPerson)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range regs {
				codes = append(codes, r.Code)
			}
			if other, _ := tx.Waiting("10k", event.Online); len(other) != 0 {
				t.Errorf("online waitlist: %+v", other)
			}
			return nil
		})
		return strings.Join(codes, " ")
	}
	if got := waiting(); got != "RFA-CCCC RFA-AAAA RFA-BBBB" {
		t.Fatalf("waiting = %q, want in the order they joined", got)
	}
	update(t, s, func(tx domain.Tx) error {
		r, err := tx.Registration("RFA-CCCC")
		if err != nil {
			return err
		}
		r.Status = domain.StatusAwaitingPayment
		return tx.PutRegistration(&r)
	})
	if got := waiting(); got != "RFA-AAAA RFA-BBBB" {
		t.Errorf("after an offer: %q", got)
	}
}

func TestOrdersAndPromoUses(t *testing.T) {
	s := MustOpen(t)
	o := domain.Order{ID: "RFA-AAAA-1", Code: "RFA-AAAA", Purpose: domain.PurposeFee, Amount: 8990, Currency: "KZT", Status: domain.OrderOpen}
	update(t, s, func(tx domain.Tx) error { return tx.PutOrder(&o) })
	s.View(t.Context(), func(tx domain.Tx) error {
		got, err := tx.Order("RFA-AAAA-1")
		if err != nil || got != o {
			t.Errorf("order = %+v, %v", got, err)
		}
		if _, err := tx.Order("RFA-AAAA-2"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("missing order: %v", err)
		}
		return nil
	})
	use := func(code string) error {
		return s.Update(t.Context(), func(tx domain.Tx) error { return tx.UsePromo(code, 2) })
	}
	if use("vol27") != nil || use("VOL27") != nil {
		t.Fatal("two uses of a limit of 2 refused")
	}
	if err := use("Vol27"); !errors.Is(err, domain.ErrPromoUsedUp) {
		t.Fatalf("third use: %v, want ErrPromoUsedUp", err)
	}
	update(t, s, func(tx domain.Tx) error { return tx.ReleasePromo("vol27") })
	if err := use("VOL27"); err != nil {
		t.Errorf("use after a release: %v", err)
	}
}

// Children are entries of kind child: the same bucket, codes and user
// index as runners', the places of Fun Starts one more counter, their
// deadlines in the one index.
func TestChildEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	s := MustOpenPath(t, path)
	ctx := context.Background()
	t0 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	child := func(code, user, name string, status domain.Status, created time.Time) domain.Registration {
		return domain.Registration{Code: code, Kind: domain.KindChild, UserKey: user, Name: name, Status: status,
			Distance: domain.FunStartsPlaces, Mode: event.InPerson, CreatedAt: created}
	}
	add := func(c domain.Registration) error {
		return s.Update(ctx, func(tx domain.Tx) error { return tx.AddRegistration(&c, 2) })
	}
	runner := domain.Registration{Code: "RFA-RRRR", UserKey: "console:a", Distance: "5k", Mode: event.InPerson,
		Status: domain.StatusAwaitingPayment, HoldUntil: t0.Add(30 * time.Hour), CreatedAt: t0.Add(2 * time.Hour)}
	update(t, s, func(tx domain.Tx) error { return tx.AddRegistration(&runner, 10) })
	if err := add(child("RFA-RRRR", "console:a", "", domain.StatusConfirmed, t0)); !errors.Is(err, domain.ErrCodeTaken) {
		t.Fatalf("a runner's code: err = %v, want ErrCodeTaken", err)
	}
	alua := child("RFA-FS-BBBB", "console:a", "Алуа", domain.StatusAwaitingPayment, t0.Add(time.Hour))
	alua.SupportNeeds, alua.HoldUntil = "шумды ұнатпайды", t0.Add(24*time.Hour)
	if err := add(alua); err != nil {
		t.Fatal(err)
	}
	if err := add(child("RFA-FS-AAAA", "console:a", "Темір", domain.StatusConfirmed, t0)); err != nil {
		t.Fatal(err)
	}
	if err := add(child("RFA-FS-CCCC", "console:b", "", domain.StatusConfirmed, t0)); !errors.Is(err, domain.ErrFull) {
		t.Fatalf("third on capacity 2: err = %v, want ErrFull", err)
	}
	check := func(when string, wantFun int, wantDue string) {
		t.Helper()
		s.View(ctx, func(tx domain.Tx) error {
			if n, _ := tx.PlacesTaken(domain.FunStartsPlaces, event.InPerson); n != wantFun {
				t.Errorf("%s: Fun Starts places taken = %d, want %d", when, n, wantFun)
			}
			if n, _ := tx.PlacesTaken("5k", event.InPerson); n != 1 {
				t.Errorf("%s: runners' places taken = %d, want 1 (children take their own)", when, n)
			}
			var names []string
			all, _ := tx.Registrations("console:a")
			for _, r := range all {
				names = append(names, r.Name+"/"+string(r.Kind))
			}
			if got := strings.Join(names, " "); got != "Темір/child Алуа/child /" {
				t.Errorf("%s: entries of a = %q, oldest first, both kinds", when, got)
			}
			var codes []string
			due, _ := tx.Due(t0.Add(72 * time.Hour))
			for _, r := range due {
				codes = append(codes, r.Code)
			}
			if got := strings.Join(codes, " "); got != wantDue {
				t.Errorf("%s: due = %q, want %q", when, got, wantDue)
			}
			return nil
		})
	}
	check("added", 2, "RFA-FS-BBBB RFA-RRRR")
	alua.Status, alua.HoldUntil = domain.StatusLapsed, time.Time{}
	update(t, s, func(tx domain.Tx) error {
		if err := tx.PutRegistration(&alua); err != nil {
			return err
		}
		return tx.ReleasePlace(domain.FunStartsPlaces, event.InPerson)
	})
	s.Close()
	s = MustOpenPath(t, path)
	check("lapsed, after a restart", 1, "RFA-RRRR")
}

func TestSupportCounts(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	for _, c := range []struct{ day, lang, kind string }{
		{"2027-01-15", "ru", "crisis"}, {"2027-01-15", "ru", "crisis"}, {"2027-01-15", "kk", "support"}, {"2027-01-16", "ru", "crisis"},
	} {
		if err := s.Update(ctx, func(tx domain.Tx) error { return tx.CountSupport(c.day, c.lang, c.kind) }); err != nil {
			t.Fatal(err)
		}
	}
	var got []domain.SupportCount
	if err := s.View(ctx, func(tx domain.Tx) error {
		var err error
		got, err = tx.SupportCounts()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	want := []domain.SupportCount{
		{Day: "2027-01-15", Lang: "kk", Kind: "support", Count: 1},
		{Day: "2027-01-15", Lang: "ru", Kind: "crisis", Count: 2},
		{Day: "2027-01-16", Lang: "ru", Kind: "crisis", Count: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("counts = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("count %d = %+v, want %+v", i, got[i], want[i])
		}
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

func TestLockedIsErrLocked(t *testing.T) {
	s := MustOpen(t)
	if _, err := storage.Open(s.Path(), storage.Options{LockTimeout: 50 * time.Millisecond}); !errors.Is(err, storage.ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
}

func TestAuditOf(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	at := time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)
	err := s.Update(ctx, func(tx domain.Tx) error {
		for i, e := range []domain.AuditEntry{
			{At: at, Admin: "telegram:1", Action: "markpaid", Record: "RFA-AAAA", Detail: "cash"},
			{At: at, Admin: "telegram:1", Action: "broadcast", Record: "broadcast:1"},
			{At: at.Add(time.Minute), Admin: "dashboard:Aigul", Action: "kit", Record: "RFA-AAAA"},
		} {
			if err := tx.Audit(&e); err != nil {
				return fmt.Errorf("entry %d: %w", i, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx domain.Tx) error {
		got, err := tx.AuditOf("RFA-AAAA")
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0].Action != "markpaid" || got[1].Admin != "dashboard:Aigul" {
			t.Errorf("AuditOf = %+v", got)
		}
		if none, _ := tx.AuditOf("RFA-ZZZZ"); len(none) != 0 {
			t.Errorf("AuditOf unknown = %+v", none)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A backup taken while writers keep committing is a consistent
// database: it opens, and holds every registration committed before it
// and none half-written.
func TestWriteBackupWhileWriting(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	add := func(i int) error {
		return s.Update(ctx, func(tx domain.Tx) error {
			return tx.AddRegistration(&domain.Registration{Code: fmt.Sprintf("RFA-%04d", i), UserKey: "test:u", Distance: "5k",
				Mode: event.InPerson, Status: domain.StatusAwaitingPayment}, 1_000_000)
		})
	}
	for i := range 20 {
		if err := add(i); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() {
		for i := 20; i < 100; i++ {
			if err := add(i); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.WriteBackup(f)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Size() != n {
		t.Errorf("wrote %d bytes, file has %d", n, st.Size())
	}
	b := MustOpenPath(t, path)
	regs, taken := 0, 0
	err = b.View(ctx, func(tx domain.Tx) error {
		if err := tx.EachRegistration(func(domain.Registration) error { regs++; return nil }); err != nil {
			return err
		}
		var err error
		taken, err = tx.PlacesTaken("5k", event.InPerson)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if regs < 20 || regs > 100 || taken != regs {
		t.Errorf("backup holds %d registrations and %d places taken: not one snapshot", regs, taken)
	}
}

// MustOpenPath opens the database at path, closed at the end of the test.
func MustOpenPath(tb testing.TB, path string) *storage.Store {
	tb.Helper()
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
