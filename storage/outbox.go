package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/runforautism/rfabot/domain"
)

// The outbox keeps every push under its sequence number (bucket outbox),
// its idempotency key (outbox_keys: key → seq) and, while it is pending,
// one entry in outbox_due:
//
//	channel 0x00 lane due seq
//
// lane is 0 for direct pushes and 1 for bulk ones, due the push's Due in
// Unix nanoseconds (0 for "at once") and seq its sequence number, all
// big-endian. A worker reads its channel's entries in key order and stops
// at the first one due later, so it never scans sent pushes. The entry is
// written in the same transaction as the push and removed in the one that
// makes the push final, so a crash leaves a push either pending and
// indexed or final.

func dueKey(p *domain.Push) []byte {
	k := make([]byte, 0, len(p.Channel())+18)
	k = append(k, p.Channel()...)
	k = append(k, 0, lane(p))
	k = binary.BigEndian.AppendUint64(k, dueNanos(p.Due))
	return binary.BigEndian.AppendUint64(k, p.Seq)
}

func lane(p *domain.Push) byte {
	if p.Bulk() {
		return 1
	}
	return 0
}

func dueNanos(t time.Time) uint64 {
	if t.IsZero() || t.UnixNano() < 0 {
		return 0
	}
	return uint64(t.UnixNano())
}

func (t *tx) Enqueue(p *domain.Push) (bool, error) {
	if !strings.Contains(p.UserKey, ":") || p.Channel() == "" {
		return false, fmt.Errorf("push %s: user key %q names no channel", p.Key, p.UserKey)
	}
	keys := t.btx.Bucket(bucketOutboxKeys)
	if keys.Get([]byte(p.Key)) != nil {
		return false, nil
	}
	seq, err := t.btx.Bucket(bucketOutbox).NextSequence()
	if err != nil {
		return false, fmt.Errorf("outbox sequence: %w", err)
	}
	p.Seq = seq
	if err := t.put(bucketOutbox, string(u64(seq)), p); err != nil {
		return false, err
	}
	if err := keys.Put([]byte(p.Key), u64(seq)); err != nil {
		return false, fmt.Errorf("outbox key %s: %w", p.Key, err)
	}
	if p.Status == domain.PushPending {
		if err := t.btx.Bucket(bucketOutboxDue).Put(dueKey(p), nil); err != nil {
			return false, fmt.Errorf("index push %s: %w", p.Key, err)
		}
	}
	return true, nil
}

func (t *tx) Queued(key string) (bool, error) {
	return t.btx.Bucket(bucketOutboxKeys).Get([]byte(key)) != nil, nil
}

func (t *tx) Push(key string) (domain.Push, error) {
	seq := t.btx.Bucket(bucketOutboxKeys).Get([]byte(key))
	if seq == nil {
		return domain.Push{}, domain.ErrNotFound
	}
	var p domain.Push
	if err := t.get(bucketOutbox, string(seq), &p); err != nil {
		return domain.Push{}, fmt.Errorf("push %s: %w", key, err)
	}
	return p, nil
}

