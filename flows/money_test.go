package flows_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// withPromo is the default event with promo codes TWENTY (20% off, five
// uses) and ONCE (500 off, one use).
func withPromo(t *testing.T, edit func(*event.Config)) func(*event.Config) {
	return func(ev *event.Config) {
		src := "\n[[promo_codes]]\ncode = \"TWENTY\"\npercent = 20\nlimit = 5\nvalid_until = \"2027-03-31\"\n" +
			"\n[[promo_codes]]\ncode = \"ONCE\"\namount = 500\nlimit = 1\nvalid_until = \"2027-03-31\"\n"
		parsed, err := event.Parse(append(defaultEventFile(t), []byte(src)...))
		if err != nil {
			t.Fatal(err)
		}
		*ev = *parsed
		if edit != nil {
			edit(ev)
		}
	}
}

// registerWithPromo registers u for 5 km with promo code and returns the
// registration.
func registerWithPromo(u *user, code, toPay string) domain.Registration {
	u.h.t.Helper()
	u.do(toSummary())
	u.do([]action{
		{tap: "I have a promo code"},
		{say: code, want: "To pay: " + toPay},
		{tap: "Confirm", want: "To pay: " + toPay},
	})
	regs := u.registrations()
	return regs[len(regs)-1]
}

// Finding 3: 5 km -> 2.5 km -> 5 km, paid, with a 20% promo code. The
// downgrade is confirmed first and says what is not refunded; the
// discount follows the fee; going back costs nothing and gives the old
// bib back.
func TestDistanceSwitchesKeepMoneyAndBibs(t *testing.T) {
	type money struct {
		distance                              string
		fee, discount, paid, refund, due, bib int
	}
	tests := []struct {
		name   string
		refund bool
		steps  []action
		after  []money
		// orders is the number of orders issued in the end (the fee's
		// only, when going back costs nothing).
		orders int
	}{
		{
			name: "no refund on a downgrade",
			steps: []action{
				{tap: "Switch distance", want: "2.5 km · 7,990\u00a0₸ · no refund of the difference"},
				{tap: "2.5 km", want: "Switch Aigerim Nurlanova from 5 km to 2.5 km? Paid: 7,192\u00a0₸; 2.5 km costs 6,392\u00a0₸.\nThe difference, 800\u00a0₸, is not refunded, but it counts if you switch back.", step: flows.StepMyDistanceOK},
				{tap: "Yes, switch", want: "Done: the distance is now 2.5 km. New bib: 4000.\nThe difference, 800\u00a0₸, is not refunded.", step: flows.StepMyReg},
				{tap: "Switch distance", want: "5 km · 8,990\u00a0₸ · same fee"},
				{tap: "5 km", want: "Done: the distance is now 5 km. New bib: 1000.", not: "not refunded", step: flows.StepMyReg},
			},
			after: []money{
				{"2.5k", 7990, 1598, 7192, 0, 0, 4000},
				{"5k", 8990, 1798, 7192, 0, 0, 1000},
			},
			orders: 1,
		},
		{
			name:   "refund on a downgrade, cancelled by going back",
			refund: true,
			steps: []action{
				{tap: "Switch distance", want: "2.5 km · 7,990\u00a0₸ · 800\u00a0₸ back"},
				{tap: "2.5 km", want: "The organizers will return the difference, 800\u00a0₸, to you.", step: flows.StepMyDistanceOK},
				{tap: "Yes, switch", want: "The difference, 800\u00a0₸, will be returned to you by the organizers.", step: flows.StepMyReg},
				{tap: "Switch distance", want: "5 km · 8,990\u00a0₸ · same fee"},
				{tap: "5 km", want: "New bib: 1000.", step: flows.StepMyReg},
			},
			after: []money{
				{"2.5k", 7990, 1598, 7192, 800, 0, 4000},
				{"5k", 8990, 1798, 7192, 0, 0, 1000},
			},
			orders: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withPromo(t, func(ev *event.Config) { ev.Changes.RefundOnDowngrade = tt.refund }))
			u := h.user("u", "en")
			r := registerWithPromo(u, "twenty", "7,192\u00a0₸")
			if o := h.order(r.Order); o.Amount != 7192 || r.Discount != 1798 {
				t.Fatalf("order %+v, registration %+v", o, r)
			}
			h.pay(r.Order, "paid")
			if got := h.reg(r.Code); got.Bib != 1000 || got.PaidAmount != 7192 {
				t.Fatalf("paid: %+v", got)
			}
			u.do(manage(u, r.Code))
			// The downgrade asks first: Back leaves everything as it was.
			u.do([]action{{tap: "Switch distance"}, {tap: "2.5 km", step: flows.StepMyDistanceOK}, {tap: "Back", step: flows.StepMyReg}})
			if got := h.reg(r.Code); got.Distance != "5k" || got.Bib != 1000 {
				t.Fatalf("changed before the confirmation: %+v", got)
			}
			for i, a := range tt.steps {
				u.do([]action{a})
				if i != 2 && i != 4 {
					continue
				}
				want := tt.after[i/2-1]
				got := h.reg(r.Code)
				have := money{got.Distance, got.Fee, got.Discount, got.PaidAmount, got.RefundDue, got.Due(), got.Bib}
				if have != want {
					t.Errorf("after step %d: %+v, want %+v", i, have, want)
				}
				if got.UpgradeTo != "" || got.UpgradeOrder != "" || len(u.last.Links) != 0 {
					t.Errorf("after step %d: an upgrade to pay: %+v, links %v", i, got, u.last.Links)
				}
			}
			if got := h.reg(r.Code); got.Orders != tt.orders {
				t.Errorf("orders issued %d, want %d", got.Orders, tt.orders)
			}
			if h.places("5k", event.InPerson) != 1 || h.places("2.5k", event.InPerson) != 0 {
				t.Errorf("places: 5k %d, 2.5k %d", h.places("5k", event.InPerson), h.places("2.5k", event.InPerson))
			}
		})
	}
}

