package flows_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/distress/corpus"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// possible is a possible crisis in each language: a signal that is not
// certain, which gets the check question.
var possible = map[string]string{
	"en": "no point any more",
	"ru": "всё бессмысленно",
	"kk": "бәрі мағынасыз",
}

// checkShown checks that r is the check question in lang with the
// crisis lines under it and its three buttons.
func (h *harness) checkShown(u *user, r dialog.Reply, lang string) {
	h.t.Helper()
	if !strings.HasPrefix(r.Text, h.cat.T(lang, "crisis_check_ask", nil)) {
		h.t.Fatalf("not the check question in %s:\n%s", lang, r.Text)
	}
	for _, n := range []string{"• 112 ", "• 103 ", "• 150 ", "• 111 "} {
		if !strings.Contains(r.Text, n) {
			h.t.Fatalf("the check question does not show %s:\n%s", n, r.Text)
		}
	}
	want := []string{h.cat.T(lang, "crisis_check_yes", nil), h.cat.T(lang, "crisis_check_no", nil), h.cat.T(lang, "back", nil)}
	if got := labels(r); !slices.Equal(got, want) {
		h.t.Fatalf("buttons %q, want %q", got, want)
	}
	if s := u.state().Session; s.Step != flows.StepSupportCheck || s.Crisis {
		h.t.Fatalf("step %q, crisis %v; want the check question", s.Step, s.Crisis)
	}
}

// TestCheckQuestion: a possible crisis mid-registration gets the check
// question with the lines shown; Yes leads to the crisis answer, No to
// the support answer, Back to the question the user was on with the
// draft intact; by button, by number and typed, in every language.
func TestCheckQuestion(t *testing.T) {
	typed := map[string]map[string]string{
		"en": {"yes": "yes", "no": "no", "unsure": "I don't know"},
		"ru": {"yes": "да", "no": "нет, просто устала", "unsure": "не знаю"},
		"kk": {"yes": "иә", "no": "жоқ", "unsure": "білмеймін"},
	}
	for _, lang := range []string{"kk", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			n := 0
			start := func(numbered bool) *user {
				n++
				u := h.user(fmt.Sprintf("u%d", n), lang)
				u.sendAll(toBirth)
				h.checkShown(u, u.send(dialog.Message{Text: possible[lang], Numbered: numbered}), lang)
				return u
			}
			crisis := func(u *user, r dialog.Reply) {
				t.Helper()
				if !strings.HasPrefix(r.Text, h.cat.T(lang, "crisis_intro", nil)) || !strings.Contains(r.Text, "• 112 ") {
					t.Fatalf("not the crisis answer:\n%s", r.Text)
				}
				if s := u.state().Session; s.Step != flows.StepSupport || !s.Crisis {
					t.Fatalf("step %q crisis %v, want the crisis answer", s.Step, s.Crisis)
				}
			}
			support := func(u *user, r dialog.Reply) {
				t.Helper()
				if !strings.HasPrefix(r.Text, h.cat.T(lang, "support_intro", nil)) || !strings.Contains(r.Text, "• 150 ") {
					t.Fatalf("not the support answer:\n%s", r.Text)
				}
				if s := u.state().Session; s.Step != flows.StepSupport || s.Crisis {
					t.Fatalf("step %q crisis %v, want the support answer", s.Step, s.Crisis)
				}
			}
			back := func(u *user) {
				t.Helper()
				if s := u.state().Session; s.Step != flows.StepRegBirth || s.Draft.Name != "Әсел Қайратқызы" {
					t.Fatalf("after Back: step %q, draft %+v; want the date of birth with the name kept", s.Step, s.Draft)
				}
				u.say("01.02.1995")
				if s := u.state().Session; s.Step != flows.StepRegGender || s.Draft.Birth != "1995-02-01" {
					t.Fatalf("registration does not go on after Back: step %q, draft %+v", s.Step, s.Draft)
				}
			}
			yes, no, bk := h.cat.T(lang, "crisis_check_yes", nil), h.cat.T(lang, "crisis_check_no", nil), h.cat.T(lang, "back", nil)

			u := start(false)
			crisis(u, u.tap(yes))
			u.tap(h.cat.T(lang, "support_back", nil))
			back(u)

			u = start(false)
			support(u, u.tap(no))
			u.tap(h.cat.T(lang, "support_back", nil))
			back(u)

			u = start(false)
			u.tap(bk)
			back(u)

			for label, want := range map[string]func(*user, dialog.Reply){yes: crisis, no: support} {
				u = start(true)
				want(u, u.pick(label))
			}
			u = start(true)
			u.pick(bk)
			back(u)

			for answer, want := range map[string]func(*user, dialog.Reply){"yes": crisis, "no": support, "unsure": crisis} {
				u = start(false)
				want(u, u.say(typed[lang][answer]))
			}

			// A crisis while the check question is open gets the crisis
			// answer; the check question is not shown over the crisis
			// answer again.
			u = start(false)
			crisis(u, u.say(map[string]string{"en": "I want to die", "ru": "хочу умереть", "kk": "өлгім келеді"}[lang]))
			crisis(u, u.say(possible[lang]))

			// From the menu, Back leads to the menu.
			first := h.user("first", "")
			h.checkShown(first, first.say(possible[lang]), lang)
			first.do([]action{{tap: bk, step: flows.StepMenu}})
			if got := first.state().Lang; got != lang {
				t.Errorf("the first message's language %q, want %q", got, lang)
			}
		})
	}
}

