package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// A clean close leaves a note beside the file: its size and time of
// change once closed. Open skips the full check of every page and record
// when the note matches the file, since nothing has written it since a
// close that left it whole; that keeps the start of a bot with 100,000
// registrations well under a second. Open removes the note at once, so a
// crash (no close), a copied or restored file, or any write by another
// program leaves no matching note and the next Open checks everything.
// `rfabot check` and every backup check the whole file regardless.

// cleanNote is the path of the note of the database at path.
func cleanNote(path string) string { return path + ".clean" }

// fileStamp is a file's size and time of change, as a note holds them.
func fileStamp(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(st.Size(), 10) + " " + strconv.FormatInt(st.ModTime().UnixNano(), 10), nil
}

// closedCleanly reports whether the note of path matches the file, and
// removes the note.
func closedCleanly(path string) (bool, error) {
	note, err := os.ReadFile(cleanNote(path))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", cleanNote(path), err)
	}
	if err := os.Remove(cleanNote(path)); err != nil {
		return false, fmt.Errorf("remove %s: %w", cleanNote(path), err)
	}
	stamp, err := fileStamp(path)
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(note)) == stamp, nil
}

// noteCleanClose writes the note of the closed file at path.
func noteCleanClose(path string) error {
	stamp, err := fileStamp(path)
	if err != nil {
		return err
	}
	if err := os.WriteFile(cleanNote(path), []byte(stamp+"\n"), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", cleanNote(path), err)
	}
	return nil
}
