package flows_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// apiLinks is a provider whose API makes the links: fails the first
// failures calls, then answers https://api.test/<order>; paid lists the
// orders FindPayment reports paid.
type apiLinks struct {
	mu       sync.Mutex
	calls    []flows.LinkRequest
	failures int
	paid     map[string]bool
	lookups  []string
}

func (*apiLinks) Link(domain.Order, string) (string, error) { return "", flows.ErrLinkByAPI }

func (a *apiLinks) MakeLink(_ context.Context, req flows.LinkRequest) (flows.MadeLink, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, req)
	if len(a.calls) <= a.failures {
		return flows.MadeLink{}, errors.New("connection refused")
	}
	return flows.MadeLink{URL: "https://api.test/" + req.Order.ID, Ref: "ref-" + req.Order.ID}, nil
}

func (a *apiLinks) FindPayment(_ context.Context, o domain.Order) (domain.Payment, bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lookups = append(a.lookups, o.ID)
	if !a.paid[o.ID] {
		return domain.Payment{}, false, nil
	}
	return domain.Payment{OrderID: o.ID, Amount: o.Amount, Currency: o.Currency, Status: domain.PaymentPaid,
		ProviderRef: "777", Provider: "api", Test: true}, true, nil
}

func (a *apiLinks) callCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.calls)
}

func apiHarness(t *testing.T, a *apiLinks, edit func(*event.Config)) *harness {
	return newHarnessWith(t, edit, func(h *harness) { h.links = a })
}

// makeLinks runs one pass of the link worker; a failed call must be
// reported.
func (h *harness) makeLinks() (failed []string) {
	h.t.Helper()
	h.conv.MakeLinks(h.t.(*testing.T).Context(), func(id string, err error) { failed = append(failed, id+": "+err.Error()) })
	return failed
}

func TestLinkFromTheProvidersAPI(t *testing.T) {
	a := &apiLinks{failures: 2}
	h := apiHarness(t, a, nil)
	u := h.user("u", "en")
	r := register(u, "5 km")
	if !strings.Contains(u.last.Text, "The payment link is on its way") || len(u.last.Links) != 0 {
		t.Fatalf("confirmation while the link is made: %q %v", u.last.Text, u.last.Links)
	}
	// The first call fails: retried after a second, then after two.
	if failed := h.makeLinks(); len(failed) != 1 || !strings.Contains(failed[0], "connection refused") {
		t.Fatalf("failed calls: %v", failed)
	}
	if h.makeLinks(); a.callCount() != 1 {
		t.Fatalf("retried before the backoff: %d calls", a.callCount())
	}
	h.setNow(testNow.Add(time.Second))
	h.makeLinks()
	h.setNow(testNow.Add(2 * time.Second))
	if h.makeLinks(); a.callCount() != 2 {
		t.Fatalf("second retry before its backoff: %d calls", a.callCount())
	}
	h.setNow(testNow.Add(3 * time.Second))
	if failed := h.makeLinks(); len(failed) != 0 || a.callCount() != 3 {
		t.Fatalf("third try: %v, %d calls", failed, a.callCount())
	}
	req := a.calls[2]
	if req.Order.ID != r.Order || req.Lang != "en" || req.Phone != "+77012345678" || req.AccountID != "test:u" ||
		!strings.Contains(req.Description, "5 km") || !strings.Contains(req.Description, "Aigerim Nurlanova") || !req.Until.Equal(r.HoldUntil) {
		t.Errorf("link request: %+v", req)
	}
	o := h.order(r.Order)
	if o.LinkURL != "https://api.test/"+r.Order || o.LinkRef != "ref-"+r.Order {
		t.Errorf("order after the link: %+v", o)
	}
	ps := h.pushes("u")
	if len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "Here is the payment link for "+r.Code) ||
		len(ps[0].Reply.Links) != 1 || ps[0].Reply.Links[0].URL != o.LinkURL {
		t.Fatalf("pushes:\n%s", pushTexts(ps))
	}
	// Asking again shows the same link, with no second call.
	u.say("/start")
	u.tap("My registrations")
	if len(u.last.Links) != 1 || u.last.Links[0].URL != o.LinkURL || a.callCount() != 3 {
		t.Errorf("my registrations: %v, %d calls", u.last.Links, a.callCount())
	}
	if h.makeLinks(); a.callCount() != 3 {
		t.Errorf("calls after the link was made: %d", a.callCount())
	}
}

