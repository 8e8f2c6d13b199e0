package distress

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// firstPersonWords are the first-person pronouns in Kazakh and
// Russian, and first-person verbs that cannot be the end of a name, as
// skeletons (see Normalize): Latin typing is read through its Russian and
// Kazakh transliterations ("mne", "magan", "hochu"). A name question
// holds none of them: a text with one is a sentence about its writer.
// "нам" and "нас" are left out: Нам is a common Korean surname in
// Kazakhstan.
var firstPersonWords = skeletons(
	// Kazakh: мен, маған, мені, менде, менен, өзім, біз...
	"мен", "маған", "мені", "менде", "менен", "менімен", "өзім", "өзіме", "өзімді", "өзімнің", "өзімде",
	"біз", "бізге", "бізді", "өзіміз",
	// Russian: я, мне, меня, мы. Not себя or сам: they are any person.
	"я", "мне", "меня", "мной", "мною", "мы",
	// Russian verbs in the first person that no name ends with.
	"хочу", "могу", "буду", "живу", "иду", "ухожу", "прошу", "плачу", "сплю", "люблю", "ненавижу", "пишу",
	"скажу", "вижу", "сижу", "стою", "боюсь", "держусь",
)

// possessives are the first-person possessive pronouns ("my son"): a
// text with one speaks of something of its writer's, not always of the
// writer.
var possessives = skeletons(
	"менің", "біздің",
	"мой", "моя", "моё", "мои", "моего", "моей", "моему", "моих", "моим", "мою",
	"наш", "наша", "наше", "наши", "нашей", "нашего",
)

// english are the English first-person words, as typed, apostrophes
// dropped ("I'm" → "im"); true for the possessives. A Latin word that is
// one of them is read as English only: "my" is not Russian "мы".
var english = map[string]bool{
	"i": false, "me": false, "myself": false, "im": false, "ive": false, "id": false, "ill": false,
	"we": false, "us": false, "ourselves": false,
	"my": true, "mine": true, "our": true,
}

func skeletons(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[skeleton(w)] = true
	}
	return m
}

// kazakhFirstPerson are endings of Kazakh verbs in the first person
// (жүрмін, білмеймін, шаршадым), as written with Kazakh letters,
// in the official Latin alphabet and in plain ASCII. Endings with и or
// Latin i are left out, since Russian keyboards and ASCII fold Kazakh і
// into them and names end so: Вениамин, Вадим, Benjamin.
var kazakhFirstPerson = []string{
	"мын", "мін", "мыз", "міз", "пын", "пін", "пыз", "піз", "бын", "бін", "быз", "біз",
	"дым", "дім", "тым", "тім",
	"myn", "mın", "myz", "mız", "pyn", "pın", "byn", "bın", "dym", "dım", "tym", "tım",
}

// russianFirstPerson are endings of Russian verbs in the first person
// singular that no name of the bot's users ends with: чувствую,
// понимаю, гуляю, справляюсь.
var russianFirstPerson = []string{"аю", "яю", "ую", "юсь"}

// minSuffixWord is the shortest word whose ending is read as a verb's:
// short names (Раю, Ая) stay names.
const minSuffixWord = 5

// FirstPerson reports whether text speaks of its writer: a first-person
// pronoun or verb in Kazakh, Russian or English ("мен", "маған",
// "жүрмін", "я", "мне", "чувствую", "I", "my", "I'm"). A person's name
// has none, so a name question takes such a text for a sentence.
func FirstPerson(text string) bool { return firstPerson(text, true) }

// SpeaksOfSelf is FirstPerson without the possessive pronouns: "my son
// is anxious" speaks of the son, "I am anxious" and "у меня депрессия"
// of the writer.
func SpeaksOfSelf(text string) bool { return firstPerson(text, false) }

func firstPerson(text string, possessive bool) bool {
	for _, t := range Normalize(text) {
		if t.brk {
			continue
		}
		if poss, ok := english[t.latin]; ok {
			if possessive || !poss {
				return true
			}
			continue
		}
		for _, f := range [...]string{t.ru, t.kk} {
			if firstPersonWords[f] || possessive && possessives[f] {
				return true
			}
		}
	}
	// Endings are read on the words as typed: a skeleton would make the
	// Kazakh -мін the -мин of Вениамин.
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(w) >= minSuffixWord && (hasSuffix(w, kazakhFirstPerson) || hasSuffix(strings.ReplaceAll(w, "ё", "е"), russianFirstPerson)) {
			return true
		}
	}
	return false
}

func hasSuffix(w string, endings []string) bool {
	for _, e := range endings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// WordCount is the number of words in text, as Normalize reads them.
func WordCount(text string) int {
	n := 0
	for _, t := range Normalize(text) {
		if !t.brk {
			n++
		}
	}
	return n
}

// Has reports whether word is one of the words of n, read as Normalize
// reads them: a word in Latin letters as typed, a Cyrillic one by its
// skeleton, which also finds it typed in Latin letters ("net" for
// "нет").
func (n Normalized) Has(word string) bool {
	for _, t := range n {
		if sameWord(t, word) {
			return true
		}
	}
	return false
}

// First reports whether the first word of n is one of words.
func (n Normalized) First(words ...string) bool {
	for _, t := range n {
		if t.brk {
			continue
		}
		for _, w := range words {
			if sameWord(t, w) {
				return true
			}
		}
		return false
	}
	return false
}

func sameWord(t token, word string) bool {
	if t.brk {
		return false
	}
	for _, w := range tokenize(word) {
		switch {
		case w.brk:
		case w.latin != "":
			return t.latin == w.latin
		default:
			return t.ru == w.ru || t.kk == w.kk
		}
	}
	return false
}
