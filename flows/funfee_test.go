package flows_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// funFee is the Fun Starts fee of the tests below.
const funFee = 3000

func withFunFee(ev *event.Config) { ev.FunStarts.Fee = funFee }

// funTaken counts the places of Fun Starts taken.
func (h *harness) funTaken() int { return h.places(domain.FunStartsPlaces, event.InPerson) }

// signUpAlua signs up Alua, born 01.06.2018, as parent u (in English)
// and returns the child and the reply to the consent.
func signUpAlua(u *user) (domain.Registration, dialog.Reply) {
	u.h.t.Helper()
	u.do(with(toFunChild(), with(child("Alua", "01.06.2018", "", "128"), action{tap: "I agree", want: "Alua is signed up"})...))
	kids := u.children()
	return kids[len(kids)-1], u.last
}

// TestFunStartsFeeSignUp: with a fee, the consent gives the child an
// order CODE-1 for the fee and a link to pay it, and the place is held
// for payment.hold_hours, as for a runner.
func TestFunStartsFeeSignUp(t *testing.T) {
	h := newHarness(t, withFunFee)
	u := h.user("u", "en")
	c, reply := signUpAlua(u)
	hold := testNow.Add(48 * time.Hour)
	if c.Status != domain.StatusAwaitingPayment || c.Fee != funFee || c.Order != c.Code+"-1" || c.Orders != 1 ||
		!c.HoldUntil.Equal(hold) || c.PaidAmount != 0 || c.Due() != funFee {
		t.Fatalf("child %+v", c)
	}
	o := h.order(c.Code + "-1")
	if o.Code != c.Code || o.Amount != funFee || o.Currency != "KZT" || o.Status != domain.OrderOpen || o.Purpose != domain.PurposeFee {
		t.Errorf("order %+v", o)
	}
	if len(reply.Links) != 1 || reply.Links[0].URL != "https://pay.test/"+c.Code+"-1?amount=3000&currency=KZT&lang=en" ||
		reply.Links[0].Label != "Pay 3,000\u00a0₸" {
		t.Errorf("links %+v", reply.Links)
	}
	for _, w := range []string{"Fee: 3,000\u00a0₸", "until you pay, up to 17 January 2027, 15:00", "pay with the link below"} {
		if !strings.Contains(reply.Text, w) {
			t.Errorf("reply lacks %q:\n%s", w, reply.Text)
		}
	}
	if strings.Contains(reply.Text, "payment details will follow") {
		t.Errorf("still promises details later:\n%s", reply.Text)
	}
	if h.funTaken() != 1 || len(h.pushes("u")) != 0 {
		t.Errorf("places %d, pushes %d", h.funTaken(), len(h.pushes("u")))
	}
	// My registrations: the status, what to pay by when, and the link.
	r := u.tap("My registrations")
	for _, w := range []string{"Status: awaiting payment", "To pay: 3,000\u00a0₸ by 17 January 2027, 15:00"} {
		if !strings.Contains(r.Text, w) {
			t.Errorf("My registrations lacks %q:\n%s", w, r.Text)
		}
	}
	if len(r.Links) != 1 || r.Links[0].Label != "Pay "+c.Code+" (3,000\u00a0₸)" || !strings.HasPrefix(r.Links[0].URL, "https://pay.test/"+c.Code+"-1?") {
		t.Errorf("My registrations links %+v", r.Links)
	}
	// The same child again is still a duplicate while the place is held.
	u.do([]action{{say: "/menu"}, {tap: "Fun Starts"}, {tap: "Sign up a child", step: flows.StepFunChild}})
	u.do(with(child("Alua", "01.06.2018", "", "128"), action{tap: "I agree", want: "Alua is already signed up", step: flows.StepMine}))
	if len(u.children()) != 1 || h.funTaken() != 1 {
		t.Errorf("a duplicate took a place")
	}
}

