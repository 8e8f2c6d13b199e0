package flows_test

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/runforautism/rfabot/bot/bottest"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/distress/corpus"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// other is a language other than lang, for a messenger hint that the
// text must win over.
func other(lang string) string {
	if lang == "en" {
		return "ru"
	}
	return "en"
}

// corpusOf reads the corpus's messages that expect one of kinds.
func corpusOf(tb testing.TB, kinds ...string) []corpus.Example {
	tb.Helper()
	all, err := corpus.Load(corpus.Path())
	if err != nil {
		tb.Fatal(err)
	}
	var out []corpus.Example
	for _, e := range all {
		if slices.Contains(kinds, e.Expect) {
			out = append(out, e)
		}
	}
	return out
}

// toBirth starts a registration by buttons and a name, in any language.
var toBirth = []dialog.Message{{Text: "/start"}, {Payload: "m:reg"}, {Text: "Әсел Қайратқызы"}}

// finishRegistration answers the rest of the registration after the
// date of birth, by buttons where it can, and confirms.
var finishRegistration = []dialog.Message{
	{Payload: "g:female"}, {Text: "87011234567"}, {Payload: "mode:inperson"}, {Payload: "d:5k"},
	{Payload: "cat:general"}, {Payload: "size:M"}, {Text: "Қайрат Әбенов"}, {Text: "87017654321"},
	{Payload: "agree"}, {Payload: "reg:ok"},
}

// toChildBirth starts a Fun Starts sign-up up to the child's date of
// birth.
var toChildBirth = []dialog.Message{
	{Text: "/start"}, {Payload: "m:fun"}, {Payload: "fun:go"}, {Text: "Дана Серікқызы"}, {Text: "+77011234567"}, {Text: "Алуа"},
}

func (u *user) sendAll(ms []dialog.Message) {
	u.h.t.Helper()
	for _, m := range ms {
		u.send(m)
	}
}

func TestHelpMeRegisterGetsTheBotsHelp(t *testing.T) {
	for _, tt := range []struct{ lang, text string }{
		{"en", "help me register"}, {"ru", "помогите с регистрацией"}, {"kk", "көмектесіңізші тіркелуге"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t, nil)
			help := h.cat.T(tt.lang, "help", nil)
			u := h.user("u", tt.lang)
			u.say("/start")
			u.do([]action{{say: tt.text, want: help, step: flows.StepMenu}})
			u.send(dialog.Message{Payload: "m:reg"})
			u.do([]action{{say: tt.text, want: help, step: flows.StepRegName}})
			if d := u.state().Session.Draft; !d.Empty() {
				t.Errorf("the request for help was taken as an answer: %+v", d)
			}
			first := h.user("first", tt.lang)
			first.do([]action{{say: tt.text, want: help, step: flows.StepMenu}})
		})
	}
}

func TestSupportFromMenuAndCommand(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.do([]action{
		{say: "/start"},
		{tap: "I need support", want: "Thank you for writing", not: "Back to where I was", step: flows.StepSupport},
		{tap: "Main menu", step: flows.StepMenu},
		{tap: "Register for the run"},
		{say: "Aigerim Nurlanova", step: flows.StepRegBirth},
		{say: "/support", want: "• 111", step: flows.StepSupport},
		{say: "thank you", want: "I am only a bot", step: flows.StepSupport},
		{tap: "Back to where I was", want: "date of birth", step: flows.StepRegBirth},
		{say: "/help", want: "/support — if you are going through a hard time", step: flows.StepRegBirth},
		{say: "/support"},
		{say: "/menu", step: flows.StepMenu},
	})
	if s := u.state().Session; s.SupportReturn != "" || s.Crisis {
		t.Errorf("help-flow state kept after leaving it: %+v", s)
	}
	// From the Fun Starts screen, and a crisis is never turned back into
	// the support answer while the user stays.
	u.do([]action{
		{tap: "Fun Starts", step: flows.StepFun},
		{say: "/support", step: flows.StepSupport},
		{say: "I want to die", want: "Thank you for telling me", step: flows.StepSupport},
		{say: "/support", want: "Thank you for telling me"},
		{tap: "Back to where I was", step: flows.StepFun},
	})
}

// allowedNumbers are the only numbers SUPPORT.md lets the bot give.
var allowedNumbers = []string{"112", "150", "111", "103"}

var number = regexp.MustCompile(`\d{3,}`)

