package flows_test

import (
	"sync/atomic"
	"testing"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// A press is checked and taken with the question built twice: once to
// check the press and read it, once for the answer. A stale one costs
// the same.
func TestPressBuildsTheQuestionTwice(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.do(toSummary()[:3])
	birth := u.last
	u.do(toSummary()[3:4])
	var asked atomic.Int32
	h.conv.CountQuestions(&asked)
	tests := []struct {
		name    string
		on      dialog.Reply
		label   string
		stale   bool
		step    domain.Step
		pressed bool
	}{
		{name: "stale", on: birth, label: "« Back", stale: true, step: flows.StepRegGender, pressed: true},
		{name: "taken", label: "Female", step: flows.StepRegPhone, pressed: true},
		{name: "from a channel that cannot tell the message", label: "« Back", step: flows.StepRegGender},
	}
	for _, tt := range tests {
		on := tt.on
		if on.Text == "" {
			on = u.last
		}
		c, ok := findChoice(on, tt.label)
		if !ok {
			t.Fatalf("%s: no %q on %q", tt.name, tt.label, on.Text)
		}
		m := dialog.Message{Payload: c.Payload}
		if tt.pressed {
			m.Pressed = pressedOf(on)
		}
		asked.Store(0)
		a := u.answer(m)
		u.last = a.Replies[len(a.Replies)-1]
		if n := asked.Load(); n != 2 {
			t.Errorf("%s: %d questions built, want 2", tt.name, n)
		}
		if a.Stale != tt.stale {
			t.Errorf("%s: stale %v, want %v", tt.name, a.Stale, tt.stale)
		}
		if got := u.state().Session.Step; got != tt.step {
			t.Errorf("%s: on %q, want %q", tt.name, got, tt.step)
		}
	}
}