func TestLinkWorkerPicksUpOrdersAfterARestart(t *testing.T) {
	a := &apiLinks{}
	h := apiHarness(t, a, nil)
	r := register(h.user("u", "en"), "5 km")
	h.restart()
	if h.makeLinks(); a.callCount() != 0 {
		t.Fatalf("calls before the clock: %d", a.callCount())
	}
	if err := h.conv.Reconcile(t.Context(), func(string, error) {}); err != nil {
		t.Fatal(err)
	}
	h.makeLinks()
	if a.callCount() != 1 || h.order(r.Order).LinkURL == "" {
		t.Errorf("after the clock: %d calls, order %+v", a.callCount(), h.order(r.Order))
	}
}

func TestCheckPayment(t *testing.T) {
	tests := []struct {
		name  string
		setup func(h *harness, u *user, r domain.Registration) domain.Payment
		want  flows.CheckResult
	}{
		{"awaiting payment", func(h *harness, u *user, r domain.Registration) domain.Payment { return paymentOf(h, r.Order) }, flows.CheckOK},
		{"unknown order", func(h *harness, u *user, r domain.Registration) domain.Payment {
			p := paymentOf(h, r.Order)
			p.OrderID = "RFA-NONE-1"
			return p
		}, flows.CheckUnknownOrder},
		{"changed amount", func(h *harness, u *user, r domain.Registration) domain.Payment {
			p := paymentOf(h, r.Order)
			p.Amount--
			return p
		}, flows.CheckWrongAmount},
		{"other currency", func(h *harness, u *user, r domain.Registration) domain.Payment {
			p := paymentOf(h, r.Order)
			p.Currency = "RUB"
			return p
		}, flows.CheckWrongAmount},
		{"cancelled registration", func(h *harness, u *user, r domain.Registration) domain.Payment {
			u.say("/start")
			u.tap("My registrations")
			u.tap(r.Code)
			u.tap("Cancel the registration")
			u.tap("Yes, cancel it")
			if got := h.reg(r.Code); got.Status != domain.StatusCancelled {
				h.t.Fatalf("not cancelled: %+v", got)
			}
			return paymentOf(h, r.Order)
		}, flows.CheckNotAccepted},
		{"lapsed hold", func(h *harness, u *user, r domain.Registration) domain.Payment {
			h.setNow(r.HoldUntil)
			h.tick()
			return paymentOf(h, r.Order)
		}, flows.CheckExpired},
		{"hold over, clock not yet run", func(h *harness, u *user, r domain.Registration) domain.Payment {
			h.setNow(r.HoldUntil)
			return paymentOf(h, r.Order)
		}, flows.CheckExpired},
		{"paid already", func(h *harness, u *user, r domain.Registration) domain.Payment {
			h.pay(r.Order, domain.PaymentPaid)
			return paymentOf(h, r.Order)
		}, flows.CheckNotAccepted},
		{"failed order retried on its page", func(h *harness, u *user, r domain.Registration) domain.Payment {
			h.pay(r.Order, domain.PaymentFailed)
			return paymentOf(h, r.Order)
		}, flows.CheckOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", "en")
			r := register(u, "5 km")
			p := tt.setup(h, u, r)
			got, err := h.conv.CheckPayment(t.Context(), p)
			if err != nil || got != tt.want {
				t.Errorf("check: %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// paymentOf is a paid notification of order id for its amount.
func paymentOf(h *harness, id string) domain.Payment {
	o := h.order(id)
	return domain.Payment{OrderID: id, Amount: o.Amount, Currency: o.Currency, Status: domain.PaymentPaid, ProviderRef: "9001", Provider: "tiptoppay", Test: true}
}

func TestPayRepeatedGivesOneBib(t *testing.T) {
	for _, concurrent := range []bool{false, true} {
		name := map[bool]string{false: "in turn", true: "at once"}[concurrent]
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, nil)
			r := register(h.user("u", "en"), "5 km")
			p := paymentOf(h, r.Order)
			p.At = testNow.Add(-time.Minute)
			var wg sync.WaitGroup
			outs := make([]domain.PaymentOutcome, 20)
			for i := range outs {
				apply := func() {
					out, err := h.conv.ApplyPayment(context.Background(), p)
					if err != nil {
						t.Error(err)
					}
					outs[i] = out
				}
				if concurrent {
					wg.Go(apply)
				} else {
					apply()
				}
			}
			wg.Wait()
			applied := 0
			for _, o := range outs {
				if o == domain.PaymentApplied {
					applied++
				}
			}
			got := h.reg(r.Code)
			ps := h.pushes("u")
			if applied != 1 || got.Status != domain.StatusPaid || got.Bib != 1000 || len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "Bib: 1000") {
				t.Fatalf("applied %d times, %+v, pushes:\n%s", applied, got, pushTexts(ps))
			}
			o := h.order(r.Order)
			if o.Provider != "tiptoppay" || o.ProviderRef != "9001" || o.PaidAmount != o.Amount || !o.PaidAt.Equal(p.At) || !o.Test {
				t.Errorf("order: %+v", o)
			}
		})
	}
}

func TestFailureSaysWhyAndSendsANewLink(t *testing.T) {
	h := newHarness(t, nil)
	r := register(h.user("u", "en"), "5 km")
	p := paymentOf(h, r.Order)
	p.Status, p.Reason = domain.PaymentFailed, flows.ReasonInsufficientFunds
	if out, err := h.conv.ApplyPayment(t.Context(), p); err != nil || out != domain.PaymentApplied {
		t.Fatalf("failed: %v %v", out, err)
	}
	ps := h.pushes("u")
	if len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "not enough money on the card") || len(ps[0].Reply.Links) != 1 ||
		!strings.Contains(ps[0].Reply.Links[0].URL, r.Code+"-2") {
		t.Fatalf("pushes:\n%s", pushTexts(ps))
	}
	if o := h.order(r.Order); o.FailReason != flows.ReasonInsufficientFunds {
		t.Errorf("order: %+v", o)
	}
}

