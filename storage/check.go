package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/runforautism/rfabot/domain"
)

// DefaultCheckTimeout bounds the consistency check Open runs.
const DefaultCheckTimeout = time.Minute

// DamagedError is Open's and Check's error for a database file that is
// damaged: empty, truncated, or with pages or records that do not read.
// Its message is one line naming the file, the problem and the last
// good backup.
type DamagedError struct {
	Path    string
	Problem string
	// LastBackup is the newest backup in the backup directory, "" when
	// there is none.
	LastBackup string
}

func (e *DamagedError) Error() string {
	msg := fmt.Sprintf("database %s is damaged: %s; ", e.Path, e.Problem)
	if e.LastBackup == "" {
		return msg + "no backup found to restore"
	}
	return msg + "last good backup: " + e.LastBackup + " (stop the bot, then: rfabot restore " + e.LastBackup + ")"
}

// records are the buckets of JSON records and what they decode into.
var records = map[string]func() any{
	string(bucketUsers):      func() any { return new(domain.User) },
	string(bucketRegs):       func() any { return new(domain.Registration) },
	string(bucketOrders):     func() any { return new(domain.Order) },
	string(bucketOutbox):     func() any { return new(domain.Push) },
	string(bucketBroadcasts): func() any { return new(domain.Broadcast) },
	string(bucketAudit):      func() any { return new(domain.AuditEntry) },
	// A file of schema 2 is checked before it is migrated.
	string(bucketChildrenV2):  func() any { return new(childV2) },
	string(bucketResults):     func() any { return new(domain.Result) },
	string(bucketImports):     func() any { return new(domain.Import) },
	string(bucketSubmissions): func() any { return new(domain.Submission) },
}

// counters are the buckets whose values are 8-byte counters.
var counters = map[string]bool{
	string(bucketPlaces): true, string(bucketFunPlacesV2): true, string(bucketPromoUses): true, string(bucketSupportCounts): true,
}

// Report is what Check found: the records per bucket and the problems.
type Report struct {
	Path    string
	Buckets []BucketCount
	// Problems name the bucket (or "structure" for the file's pages)
	// and what is wrong.
	Problems []string
}

// BucketCount is how many keys a bucket holds.
type BucketCount struct {
	Name string
	Keys int
}

// OK says whether nothing is damaged.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Count is how many keys the bucket name holds.
func (r Report) Count(name string) int {
	for _, b := range r.Buckets {
		if b.Name == name {
			return b.Keys
		}
	}
	return 0
}

// maxProblems is how many problems a check lists.
const maxProblems = 50

// verify checks the pages of db (tx.Check) and decodes every record,
// turning a panic of a damaged page into a problem.
func verify(db *bolt.DB) (rep Report) {
	add := func(p string) {
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, p)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			add(fmt.Sprintf("structure: reading the file failed: %v", p))
		}
	}()
	err := db.View(func(btx *bolt.Tx) error {
		for err := range btx.Check() {
			add("structure: " + err.Error())
		}
		return btx.ForEach(func(name []byte, b *bolt.Bucket) error {
			n, problems := verifyBucket(string(name), b)
			rep.Buckets = append(rep.Buckets, BucketCount{Name: string(name), Keys: n})
			for _, p := range problems {
				add(p)
			}
			return nil
		})
	})
	if err != nil {
		add("structure: " + err.Error())
	}
	return rep
}

// verifyBucket reads every key of b; a panic while reading is a problem
// of this bucket.
func verifyBucket(name string, b *bolt.Bucket) (n int, problems []string) {
	defer func() {
		if p := recover(); p != nil {
			problems = append(problems, fmt.Sprintf("%s: reading the bucket failed after %d keys: %v", name, n, p))
		}
	}()
	decode := records[name]
	b.ForEach(func(k, v []byte) error {
		n++
		switch {
		case len(problems) >= maxProblems:
		case v == nil:
		case decode != nil:
			if err := json.Unmarshal(v, decode()); err != nil {
				problems = append(problems, fmt.Sprintf("%s: record %q does not decode: %v", name, printable(k), err))
			}
		case counters[name] && len(v) != 8:
			problems = append(problems, fmt.Sprintf("%s: counter %q is %d bytes, not 8", name, printable(k), len(v)))
		}
		return nil
	})
	return n, problems
}

// printable is a key as a problem names it: text, or hex for binary
// keys (audit sequence numbers).
func printable(k []byte) string {
	for _, c := range k {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("%x", k)
		}
	}
	return string(k)
}

