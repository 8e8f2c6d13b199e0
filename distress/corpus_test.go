package distress_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/distress/corpus"
)

// The thresholds the detector must meet on each corpus, per language:
// crisis recall counts a possible crisis as caught (its check question
// shows the crisis lines); help recall counts any answer with
// resources; a false crisis alarm is a benign message given the crisis
// answer or the check question.
const (
	minCrisisRecall = 0.98
	minHelpRecall   = 0.95
	maxFalseCrisis  = 0.01
	minLangRight    = 0.95
)

// tally counts one cell of the table.
type tally struct{ n, caught, crisis int }

func pct(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// measure runs the detector on a corpus file, prints the table per
// language and category, and fails where a language falls short.
func measure(t *testing.T, path string) {
	all, err := corpus.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ lang, expect, cat string }
	cells := map[key]*tally{}
	langRight, langAll := map[string]int{}, map[string]int{}
	var misses []string
	for _, e := range all {
		r := distress.Assess(e.Text, distress.Options{AboutChild: e.Expect == corpus.ChildBenign})
		k := key{e.Lang, e.Expect, e.Category}
		c := cells[k]
		if c == nil {
			c = &tally{}
			cells[k] = c
		}
		c.n++
		if r.Level >= distress.Possible {
			c.crisis++
		}
		var ok bool
		switch e.Expect {
		case corpus.Crisis, corpus.Possible:
			ok = r.Level >= distress.Possible
		case corpus.Help:
			ok = r.Level >= distress.Help
		default:
			ok = r.Level < distress.Possible
		}
		if ok {
			c.caught++
		} else {
			misses = append(misses, fmt.Sprintf("line %d %s/%s/%s %q: level %d", e.Line, e.Lang, e.Expect, e.Category, e.Text, r.Level))
		}
		if e.Expect != corpus.Benign && e.Expect != corpus.ChildBenign {
			langAll[e.Lang]++
			if r.Lang == e.Lang {
				langRight[e.Lang]++
			} else {
				misses = append(misses, fmt.Sprintf("line %d %q: language %q, want %q", e.Line, e.Text, r.Lang, e.Lang))
			}
		}
	}
	keys := make([]key, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		return a.lang+"\x00"+a.expect+"\x00"+a.cat < b.lang+"\x00"+b.expect+"\x00"+b.cat
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%-4s %-12s %-14s %5s %7s %9s\n", filepath.Base(path), "lang", "expect", "category", "n", "caught", "as crisis")
	for _, k := range keys {
		c := cells[k]
		fmt.Fprintf(&b, "%-4s %-12s %-14s %5d %6.0f%% %9d\n", k.lang, k.expect, k.cat, c.n, 100*pct(c.caught, c.n), c.crisis)
	}
	fmt.Fprintf(&b, "%-4s %14s %12s %14s %12s\n", "lang", "crisis recall", "help recall", "false crisis", "language")
	for _, lang := range []string{"kk", "ru", "en"} {
		var cr, crN, hl, hlN, fa, faN int
		for k, c := range cells {
			if k.lang != lang {
				continue
			}
			switch k.expect {
			case corpus.Crisis, corpus.Possible:
				cr, crN = cr+c.caught, crN+c.n
			case corpus.Help:
				hl, hlN = hl+c.caught, hlN+c.n
			default:
				fa, faN = fa+c.crisis, faN+c.n
			}
		}
		fmt.Fprintf(&b, "%-4s %6d/%-3d %3.0f%% %5d/%-3d %3.0f%% %6d/%-3d %3.0f%% %6d/%-3d\n", lang,
			cr, crN, 100*pct(cr, crN), hl, hlN, 100*pct(hl, hlN), fa, faN, 100*pct(fa, faN), langRight[lang], langAll[lang])
		if pct(cr, crN) < minCrisisRecall {
			t.Errorf("%s: crisis recall %d/%d under %.0f%%", lang, cr, crN, 100*minCrisisRecall)
		}
		if pct(hl, hlN) < minHelpRecall {
			t.Errorf("%s: help recall %d/%d under %.0f%%", lang, hl, hlN, 100*minHelpRecall)
		}
		if faN > 0 && pct(fa, faN) > maxFalseCrisis {
			t.Errorf("%s: %d/%d false crisis alarms, over %.0f%%", lang, fa, faN, 100*maxFalseCrisis)
		}
		if pct(langRight[lang], langAll[lang]) < minLangRight {
			t.Errorf("%s: language right for %d/%d, under %.0f%%", lang, langRight[lang], langAll[lang], 100*minLangRight)
		}
	}
	t.Log(b.String())
	if t.Failed() || testing.Verbose() {
		slices.Sort(misses)
		t.Logf("missed:\n%s", strings.Join(misses, "\n"))
	}
}

// TestCorpus measures the detector on the project's corpus (written by
// hand as people type, shared with the conversation's tests).
func TestCorpus(t *testing.T) { measure(t, corpus.Path()) }

// TestDevExamples measures it on the detector author's examples.
func TestDevExamples(t *testing.T) { measure(t, filepath.Join("testdata", "dev.tsv")) }

func TestBlind(t *testing.T) {
	measure(t, filepath.Join("testdata", "blind.tsv"))
	measure(t, filepath.Join("testdata", "blind2.tsv"))
	measure(t, filepath.Join("testdata", "benign.tsv"))
	measure(t, filepath.Join("testdata", "blind3.tsv"))
	measure(t, filepath.Join("testdata", "blind4.tsv"))
	measure(t, filepath.Join("testdata", "benign2.tsv"))
	measure(t, filepath.Join("testdata", "blind5.tsv"))
	measure(t, filepath.Join("testdata", "blind6.tsv"))
	measure(t, filepath.Join("testdata", "help2.tsv"))
	measure(t, filepath.Join("testdata", "blind7.tsv"))
	measure(t, filepath.Join("testdata", "blind8.tsv"))
	measure(t, filepath.Join("testdata", "blind9.tsv"))
	measure(t, filepath.Join("testdata", "blind10.tsv"))
	measure(t, filepath.Join("testdata", "blind11.tsv"))
	measure(t, filepath.Join("testdata", "help3.tsv"))
	measure(t, filepath.Join("testdata", "blind12.tsv"))
	measure(t, filepath.Join("testdata", "blind13.tsv"))
	measure(t, filepath.Join("testdata", "blind14.tsv"))
	measure(t, filepath.Join("testdata", "blind15.tsv"))
	measure(t, filepath.Join("testdata", "blind16.tsv"))
	measure(t, filepath.Join("testdata", "blind17.tsv"))
	measure(t, filepath.Join("testdata", "blind18.tsv"))
	measure(t, filepath.Join("testdata", "blind19.tsv"))
	measure(t, filepath.Join("testdata", "blind20.tsv"))
	measure(t, filepath.Join("testdata", "blind21.tsv"))
	measure(t, filepath.Join("testdata", "blind22.tsv"))
	measure(t, filepath.Join("testdata", "blind23.tsv"))
	measure(t, filepath.Join("testdata", "blind24.tsv"))
}
