package distress

import (
	"strings"
	"testing"
)

// readings is a message's words as the lexicon of lang reads them.
func readings(text string, lang int) string {
	var out []string
	for _, t := range tokenize(text) {
		if t.brk {
			out = append(out, "|")
			continue
		}
		out = append(out, t.form(lang))
	}
	return strings.Join(out, " ")
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		text string
		lang int
		want string
	}{
		// Lower case, ё→е, repeated letters, punctuation, emoji.
		{"ЖИТЬ НЕ ХОЧЕТСЯЯЯ!!!", langRU, "жит не хочется |"},
		{"Всё. Ёлка", langRU, "все | елка"},
		{"плохооо 😭 хаха 😂", langRU, "плохо | хаха хаха"},
		{"I don't want to live", langEN, "i dont want to live"},
		{"sooo tired", langEN, "so tired"},
		{"self-harm", langEN, "self harm"},
		// Kazakh letters folded as typed on a Russian keyboard.
		{"өлгім келеді", langKK, "олгим келеди"},
		{"Олгим келеди", langKK, "олгим келеди"},
		{"қолымды", langKK, "колимди"},
		// Latin look-alikes inside a Cyrillic word.
		{"жaксы", langRU, "жакси"},
		// Soft signs and щ, ц as translit writes them.
		{"хочеться", langRU, "хочется"},
		{"ещё", langRU, "еше"},
		{"10 км", langRU, "10 км"},
		// "не" joined to a verb, as typed in a hurry.
		{"нехочу жить", langRU, "не хочу жит"},
		{"немогу больше", langRU, "не могу болше"},
		{"нежно", langRU, "нежно"},
	} {
		if got := readings(tc.text, tc.lang); got != tc.want {
			t.Errorf("%q as %s: %q, want %q", tc.text, langNames[tc.lang], got, tc.want)
		}
	}
}

func TestTranslit(t *testing.T) {
	for _, tc := range []struct {
		latin string
		lang  int
		// want is the Cyrillic the reading must equal (as a skeleton).
		want string
	}{
		{"ne hochu zhit", langRU, "не хочу жить"},
		{"ho4u umeret'", langRU, "хочу умереть"},
		{"ya ustala ot zhizni", langRU, "я устала от жизни"},
		{"pokonchit s soboi", langRU, "покончить с собой"},
		{"shchas", langRU, "щас"},
		{"zhit ne hochetsya", langRU, "жить не хочется"},
		{"khochu", langRU, "хочу"},
		{"yolka", langRU, "ёлка"},
		{"ya reshila ujti", langRU, "я решила уйти"},
		{"moj", langRU, "мой"},
		{"jit", langRU, "жить"},
		{"olgim keledi", langKK, "өлгім келеді"},
		{"ölgım keledı", langKK, "өлгім келеді"},
		{"ozimdi oltirgim keledi", langKK, "өзімді өлтіргім келеді"},
		{"qaiğy", langKK, "қайғы"},
		{"şarşadym", langKK, "шаршадым"},
		{"jalğyzbyn", langKK, "жалғызбын"},
		{"zhalgyzbyn", langKK, "жалғызбын"},
		{"mening", langKK, "менің"},
		{"kongilim", langKK, "көңілім"},
		{"ömir süruge küşim joq", langKK, "өмір сүруге күшім жоқ"},
	} {
		if got, want := readings(tc.latin, tc.lang), readings(tc.want, tc.lang); got != want {
			t.Errorf("%q as %s: %q, want %q (%q)", tc.latin, langNames[tc.lang], got, want, tc.want)
		}
	}
	// English words stay English: their Latin reading is the word.
	if got := readings("I want to die", langEN); got != "i want to die" {
		t.Errorf("English read as %q", got)
	}
}