// openFile opens the bbolt file at path: ErrLocked when another
// process holds it, a *DamagedError when it is empty or does not open.
// A panic of bbolt on a damaged file is an error, never a crash.
func openFile(path string, readOnly bool, lock time.Duration, backupDir string) (*bolt.DB, error) {
	damaged := func(problem string) error {
		return &DamagedError{Path: path, Problem: problem, LastBackup: LatestBackup(backupDir)}
	}
	st, err := os.Stat(path)
	switch {
	case err == nil && st.Size() == 0:
		return nil, damaged("the file is empty (0 bytes); a new database starts only where no file is")
	case err != nil && (readOnly || !errors.Is(err, fs.ErrNotExist)):
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err == nil {
		if problem := truncated(path, st.Size()); problem != "" {
			return nil, damaged(problem)
		}
	}
	db, err := openRecovered(path, readOnly, lock)
	var pe *panicError
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	case errors.As(err, &pe), errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum),
		errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrInvalidMapping),
		strings.Contains(err.Error(), "file size too small"):
		return nil, damaged(err.Error())
	}
	return nil, fmt.Errorf("open %s: %w", path, err)
}

// checkWithin verifies db within timeout; on a problem it closes db and
// names the first problem in a *DamagedError.
func checkWithin(db *bolt.DB, timeout time.Duration, backupDir string) error {
	done := make(chan Report, 1)
	go func() { done <- verify(db) }()
	select {
	case rep := <-done:
		if rep.OK() {
			return nil
		}
		path := db.Path()
		db.Close()
		return &DamagedError{Path: path, Problem: rep.Problems[0] + more(rep.Problems), LastBackup: LatestBackup(backupDir)}
	case <-time.After(timeout):
		// The check still holds its read transaction: the file stays
		// open, and the process is expected to stop.
		return fmt.Errorf("open %s: the consistency check did not finish within %s; stop the bot and run `rfabot check`", db.Path(), timeout)
	}
}

// more is ", and N more problems" for a list of problems.
func more(problems []string) string {
	if len(problems) < 2 {
		return ""
	}
	return fmt.Sprintf(" (and %d more; see `rfabot check`)", len(problems)-1)
}

// truncated says how a file is shorter than its newest valid meta page
// says the database is, "" when it is not (or no meta page is valid,
// which bbolt itself reports). The meta page layout is bbolt's: a
// 16-byte page header, then magic, version, page size and flags
// (uint32 each), the root bucket (16 bytes), the freelist page and the
// high-water page id (uint64 each), the transaction id, a checksum.
func truncated(path string, size int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	// meta reads the meta page at off: its page size, the bytes the
	// database spans and its transaction id; ok is false when invalid.
	meta := func(off int64) (pageSize, span int64, txid uint64, ok bool) {
		var m [72]byte
		if _, err := f.ReadAt(m[:], off); err != nil || binary.LittleEndian.Uint32(m[16:]) != boltMagic {
			return 0, 0, 0, false
		}
		pageSize = int64(binary.LittleEndian.Uint32(m[24:]))
		return pageSize, int64(binary.LittleEndian.Uint64(m[56:])) * pageSize, binary.LittleEndian.Uint64(m[64:]), pageSize > 0
	}
	pageSize, need, txid, ok := meta(0)
	if !ok {
		pageSize = int64(os.Getpagesize())
	}
	if _, span, tx, ok1 := meta(pageSize); ok1 && (!ok || tx > txid) {
		need, ok = span, true
	}
	if ok && need > size {
		return fmt.Sprintf("the file is truncated: it has %d bytes of the %d its last transaction wrote", size, need)
	}
	return ""
}

// boltMagic marks a bbolt meta page.
const boltMagic = 0xED0CDAED

// panicError is a panic of bbolt while opening a file.
type panicError struct{ v any }

func (e *panicError) Error() string { return fmt.Sprintf("the file does not read: %v", e.v) }

func openRecovered(path string, readOnly bool, lock time.Duration) (db *bolt.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			db, err = nil, &panicError{p}
		}
	}()
	return bolt.Open(path, 0o600, &bolt.Options{Timeout: lock, ReadOnly: readOnly})
}

// Check verifies the database (or backup) at path with no bot holding
// it: its pages and the decoding of every record, bucket by bucket. A
// file that opens but is damaged gives a report with problems; an
// error means it could not be checked (missing, held by a running
// bot) or does not open at all (a *DamagedError).
func Check(path, backupDir string) (Report, error) {
	db, err := openFile(path, true, time.Second, backupDir)
	if err != nil {
		return Report{Path: path}, err
	}
	defer db.Close()
	rep := verify(db)
	rep.Path = path
	slices.SortFunc(rep.Buckets, func(a, b BucketCount) int { return strings.Compare(a.Name, b.Name) })
	return rep, nil
}

// LatestBackup is the newest backup file in dir, "" when there is none
// (or dir is "").
func LatestBackup(dir string) string {
	list := backupFiles(dir)
	if len(list) == 0 {
		return ""
	}
	return filepath.Join(dir, list[len(list)-1])
}
