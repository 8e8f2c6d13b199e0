package flows_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// register takes u (in English) through registration for distance (a
// button label such as "5 km") in person, and returns the registration.
func register(u *user, distance string) domain.Registration {
	u.h.t.Helper()
	steps := toSummary()
	steps[7] = action{tap: distance}
	u.do(steps)
	u.do([]action{{tap: "Confirm"}})
	regs := u.registrations()
	return regs[len(regs)-1]
}

func (h *harness) reg(code string) domain.Registration {
	h.t.Helper()
	var r domain.Registration
	err := h.store.View(h.t.(*testing.T).Context(), func(tx domain.Tx) error {
		var err error
		r, err = tx.Registration(code)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

func (h *harness) order(id string) domain.Order {
	h.t.Helper()
	var o domain.Order
	err := h.store.View(h.t.(*testing.T).Context(), func(tx domain.Tx) error {
		var err error
		o, err = tx.Order(id)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return o
}

func (h *harness) places(distance string, mode event.Mode) int {
	h.t.Helper()
	var n int
	h.store.View(h.t.(*testing.T).Context(), func(tx domain.Tx) error {
		var err error
		n, err = tx.PlacesTaken(distance, mode)
		return err
	})
	return n
}

// pushes lists the pushes queued for the test user id.
func (h *harness) pushes(id string) []domain.Push {
	h.t.Helper()
	return h.pushesTo("test:" + id)
}

// pushesTo lists the pushes queued for a user key.
func (h *harness) pushesTo(userKey string) []domain.Push {
	h.t.Helper()
	p, err := h.store.PushesTo(userKey)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

// pay sends a provider's notification about order id for its amount.
// auditOf lists the audit entries of record with action.
func (h *harness) auditOf(record, action string) []domain.AuditEntry {
	h.t.Helper()
	var out []domain.AuditEntry
	for _, e := range h.audit() {
		if e.Record == record && e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

func (h *harness) pay(id, status string) domain.PaymentOutcome {
	h.t.Helper()
	o := h.order(id)
	out, err := h.conv.ApplyPayment(h.t.(*testing.T).Context(), domain.Payment{OrderID: id, Amount: o.Amount, Currency: o.Currency, Status: status, ProviderRef: "ref-" + id})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

func (h *harness) tick() {
	h.t.Helper()
	if err := h.conv.Tick(h.t.(*testing.T).Context()); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) unreachable(id string) {
	h.t.Helper()
	if err := h.conv.MarkUnreachable(h.t.(*testing.T).Context(), "test", id); err != nil {
		h.t.Fatal(err)
	}
}

func pushTexts(ps []domain.Push) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Kind + ": " + p.Reply.Text + "\n")
		for _, l := range p.Reply.Links {
			b.WriteString("  " + l.Label + " " + l.URL + "\n")
		}
	}
	return b.String()
}

// defaultEventFile is the embedded default event file.
func defaultEventFile(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../event/event.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOnlineConfirmationHasNoKitPickup(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	steps := toSummary()[:7]
	steps[6] = action{tap: "Online"}
	u.do(steps)
	u.do([]action{{tap: "5 km"}, {tap: "General"}, {tap: "M"}, {tap: "I agree"}, {tap: "Confirm"}})
	r := u.registrations()[0]
	h.pay(r.Order, "paid")
	text := h.pushes("u")[0].Reply.Text
	if !strings.Contains(text, "5 km, online") || !strings.Contains(text, "Online run") || strings.Contains(text, "Race kit pickup") {
		t.Errorf("online confirmation:\n%s", text)
	}
}

func TestWaitlist(t *testing.T) {
	h := newHarness(t, func(ev *event.Config) { ev.Distances[3].Capacity = 1 })
	first := register(h.user("a", "en"), "10 km")
	join := func(id string) domain.Registration {
		u := h.user(id, "en")
		steps := toSummary()
		u.do(steps[:7])
		u.do([]action{{tap: "10 km · 9,990\u00a0₸ · waitlist", step: flows.StepRegCategory}})
		u.do(steps[8:])
		u.do([]action{{tap: "Confirm", want: "on the waitlist for 10 km, in person: number"}})
		return u.registrations()[0]
	}
	// They join one minute apart, in this order.
	b := join("b")
	h.setNow(testNow.Add(time.Minute))
	c := join("c")
	h.setNow(testNow.Add(2 * time.Minute))
	d := join("d")
	for _, r := range []domain.Registration{b, c, d} {
		if r.Status != domain.StatusWaitlisted || r.Order != "" {
			t.Fatalf("waitlisted: %+v", r)
		}
	}
	if n := h.places("10k", event.InPerson); n != 1 {
		t.Fatalf("waitlist took places: %d", n)
	}
	dUser := h.user("d", "en")
	dUser.do([]action{{say: "/menu"}, {tap: "My registrations", want: "Number 3 on the waitlist"}})

	// b blocked the bot: when a's hold lapses, the place goes to c.
	h.unreachable("b")
	h.setNow(testNow.Add(48 * time.Hour))
	h.tick()
	if got := h.reg(first.Code).Status; got != domain.StatusLapsed {
		t.Fatalf("a: %s", got)
	}
	if got := h.reg(b.Code); got.Status != domain.StatusWaitlisted || len(h.pushes("b")) != 0 {
		t.Errorf("unreachable b was offered the place: %+v", got)
	}
	cr := h.reg(c.Code)
	if cr.Status != domain.StatusAwaitingPayment || !cr.Offered || !cr.HoldUntil.Equal(testNow.Add(72*time.Hour)) || cr.Order != c.Code+"-1" {
		t.Fatalf("c after the release: %+v", cr)
	}
	ps := h.pushes("c")
	if len(ps) != 1 || ps[0].Kind != "waitlist" || !strings.Contains(ps[0].Reply.Text, "held for you until 18 January 2027, 15:00") ||
		len(ps[0].Reply.Links) != 1 || !strings.Contains(ps[0].Reply.Links[0].URL, "amount=9990") {
		t.Fatalf("offer to c:\n%s", pushTexts(ps))
	}
	if n := h.places("10k", event.InPerson); n != 1 {
		t.Errorf("places = %d, want the offered place held", n)
	}
	// c does not pay within the 24 hours: the place passes to d.
	h.setNow(testNow.Add(72 * time.Hour))
	h.tick()
	h.tick()
	if got := h.reg(c.Code).Status; got != domain.StatusLapsed {
		t.Errorf("c after the offer lapsed: %s", got)
	}
	if ps := h.pushes("c"); !strings.Contains(ps[len(ps)-1].Reply.Text, "passed to the next person") {
		t.Errorf("c not told:\n%s", pushTexts(ps))
	}
	dr := h.reg(d.Code)
	if dr.Status != domain.StatusAwaitingPayment || len(h.pushes("d")) != 1 {
		t.Fatalf("d: %+v\n%s", dr, pushTexts(h.pushes("d")))
	}
	h.pay(dr.Order, "paid")
	// Bibs are given on payment: a and c never paid, so d gets the first.
	if got := h.reg(d.Code); got.Status != domain.StatusPaid || got.Bib != 1 {
		t.Errorf("d paid: %+v", got)
	}
	if n := h.places("10k", event.InPerson); n != 1 {
		t.Errorf("places = %d, want 1", n)
	}
}

func TestWaitlistedJoinGetsAPlaceFreedMeanwhile(t *testing.T) {
	h := newHarness(t, func(ev *event.Config) { ev.Distances[3].Capacity = 1 })
	a := h.user("a", "en")
	r := register(a, "10 km")
	u := h.user("u", "en")
	steps := toSummary()
	u.do(steps[:7])
	u.do([]action{{tap: "10 km · 9,990\u00a0₸ · waitlist"}})
	u.do(steps[8:])
	// a cancels while u reads the summary.
	a.do([]action{{say: "/menu"}, {tap: "My registrations"}, {tap: r.Code}, {tap: "Cancel the registration"}, {tap: "Yes, cancel it", want: "is cancelled"}})
	if h.places("10k", event.InPerson) != 0 {
		t.Fatal("cancelled place not released")
	}
	u.do([]action{{tap: "Confirm", want: "Registered!"}})
	if got := u.registrations()[0]; got.Status != domain.StatusAwaitingPayment || len(u.last.Links) != 1 {
		t.Errorf("%+v", got)
	}
}

func TestPromoCodes(t *testing.T) {
	parsed := func(t *testing.T) func(*event.Config) {
		// Dates are parsed at validation: go through the file format.
		return func(ev *event.Config) {
			src := "[[promo_codes]]\ncode = \"VOLUNTEER27\"\npercent = 100\nlimit = 1\nvalid_until = \"2027-03-31\"\n\n" +
				"[[promo_codes]]\ncode = \"HALF\"\npercent = 50\nlimit = 5\nvalid_until = \"2027-03-31\"\n\n" +
				"[[promo_codes]]\ncode = \"OLD\"\namount = 1000\nlimit = 5\nvalid_until = \"2027-01-01\"\n"
			withPromos, err := event.Parse(append(defaultEventFile(t), []byte("\n"+src)...))
			if err != nil {
				t.Fatal(err)
			}
			*ev = *withPromos
		}
	}
	t.Run("100% skips payment", func(t *testing.T) {
		h := newHarness(t, parsed(t))
		u := h.user("u", "en")
		u.do(toSummary())
		u.do([]action{
			{tap: "I have a promo code", step: flows.StepRegPromo},
			{say: "nope", want: "no such promo code", step: flows.StepRegPromo},
			{say: "old", want: "no longer valid", step: flows.StepRegPromo},
			{say: " volunteer27 ", want: "Promo code VOLUNTEER27: −8,990\u00a0₸\nTo pay: 0\u00a0₸", step: flows.StepRegSummary},
			{tap: "Confirm", want: "Registered and confirmed", step: flows.StepRegDone},
		})
		r := u.registrations()[0]
		if r.Status != domain.StatusPaid || r.Bib != 1000 || r.Order != "" || r.Discount != 8990 || len(u.last.Links) != 0 {
			t.Fatalf("%+v, links %v", r, u.last.Links)
		}
		if !strings.Contains(u.last.Text, "Bib: 1000") {
			t.Errorf("reply %q", u.last.Text)
		}
		// The only use is taken.
		v := h.user("v", "en")
		v.do(toSummary())
		v.do([]action{
			{tap: "I have a promo code"},
			{say: "VOLUNTEER27", want: "Promo code VOLUNTEER27 has been used up", step: flows.StepRegPromo},
			{tap: "Back", not: "VOLUNTEER27", step: flows.StepRegSummary},
			{tap: "Confirm", want: "To pay: 8,990\u00a0₸"},
		})
		if r := v.registrations()[0]; r.Promo != "" || r.Due() != 8990 {
			t.Errorf("without the code: %+v", r)
		}
	})
	t.Run("50% in the link", func(t *testing.T) {
		h := newHarness(t, parsed(t))
		u := h.user("u", "en")
		u.do(toSummary())
		u.do([]action{{tap: "I have a promo code"}, {say: "half", want: "To pay: 4,495\u00a0₸"}, {tap: "Confirm", want: "To pay: 4,495\u00a0₸"}})
		r := u.registrations()[0]
		if len(u.last.Links) != 1 || !strings.Contains(u.last.Links[0].URL, "amount=4495") || h.order(r.Order).Amount != 4495 {
			t.Fatalf("links %+v", u.last.Links)
		}
		h.pay(r.Order, "paid")
		if got := h.reg(r.Code); got.Status != domain.StatusPaid || got.PaidAmount != 4495 {
			t.Errorf("%+v", got)
		}
	})
	t.Run("a lapse gives the use back", func(t *testing.T) {
		h := newHarness(t, func(ev *event.Config) {
			parsed(t)(ev)
			ev.PromoCodes[1].Limit = 1
		})
		u := h.user("u", "en")
		u.do(toSummary())
		u.do([]action{{tap: "I have a promo code"}, {say: "HALF"}, {tap: "Confirm"}})
		h.setNow(testNow.Add(49 * time.Hour))
		h.tick()
		v := h.user("v", "en")
		v.do(toSummary())
		v.do([]action{{tap: "I have a promo code"}, {say: "HALF"}, {tap: "Confirm", want: "To pay: 4,495\u00a0₸"}})
	})
}

func TestMarkPaidByHand(t *testing.T) {
	h := newHarness(t, nil)
	h.admins = []string{"test:org"}
	h.restart()
	u := h.user("u", "ru")
	u.do([]action{{say: "/start"}})
	steps := []dialog.Message{
		{Payload: "m:reg"}, {Text: "Айгерим Нурланова"}, {Text: "15.05.1990"}, {Payload: "g:female"}, {Text: "87012345678"},
		{Payload: "mode:inperson"}, {Payload: "d:5k"}, {Payload: "cat:general"}, {Payload: "size:M"},
		{Text: "Нурлан Абенов"}, {Text: "87017654321"}, {Payload: "agree"}, {Payload: "reg:ok"},
	}
	for _, m := range steps {
		u.send(m)
	}
	r := u.registrations()[0]
	org := h.user("org", "en")
	runner := h.user("runner", "en")
	runner.do([]action{{say: "/start"}, {say: "/markpaid " + r.Code + " cash", want: "don't know that command"}})
	org.do([]action{
		{say: "/start"},
		{say: "/markpaid " + r.Code, want: "Usage: /markpaid CODE reason"},
		{say: "/markpaid RFA-ZZZZ cash", want: "There is no registration RFA-ZZZZ"},
		{say: "/markpaid " + strings.ToLower(r.Code) + " cash at the kit desk", want: r.Code + " (Айгерим Нурланова, 5 km) is marked paid. Bib: 1000"},
		{say: "/markpaid " + r.Code + " again", want: "is paid already (bib 1000)"},
	})
	got := h.reg(r.Code)
	if got.Status != domain.StatusPaid || got.Bib != 1000 || h.order(r.Code+"-1").Status != domain.OrderVoid {
		t.Fatalf("%+v", got)
	}
	ps := h.pushes("u")
	if len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "Оплата получена") {
		t.Errorf("participant's confirmation:\n%s", pushTexts(ps))
	}
	log, err := h.store.AuditLog()
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Admin != "test:org" || log[0].Action != "markpaid" || log[0].Record != r.Code || log[0].Detail != "cash at the kit desk" {
		t.Errorf("audit log %+v", log)
	}
	// A payment of the voided link that comes after is money to return.
	h.pay(r.Code+"-1", "paid")
	if got := h.reg(r.Code); got.RefundDue != 8990 || got.Bib != 1000 {
		t.Errorf("after a late online payment: %+v", got)
	}
}
