package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/storage"
)

// Fill writes n registrations, each with its user and order, and
// closes the store: a file of many pages.
func Fill(tb testing.TB, path string, n int) {
	tb.Helper()
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)
	err = s.Update(context.Background(), func(tx domain.Tx) error {
		for i := range n {
			code := fmt.Sprintf("RFA-%04d", i)
			u := domain.User{Key: fmt.Sprintf("telegram:%d", i), Channel: "telegram", ID: fmt.Sprint(i), Lang: "en"}
			if err := tx.PutUser(&u); err != nil {
				return err
			}
			r := domain.Registration{Code: code, UserKey: u.Key, Lang: "en", Name: fmt.Sprintf("Runner Number %04d", i),
				Phone: "+77010000000", Mode: event.InPerson, Distance: "5k", Fee: 8990, Currency: "KZT",
				Status: domain.StatusAwaitingPayment, Order: code + "-1", Orders: 1, CreatedAt: now}
			if err := tx.PutOrder(&domain.Order{ID: r.Order, Code: code, Amount: 8990, Currency: "KZT", Status: domain.OrderOpen}); err != nil {
				return err
			}
			if err := tx.AddRegistration(&r, 100000); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// Damages are the ways a file is damaged in the tests, each a change
// of the file's bytes.
var Damages = map[string]func(b []byte) []byte{
	"truncated to 8 KiB": func(b []byte) []byte { return b[:8<<10] },
	"truncated to half":  func(b []byte) []byte { return b[:len(b)/2] },
	"zero-length":        func([]byte) []byte { return nil },
	"meta pages zeroed": func(b []byte) []byte {
		clear(b[:8<<10])
		return b
	},
	"record bytes flipped": func(b []byte) []byte {
		// The 20 bytes after one record's name, outside its strings, in
		// every copy of the record (the live one and any stale one in a
		// freed page).
		name := []byte("Runner Number 0042")
		for off := 0; ; {
			i := bytes.Index(b[off:], name)
			if i < 0 {
				return b
			}
			for j := range 20 {
				b[off+i+len(name)+1+j] ^= 0xff
			}
			off += i + len(name)
		}
	},
	"page headers flipped": func(b []byte) []byte {
		// Every leaf page (flags 0x02 after the 8-byte id) gets an
		// invalid type.
		for off := 2 * 4096; off+16 <= len(b); off += 4096 {
			if b[off+8] == 0x02 && b[off+9] == 0 {
				b[off+8] = 0x40
			}
		}
		return b
	},
}

func TestDamagedFileIsNamedNotPanicked(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good.db")
	Fill(t, good, 400)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	backups := t.TempDir()
	last := filepath.Join(backups, "bot-20270115T100000.000Z.db")
	if err := os.WriteFile(last, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, damage := range Damages {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bot.db")
			if err := os.WriteFile(path, damage(bytes.Clone(data)), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := storage.Open(path, storage.Options{BackupDir: backups})
			var de *storage.DamagedError
			if !errors.As(err, &de) {
				t.Fatalf("open: %v, want a DamagedError", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, path) || !strings.Contains(msg, "last good backup: "+last) {
				t.Errorf("message %q: want one line naming the file and %s", msg, last)
			}
			// check reports it too, never panicking.
			rep, err := storage.Check(path, backups)
			if err == nil && rep.OK() {
				t.Errorf("check finds nothing wrong: %+v", rep)
			}
		})
	}
}

func TestCheckNamesTheDamagedBucket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	Fill(t, path, 50)
	rep, err := storage.Check(path, "")
	if err != nil || !rep.OK() || rep.Count("registrations") != 50 || rep.Count("users") != 50 {
		t.Fatalf("check of a good file: %+v, %v", rep, err)
	}
	data, _ := os.ReadFile(path)
	os.WriteFile(path, Damages["record bytes flipped"](data), 0o600)
	rep, err = storage.Check(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 1 || !strings.HasPrefix(rep.Problems[0], `registrations: record "RFA-0042" does not decode`) {
		t.Errorf("problems %q", rep.Problems)
	}
}

func TestMissingFileStartsANewDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "bot.db")
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if rep, err := storage.Check(path, ""); err != nil || !rep.OK() {
		t.Errorf("new database: %+v, %v", rep, err)
	}
}

func TestBackupsKeepTheLastAndRestore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bot.db")
	Fill(t, path, 30)
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)
	b := &storage.Backups{Store: s, Dir: filepath.Join(dir, "backups"), Keep: 3, Now: func() time.Time { return at }}
	if when, _ := b.Last(); !when.IsZero() {
		t.Errorf("a last backup before any: %v", when)
	}
	var written []string
	for range 5 {
		at = at.Add(time.Hour)
		p, err := b.Write()
		if err != nil {
			t.Fatal(err)
		}
		written = append(written, p)
	}
	entries, _ := os.ReadDir(b.Dir)
	var kept []string
	for _, e := range entries {
		kept = append(kept, filepath.Join(b.Dir, e.Name()))
	}
	if strings.Join(kept, " ") != strings.Join(written[2:], " ") {
		t.Errorf("kept %q, want the last 3 of %q", kept, written)
	}
	if when, p := b.Last(); !when.Equal(at) || p != written[4] {
		t.Errorf("last backup %v %s", when, p)
	}
	// A new Backups (the bot restarted) finds the last one on disk.
	if when, _ := (&storage.Backups{Dir: b.Dir}).Last(); !when.Equal(at) {
		t.Errorf("last backup after a restart: %v", when)
	}
	// Restoring needs the bot stopped.
	if _, err := storage.Restore(written[3], path); !errors.Is(err, storage.ErrLocked) {
		t.Errorf("restore under a running bot: %v", err)
	}
	s.Close()
	// The file is damaged; a backup puts it right, and the damaged file
	// is kept beside it.
	os.WriteFile(path, []byte("not a database"), 0o600)
	replaced, err := storage.Restore(written[3], path)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(replaced); string(b) != "not a database" {
		t.Errorf("the replaced file %s holds %q", replaced, b)
	}
	rep, err := storage.Check(path, "")
	if err != nil || !rep.OK() || rep.Count("registrations") != 30 || rep.Count("orders") != 30 {
		t.Errorf("restored: %+v, %v", rep, err)
	}
	// A damaged backup is not restored.
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, nil, 0o600)
	if _, err := storage.Restore(bad, path); err == nil {
		t.Error("restored an empty backup")
	}
}
