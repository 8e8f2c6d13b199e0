// Package distress tells whether a message signals distress: a crisis
// (suicide, self-harm, wanting to die, immediate danger), a possible
// crisis that needs a direct check question, or a request for
// psychological help. It is pure Go and knows nothing of the
// conversation: flows calls Assess on every text a user types.
package distress

import (
	"strings"
	"unicode"
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

// phrase is one way of saying something the help flow answers. Its words
// are normalized like a message; a word ending in '*' is a stem and
// matches every word that starts with it. Between two words of a phrase
// up to maxGap other words may stand ("не хочу больше жить"). A word
// starting with '!' must not be the next word ("anxious !to": not
// "anxious to know the route").
type phrase struct {
	words []string
	// whole: the message is this phrase and nothing else ("тревога").
	whole bool
	// topic: the phrase names a condition rather than the writer's own
	// state ("self-harm", "тревожность"). A parent describing their
	// child's support needs writes such words about the child, so they
	// are not matched there.
	topic bool
	lang  string
	kind  Level
}

const maxGap = 2

// Phrase lists. Prefixes: "=" the whole message, "~" a topic. Each list
// is tested with examples in distress_test.go, and with examples that
// must NOT match (jokes, "help me register"): keep both lists growing.
var phraseSpecs = []struct {
	lang string
	kind Level
	list []string
}{
	{"en", Crisis, []string{
		"kill myself", "killing myself", "end my life", "end my own life", "take my own life", "take my life",
		"end it all", "suicid*", "want to die", "wanna die", "wish i was dead", "wish i were dead",
		"better off dead", "dont want to live", "dont want to be alive", "do not want to live",
		"no reason to live", "nothing to live for", "tired of living", "tired of life",
		"hurt myself", "harm myself", "cut myself", "cutting myself", "~self harm*", "~self injur*",
		"dont want to wake up", "want to disappear", "goodbye forever",
	}},
	{"ru", Crisis, []string{
		"покончи* с собой", "покончи* с жизнью", "убить себя", "убью себя", "суицид*", "самоубийств*",
		"не хоч* жить", "жить не хоч*", "хоч* умереть", "умереть хоч*", "хоч* сдохнуть", "лучше бы я умер*",
		"устал* от жизни", "устал* жить", "смысла жить", "незачем жить", "жизнь не имеет смысла",
		"счеты с жизнью", "на себя руки", "режу себя", "резать себя", "порезать себя", "порежу себя",
		"вскр* вены", "причин* себе вред", "навредить себе", "~самоповрежд*", "~селфхарм*",
		"хоч* исчезнуть", "не хоч* просыпаться",
	}},
	{"kk", Crisis, []string{
		"өзімді өлтір*", "өлгім келед*", "өлгім келіп", "өлгім кеп", "өмір сүргім келмей*",
		"тірі жүргім келмей*", "өмірден шарша*", "өмір* мәні жоқ", "өзіме қол жұмса*",
		"өзін өзі өлтір*", "өзіме зиян келтір*", "~өзіне зиян келтір*", "жоғалғым келед*",
		"жоғалып кеткім келед*", "оянғым келмей*",
	}},
	{"en", Help, []string{
		"~psycholog*", "~psychiatr*", "~psychotherap*", "~therapist*", "~counsel*", "~anxiety", "~anxious !to", "~depress*",
		"~panic attack*", "=panic", "im panicking", "~burnout", "burn* out", "cant cope", "cannot cope",
		"can not cope", "not coping", "im not ok*", "i am not ok*", "=not ok*", "feel hopeles*",
		"feel lonel*", "feel empty", "feel terrible", "feel awful", "feel so bad", "~overwhelm*",
		"need someone to talk", "need to talk to someone", "need support", "=support", "get support",
		"find support", "emotional support", "mental health support", "mental health help",
		"where to turn", "helpline*", "hotline*", "~autism support",
		"support for autis*",
	}},
	{"ru", Help, []string{
		"~психолог*", "~психотерапевт*", "~психиатр*", "~депресси*", "~тревог*", "~тревож*", "=паника",
		"у меня паника", "~паническ* атак*", "~выгоран*", "выгорел*", "не справляюсь", "нет сил", "сил нет",
		"=мне плохо", "мне очень плохо", "мне так плохо", "=мне тяжело", "мне очень тяжело", "мне одиноко",
		"=одиноко", "чувствую себя одинок*", "чувствую себя ужасно", "не знаю куда обратит*",
		"не знаю к кому обратит*", "куда обратиться за помощью", "найти поддержк*", "получить поддержк*",
		"нужна поддержк*", "=поддержка", "телефон доверия", "плачу каждый день", "постоянно плачу",
		"перестать плакать", "поддержк* семей",
	}},
	{"kk", Help, []string{
		"психолог көмег*", "~мазасыз*", "уайымдап жүрмін", "уайымдаймын", "~күйзел*", "~үрей*",
		"~дүрбелең*", "жалғызбын", "~жалғыздық*", "шаршап біт*", "күшім қалмады", "әлім қалмады",
		"шыдамым таусыл*", "төзімім таусыл*", "қолдау керек", "қолдау қажет", "маған қолдау",
		"қайда жүгінер*", "кімге жүгінер*", "қайдан көмек", "=маған жаман", "өзімді жаман сезін*",
		"жылай бер*", "сенім телефон*",
	}},
}

var phrases = compilePhrases()

func compilePhrases() []phrase {
	var out []phrase
	for _, spec := range phraseSpecs {
		for _, s := range spec.list {
			p := phrase{lang: spec.lang, kind: spec.kind}
			for {
				if rest, ok := strings.CutPrefix(s, "="); ok {
					p.whole, s = true, rest
				} else if rest, ok := strings.CutPrefix(s, "~"); ok {
					p.topic, s = true, rest
				} else {
					break
				}
			}
			p.words = patternWords(s)
			out = append(out, p)
		}
	}
	return out
}

// patternWords normalizes a phrase or keyword, keeping the '*' of stems.
func patternWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		if not, ok := strings.CutPrefix(w, "!"); ok {
			out = append(out, "!"+strings.Join(words(not), ""))
			continue
		}
		stem := strings.HasSuffix(w, "*")
		for _, n := range words(strings.TrimSuffix(w, "*")) {
			if n != breakWord {
				out = append(out, n)
			}
		}
		if stem && len(out) > 0 {
			out[len(out)-1] += "*"
		}
	}
	return out
}

