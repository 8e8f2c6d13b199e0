package telegram_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// A double tap on a button opens its screen once: the second tap, on a
// message whose buttons are still there, is answered and dropped, not
// answered as a stale press with the same screen again.
func TestDoubleTapOpensOnce(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(8101, "ru")
	p.say("/start")
	menu := p.expect(e.part("ru", "menu_ask"))[0]
	first, err := e.tg.Press(p.u, menu.ID, e.T("ru", "menu_info"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.tg.Press(p.u, menu.ID, e.T("ru", "menu_info"))
	if err != nil {
		t.Fatal(err)
	}
	info := p.expect(e.part("ru", "info_distances"))[0]
	if strings.Contains(info.Text, e.T("ru", "button_stale")) {
		t.Errorf("the first tap answered as stale: %q", info.Text)
	}
	// A chat's updates are handled in order: whatever the second tap
	// brought would come before the answer to this.
	p.say("/menu")
	p.expect(e.part("ru", "menu_ask"))
	for _, cb := range []string{first.ID, second.ID} {
		if ok, _ := e.tg.Answered(cb); !ok {
			t.Errorf("tap %s not answered", cb)
		}
	}
}

// /diploma sends the PDF first and the menu under it, so the buttons
// stay at the bottom of the chat.
func TestDiplomaAboveTheMenu(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(8201, "kk")
	e.seed(p, "kk", domain.Registration{Code: "RFA-DP01", Name: "Әсел Қайратқызы", Birth: "1995-02-01", Status: domain.StatusPaid, Bib: 1001})
	err := e.store.Update(t.Context(), func(tx domain.Tx) error {
		return tx.PutResult(&domain.Result{Code: "RFA-DP01", Bib: 1001, Distance: "5k", Mode: event.InPerson,
			Status: domain.ResultFinished, Time: 31*time.Minute + 7*time.Second})
	})
	if err != nil {
		t.Fatal(err)
	}
	p.say("/diploma")
	msgs := p.expect("", e.part("kk", "menu_ask"))
	if d := msgs[0].Document; d == nil || d.FileName != "diploma-RFA-DP01.pdf" || !strings.HasPrefix(string(d.Data), "%PDF") {
		t.Fatalf("first message %+v, want the diploma; chat:\n%s", msgs[0], p.transcript())
	}
	if !strings.Contains(msgs[1].Text, e.part("kk", "diploma_here")) || msgs[1].Inline == nil {
		t.Errorf("the menu under the diploma: %+v", msgs[1])
	}
}

// lastSaid is the id of the last message the user sent.
func (p *person) lastSaid() int {
	p.e.t.Helper()
	msgs := p.e.tg.Messages(p.u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if !msgs[i].FromBot {
			return msgs[i].ID
		}
	}
	p.e.t.Fatal("the user has sent nothing")
	return 0
}

// The bot asks for edited messages. Correcting a refused answer by
// editing it answers the question still open; an edit of anything else
// is not read, and the user is told so in their language.
func TestEditedMessages(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(8301, "ru")
	p.say("/start register")
	p.expect(e.part("ru", "reg_name_ask"))
	p.say("Айгерим Нурланова")
	name := p.lastSaid()
	p.expect(e.part("ru", "reg_birth_ask"))
	p.say("вчера")
	birth := p.lastSaid()
	p.expect(e.part("ru", "reg_birth_ask"))

	if _, err := e.tg.Edit(p.u, birth, "15.05.1990"); err != nil {
		t.Fatal(err)
	}
	p.expect(e.part("ru", "reg_gender_ask"))
	if got := e.user(p.key()).Session.Draft.Birth; got != "1990-05-15" {
		t.Fatalf("birth %q after the edit", got)
	}
	for _, id := range []int{name, birth} {
		if _, err := e.tg.Edit(p.u, id, "Алия Нурланова"); err != nil {
			t.Fatal(err)
		}
		got := p.expect(e.part("ru", "reg_gender_ask"))[0]
		if !strings.HasPrefix(got.Text, e.T("ru", "edit_not_read")) {
			t.Errorf("edit of message %d answered %q", id, got.Text)
		}
	}
	d := e.user(p.key()).Session.Draft
	if d.Name != "Айгерим Нурланова" || d.Birth != "1990-05-15" || e.user(p.key()).Session.Step != flows.StepRegGender {
		t.Errorf("an edit that is not read changed the draft: %+v", d)
	}
	// A cry for help is heard in an edit too.
	if _, err := e.tg.Edit(p.u, name, "хочу умереть"); err != nil {
		t.Fatal(err)
	}
	p.expect(e.part("ru", "crisis_intro"))
	if got := e.tg.Calls("getUpdates")[0].Params.Get("allowed_updates"); !strings.Contains(got, `"edited_message"`) {
		t.Errorf("allowed_updates %s", got)
	}
}

// checkButtons fails when a button of m is wider than a phone shows on
// a full-width button, or a row mixes labels of different widths.
func checkButtons(t *testing.T, m tgfake.Message) {
	t.Helper()
	class := func(label string) int {
		switch n := utf8.RuneCountInString(label); {
		case n <= 3:
			return 0
		case n <= 10:
			return 1
		}
		return 2
	}
	for _, row := range m.Inline {
		for _, b := range row {
			if n := utf8.RuneCountInString(b.Text); n > 30 {
				t.Errorf("label %q has %d characters, a phone shows about 30", b.Text, n)
			}
			if class(b.Text) != class(row[0].Text) || (class(b.Text) == 2 && len(row) > 1) {
				t.Errorf("row %q mixes long and short labels", m.Buttons())
			}
		}
	}
}

// Button labels fit a phone in every language: names are shortened with
// an ellipsis, fixed labels are short, and rows never mix long and
// short labels (sizes apart from « Back and Cancel).
func TestButtonLabelsFitAPhone(t *testing.T) {
	long := map[string]string{
		"kk": "Әсел-Айгерім Қайратқызы Нұрланова-Сейітқалиева",
		"ru": "Александра-Виктория Константиновна Преображенская",
		"en": "Maximilian Alexander Montgomery-Fitzwilliam Smith",
	}
	for i, lang := range []string{"kk", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			e.dashboardURL = "https://bot.example.kz/admin"
			e.start()
			p := e.person(int64(8401+i), lang)
			e.seed(p, lang, domain.Registration{Code: "RFA-LN01", Name: long[lang], Birth: "1990-05-15", Status: domain.StatusPaid, Bib: 1001})
			check := func(msgs []tgfake.Message) {
				t.Helper()
				for _, m := range msgs {
					checkButtons(t, m)
				}
			}
			p.say("/menu")
			check(p.expect(e.part(lang, "menu_ask")))
			p.tap(e.T(lang, "menu_mine"))
			mine := p.expect("RFA-LN01")
			check(mine)
			label := mine[0].Buttons()[0]
			if !strings.HasPrefix(label, "RFA-LN01 · ") || !strings.HasSuffix(label, "…") {
				t.Errorf("registration button %q, want the code and the name shortened", label)
			}
			p.tap("RFA-LN01")
			check(p.expect("RFA-LN01"))
			p.say("/start register")
			check(p.expect(e.part(lang, "reg_name_ask")))
			p.say(long[lang])
			check(p.expect(e.part(lang, "reg_birth_ask")))
			p.say("/support")
			check(p.expect(e.part(lang, "support_intro")))
			p.tap(e.T(lang, "support_back"))
			check(p.expect(e.part(lang, "reg_birth_ask")))
			p.say("15.05.1992")
			check(p.expect(e.part(lang, "reg_gender_ask")))
			p.tapData("g:female")
			check(p.expect(e.part(lang, "reg_phone_ask"), e.T(lang, "phone_share_hint")))
			p.say("+7 701 555 66 77")
			check(p.expect(e.part(lang, "reg_mode_ask")))
			p.tapData("mode:inperson")
			check(p.expect(e.part(lang, "reg_distance_ask")))
			p.tapData("d:5k")
			check(p.expect(e.part(lang, "reg_category_ask")))
			p.tapData("cat:general")
			sizes := p.expect(e.part(lang, "reg_tshirt_ask"))[0]
			check([]tgfake.Message{sizes})
			if last := sizes.Inline[len(sizes.Inline)-1]; len(last) != 2 || last[0].CallbackData != "back" || last[1].CallbackData != "cancel" {
				t.Errorf("the sizes' last row %+v, want « Back and Cancel on their own", last)
			}
		})
	}
}

// A tap whose answer never reached the user (here Telegram refused it;
// after a crash, the update handled before it is not answered again) is
// no double tap: the same tap again is answered.
func TestTapAgainAfterALostAnswer(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(8501, "en")
	p.say("/start")
	menu := p.expect(e.part("en", "menu_ask"))[0]
	e.tg.Fail("sendMessage", 1, tgfake.Failure{Code: 400, Description: "Bad Request: message is too long"})
	e.tg.Fail("editMessageText", 1, tgfake.Failure{Code: 400, Description: "Bad Request: message can't be edited"})
	if _, err := e.tg.Press(p.u, menu.ID, e.T("en", "menu_reminders_on")); err != nil {
		t.Fatal(err)
	}
	e.tg.Wait(t, "the answer refused", func() bool { return strings.Contains(e.logs.String(), "telegram refused a message") })
	if _, err := e.tg.Press(p.u, menu.ID, e.T("en", "menu_reminders_on")); err != nil {
		t.Fatal(err)
	}
	p.expect(e.part("en", "menu_ask"))
}
