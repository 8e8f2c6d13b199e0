package telegram_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/flows"
)

// A participant registers in each language, by typing and pressing
// buttons, shares a contact (someone else's first, then their own),
// presses a button of an old message; every message the bot sends is
// checked, and so is what storage holds.
func TestRegistersInEachLanguage(t *testing.T) {
	tests := []struct {
		lang, name, emergency, native string
	}{
		{"kk", "Әсел Қайратқызы", "Қайрат Әбенов", "Тіркеу коды: RFA-"},
		{"ru", "Айгерим Нурланова", "Нурлан Абенов", "Код регистрации: RFA-"},
		{"en", "Oliver Smith", "Emma Smith", "Registration code: RFA-"},
	}
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			e := newEnv(t)
			e.start()
			lang := tt.lang
			p := e.person(int64(1001+i), lang+"-KZ")
			var presses []string
			// tap presses a button of the current question, which then
			// shows the choice in place of its buttons.
			tap := func(label string, want ...string) []tgfake.Message {
				t.Helper()
				id, cb := p.tap(label)
				presses = append(presses, cb.ID)
				got := p.expect(want...)
				// The edit goes out beside the reply.
				e.tg.Wait(t, fmt.Sprintf("the pressed message showing the choice %q and no buttons", label), func() bool {
					m := p.message(id)
					return m.Inline == nil && strings.HasSuffix(m.Text, "\n\n✓ "+label)
				})
				return got
			}
			step := func(want flows.Step) {
				t.Helper()
				if got := e.user(p.key()).Session.Step; got != want {
					t.Fatalf("at step %q, want %q", got, want)
				}
			}

			p.say("/start")
			menu := p.expect(e.part(lang, "menu_ask"))[0]
			if !strings.Contains(menu.Text, e.T(lang, "welcome")) {
				t.Errorf("first contact is not welcomed in %s: %q", lang, menu.Text)
			}
			tap(e.T(lang, "menu_register"), e.part(lang, "reg_name_ask"))
			p.say(tt.name)
			birthQ := p.expect(e.part(lang, "reg_birth_ask"))[0]
			p.say("15.05.1990")
			p.expect(e.part(lang, "reg_gender_ask"))

			// The phone question: a reply keyboard with the share button
			// and the choices as text buttons.
			phoneQ := tap(e.T(lang, "gender_female"), e.part(lang, "reg_phone_ask"))[0]
			wantKB := [][]tgfake.Button{
				{{Text: e.T(lang, "phone_share"), RequestContact: true}},
				{{Text: e.T(lang, "back")}, {Text: e.T(lang, "cancel")}},
			}
			if phoneQ.Inline != nil || !equalKeyboards(phoneQ.Keyboard, wantKB) || !phoneQ.OneTimeKeyboard {
				t.Fatalf("phone question keyboard %+v inline %+v, want %+v", phoneQ.Keyboard, phoneQ.Inline, wantKB)
			}
			// Someone else's contact is not the participant's number.
			e.tg.Contact(p.u, "+77017778899", 555)
			again := p.expect(e.T(lang, "input_not_text"))[0]
			if !strings.Contains(again.Text, e.part(lang, "reg_phone_ask")) || !equalKeyboards(again.Keyboard, wantKB) {
				t.Fatalf("after someone else's contact: %q %+v", again.Text, again.Keyboard)
			}
			step(flows.StepRegPhone)
			// Their own contact is taken; the keyboard goes away.
			e.tg.Contact(p.u, "77015556677", p.u.ID)
			got := p.expect("✓", e.part(lang, "reg_mode_ask"))
			if !got[0].RemoveKeyboard || got[1].Inline == nil {
				t.Fatalf("after the contact: %+v", got)
			}
			tap(e.T(lang, "mode_choice_inperson"), e.part(lang, "reg_distance_ask"))

			// Back on the birth question, long gone: answered with the
			// current question, not applied, its buttons taken away.
			cb, err := e.tg.Press(p.u, birthQ.ID, e.T(lang, "back"))
			if err != nil {
				t.Fatal(err)
			}
			presses = append(presses, cb.ID)
			stale := p.expect(e.part(lang, "reg_distance_ask"))[0]
			if !strings.HasPrefix(stale.Text, e.T(lang, "button_stale")) {
				t.Errorf("stale press answered %q", stale.Text)
			}
			e.tg.Wait(t, "the old message without buttons, its text unchanged", func() bool {
				m := p.message(birthQ.ID)
				return m.Inline == nil && m.Text == birthQ.Text
			})
			step(flows.StepRegDistance)

			id, cb := p.tapData("d:10k")
			presses = append(presses, cb.ID)
			p.expect(e.part(lang, "reg_category_ask"))
			e.tg.Wait(t, "the distance message showing the choice", func() bool {
				m := p.message(id)
				return m.Inline == nil && strings.Contains(m.Text, "✓ 10")
			})
			tap(e.T(lang, "category_general"), e.part(lang, "reg_tshirt_ask"))
			tap("M", e.part(lang, "reg_emergency_name_ask"))
			p.say(tt.emergency)
			p.expect(e.part(lang, "reg_emergency_phone_ask"))
			p.say("87017654321")
			p.expect(e.part(lang, "reg_consent_ask"))
			summary := tap(e.T(lang, "consent_agree"), e.T(lang, "reg_summary_header"))[0]
			if !strings.Contains(summary.Text, "+7 701 555 66 77") {
				t.Errorf("summary lacks the shared phone: %q", summary.Text)
			}
			done := tap(e.T(lang, "reg_confirm"), e.part(lang, "done_next"))[0]
			if !strings.Contains(done.Text, tt.native) || !strings.Contains(done.Text, tt.name) {
				t.Errorf("confirmation %q lacks %q and the name", done.Text, tt.native)
			}

			e.stop()
			p.quiet()
			e.open()
			defer e.store.Close()
			var regs []flows.Registration
			e.store.View(t.Context(), func(tx flows.Tx) error {
				var err error
				regs, err = tx.Registrations(p.key())
				return err
			})
			if len(regs) != 1 {
				t.Fatalf("registrations: %+v", regs)
			}
			r := regs[0]
			if r.Name != tt.name || r.Phone != "+77015556677" || r.Distance != "10k" || r.Lang != lang || r.EmergencyPhone != "+77017654321" {
				t.Errorf("stored registration %+v", r)
			}
			for _, cb := range presses {
				if ok, _ := e.tg.Answered(cb); !ok {
					t.Errorf("press %s was not answered", cb)
				}
			}
		})
	}
}

