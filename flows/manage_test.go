package flows_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

var idPattern = regexp.MustCompile(`\b[a-z]+_[a-z_0-9]+\b`)

// afterLock is a moment after the default event's change lock
// (25 March 2027, 23:59 in Astana).
var afterLock = time.Date(2027, 3, 26, 9, 0, 0, 0, time.UTC)

// manage opens one registration in My registrations.
func manage(u *user, code string) []action {
	return []action{{say: "/menu"}, {tap: "My registrations"}, {tap: code, step: flows.StepMyReg}}
}

// TestChanges: a participant changes an entry from My registrations: a
// runner's registration, or a child's sign-up as a parent (paid or not:
// each answer is checked as at the sign-up, saved and shown on the
// entry, and the place and the money stay as they were).
func TestChanges(t *testing.T) {
	tests := []struct {
		// child: the change is to Alua's sign-up, unpaid and paid.
		child bool
		name  string
		edit  func(*event.Config)
		paid  bool
		steps []action
		check func(t *testing.T, h *harness, before, after domain.Registration)
	}{
		{
			name: "t-shirt size",
			steps: []action{
				{tap: "Change the t-shirt size", want: "Now: M", step: flows.StepMyTShirt},
				{tap: "XL", want: "Saved.", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.TShirt != "XL" {
					t.Errorf("t-shirt %q", after.TShirt)
				}
			},
		},
		{
			name: "emergency contact",
			paid: true,
			steps: []action{
				{tap: "Change the emergency contact", step: flows.StepMyEmName},
				{say: "Dana 7", want: "cannot contain digits", step: flows.StepMyEmName},
				{say: "Dana Abenova", want: "Phone number of Dana Abenova", step: flows.StepMyEmPhone},
				{say: "87012345678", want: "participant's own number", step: flows.StepMyEmPhone},
				{say: "+7 701 111 22 33", want: "Emergency contact: Dana Abenova, +7 701 111 22 33", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.EmergencyName != "Dana Abenova" || after.EmergencyPhone != "+77011112233" || after.Bib != before.Bib {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			name: "distance, unpaid: a new link for the new fee",
			steps: []action{
				{tap: "Switch distance", want: "New distance for Aigerim Nurlanova (now 5 km)", step: flows.StepMyDistance},
				{tap: "10 km · 9,990\u00a0₸ · 9,990\u00a0₸ to pay", want: "the distance is now 10 km. To pay: 9,990\u00a0₸", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.Distance != "10k" || after.Fee != 9990 || after.Order != after.Code+"-2" || after.Status != domain.StatusAwaitingPayment {
					t.Fatalf("%+v", after)
				}
				if h.order(before.Order).Status != domain.OrderVoid || h.order(after.Order).Amount != 9990 {
					t.Errorf("orders: old %+v new %+v", h.order(before.Order), h.order(after.Order))
				}
				if h.places("5k", event.InPerson) != 0 || h.places("10k", event.InPerson) != 1 {
					t.Errorf("places 5k %d 10k %d", h.places("5k", event.InPerson), h.places("10k", event.InPerson))
				}
			},
		},
		{
			name: "distance, paid, dearer: exactly the difference, then a new bib",
			paid: true,
			steps: []action{
				{tap: "Switch distance", want: "10 km · 9,990\u00a0₸ · pay 1,000\u00a0₸ more"},
				{tap: "10 km", want: "pay the difference, 1,000\u00a0₸, with the link below", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.Distance != "5k" || after.UpgradeTo != "10k" || after.Bib != 1000 {
					t.Fatalf("before paying the difference: %+v", after)
				}
				o := h.order(after.UpgradeOrder)
				if o.Amount != 1000 || o.Purpose != domain.PurposeUpgrade {
					t.Fatalf("upgrade order %+v", o)
				}
				if h.places("5k", event.InPerson) != 1 || h.places("10k", event.InPerson) != 1 {
					t.Fatal("the new place is not held, or the old one not kept, while the difference is unpaid")
				}
				h.pay(o.ID, "paid")
				got := h.reg(after.Code)
				if got.Distance != "10k" || got.Fee != 9990 || got.PaidAmount != 9990 || got.Bib != 1 || got.UpgradeTo != "" || got.Due() != 0 {
					t.Errorf("after paying the difference: %+v", got)
				}
				if h.places("5k", event.InPerson) != 0 || h.places("10k", event.InPerson) != 1 {
					t.Error("places not moved")
				}
				ps := h.pushes("u")
				if text := ps[len(ps)-1].Reply.Text; !strings.Contains(text, "now runs 10 km instead of 5 km") || !strings.Contains(text, "New bib: 1\n") {
					t.Errorf("confirmation of the switch:\n%s", text)
				}
			},
		},
		{
			name: "distance, paid, dearer, not paid in time: stays",
			paid: true,
			steps: []action{
				{tap: "Switch distance"},
				{tap: "10 km", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				h.setNow(testNow.Add(49 * time.Hour))
				h.tick()
				got := h.reg(after.Code)
				if got.Distance != "5k" || got.UpgradeTo != "" || got.Status != domain.StatusPaid || got.Bib != 1000 {
					t.Errorf("%+v", got)
				}
				if h.places("10k", event.InPerson) != 0 || h.places("5k", event.InPerson) != 1 {
					t.Error("the held place was not released")
				}
				if ps := h.pushes("u"); !strings.Contains(ps[len(ps)-1].Reply.Text, "stays on 5 km") {
					t.Errorf("%s", pushTexts(ps))
				}
			},
		},
		{
			name: "distance, paid, cheaper: no refund",
			paid: true,
			steps: []action{
				{tap: "Switch distance", want: "1 km · 6,990\u00a0₸ · no refund of the difference"},
				{tap: "1 km", want: "The difference, 2,000\u00a0₸, is not refunded", step: flows.StepMyDistanceOK},
				{tap: "Yes, switch", want: "the distance is now 1 km. New bib: 6000.\nThe difference, 2,000\u00a0₸, is not refunded."},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.Distance != "1k" || after.Bib != 6000 || after.RefundDue != 0 || after.Fee != 6990 {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			name: "distance, paid, cheaper: refund when the event file says so",
			edit: func(ev *event.Config) { ev.Changes.RefundOnDowngrade = true },
			paid: true,
			steps: []action{
				{tap: "Switch distance", want: "1 km · 6,990\u00a0₸ · 2,000\u00a0₸ back"},
				{tap: "1 km", want: "The organizers will return the difference", step: flows.StepMyDistanceOK},
				{tap: "Yes, switch", want: "The difference, 2,000\u00a0₸, will be returned to you"},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.RefundDue != 2000 {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			name: "distance: the new one must have a place",
			edit: func(ev *event.Config) { ev.Distances[3].Capacity = 1 },
			steps: []action{
				{tap: "Switch distance", want: "10 km"},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				u := h.user("u", "en")
				other := h.user("other", "en")
				register(other, "10 km")
				// The question is asked anew: the full distance is gone.
				u.do([]action{{raw: "d:10k", want: "That button is from an earlier message", not: "10 km ·", step: flows.StepMyDistance}})
				if got := h.reg(before.Code); got.Distance != "5k" {
					t.Errorf("%+v", got)
				}
			},
		},
		{
			name: "online and back in person",
			paid: true,
			steps: []action{
				{tap: "Switch to online", want: "Switch Aigerim Nurlanova (", step: flows.StepMyMode},
				{tap: "Switch to online", want: "Done: 5 km, online.", step: flows.StepMyReg},
				{tap: "Switch to in person", step: flows.StepMyMode},
				{tap: "Switch to in person", want: "we need an emergency contact", step: flows.StepMyEmName},
				{say: "Dana Abenova"},
				{say: "+77011112233", want: "Done: 5 km, in person.", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.Mode != event.InPerson || after.EmergencyName != "Dana Abenova" || after.Bib != before.Bib || after.Fee != before.Fee {
					t.Errorf("%+v", after)
				}
				if h.places("5k", event.InPerson) != 1 || h.places("5k", event.Online) != 0 {
					t.Error("places not moved back")
				}
			},
		},
		{
			name: "hand over to another person, keeping the bib",
			paid: true,
			steps: []action{
				{tap: "Hand it over", want: "same distance and bib", step: flows.StepMyTrName},
				{say: "Dana Serikova", step: flows.StepMyTrBirth},
				{say: "01.01.2020", want: "younger than 12, the minimum age for 5 km", step: flows.StepMyTrBirth},
				{say: "01.06.2012", step: flows.StepMyTrGender},
				{tap: "Female", want: "phone number", step: flows.StepMyTrPhone},
				// Nothing of the person before is kept (finding 11).
				{say: "+7 701 555 66 77", want: "Whom should we call", step: flows.StepMyTrEmName},
				{say: "Serik Abenov", step: flows.StepMyTrEmPhone},
				// A child's number may be the parent's (finding 9).
				{say: "+7 701 555 66 77", step: flows.StepMyTrGuardian},
				{say: "Serik Abenov", want: "I, Serik Abenov, parent or guardian of Dana Serikova", step: flows.StepMyTrConsent},
				{say: "no", want: "only with this consent", step: flows.StepMyTrConsent},
				{tap: "I agree", want: "now belongs to Dana Serikova instead of Aigerim Nurlanova", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.Name != "Dana Serikova" || after.Birth != "2012-06-01" || after.Guardian != "Serik Abenov" ||
					after.Phone != "+77015556677" || after.EmergencyName != "Serik Abenov" || after.EmergencyPhone != "+77015556677" ||
					after.Gender != "female" || after.Bib != before.Bib || after.Code != before.Code || !after.ConsentAt.Equal(testNow) {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			name: "back leaves a change unmade",
			steps: []action{
				{tap: "Hand it over"},
				{say: "Dana Serikova"},
				{tap: "Back", step: flows.StepMyReg},
				{tap: "Back", step: flows.StepMine},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.Name != before.Name {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			child: true,
			name:  "name",
			steps: []action{
				{tap: "Change the name", want: "Now: Alua", step: flows.StepMyKidName},
				{say: "Alua 2", want: "cannot contain digits", step: flows.StepMyKidName},
				{say: "Aruzhan", want: "Saved.", step: flows.StepMyReg},
				{say: "/menu"}, {tap: "My registrations", want: " — Aruzhan (01.06.2018)"},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.Name != "Aruzhan" || after.Birth != before.Birth {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			child: true,
			name:  "date of birth: the age range on race day is checked again",
			steps: []action{
				{tap: "Change the date of birth", want: "Now: 01.06.2018", step: flows.StepMyKidBirth},
				{say: "04.04.2022", want: "On race day Alua will be 4 years old, and Fun Starts is for children aged 5–14", step: flows.StepMyKidBirth},
				{say: "01.01.2010", want: "will be 17 years old", step: flows.StepMyKidBirth},
				{say: "01.06.2016", want: "Alua (01.06.2016)", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.Birth != "2016-06-01" {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			child: true,
			name:  "notes: saved, never shown back",
			steps: []action{
				{tap: "Change the notes", want: "Now: none", step: flows.StepMyKidNotes},
				{say: "Afraid of crowds, needs help with shoes", want: "Notes on support needs: saved, only the organizers will see them", not: "crowds", step: flows.StepMyReg},
				{tap: "Change the notes", want: "Now: saved", not: "crowds"},
				{tap: "Nothing to add", want: "Notes on support needs: none", step: flows.StepMyReg},
				{tap: "Change the notes"},
				{say: "Does not speak", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.SupportNeeds != "Does not speak" {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			child: true,
			name:  "t-shirt size",
			steps: []action{
				{tap: "Change the t-shirt size", want: "Now: 128", step: flows.StepMyKidTShirt},
				{say: "big", want: "choose one of the options", step: flows.StepMyKidTShirt},
				{tap: "140", want: "T-shirt: 140", step: flows.StepMyReg},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after.TShirt != "140" {
					t.Errorf("%+v", after)
				}
			},
		},
		{
			child: true,
			name:  "back leaves a change unmade",
			steps: []action{
				{tap: "Change the name"},
				{tap: "Back", step: flows.StepMyReg},
				{tap: "Back", step: flows.StepMine},
			},
			check: func(t *testing.T, h *harness, before, after domain.Registration) {
				if after != before {
					t.Errorf("changed:\n%+v\n%+v", before, after)
				}
			},
		},
	}
	for _, tt := range tests {
		k, variants := entryKinds[0], []bool{tt.paid}
		if tt.child {
			k, variants = entryKinds[1], []bool{false, true}
		}
		for _, paid := range variants {
			t.Run(fmt.Sprintf("%s/%s/paid=%v", k.name, tt.name, paid), func(t *testing.T) {
				h := newHarness(t, func(ev *event.Config) {
					for _, edit := range []func(*event.Config){k.edit, tt.edit} {
						if edit != nil {
							edit(ev)
						}
					}
				})
				u := h.user("u", "en")
				e := k.enter(u)
				if paid {
					h.pay(e.Order, "paid")
				}
				before := h.reg(e.Code)
				u.do(manage(u, e.Code))
				u.do(tt.steps)
				after := h.reg(e.Code)
				tt.check(t, h, before, after)
				if tt.child && (after.Status != before.Status || after.PaidAmount != before.PaidAmount || after.Order != before.Order || h.funTaken() != 1) {
					t.Errorf("a change touched the place or the money:\n%+v\n%+v", before, after)
				}
			})
		}
	}
}

func TestMyRegistrationsShowPayLinks(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	a := register(u, "5 km")
	h.setNow(testNow.Add(time.Minute))
	u.do([]action{{tap: "Register another person"}})
	steps := toSummary()[2:]
	steps[0] = action{say: "Beknur Nurlanov"}
	steps[5] = action{tap: "10 km"}
	steps[9].want = "Beknur Nurlanov"
	u.do(steps)
	u.do([]action{{tap: "Confirm"}})
	b := u.registrations()[1]
	h.pay(b.Order, "paid")
	u.do([]action{{tap: "My registrations", want: "To pay: 8,990\u00a0₸ by 17 January 2027, 15:00"}})
	if !strings.Contains(u.last.Text, "Bib: 1") {
		t.Errorf("no bib in %q", u.last.Text)
	}
	if len(u.last.Links) != 1 || u.last.Links[0].Label != "Pay "+a.Code+" (8,990\u00a0₸)" || !strings.Contains(u.last.Links[0].URL, a.Order) {
		t.Errorf("links %+v, want the one unpaid registration", u.last.Links)
	}
	u.do([]action{{tap: a.Code, want: "You can change the details until 25 March 2027, 23:59."}})
	if len(u.last.Links) != 1 {
		t.Errorf("no pay link on the registration: %+v", u.last)
	}
	for _, l := range labels(u.last) {
		if len(l) == 0 {
			t.Error("empty label")
		}
	}
}
