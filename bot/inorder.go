package bot

import "sync"

// InOrder runs slow work for many users in parallel while the messages
// of one user still reach the engine in the order they came: a channel
// adapter downloads each message's files at once and dispatches the
// message once the same user's earlier ones were dispatched. The zero
// value is ready to use.
type InOrder struct {
	mu sync.Mutex
	// tails is, per user, the last message queued: the next one waits
	// for it before it is dispatched.
	tails map[string]chan struct{}
}

// Go runs prepare at once in a goroutine of its own, then dispatch once
// every earlier dispatch of userID's messages has returned.
func (q *InOrder) Go(userID string, prepare, dispatch func()) {
	done := make(chan struct{})
	q.mu.Lock()
	if q.tails == nil {
		q.tails = map[string]chan struct{}{}
	}
	prev := q.tails[userID]
	q.tails[userID] = done
	q.mu.Unlock()
	go func() {
		prepare()
		if prev != nil {
			<-prev
		}
		dispatch()
		close(done)
		q.mu.Lock()
		if q.tails[userID] == done {
			delete(q.tails, userID)
		}
		q.mu.Unlock()
	}()
}
