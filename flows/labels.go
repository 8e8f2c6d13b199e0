package flows

import (
	"strings"
	"unicode/utf8"
)

// maxLabel is the longest button label a phone shows whole on a
// full-width button: about 30 characters on Telegram.
const maxLabel = 30

// nameLabel is the button label of text id showing name, the name
// shortened with an ellipsis as far as the label needs to fit maxLabel;
// args are the text's other values.
func (t *turn) nameLabel(id, name string, args ...any) string {
	label := t.T(id, append([]any{"Name", name}, args...)...)
	over := utf8.RuneCountInString(label) - maxLabel
	if over <= 0 {
		return label
	}
	return t.T(id, append([]any{"Name", shorten(name, utf8.RuneCountInString(name)-over)}, args...)...)
}

// shorten cuts s to at most n characters, the last an ellipsis, after a
// whole word when that keeps at least half of them ("Aliya Nurlanovna
// Seitkali…" becomes "Aliya Nurlanovna…"). It keeps one letter at least.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	keep := max(n-1, 1)
	cut := string(r[:keep])
	if i := strings.LastIndex(cut, " "); i > 0 && utf8.RuneCountInString(cut[:i]) >= keep/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ") + "…"
}
