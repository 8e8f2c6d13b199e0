package distress_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/distress/corpus"
)

func assess(text string) distress.Result { return distress.Assess(text, distress.Options{}) }

// Benign guards: ordinary messages with alarming words. Each must get
// the bot's normal answer (no level) and never be taken for a crisis.
var benignGuards = []string{
	// Near misses of the families of unseen phrasing (means, plans,
	// farewells, grief): the same words about a run or an errand.
	"what floor do i need for the medal pickup", "how many tablets of ibuprofen can i take before a marathon",
	"everything is ready, waiting for my bib", "I think about stopping there for coffee after the race",
	"overdosed on carbs yesterday lol", "my last message didnt go through", "i wear long sleeves because of sunburn",
	"в гараже лежит веревка для палатки", "я собрала таблетки от аллергии в аптечку", "хочу уйти и не возвращаться на эту работу",
	"я все решила, сегодня ночью оплачу", "хочу, чтобы всё закончилось хорошо 🙏", "повесила медаль на стену", "с какой высоты стартует забег в горах?",
	"ертеңге дейін қош болыңдар", "оянбай қалдым, кешіктім", "қош болыңдар, ертең стартта кездесеміз!",
	"i have my pills in my hand, can i take them before the start?", "can we get onto the roof for the group photo?",
	"told him i wont need a lift", "балама дәрі бердім, енді керек емес пе", "сегодня всё закончу с регистрацией",
	"this hill will kill me", "this 10k is going to kill me haha", "I'm dying to run the 10k!", "the hills will kill me lol",
	"I don't want to die on the hills, is there water?", "help me register", "where can I get help with registration?",
	"can I run on antidepressants?", "can I take paracetamol before the race?", "I'm ready to go!", "killed it today!",
	"my legs are dead after the 5k", "I'm so done with this form lol", "i cant wait for the race", "it was a lovely run",
	"we did suicide sprints at practice", "I won't be here tomorrow, can my wife pick up the kit?", "bye", "goodbye, see you on saturday",
	"умираю от смеха", "убийственная жара", "помогите с регистрацией", "я умру на этой дистанции", "этот забег меня убьёт",
	"не хочу умереть на 10 км, будет вода?", "устала после работы, завтра допишу", "больше не могу ждать старта!",
	"меня завтра не будет в городе, можно забрать номер позже?", "простите меня, я ошиблась с размером", "выйду из машины у входа",
	"хочу уйти пораньше с забега", "порезал палец, можно бежать?", "пью таблетки от давления, можно бегать?", "Умеров Ерлан",
	"өлердей шаршадым бірақ жүгіремін", "көмектесіңізші тіркелуге", "күлкіден өлдім", "өлгім келмейді, су бола ма?",
	"шаршадым, ертең жүгіремін", "қолымды кесіп алдым, жүгіруге бола ма?", "мен болмасам, балам жүгіре ала ма?",
	"кешіріңіз, қате жаздым", "арқан тарту ойыны бола ма?", "көпірден түсіп, оңға бұрыласыз ба?", "қош болыңыз",
	"umirayu ot smeha", "ya umru na etoi distancii",
}

func TestBenignGuards(t *testing.T) {
	for _, text := range benignGuards {
		if r := assess(text); r.Level >= distress.Possible {
			t.Errorf("%q taken for a crisis (level %d)", text, r.Level)
		} else if r.Level != distress.None {
			t.Errorf("%q taken for a request for help", text)
		}
	}
}

// Names are never a signal: a name question must take them.
func TestNamesCarryNoSignal(t *testing.T) {
	for _, name := range []string{"Айгерим", "Көмеков Ерлан", "Умеров Тимур", "Асыл Нұрланқызы", "Өмірбек", "Үміт Сейітова", "Dieter Mostov", "Helpman", "Жалғас", "Ольга Смертина"} {
		if r := assess(name); r.Signal || r.Level != distress.None {
			t.Errorf("name %q: level %d, signal %v", name, r.Level, r.Signal)
		}
	}
}

func TestLevels(t *testing.T) {
	for _, tc := range []struct {
		text string
		want distress.Level
	}{
		{"i want to kill myself", distress.Crisis},
		{"хочу умереть", distress.Crisis},
		{"өлгім келеді", distress.Crisis},
		{"no point any more", distress.Possible},
		{"I'm so tired of everything", distress.Possible},
		{"goodbye", distress.Possible},
		{"прощайте", distress.Possible},
		{"қош болыңдар", distress.Possible},
		{"I need a psychologist", distress.Help},
		{"мне нужна помощь психолога", distress.Help},
		{"маған психолог көмегі керек", distress.Help},
		{"what time does it start", distress.None},
	} {
		if got := assess(tc.text).Level; got != tc.want {
			t.Errorf("%q: level %d, want %d", tc.text, got, tc.want)
		}
	}
}

// A weak sign is a signal without a level: it never blocks the normal
// answer, but the text is never stored as a name, contact or note.
func TestSignal(t *testing.T) {
	for _, text := range []string{"I'm dying to run the 10k!", "умираю от смеха", "өлердей шаршадым бірақ жүгіремін", "so much pain", "таблетки", "kill me"} {
		if r := assess(text); !r.Signal || r.Level != distress.None {
			t.Errorf("%q: level %d, signal %v; want a signal without a level", text, r.Level, r.Signal)
		}
	}
	for _, text := range []string{"хочу умереть", "I need a psychologist", "goodbye"} {
		if !assess(text).Signal {
			t.Errorf("%q: a level without a signal", text)
		}
	}
	for _, text := range []string{"what time does it start", "Айгерим", "10 km", "сколько стоит 5 км"} {
		if assess(text).Signal {
			t.Errorf("%q: a signal", text)
		}
	}
}

