package bot

import (
	"slices"
	"sync"
	"testing"
)

// TestInOrder: a user's first message with a slow download is still
// dispatched before their later ones; another user is not held up.
func TestInOrder(t *testing.T) {
	var q InOrder
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	release := make(chan struct{})
	otherDone := make(chan struct{})
	record := func(s string) func() {
		return func() {
			mu.Lock()
			got = append(got, s)
			mu.Unlock()
			wg.Done()
		}
	}
	wg.Add(4)
	q.Go("a", func() { <-release }, record("a1"))
	q.Go("a", func() {}, record("a2"))
	q.Go("b", func() {}, func() { record("b1")(); close(otherDone) })
	<-otherDone
	q.Go("a", func() {}, record("a3"))
	close(release)
	wg.Wait()
	if want := []string{"b1", "a1", "a2", "a3"}; !slices.Equal(got, want) {
		t.Errorf("dispatched %v, want %v", got, want)
	}
}
