package flows

import (
	"strconv"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/dialog"
)

// FuzzResolve checks how a message is read against the question on
// screen: a pressed button counts only when the question offers it and
// it is not from an older message; on channels of numbered choices a
// number in range picks that choice; a label typed out (any case,
// spaces around) picks its choice, or else one it names loosely (a
// unique beginning, the distance); anything else is text, trimmed.
func FuzzResolve(f *testing.F) {
	f.Add("2", "", "", false, false, "Қазақша|Русский|English")
	f.Add(" русский ", "", "", false, false, "Қазақша|Русский|English")
	f.Add("", "p1", "", false, false, "« Back|Cancel")
	f.Add("", "p1", "", false, true, "« Back|Cancel")
	f.Add("", "d:42k", "", false, false, "1 km|10 km")
	f.Add("", "", "+77015556677", false, false, "Use +7 701 555 66 77")
	f.Add("0", "", "", true, false, "M|L")
	f.Add("12", "", "", true, false, "1|12|2")
	f.Add("   ", "", "", true, false, "")
	f.Fuzz(func(t *testing.T, text, payload, phone string, numbered, stale bool, labels string) {
		var q dialog.Reply
		if labels != "" {
			for i, l := range strings.Split(labels, "|") {
				q.Choices = append(q.Choices, dialog.Choice{Label: l, Payload: "p" + strconv.Itoa(i)})
			}
		}
		tr := &turn{msg: dialog.Message{Text: text, Payload: payload, Phone: phone, Numbered: numbered}, stale: stale}
		in, ok := tr.resolve(q)
		offered := func(p string) bool {
			for _, c := range q.Choices {
				if c.Payload == p {
					return true
				}
			}
			return false
		}
		switch {
		case payload != "":
			if ok != (!stale && offered(payload)) || ok && in != (input{payload: payload}) {
				t.Fatalf("press of %q (stale %v) on %v: %+v, %v", payload, stale, q.Choices, in, ok)
			}
		case phone != "":
			if !ok || in != (input{phone: phone}) {
				t.Fatalf("contact %q: %+v, %v", phone, in, ok)
			}
		default:
			trimmed := strings.TrimSpace(text)
			want := input{text: trimmed}
			if n, err := strconv.Atoi(trimmed); numbered && err == nil && n >= 1 && n <= len(q.Choices) {
				want = input{payload: q.Choices[n-1].Payload}
			} else if trimmed != "" {
				for _, c := range q.Choices {
					if strings.EqualFold(c.Label, trimmed) {
						want = input{payload: c.Payload}
						break
					}
				}
			}
			if want.payload == "" && ok && in.payload != "" {
				// Matched loosely: the label begins with what was typed,
				// or its distance is the one typed.
				for _, c := range q.Choices {
					head, _, _ := strings.Cut(c.Label, "·")
					if c.Payload == in.payload && (strings.HasPrefix(normLabel(c.Label), normLabel(trimmed)) ||
						distanceKey(normLabel(trimmed)) != "" && distanceKey(normLabel(head)) == distanceKey(normLabel(trimmed))) {
						want = in
					}
				}
			}
			if !ok || in != want {
				t.Fatalf("text %q (numbered %v) on %v: %+v, %v; want %+v", text, numbered, q.Choices, in, ok, want)
			}
		}
	})
}
