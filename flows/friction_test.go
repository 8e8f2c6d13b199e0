package flows_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// Dead ends and friction of issue 17 (findings 7, 8, 9, 11, 12, 13,
// 15), each as a user meets it.
func TestFrictionFindings(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*event.Config)
		hint    string
		prepare func(h *harness, u *user)
		steps   []action
		check   func(t *testing.T, h *harness, u *user)
	}{
		{
			name: "7: a paid runner who cannot come is told what to do",
			prepare: func(h *harness, u *user) {
				r := register(u, "5 km")
				h.pay(r.Order, "paid")
				u.do(manage(u, r.Code))
			},
			steps: []action{
				{tap: "I can't come", want: "hand the registration over to another person (same distance and bib) or switch to the online run", step: flows.StepMyReg},
			},
		},
		{
			name: "7: with the lock passed, whom to contact",
			edit: func(ev *event.Config) {
				ev.Contacts = event.Text{KK: "+7 700 000 00 00", RU: "+7 700 000 00 00", EN: "+7 700 000 00 00"}
			},
			prepare: func(h *harness, u *user) {
				r := register(u, "5 km")
				h.pay(r.Order, "paid")
				h.setNow(afterLock)
				u.do(manage(u, r.Code))
			},
			steps: []action{{tap: "I can't come", want: "can no longer be handed over. If Aigerim Nurlanova cannot come, contact +7 700 000 00 00."}},
		},
		{
			name: "7: the contacts question shows when the file sets contacts",
			edit: func(ev *event.Config) {
				ev.Contacts = event.Text{KK: "+7 700 000 00 00", RU: "+7 700 000 00 00", EN: "+7 700 000 00 00"}
			},
			steps: []action{
				{say: "/start"},
				{tap: "Event info"},
				{tap: "Contact the organizers", want: "+7 700 000 00 00", step: flows.StepFAQ},
			},
		},
		{
			name: "9: a child's emergency contact may be the parent's number the registration uses",
			steps: func() []action {
				s := toSummary()[:11]
				s[3] = action{say: "15.05.2012"}
				return append(s,
					action{say: "8 701 234 56 78", want: "parent or guardian", step: flows.StepRegGuardian})
			}(),
		},
		{
			name: "9: an adult's own number is still refused",
			steps: func() []action {
				s := toSummary()[:11]
				return append(s, action{say: "8 701 234 56 78", want: "participant's own number", step: flows.StepRegEmPhone})
			}(),
		},
		{
			name: "12: a new date of birth says why the distance is asked again",
			steps: func() []action {
				s := toSummary()
				s[7] = action{tap: "10 km"}
				return append(s,
					action{tap: "Edit"},
					action{tap: "Date of birth"},
					action{say: "15.05.2013", want: "10 km is for ages 16 and up, so please choose another distance.", step: flows.StepRegDistance},
				)
			}(),
		},
		{
			name: "13: an online entry gets online wording",
			prepare: func(h *harness, u *user) {
				s := toSummary()
				s[6] = action{tap: "Online"}
				s[9].want, s[9].step = "", ""
				s = append(s[:10], s[12:]...)
				u.do(s)
			},
			steps: []action{{tap: "Confirm", want: "Keep it: you will need it to send your result.", not: "kit"}},
			check: func(t *testing.T, h *harness, u *user) {
				r := u.registrations()[0]
				h.pay(r.Order, "paid")
				ps := h.pushes("u")
				text := ps[len(ps)-1].Reply.Text
				if !strings.Contains(text, "Online run: from 3 April 2027, 00:00 to 5 April 2027, 23:59") || strings.Contains(text, "start at") || strings.Contains(text, "kit") {
					t.Errorf("confirmation:\n%s", text)
				}
			},
		},
		{
			name:  "15: /cancel asks first",
			steps: append(toSummary()[:4], action{say: "/cancel", want: "Cancel this registration?", step: flows.StepRegCancel}),
			check: func(t *testing.T, h *harness, u *user) {
				if d := u.state().Session.Draft; d.Name == "" {
					t.Errorf("draft dropped: %+v", d)
				}
			},
		},
		{
			name: "15: the language question again, with a hint",
			hint: "-",
			steps: []action{
				{say: "привет", want: "Choose your language", not: "from the list below", step: flows.StepLang},
				{say: "5", want: "Please choose a language from the list below.", step: flows.StepLang},
			},
		},
		{
			name: "15: a free Fun Starts sign-up says when and where",
			steps: append(toFunChild(), append(child("Alia", "01.06.2018", "", "S"),
				action{tap: "I agree", want: "When: 3 April 2027, 11:00\nWhere:"})...),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.edit)
			hint := "en"
			if tt.hint == "-" {
				hint = ""
			}
			u := h.user("u", hint)
			if tt.prepare != nil {
				tt.prepare(h, u)
			}
			u.do(tt.steps)
			if tt.check != nil {
				tt.check(t, h, u)
			}
		})
	}
}