// TestCrisisAnswerFollowsSupportMD reviews the crisis answer in each
// language against SUPPORT.md's rules.
func TestCrisisAnswerFollowsSupportMD(t *testing.T) {
	never := map[string][]string{
		"en": {"calm down", "secret", "confidential", "diagnos"},
		"ru": {"успокойтесь", "тайн", "конфиденциальн", "диагноз"},
		"kk": {"тынышталыңыз", "құпия", "диагноз"},
	}
	for _, e := range corpusOf(t, corpus.Crisis) {
		if e.Source != "SUPPORT.md" {
			continue
		}
		t.Run(e.Lang+"/"+e.Text, func(t *testing.T) {
			h := newHarnessWith(t, nil, func(h *harness) { h.supportChat = "-1001234567890" })
			u := h.user("u", "")
			replies := bottest.Handle(t.Context(), h.engine, dialog.Message{Channel: "test", UserID: "u", Text: e.Text})
			if len(replies) != 1 {
				t.Fatalf("%d replies, want one screen", len(replies))
			}
			r := replies[0]
			u.last = r
			lines := strings.Split(r.Text, "\n")
			if lines[0] != h.cat.T(e.Lang, "crisis_intro", nil) {
				t.Errorf("first line %q, want the warm first line", lines[0])
			}
			if !strings.HasPrefix(lines[1], "• 112 ") {
				t.Errorf("second line %q, want 112 at once", lines[1])
			}
			danger := h.cat.T(e.Lang, "crisis_danger", nil)
			if !strings.Contains(r.Text, danger) || !strings.Contains(danger, "112") {
				t.Errorf("no immediate-danger line with 112:\n%s", r.Text)
			}
			for _, n := range allowedNumbers {
				if !strings.Contains(r.Text, "• "+n+" ") {
					t.Errorf("%s is not listed as a tappable number:\n%s", n, r.Text)
				}
			}
			for _, n := range number.FindAllString(r.Text, -1) {
				if !slices.Contains(allowedNumbers, n) {
					t.Errorf("number %s is not one SUPPORT.md allows", n)
				}
			}
			lower := strings.ToLower(r.Text)
			for _, w := range never[e.Lang] {
				if strings.Contains(lower, w) {
					t.Errorf("crisis answer says %q:\n%s", w, r.Text)
				}
			}
			if n := len(lines); n > 12 {
				t.Errorf("crisis answer has %d lines, want one screen", n)
			}
			if _, ok := findChoice(r, h.cat.T(e.Lang, "handoff_offer", nil)); !ok {
				t.Errorf("no button for a person from the team: %v", labels(r))
			}
			if _, ok := findChoice(r, h.cat.T(e.Lang, "back_to_menu", nil)); !ok {
				t.Errorf("no way back: %v", labels(r))
			}
		})
	}
}

func TestRegionalLineFromTheEventFile(t *testing.T) {
	h := newHarness(t, func(ev *event.Config) {
		ev.Support.Resources = append(ev.Support.Resources, event.Resource{
			Kind: event.KindSupport, Phone: "+7 700 000 00 00", Languages: []string{"kk", "ru"},
			Name: event.Text{KK: "Аймақтық орталық", RU: "Региональный центр", EN: "Regional centre"},
			What: event.Text{KK: "психологиялық көмек", RU: "психологическая помощь", EN: "psychological help"},
			Link: "https://example.org/help",
		})
	})
	u := h.user("u", "ru")
	r := u.say("мне нужна помощь психолога")
	if !strings.Contains(r.Text, "• +7 700 000 00 00 — Региональный центр: психологическая помощь (казахский, русский)") {
		t.Errorf("regional line missing from the support answer:\n%s", r.Text)
	}
	if len(r.Links) != 1 || r.Links[0].URL != "https://example.org/help" {
		t.Errorf("links = %+v", r.Links)
	}
	if c := u.say("хочу умереть"); strings.Contains(c.Text, "Региональный центр") {
		t.Errorf("a support line in the crisis answer:\n%s", c.Text)
	}
}

