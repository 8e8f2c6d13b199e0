package distress

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// firstPersonWords are the first-person pronouns, folded as Normalize
// folds them, and first-person verbs that cannot be the end of a name.
// A name question holds none of them: a text with one is a sentence
// about its writer. "нам" and "нас" are left out: Нам is a common
// Korean surname in Kazakhstan.
var firstPersonWords = map[string]bool{
	// Kazakh: мен, менің, маған, мені, менде, менен, өзім, біз...
	"мен": true, "маган": true, "мени": true, "менде": true, "менен": true, "менимен": true,
	"озим": true, "озиме": true, "озимди": true, "озимнин": true, "озимде": true,
	"биз": true, "бизге": true, "бизди": true, "озимиз": true,
	// Kazakh typed in Latin letters.
	"magan": true, "meni": true, "ozim": true, "ozime": true, "ozimdi": true,
	"mağan": true, "özim": true, "özime": true, "özimdi": true,
	// Russian: я, мне, меня, мой... and мы, наш.
	"я": true, "мне": true, "меня": true, "мной": true, "мною": true, "мы": true,
	"себя": true, "сама": true, "сам": true,
	// Russian verbs in the first person that no name ends with.
	"хочу": true, "могу": true, "буду": true, "живу": true, "иду": true, "ухожу": true, "прошу": true,
	"плачу": true, "сплю": true, "люблю": true, "ненавижу": true, "пишу": true, "скажу": true,
	"вижу": true, "сижу": true, "стою": true, "боюсь": true, "держусь": true,
	// Russian typed in Latin letters.
	"ya": true, "mne": true, "menya": true, "moy": true, "moi": true, "moya": true, "hochu": true, "mogu": true,
	// English: I, me, my, I'm, I've... and we, us, our.
	"i": true, "me": true, "myself": true, "im": true, "ive": true, "id": true,
	"ill": true, "we": true, "us": true, "ourselves": true,
}

// possessives are the first-person possessive pronouns ("my son"): a
// text with one speaks of something of its writer's, not always of the
// writer.
var possessives = map[string]bool{
	"менин": true, "бизин": true, "menin": true, "meniñ": true,
	"мой": true, "моя": true, "мое": true, "мои": true, "моего": true, "моей": true, "моему": true, "моих": true,
	"моим": true, "мою": true, "наш": true, "наша": true, "наше": true, "наши": true, "нашей": true, "нашего": true,
	"my": true, "mine": true, "our": true,
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
	for _, w := range Normalize(text) {
		if firstPersonWords[w] || possessive && possessives[w] {
			return true
		}
		if utf8.RuneCountInString(w) >= minSuffixWord && hasSuffix(w, russianFirstPerson) {
			return true
		}
	}
	// Kazakh endings are read on the words as typed: folding Kazakh
	// letters would make -мін the -мин of Вениамин.
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if firstPersonWords[w] || possessive && possessives[w] {
			return true
		}
		if utf8.RuneCountInString(w) >= minSuffixWord && hasSuffix(w, kazakhFirstPerson) {
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
	for _, w := range Normalize(text) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}
