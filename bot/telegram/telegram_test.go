package telegram_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/domain"
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
			step := func(want domain.Step) {
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

			// The phone question: the choices under the question, then
			// the share button on a reply keyboard below.
			phone := tap(e.T(lang, "gender_female"), e.part(lang, "reg_phone_ask"), e.T(lang, "phone_share_hint"))
			wantKB := [][]tgfake.Button{{{Text: e.T(lang, "phone_share"), RequestContact: true}}}
			if phone[0].Keyboard != nil || !slices.Equal(phone[0].Buttons(), []string{e.T(lang, "back"), e.T(lang, "cancel")}) ||
				phone[1].Inline != nil || !equalKeyboards(phone[1].Keyboard, wantKB) || !phone[1].OneTimeKeyboard {
				t.Fatalf("phone question %+v", phone)
			}
			// Someone else's contact is not the participant's number.
			e.tg.Contact(p.u, "+77017778899", 555)
			again := p.expect(e.T(lang, "input_not_text"), e.T(lang, "phone_share_hint"))
			if !strings.Contains(again[0].Text, e.part(lang, "reg_phone_ask")) || !equalKeyboards(again[1].Keyboard, wantKB) {
				t.Fatalf("after someone else's contact: %+v", again)
			}
			step(flows.StepRegPhone)
			// Their own contact is taken: the next question comes alone,
			// no "✓" before it.
			e.tg.Contact(p.u, "77015556677", p.u.ID)
			if got := p.expect(e.part(lang, "reg_mode_ask"))[0]; got.Inline == nil {
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
			// The note above the question is the first message that
			// can take the phone keyboard away: it goes on its own.
			stale := p.expect(e.T(lang, "button_stale"), e.part(lang, "reg_distance_ask"))
			if !stale[0].RemoveKeyboard || stale[0].Inline != nil || stale[1].Inline == nil {
				t.Errorf("stale press answered %+v", stale)
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
			var regs []domain.Registration
			e.store.View(t.Context(), func(tx domain.Tx) error {
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

// The phone question's reply keyboard is kept in the session: after a
// restart in the middle of the question, the number is still taken and
// the keyboard still goes away, with a message that says something: no
// lone "✓" bubbles, none before a crisis answer either. The keyboard
// holds only the share button, so nothing typed later reads as "« Back".
func TestPhoneKeyboardLivesInTheSession(t *testing.T) {
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
	phone := p.expect(e.part("en", "reg_phone_ask"), e.T("en", "phone_share_hint"))
	if kb := phone[1].Keyboard; len(kb) != 1 || len(kb[0]) != 1 || !kb[0][0].RequestContact {
		t.Fatalf("phone keyboard %+v, want the share button alone", kb)
	}
	// « Back is an inline button of the question, taken like any other.
	p.tap("« Back")
	p.expect(e.part("en", "reg_gender_ask"))
	if !e.user(p.key()).Session.PhoneKeyboard {
		t.Fatal("the session forgot the keyboard on screen")
	}
	p.tap("Male")
	p.expect(e.part("en", "reg_phone_ask"), e.T("en", "phone_share_hint"))

	e.restart()
	p.say("8 701 234 56 78")
	mode := p.expect(e.part("en", "reg_mode_ask"))[0]
	if got := e.user(p.key()).Session.Draft.Phone; got != "+77012345678" {
		t.Errorf("phone %q", got)
	}
	if mode.RemoveKeyboard || !e.user(p.key()).Session.PhoneKeyboard {
		t.Fatalf("a question with buttons cannot take the keyboard away: %+v", mode)
	}
	// The first message that can carry the removal does: here the note
	// above a question, sent on its own.
	p.say("somewhere")
	got := p.expect(e.T("en", "pick_button"), e.part("en", "reg_mode_ask"))
	if !got[0].RemoveKeyboard || got[0].Inline != nil || got[1].Inline == nil || got[1].RemoveKeyboard {
		t.Fatalf("after the restart: %+v", got)
	}
	e.tg.Wait(t, "the session to learn the keyboard is gone", func() bool { return !e.user(p.key()).Session.PhoneKeyboard })

	// A crisis message at the phone question: the keyboard goes with
	// the answer's first message.
	p.tap("« Back")
	p.expect(e.part("en", "reg_phone_ask"), e.T("en", "phone_share_hint"))
	p.say("i want to kill myself")
	e.tg.Wait(t, "the crisis answer", func() bool {
		msgs := e.tg.BotMessages(p.u.ID)
		return len(msgs) > p.seen+1 && msgs[len(msgs)-1].Inline != nil
	})
	answer := e.tg.BotMessages(p.u.ID)[p.seen:]
	if !strings.Contains(answer[0].Text, e.T("en", "crisis_intro")) || !answer[0].RemoveKeyboard {
		t.Errorf("crisis answer %+v", answer)
	}
	for _, m := range e.tg.BotMessages(p.u.ID) {
		if strings.TrimSpace(m.Text) == "✓" {
			t.Errorf("a lone ✓; chat:\n%s", p.transcript())
		}
	}
}
