package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/event"
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

func TestChildChangesClosedAfterTheLock(t *testing.T) {
	for _, option := range []string{"Change the name", "Change the date of birth", "Change the notes", "Change the t-shirt size"} {
		t.Run(option, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", "en")
			c, _ := signUpAlua(u)
			before := h.reg(c.Code)
			u.do(manageChild(c.Code))
			if !strings.Contains(u.last.Text, "You can change the details until 25 March 2027, 23:59.") {
				t.Errorf("no lock date on the card:\n%s", u.last.Text)
			}
			// A change opened before the lock and answered after it is
			// refused too.
			answer := map[string]action{
				"Change the name":          {say: "Aruzhan"},
				"Change the date of birth": {say: "01.06.2016"},
				"Change the notes":         {tap: "Nothing to add"},
				"Change the t-shirt size":  {tap: "140"},
			}[option]
			answer.want, answer.step = "Changes closed on 25 March 2027, 23:59", flows.StepMyReg
			u.do([]action{{tap: option}})
			h.setNow(afterLock)
			u.do([]action{answer})
			u.do([]action{{tap: option, want: "Changes closed on 25 March 2027, 23:59: the participant list has gone to the timing company and the t-shirt maker. To change something, contact the organizers at the kit pickup desk.", step: flows.StepMyReg}})
			if after := h.reg(c.Code); after != before {
				t.Errorf("changed after the lock:\n%+v\n%+v", before, after)
			}
			// Cancelling is not locked, as for a runner.
			u.do([]action{{tap: "Cancel the registration", step: flows.StepMyCancel}})
		})
	}
}

// TestChildCancel: a parent cancels a child's sign-up; the place is
// released exactly once. An unpaid one's order is void; a paid one
// keeps its money recorded, as the organizers' cancel of a paid runner
// does (cancelReg: PaidAmount stays, nothing is added to RefundDue), and
// the parent is told whom to ask about the fee.
func TestChildCancel(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(*event.Config)
		paid bool
	}{
		{name: "free"},
		{name: "unpaid", edit: withFunFee},
		{name: "paid", edit: withFunFee, paid: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.edit)
			u := h.user("u", "en")
			c, _ := signUpAlua(u)
			if tt.paid {
				h.pay(c.Order, "paid")
			}
			order := h.reg(c.Code).Order
			u.do(manageChild(c.Code))
			u.do([]action{{tap: "Cancel the registration", want: "Cancel the Fun Starts sign-up of Alua (" + c.Code + ")?", step: flows.StepMyCancel}})
			if paidNote := strings.Contains(u.last.Text, "The fee paid (3,000\u00a0₸) is not returned automatically: please ask the organizers at the kit pickup desk about it."); paidNote != tt.paid {
				t.Errorf("fee note %v, want %v:\n%s", paidNote, tt.paid, u.last.Text)
			}
			u.do([]action{
				{tap: "Back", step: flows.StepMyReg},
				{tap: "Cancel the registration"},
				{say: "maybe", want: "choose one of the options", step: flows.StepMyCancel},
				{tap: "Yes, cancel it", want: "The registration of Alua (" + c.Code + ") is cancelled.", step: flows.StepMine},
			})
			if strings.Contains(strings.Join(labels(u.last), "\n"), c.Code) {
				t.Errorf("a cancelled sign-up still offers its buttons: %v", labels(u.last))
			}
			if h.funTaken() != 0 {
				t.Fatalf("places %d after the cancel", h.funTaken())
			}
			// The place is free for another child. Pressed again (an old
			// message), and the lapse deadline passing, the cancel does
			// not release a place twice: the other child's stays taken.
			other := h.user("other", "en")
			signUpAlua(other)
			u.do([]action{{raw: "r:" + c.Code, want: "That button is from an earlier message", step: flows.StepMine}, {raw: "ch:yes", step: flows.StepMine}})
			h.setNow(testNow.Add(49 * time.Hour))
			h.tick()
			got := h.reg(c.Code)
			if got.Status != flows.StatusCancelled || got.Order != "" {
				t.Fatalf("after cancel: %+v", got)
			}
			if want := map[bool]int{true: 0, false: 1}[tt.edit != nil]; h.funTaken() != want {
				t.Errorf("places %d, want %d (the other child's, unless its hold lapsed)", h.funTaken(), want)
			}
			if order != "" && h.order(order).Status != flows.OrderVoid {
				t.Errorf("order %+v not void", h.order(order))
			}
			wantPaid := 0
			if tt.paid {
				wantPaid = 3000
			}
			if got.PaidAmount != wantPaid || got.RefundDue != 0 {
				t.Errorf("money: paid %d, owed back %d", got.PaidAmount, got.RefundDue)
			}
		})
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

// TestChildChangesInEveryLanguage walks a child's card, each change and
// the cancel, unpaid and paid, in each language: every text is the
// catalog's, no message id leaks.
func TestChildChangesInEveryLanguage(t *testing.T) {
	for _, lang := range []string{"kk", "ru", "en"} {
		for _, paid := range []bool{false, true} {
			t.Run(lang, func(t *testing.T) {
				h := newHarness(t, withFunFee)
				u := h.user("u", "en")
				c, _ := signUpAlua(u)
				if paid {
					h.pay(c.Order, "paid")
				}
				u.do([]action{{say: "/lang"}})
				u.send(flows.Message{Payload: "lang:" + lang})
				var seen []string
				for _, m := range []flows.Message{
					{Payload: "menu"}, {Payload: "m:my"}, {Payload: "r:" + c.Code},
					{Payload: "ck:name"}, {Text: "Әсел"},
					{Payload: "ck:birth"}, {Text: "04.04.2022"}, {Text: "01.06.2016"},
					{Payload: "ck:notes"}, {Text: "Қатты дыбыстан қорқады"},
					{Payload: "ch:tshirt"}, {Payload: "size:140"},
					{Payload: "ch:cancel"}, {Payload: "ch:yes"},
				} {
					rep := u.send(m)
					seen = append(seen, rep.Text)
					seen = append(seen, labels(rep)...)
					for _, l := range rep.Links {
						seen = append(seen, l.Label)
					}
				}
				all := strings.Join(seen, "\n")
				for _, s := range seen {
					if m := idPattern.FindString(s); m != "" {
						t.Errorf("message id %q shown in %q", m, s)
					}
				}
				for _, id := range []string{"my_kid_name", "my_kid_birth", "my_kid_notes", "my_saved", "field_notes"} {
					if want := h.cat.T(lang, id, nil); !strings.Contains(all, want) {
						t.Errorf("%s: %q (%s) not shown", lang, want, id)
					}
				}
				if want := h.cat.N(lang, "fun_age_refused", 4, map[string]any{"Name": "Әсел", "Min": 5, "Max": 14}); !strings.Contains(all, want) {
					t.Errorf("age refused %q not shown", want)
				}
				if want := h.cat.T(lang, "my_cancelled", map[string]any{"Name": "Әсел", "Code": c.Code}); !strings.Contains(all, want) {
					t.Errorf("cancel %q not shown", want)
				}
				got := h.reg(c.Code)
				if got.Name != "Әсел" || got.Birth != "2016-06-01" || got.SupportNeeds != "Қатты дыбыстан қорқады" || got.TShirt != "140" ||
					got.Status != flows.StatusCancelled || h.funTaken() != 0 {
					t.Errorf("%+v, places %d", got, h.funTaken())
				}
			})
		}
	}
}
