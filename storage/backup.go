package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	bolterrors "go.etcd.io/bbolt/errors"
)

// Backup files are named bot-<UTC time>.db, so that their names sort
// by time.
const (
	backupPrefix = "bot-"
	backupSuffix = ".db"
	backupTime   = "20060102T150405.000Z"
)

// backupFiles are the names of the backups in dir, oldest first.
func backupFiles(dir string) []string {
	if dir == "" {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if _, ok := backupAt(e.Name()); ok && e.Type().IsRegular() {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out
}

// backupAt is the time in a backup's name.
func backupAt(name string) (time.Time, bool) {
	ts, ok := strings.CutPrefix(name, backupPrefix)
	if !ok {
		return time.Time{}, false
	}
	ts, ok = strings.CutSuffix(ts, backupSuffix)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(backupTime, ts)
	return t, err == nil
}

// Backups writes snapshots of a running bot's database into Dir and
// keeps the last Keep of them. Each is checked after writing (pages and
// records) before it takes its name, so every bot-*.db in Dir is good.
type Backups struct {
	Store *Store
	Dir   string
	Keep  int
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu   sync.Mutex
	last string
}

// Last is the time and file of the newest good backup, zero when there
// is none.
func (b *Backups) Last() (time.Time, string) {
	b.mu.Lock()
	last := b.last
	b.mu.Unlock()
	if last == "" {
		last = LatestBackup(b.Dir)
	}
	if last == "" {
		return time.Time{}, ""
	}
	t, _ := backupAt(filepath.Base(last))
	return t, last
}

// Run writes a backup every interval until ctx ends, logging each.
func (b *Backups) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if path, err := b.Write(); err != nil {
			log.Error("backup failed", "dir", b.Dir, "err", err)
		} else {
			log.Info("backup written", "file", path)
		}
	}
}

// Write takes a consistent snapshot (one read transaction), syncs it,
// checks it, puts it in place and removes the oldest beyond Keep. It
// returns the backup's path.
func (b *Backups) Write() (string, error) {
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	if err := os.MkdirAll(b.Dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	tmp, err := os.CreateTemp(b.Dir, ".writing-*")
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = b.Store.WriteBackup(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	rep, err := Check(tmp.Name(), "")
	if err == nil && !rep.OK() {
		err = errors.New(rep.Problems[0])
	}
	if err != nil {
		return "", fmt.Errorf("backup: the snapshot does not check: %w", err)
	}
	path := filepath.Join(b.Dir, backupPrefix+now().UTC().Format(backupTime)+backupSuffix)
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	syncDir(b.Dir)
	b.mu.Lock()
	b.last = path
	b.mu.Unlock()
	list := backupFiles(b.Dir)
	for len(list) > max(1, b.Keep) {
		if err := os.Remove(filepath.Join(b.Dir, list[0])); err != nil {
			return path, fmt.Errorf("backup: remove the oldest: %w", err)
		}
		list = list[1:]
	}
	return path, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Restore puts the backup at from in place of the database at path,
// with no bot running: it checks the backup first, keeps the file it
// replaces beside it (path.replaced-<time>) and returns that name ("" when
// there was none).
func Restore(from, path string) (replaced string, err error) {
	rep, err := Check(from, "")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if !rep.OK() {
		return "", fmt.Errorf("restore: %s is damaged too: %s", from, rep.Problems[0])
	}
	if held(path) {
		return "", fmt.Errorf("restore: %s: %w", path, ErrLocked)
	}
	src, err := os.Open(from)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer src.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".restoring-*")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, src)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if _, err := os.Stat(path); err == nil {
		replaced = path + ".replaced-" + time.Now().UTC().Format(backupTime)
		if err := os.Rename(path, replaced); err != nil {
			return "", fmt.Errorf("restore: keep the old file: %w", err)
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return replaced, fmt.Errorf("restore: %w", err)
	}
	syncDir(filepath.Dir(path))
	return replaced, nil
}

// held says whether a running process holds the database at path:
// bbolt's lock is taken before the file is read, so even a damaged file
// tells.
func held(path string) bool {
	if _, err := os.Stat(path); err != nil {
		return false
	}
	db, err := openRecovered(path, true, 500*time.Millisecond)
	if err == nil {
		db.Close()
	}
	return errors.Is(err, bolterrors.ErrTimeout)
}