func (t *tx) DuePushes(channel string, now time.Time, limit int) ([]domain.Push, error) {
	var out []domain.Push
	c := t.btx.Bucket(bucketOutboxDue).Cursor()
	for _, ln := range []byte{0, 1} {
		prefix := append([]byte(channel), 0, ln)
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Next() {
			rest := k[len(prefix):]
			if len(rest) != 16 {
				return nil, fmt.Errorf("bad outbox_due key %q", k)
			}
			if binary.BigEndian.Uint64(rest[:8]) > dueNanos(now) {
				break
			}
			var p domain.Push
			if err := t.get(bucketOutbox, string(rest[8:]), &p); err != nil {
				return nil, fmt.Errorf("indexed push %d: %w", binary.BigEndian.Uint64(rest[8:]), err)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func (t *tx) SavePush(p *domain.Push) error {
	var old domain.Push
	if err := t.get(bucketOutbox, string(u64(p.Seq)), &old); err != nil {
		return err
	}
	if old.Key != p.Key {
		return fmt.Errorf("push %d is %s, not %s", p.Seq, old.Key, p.Key)
	}
	// Receipts may come before the sender saved the push as sent.
	if p.Delivered.IsZero() {
		p.Delivered = old.Delivered
	}
	if p.Read.IsZero() {
		p.Read = old.Read
	}
	due := t.btx.Bucket(bucketOutboxDue)
	if old.Status == domain.PushPending {
		if err := due.Delete(dueKey(&old)); err != nil {
			return fmt.Errorf("unindex push %s: %w", p.Key, err)
		}
	}
	if p.Status == domain.PushPending {
		if err := due.Put(dueKey(p), nil); err != nil {
			return fmt.Errorf("index push %s: %w", p.Key, err)
		}
	}
	return t.put(bucketOutbox, string(u64(p.Seq)), p)
}

func (t *tx) PushStats(keyPrefix string) (domain.PushStats, error) {
	var st domain.PushStats
	prefix := []byte(keyPrefix)
	c := t.btx.Bucket(bucketOutboxKeys).Cursor()
	for k, seq := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, seq = c.Next() {
		var p struct {
			Status          domain.PushStatus
			Delivered, Read time.Time
		}
		if err := t.get(bucketOutbox, string(seq), &p); err != nil {
			return st, fmt.Errorf("push %s: %w", k, err)
		}
		st.Add(p.Status)
		if !p.Delivered.IsZero() || !p.Read.IsZero() {
			st.Delivered++
		}
		if !p.Read.IsZero() {
			st.Read++
		}
	}
	return st, nil
}

// PushesByKey lists the pushes whose key starts with prefix, in key
// order: e.g. every push of broadcast 3 with "broadcast:3:". For tests
// and organizers' tools.
func (s *Store) PushesByKey(prefix string) ([]domain.Push, error) {
	var out []domain.Push
	err := s.db.View(func(btx *bolt.Tx) error {
		t := &tx{btx: btx}
		c := btx.Bucket(bucketOutboxKeys).Cursor()
		for k, seq := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, seq = c.Next() {
			var p domain.Push
			if err := t.get(bucketOutbox, string(seq), &p); err != nil {
				return fmt.Errorf("push %s: %w", k, err)
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func (t *tx) AddBroadcast(b *domain.Broadcast) error {
	seq, err := t.btx.Bucket(bucketBroadcasts).NextSequence()
	if err != nil {
		return fmt.Errorf("broadcast sequence: %w", err)
	}
	b.ID = int(seq)
	return t.put(bucketBroadcasts, string(u64(seq)), b)
}

func (t *tx) Broadcasts(limit int) ([]domain.Broadcast, error) {
	var out []domain.Broadcast
	c := t.btx.Bucket(bucketBroadcasts).Cursor()
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		var b domain.Broadcast
		if err := json.Unmarshal(v, &b); err != nil {
			return nil, fmt.Errorf("decode broadcast %d: %w", binary.BigEndian.Uint64(k), err)
		}
		out = append(out, b)
	}
	return out, nil
}

// indexPendingPushes adds the outbox_due entry of every pending push; it
// is migration 2, for outboxes written before the index existed.
func indexPendingPushes(btx *bolt.Tx) error {
	out := btx.Bucket(bucketOutbox)
	var pending []domain.Push
	err := out.ForEach(func(k, v []byte) error {
		var p domain.Push
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("decode push %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if p.Status == domain.PushPending {
			p.Seq = binary.BigEndian.Uint64(k)
			pending = append(pending, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	t := &tx{btx: btx}
	for i := range pending {
		p := &pending[i]
		if err := t.put(bucketOutbox, string(u64(p.Seq)), p); err != nil {
			return err
		}
		if err := btx.Bucket(bucketOutboxDue).Put(dueKey(p), nil); err != nil {
			return fmt.Errorf("index push %s: %w", p.Key, err)
		}
	}
	return nil
}
