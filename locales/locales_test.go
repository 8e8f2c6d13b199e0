package locales_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/runforautism/rfabot/locales"
)

// pluralForms are the CLDR cardinal forms each language needs.
var pluralForms = map[string][]string{
	"kk": {"one", "other"},
	"ru": {"one", "few", "many", "other"},
	"en": {"one", "other"},
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// message is one id of a file: its plural forms, or "other" alone.
type message map[string]string

func readFile(t *testing.T, lang string) map[string]message {
	t.Helper()
	var raw map[string]any
	if _, err := toml.DecodeFile("active."+lang+".toml", &raw); err != nil {
		t.Fatalf("parse active.%s.toml: %v", lang, err)
	}
	out := map[string]message{}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			out[id] = message{"other": v}
		case map[string]any:
			m := message{}
			for form, s := range v {
				str, ok := s.(string)
				if !ok {
					t.Fatalf("%s: %s.%s is not a string", lang, id, form)
				}
				m[form] = str
			}
			out[id] = m
		default:
			t.Fatalf("%s: %s has type %T", lang, id, v)
		}
	}
	return out
}

func placeholders(m message) []string {
	set := map[string]bool{}
	for _, s := range m {
		for _, p := range placeholder.FindAllStringSubmatch(s, -1) {
			set[p[1]] = true
		}
	}
	var out []string
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func TestLocalesMatch(t *testing.T) {
	files := map[string]map[string]message{}
	all := map[string]bool{}
	for _, l := range locales.Languages {
		files[l] = readFile(t, l)
		for id := range files[l] {
			all[id] = true
		}
	}
	for id := range all {
		var want []string
		plural := false
		for _, l := range locales.Languages {
			if m, ok := files[l][id]; ok && m["one"] != "" {
				plural = true
			}
		}
		for i, l := range locales.Languages {
			m, ok := files[l][id]
			if !ok {
				t.Errorf("%s: message %q missing", l, id)
				continue
			}
			for form, s := range m {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s.%s is empty", l, id, form)
				}
			}
			if plural {
				for _, form := range pluralForms[l] {
					if m[form] == "" {
						t.Errorf("%s: plural %q lacks form %q", l, id, form)
					}
				}
			}
			got := placeholders(m)
			if i == 0 {
				want = got
			} else if !slices.Equal(got, want) {
				t.Errorf("%s: %q has placeholders %v, %s has %v", l, id, got, locales.Languages[0], want)
			}
		}
	}
}

func TestEveryMessageRenders(t *testing.T) {
	c, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	files := readFile(t, "en")
	for id, m := range files {
		for _, l := range locales.Languages {
			data := map[string]any{}
			for _, p := range placeholders(m) {
				data[p] = "X"
			}
			if m["one"] != "" {
				for _, n := range []int{0, 1, 2, 5, 11, 21, 22, 25, 101} {
					data["Count"] = n
					if _, err := c.Lookup(l, id, data, n); err != nil {
						t.Errorf("%s %s (n=%d): %v", l, id, n, err)
					}
				}
				continue
			}
			if _, err := c.Lookup(l, id, data, nil); err != nil {
				t.Errorf("%s %s: %v", l, id, err)
			}
		}
	}
}

func TestRussianPlurals(t *testing.T) {
	c, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]string{1: "1 место", 2: "2 места", 5: "5 мест", 21: "21 место", 22: "22 места", 111: "111 мест"} {
		if got := c.N("ru", "places_left", n, nil); !strings.Contains(got, want) {
			t.Errorf("ru places_left(%d) = %q, want %q", n, got, want)
		}
	}
}

// usedID finds message ids in Go code: the first argument of T, N, note,
// choice, invalid and invalidN calls (and of the helpers that pass an id
// on to them), and ids built from a prefix such as "status_"+s (checked
// by prefix).
var usedID = regexp.MustCompile(`\b(?:T|N|note|choice|invalid|invalidN|allLangs|textQuestion|saved|confirmation|extra)\(\s*(?:[a-zA-Z.]+,\s*)?"([a-z][a-z0-9_]*)"`)

var labelID = regexp.MustCompile(`label:\s*"([a-z][a-z0-9_]*)"`)

func TestCodeUsesOnlyExistingIDs(t *testing.T) {
	ids := readFile(t, "en")
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && d.Name() != ".." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		matches := append(usedID.FindAllStringSubmatch(string(src), -1), labelID.FindAllStringSubmatch(string(src), -1)...)
		for _, m := range matches {
			id := m[1]
			found++
			if strings.HasSuffix(id, "_") {
				if !hasPrefix(ids, id) {
					t.Errorf("%s: no message starts with %q", path, id)
				}
				continue
			}
			if _, ok := ids[id]; !ok {
				t.Errorf("%s: message %q is not in the locale files", path, id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("found only %d message ids in the code: the pattern is broken", found)
	}
}

func hasPrefix(ids map[string]message, prefix string) bool {
	for id := range ids {
		if strings.HasPrefix(id, prefix) {
			return true
		}
	}
	return false
}
