package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// toSummaryNumbered is toSummary typed on a channel of numbered lists:
// every button answered by its number.
func toSummaryNumbered() []action {
	return []action{
		{num: "/start", step: flows.StepMenu},
		{num: "1", want: "full name", step: flows.StepRegName},
		{num: "Aigerim Nurlanova", step: flows.StepRegBirth},
		{num: "15.05.1990", step: flows.StepRegGender},
		{num: "1", step: flows.StepRegPhone},
		{num: "8 701 234 56 78", step: flows.StepRegMode},
		{num: "1", step: flows.StepRegDistance},
		{num: "3", want: "category", step: flows.StepRegCategory},
		{num: "1", step: flows.StepRegTShirt},
		{num: "3", step: flows.StepRegEmName},
		{num: "Nurlan Abenov", step: flows.StepRegEmPhone},
		{num: "+7 701 765 43 21", step: flows.StepRegConsent},
	}
}

// Findings 1 and 2: a number names the choice of the list last shown;
// a list that changed underneath is shown again rather than read anew,
// and a number sent twice does not commit on the question the first
// one opened.
func TestNumbersKeepTheirMeaning(t *testing.T) {
	tests := []struct {
		name  string
		steps func(h *harness, u *user) []action
		check func(t *testing.T, h *harness, u *user)
	}{
		{
			name: "consent: 1 twice shows the summary, a third 1 confirms",
			steps: func(h *harness, u *user) []action {
				return []action{
					{num: "1", want: "Please check the details", step: flows.StepRegSummary},
					{num: "1", want: "“1” came twice in a row, so nothing is done yet", step: flows.StepRegSummary},
					{num: "1", want: "Registration code: RFA-", step: flows.StepRegDone},
				}
			},
			check: func(t *testing.T, h *harness, u *user) {
				if n := len(u.registrations()); n != 1 {
					t.Errorf("%d registrations", n)
				}
			},
		},
		{
			name: "a payment changes the registration's list: old numbers keep their meaning",
			steps: func(h *harness, u *user) []action {
				return []action{
					{num: "1", step: flows.StepRegSummary},
					{tap: "Confirm", step: flows.StepRegDone},
					{num: "/menu"},
					{num: "3", step: flows.StepMine},
					{num: "1", want: "Cancel the registration", step: flows.StepMyReg},
				}
			},
			check: func(t *testing.T, h *harness, u *user) {
				// Shown: 1 t-shirt, 2 emergency contact, 3 distance,
				// 4 online, 5 hand over, 6 cancel, 7 back, 8 menu.
				// Paid, the screen loses Cancel: 7 would be Main menu.
				r := u.registrations()[0]
				h.pay(r.Order, "paid")
				u.do([]action{
					{num: "6", want: "The list has changed, so that number now means something else", not: "Cancel the registration", step: flows.StepMyReg},
					// Shown again: 6 is now "I can't come", 7 Back.
					{num: "7", want: "You have 1 registration", step: flows.StepMine},
				})
				if got := h.reg(r.Code); got.Status != domain.StatusPaid {
					t.Errorf("%+v", got)
				}
			},
		},
		{
			name: "consent: 1, then 1 after reading the summary, confirms",
			steps: func(h *harness, u *user) []action {
				return []action{{num: "1", want: "Please check the details", step: flows.StepRegSummary}}
			},
			check: func(t *testing.T, h *harness, u *user) {
				h.setNow(h.clock().Add(20 * time.Second))
				u.do([]action{{num: "1", want: "Registration code: RFA-", step: flows.StepRegDone}})
			},
		},
		{
			name: "numbers around a command",
			steps: func(h *harness, u *user) []action {
				// A command between two 1s: the second is no repeat.
				return []action{{num: "1", step: flows.StepRegSummary}, {num: "/menu"}, {num: "1", step: flows.StepResume}, {num: "1", step: flows.StepRegSummary}}
			},
			check: func(t *testing.T, h *harness, u *user) {
				if r := u.registrations(); len(r) != 0 {
					t.Fatalf("registered: %+v", r)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", "en")
			u.do(toSummaryNumbered())
			u.do(tt.steps(h, u))
			tt.check(t, h, u)
		})
	}
}

// Finding 1: the payment confirmation, once sent, is the list a number
// refers to: its 1 is My registrations, whatever the screen under it.
func TestNumberAfterAPush(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.do(toSummaryNumbered())
	u.do([]action{{num: "1"}, {tap: "Confirm", step: flows.StepRegDone}, {num: "/menu", step: flows.StepMenu}})
	r := u.registrations()[0]
	h.pay(r.Order, "paid")
	ps := h.pushes("u")
	p := ps[len(ps)-1]
	if len(p.Reply.Choices) == 0 {
		t.Fatalf("confirmation without buttons: %+v", p)
	}
	p.Status = domain.PushSent
	if err := h.conv.SavePush(t.Context(), &p); err != nil {
		t.Fatal(err)
	}
	// On the menu 1 is "Register"; the confirmation's 1 is My
	// registrations.
	u.do([]action{{num: "1", want: "You have 1 registration", step: flows.StepMine}})
	// A reply since: its list counts again.
	u.do([]action{{num: "/menu"}, {num: "1", step: flows.StepRegName}})
	// A number beyond the push's list is read on the list before it.
	u.do([]action{{num: "/menu"}})
	h.pay(r.Order, "paid")
	if err := h.conv.SavePush(t.Context(), &p); err != nil {
		t.Fatal(err)
	}
	u.do([]action{{num: "2", want: "Fun Starts", step: flows.StepFun}})
}

// Finding 10: yes typed at the consent question, and typed labels
// matched loosely.
func TestTypedAnswersMatchLoosely(t *testing.T) {
	tests := []struct {
		name  string
		lang  string
		steps []action
	}{
		{
			name: "russian, typed",
			lang: "ru",
			steps: []action{
				{say: "/start"},
				{say: "регистрация", step: flows.StepRegName},
				{say: "Айгерим Нурланова"},
				{say: "15.05.1990"},
				{say: "жен", step: flows.StepRegPhone},
				{say: "8 701 234 56 78"},
				{say: "очно", step: flows.StepRegDistance},
				{say: "10 км", step: flows.StepRegCategory},
				{tap: "Назад", step: flows.StepRegDistance},
				{say: "5", step: flows.StepRegCategory},
				{tap: "Назад"},
				{say: "2,5км", step: flows.StepRegCategory},
				{say: "ОБЩАЯ", step: flows.StepRegTShirt},
				{say: "xl", step: flows.StepRegEmName},
				{say: "Нурлан Абенов"},
				{say: "+7 701 765 43 21", step: flows.StepRegConsent},
				{say: "нет", want: "Без этого согласия", step: flows.StepRegConsent},
				{say: "Да", want: "Проверьте, пожалуйста, данные", step: flows.StepRegSummary},
			},
		},
		{
			name:  "kazakh yes",
			lang:  "kk",
			steps: []action{{say: "иә", step: flows.StepRegSummary}},
		},
		{
			name:  "english yes",
			lang:  "en",
			steps: []action{{say: "Yes", step: flows.StepRegSummary}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", "en")
			if tt.lang == "ru" {
				u = h.user("u", "ru")
			} else {
				steps := toSummary()
				u.do(steps[:len(steps)-1])
				u.do([]action{{say: "/lang"}, {raw: "lang:" + tt.lang}})
			}
			u.do(tt.steps)
			if tt.lang == "ru" {
				d := u.state().Session.Draft
				if d.Gender != "female" || d.Distance != "2.5k" || d.Category != "general" || d.TShirt != "XL" || !d.Consent {
					t.Errorf("draft %+v", d)
				}
			}
		})
	}
}

func TestTypedLabelsWithNonBreakingSpaces(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	steps := toSummary()
	u.do(steps[:7])
	for _, l := range labels(u.last) {
		if strings.HasPrefix(l, "10") && !strings.Contains(l, "\u00a0") {
			t.Logf("label %q has no non-breaking space", l)
		}
	}
	u.do([]action{{say: "10\u00a0km", step: flows.StepRegCategory}})
	if d := u.state().Session.Draft; d.Distance != "10k" {
		t.Errorf("draft %+v", d)
	}
}
