package flows_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// Finding 20: the organizers in the chat.
func TestOrganizersInTheChat(t *testing.T) {
	tests := []struct {
		name  string
		steps func(h *harness, reg domain.Registration) []action
		check func(t *testing.T, h *harness, reg domain.Registration)
	}{
		{
			name: "/checkin by code: kit and check-in, as on the dashboard",
			steps: func(h *harness, reg domain.Registration) []action {
				h.pay(reg.Order, "paid")
				return []action{
					{say: "/checkin", want: "Usage: /checkin CODE or BIB"},
					{say: "/checkin " + strings.TrimPrefix(reg.Code, "RFA-"), want: "Aigerim Nurlanova\nBib: 1000 · " + reg.Code + "\n5 km, in person · t-shirt M\nStatus: paid", step: flows.StepDesk},
					{tap: "Hand out the kit", want: "Kit handed out.", not: "Hand out the kit", step: flows.StepDesk},
					{tap: "Check in", want: "Checked in.", step: flows.StepDesk},
					{raw: "desk:kit", want: "earlier message"},
				}
			},
			check: func(t *testing.T, h *harness, reg domain.Registration) {
				got := h.reg(reg.Code)
				if got.KitCollectedAt.IsZero() || got.CheckedInAt.IsZero() || got.KitCollectedBy != "test:org" {
					t.Errorf("%+v", got)
				}
				var actions []string
				for _, e := range h.audit() {
					actions = append(actions, e.Action+" "+e.Record)
				}
				if strings.Join(actions, ",") != "kit "+reg.Code+",checkin "+reg.Code {
					t.Errorf("audit %v", actions)
				}
			},
		},
		{
			name: "/checkin by bib, then the next one typed; unpaid and unknown",
			steps: func(h *harness, reg domain.Registration) []action {
				h.pay(reg.Order, "paid")
				other := register(h.user("other", "en"), "10 km")
				return []action{
					{say: "/checkin 1000", want: "Aigerim Nurlanova", step: flows.StepDesk},
					{say: other.Code, want: "Not paid: no kit and no start", not: "Hand out the kit", step: flows.StepDesk},
					{say: "4242", want: "No registration for “4242”", step: flows.StepDesk},
					{tap: "Main menu", step: flows.StepMenu},
				}
			},
		},
		{
			name: "/stats: languages by name",
			steps: func(h *harness, reg domain.Registration) []action {
				return []action{{say: "/stats", want: "Languages: English 1 · messengers: test 1", not: "en 1"}}
			},
		},
		{
			name: "a broadcast to nobody offers the other audiences, keeping the text",
			steps: func(h *harness, reg domain.Registration) []action {
				return []action{
					{say: "/broadcast"},
					{tap: "Paid participants"},
					{tap: "One text for everyone"},
					{say: "The start has moved", want: "Pick another audience below", not: "Send\n"},
					{tap: "Awaiting payment", want: "It will go to 1 person", step: flows.StepBcPreview},
					{tap: "Send", want: "queued for 1 person"},
				}
			},
			check: func(t *testing.T, h *harness, reg domain.Registration) {
				if ps := h.pushes("u"); len(ps) != 1 || ps[0].Reply.Text != "The start has moved" || len(ps[0].Reply.Choices) != 0 {
					t.Errorf("pushes %+v", ps)
				}
			},
		},
		{
			name: "results before race day: a warning before Apply",
			steps: func(h *harness, reg domain.Registration) []action {
				h.pay(reg.Order, "paid")
				return nil
			},
			check: func(t *testing.T, h *harness, reg domain.Registration) {
				org := h.user("org", "en")
				r := org.sendFile("results.csv", []byte("Bib,Time\n1000,0:25:13\n"))
				if !strings.Contains(r.Text, "Careful: race day is 3 April 2027, still to come.") || !strings.Contains(r.Text, "Apply?") {
					t.Errorf("report:\n%s", r.Text)
				}
				h.setNow(afterRace)
				r = org.sendFile("results.csv", []byte("Bib,Time\n1000,0:25:14\n"))
				if strings.Contains(r.Text, "Careful") {
					t.Errorf("warned after the race:\n%s", r.Text)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, org, reg := organizers(t, nil)
			org.do(tt.steps(h, reg))
			if tt.check != nil {
				tt.check(t, h, reg)
			}
		})
	}
}
