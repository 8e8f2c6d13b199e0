package distress

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The lexicon is compiled once into words (lits), elements (a set of
// words one position of a rule accepts: a word, a stem, a concept or
// alternatives) and rules. A message is read word by word: each word
// looks up the lexicon words starting with its first letter, and the
// rules that start with an element it satisfies are tried from there.
// No regular expression, nothing compiled per call.

// lit is one word or stem of the lexicon in one language's reading.
type lit struct {
	lang  int
	form  string
	runes []rune // form's letters
	n     int    // len(runes)
	stem  bool
	// typo: one edit (insertion, deletion, substitution, transposition
	// of neighbours) is forgiven: stems of typoMin letters or more. Whole
	// words are not forgiven: one letter apart they are often another
	// form ("царапает" is not "царапать").
	typo bool
}

// typoMin is the length from which a lexicon word forgives one typo.
// English has more real words one letter apart ("lonely", "lovely"):
// there it takes a longer word.
var typoMin = [numLangs]int{langEN: 7, langRU: 6, langKK: 6}

// maxGap is how many other words may stand between two words of a rule
// ("не хочу больше так жить", "i just want to fucking die").
const maxGap = 3

// coocWindow is how near the words of a co-occurrence rule stand, in
// words either side of the first.
const coocWindow = 6

// jokeWindow is how near a joke or running word must be to take a
// hyperbole-prone rule back ("this hill will kill me", "умираю от смеха").
const jokeWindow = 10

// rule is one way of saying something the help flow answers.
type rule struct {
	elems []int
	// not[k] is an element the word after elems[k] must not satisfy, or
	// -1 ("anxious !to": not "anxious to know the route").
	not   []int
	lang  int
	level Level
	cat   string
	// whole: the message is this rule's words and nothing else.
	whole bool
	// topic: the rule names a condition rather than the writer's own
	// state; a parent describing their child writes such words.
	topic bool
	// cooc: the elements occur near each other in any order.
	cooc bool
	// joke: hyperbole-prone ("I'm dying", "kill me"): a joke, a laugh or
	// running words near it make it a mere signal.
	joke bool
	// third: the rule names a condition that a message about someone
	// else names too ("my daughter sees a psychologist"): a word for a
	// child or a group near it takes the rule back.
	third bool
	// errand: an uncertain signal that people also write about the bot's
	// errands or a question of running ("I took pills, can I run?").
	errand bool
	// negatable: a negation right before the first word turns it around.
	negatable bool
	src       string
}

type lexicon struct {
	lits     []lit
	litElems [][]int // per lit: the elements that accept it
	elems    []string
	// buckets[lang][first letter]: the lits of a language by first letter.
	buckets  [numLangs]map[rune][]int
	rules    []rule
	byFirst  [][]int // per element: rules whose first element it is
	negs     [numLangs]map[string]bool
	jokeElem [numLangs]int
	// laughElem[lang] accepts a laugh or a joke (concept "laugh").
	laughElem [numLangs]int
	// contrastElem[lang] accepts "but", "но", "бірақ": running words
	// before it are another clause ("I signed up for the race but I
	// want to die").
	contrastElem [numLangs]int
	// thirdElem[lang] accepts the words that put someone else in a
	// sentence (concept "third").
	thirdElem [numLangs]int
	// errandElem[lang] accepts the words of the bot's errands and of
	// running (concepts "errand" and "joke").
	errandElem [numLangs]int
	concepts   map[string]map[string][]string
}

// spec is a list of rules of one language, level and category.
type spec struct {
	lang  string
	level Level
	cat   string
	rules []string
}

func langIndex(l string) int {
	for i, n := range langNames {
		if n == l {
			return i
		}
	}
	panic("distress: unknown lexicon language " + l)
}

// patternForm normalizes a lexicon word as a message word of lang reads.
func patternForm(lang int, w string) string {
	t := tokenize(w)
	if len(t) != 1 || t[0].brk {
		panic(fmt.Sprintf("distress: lexicon word %q is not one word", w))
	}
	f := t[0].form(lang)
	if f == "" {
		panic(fmt.Sprintf("distress: lexicon word %q has no %s reading", w, langNames[lang]))
	}
	return f
}

// compile builds the lexicon from concepts (name → words, per language)
// and rule specs. Rule syntax, words separated by spaces:
//
//	word     a word; "stem*" every word starting with stem
//	@name    any word of a concept
//	a|b|@c   any of the alternatives
//	!x       (after a word) the next word must not be x
//
// and prefixes on the whole rule: "=" the whole message, "~" a topic,
// "&" co-occurrence in any order, "?" hyperbole-prone, "^" taken back
// near a word for someone else, "%" taken back near a word of the bot's
// errands (as every possible hopelessness and farewell is).
func compile(concepts map[string]map[string][]string, specs []spec, negations map[string][]string, joke map[string][]string) *lexicon {
	lx := &lexicon{concepts: concepts}
	for i := range lx.buckets {
		lx.buckets[i] = map[rune][]int{}
	}
	litIDs := map[string]int{}
	elemIDs := map[string]int{}
	addLit := func(lang int, w string) int {
		stem := strings.HasSuffix(w, "*")
		form := patternForm(lang, strings.TrimSuffix(w, "*"))
		key := fmt.Sprintf("%d:%s:%v", lang, form, stem)
		if id, ok := litIDs[key]; ok {
			return id
		}
		n := utf8.RuneCountInString(form)
		id := len(lx.lits)
		lx.lits = append(lx.lits, lit{lang: lang, form: form, runes: []rune(form), n: n, stem: stem, typo: stem && n >= typoMin[lang]})
		lx.litElems = append(lx.litElems, nil)
		first, _ := utf8.DecodeRuneInString(form)
		lx.buckets[lang][first] = append(lx.buckets[lang][first], id)
		litIDs[key] = id
		return id
	}
	var addElem func(lang int, s string) int
	addElem = func(lang int, s string) int {
		key := langNames[lang] + ":" + s
		if id, ok := elemIDs[key]; ok {
			return id
		}
		var ids []int
		for _, alt := range strings.Split(s, "|") {
			if name, ok := strings.CutPrefix(alt, "@"); ok {
				words, ok := concepts[langNames[lang]][name]
				if !ok {
					panic(fmt.Sprintf("distress: unknown concept %s:@%s", langNames[lang], name))
				}
				for _, w := range words {
					ids = append(ids, addLit(lang, w))
				}
				continue
			}
			ids = append(ids, addLit(lang, alt))
		}
		id := len(lx.elems)
		lx.elems = append(lx.elems, key)
		lx.byFirst = append(lx.byFirst, nil)
		for _, l := range ids {
			lx.litElems[l] = append(lx.litElems[l], id)
		}
		elemIDs[key] = id
		return id
	}
	for lang := range numLangs {
		lx.negs[lang] = map[string]bool{}
		for _, w := range negations[langNames[lang]] {
			lx.negs[lang][patternForm(lang, w)] = true
		}
		lx.jokeElem[lang] = addElem(lang, strings.Join(joke[langNames[lang]], "|"))
		lx.laughElem[lang] = addElem(lang, "@laugh")
		lx.contrastElem[lang] = addElem(lang, "@contrast")
		lx.thirdElem[lang] = addElem(lang, "@third")
		lx.errandElem[lang] = addElem(lang, "@errand")
	}
	for _, sp := range specs {
		lang := langIndex(sp.lang)
		for _, src := range sp.rules {
			for _, s := range expand(src) {
				lx.addRule(lang, sp, src, s, addElem)
			}
		}
	}
	return lx
}

// expand writes out a rule's groups: "tired of (living|being alive)" is
// "tired of living" and "tired of being alive".
func expand(s string) []string {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return []string{s}
	}
	end := strings.IndexByte(s[open:], ')')
	if end < 0 {
		panic("distress: unclosed group in " + s)
	}
	end += open
	var out []string
	for _, alt := range strings.Split(s[open+1:end], "|") {
		out = append(out, expand(s[:open]+alt+s[end+1:])...)
	}
	return out
}

