package flows_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/flows"
)

// example is a message and the answer the help flow owes it.
type example struct {
	text string
	kind string // "crisis", "support"
	lang string
}

// The examples of SUPPORT.md, verbatim.
var (
	supportMDCrisis = []example{
		{"I don't want to live anymore", "crisis", "en"},
		{"i want to kill myself", "crisis", "en"},
		{"хочу покончить с собой", "crisis", "ru"},
		{"не хочу жить", "crisis", "ru"},
		{"хочу умереть", "crisis", "ru"},
		{"өзімді өлтіргім келеді", "crisis", "kk"},
		{"өмір сүргім келмейді", "crisis", "kk"},
		{"өлгім келеді", "crisis", "kk"},
	}
	supportMDHelp = []example{
		{"I need a psychologist", "support", "en"},
		{"мне нужна помощь психолога", "support", "ru"},
		{"у меня депрессия", "support", "ru"},
		{"тревога", "support", "ru"},
		{"маған психолог көмегі керек", "support", "kk"},
		{"мазасызданып жүрмін", "support", "kk"},
		{"my son has autism and I don't know where to get support", "support", "en"},
	}
	// notDistress are ordinary messages with alarming words: they get
	// the bot's normal answer, never the help flow.
	notDistress = []string{
		"help me register", "помогите с регистрацией", "көмектесіңізші тіркелуге",
		"this 10k is going to kill me haha", "убийственная жара",
		"I'm dying to run the 10k!", "the hills will kill me lol", "I don't want to die on the hills, is there water?",
		"where can I get help with registration?", "can you help me pay?", "help", "I am anxious to know the route",
		"умираю от смеха", "я умру на этой дистанции", "этот забег меня убьёт", "не хочу умереть на 10 км, будет вода?",
		"устала после работы, завтра допишу", "помогите зарегистрировать ребёнка", "убью этот забег на 10 км",
		"шаршадым, ертең жүгіремін", "тіркелуге көмек керек", "өлгім келмейді, су бола ма?", "күлкіден өлдім",
		"баламды тіркеуге көмектесіңізші", "Қашан басталады?", "сколько стоит 5 км",
	}
)

// Examples of our own, in each language.
var (
	moreCrisis = []example{
		{"I want to die", "crisis", "en"},
		{"i wanna die", "crisis", "en"},
		{"I'm so tired of living", "crisis", "en"},
		{"I keep thinking about suicide", "crisis", "en"},
		{"I hurt myself again", "crisis", "en"},
		{"не хочу больше жить", "crisis", "ru"},
		{"жить не хочется", "crisis", "ru"},
		{"суицид", "crisis", "ru"},
		{"ЖИТЬ НЕ ХОЧЕТСЯЯЯ!!!", "crisis", "ru"},
		{"Хочется просто умереть...", "crisis", "ru"},
		{"Не. Хочу умереть.", "crisis", "ru"},
		{"думаю о самоубийстве", "crisis", "ru"},
		{"устала от жизни", "crisis", "ru"},
		{"өмірден шаршадым", "crisis", "kk"},
		{"Олгим келеди", "crisis", "kk"},
		{"өзіме қол жұмсағым келеді", "crisis", "kk"},
		{"өмірдің мәні жоқ", "crisis", "kk"},
	}
	moreHelp = []example{
		{"I have panic attacks at night", "support", "en"},
		{"I feel anxious all the time", "support", "en"},
		{"I'm completely burned out caring for my son", "support", "en"},
		{"I feel so lonely", "support", "en"},
		{"I need support", "support", "en"},
		{"у меня панические атаки", "support", "ru"},
		{"я выгорела, ухаживая за сыном", "support", "ru"},
		{"у сына аутизм, не знаю куда обратиться", "support", "ru"},
		{"Мне нужна поддержка", "support", "ru"},
		{"мне тревожно", "support", "ru"},
		{"күйзеліске түстім", "support", "kk"},
		{"шыдамым таусылды, балам аутист", "support", "kk"},
		{"жалғызбын", "support", "kk"},
		{"Маған қолдау керек", "support", "kk"},
	}
	// aboutChildOK are support notes a parent writes about their child:
	// at that question they are answers, not distress.
	aboutChildOK = []string{
		"тревожность, боится громких звуков",
		"склонен к самоповреждению, нужен сопровождающий",
		"anxious in crowds, non-verbal",
		"self-harm when overwhelmed, needs a companion",
		"мазасыз, шуды ұнатпайды",
		"needs help with shoes",
	}
)

func TestAssess(t *testing.T) {
	var all []example
	for _, l := range [][]example{supportMDCrisis, supportMDHelp, moreCrisis, moreHelp} {
		all = append(all, l...)
	}
	for _, e := range all {
		kind, lang := flows.Assess(e.text, false)
		if kind != e.kind || lang != e.lang {
			t.Errorf("%q: %q in %q, want %q in %q", e.text, kind, lang, e.kind, e.lang)
		}
	}
	for _, text := range notDistress {
		if kind, _ := flows.Assess(text, false); kind != "" {
			t.Errorf("%q taken for %s", text, kind)
		}
	}
	for _, text := range aboutChildOK {
		if kind, _ := flows.Assess(text, true); kind != "" {
			t.Errorf("child's notes %q taken for %s", text, kind)
		}
	}
	// Where a parent describes their child, a crisis of their own is
	// still a crisis.
	for _, e := range supportMDCrisis {
		if kind, _ := flows.Assess(e.text, true); kind != "crisis" {
			t.Errorf("in the child's notes %q: %q, want crisis", e.text, kind)
		}
	}
}

func TestAsksBotHelp(t *testing.T) {
	for _, text := range []string{"help me register", "помогите с регистрацией", "көмектесіңізші тіркелуге", "HELP", "нужна помощь с оплатой"} {
		if !flows.AsksBotHelp(text) {
			t.Errorf("%q: not a request for the bot's help", text)
		}
	}
	for _, text := range []string{"what time does it start", "убийственная жара", "Айгерим", "Көмеков Ерлан", "Helpman"} {
		if flows.AsksBotHelp(text) {
			t.Errorf("%q taken for a request for help", text)
		}
	}
}

// BenchmarkAssess reads the longest message the bot takes.
func BenchmarkAssess(b *testing.B) {
	long := strings.Repeat("мен ертең 10 км жүгіремін, помогите с регистрацией please ", 80)
	for b.Loop() {
		flows.Assess(long, false)
	}
}
