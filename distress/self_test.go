package distress_test

import (
	"testing"

	"github.com/runforautism/rfabot/distress"
)

func TestFirstPerson(t *testing.T) {
	for _, text := range []string{
		// Kazakh: pronouns, with and without Kazakh letters, and verbs.
		"мен шаршадым", "Маған ешкім керек емес", "менің анам", "өзім білмеймін", "озим", "маган жаман",
		"бәрінен шаршадым", "жүгіре алмаймын", "біз келеміз", "кете бергім келеді, кешіріңдер, мен кетемін",
		"men sharshadym", "magan komek kerek", "özim bilmeimin", "ketip baramyn",
		// Russian: pronouns, declined, and verbs.
		"я устала", "Мне плохо", "меня никто не понимает", "мой сын", "Простите меня за всё",
		"не могу больше", "хочу уйти", "чувствую пустоту", "ничего не понимаю", "больше не справляюсь",
		"ya ustala", "mne ploho", "ne hochu nichego",
		// English, with and without apostrophes.
		"I can't go on", "im done", "I'm so tired", "i've had enough", "tell my mom", "leave me alone",
		"Sorry for everything, I love you all", "we are fine",
	} {
		if !distress.FirstPerson(text) {
			t.Errorf("%q: no first person found", text)
		}
	}
	for _, text := range []string{
		"Әсел Қайратқызы", "Асель Кайратовна", "Aigerim Nurlanova", "Дана Серікқызы", "Алуа",
		"Вениамин Петров", "Вадим Ким", "Амин Ахмедов", "Нам Виктор", "Benjamin Smith", "Jasmin Lee",
		"Марию Иванову", "Раю", "Шойгу Сергей", "Ерлан Көмеков", "Бердік Нұрланұлы", "Мұхаммед-Әли",
		"Ақерке", "Айдос Серікбайұлы", "O'Brien Liam", "Анна-Мария Цой", "Ли Ю",
		// Not the writer: the reflexive is any person's.
		"иногда бьёт себя по голове", "ест сам",
	} {
		if distress.FirstPerson(text) {
			t.Errorf("name %q taken for a sentence about its writer", text)
		}
	}
}

func TestSpeaksOfSelf(t *testing.T) {
	for _, text := range []string{"у меня депрессия", "I feel anxious all the time", "мазасызданып жүрмін", "мне тревожно", "im so tired"} {
		if !distress.SpeaksOfSelf(text) {
			t.Errorf("%q: does not speak of its writer", text)
		}
	}
	for _, text := range []string{"my son is anxious", "мой сын боится громких звуков", "менің ұлым мазасыз", "our daughter panics in crowds"} {
		if distress.SpeaksOfSelf(text) {
			t.Errorf("%q taken for a text about its writer", text)
		}
		if !distress.FirstPerson(text) {
			t.Errorf("%q: no first person found", text)
		}
	}
}

func TestWordCount(t *testing.T) {
	for text, want := range map[string]int{
		"Әсел Қайратқызы":                      2,
		"  Прощайте.  Простите меня за всё!  ": 5,
		"Anna-Maria O'Brien":                   3,
		"😢 ...":                                0,
		"I can't do this anymore, sorry":       6,
	} {
		if got := distress.WordCount(text); got != want {
			t.Errorf("WordCount(%q) = %d, want %d", text, got, want)
		}
	}
}

func TestHas(t *testing.T) {
	n := distress.Normalize("Нет, он просто устал... NET")
	for _, w := range []string{"нет", "он", "устал", "net"} {
		if !n.Has(w) {
			t.Errorf("%q not found", w)
		}
	}
	for _, w := range []string{"она", "уст", "no"} {
		if n.Has(w) {
			t.Errorf("%q found", w)
		}
	}
	if !n.First("no", "нет") || n.First("он") {
		t.Error("First does not read the first word")
	}
	if !distress.Normalize("net, vse normalno").First("нет") || !distress.Normalize("zhok").First("жоқ") {
		t.Error("a word typed in Latin letters is not found by its Cyrillic spelling")
	}
}