// TestFunStartsFeeOrganizers: /markpaid takes a child's code, /stats
// counts children's money, funstarts.csv shows what was paid.
func TestFunStartsFeeOrganizers(t *testing.T) {
	h := newHarnessWith(t, withFunFee, func(h *harness) { h.admins = []string{"test:org"} })
	u := h.user("u", "en")
	c, _ := signUpAlua(u)
	paid, _ := signUpAlua(h.user("v", "en"))
	h.pay(paid.Order, "paid")
	org := h.user("org", "en")
	org.do([]action{
		{say: "/start"},
		{say: "/markpaid " + c.Code, want: "Usage: /markpaid"},
		{say: "/markpaid RFA-FS-ZZZZ cash", want: "There is no registration RFA-FS-ZZZZ"},
		{say: "/markpaid " + strings.ToLower(c.Code) + " cash at the desk", want: c.Code + " (Alua, Fun Starts) is marked paid. The parent gets a confirmation."},
		{say: "/markpaid " + c.Code + " again", want: c.Code + " (Alua, Fun Starts) is confirmed already"},
		{say: "/stats", want: "Money received: 6,000\u00a0₸"},
	})
	got := h.reg(c.Code)
	if got.Status != domain.StatusConfirmed || got.PaidAmount != funFee || h.order(c.Order).Status != domain.OrderVoid {
		t.Errorf("marked paid: %+v, order %+v", got, h.order(c.Order))
	}
	if ps := h.pushes("u"); len(ps) != 1 || ps[0].Key != "paid:"+c.Code || !strings.Contains(ps[0].Reply.Text, "Alua is signed up for Fun Starts") {
		t.Errorf("pushes:\n%s", pushTexts(ps))
	}
	audit := h.audit()
	if n := len(audit); n == 0 || audit[n-1].Action != "markpaid" || audit[n-1].Record != c.Code || audit[n-1].Detail != "cash at the desk" {
		t.Errorf("audit %+v", audit)
	}
	// A lapsed sign-up cannot be marked paid.
	late, _ := signUpAlua(h.user("w", "en"))
	h.setNow(testNow.Add(49 * time.Hour))
	h.tick()
	org.do([]action{{say: "/markpaid " + late.Code + " cash", want: "cannot be marked paid: it is not paid in time, place released"}})

	var b strings.Builder
	if err := h.conv.Export(t.Context(), "cli", flows.ExportFile{Kind: flows.ExportFunStarts}, &b); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, []byte(b.String()))
	cells := map[string]map[string]string{}
	for _, r := range rows[1:] {
		row := map[string]string{}
		for i, name := range rows[0] {
			row[name] = r[i]
		}
		cells[r[0]] = row
	}
	for code, want := range map[string][3]string{
		c.Code:    {"confirmed", "3000", "2027-01-15 15:00"},
		paid.Code: {"confirmed", "3000", "2027-01-15 15:00"},
		late.Code: {"lapsed", "0", ""},
	} {
		row := cells[code]
		if row["status"] != want[0] || row["paid_amount"] != want[1] || row["paid_at"] != want[2] || row["fee"] != "3000" || row["refund_due"] != "" {
			t.Errorf("%s row %v, want status, paid_amount, paid_at %v", code, row, want)
		}
	}
	s, err := h.conv.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if s.Received != 2*funFee || s.ChildrenByStatus[domain.StatusConfirmed] != 2 || s.ChildrenByStatus[domain.StatusLapsed] != 1 || s.FunTaken != 2 {
		t.Errorf("stats %+v", s)
	}
}

// TestFunStartsFreeUnchanged: without a fee, a sign-up is confirmed at
// once, with no order, no link, no deadline and nothing pushed.
func TestFunStartsFreeUnchanged(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	c, reply := signUpAlua(u)
	if c.Status != domain.StatusConfirmed || c.Order != "" || c.Orders != 0 || !c.HoldUntil.IsZero() || len(reply.Links) != 0 ||
		strings.Contains(reply.Text, "Fee") {
		t.Fatalf("free sign-up %+v, reply %+v", c, reply)
	}
	err := h.store.View(t.Context(), func(tx domain.Tx) error {
		if _, err := tx.Order(c.Code + "-1"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("an order for a free child: %v", err)
		}
		due, err := tx.Due(testNow.Add(365 * 24 * time.Hour))
		if len(due) != 0 {
			t.Errorf("a free child has a deadline: %+v", due)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h.setNow(testNow.Add(72 * time.Hour))
	h.tick()
	if got := h.reg(c.Code); got.Status != domain.StatusConfirmed || h.funTaken() != 1 || len(h.pushes("u")) != 0 {
		t.Errorf("after the hold time: %+v, pushes %d", got, len(h.pushes("u")))
	}
	if r := u.tap("My registrations"); !strings.Contains(r.Text, "Status: confirmed") || strings.Contains(r.Text, "To pay") || len(r.Links) != 0 {
		t.Errorf("My registrations: %q %+v", r.Text, r.Links)
	}
}