// addRule compiles one written-out rule.
func (lx *lexicon) addRule(lang int, sp spec, src, s string, addElem func(int, string) int) {
	r := rule{lang: lang, level: sp.level, cat: sp.cat, src: src}
prefixes:
	for {
		switch {
		case strings.HasPrefix(s, "="):
			r.whole = true
		case strings.HasPrefix(s, "~"):
			r.topic = true
		case strings.HasPrefix(s, "&"):
			r.cooc = true
		case strings.HasPrefix(s, "?"):
			r.joke = true
		case strings.HasPrefix(s, "^"):
			r.third = true
		case strings.HasPrefix(s, "%"):
			r.errand = true
		default:
			break prefixes
		}
		s = s[1:]
	}
	for _, w := range strings.Fields(s) {
		if not, ok := strings.CutPrefix(w, "!"); ok {
			if len(r.elems) == 0 {
				panic("distress: rule starts with a negative word: " + r.src)
			}
			r.not[len(r.not)-1] = addElem(lang, not)
			continue
		}
		r.elems = append(r.elems, addElem(lang, w))
		r.not = append(r.not, -1)
	}
	if len(r.elems) == 0 {
		panic("distress: empty rule in " + sp.cat)
	}
	r.negatable = !startsNegated(lx.negs[lang], lang, strings.Fields(s)[0], lx.concepts)
	id := len(lx.rules)
	lx.rules = append(lx.rules, r)
	lx.byFirst[r.elems[0]] = append(lx.byFirst[r.elems[0]], id)
	if r.cooc {
		// Any element may come first in the text: index the rule
		// under each.
		for _, e := range r.elems[1:] {
			lx.byFirst[e] = append(lx.byFirst[e], id)
		}
	}
}

