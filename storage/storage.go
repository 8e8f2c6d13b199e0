// Package storage keeps the bot's data in one bbolt file: users and their
// conversations, registrations and the places they hold, orders, bibs,
// waitlists, the outbox, results and the audit log. It is the only package that
// imports bbolt.
package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

var (
	bucketMeta       = []byte("meta")
	bucketUsers      = []byte("users")
	bucketRegs       = []byte("registrations")
	bucketRegsByUser = []byte("regs_by_user")
	bucketPlaces     = []byte("places")
	bucketOutbox     = []byte("outbox")
	bucketOutboxKeys = []byte("outbox_keys")
	bucketOutboxDue  = []byte("outbox_due")
	bucketBroadcasts = []byte("broadcasts")
	bucketAudit      = []byte("audit")
	bucketOrders     = []byte("orders")
	bucketBibs       = []byte("bibs")
	bucketDeadlines  = []byte("deadlines")
	bucketWaiting    = []byte("waiting")
	bucketPromoUses  = []byte("promo_uses")
	// Help-flow counters: "day|lang|kind" → count. Nothing else of those
	// conversations is stored.
	bucketSupportCounts = []byte("support_counts")
	// Results (results.go): results by registration code, applied
	// imports by file hash, online-run submissions and the index of
	// pending ones, and files kept until reviewed or applied.
	bucketResults            = []byte("results")
	bucketImports            = []byte("imports")
	bucketSubmissions        = []byte("submissions")
	bucketSubmissionsPending = []byte("submissions_pending")
	bucketFiles              = []byte("files")

	keySchema = []byte("schema")
)

// buckets are created at every open when missing, so a new bucket needs
// no migration: add it here.
var buckets = [][]byte{
	bucketUsers, bucketRegs, bucketRegsByUser, bucketPlaces,
	bucketOutbox, bucketOutboxKeys, bucketOutboxDue, bucketBroadcasts, bucketAudit,
	bucketOrders, bucketBibs, bucketDeadlines, bucketWaiting, bucketPromoUses,
	bucketSupportCounts,
	bucketResults, bucketImports, bucketSubmissions, bucketSubmissionsPending, bucketFiles,
}

// migrations[i] moves the data from schema version i to i+1, after the
// buckets exist. The schema version is the number of migrations applied;
// a change to stored data appends a step.
var migrations = []func(*bolt.Tx) error{
	// 1: the first schema; nothing to move.
	func(*bolt.Tx) error { return nil },
	// 2: index the pending pushes queued before the outbox_due index.
	indexPendingPushes,
	// 3: Fun Starts children become entries of kind child beside the
	// runners' (migrate.go).
	childrenToEntries,
}

// SchemaVersion is the schema this build writes.
var SchemaVersion = len(migrations)

// ErrLocked is Open's error when another process (a running bot) holds
// the database file.
var ErrLocked = errors.New("another process holds the database (is the bot already running?)")

// Store is the bot's database.
type Store struct {
	db *bolt.DB
	// writes commits concurrent write transactions together.
	writes *committer
}

var (
	_ domain.Store = (*Store)(nil)
	_ domain.Tx    = (*tx)(nil)
)

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to release
	// the file; 0 means one second.
	LockTimeout time.Duration
	// CheckTimeout bounds the consistency check of an existing file;
	// 0 means DefaultCheckTimeout.
	CheckTimeout time.Duration
	// BackupDir is where the backups are, to name the last good one when
	// the file is damaged; "" names none.
	BackupDir string
}

