package storage

import (
	"errors"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Group commit: the write transactions of concurrent callers run one
// after another inside one bbolt transaction, committed with one fsync.
// bbolt's own Batch does the same but first waits MaxBatchDelay (10 ms)
// for more callers, so every message, even on an idle bot, waited that
// long, and a poll of Telegram updates waited for the slowest of two
// such rounds. Here a single goroutine commits whatever has queued up
// and, while it commits, the next callers queue for the following
// commit: an idle bot commits a message at once, a busy one gathers as
// many per fsync as arrive during one (docs/PERFORMANCE.md).

// maxGroup bounds the calls in one commit, as bbolt's MaxBatchSize.
const maxGroup = 1000

type call struct {
	fn  func(*bolt.Tx) error
	err chan error
}

// committer queues write transactions for the commit goroutine, which
// runs while there is something to commit.
type committer struct {
	db      *bolt.DB
	mu      sync.Mutex
	queue   []call
	running bool
}

// errSolo tells a caller whose function failed inside a group to run it
// again alone, so its error (or panic) is its own and the others commit.
var errSolo = errors.New("storage: run the transaction alone")

// update runs fn in a write transaction shared with concurrent callers.
// fn may run more than once: when another function of its group fails,
// the group is rolled back and run again without it.
func (c *committer) update(fn func(*bolt.Tx) error) error {
	done := make(chan error, 1)
	c.mu.Lock()
	c.queue = append(c.queue, call{fn: fn, err: done})
	if !c.running {
		c.running = true
		go c.run()
	}
	c.mu.Unlock()
	err := <-done
	if errors.Is(err, errSolo) {
		return c.db.Update(fn)
	}
	return err
}

func (c *committer) run() {
	for {
		c.mu.Lock()
		n := min(len(c.queue), maxGroup)
		if n == 0 {
			c.queue, c.running = nil, false
			c.mu.Unlock()
			return
		}
		group := c.queue[:n:n]
		c.queue = c.queue[n:]
		c.mu.Unlock()
		c.commit(group)
	}
}

// commit runs a group in one transaction. A function that fails or
// panics is taken out and its caller told to run it alone; the rest run
// again.
func (c *committer) commit(group []call) {
	for len(group) > 0 {
		failed := -1
		err := c.db.Update(func(btx *bolt.Tx) error {
			for i, call := range group {
				if err := safely(call.fn, btx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed >= 0 {
			group[failed].err <- errSolo
			group = append(group[:failed:failed], group[failed+1:]...)
			continue
		}
		for _, call := range group {
			call.err <- err
		}
		return
	}
}

// safely runs fn, turning a panic into an error: the caller runs fn
// again alone, where the panic reaches it.
func safely(fn func(*bolt.Tx) error, btx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return fn(btx)
}
