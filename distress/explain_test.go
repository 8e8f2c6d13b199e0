package distress

import (
	"os"
	"strings"
	"testing"
)

// explain names the rules that gave a message its level, for failure
// messages.
func explain(text string, aboutChild bool) string {
	f := lex.read(tokenize(text)).assess(aboutChild)
	var out []string
	for _, id := range f.rules {
		r := lex.rules[id]
		out = append(out, langNames[r.lang]+"/"+r.cat+": "+r.src)
	}
	return strings.Join(out, "; ")
}

// TestExplain shows what the detector makes of a message and which rules
// matched: DISTRESS_EXPLAIN='…' go test -run TestExplain -v ./distress/
// (one message a line). Without the variable it explains a translit
// message, and the rule that caught it must be named.
func TestExplain(t *testing.T) {
	text := os.Getenv("DISTRESS_EXPLAIN")
	if text == "" {
		text = "ne hochu zhit"
		if got := explain(text, false); !strings.Contains(got, "ru/wish_to_die: не @want @live") {
			t.Errorf("%q explained as %q", text, got)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		r := Assess(line, Options{})
		var toks []string
		for _, tk := range tokenize(line) {
			toks = append(toks, tk.latin+"/"+tk.ru+"/"+tk.kk)
		}
		t.Logf("%q: level %d lang %q signal %v\n  tokens %v\n  rules %s", line, r.Level, r.Lang, r.Signal, toks, explain(line, false))
	}
}
