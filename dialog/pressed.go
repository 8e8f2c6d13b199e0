package dialog

import "strings"

// asks reports whether the pressed message asks question q: the same
// buttons in the same order, and q's text at its end (notes may stand
// above it) or its text at the end of q's.
func (p *Pressed) Asks(q Reply) bool {
	if len(p.Payloads) != len(q.Choices) {
		return false
	}
	for i, c := range q.Choices {
		if p.Payloads[i] != c.Payload {
			return false
		}
	}
	got, want := strings.TrimSpace(p.Text), strings.TrimSpace(q.Text)
	return got != "" && want != "" && (strings.HasSuffix(got, want) || strings.HasSuffix(want, got))
}