// negations before a phrase turn it around: "I don't want to die" is not
// "want to die". Only a word right before the phrase counts.
var negations = map[string]bool{
	"не": true, "ни": true, "dont": true, "not": true, "never": true,
	"doesnt": true, "didnt": true, "wont": true, "wouldnt": true,
}

// breakWord stands for punctuation between words: it never matches and
// it separates a negation from what follows ("Не. Хочу умереть").
const breakWord = "|"

// kazakhLetters are the letters only Kazakh of the bot's languages has.
const kazakhLetters = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"

// fold maps Kazakh letters to the Russian letters people type without a
// Kazakh keyboard, so one list matches both spellings.
var fold = strings.NewReplacer(
	"ә", "а", "ғ", "г", "қ", "к", "ң", "н", "ө", "о", "ұ", "у", "ү", "у", "һ", "х", "і", "и", "ё", "е",
)

// latinInCyrillic maps Latin letters that look like Cyrillic ones, used
// inside Cyrillic words ("жаксы" typed with a Latin "a").
var latinInCyrillic = strings.NewReplacer(
	"a", "а", "e", "е", "o", "о", "c", "с", "p", "р", "x", "х", "y", "у", "k", "к", "i", "и",
)

// words normalizes a message for matching: lower case, ё→е, Kazakh
// letters folded, apostrophes dropped ("don't" → "dont"), other
// punctuation a word break, repeated letters collapsed ("плохооо" →
// "плохо"), Latin look-alikes inside Cyrillic words made Cyrillic.
func words(s string) []string {
	s = fold.Replace(strings.ToLower(s))
	var b strings.Builder
	var last rune
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if r == last && unicode.IsLetter(r) {
				continue
			}
			b.WriteRune(r)
		case r == '-' || unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteString(" " + breakWord + " ")
		}
		last = r
	}
	out := strings.Fields(b.String())
	for i, w := range out {
		if hasCyrillic(w) {
			out[i] = latinInCyrillic.Replace(w)
		}
	}
	return out
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

func wordMatches(pattern, w string) bool {
	if stem, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(w, stem)
	}
	return pattern == w
}

// matches reports whether the phrase occurs in the message's words.
func (p phrase) matches(ws []string) bool {
	if p.whole {
		var content []string
		for _, w := range ws {
			if w != breakWord {
				content = append(content, w)
			}
		}
		if len(content) != len(p.words) {
			return false
		}
		for i, w := range content {
			if !wordMatches(p.words[i], w) {
				return false
			}
		}
		return true
	}
	return containsPhrase(p.words, ws, true)
}