// startsNegated reports whether a rule's first word is itself a
// negation ("не хочу жить"), which a negation before it does not undo.
func startsNegated(negs map[string]bool, lang int, first string, concepts map[string]map[string][]string) bool {
	for _, alt := range strings.Split(first, "|") {
		words := []string{alt}
		if name, ok := strings.CutPrefix(alt, "@"); ok {
			words = concepts[langNames[lang]][name]
		}
		for _, w := range words {
			f := patternForm(lang, strings.TrimSuffix(w, "*"))
			// Russian negative pronouns are negations of their own:
			// "никогда ничего не изменится" is not turned around.
			if negs[f] || lang == langRU && strings.HasPrefix(f, "ни") {
				return true
			}
		}
	}
	return false
}

// exactMatch reports whether a message word w is the lexicon word l, or
// starts with it if l is a stem.
func exactMatch(l *lit, w string) bool {
	if l.stem {
		return strings.HasPrefix(w, l.form)
	}
	return w == l.form
}

// typoMatch reports whether a message word w (its letters wr) is one
// typo away from the long lexicon word l, or starts so if l is a stem.
func typoMatch(l *lit, wr []rune) bool {
	n := len(wr)
	if !l.typo || n < l.n-1 || (!l.stem && n > l.n+1) {
		return false
	}
	if l.stem {
		// Some prefix of the word is one edit from the stem.
		for k := l.n - 1; k <= l.n+1 && k <= n; k++ {
			if oneEdit(wr[:k], l.runes) {
				return true
			}
		}
		return false
	}
	return oneEdit(wr, l.runes)
}

// oneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition of neighbouring letters.
func oneEdit(a, br []rune) bool {
	la, lb := len(a), len(br)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == br[i] {
		i++
	}
	if i == la || i == lb {
		return true // one extra letter at the end at most
	}
	switch {
	case la == lb:
		if eqRunes(a[i+1:], br[i+1:]) {
			return true // substitution
		}
		return i+1 < la && a[i] == br[i+1] && a[i+1] == br[i] && eqRunes(a[i+2:], br[i+2:])
	case la > lb:
		return eqRunes(a[i+1:], br[i:])
	default:
		return eqRunes(a[i:], br[i+1:])
	}
}

