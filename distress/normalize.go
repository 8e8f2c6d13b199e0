package distress

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A message is read as a list of tokens. A word typed in Cyrillic has one
// reading, its skeleton. A word typed in Latin letters has three: the
// word itself (English), and the Cyrillic skeleton of its Russian and of
// its Kazakh transliteration ("zhit" and "olgim"). Every lexicon entry is
// tried against the reading of its own language, so both readings of a
// Latin word are tried and English words stay English.
type token struct {
	// latin is the word as typed in Latin letters: lower case, no
	// apostrophes, repeated letters collapsed; "" for a Cyrillic word.
	latin string
	// ru and kk are the word's Cyrillic skeleton as Russian and as
	// Kazakh read it; for a Cyrillic word they are the same.
	ru, kk string
	// brk marks punctuation between words: it matches nothing.
	brk bool
}

// form is the token's reading in a lexicon language.
func (t token) form(lang int) string {
	switch lang {
	case langEN:
		return t.latin
	case langRU:
		return t.ru
	}
	return t.kk
}

// The lexicon's languages, as indexes.
const (
	langEN = iota
	langRU
	langKK
	numLangs
)

var langNames = [numLangs]string{"en", "ru", "kk"}

// skeletonRunes folds Cyrillic to the letters that tell words apart
// however they are typed: Kazakh letters as typed on a Russian keyboard
// (ә→а, қ→к, і→и…), ё and э as е, ы й і as и, щ as ш, ц as тс ("tsya"
// is -тся), the soft and hard signs dropped (translit rarely writes them).
var skeletonRunes = map[rune]string{
	'ё': "е", 'э': "е", 'ы': "и", 'й': "и", 'і': "и", 'ь': "", 'ъ': "", 'щ': "ш",
	'ә': "а", 'ғ': "г", 'қ': "к", 'ң': "н", 'ө': "о", 'ұ': "у", 'ү': "у", 'һ': "х", 'ц': "тс",
}

// lookalikes are Latin letters that look like Cyrillic ones, typed inside
// Cyrillic words ("жаксы" with a Latin "a").
var lookalikes = map[rune]rune{
	'a': 'а', 'e': 'е', 'o': 'о', 'c': 'с', 'p': 'р', 'x': 'х', 'y': 'у', 'k': 'к', 'i': 'и',
}