// containsPhrase reports whether pattern words occur in ws in order, with
// up to maxGap other words between them; with negatable, not right after
// a negation.
func containsPhrase(pattern, ws []string, negatable bool) bool {
	for i, w := range ws {
		if !wordMatches(pattern[0], w) {
			continue
		}
		if negatable && i > 0 && negations[ws[i-1]] && !negations[pattern[0]] {
			continue
		}
		if matchRest(pattern[1:], ws[i+1:]) {
			return true
		}
	}
	return false
}

func matchRest(pattern, ws []string) bool {
	if len(pattern) == 0 {
		return true
	}
	if not, ok := strings.CutPrefix(pattern[0], "!"); ok {
		return (len(ws) == 0 || !wordMatches(not, ws[0])) && matchRest(pattern[1:], ws)
	}
	for i := 0; i <= maxGap && i < len(ws); i++ {
		if wordMatches(pattern[0], ws[i]) && matchRest(pattern[1:], ws[i+1:]) {
			return true
		}
	}
	return false
}

// maxAssessed bounds the text read by Assess; a longer message is read
// from its start. Messengers cap a message at 4,096 characters.
const maxAssessed = 2 * 4096

// Assess tells whether a message is a crisis, a possible crisis or asks
// for help, and the language it is written in.
func Assess(text string, o Options) Result {
	aboutChild := o.AboutChild
	if r := []rune(text); len(r) > maxAssessed {
		text = string(r[:maxAssessed])
	}
	ws := words(text)
	found, kk := None, false
	for _, p := range phrases {
		if (p.topic && aboutChild) || p.kind < found || !p.matches(ws) {
			continue
		}
		found = p.kind
		kk = kk || p.lang == "kk"
	}
	if found == None {
		return Result{}
	}
	return Result{Level: found, Lang: textLang(text, ws, kk), Signal: true}
}

// kazakhWords are common Kazakh words, folded, that tell Kazakh typed
// without Kazakh letters from Russian.
var kazakhWords = map[string]bool{
	"мен": true, "маган": true, "менин": true, "керек": true, "жок": true, "емес": true, "кандай": true,
	"калай": true, "кашан": true, "рахмет": true, "салем": true, "жане": true, "ушин": true, "болады": true,
	"бала": true, "баламды": true, "баланы": true, "комек": true, "омир": true, "кайда": true, "кимге": true,
}

// textLang is the language a message is written in: Kazakh letters mean
// Kazakh; other Cyrillic means Russian, or Kazakh if its words are
// Kazakh; Latin means English. kk says a Kazakh phrase matched.
func textLang(text string, ws []string, kk bool) string {
	if strings.ContainsAny(text, kazakhLetters) || kk {
		return "kk"
	}
	cyrillic, latin := false, false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic = true
		case unicode.Is(unicode.Latin, r):
			latin = true
		}
	}
	switch {
	case cyrillic:
		for _, w := range ws {
			if kazakhWords[w] {
				return "kk"
			}
		}
		return "ru"
	case latin:
		return "en"
	}
	return ""
}

// helpWords are the words of a request for the bot's own help: "help me
// register", "помогите с регистрацией", "көмектесіңізші". Whole words,
// folded, so that a surname such as Көмеков is still a name.
var helpWords = map[string]bool{
	"help": true, "helpme": true,
	"помогите": true, "помоги": true, "помочь": true, "помощь": true, "помощи": true,
	"комек": true, "комектесиниз": true, "комектесинизши": true, "комектесши": true, "комектесе": true,
	"комектесесиз": true, "комектесесизбе": true, "комеги": true, "комегиниз": true,
}

// AsksBotHelp reports whether a message asks for help that is not
// distress: it gets the bot's own help.
func AsksBotHelp(text string) bool {
	for _, w := range words(text) {
		if helpWords[w] {
			return true
		}
	}
	return false
}

// Normalized is a text normalized as Assess reads it, for other
// matchers of typed text (the FAQ's keywords) to share its rules.
type Normalized []string

// Normalize normalizes text as Assess does.
func Normalize(text string) Normalized { return words(text) }

// HasStems reports whether the words of phrase, each taken as a stem,
// occur in n in order, with up to two other words between them.
func (n Normalized) HasStems(phrase string) bool {
	var stems []string
	for _, w := range words(phrase) {
		if w != breakWord {
			stems = append(stems, w+"*")
		}
	}
	return len(stems) > 0 && containsPhrase(stems, n, false)
}
