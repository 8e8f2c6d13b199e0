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

// TestExplain prints what the detector makes of DISTRESS_EXPLAIN's
// lines: go test -run TestExplain ./distress/ with the variable set.
func TestExplain(t *testing.T) {
	text := os.Getenv("DISTRESS_EXPLAIN")
	if text == "" {
		t.Skip("set DISTRESS_EXPLAIN to a message")
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
