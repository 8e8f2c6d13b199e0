package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// ReceiptStore records receipts of pushes; *flows.Flows is one.
type ReceiptStore interface {
	MarkReceipt(ctx context.Context, key string, read bool, at time.Time) error
}

// Tracker matches a messenger's delivery and read receipts to the
// pushes they are for: a Sender tells it the id of each message it sent
// for a push, the channel passes on the receipts. It remembers the last
// MaxTracked messages, in memory: receipts for pushes sent before a
// restart are not counted.
type Tracker struct {
	Store ReceiptStore
	Log   *slog.Logger

	mu    sync.Mutex
	keys  map[string]string
	order []string
}

// MaxTracked is how many sent messages a Tracker remembers.
const MaxTracked = 100_000

// Sent records that message id carried the push in ctx (WithPush); it
// does nothing for a message that is no push.
func (t *Tracker) Sent(ctx context.Context, id string) {
	p, ok := PushFrom(ctx)
	if !ok || id == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.keys == nil {
		t.keys = map[string]string{}
	}
	if len(t.order) >= MaxTracked {
		delete(t.keys, t.order[0])
		t.order = t.order[1:]
	}
	t.keys[id] = p.Key
	t.order = append(t.order, id)
}

// Receipt records that the messages ids were delivered (read false) or
// read at at; ids of no tracked push are passed over.
func (t *Tracker) Receipt(ctx context.Context, ids []string, read bool, at time.Time) {
	for _, id := range ids {
		t.mu.Lock()
		key, ok := t.keys[id]
		t.mu.Unlock()
		if !ok {
			continue
		}
		if err := t.Store.MarkReceipt(ctx, key, read, at); err != nil {
			t.Log.Error("record a receipt", "key", key, "err", err)
		}
	}
}
