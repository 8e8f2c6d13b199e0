package storage_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/storage"
)

// putUsers writes users u0..un-1 at once, each in its own Update, and
// returns each caller's error; fail picks the callers whose function
// fails after writing (an error, or a panic when panics is set).
func putUsers(t *testing.T, s *storage.Store, n int, fail func(i int) bool, panics bool) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("panicked: %v", p)
				}
			}()
			errs[i] = s.Update(context.Background(), func(tx domain.Tx) error {
				if err := tx.PutUser(&domain.User{Key: fmt.Sprintf("test:u%d", i), Lang: "kk"}); err != nil {
					return err
				}
				if fail(i) {
					if panics {
						panic(fmt.Sprintf("step %d broke", i))
					}
					return fmt.Errorf("step %d refused", i)
				}
				return nil
			})
		})
	}
	wg.Wait()
	return errs
}

func userExists(t *testing.T, s *storage.Store, key string) bool {
	t.Helper()
	var found bool
	err := s.View(context.Background(), func(tx domain.Tx) error {
		_, err := tx.User(key)
		found = err == nil
		if errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// Writers at the same time are committed together; one whose function
// fails gets its own error and leaves nothing behind, and the others'
// writes stay, also when the failure is a panic, which reaches the
// caller that caused it.
func TestConcurrentUpdatesCommitTogether(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panics=%v", panics), func(t *testing.T) {
			s := MustOpen(t)
			fail := func(i int) bool { return i%50 == 7 }
			errs := putUsers(t, s, 300, fail, panics)
			for i, err := range errs {
				key := fmt.Sprintf("test:u%d", i)
				switch {
				case fail(i) && err == nil:
					t.Errorf("%s: a failing step reported success", key)
				case fail(i) && userExists(t, s, key):
					t.Errorf("%s: a failing step left its write", key)
				case !fail(i) && err != nil:
					t.Errorf("%s: %v", key, err)
				case !fail(i) && !userExists(t, s, key):
					t.Errorf("%s: write lost", key)
				}
			}
		})
	}
}

// One writer alone commits at once, without waiting for company, and a
// closed store refuses writes.
func TestUpdateAloneAndAfterClose(t *testing.T) {
	s := MustOpen(t)
	if errs := putUsers(t, s, 1, func(int) bool { return false }, false); errs[0] != nil || !userExists(t, s, "test:u0") {
		t.Fatalf("err %v", errs[0])
	}
	s.Close()
	err := s.Update(context.Background(), func(tx domain.Tx) error { return tx.PutUser(&domain.User{Key: "test:late"}) })
	if err == nil {
		t.Fatal("a write after Close succeeded")
	}
}

// BenchmarkConcurrentUpdates is 500 users writing their step at once,
// each write durable (fsync) before it returns.
func BenchmarkConcurrentUpdates(b *testing.B) {
	s := MustOpen(b)
	b.SetParallelism(250)
	var mu sync.Mutex
	next := 0
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		id := next
		next++
		mu.Unlock()
		for i := 0; pb.Next(); i++ {
			err := s.Update(context.Background(), func(tx domain.Tx) error {
				return tx.PutUser(&domain.User{Key: fmt.Sprintf("test:%d", id), Lang: "ru", Session: domain.Session{Step: flows.StepRegName}})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
