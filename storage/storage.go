// Package storage keeps the bot's data in one bbolt file: users and their
// conversations, registrations and the places they hold. It is the only
// package that imports bbolt.
package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

var (
	bucketMeta       = []byte("meta")
	bucketUsers      = []byte("users")
	bucketRegs       = []byte("registrations")
	bucketRegsByUser = []byte("regs_by_user")
	bucketPlaces     = []byte("places")
	bucketOutbox     = []byte("outbox")
	bucketOutboxKeys = []byte("outbox_keys")
	bucketAudit      = []byte("audit")

	keySchema = []byte("schema")
)

// buckets are created at every open when missing, so a new bucket needs
// no migration: add it here.
var buckets = [][]byte{
	bucketUsers, bucketRegs, bucketRegsByUser, bucketPlaces,
	bucketOutbox, bucketOutboxKeys, bucketAudit,
}

// migrations[i] moves the data from schema version i to i+1, after the
// buckets exist. The schema version is the number of migrations applied;
// a change to stored data appends a step.
var migrations = []func(*bolt.Tx) error{
	// 1: the first schema; nothing to move.
	func(*bolt.Tx) error { return nil },
}

// SchemaVersion is the schema this build writes.
var SchemaVersion = len(migrations)

// Store is the bot's database.
type Store struct {
	db *bolt.DB
}

var (
	_ flows.Store = (*Store)(nil)
	_ flows.Tx    = (*tx)(nil)
)

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to release
	// the file; 0 means one second.
	LockTimeout time.Duration
}