// TestCheckQuestionCounts: the check question counts one crisis visit,
// whatever the answer; only day, language and kind are stored.
func TestCheckQuestionCounts(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "ru")
	u.say("/start")
	u.say(possible["ru"])
	u.tap("Да")
	u.tap("Главное меню")
	u.say(possible["ru"])
	u.tap("Нет")
	u.tap("Главное меню")
	u.say(possible["ru"])
	u.tap("« Назад")
	var counts []domain.SupportCount
	h.store.View(t.Context(), func(tx domain.Tx) error {
		var err error
		counts, err = tx.SupportCounts()
		return err
	})
	want := []domain.SupportCount{{Day: "2027-01-15", Lang: "ru", Kind: "crisis", Count: 3}}
	if !slices.Equal(counts, want) {
		t.Errorf("counters %+v, want %+v", counts, want)
	}
}

// TestNameQuestionDefence: at every name question a sentence about its
// writer, a text longer than a name or with punctuation gets "Is this
// the name?" with the support button, nothing saved; the user can
// confirm and send it again, re-enter it, or open the support answer
// and come back.
func TestNameQuestionDefence(t *testing.T) {
	emName := append(slices.Clone(toBirth), []dialog.Message{{Text: "01.02.1995"}, {Payload: "g:female"}, {Text: "87011234567"},
		{Payload: "mode:inperson"}, {Payload: "d:5k"}, {Payload: "cat:general"}, {Payload: "size:M"}}...)
	guardian := []dialog.Message{{Text: "/start"}, {Payload: "m:reg"}, {Text: "Алуа Серікқызы"}, {Text: "01.02.2012"}}
	questions := []struct {
		step domain.Step
		to   []dialog.Message
		// saved is the answer the step keeps.
		saved func(domain.Session) string
	}{
		{flows.StepRegName, toBirth[:2], func(s domain.Session) string { return s.Draft.Name }},
		{flows.StepRegEmName, emName, func(s domain.Session) string { return s.Draft.EmergencyName }},
		{flows.StepRegGuardian, guardian, func(s domain.Session) string { return s.Draft.Guardian }},
		{flows.StepFunParent, toChildBirth[:3], func(s domain.Session) string { return s.Fun.ParentName }},
		{flows.StepFunChild, toChildBirth[:5], func(s domain.Session) string { return s.Fun.Child }},
	}
	texts := map[string][]string{
		"en": {"my wife Dana", "Please write that we will come together with the kids", "Dana, Serik."},
		"ru": {"это моя мама", "я не знаю что тут писать", "Айгуль Серикова, мама, она будет ждать"},
		"kk": {"менің анам", "мен білмеймін", "Айгүл, анам."},
	}
	for _, lang := range []string{"kk", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			check := h.cat.T(lang, "support_check_name", nil)
			support := h.cat.T(lang, "menu_support", nil)
			itIs := h.cat.T(lang, "support_check_name_yes", nil)
			n := 0
			for _, q := range questions {
				if q.step == flows.StepRegGuardian {
					// A minor's registration asks for the guardian after
					// the rest; walk there.
					q.to = append(slices.Clone(q.to), []dialog.Message{{Payload: "g:female"}, {Text: "87011234567"}, {Payload: "mode:inperson"},
						{Payload: "d:5k"}, {Payload: "cat:general"}, {Payload: "size:M"}, {Text: "Қайрат Әбенов"}, {Text: "87017654321"}}...)
				}
				for _, text := range texts[lang] {
					n++
					u := h.user(fmt.Sprintf("u%d", n), lang)
					u.sendAll(q.to)
					if got := u.state().Session.Step; got != q.step {
						t.Fatalf("reached %q, want %q", got, q.step)
					}
					r := u.say(text)
					if !strings.HasPrefix(r.Text, check) {
						t.Fatalf("%s: %q: not asked whether it is the name:\n%s", q.step, text, r.Text)
					}
					if got := labels(r); len(got) < 2 || got[0] != support || got[1] != itIs {
						t.Fatalf("%s: buttons %q, want the support button and %q first", q.step, got, itIs)
					}
					if s := u.state().Session; s.Step != q.step || q.saved(s) != "" {
						t.Fatalf("%s: %q saved or moved on: step %q", q.step, text, s.Step)
					}
					// Typed by number, the support button opens the
					// support answer; Back returns to the question.
					r = u.send(dialog.Message{Text: "1", Numbered: true})
					if !strings.HasPrefix(r.Text, h.cat.T(lang, "support_intro", nil)) {
						t.Fatalf("%s: the support button does not open the support answer:\n%s", q.step, r.Text)
					}
					u.do([]action{{tap: h.cat.T(lang, "support_back", nil), step: q.step}})
					// Re-entered as a name, it is taken.
					u.say(text)
					u.do([]action{{say: "Айгерим Нурланова", not: check}})
					if s := u.state().Session; s.Step == q.step || q.saved(s) != "Айгерим Нурланова" {
						t.Fatalf("%s: the name re-entered is not taken: step %q", q.step, s.Step)
					}
				}
				// Confirmed, the same text is taken as it is, when the
				// name's own rules allow it.
				n++
				u := h.user(fmt.Sprintf("u%d", n), lang)
				u.sendAll(q.to)
				text := texts[lang][0]
				u.say(text)
				u.do([]action{{tap: itIs, want: h.cat.T(lang, "support_check_name_again", nil), step: q.step}})
				if s := u.state().Session; q.saved(s) != "" {
					t.Fatalf("%s: the text was kept for the confirmation", q.step)
				}
				u.say(text)
				if s := u.state().Session; s.Step == q.step || q.saved(s) != text {
					t.Fatalf("%s: %q not taken after the confirmation: step %q", q.step, text, s.Step)
				}
			}
		})
	}
}

