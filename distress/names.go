package distress

import (
	"strings"
	"unicode/utf8"
)

// SameName reports whether two written names are one person's by their
// words, in any order and case, in Cyrillic or in Latin letters (read as
// Russian and Kazakh translit write them, as the help detector reads
// messages): "NURLANOVA Aigerim" is "Айгерим Нурланова". Every word of
// the shorter name must match a word of the longer one, each once; an
// initial ("I.") matches a word it begins. A name without words matches
// nothing.
func SameName(a, b string) bool {
	wa, wb := nameWords(a), nameWords(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	if len(wa) == 0 {
		return false
	}
	used := make([]bool, len(wb))
	for _, w := range wa {
		found := false
		for i, v := range wb {
			if !used[i] && sameNameWord(w, v) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func nameWords(s string) []token {
	var out []token
	for _, t := range tokenize(s) {
		if !t.brk {
			out = append(out, t)
		}
	}
	return out
}

// latinSpellings are how English spelling writes sounds the translit
// tables read otherwise: "Alex" is Алекс, "Smith" Смит.
var latinSpellings = strings.NewReplacer("x", "ks", "th", "t", "ph", "f", "ck", "k")

func sameNameWord(a, b token) bool {
	if sameWordAs(a, b) {
		return true
	}
	for _, p := range [][2]token{{a, b}, {b, a}} {
		if p[0].latin != "" && p[1].latin == "" {
			if alt := latinSpellings.Replace(p[0].latin); alt != p[0].latin && sameWordAs(readWord(alt), p[1]) {
				return true
			}
		}
	}
	return false
}

func sameWordAs(a, b token) bool {
	if a.latin != "" && b.latin != "" {
		return a.latin == b.latin || initial(a.latin, b.latin)
	}
	for _, x := range []string{a.ru, a.kk} {
		for _, y := range []string{b.ru, b.kk} {
			if x == y || initial(x, y) {
				return true
			}
		}
	}
	return false
}

// initial reports whether one of two words is one letter that begins
// the other.
func initial(a, b string) bool {
	if utf8.RuneCountInString(b) == 1 {
		a, b = b, a
	}
	if utf8.RuneCountInString(a) != 1 || b == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(b)
	s, _ := utf8.DecodeRuneInString(a)
	return r == s
}