func equalKeyboards(a, b [][]tgfake.Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// A language_code the bot does not speak gets the language question.
func TestAsksLanguageForOtherCodes(t *testing.T) {
	e := newEnv(t)
	e.start()
	for i, code := range []string{"de", ""} {
		p := e.person(int64(2001+i), code)
		p.say("/start")
		q := p.expect(e.T("kk", "lang_ask"))[0]
		for _, l := range []string{"kk", "ru", "en"} {
			if !strings.Contains(q.Text, e.T(l, "lang_ask")) {
				t.Errorf("language question %q lacks the %s text", q.Text, l)
			}
		}
		if got := strings.Join(q.Buttons(), "|"); got != "Қазақша|Русский|English" {
			t.Errorf("language buttons %s", got)
		}
		p.tap("Русский")
		p.expect(e.part("ru", "menu_ask"))
		if u := e.user(p.key()); u.Lang != "ru" {
			t.Errorf("language %q, want ru", u.Lang)
		}
	}
}

// On the phone question the choices are text buttons: typing (or
// pressing) one takes it, and the reply takes the keyboard away.
func TestPhoneKeyboardChoiceAndRemoval(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(3001, "en")
	p.say("/start register")
	p.expect(e.part("en", "reg_name_ask"))
	p.say("Oliver Smith")
	p.expect(e.part("en", "reg_birth_ask"))
	p.say("01.02.1985")
	p.expect(e.part("en", "reg_gender_ask"))
	p.tap("Male")
	p.expect(e.part("en", "reg_phone_ask"))
	p.say("« Back")
	got := p.expect("✓", e.part("en", "reg_gender_ask"))
	if !got[0].RemoveKeyboard || got[0].Inline != nil || got[1].Inline == nil {
		t.Fatalf("back from the phone question: %+v", got)
	}
	p.tap("Male")
	p.expect(e.part("en", "reg_phone_ask"))
	p.say("Cancel")
	cancelQ := p.expect("✓", e.part("en", "reg_cancel_ask"))[1]
	if cancelQ.Inline == nil {
		t.Fatalf("cancel question without buttons: %+v", cancelQ)
	}
	p.tap("No")
	phoneQ := p.expect(e.part("en", "reg_phone_ask"))[0]
	if phoneQ.Keyboard == nil {
		t.Fatal("phone question asked again without its keyboard")
	}
	// A typed number is taken too.
	p.say("8 701 234 56 78")
	p.expect("✓", e.part("en", "reg_mode_ask"))
	if got := e.user(p.key()).Session.Draft.Phone; got != "+77012345678" {
		t.Errorf("phone %q", got)
	}
}