// Open opens (or creates) the database at path and brings its schema up to
// date.
func Open(path string, opt Options) (*Store, error) {
	if opt.LockTimeout == 0 {
		opt.LockTimeout = time.Second
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.LockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: another process holds the database (is the bot already running?): %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

func migrate(db *bolt.DB) error {
	return db.Update(func(btx *bolt.Tx) error {
		meta, err := btx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		for _, b := range buckets {
			if _, err := btx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		v := 0
		if b := meta.Get(keySchema); b != nil {
			v = int(binary.BigEndian.Uint64(b))
		}
		if v > len(migrations) {
			return fmt.Errorf("database schema %d is newer than this build's %d: run a newer build", v, len(migrations))
		}
		for ; v < len(migrations); v++ {
			if err := migrations[v](btx); err != nil {
				return fmt.Errorf("to version %d: %w", v+1, err)
			}
		}
		return meta.Put(keySchema, u64(uint64(v)))
	})
}

// offsetKey is the meta key of a channel's position in its update
// stream.
func offsetKey(channel string) []byte { return []byte("offset:" + channel) }

// Offset returns the saved position of a channel's update stream (for
// Telegram: the id of the first update not yet handled), or 0 when none
// was saved.
func (s *Store) Offset(ctx context.Context, channel string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var next int64
	err := s.db.View(func(btx *bolt.Tx) error {
		if b := btx.Bucket(bucketMeta).Get(offsetKey(channel)); b != nil {
			next = int64(binary.BigEndian.Uint64(b))
		}
		return nil
	})
	return next, err
}

// SetOffset saves the position of a channel's update stream. It may go
// down: Telegram starts its update ids afresh after a quiet week.
func (s *Store) SetOffset(ctx context.Context, channel string, next int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Batch(func(btx *bolt.Tx) error {
		return btx.Bucket(bucketMeta).Put(offsetKey(channel), u64(uint64(next)))
	})
	if err != nil {
		return fmt.Errorf("save %s offset: %w", channel, err)
	}
	return nil
}

// Close closes the database file.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file.
func (s *Store) Path() string { return s.db.Path() }

// Update runs fn in one read-write transaction. Concurrent calls are
// batched into one commit (one fsync), so fn may run more than once.
func (s *Store) Update(ctx context.Context, fn func(flows.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Batch(func(btx *bolt.Tx) error { return fn(&tx{btx: btx}) })
}

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, fn func(flows.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(btx *bolt.Tx) error { return fn(&tx{btx: btx}) })
}

// PushesTo lists the pushes ever queued for one user, oldest first. It
// reads the whole outbox: for tests and organizers' tools, not hot paths.
func (s *Store) PushesTo(userKey string) ([]flows.Push, error) {
	var out []flows.Push
	err := s.db.View(func(btx *bolt.Tx) error {
		return btx.Bucket(bucketOutbox).ForEach(func(_, v []byte) error {
			var p flows.Push
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode push: %w", err)
			}
			if p.UserKey == userKey {
				out = append(out, p)
			}
			return nil
		})
	})
	return out, err
}

type tx struct {
	btx *bolt.Tx
}

func (t *tx) User(key string) (flows.User, error) {
	var u flows.User
	err := t.get(bucketUsers, key, &u)
	return u, err
}

func (t *tx) PutUser(u *flows.User) error {
	return t.put(bucketUsers, u.Key, u)
}

func placesKey(distance string, mode event.Mode) []byte {
	return []byte(distance + "|" + string(mode))
}

func (t *tx) PlacesTaken(distance string, mode event.Mode) (int, error) {
	b := t.btx.Bucket(bucketPlaces).Get(placesKey(distance, mode))
	if b == nil {
		return 0, nil
	}
	return int(binary.BigEndian.Uint64(b)), nil
}

func (t *tx) AddRegistration(r *flows.Registration, capacity int) error {
	regs := t.btx.Bucket(bucketRegs)
	if regs.Get([]byte(r.Code)) != nil {
		return flows.ErrCodeTaken
	}
	taken, err := t.PlacesTaken(r.Distance, r.Mode)
	if err != nil {
		return err
	}
	if taken >= capacity {
		return flows.ErrFull
	}
	if err := t.btx.Bucket(bucketPlaces).Put(placesKey(r.Distance, r.Mode), u64(uint64(taken+1))); err != nil {
		return fmt.Errorf("take place: %w", err)
	}
	if err := t.put(bucketRegs, r.Code, r); err != nil {
		return err
	}
	if err := t.btx.Bucket(bucketRegsByUser).Put(userIndexKey(r.UserKey, r.Code), nil); err != nil {
		return fmt.Errorf("index registration %s: %w", r.Code, err)
	}
	return nil
}

func (t *tx) Registrations(userKey string) ([]flows.Registration, error) {
	var out []flows.Registration
	prefix := userIndexKey(userKey, "")
	c := t.btx.Bucket(bucketRegsByUser).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		var r flows.Registration
		if err := t.get(bucketRegs, string(k[len(prefix):]), &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b flows.Registration) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

func (t *tx) Enqueue(p *flows.Push) (bool, error) {
	keys := t.btx.Bucket(bucketOutboxKeys)
	if keys.Get([]byte(p.Key)) != nil {
		return false, nil
	}
	out := t.btx.Bucket(bucketOutbox)
	seq, err := out.NextSequence()
	if err != nil {
		return false, fmt.Errorf("outbox sequence: %w", err)
	}
	if err := t.put(bucketOutbox, string(u64(seq)), p); err != nil {
		return false, err
	}
	if err := keys.Put([]byte(p.Key), u64(seq)); err != nil {
		return false, fmt.Errorf("outbox key %s: %w", p.Key, err)
	}
	return true, nil
}

func (t *tx) Audit(e *flows.AuditEntry) error {
	seq, err := t.btx.Bucket(bucketAudit).NextSequence()
	if err != nil {
		return fmt.Errorf("audit sequence: %w", err)
	}
	return t.put(bucketAudit, string(u64(seq)), e)
}

func userIndexKey(userKey, code string) []byte {
	return []byte(userKey + "\x00" + code)
}

func (t *tx) get(bucket []byte, key string, v any) error {
	b := t.btx.Bucket(bucket).Get([]byte(key))
	if b == nil {
		return flows.ErrNotFound
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s/%s: %w", bucket, key, err)
	}
	return nil
}

func (t *tx) put(bucket []byte, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", bucket, key, err)
	}
	if err := t.btx.Bucket(bucket).Put([]byte(key), b); err != nil {
		return fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	return nil
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}