func eqRunes(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// reading is a message matched against the lexicon: per word, the
// elements it satisfies.
type reading struct {
	lx   *lexicon
	toks []token
	// elems[off[i]:off[i+1]] are the elements word i satisfies.
	elems []int32
	off   []int32
	// joke holds the positions of running words, laugh those of a
	// laugh or a joke.
	joke, laugh []int
}

func (lx *lexicon) read(toks []token) *reading {
	rd := &reading{lx: lx, toks: toks, off: make([]int32, 1, len(toks)+1)}
	// A long message repeats its words: each is looked up once.
	seen := map[token][2]int32{}
	for i, t := range toks {
		if prev, ok := seen[t]; ok && !t.brk {
			rd.elems = append(rd.elems, rd.elems[prev[0]:prev[1]]...)
			rd.markJoke(i, int(prev[0]), int(prev[1]), t)
			rd.off = append(rd.off, int32(len(rd.elems)))
			continue
		}
		if !t.brk {
			start := len(rd.elems)
			// A word the lexicon knows in any language is not a typo of
			// another word ("устала" is not "ұстара").
			known := false
			for lang := range numLangs {
				known = lx.lookup(rd, start, lang, t.form(lang), nil) || known
			}
			if !known {
				for lang := range numLangs {
					if f := t.form(lang); utf8.RuneCountInString(f) >= typoMin[lang]-1 {
						lx.lookup(rd, start, lang, f, []rune(f))
					}
				}
			}
			rd.markJoke(i, start, len(rd.elems), t)
			seen[t] = [2]int32{int32(start), int32(len(rd.elems))}
		}
		rd.off = append(rd.off, int32(len(rd.elems)))
	}
	return rd
}

// markJoke notes word i, whose elements are elems[from:to], if it is a
// running word or a distance ("10k", "21км"), or a laugh.
func (rd *reading) markJoke(i, from, to int, t token) {
	running, laugh := isDistance(t.latin) || t.latin == "" && isDistance(t.ru), false
	for lang := range numLangs {
		if lang != langEN && t.latin != "" && len(t.latin) < 4 {
			continue // a short Latin word is English: "or" is not "ор"
		}
		running = running || containsInt32(rd.elems[from:to], int32(rd.lx.jokeElem[lang]))
		laugh = laugh || containsInt32(rd.elems[from:to], int32(rd.lx.laughElem[lang]))
	}
	if running {
		rd.joke = append(rd.joke, i)
	}
	if laugh {
		rd.laugh = append(rd.laugh, i)
	}
}

// isDistance reports whether w is a number with a unit of distance
// ("10k", "5км", "21km"), not any number with letters ("9th").
func isDistance(w string) bool {
	unit := strings.TrimLeft(w, "0123456789")
	return unit != w && distanceUnits[unit]
}

var distanceUnits = map[string]bool{"k": true, "km": true, "kms": true, "к": true, "км": true, "m": true, "м": true, "mi": true, "miles": true}

// lookup adds to the word's elements (from start on) those of the
// lexicon words of lang that f matches: exactly, or with one typo when
// wr (f's letters) is given. It reports whether any matched.
func (lx *lexicon) lookup(rd *reading, start, lang int, f string, wr []rune) bool {
	if f == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(f)
	hit := false
	for _, id := range lx.buckets[lang][first] {
		l := &lx.lits[id]
		if wr == nil && !exactMatch(l, f) || wr != nil && !typoMatch(l, wr) {
			continue
		}
		hit = true
		for _, e := range lx.litElems[id] {
			if !containsInt32(rd.elems[start:], int32(e)) {
				rd.elems = append(rd.elems, int32(e))
			}
		}
	}
	return hit
}

func containsInt32(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// has reports whether word i satisfies element e.
func (rd *reading) has(i, e int) bool {
	return i >= 0 && i < len(rd.toks) && containsInt32(rd.elems[rd.off[i]:rd.off[i+1]], int32(e))
}

// negated reports whether word i follows a negation of lang.
func (rd *reading) negated(i, lang int) bool {
	return i > 0 && rd.lx.negs[lang][rd.toks[i-1].form(lang)]
}

// matchAt reports whether rule r matches with its first element (for a
// co-occurrence rule: any element) at word i, and the words it spans.
func (rd *reading) matchAt(r *rule, i int) (ok bool, lo, hi int) {
	if r.negatable && rd.negated(i, r.lang) {
		return false, 0, 0
	}
	switch {
	case r.whole:
		k := 0
		for j, t := range rd.toks {
			if t.brk {
				continue
			}
			if k >= len(r.elems) || !rd.has(j, r.elems[k]) {
				return false, 0, 0
			}
			k++
		}
		return k == len(r.elems), 0, len(rd.toks) - 1
	case r.cooc:
		lo, hi = i, i
		for _, e := range r.elems {
			found := false
			for j := max(0, i-coocWindow); j <= i+coocWindow && j < len(rd.toks); j++ {
				if rd.has(j, e) && (j == i || !rd.negated(j, r.lang)) {
					found = true
					lo, hi = min(lo, j), max(hi, j)
					break
				}
			}
			if !found {
				return false, 0, 0
			}
		}
		return true, lo, hi
	}
	end := rd.seq(r, 0, i)
	return end >= 0, i, end
}

// seq matches r's elements from k on, element k at word i: the word of
// its last element, or -1.
func (rd *reading) seq(r *rule, k, i int) int {
	if !rd.has(i, r.elems[k]) || (r.not[k] >= 0 && rd.has(i+1, r.not[k])) {
		return -1
	}
	if k+1 == len(r.elems) {
		return i
	}
	for j := i + 1; j <= i+1+maxGap && j < len(rd.toks); j++ {
		if end := rd.seq(r, k+1, j); end >= 0 {
			return end
		}
	}
	return -1
}

// errandProne reports whether the rule is an uncertain signal that
// people also write about the bot's errands: hopelessness or a farewell
// at the possible level ("I can't take it anymore, this app is so
// slow", "простите меня за всё, я перепутала размеры").
func (r *rule) errandProne() bool {
	return r.errand || r.level == Possible && (r.cat == "hopeless" || r.cat == "farewell")
}

// errandBefore and errandAfter are how near an errand word must stand to
// an uncertain signal, before it and after it, to take it back.
const errandBefore, errandAfter = 4, 8

// nearErrand reports whether an errand, running or joke word stands near
// word i: mostly after it, where the object of the complaint is.
func (rd *reading) nearErrand(r *rule, lo, hi int) bool {
	for j := max(0, lo-errandBefore); j <= hi+errandAfter && j < len(rd.toks); j++ {
		if j >= lo && j <= hi && rd.ruleWord(r, j) || rd.contrastBetween(j, lo) {
			continue // the rule's own words ("нечего ждать") are not an errand
		}
		if rd.guardWord(j, &rd.lx.errandElem) || rd.guardWord(j, &rd.lx.jokeElem) || rd.guardWord(j, &rd.lx.laughElem) {
			return true
		}
	}
	return false
}

// ruleWord reports whether word j is one of rule r's words.
func (rd *reading) ruleWord(r *rule, j int) bool {
	for _, e := range r.elems {
		if rd.has(j, e) {
			return true
		}
	}
	return false
}

// guardWord reports whether word j satisfies a guard element of one of
// the languages. A short Latin word is read as English only: "or" is
// not the Kazakh laugh "ор".
func (rd *reading) guardWord(j int, elems *[numLangs]int) bool {
	t := rd.toks[j]
	for lang := range numLangs {
		if lang != langEN && t.latin != "" && len(t.latin) < 4 {
			continue
		}
		if rd.has(j, elems[lang]) {
			return true
		}
	}
	return false
}

// nearThird reports whether a word for someone else stands near word i.
func (rd *reading) nearThird(lo, hi int) bool {
	for j := max(0, lo-jokeWindow); j <= hi+jokeWindow && j < len(rd.toks); j++ {
		if rd.guardWord(j, &rd.lx.thirdElem) {
			return true
		}
	}
	return false
}

// runningBefore and runningAfter are how near a running word must stand
// to a hyperbole-prone rule to take it back: close, as in "I'm gonna die
// on that hill", not "I signed up for the race but I want to die". A
// laugh takes it back within jokeWindow.
const runningBefore, runningAfter = 4, 5

// nearJoke reports whether a laugh, or a running word close by, stands
// near the words lo to hi. A running word in another clause ("…, but I
// want to die") does not count; after a crisis rule not even behind a
// "but" ("I want to die but I still run" is a crisis, "бәрінен
// шаршадым, бірақ жүгіремін" is not).
func (rd *reading) nearJoke(lo, hi int, crisis bool) bool {
	for _, j := range rd.laugh {
		if j >= lo-jokeWindow && j <= hi+jokeWindow {
			return true
		}
	}
	for _, j := range rd.joke {
		if j >= lo-runningBefore && j <= hi+runningAfter && !rd.contrastBetween(j, lo) && !(crisis && rd.contrastBetween(hi, j)) {
			return true
		}
	}
	return false
}

// contrastBetween reports whether a "but" stands between words j and i
// (false unless j is before i).
func (rd *reading) contrastBetween(j, i int) bool {
	for k := j + 1; k < i; k++ {
		for lang := range numLangs {
			// A Latin word is an English "but" only: "no" is not "но",
			// "a" not "а".
			if (lang == langEN || rd.toks[k].latin == "") && rd.has(k, rd.lx.contrastElem[lang]) {
				return true
			}
		}
	}
	return false
}

// found is what the rules found in a message.
type found struct {
	level  Level
	signal bool
	// langs[l]: a rule of language l matched (at a level, or a signal).
	langs [numLangs]bool
	rules []int
}

func (rd *reading) assess(aboutChild bool) found {
	var f found
	var levelLangs [numLangs]bool
	seek := false
	for i := range rd.toks {
		for _, e := range rd.elems[rd.off[i]:rd.off[i+1]] {
			for _, id := range rd.lx.byFirst[e] {
				r := &rd.lx.rules[id]
				isSeek := r.cat == "seek"
				if (r.topic && aboutChild) || (r.level < f.level && (!isSeek || seek)) {
					continue
				}
				ok, lo, hi := rd.matchAt(r, i)
				if !ok {
					continue
				}
				f.signal = true
				f.langs[r.lang] = true
				if r.level == None || (r.joke && rd.nearJoke(lo, hi, r.level == Crisis)) || (r.third && rd.nearThird(lo, hi)) || (r.errandProne() && rd.nearErrand(r, lo, hi)) {
					continue
				}
				seek = seek || isSeek
				if r.level < f.level {
					continue
				}
				if r.level > f.level {
					f.level = r.level
					levelLangs = [numLangs]bool{}
					f.rules = f.rules[:0]
				}
				levelLangs[r.lang] = true
				f.rules = append(f.rules, id)
			}
		}
	}
	if f.level == Possible && seek && rd.onlyHopeless(f.rules) {
		// "у меня больше нет сил, помогите советом куда обратиться":
		// hopelessness with an explicit request for advice is asking
		// for help.
		f.level = Help
	}
	if f.level > None {
		f.langs = levelLangs
	}
	return f
}

// onlyHopeless reports whether all the rules are of hopelessness.
func (rd *reading) onlyHopeless(rules []int) bool {
	for _, id := range rules {
		if rd.lx.rules[id].cat != "hopeless" {
			return false
		}
	}
	return true
}