func TestReconcileAppliesALostPayment(t *testing.T) {
	a := &apiLinks{paid: map[string]bool{}}
	h := apiHarness(t, a, func(ev *event.Config) { ev.Payment.ReconcileMinutes = 45 })
	r := register(h.user("u", "en"), "5 km")
	h.makeLinks()
	linked := h.order(r.Order).LinkAt
	a.paid[r.Order] = true
	reconcile := func(at time.Time) {
		t.Helper()
		h.setNow(at)
		if err := h.conv.Reconcile(t.Context(), func(id string, err error) { t.Errorf("%s: %v", id, err) }); err != nil {
			t.Fatal(err)
		}
	}
	reconcile(linked.Add(45*time.Minute - time.Second))
	if len(a.lookups) != 0 || h.reg(r.Code).Status != domain.StatusAwaitingPayment {
		t.Fatalf("looked up before reconcile_minutes: %v", a.lookups)
	}
	reconcile(linked.Add(45 * time.Minute))
	got := h.reg(r.Code)
	if len(a.lookups) != 1 || got.Status != domain.StatusPaid || got.Bib != 1000 {
		t.Fatalf("after reconcile_minutes: lookups %v, %+v", a.lookups, got)
	}
	ps := h.pushes("u")
	if last := ps[len(ps)-1]; !strings.Contains(last.Reply.Text, "Payment received") {
		t.Errorf("pushes:\n%s", pushTexts(ps))
	}
	if o := h.order(r.Order); o.ProviderRef != "777" || o.Provider != "api" {
		t.Errorf("order: %+v", o)
	}
	reconcile(linked.Add(2 * time.Hour))
	if len(a.lookups) != 1 {
		t.Errorf("a paid order looked up again: %v", a.lookups)
	}
}

