// Package distress tells whether a message signals distress: a crisis
// (suicide, self-harm, wanting to die, immediate danger), a possible
// crisis that needs a direct check question, or a request for
// psychological help. It is pure Go and knows nothing of the
// conversation: flows calls Assess on every text a user types.
package distress

import (
	"strings"
	"unicode/utf8"
)

// Level is what a message tells about its writer, as far as the help
// flow is concerned. Levels are ordered: a higher one wins.
type Level int

const (
	// None: no sign of distress.
	None Level = iota
	// Help: asking for psychological help, naming anxiety, depression,
	// panic, burnout, not knowing where to turn.
	Help
	// Possible: a signal of crisis that is not certain ("no point any
	// more", a farewell): the bot asks a direct check question with the
	// crisis lines already shown.
	Possible
	// Crisis: suicide, self-harm, wanting to die, not wanting to live,
	// immediate danger.
	Crisis
)

// Kind is the level as organizers' counters name it: "crisis" for a
// crisis or a possible one, "support" for a request for help.
func (l Level) Kind() string {
	if l >= Possible {
		return "crisis"
	}
	return "support"
}

// Result is what Assess found in a message.
type Result struct {
	Level Level
	// Lang is the language the message is written in ("kk", "ru",
	// "en"), or "" when it cannot be told.
	Lang string
	// Signal reports any distress signal at all, even one too weak for
	// a level of its own: such a text is never stored as an answer (a
	// name, a contact, a note).
	Signal bool
}

// Options tell Assess where a message was written.
type Options struct {
	// AboutChild is set where a parent describes their child's needs:
	// words naming a condition are about the child there.
	AboutChild bool
}

var lex = compile(concepts, specs, negations, jokeWords())

func jokeWords() map[string][]string {
	out := map[string][]string{}
	for lang, c := range concepts {
		out[lang] = c["joke"]
	}
	return out
}

// Assess tells whether a message is a crisis, a possible crisis or asks
// for help, whether it carries any distress signal, and the language it
// is written in.
func Assess(text string, o Options) Result {
	toks := tokenize(text)
	f := lex.read(toks).assess(o.AboutChild)
	return Result{Level: f.level, Lang: textLang(text, toks, f), Signal: f.signal || f.level > None}
}

// kazakhLetters are the letters only Kazakh of the bot's languages has,
// in Cyrillic and in the Latin alphabets (2021 and 2017).
const kazakhLetters = "әғқңөұүһіӘҒҚҢӨҰҮҺІäğıñöūüşçǵńÄĞÑÖŪÜŞÇ"

// kazakhWords are common Kazakh words (skeletons) that tell Kazakh typed
// without Kazakh letters, in Cyrillic or Latin, from Russian.
var kazakhWords = wordSet(langKK, "мен", "маған", "менің", "мені", "керек", "жоқ", "емес", "қандай", "қалай", "қашан", "рақмет", "рахмет",
	"сәлем", "сәлеметсіз", "және", "үшін", "болады", "бала", "баламды", "баланы", "балам", "көмек", "өмір", "қайда", "кімге", "келеді",
	"бар", "ма", "ме", "ба", "бе", "па", "пе", "ғой", "ғана", "бірақ", "неге", "енді", "бәрі", "өзім", "өзімді", "кеше", "бүгін", "ертең", "жақсы",
	"жаман", "шаршадым", "жүгіремін", "тіркелу", "тіркелуге", "қалды", "алмаймын", "білмеймін", "туралы", "ойлаймын", "деймін", "екен", "жатыр", "сосын",
	"басталды", "болды", "бітті", "кетті", "жүр", "тұр", "отыр", "деп", "сияқты", "қатты", "өте", "тым", "жоқпын", "бармын", "біз", "сіз", "сен", "ол", "менде",
	"балама", "баламның", "қойды", "істерімді", "қабылдай", "бәрін", "бәріне", "болса", "болсам")