func TestHandoff(t *testing.T) {
	const chat = "-1001234567890"
	t.Run("not configured: no button", func(t *testing.T) {
		h := newHarness(t, nil)
		u := h.user("u", "en")
		u.say("/start")
		r := u.say("I want to die")
		if _, ok := findChoice(r, "call me back"); ok || strings.Contains(r.Text, "call you back") {
			t.Fatalf("call back offered without SUPPORT_CHAT_ID: %q %v", r.Text, labels(r))
		}
		u.do([]action{{raw: "sup:call", want: "earlier message", step: flows.StepSupport}})
	})
	t.Run("with consent, only the chosen number and the language", func(t *testing.T) {
		h := newHarnessWith(t, nil, func(h *harness) { h.supportChat = chat })
		u := h.user("u", "ru")
		const secret = "не хочу больше жить, муж ушёл"
		u.do([]action{
			{say: secret, want: "Попросить перезвонить мне"},
			{tap: "Попросить перезвонить мне", want: "только номер, который вы выберете", step: flows.StepSupportHandoff},
			{tap: "Назад", step: flows.StepSupport},
		})
		if p := h.pushesTo("telegram:" + chat); len(p) != 0 {
			t.Fatalf("pushed without consent: %+v", p)
		}
		u.do([]action{{tap: "Попросить перезвонить мне"}})
		if !u.last.AskPhone {
			t.Error("the question does not offer sharing the contact")
		}
		u.do([]action{
			{say: "позвоните мне", want: "Не получилось прочитать номер", step: flows.StepSupportHandoff},
			{phone: "77015556677", want: "позвонит на номер +7 701 555 66 77", step: flows.StepSupport},
		})
		p := h.pushesTo("telegram:" + chat)
		if len(p) != 1 {
			t.Fatalf("pushes = %+v, want one", p)
		}
		text := p[0].Reply.Text
		for _, want := range []string{"+7 701 555 66 77", "Язык: русский", "Тілі: орысша", "Language: Russian"} {
			if !strings.Contains(text, want) {
				t.Errorf("push lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "муж") || strings.Contains(text, "жить") {
			t.Errorf("push carries what the user wrote:\n%s", text)
		}
		if p[0].Kind != "handoff" || !strings.HasPrefix(p[0].Key, "handoff:test:u:2027-01-15") {
			t.Errorf("push kind %q key %q", p[0].Kind, p[0].Key)
		}
		u.do([]action{
			{tap: "Попросить перезвонить мне"},
			{say: "8 701 555 66 77", want: "уже передали", step: flows.StepSupport},
		})
		if p := h.pushesTo("telegram:" + chat); len(p) != 1 {
			t.Errorf("a second request on the same day queued again: %d pushes", len(p))
		}
	})
	t.Run("known number offered", func(t *testing.T) {
		h := newHarnessWith(t, nil, func(h *harness) { h.supportChat = chat })
		u := h.user("u", "kk")
		u.sendAll(toChildBirth)
		u.sendAll([]dialog.Message{{Text: "01.06.2018"}, {Payload: "notes:none"}, {Payload: "size:128"}, {Payload: "agree"}})
		u.do([]action{
			{say: "өлгім келеді"},
			{tap: "Қайта қоңырау шалуды сұрау"},
			{tap: "+7 701 123 45 67", want: "+7 701 123 45 67 нөміріне қоңырау шалады"},
		})
		if p := h.pushesTo("telegram:" + chat); len(p) != 1 || !strings.Contains(p[0].Reply.Text, "Тілі: қазақша") {
			t.Errorf("pushes = %+v", p)
		}
	})
}

// syncBuffer is a log buffer the engine's goroutines write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestHelpTextIsNeverStoredOrLogged runs crisis and support messages
// through the bot, with the log at debug level, then searches the log
// and the database file for them. Only the counters remain.
func TestHelpTextIsNeverStoredOrLogged(t *testing.T) {
	var log syncBuffer
	h := newHarnessWith(t, nil, func(h *harness) { h.logw = &log; h.supportChat = "-100123" })
	secrets := []string{
		"I want to kill myself tonight, nobody would care",
		"не хочу больше жить, сил никаких нет",
		"өмір сүргім келмейді, бәрі бітті",
		"у меня депрессия после развода",
		"Мне тревожно каждую ночь",
	}
	first := h.user("first", "")
	first.say(secrets[0])
	first.say(secrets[0])
	mid := h.user("mid", "ru")
	mid.sendAll(toBirth)
	mid.say(secrets[1])
	mid.say(secrets[3])
	mid.tap("Попросить перезвонить мне")
	mid.send(dialog.Message{Phone: "77015556677"})
	fun := h.user("fun", "kk")
	fun.sendAll(toChildBirth)
	fun.sendAll([]dialog.Message{{Text: "01.06.2018"}})
	fun.say(secrets[2])
	other := h.user("other", "ru")
	other.say(secrets[4])
	h.engine.Wait()
	var counts []domain.SupportCount
	h.store.View(t.Context(), func(tx domain.Tx) error {
		var err error
		counts, err = tx.SupportCounts()
		return err
	})
	want := []domain.SupportCount{
		{Day: "2027-01-15", Lang: "en", Kind: "crisis", Count: 1},
		{Day: "2027-01-15", Lang: "kk", Kind: "crisis", Count: 1},
		{Day: "2027-01-15", Lang: "ru", Kind: "crisis", Count: 1},
		{Day: "2027-01-15", Lang: "ru", Kind: "support", Count: 1},
	}
	if !slices.Equal(counts, want) {
		t.Errorf("counters = %+v, want %+v", counts, want)
	}
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(h.path)
	if err != nil {
		t.Fatal(err)
	}
	h.open()
	logged := log.String()
	for _, s := range secrets {
		for _, part := range []string{s, strings.ToLower(s), strings.Fields(s)[0] + " " + strings.Fields(s)[1] + " " + strings.Fields(s)[2]} {
			if bytes.Contains(db, []byte(part)) {
				t.Errorf("the database holds %q", part)
			}
			if strings.Contains(logged, part) {
				t.Errorf("the log holds %q", part)
			}
		}
	}
	// The test can fail: what the users wrote elsewhere is stored.
	if !bytes.Contains(db, []byte("Дана Серікқызы")) {
		t.Fatal("the database file does not hold the parent's name: the search is broken")
	}
	// While on the help screen, the session knows only which answer to
	// show: a crisis is not turned back into the support answer.
	for u, crisis := range map[*user]bool{first: true, mid: true, fun: true, other: false} {
		if s := u.state().Session; s.Step != flows.StepSupport || s.Crisis != crisis {
			t.Errorf("%s: step %q, crisis %v; want the help screen, crisis %v", u.id, s.Step, s.Crisis, crisis)
		}
	}
}

func TestSupportCountsOncePerVisit(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.say("/start")
	u.say("I feel so lonely")
	u.say("I feel so lonely")
	u.say("/support")
	u.say("I want to die")
	u.say("I want to die")
	u.tap("Main menu")
	u.tap("I need support")
	var counts []domain.SupportCount
	h.store.View(t.Context(), func(tx domain.Tx) error {
		var err error
		counts, err = tx.SupportCounts()
		return err
	})
	got := fmt.Sprint(counts)
	want := fmt.Sprint([]domain.SupportCount{
		{Day: "2027-01-15", Lang: "en", Kind: "crisis", Count: 1},
		{Day: "2027-01-15", Lang: "en", Kind: "support", Count: 2},
	})
	if got != want {
		t.Errorf("counters %s, want %s", got, want)
	}
}

// TestChildNotesAreAboutTheChild: at the question on a child's support
// needs, words naming a condition are the answer; the parent's own
// crisis still opens the crisis answer, and is not stored as notes.
func TestChildNotesAreAboutTheChild(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "ru")
	u.sendAll(toChildBirth)
	u.do([]action{
		{say: "01.06.2018", step: flows.StepFunNotes},
		{say: "хочу умереть", want: "Спасибо, что рассказали мне", step: flows.StepSupport},
		{tap: "Вернуться", step: flows.StepFunNotes},
		{say: "тревожность, склонен к самоповреждению, нужен сопровождающий", step: flows.StepFunTShirt},
	})
	if d := u.state().Session.Fun; d.Notes != "тревожность, склонен к самоповреждению, нужен сопровождающий" {
		t.Errorf("notes = %q", d.Notes)
	}
}

// TestNewScreensInEveryLanguage walks the Fun Starts, FAQ and help-flow
// screens (the check question and "Is this the name?" too) in each
// language and checks that no message id leaks into
// what the user sees.
func TestNewScreensInEveryLanguage(t *testing.T) {
	ids := regexp.MustCompile(`\b[a-z]+_[a-z_0-9]+\b`)
	for _, lang := range []string{"kk", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarnessWith(t, func(ev *event.Config) { ev.FunStarts.Fee = 2500 }, func(h *harness) { h.supportChat = "-100123" })
			u := h.user("u", lang)
			var seen []string
			msgs := []dialog.Message{{Text: "/start"}, {Payload: "m:info"}}
			for _, q := range h.ev.FAQ {
				msgs = append(msgs, dialog.Message{Payload: "faq:" + q.ID})
			}
			msgs = append(msgs, dialog.Message{Text: "weather?"}, dialog.Message{Payload: "m:fun"}, dialog.Message{Payload: "fun:go"})
			msgs = append(msgs, dialog.Message{Text: "it's me, Dana, the mother"}, dialog.Message{Text: "помогите"})
			msgs = append(msgs, toChildBirth[3:]...)
			msgs = append(msgs,
				dialog.Message{Text: "04.04.2022"}, dialog.Message{Text: "01.06.2018"}, dialog.Message{Text: strings.Repeat("a", 1001)},
				dialog.Message{Text: "headphones"}, dialog.Message{Payload: "size:128"}, dialog.Message{Text: "no"}, dialog.Message{Payload: "agree"},
				dialog.Message{Payload: "m:my"}, dialog.Message{Text: "/support"}, dialog.Message{Text: "ok"}, dialog.Message{Payload: "sup:call"},
				dialog.Message{Payload: "phone:known"}, dialog.Message{Text: possible[lang]}, dialog.Message{Payload: "sup:no"},
				dialog.Message{Text: possible[lang]}, dialog.Message{Text: "хочу умереть"}, dialog.Message{Text: "/help"})
			for _, m := range msgs {
				r := u.send(m)
				seen = append(seen, r.Text)
				seen = append(seen, labels(r)...)
			}
			for _, s := range seen {
				if m := ids.FindString(s); m != "" {
					t.Errorf("message id %q shown to the user in %q", m, s)
				}
			}
			if p := h.pushesTo("telegram:-100123"); len(p) != 1 {
				t.Errorf("handoff pushes = %d, want 1", len(p))
			}
		})
	}
}