func TestReconcileAsksAgainOnlyAfterReconcileMinutes(t *testing.T) {
	a := &apiLinks{paid: map[string]bool{}}
	h := apiHarness(t, a, nil)
	register(h.user("u", "en"), "5 km")
	h.makeLinks()
	for _, m := range []time.Duration{30, 40, 60, 61} {
		h.setNow(testNow.Add(m * time.Minute))
		if err := h.conv.Reconcile(t.Context(), func(string, error) {}); err != nil {
			t.Fatal(err)
		}
	}
	if len(a.lookups) != 2 {
		t.Errorf("lookups at 30, 40, 60, 61 minutes with the default 30: %v", a.lookups)
	}
}

func TestStatsSplitMoneyByProvider(t *testing.T) {
	h, org, reg := organizers(t, nil)
	apply := func(id, provider string, test bool) {
		t.Helper()
		p := paymentOf(h, id)
		p.Provider, p.Test, p.ProviderRef = provider, test, provider+"-77"
		if out, err := h.conv.ApplyPayment(t.Context(), p); err != nil || out != domain.PaymentApplied {
			t.Fatalf("pay %s: %v %v", id, out, err)
		}
	}
	apply(reg.Order, "tiptoppay", true)
	apply(register(h.user("v", "en"), "10 km").Order, "freedompay", false)
	org.do([]action{{say: "/stats", want: "Money by provider: freedompay 9,990\u00a0₸ (1), tiptoppay (test payments) 8,990\u00a0₸ (1)"}})
	s, err := h.conv.Stats(t.Context())
	if err != nil || len(s.ByProvider) != 2 || s.ByProvider[0] != (flows.ProviderMoney{Provider: "freedompay", Payments: 1, Amount: 9990}) {
		t.Errorf("stats: %+v %v", s.ByProvider, err)
	}
	var b strings.Builder
	if err := h.conv.Export(t.Context(), "cli", flows.ExportFile{Kind: flows.ExportRegistrations}, &b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ",tiptoppay,tiptoppay-77,yes\r\n") || !strings.Contains(b.String(), ",freedompay,freedompay-77,\r\n") {
		t.Errorf("export:\n%s", b.String())
	}
}

func TestReconcileAsksInBatchesLongestSilentFirst(t *testing.T) {
	a := &apiLinks{paid: map[string]bool{}}
	h := apiHarness(t, a, nil)
	var orders []string
	for i := range 25 {
		h.setNow(testNow.Add(time.Duration(i) * time.Second))
		orders = append(orders, register(h.user(fmt.Sprint("u", i), "en"), "5 km").Order)
	}
	h.makeLinks()
	// A Check each, the first registered heard from last.
	for i, id := range orders {
		h.setNow(testNow.Add(time.Minute - time.Duration(i)*time.Second))
		if _, err := h.conv.CheckPayment(t.Context(), paymentOf(h, id)); err != nil {
			t.Fatal(err)
		}
	}
	slices.Reverse(orders)
	h.setNow(testNow.Add(time.Hour))
	if err := h.conv.Reconcile(t.Context(), func(string, error) {}); err != nil {
		t.Fatal(err)
	}
	if len(a.lookups) != 20 || a.lookups[0] != orders[0] || a.lookups[19] != orders[19] {
		t.Fatalf("first tick asked about %v", a.lookups)
	}
	if err := h.conv.Reconcile(t.Context(), func(string, error) {}); err != nil {
		t.Fatal(err)
	}
	if len(a.lookups) != 25 || a.lookups[24] != orders[24] {
		t.Errorf("second tick: %v", a.lookups[20:])
	}
}