func TestTypoTolerance(t *testing.T) {
	stem := func(lang int, w string) *lit {
		f := patternForm(lang, w)
		r := []rune(f)
		return &lit{lang: lang, form: f, runes: r, n: len(r), stem: true, typo: len(r) >= typoMin[lang]}
	}
	for _, tc := range []struct {
		lang       int
		stem, word string
		want       bool
	}{
		{langRU, "умерет", "умиреть", true},       // substitution
		{langRU, "суицид", "суицыд", true},        // substitution (ы)
		{langRU, "суицид", "суиццид", true},       // a doubled letter collapses
		{langRU, "самоубий", "самоубйство", true}, // deletion
		{langRU, "покончит", "поконччить", true},
		{langRU, "покончит", "покнчоить", false}, // two edits
		{langEN, "suicid", "suicdal", false},     // six letters: too short in English
		{langEN, "psycholog", "psychlogist", true},
		{langEN, "psycholog", "psyhcologist", true}, // transposition
		{langEN, "lonely", "lovely", false},
		{langKK, "жалғызсыра", "жалгызсирап", true},
		{langRU, "паник", "паника", true}, // exact prefix
		{langRU, "паник", "пакин", false}, // five letters: no typo
	} {
		l := stem(tc.lang, tc.stem)
		w := readWord(tc.word).form(tc.lang)
		got := exactMatch(l, w) || typoMatch(l, []rune(w))
		if got != tc.want {
			t.Errorf("%q matches stem %q: %v, want %v", tc.word, tc.stem, got, tc.want)
		}
	}
	for _, tc := range []struct{ a, b string }{{"abc", "abc"}, {"abcd", "abc"}, {"abc", "abd"}, {"abc", "acb"}, {"ab", "b"}} {
		if !oneEdit([]rune(tc.a), []rune(tc.b)) {
			t.Errorf("%q and %q: not one edit apart", tc.a, tc.b)
		}
	}
	for _, tc := range []struct{ a, b string }{{"abc", "cab"}, {"abcd", "ab"}, {"abc", "xyc"}} {
		if oneEdit([]rune(tc.a), []rune(tc.b)) {
			t.Errorf("%q and %q: one edit apart", tc.a, tc.b)
		}
	}
}

// Stems cover Russian inflection, gender and aspect and Kazakh
// suffixes: each message is a crisis, however the verb is formed.
func TestStems(t *testing.T) {
	for _, text := range []string{
		"я порезала себе руки", "порезал себе вены", "режу себя", "я снова режусь", "наглоталась таблеток", "наглотался таблеток",
		"хочу умереть", "хочется умереть", "хотела умереть", "покончу с собой", "покончила бы с собой", "думаю о самоубийстве", "самоубийство",
		"өзімді өлтіргім келеді", "өзімді өлтіремін", "өлгім келеді", "өлгім келіп жүр", "өлгім кеп тұр", "өмірден шаршадым", "өмірден түңілдім",
		"қолымды тілдім", "қолымды тіліп жүрмін", "i cut myself", "i've been cutting myself", "i want to kill myself", "killing myself",
	} {
		if r := Assess(text, Options{}); r.Level != Crisis {
			t.Errorf("%q: level %d, want a crisis (%s)", text, r.Level, explain(text, false))
		}
	}
	// "умираю от смеха" is laughter, "умру на этой дистанции" running.
	for _, text := range []string{"умираю от смеха", "я умру на этой дистанции", "өлердей шаршадым бірақ жүгіремін", "күлкіден өлдім"} {
		if r := Assess(text, Options{}); r.Level != None {
			t.Errorf("%q: level %d (%s)", text, r.Level, explain(text, false))
		}
	}
}

// The lexicon has no concept that no rule of its language uses.
func TestLexiconConceptsUsed(t *testing.T) {
	guards := map[string]bool{"joke": true, "laugh": true, "third": true, "errand": true, "contrast": true}
	for lang, cs := range concepts {
		for name := range cs {
			used := guards[name]
			for _, sp := range specs {
				for _, r := range sp.rules {
					used = used || sp.lang == lang && strings.Contains(r, "@"+name)
				}
			}
			if !used {
				t.Errorf("concept %s:@%s is used by no rule", lang, name)
			}
		}
	}
}