// russianWords are common Russian words (skeletons) that tell Russian
// translit from English ("ne hochu zhit").
var russianWords = wordSet(langRU, "не", "я", "мне", "меня", "хочу", "хочется", "жить", "ты", "мы", "как", "что", "это", "когда", "где",
	"спасибо", "привет", "здравствуйте", "помогите", "пожалуйста", "да", "нет", "все", "всё", "уже", "больше", "очень", "просто", "так",
	"сил", "могу", "можно", "надо", "нужно", "ничего", "никто", "устала", "устал", "умереть", "себя", "с", "и", "в", "на", "от", "за", "бы", "тоже", "сегодня",
	"у", "опять", "снова", "очень", "думаю", "о", "про", "тебя", "нужен", "нужна", "срочно", "просто", "вообще", "сейчас", "ещё", "он", "она", "мой", "моя", "меня", "его", "если", "или", "но", "а", "по", "до", "из", "чтобы", "хочется", "быть", "есть", "был", "была")

// englishWords are common English words that tell English from
// translit when nothing else does.
var englishWords = wordSet(langEN, "i", "im", "the", "to", "and", "a", "is", "you", "my", "me", "it", "of", "in", "for", "on", "do", "dont",
	"can", "cant", "want", "what", "how", "when", "where", "this", "that", "with", "be", "have", "am", "are", "so", "just", "no", "not", "help",
	"please", "thanks", "hi", "hello", "anymore", "feel", "all", "everything", "life", "register", "run", "race")

func wordSet(lang int, ws ...string) map[string]bool {
	out := map[string]bool{}
	for _, w := range ws {
		out[patternForm(lang, w)] = true
	}
	return out
}

// textLang is the language a message is written in. Kazakh letters mean
// Kazakh. Otherwise each language scores its common words and a point
// if its rules matched: other Cyrillic is Russian unless Kazakh scores
// higher; Latin is English unless Russian or Kazakh translit scores
// higher ("ne hochu zhit", "olgim keledi").
func textLang(text string, toks []token, f found) string {
	if strings.ContainsAny(text, kazakhLetters) {
		return "kk"
	}
	var cyrillic, latin int
	var score [numLangs]int
	for lang := range numLangs {
		if f.langs[lang] {
			score[lang]++
		}
	}
	for _, t := range toks {
		switch {
		case t.brk || t.latin == t.ru && t.ru == t.kk:
			continue // a break or a number
		case t.latin == "":
			cyrillic++
			if russianWords[t.ru] {
				score[langRU]++
			}
		default:
			latin++
			if russianWords[t.ru] {
				score[langRU]++
			}
			if englishWords[t.latin] {
				score[langEN]++
			}
		}
		if kazakhWords[t.kk] || kazakhEnding(t.kk) {
			score[langKK]++
		}
	}
	switch {
	case cyrillic >= latin && cyrillic > 0:
		if score[langKK] > score[langRU] {
			return "kk"
		}
		return "ru"
	case latin > 0:
		switch {
		case score[langKK] > score[langEN] && score[langKK] >= score[langRU]:
			return "kk"
		case score[langRU] > score[langEN]:
			return "ru"
		}
		return "en"
	}
	return ""
}

// kazakhEnding reports whether a word (a skeleton) ends as Kazakh verbs
// of the first person do (-мын, -мін, -мыз: "депрессиядамын",
// "жүрмін"), which Russian words hardly do.
func kazakhEnding(w string) bool {
	if utf8.RuneCountInString(w) < 5 {
		return false
	}
	for _, end := range []string{"мин", "миз"} {
		if strings.HasSuffix(w, end) && !russianEndingMin[w] {
			return true
		}
	}
	return false
}

// russianEndingMin are Russian words that end like a Kazakh verb.
var russianEndingMin = map[string]bool{"витамин": true, "жасмин": true, "камин": true, "кармин": true, "термин": true, "админ": true}

// helpWords are the words of a request for the bot's own help: "help me
// register", "помогите с регистрацией", "көмектесіңізші". Whole words,
// folded, so that a surname such as Көмеков is still a name.
var helpWords = wordSet(langRU, "помогите", "помоги", "помочь", "помощь", "помощи", "көмек", "көмектесіңіз", "көмектесіңізші", "көмектесші",
	"көмектесе", "көмектесесіз", "көмектесесізбе", "көмегі", "көмегіңіз")

// AsksBotHelp reports whether a message asks for help that is not
// distress: it gets the bot's own help.
func AsksBotHelp(text string) bool {
	for _, t := range tokenize(text) {
		if helpWords[t.ru] || (t.latin != "" && (t.latin == "help" || t.latin == "helpme")) {
			return true
		}
	}
	return false
}
