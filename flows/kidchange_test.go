package flows_test

import (
	"testing"

	"github.com/runforautism/rfabot/flows"
)

// manageChild opens a child's sign-up in My registrations.
func manageChild(code string) []action {
	return []action{{say: "/menu"}, {tap: "My registrations", want: code + " · "}, {tap: code, want: "Fun Starts", step: flows.StepMyReg}}
}

// TestChildChanges: a parent changes a child's sign-up as a runner
// changes a registration (TestChanges), paid or not: each answer is
// checked as at the sign-up, saved, and shown on the child's card.
func TestChildChanges(t *testing.T) {
	tests := []struct {
		name  string
		steps []action
		check func(t *testing.T, before, after flows.Registration)
	}{
		{
			name: "name",
			steps: []action{
				{tap: "Change the name", want: "Now: Alua", step: flows.StepMyKidName},
				{say: "Alua 2", want: "cannot contain digits", step: flows.StepMyKidName},
				{say: "Aruzhan", want: "Saved.", step: flows.StepMyReg},
				{say: "/menu"}, {tap: "My registrations", want: " — Aruzhan (01.06.2018)"},
			},
			check: func(t *testing.T, before, after flows.Registration) {
				if after.Name != "Aruzhan" || after.Birth != before.Birth {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			name: "date of birth: the age range on race day is checked again",
			steps: []action{
				{tap: "Change the date of birth", want: "Now: 01.06.2018", step: flows.StepMyKidBirth},
				{say: "04.04.2022", want: "On race day Alua will be 4 years old, and Fun Starts is for children aged 5–14", step: flows.StepMyKidBirth},
				{say: "01.01.2010", want: "will be 17 years old", step: flows.StepMyKidBirth},
				{say: "01.06.2016", want: "Alua (01.06.2016)", step: flows.StepMyReg},
			},
			check: func(t *testing.T, before, after flows.Registration) {
				if after.Birth != "2016-06-01" {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			name: "notes: saved, never shown back",
			steps: []action{
				{tap: "Change the notes", want: "Now: none", step: flows.StepMyKidNotes},
				{say: "Afraid of crowds, needs help with shoes", want: "Notes on support needs: saved, only the organizers will see them", not: "crowds", step: flows.StepMyReg},
				{tap: "Change the notes", want: "Now: saved", not: "crowds"},
				{tap: "Nothing to add", want: "Notes on support needs: none", step: flows.StepMyReg},
				{tap: "Change the notes"},
				{say: "Does not speak", step: flows.StepMyReg},
			},
			check: func(t *testing.T, before, after flows.Registration) {
				if after.SupportNeeds != "Does not speak" {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			name: "t-shirt size",
			steps: []action{
				{tap: "Change the t-shirt size", want: "Now: 128", step: flows.StepMyKidTShirt},
				{say: "big", want: "choose one of the options", step: flows.StepMyKidTShirt},
				{tap: "140", want: "T-shirt: 140", step: flows.StepMyReg},
			},
			check: func(t *testing.T, before, after flows.Registration) {
				if after.TShirt != "140" {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			name: "back leaves a change unmade",
			steps: []action{
				{tap: "Change the name"},
				{tap: "Back", step: flows.StepMyReg},
				{tap: "Back", step: flows.StepMine},
			},
			check: func(t *testing.T, before, after flows.Registration) {
				if after != before {
					t.Errorf("changed:\n%+v\n%+v", before, after)
				}
			},
		},
	}
	for _, tt := range tests {
		for _, paid := range []bool{false, true} {
			name := tt.name + ", unpaid"
			if paid {
				name = tt.name + ", paid"
			}
			t.Run(name, func(t *testing.T) {
				h := newHarness(t, withFunFee)
				u := h.user("u", "en")
				c, _ := signUpAlua(u)
				if paid {
					h.pay(c.Order, "paid")
				}
				before := h.reg(c.Code)
				u.do(manageChild(c.Code))
				u.do(tt.steps)
				after := h.reg(c.Code)
				tt.check(t, before, after)
				if after.Status != before.Status || after.PaidAmount != before.PaidAmount || after.Order != before.Order || h.funTaken() != 1 {
					t.Errorf("a change touched the place or the money:\n%+v\n%+v", before, after)
				}
			})
		}
	}
}

// TestChildChangeKeepsASignUpInProgress: the sign-up's questions asked
// as a change leave a sign-up in progress as it was.
func TestChildChangeKeepsASignUpInProgress(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	c, _ := signUpAlua(u)
	u.do([]action{{say: "/menu"}, {tap: "Fun Starts"}, {tap: "Sign up a child", step: flows.StepFunChild}, {say: "Timur", step: flows.StepFunBirth}})
	u.do(manageChild(c.Code))
	u.do([]action{{tap: "Change the name"}, {say: "Aruzhan", step: flows.StepMyReg}})
	u.do([]action{{say: "/menu"}, {tap: "Fun Starts"}, {tap: "Sign up a child", want: "Timur's date of birth", step: flows.StepFunBirth}})
	if got := u.state().Session.Fun; got.Child != "Timur" || got.ParentName != "Dana Serikova" {
		t.Errorf("draft %+v", got)
	}
}

// TestChildCancelAfterTheOrganizersCancelled: the parent confirms the
// cancel after the organizers cancelled the sign-up meanwhile; the
// place is released once, by the organizers.
func TestChildCancelAfterTheOrganizersCancelled(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	c, _ := signUpAlua(u)
	other := h.user("other", "en")
	signUpAlua(other)
	u.do(manageChild(c.Code))
	u.do([]action{{tap: "Cancel the registration", step: flows.StepMyCancel}})
	if _, err := h.conv.CancelRegistration(t.Context(), "admin", c.Code, "duplicate"); err != nil {
		t.Fatal(err)
	}
	u.do([]action{{tap: "Yes, cancel it", want: "cannot be cancelled here: it is cancelled", step: flows.StepMyReg}})
	if h.funTaken() != 1 || h.reg(c.Code).Status != flows.StatusCancelled {
		t.Errorf("places %d, %+v", h.funTaken(), h.reg(c.Code))
	}
}

// TestChildCancelPaidAsTheOrganizersCancelAPaidRunner: the money
// recorded after a parent's cancel of a paid child is what the
// organizers' cancel of a paid runner leaves.
func TestChildCancelPaidAsTheOrganizersCancelAPaidRunner(t *testing.T) {
	h := newHarness(t, withFunFee)
	u := h.user("u", "en")
	r := register(u, "5 km")
	h.pay(r.Order, "paid")
	if _, err := h.conv.CancelRegistration(t.Context(), "admin", r.Code, "test"); err != nil {
		t.Fatal(err)
	}
	runner := h.reg(r.Code)
	c, _ := signUpAlua(u)
	h.pay(c.Order, "paid")
	u.do(manageChild(c.Code))
	u.do([]action{{tap: "Cancel the registration"}, {tap: "Yes, cancel it"}})
	kid := h.reg(c.Code)
	if kid.Status != runner.Status || kid.PaidAmount != kid.Fee || runner.PaidAmount != runner.Fee || kid.RefundDue != runner.RefundDue {
		t.Errorf("runner %s paid %d owed %d; child %s paid %d owed %d",
			runner.Status, runner.PaidAmount, runner.RefundDue, kid.Status, kid.PaidAmount, kid.RefundDue)
	}
}

// TestChildNameGoesThroughTheHelpFlowDefence: the new name question is
// a name question of the help flow's defence (freetext.go).
func TestChildNameGoesThroughTheHelpFlowDefence(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	c, _ := signUpAlua(u)
	u.do(manageChild(c.Code))
	u.do([]action{
		{tap: "Change the name", step: flows.StepMyKidName},
		{say: "I am so tired of all of this", want: "I need support", not: "Saved.", step: flows.StepMyKidName},
		{say: "My daughter is Aruzhan", want: "Is this the name? I have not saved it.", step: flows.StepMyKidName},
	})
	if got := h.reg(c.Code); got.Name != "Alua" {
		t.Errorf("a sentence became the name: %+v", got)
	}
}
