package distress_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/distress/corpus"
)

// assess is the kind ("crisis", "support" or "") and the language of a
// message.
func assess(text string, aboutChild bool) (kind, lang string) {
	r := distress.Assess(text, distress.Options{AboutChild: aboutChild})
	if r.Level == distress.None {
		return "", r.Lang
	}
	return r.Level.Kind(), r.Lang
}

// examples are the corpus's messages that expect one of kinds.
func examples(tb testing.TB, kinds ...string) []corpus.Example {
	tb.Helper()
	all, err := corpus.Load(corpus.Path())
	if err != nil {
		tb.Fatal(err)
	}
	var out []corpus.Example
	for _, e := range all {
		if slices.Contains(kinds, e.Expect) {
			out = append(out, e)
		}
	}
	return out
}

// want is the kind Assess owes an example.
var want = map[string]string{corpus.Crisis: "crisis", corpus.Possible: "crisis", corpus.Help: "support"}

func TestAssess(t *testing.T) {
	for _, e := range examples(t, corpus.Crisis, corpus.Help) {
		kind, lang := assess(e.Text, false)
		if kind != want[e.Expect] || lang != e.Lang {
			t.Errorf("line %d %q: %q in %q, want %q in %q", e.Line, e.Text, kind, lang, want[e.Expect], e.Lang)
		}
	}
	for _, e := range examples(t, corpus.Benign) {
		if kind, _ := assess(e.Text, false); kind != "" {
			t.Errorf("line %d %q taken for %s", e.Line, e.Text, kind)
		}
	}
	for _, e := range examples(t, corpus.ChildBenign) {
		if kind, _ := assess(e.Text, true); kind != "" {
			t.Errorf("line %d: child's notes %q taken for %s", e.Line, e.Text, kind)
		}
	}
	// Where a parent describes their child, a crisis of their own is
	// still a crisis.
	for _, e := range examples(t, corpus.Crisis) {
		if kind, _ := assess(e.Text, true); kind != "crisis" {
			t.Errorf("line %d: in the child's notes %q: %q, want crisis", e.Line, e.Text, kind)
		}
	}
}

func TestAsksBotHelp(t *testing.T) {
	for _, text := range []string{"help me register", "помогите с регистрацией", "көмектесіңізші тіркелуге", "HELP", "нужна помощь с оплатой"} {
		if !distress.AsksBotHelp(text) {
			t.Errorf("%q: not a request for the bot's help", text)
		}
	}
	for _, text := range []string{"what time does it start", "убийственная жара", "Айгерим", "Көмеков Ерлан", "Helpman"} {
		if distress.AsksBotHelp(text) {
			t.Errorf("%q taken for a request for help", text)
		}
	}
}

// BenchmarkAssess reads the longest message the bot takes.
func BenchmarkAssess(b *testing.B) {
	long := strings.Repeat("мен ертең 10 км жүгіремін, помогите с регистрацией please ", 80)
	for b.Loop() {
		assess(long, false)
	}
}