// Finding 3: a dearer distance costs its price with the promo code,
// less what was paid.
func TestUpgradeChargesTheDiscountedDifference(t *testing.T) {
	h := newHarness(t, withPromo(t, nil))
	u := h.user("u", "en")
	r := registerWithPromo(u, "TWENTY", "7,192\u00a0₸")
	h.pay(r.Order, "paid")
	u.do(manage(u, r.Code))
	// 10 km: 9,990 less 20% is 7,992; 7,192 paid.
	u.do([]action{
		{tap: "Switch distance", want: "10 km · 9,990\u00a0₸ · pay 800\u00a0₸ more"},
		{tap: "10 km", want: "pay the difference, 800\u00a0₸", step: flows.StepMyReg},
	})
	got := h.reg(r.Code)
	h.pay(got.UpgradeOrder, "paid")
	got = h.reg(r.Code)
	if got.Distance != "10k" || got.Fee != 9990 || got.Discount != 1998 || got.PaidAmount != 7992 || got.Due() != 0 || got.RefundDue != 0 || got.Bib != 1 {
		t.Errorf("%+v", got)
	}
}

// Finding 3: an unpaid registration switching distance pays the new fee
// less its percent discount, worked out on the new fee.
func TestUnpaidSwitchRecomputesTheDiscount(t *testing.T) {
	h := newHarness(t, withPromo(t, nil))
	u := h.user("u", "en")
	r := registerWithPromo(u, "TWENTY", "7,192\u00a0₸")
	u.do(manage(u, r.Code))
	u.do([]action{
		{tap: "Switch distance", want: "2.5 km · 7,990\u00a0₸ · 6,392\u00a0₸ to pay"},
		{tap: "2.5 km", want: "To pay: 6,392\u00a0₸", step: flows.StepMyReg},
	})
	if got := h.reg(r.Code); got.Discount != 1598 || got.Due() != 6392 || h.order(got.Order).Amount != 6392 {
		t.Errorf("%+v", got)
	}
}

// Finding 4: the new payment link of a switch is shown once.
func TestSwitchShowsOneLink(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	r := register(u, "5 km")
	u.do(manage(u, r.Code))
	u.do([]action{{tap: "Switch distance"}, {tap: "10 km", step: flows.StepMyReg}})
	got := h.reg(r.Code)
	if len(u.last.Links) != 1 || !strings.Contains(u.last.Links[0].URL, got.Order) {
		t.Errorf("links %+v, want the one of %s", u.last.Links, got.Order)
	}
}

// Finding 5: a promo code with no uses left is refused where it is
// typed, not shown as applied on the summary.
func TestPromoUsedUpRefusedAtOnce(t *testing.T) {
	h := newHarness(t, withPromo(t, nil))
	registerWithPromo(h.user("first", "en"), "ONCE", "8,490\u00a0₸")
	u := h.user("u", "en")
	u.do(toSummary())
	u.do([]action{
		{tap: "I have a promo code"},
		{say: "once", want: "Promo code ONCE has been used up", not: "To pay: 0", step: flows.StepRegPromo},
		{say: "twenty", want: "Promo code TWENTY: −1,798\u00a0₸\nTo pay: 7,192\u00a0₸", step: flows.StepRegSummary},
	})
}