// TestNameValidationIsNotTheAnswerToAFarewell: a farewell at a name
// question never gets "letters only".
func TestNameValidationIsNotTheAnswerToAFarewell(t *testing.T) {
	h := newHarness(t, nil)
	for i, tt := range []struct{ lang, text string }{
		{"ru", "Прощайте все. Простите, если что"},
		{"ru", "всем спасибо и пока..."},
		{"en", "Bye everyone, thank you 🙏"},
		{"en", "tell mom I'm sorry"},
		{"kk", "Бәріңе рақмет, қош болыңдар!"},
		{"kk", "кешіріңдер мені"},
	} {
		u := h.user(fmt.Sprintf("u%d", i), tt.lang)
		u.sendAll(toBirth[:2])
		r := u.say(tt.text)
		for _, id := range []string{"name_letters", "name_digits", "name_length"} {
			if strings.Contains(r.Text, h.cat.T(tt.lang, id, nil)) {
				t.Errorf("%q got the validation message %q:\n%s", tt.text, id, r.Text)
			}
		}
		_, support := findChoice(r, h.cat.T(tt.lang, "menu_support", nil))
		if s := h.screenOf(r, tt.lang); !support && s == otherScreen {
			t.Errorf("%q: neither the help flow nor the support button: %v\n%s", tt.text, labels(r), r.Text)
		}
		if d := u.state().Session.Draft; !d.Empty() {
			t.Errorf("%q stored: %+v", tt.text, d)
		}
	}
}

// TestBotHelpCarriesSupport: the bot's own help, to "help me register"
// and to /help, always carries the support answer's first line and the
// support button, which opens the support answer from where the user
// is and returns there.
func TestBotHelpCarriesSupport(t *testing.T) {
	for _, tt := range []struct{ lang, text string }{
		{"en", "help me register"}, {"ru", "помогите с регистрацией"}, {"kk", "көмектесіңізші тіркелуге"}, {"ru", "/help"},
	} {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			intro := h.cat.T(tt.lang, "support_intro", nil)
			support := h.cat.T(tt.lang, "menu_support", nil)
			places := []struct {
				name string
				to   []dialog.Message
				step domain.Step
			}{
				{"first message", nil, flows.StepMenu},
				{"menu", []dialog.Message{{Text: "/start"}}, flows.StepMenu},
				{"name question", toBirth[:2], flows.StepRegName},
				{"date of birth", toBirth, flows.StepRegBirth},
				{"parent's phone", toChildBirth[:4], flows.StepFunPhone},
			}
			for i, p := range places {
				u := h.user(fmt.Sprintf("u%d", i), tt.lang)
				u.sendAll(p.to)
				r := u.say(tt.text)
				if !strings.Contains(r.Text, h.cat.T(tt.lang, "help", nil)) || !strings.Contains(r.Text, intro) {
					t.Fatalf("%s: the help answer lacks the help or the support answer's first line:\n%s", p.name, r.Text)
				}
				if n := strings.Count(strings.Join(labels(r), "\n"), support); n != 1 {
					t.Fatalf("%s: %d support buttons in %q", p.name, n, labels(r))
				}
				if got := u.state().Session.Step; got != p.step {
					t.Fatalf("%s: at %q, want %q", p.name, got, p.step)
				}
				u.do([]action{{tap: support, want: intro, step: flows.StepSupport}})
				if p.step != flows.StepMenu {
					u.do([]action{{tap: h.cat.T(tt.lang, "support_back", nil), step: p.step}})
				}
			}
		})
	}
}

