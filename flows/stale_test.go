package flows_test

import (
	"context"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

// A press on an old message is never applied, even when the current
// question has a button with the same payload (Back is on every field).
// A press on the current question is taken, also when notes stood above
// it.
func TestStalePressNotApplied(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.do(toSummary()[:2])
	name := u.last
	u.do(toSummary()[2:3])
	back, ok := findChoice(name, "« Back")
	if !ok {
		t.Fatalf("no Back button in %q", name.Text)
	}
	a := u.answer(dialog.Message{Payload: back.Payload, Pressed: pressedOf(name)})
	if r := a.Replies[len(a.Replies)-1]; !a.Stale || !strings.HasPrefix(r.Text, "That button is from an earlier message") || !strings.Contains(r.Text, "date of birth") {
		t.Errorf("stale press answered %q (stale %v)", r.Text, a.Stale)
	}
	if got := u.state().Session.Step; got != flows.StepRegBirth {
		t.Errorf("step = %q after a stale press, want reg.birth", got)
	}
	// The answer to the stale press asks the date of birth again, under
	// a note: its Back is the current question's.
	u.last = a.Replies[len(a.Replies)-1]
	if a := u.answer(dialog.Message{Payload: back.Payload, Pressed: pressedOf(u.last)}); a.Stale {
		t.Errorf("a press on the current question, notes above it, was stale: %q", a.Replies[0].Text)
	}
	if got := u.state().Session.Step; got != flows.StepRegName {
		t.Errorf("step = %q after Back, want reg.name", got)
	}
}

func TestPhoneQuestionLabelsTheShareButton(t *testing.T) {
	for lang, want := range map[string]string{"en": "Send my number", "ru": "Отправить мой номер", "kk": "нөмірімді жіберу"} {
		h := newHarness(t, nil)
		u := h.user("u", lang)
		u.do([]action{{say: "/start register"}, {say: "Aigerim Nurlanova"}, {say: "15.05.1990"}})
		u.send(dialog.Message{Payload: "g:female"})
		if !u.last.AskPhone || !strings.Contains(u.last.ShareLabel, want) {
			t.Errorf("%s: phone question AskPhone=%v ShareLabel=%q, want %q", lang, u.last.AskPhone, u.last.ShareLabel, want)
		}
	}
}

// A user marked unreachable (they blocked the bot) who writes again has
// unblocked it: pushes may reach them again.
func TestWritingAgainMakesReachable(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.say("/start")
	conv := flows.New(flows.Config{Store: h.store, Event: h.ev, Catalog: h.cat, Now: h.clock})
	if err := conv.MarkUnreachable(context.Background(), "test", "u"); err != nil {
		t.Fatal(err)
	}
	if !u.state().Unreachable {
		t.Fatal("MarkUnreachable did not mark the user")
	}
	u.say("/menu")
	if u.state().Unreachable {
		t.Error("a user who writes again is still unreachable")
	}
}