// Open opens (or creates) the database at path, checks it (the pages
// and every record, unless it was closed cleanly and not written since:
// clean.go) and brings its schema up to date. A damaged file is
// a *DamagedError: an empty file too, since only a missing one starts a
// new database.
func Open(path string, opt Options) (*Store, error) {
	if opt.LockTimeout == 0 {
		opt.LockTimeout = time.Second
	}
	if opt.CheckTimeout == 0 {
		opt.CheckTimeout = DefaultCheckTimeout
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	db, err := openFile(path, false, opt.LockTimeout, opt.BackupDir)
	if err != nil {
		return nil, err
	}
	clean, err := closedCleanly(path)
	if err != nil {
		db.Close()
		return nil, err
	}
	if !clean {
		if err := checkWithin(db, opt.CheckTimeout, opt.BackupDir); err != nil {
			return nil, err
		}
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return &Store{db: db, writes: &committer{db: db}}, nil
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
	err := s.writes.update(func(btx *bolt.Tx) error {
		return btx.Bucket(bucketMeta).Put(offsetKey(channel), u64(uint64(next)))
	})
	if err != nil {
		return fmt.Errorf("save %s offset: %w", channel, err)
	}
	return nil
}

// Close closes the database file.
func (s *Store) Close() error {
	path := s.db.Path()
	if err := s.db.Close(); err != nil {
		return err
	}
	return noteCleanClose(path)
}

// Path is the database file.
func (s *Store) Path() string { return s.db.Path() }

// Update runs fn in one read-write transaction. Concurrent calls are
// committed together (one fsync, see commit.go), so fn may run more
// than once.
func (s *Store) Update(ctx context.Context, fn func(domain.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.writes.update(func(btx *bolt.Tx) error { return fn(&tx{btx: btx}) })
}

// View runs fn in a read-only transaction. A page damaged since the
// check at Open makes bbolt panic; that is an error here, not a crash.
func (s *Store) View(ctx context.Context, fn func(domain.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("read %s: the file is damaged (run `rfabot check` with the bot stopped): %v", s.Path(), p)
		}
	}()
	return s.db.View(func(btx *bolt.Tx) error { return fn(&tx{btx: btx}) })
}

// PushesTo lists the pushes ever queued for one user, oldest first. It
// reads the whole outbox: for tests and organizers' tools, not hot paths.
func (s *Store) PushesTo(userKey string) ([]domain.Push, error) {
	var out []domain.Push
	err := s.db.View(func(btx *bolt.Tx) error {
		return btx.Bucket(bucketOutbox).ForEach(func(_, v []byte) error {
			var p domain.Push
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

// AuditLog lists the audit log, oldest first: for tests and organizers'
// tools.
func (s *Store) AuditLog() ([]domain.AuditEntry, error) {
	var out []domain.AuditEntry
	err := s.db.View(func(btx *bolt.Tx) error {
		return btx.Bucket(bucketAudit).ForEach(func(_, v []byte) error {
			var e domain.AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode audit entry: %w", err)
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

type tx struct {
	btx *bolt.Tx
}

func (t *tx) User(key string) (domain.User, error) {
	var u domain.User
	err := t.get(bucketUsers, key, &u)
	return u, err
}

func (t *tx) PutUser(u *domain.User) error {
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

func (t *tx) AddRegistration(r *domain.Registration, capacity int) error {
	if t.btx.Bucket(bucketRegs).Get([]byte(r.Code)) != nil {
		return domain.ErrCodeTaken
	}
	if r.Status.HoldsPlace() {
		if err := t.TakePlace(r.Distance, r.Mode, capacity); err != nil {
			return err
		}
	}
	if err := t.PutRegistration(r); err != nil {
		return err
	}
	if err := t.btx.Bucket(bucketRegsByUser).Put(userIndexKey(r.UserKey, r.Code), nil); err != nil {
		return fmt.Errorf("index registration %s: %w", r.Code, err)
	}
	return nil
}

func (t *tx) TakePlace(distance string, mode event.Mode, capacity int) error {
	taken, err := t.PlacesTaken(distance, mode)
	if err != nil {
		return err
	}
	if taken >= capacity {
		return domain.ErrFull
	}
	if err := t.btx.Bucket(bucketPlaces).Put(placesKey(distance, mode), u64(uint64(taken+1))); err != nil {
		return fmt.Errorf("take place: %w", err)
	}
	return nil
}

func (t *tx) ReleasePlace(distance string, mode event.Mode) error {
	taken, err := t.PlacesTaken(distance, mode)
	if err != nil {
		return err
	}
	if taken == 0 {
		return fmt.Errorf("release place of %s %s: none taken", distance, mode)
	}
	if err := t.btx.Bucket(bucketPlaces).Put(placesKey(distance, mode), u64(uint64(taken-1))); err != nil {
		return fmt.Errorf("release place: %w", err)
	}
	return nil
}

func (t *tx) Registration(code string) (domain.Registration, error) {
	var r domain.Registration
	err := t.get(bucketRegs, code, &r)
	return r, err
}

// PutRegistration saves r and moves its index entries: the deadline
// index behind Due and the waitlist behind Waiting.
func (t *tx) PutRegistration(r *domain.Registration) error {
	old, err := t.Registration(r.Code)
	switch {
	case err == nil:
		if err := t.unindex(&old); err != nil {
			return err
		}
	case !errors.Is(err, domain.ErrNotFound):
		return err
	}
	if err := t.put(bucketRegs, r.Code, r); err != nil {
		return err
	}
	if err := t.indexDeadline(r.Code, r.Deadline()); err != nil {
		return err
	}
	if r.Status == domain.StatusWaitlisted {
		if err := t.btx.Bucket(bucketWaiting).Put(waitKey(r), nil); err != nil {
			return fmt.Errorf("index waitlist of %s: %w", r.Code, err)
		}
	}
	return nil
}

// indexDeadline puts the deadline of code, when there is one, in the
// deadline index.
func (t *tx) indexDeadline(code string, d time.Time) error {
	if d.IsZero() {
		return nil
	}
	if err := t.btx.Bucket(bucketDeadlines).Put(timeKey(nil, d, code), nil); err != nil {
		return fmt.Errorf("index deadline of %s: %w", code, err)
	}
	return nil
}

// unindexDeadline takes the deadline of code out of the deadline index.
func (t *tx) unindexDeadline(code string, d time.Time) error {
	if d.IsZero() {
		return nil
	}
	if err := t.btx.Bucket(bucketDeadlines).Delete(timeKey(nil, d, code)); err != nil {
		return fmt.Errorf("unindex deadline of %s: %w", code, err)
	}
	return nil
}

func (t *tx) unindex(r *domain.Registration) error {
	if err := t.unindexDeadline(r.Code, r.Deadline()); err != nil {
		return err
	}
	if r.Status == domain.StatusWaitlisted {
		if err := t.btx.Bucket(bucketWaiting).Delete(waitKey(r)); err != nil {
			return fmt.Errorf("unindex waitlist of %s: %w", r.Code, err)
		}
	}
	return nil
}

// timeKey is prefix, the time in nanoseconds (big-endian, so keys sort
// by time) and the code.
func timeKey(prefix []byte, at time.Time, code string) []byte {
	k := append([]byte{}, prefix...)
	k = append(k, u64(uint64(at.UnixNano()))...)
	return append(k, code...)
}

func waitPrefix(distance string, mode event.Mode) []byte {
	return append(placesKey(distance, mode), 0)
}

func waitKey(r *domain.Registration) []byte {
	return timeKey(waitPrefix(r.Distance, r.Mode), r.WaitlistedAt, r.Code)
}

func (t *tx) Due(until time.Time) ([]domain.Registration, error) {
	var out []domain.Registration
	end := u64(uint64(until.UnixNano()))
	c := t.btx.Bucket(bucketDeadlines).Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k[:8], end) <= 0; k, _ = c.Next() {
		r, err := t.Registration(string(k[8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (t *tx) Waiting(distance string, mode event.Mode) ([]domain.Registration, error) {
	var out []domain.Registration
	prefix := waitPrefix(distance, mode)
	c := t.btx.Bucket(bucketWaiting).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		r, err := t.Registration(string(k[len(prefix)+8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (t *tx) NextBib(distance string, from, to int) (int, error) {
	b := t.btx.Bucket(bucketBibs)
	next := from
	if v := b.Get([]byte(distance)); v != nil {
		next = max(next, int(binary.BigEndian.Uint64(v))+1)
	}
	if next > to {
		return 0, domain.ErrNoBibs
	}
	if err := b.Put([]byte(distance), u64(uint64(next))); err != nil {
		return 0, fmt.Errorf("bib counter of %s: %w", distance, err)
	}
	return next, nil
}

func (t *tx) Order(id string) (domain.Order, error) {
	var o domain.Order
	err := t.get(bucketOrders, id, &o)
	return o, err
}

func (t *tx) PutOrder(o *domain.Order) error { return t.put(bucketOrders, o.ID, o) }

func (t *tx) UsePromo(code string, limit int) error {
	b := t.btx.Bucket(bucketPromoUses)
	key := []byte(strings.ToUpper(code))
	used := 0
	if v := b.Get(key); v != nil {
		used = int(binary.BigEndian.Uint64(v))
	}
	if used >= limit {
		return domain.ErrPromoUsedUp
	}
	if err := b.Put(key, u64(uint64(used+1))); err != nil {
		return fmt.Errorf("count promo use: %w", err)
	}
	return nil
}

func (t *tx) PromoUses(code string) (int, error) {
	v := t.btx.Bucket(bucketPromoUses).Get([]byte(strings.ToUpper(code)))
	if v == nil {
		return 0, nil
	}
	return int(binary.BigEndian.Uint64(v)), nil
}

func (t *tx) ReleasePromo(code string) error {
	b := t.btx.Bucket(bucketPromoUses)
	key := []byte(strings.ToUpper(code))
	v := b.Get(key)
	if v == nil || binary.BigEndian.Uint64(v) == 0 {
		return fmt.Errorf("release promo %s: no use counted", code)
	}
	if err := b.Put(key, u64(binary.BigEndian.Uint64(v)-1)); err != nil {
		return fmt.Errorf("release promo use: %w", err)
	}
	return nil
}

func (t *tx) Registrations(userKey string) ([]domain.Registration, error) {
	var out []domain.Registration
	prefix := userIndexKey(userKey, "")
	c := t.btx.Bucket(bucketRegsByUser).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		var r domain.Registration
		if err := t.get(bucketRegs, string(k[len(prefix):]), &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b domain.Registration) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

func supportKey(day, lang, kind string) []byte { return []byte(day + "|" + lang + "|" + kind) }

func (t *tx) CountSupport(day, lang, kind string) error {
	b := t.btx.Bucket(bucketSupportCounts)
	k := supportKey(day, lang, kind)
	if err := b.Put(k, u64(uint64(count(b, k)+1))); err != nil {
		return fmt.Errorf("count %s: %w", k, err)
	}
	return nil
}

func (t *tx) SupportCounts() ([]domain.SupportCount, error) {
	var out []domain.SupportCount
	err := t.btx.Bucket(bucketSupportCounts).ForEach(func(k, v []byte) error {
		parts := strings.Split(string(k), "|")
		if len(parts) != 3 || len(v) != 8 {
			return fmt.Errorf("support counter %q: bad record", k)
		}
		out = append(out, domain.SupportCount{Day: parts[0], Lang: parts[1], Kind: parts[2], Count: int(binary.BigEndian.Uint64(v))})
		return nil
	})
	return out, err
}

// count reads a counter; a missing key is 0.
func count(b *bolt.Bucket, key []byte) int {
	v := b.Get(key)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

func (t *tx) Audit(e *domain.AuditEntry) error {
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
		return domain.ErrNotFound
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

func (t *tx) EachRegistration(fn func(domain.Registration) error) error {
	return t.btx.Bucket(bucketRegs).ForEach(func(k, v []byte) error {
		var r domain.Registration
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode registration %s: %w", k, err)
		}
		return fn(r)
	})
}

func (t *tx) EachUser(fn func(domain.User) error) error {
	return t.btx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		var u domain.User
		if err := json.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("decode user %s: %w", k, err)
		}
		return fn(u)
	})
}

func (t *tx) AuditOf(record string) ([]domain.AuditEntry, error) {
	var out []domain.AuditEntry
	err := t.btx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
		var e domain.AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("decode audit entry %x: %w", k, err)
		}
		if e.Record == record {
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// WriteBackup writes a consistent copy of the whole database file to w
// while the bot keeps running: one read transaction sees a snapshot,
// and writers go on meanwhile. It returns the bytes written.
func (s *Store) WriteBackup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(btx *bolt.Tx) error {
		var err error
		n, err = btx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up %s: %w", s.Path(), err)
	}
	return n, nil
}
