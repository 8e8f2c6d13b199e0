package flows_test

import (
	"testing"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// manageChild opens a child's sign-up in My registrations.
func manageChild(code string) []action {
	return []action{{say: "/menu"}, {tap: "My registrations", want: code + " · "}, {tap: code, want: "Fun Starts", step: flows.StepMyReg}}
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
	if h.funTaken() != 1 || h.reg(c.Code).Status != domain.StatusCancelled {
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
