package storage_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/runforautism/rfabot/storage"
)

// TestCleanCloseSkipsTheFullCheck: a file closed cleanly and not written
// since opens without the full check (a record damaged behind the
// note's back, with the time of change put back, goes unseen until
// `rfabot check`); a file written after the close, or one whose bot
// crashed (no note), is checked whole and refused.
func TestCleanCloseSkipsTheFullCheck(t *testing.T) {
	for _, tt := range []struct {
		name    string
		keepMod bool // put the file's time of change back after the damage
		crash   bool // remove the note, as a crash leaves none
		refused bool
	}{
		{"damage behind a matching note", true, false, false},
		{"written after the close", false, false, true},
		{"no clean close", true, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bot.db")
			Fill(t, path, 50)
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path + ".clean"); err != nil {
				t.Fatalf("no note after a clean close: %v", err)
			}
			data, _ := os.ReadFile(path)
			if err := os.WriteFile(path, Damages["record bytes flipped"](data), 0o600); err != nil {
				t.Fatal(err)
			}
			if tt.keepMod {
				os.Chtimes(path, st.ModTime(), st.ModTime())
			} else {
				later := st.ModTime().Add(time.Second)
				os.Chtimes(path, later, later)
			}
			if tt.crash {
				os.Remove(path + ".clean")
			}
			s, err := storage.Open(path, storage.Options{})
			var de *storage.DamagedError
			if tt.refused != errors.As(err, &de) {
				t.Fatalf("open: %v, refused %v", err, tt.refused)
			}
			if _, err := os.Stat(path + ".clean"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the note outlives Open: %v", err)
			}
			if err == nil {
				s.Close()
			}
		})
	}
}