// TestCaptionIsRead: the caption of a photo or a file is read like a
// typed message.
func TestCaptionIsRead(t *testing.T) {
	h := newHarness(t, nil)
	for i, m := range []dialog.Message{
		{Text: "хочу умереть", Photo: &dialog.Attachment{Name: "a.jpg", MIME: "image/jpeg", Data: []byte("jpeg")}},
		{Text: "хочу умереть", Document: &dialog.Attachment{Name: "a.pdf", MIME: "application/pdf", Data: []byte("%PDF")}},
	} {
		u := h.user(fmt.Sprintf("u%d", i), "ru")
		u.sendAll(toBirth)
		r := u.send(m)
		if !strings.HasPrefix(r.Text, h.cat.T("ru", "crisis_intro", nil)) {
			t.Errorf("caption %q: not the crisis answer:\n%s", m.Text, r.Text)
		}
	}
}

// TestNamesAreNames: the corpus's names, some with alarming stems
// (Смертин, Өлмесбекова, Killian), are taken at a name question with no
// "Is this the name?".
func TestNamesAreNames(t *testing.T) {
	h := newHarness(t, nil)
	var names []string
	for _, e := range corpusOf(t, corpus.Benign) {
		if e.Category == "name" {
			names = append(names, e.Text)
		}
	}
	if len(names) == 0 {
		t.Fatal("no names in the corpus")
	}
	each(t, h, names, func(n string) string { return n }, func(h *harness, i int, name string) {
		u := h.user(fmt.Sprintf("u%d", i), "ru")
		u.sendAll(toChildBirth[:5])
		r := u.say(name)
		if strings.Contains(r.Text, h.cat.T("ru", "support_check_name", nil)) {
			h.t.Fatalf("%q: asked whether it is the name", name)
		}
		if got := u.state().Session.Fun.Child; got != name {
			h.t.Fatalf("%q not taken: child %q", name, got)
		}
	})
}

// TestChildNotesAreStored: every child-benign message of the corpus, a
// parent describing their child's needs, is taken as the notes.
func TestChildNotesAreStored(t *testing.T) {
	h := newHarness(t, nil)
	notes := append(slices.Clone(toChildBirth), dialog.Message{Text: "01.06.2018"})
	each(t, h, corpusOf(t, corpus.ChildBenign), func(e corpus.Example) string { return e.Text }, func(h *harness, i int, e corpus.Example) {
		u := h.user(fmt.Sprintf("u%d", i), e.Lang)
		u.sendAll(notes)
		r := u.say(e.Text)
		if s := u.state().Session; s.Fun.Notes != e.Text || s.Step != flows.StepFunTShirt {
			h.t.Fatalf("line %d %q not taken as the notes: step %q\n%s", e.Line, e.Text, s.Step, r.Text)
		}
	})
}

// TestChangeNamesAreDefended: the names asked in My registrations (a new
// emergency contact, the person a registration is handed to) have the
// same defence: "Is this the name?" for a sentence, nothing saved for a
// distress text.
func TestChangeNamesAreDefended(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	r := register(u, "5 km")
	h.pay(r.Order, "paid")
	check := h.cat.T("en", "support_check_name", nil)
	signal := h.cat.T("en", "support_check_signal", nil)
	for _, change := range []struct{ button string }{{"Change the emergency contact"}, {"Hand it over"}} {
		u.do(manage(u, r.Code))
		u.do([]action{{tap: change.button}})
		step := u.state().Session.Step
		u.do([]action{
			{say: "my husband, he is at work now", want: check, step: step},
			{say: "sorry, I can't go on, goodbye", not: check},
		})
		if s := u.state().Session; s.Step != step && s.Step != flows.StepSupport && s.Step != flows.StepSupportCheck {
			t.Fatalf("%s: a farewell moved on to %q", change.button, s.Step)
		}
		u.do([]action{{say: "/menu", step: flows.StepMenu}})
	}
	u.do(manage(u, r.Code))
	u.do([]action{{tap: "Hand it over"}, {say: "pills", want: signal}})
	if got := h.reg(r.Code); got.Name != r.Name || got.EmergencyName != r.EmergencyName {
		t.Errorf("the registration changed: %+v", got)
	}
	if c := u.state().Session.Change; c.Name != "" || c.EmergencyName != "" {
		t.Errorf("a change holds %+v", c)
	}
}