func TestLang(t *testing.T) {
	for _, tc := range []struct{ text, lang string }{
		{"өлгім келеді", "kk"},
		{"олгим келеди", "kk"},
		{"olgim keledi", "kk"},
		{"ölgım keledı", "kk"},
		{"ozimdi oltirgim keledi", "kk"},
		{"суицид туралы ойлаймын", "kk"},
		{"депрессиядамын", "kk"},
		{"хочу умереть", "ru"},
		{"ne hochu zhit", "ru"},
		{"u menya depressiya", "ru"},
		{"ya ustala ot zhizni", "ru"},
		{"I want to die", "en"},
		{"i need a psychologist", "en"},
		{"I feel so alone", "en"},
	} {
		if got := assess(tc.text).Lang; got != tc.lang {
			t.Errorf("%q: language %q, want %q", tc.text, got, tc.lang)
		}
	}
}

// Where a parent describes their child's needs, words naming a
// condition are about the child; a crisis of their own is still one.
func TestAboutChild(t *testing.T) {
	all, err := corpus.Load(corpus.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if e.Expect != corpus.Crisis {
			continue
		}
		alone := distress.Assess(e.Text, distress.Options{}).Level
		if child := distress.Assess(e.Text, distress.Options{AboutChild: true}).Level; alone == distress.Crisis && child < distress.Possible {
			t.Errorf("line %d: in the child's notes %q: level %d, want a crisis", e.Line, e.Text, child)
		}
	}
	for _, text := range []string{"тревожность, боится громких звуков", "self-harm when overwhelmed, needs a companion", "anxious in crowds, non-verbal", "мазасыз, шуды ұнатпайды"} {
		if r := distress.Assess(text, distress.Options{AboutChild: true}); r.Level != distress.None {
			t.Errorf("child's notes %q: level %d", text, r.Level)
		}
	}
}

func TestAsksBotHelp(t *testing.T) {
	for _, text := range []string{"help me register", "помогите с регистрацией", "көмектесіңізші тіркелуге", "HELP", "нужна помощь с оплатой", "pomogite s registraciei"} {
		if !distress.AsksBotHelp(text) {
			t.Errorf("%q: not a request for the bot's help", text)
		}
	}
	for _, text := range []string{"what time does it start", "убийственная жара", "Айгерим", "Көмеков Ерлан", "Helpman"} {
		if distress.AsksBotHelp(text) {
			t.Errorf("%q taken for a request for help", text)
		}
	}
}

func TestHasStems(t *testing.T) {
	for _, tc := range []struct {
		text, phrase string
		want         bool
	}{
		{"Где парковка?", "парковк", true},
		{"gde parkovka", "парковк", true},
		{"Where can I park my car", "park", true},
		{"Қайда тұраққа қоюға болады", "тұрақ", true},
		{"где можно оставить машину", "оставить машин", true},
		{"машину можно оставить", "оставить машин", false},
		{"start time", "старт", true},
		{"finish", "старт", false},
	} {
		if got := distress.Normalize(tc.text).HasStems(tc.phrase); got != tc.want {
			t.Errorf("%q has %q: %v, want %v", tc.text, tc.phrase, got, tc.want)
		}
	}
}

// BenchmarkAssess reads the longest message the bot takes, its words
// repeated.
func BenchmarkAssess(b *testing.B) {
	long := strings.Repeat("мен ертең 10 км жүгіремін, помогите с регистрацией please ", 80)
	for b.Loop() {
		assess(long)
	}
}

// BenchmarkAssessVaried reads a long message of many different words in
// three languages and translit.
func BenchmarkAssessVaried(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 4096; i++ {
		for _, e := range benignGuards {
			sb.WriteString(e)
			sb.WriteString(" ")
		}
	}
	long := []rune(sb.String())[:4096]
	for b.Loop() {
		assess(string(long))
	}
}

// BenchmarkAssessShort reads a message of the usual length.
func BenchmarkAssessShort(b *testing.B) {
	for b.Loop() {
		assess("Здравствуйте, можно зарегистрировать ребёнка на 1 км?")
	}
}

// The messages issue 13 names as missed: each must now open the crisis
// answer or the check question.
func TestIssueExamples(t *testing.T) {
	for _, text := range []string{
		"they'd be better off without me", "I can't do this anymore", "сил больше нет", "прощайте, простите меня за всё",
		"бәріңе рақмет, қош болыңдар", "I can't go on", "no point any more", "I'm so tired of everything", "suicdal", "умиреть хочу",
		"ne hochu zhit", "ölgim keledi", "olgim keledi", "ozimdi oltirgim keledi", "я порезала себе руки", "наглоталась таблеток",
		"I took all my pills", "I'm standing on the roof", "стою на мосту",
	} {
		if r := assess(text); r.Level < distress.Possible {
			t.Errorf("%q: level %d, want a crisis or a possible one", text, r.Level)
		}
	}
}

// A parent's notes on a child's needs, in words that would be a request
// for help in the first person: none is one in the notes.
func TestChildNotes(t *testing.T) {
	for _, text := range []string{
		"жылай береді, шуды ұнатпайды", "cries every time it's loud", "нервничает постоянно в толпе", "кошмары по ночам",
		"feels isolated in big groups", "panic attacks in crowds", "тревожный, нужен сопровождающий", "мазасызданады",
	} {
		if r := distress.Assess(text, distress.Options{AboutChild: true}); r.Level != distress.None {
			t.Errorf("child's notes %q: level %d", text, r.Level)
		}
	}
}