// TestSupportCommandInEveryState: /support opens the support answer from
// every screen, and "back to where I was" returns to it.
func TestSupportCommandInEveryState(t *testing.T) {
	h := newHarnessWith(t, nil, func(h *harness) { h.supportChat = "-100123" })
	u := h.user("u", "en")
	visit := func(step domain.Step) {
		t.Helper()
		u.do([]action{{say: "/support", want: "Thank you for writing", step: flows.StepSupport}})
		if step == flows.StepMenu {
			u.do([]action{{tap: "Main menu", step: flows.StepMenu}})
			return
		}
		u.do([]action{{tap: "Back to where I was", step: step}})
	}
	u.say("/start")
	visit(flows.StepMenu)
	for _, a := range []action{
		{tap: "Event info", step: flows.StepInfo},
		{tap: "Start times", step: flows.StepFAQ},
		{tap: "Main menu", step: flows.StepMenu},
		{tap: "My registrations", step: flows.StepMine},
		{tap: "Register", step: flows.StepRegName},
		{say: "Aigerim Nurlanova", step: flows.StepRegBirth},
		{tap: "Cancel", step: flows.StepRegCancel},
		{tap: "No", step: flows.StepRegBirth},
		{say: "/lang", step: flows.StepLang},
		{tap: "English", step: flows.StepRegBirth},
		{say: "/menu", step: flows.StepMenu},
		{tap: "Register", step: flows.StepResume},
		{tap: "Main menu", step: flows.StepMenu},
		{tap: "Fun Starts", step: flows.StepFun},
		{tap: "Sign up a child", step: flows.StepFunParent},
		{say: "Dana Serikova", step: flows.StepFunPhone},
		{say: "87011234567", step: flows.StepFunChild},
		{say: "Alua", step: flows.StepFunBirth},
		{say: "01.06.2018", step: flows.StepFunNotes},
		{tap: "Nothing to add", step: flows.StepFunTShirt},
		{tap: "128", step: flows.StepFunConsent},
		{tap: "I agree", step: flows.StepFunDone},
	} {
		u.do([]action{a})
		visit(a.step)
	}
	u.do([]action{
		{say: "/support"},
		{tap: "call me back", step: flows.StepSupportHandoff},
		{say: "/support", want: "Thank you for writing", step: flows.StepSupport},
		{tap: "Back to where I was", step: flows.StepFunDone},
	})
	for _, hint := range []string{"ru", ""} {
		first := h.user("first"+hint, hint)
		first.say("/support")
		if hint == "" {
			first.tap("Русский")
		}
		if s := first.state(); s.Session.Step != flows.StepSupport || s.Lang != "ru" {
			t.Errorf("/support as the first message (hint %q): step %q in %q", hint, s.Session.Step, s.Lang)
		}
	}
}
