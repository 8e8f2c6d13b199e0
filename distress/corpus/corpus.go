// Package corpus reads the help flow's corpus of example messages, so
// that the detector's tests and the conversation's tests measure the
// same messages.
package corpus

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// What the bot owes a message.
const (
	Crisis      = "crisis"       // the crisis answer at once
	Possible    = "possible"     // the check question, the crisis lines shown
	Help        = "help"         // the support answer
	Benign      = "benign"       // the normal answer wherever it is written
	ChildBenign = "child-benign" // benign in a parent's notes about a child
)

// Example is one message of the corpus.
type Example struct {
	Expect   string
	Lang     string
	Category string
	Text     string
	Source   string
	Line     int
}

// Path is the corpus file in the repository.
func Path() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "flows", "testdata", "distress", "corpus.tsv")
}

var expects = map[string]bool{Crisis: true, Possible: true, Help: true, Benign: true, ChildBenign: true}

// Load reads the corpus at path: tab-separated expect, lang, category,
// text and an optional source; # starts a comment line.
func Load(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open corpus: %w", err)
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 4 || len(fields) > 5 {
			return nil, fmt.Errorf("%s:%d: want 4 or 5 tab-separated fields, have %d", path, n, len(fields))
		}
		e := Example{Expect: fields[0], Lang: fields[1], Category: fields[2], Text: fields[3], Line: n}
		if len(fields) == 5 {
			e.Source = fields[4]
		}
		if !expects[e.Expect] {
			return nil, fmt.Errorf("%s:%d: unknown expectation %q", path, n, e.Expect)
		}
		if e.Lang != "kk" && e.Lang != "ru" && e.Lang != "en" {
			return nil, fmt.Errorf("%s:%d: unknown language %q", path, n, e.Lang)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read corpus: %w", err)
	}
	return out, nil
}