// skeleton is a Cyrillic word's skeleton: folded, repeated letters
// collapsed ("плохооо" → "плохо").
func skeleton(w string) string {
	var b strings.Builder
	var last, prev rune
	for _, r := range w {
		if r == prev && !unicode.IsDigit(r) {
			continue // "цц", "ьь"
		}
		prev = r
		if s, ok := skeletonRunes[r]; ok {
			for _, f := range s {
				if f != last {
					b.WriteRune(f)
				}
				last = f
			}
			continue
		}
		if unicode.Is(unicode.Latin, r) {
			if c, ok := lookalikes[r]; ok {
				r = c
			}
		}
		if r != last || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// translitRU is the common Russian translit, longest first: "zh" ж,
// "kh"/"h" х, "ch" ч, "sh" ш, "sch"/"shch" щ, "ts" ц, "ya"/"ja" я,
// "yu"/"ju" ю, "yo"/"jo" ё, "y" ы or й, "'" ь, "4" ч ("ho4u").
var translitRU = []struct{ from, to string }{
	{"shch", "щ"}, {"sch", "щ"}, {"zh", "ж"}, {"kh", "х"}, {"ch", "ч"}, {"sh", "ш"}, {"ts", "ц"}, {"tz", "ц"},
	{"ya", "я"}, {"ja", "я"}, {"yu", "ю"}, {"ju", "ю"}, {"iu", "ю"}, {"ia", "я"}, {"yo", "ё"}, {"jo", "ё"}, {"ye", "е"}, {"je", "е"},
	{"a", "а"}, {"b", "б"}, {"c", "ц"}, {"d", "д"}, {"e", "е"}, {"f", "ф"}, {"g", "г"}, {"h", "х"},
	{"i", "и"}, {"j", "ж"}, {"k", "к"}, {"l", "л"}, {"m", "м"}, {"n", "н"}, {"o", "о"}, {"p", "п"},
	{"q", "к"}, {"r", "р"}, {"s", "с"}, {"t", "т"}, {"u", "у"}, {"v", "в"}, {"w", "в"}, {"x", "х"},
	{"y", "ы"}, {"z", "з"}, {"4", "ч"}, {"ä", "а"}, {"ö", "о"}, {"ü", "у"},
}

// translitKK is Kazakh in Latin letters: the 2021 alphabet (ä ğ ı ñ ö q
// ū ü ş ç, j for ж, y and i for й and і), the 2017 one (á ǵ ń ó ú ý),
// and the plain ASCII people type ("sh", "ch", "zh", "gh", "ng", "o" for
// ө, "u" for ұ and ү).
var translitKK = []struct{ from, to string }{
	{"sh", "ш"}, {"ch", "ч"}, {"zh", "ж"}, {"gh", "ғ"}, {"kh", "х"}, {"ya", "я"}, {"yu", "ю"}, {"iu", "ю"},
	{"a", "а"}, {"ä", "ә"}, {"á", "ә"}, {"b", "б"}, {"c", "с"}, {"ç", "ч"}, {"d", "д"}, {"e", "е"},
	{"f", "ф"}, {"g", "г"}, {"ğ", "ғ"}, {"ǵ", "ғ"}, {"h", "х"}, {"ı", "ы"}, {"i", "і"}, {"j", "ж"},
	{"k", "к"}, {"l", "л"}, {"m", "м"}, {"n", "н"}, {"ñ", "ң"}, {"ń", "ң"}, {"o", "о"}, {"ö", "ө"},
	{"ó", "ө"}, {"p", "п"}, {"q", "қ"}, {"r", "р"}, {"s", "с"}, {"ş", "ш"}, {"t", "т"}, {"u", "у"},
	{"ū", "ұ"}, {"ü", "ү"}, {"ú", "ү"}, {"v", "в"}, {"w", "у"}, {"x", "х"}, {"y", "й"}, {"ý", "у"},
	{"z", "з"},
}

// translitIndex is a translit table by the first byte of its entries,
// longest first as in the table.
type translitIndex map[byte][]struct{ from, to string }

func index(table []struct{ from, to string }) translitIndex {
	ix := translitIndex{}
	for _, e := range table {
		ix[e.from[0]] = append(ix[e.from[0]], e)
	}
	return ix
}

var ruIndex, kkIndex = index(translitRU), index(translitKK)

// translit writes a Latin word in Cyrillic by a table, longest match
// first; letters the table does not know are kept.
func translit(w string, ix translitIndex) string {
	var b strings.Builder
	for len(w) > 0 {
		matched := false
		for _, e := range ix[w[0]] {
			if strings.HasPrefix(w, e.from) {
				b.WriteString(e.to)
				w = w[len(e.from):]
				matched = true
				break
			}
		}
		if !matched {
			r, n := utf8.DecodeRuneInString(w)
			b.WriteRune(r)
			w = w[n:]
		}
	}
	return b.String()
}

// russianJ reads a "j" after a vowel and before a consonant or at the
// end of a word as й, as Russian translit writes it ("ujti" уйти, "moj"
// мой); elsewhere the table reads it as ж ("jit" жить) or, before a
// vowel, with it (ja я, ju ю, jo ё).
func russianJ(w string) string {
	if !strings.Contains(w, "j") {
		return w
	}
	b := []byte(w)
	for i := 1; i < len(b); i++ {
		if b[i] == 'j' && strings.IndexByte("aeiouy", b[i-1]) >= 0 && (i+1 == len(b) || strings.IndexByte("aeiouy", b[i+1]) < 0) {
			b[i] = 'y'
		}
	}
	return string(b)
}

// kazakhNG reads "ng" as ң, as plain ASCII Kazakh writes it ("mening"
// менің, "kongil" көңіл); Kazakh hardly has н and г side by side.
func kazakhNG(w string) string { return strings.ReplaceAll(w, "ng", "ñ") }

// laughEmoji are read as a laugh ("haha"): the message is a joke.
const laughEmoji = "😂🤣😆😹😅😄😁💀"

// maxAssessed bounds the text read; a longer message is read from its
// start. Messengers cap a message at 4,096 characters.
const maxAssessed = 2 * 4096

// tokenize reads a message into tokens: lower case, apostrophes dropped
// ("don't" → "dont"), '-' and spaces separate words, other punctuation
// and emoji a break, a laughing emoji the word "haha".
func tokenize(s string) []token {
	var out []token
	var word []rune
	read := map[string]token{} // a long message repeats its words
	flush := func() {
		if len(word) > 0 {
			w := string(word)
			t, ok := read[w]
			if !ok {
				t = readWord(w)
				read[w] = t
			}
			if rest, ok := joinedNegation(t); ok {
				out = append(out, token{ru: "не", kk: "не"}, rest)
			} else {
				out = append(out, t)
			}
			word = word[:0]
		}
	}
	n := 0
	for _, r := range s {
		if n++; n > maxAssessed {
			break
		}
		if r < utf8.RuneSelf {
			// ASCII without the Unicode tables: most of a long message.
			switch {
			case 'A' <= r && r <= 'Z':
				word = append(word, r+'a'-'A')
				continue
			case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
				word = append(word, r)
				continue
			case r == ' ':
				flush()
				continue
			}
		}
		r = unicode.ToLower(r)
		switch {
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == '‘' || unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = append(word, r)
		case r == '-' || unicode.IsSpace(r):
			flush()
		case strings.ContainsRune(laughEmoji, r):
			flush()
			out = append(out, token{latin: "haha", ru: "хаха", kk: "хаха"})
		default:
			flush()
			if len(out) == 0 || !out[len(out)-1].brk {
				out = append(out, token{brk: true})
			}
		}
	}
	flush()
	return out
}

// negatedVerbs are verbs that people write joined to "не" ("нехочу
// жить", "немогу больше"), as skeletons.
var negatedVerbs = map[string]bool{}

func init() {
	for _, w := range []string{"хочу", "хочется", "хочеться", "хачу", "хотелось", "хочет", "охота", "могу", "можу", "вижу", "нужна", "нужен", "нужно", "нужен", "справляюсь", "вывожу", "выдержу", "знаю", "понимаю", "живу", "сплю", "ем", "проснуться", "просыпаться", "доживу", "дожить"} {
		negatedVerbs[skeleton(w)] = true
	}
}

// joinedNegation splits "нехочу" into "не" and "хочу".
func joinedNegation(t token) (token, bool) {
	if t.latin != "" || !strings.HasPrefix(t.ru, "не") || !negatedVerbs[t.ru[len("не"):]] {
		return token{}, false
	}
	rest := t.ru[len("не"):]
	return token{ru: rest, kk: rest}, true
}

// readWord gives a word its readings.
func readWord(w string) token {
	latin, cyrillic := false, false
	for _, r := range w {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic = true
		case unicode.Is(unicode.Latin, r):
			latin = true
		}
	}
	if !cyrillic && !latin {
		return token{latin: w, ru: w, kk: w} // a number
	}
	if cyrillic {
		s := skeleton(w)
		return token{ru: s, kk: s}
	}
	lat := collapse(w)
	return token{
		latin: lat,
		ru:    skeleton(translit(russianJ(lat), ruIndex)),
		kk:    skeleton(translit(kazakhNG(lat), kkIndex)),
	}
}

// collapse drops repeated letters ("sooo" → "so"), digits kept.
func collapse(w string) string {
	var b strings.Builder
	var last rune
	for _, r := range w {
		if r != last || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// Normalized is a text normalized as Assess reads it, for other
// matchers of typed text (the FAQ's keywords) to share its rules.
type Normalized []token

// Normalize normalizes text as Assess does.
func Normalize(text string) Normalized { return tokenize(text) }

// HasStems reports whether the words of phrase, each taken as a stem,
// occur in n in order, with up to two other words between them. A Latin
// word of the phrase is compared with Latin words as typed; a Cyrillic
// one with the skeletons of Cyrillic words and of Latin ones read as
// Russian or Kazakh ("parkovka" has the stem "парковк").
func (n Normalized) HasStems(phrase string) bool {
	var stems []token
	for _, t := range tokenize(phrase) {
		if !t.brk {
			stems = append(stems, t)
		}
	}
	if len(stems) == 0 {
		return false
	}
	var from func(i, k int) bool
	from = func(i, k int) bool {
		if k == len(stems) {
			return true
		}
		for j := i; j < len(n) && (k == 0 || j <= i+2); j++ {
			if hasStem(n[j], stems[k]) && from(j+1, k+1) {
				return true
			}
		}
		return false
	}
	return from(0, 0)
}

func hasStem(t, stem token) bool {
	if t.brk {
		return false
	}
	if stem.latin != "" {
		return t.latin != "" && strings.HasPrefix(t.latin, stem.latin)
	}
	return strings.HasPrefix(t.ru, stem.ru) || strings.HasPrefix(t.kk, stem.kk)
}
