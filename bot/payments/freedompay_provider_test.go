package payments_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/payments"
	"github.com/runforautism/rfabot/bot/payments/paytest"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// freedomEnv is the bot's HTTP server with Freedom Pay as its provider,
// over real flows and storage, on a clock the test moves, and the fake
// Freedom Pay API.
type freedomEnv struct {
	*env
	fake *paytest.FreedomPay
	p    *payments.FreedomPay
	log  *logBuffer
	mu   sync.Mutex
	now  time.Time
}

// logBuffer is a log written to while the test reads it.
type logBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newFreedomEnv(t *testing.T, edits ...func(*event.Config)) *freedomEnv {
	t.Helper()
	fake := newFake(t, "545084", "fp-secret")
	e := &freedomEnv{fake: fake, now: testNow, log: &logBuffer{}}
	e.env = newEnvOn(t, func(baseURL string) payments.Provider {
		pr, err := payments.New("freedompay", payments.Options{BaseURL: baseURL, Currency: "KZT",
			FreedomPay: payments.FreedomPayOptions{MerchantID: "545084", SecretKey: "fp-secret", APIURL: fake.URL(), Testing: true}})
		if err != nil {
			t.Fatal(err)
		}
		e.p = pr.(*payments.FreedomPay)
		e.p.Now = e.clock
		return e.p
	}, e.clock, e.log, edits...)
	return e
}

func (e *freedomEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *freedomEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// linkOf makes the links waiting, as the link worker does, and returns
// the fake's payment of order.
func (e *freedomEnv) linkOf(order string) paytest.FreedomPayPayment {
	e.t.Helper()
	e.flows.MakeLinks(context.Background(), func(id string, err error) { e.t.Errorf("link of %s: %v", id, err) })
	p, ok := e.fake.Payment(order)
	if !ok {
		e.t.Fatalf("no payment of %s at the fake", order)
	}
	return p
}

func (e *freedomEnv) order(id string) domain.Order {
	e.t.Helper()
	var o domain.Order
	if err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		o, err = tx.Order(id)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return o
}

// count is how many pushes to user say text.
func (e *freedomEnv) count(user, text string) int {
	n := 0
	for _, p := range e.pushes(user) {
		if strings.Contains(p.Reply.Text, text) {
			n++
		}
	}
	return n
}

func TestFreedomPayPaysOnce(t *testing.T) {
	e := newFreedomEnv(t)
	reply := e.register("u", "en")
	if len(reply.Links) != 0 || !strings.Contains(reply.Text, "The payment link is on its way") {
		t.Fatalf("confirm: %q %v", reply.Text, reply.Links)
	}
	r := e.registration("u")
	p := e.linkOf(r.Order)
	want := map[string]string{
		"pg_merchant_id": "545084", "pg_order_id": r.Order, "pg_amount": "8990", "pg_currency": "KZT",
		"pg_language": "en", "pg_user_phone": "77011234567", "pg_lifetime": "172800", "pg_testing_mode": "1",
		"pg_result_url": e.srv.URL + "/payments/freedompay/result", "pg_request_method": "POST",
	}
	for k, v := range want {
		if got := p.Form.Get(k); got != v {
			t.Errorf("init_payment.php %s = %q, want %q", k, got, v)
		}
	}
	if d := p.Form.Get("pg_description"); !strings.Contains(d, "5 km") || !strings.Contains(d, "Әсел Қайратқызы") {
		t.Errorf("pg_description %q names neither the distance nor the participant", d)
	}
	if o := e.order(r.Order); o.LinkURL != e.fake.RedirectURL(p) || o.LinkRef != p.ID {
		t.Errorf("order keeps link %q ref %q, want %q %q", o.LinkURL, o.LinkRef, e.fake.RedirectURL(p), p.ID)
	}
	if n := e.count("u", "Here is the payment link"); n != 1 {
		t.Errorf("%d pushes with the link, want 1", n)
	}
	// Asking for the link again makes no second call.
	e.flows.MakeLinks(context.Background(), func(id string, err error) { t.Errorf("link of %s: %v", id, err) })
	if n := e.fake.Calls("init_payment.php"); n != 1 {
		t.Errorf("%d init_payment.php calls, want 1", n)
	}

	paid := paytest.FreedomPayResult{Paid: true, CanReject: true}
	res, err := e.fake.Pay(context.Background(), r.Order, paid)
	if err != nil || res.HTTPStatus != 200 || res.Status != "ok" || !res.SigOK {
		t.Fatalf("pay: %+v %v", res, err)
	}
	got := e.registration("u")
	if got.Status != domain.StatusPaid || got.Bib == 0 || got.PaidAmount != 8990 {
		t.Fatalf("after the result: %+v", got)
	}
	o := e.order(r.Order)
	if o.Status != domain.OrderPaid || o.Provider != "freedompay" || o.ProviderRef != p.ID || o.PaidAmount != 8990 || !o.Test || o.PaidAt.IsZero() {
		t.Errorf("order: %+v", o)
	}
	// The same result 20 times in turn and 20 at once, refusable or
	// not: one bib, one confirmation, every answer ok.
	p, _ = e.fake.Payment(r.Order)
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		send := func() {
			res, err := e.fake.PostResult(context.Background(), p.Form.Get("pg_result_url"),
				e.fake.ResultForm(p, paytest.FreedomPayResult{Paid: true, CanReject: i%2 == 0}), "fp-secret")
			if err != nil || res.HTTPStatus != 200 || res.Status != "ok" || !res.SigOK {
				t.Errorf("repeat: %+v %v", res, err)
			}
		}
		if i < 20 {
			send()
		} else {
			wg.Go(send)
		}
	}
	wg.Wait()
	if n, again := e.count("u", "Payment received"), e.registration("u"); n != 1 || again.Bib != got.Bib || again.PaidAmount != 8990 {
		t.Errorf("after 40 repeats: %d confirmations, %+v", n, again)
	}
}

func TestFreedomPayRefusesBadSignatures(t *testing.T) {
	e := newFreedomEnv(t)
	e.register("u", "en")
	r := e.registration("u")
	p := e.linkOf(r.Order)
	resultURL := p.Form.Get("pg_result_url")
	form := e.fake.ResultForm(p, paytest.FreedomPayResult{Paid: true})
	signed := func(script, key string, edit func(url.Values)) string {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("pg_salt", "abc")
		f.Set("pg_sig", paytest.FreedomSign(script, f, key))
		if edit != nil {
			edit(f)
		}
		return f.Encode()
	}
	for name, body := range map[string]string{
		"another key":         signed("result", "other", nil),
		"another script name": signed("init_payment.php", "fp-secret", nil),
		"no signature":        signed("result", "fp-secret", func(f url.Values) { f.Del("pg_sig") }),
		"amount changed":      signed("result", "fp-secret", func(f url.Values) { f.Set("pg_amount", "1.00") }),
		"order changed":       signed("result", "fp-secret", func(f url.Values) { f.Set("pg_order_id", r.Order+"x") }),
		"empty":               "",
	} {
		code, got := e.postTo("/payments/freedompay/result", body, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
		if code != http.StatusUnauthorized || strings.Contains(got, "<pg_sig>") {
			t.Errorf("%s: %d %s, want 401 unsigned", name, code, got)
		}
	}
	if got := e.registration("u"); got.Status != domain.StatusAwaitingPayment || got.Bib != 0 {
		t.Errorf("after forged results: %+v", got)
	}
	if o := e.order(r.Order); o.Status != domain.OrderOpen || o.ProviderRef != "" {
		t.Errorf("order after forged results: %+v", o)
	}
	if len(e.pushes("u")) != 1 {
		t.Errorf("pushes after forged results: %d, want the link only", len(e.pushes("u")))
	}
	// Signed, but not a result: 400 with a signed error.
	res, err := e.fake.PostResult(context.Background(), resultURL, url.Values{"pg_amount": {"8990"}, "pg_result": {"1"}}, "fp-secret")
	if err != nil || res.HTTPStatus != http.StatusBadRequest || res.Status != "error" || !res.SigOK || !strings.Contains(res.Description, "pg_order_id") {
		t.Errorf("malformed: %+v %v", res, err)
	}
	// A fraction of a tenge is refused, never rounded.
	odd := e.fake.ResultForm(p, paytest.FreedomPayResult{Paid: true})
	odd.Set("pg_amount", "8989.50")
	res, err = e.fake.PostResult(context.Background(), resultURL, odd, "fp-secret")
	if err != nil || res.Status != "error" || !strings.Contains(res.Description, "fraction") {
		t.Errorf("fractional amount: %+v %v", res, err)
	}
	odd.Set("pg_can_reject", "1")
	if res, err = e.fake.PostResult(context.Background(), resultURL, odd, "fp-secret"); err != nil || res.Status != "rejected" {
		t.Errorf("refusable fractional amount: %+v %v", res, err)
	}
	odd.Set("pg_result", "0")
	if res, err = e.fake.PostResult(context.Background(), resultURL, odd, "fp-secret"); err != nil || res.HTTPStatus != http.StatusBadRequest {
		t.Errorf("failure with a fractional amount: %+v %v", res, err)
	}
	if got := e.registration("u"); got.Status != domain.StatusAwaitingPayment || got.Order != r.Order {
		t.Errorf("after fractional amounts: %+v", got)
	}
}

// A result Freedom Pay lets the bot refuse is refused when the place is
// gone, so the money goes back; one it does not is taken and owed back.
func TestFreedomPayRejectsWhenThePlaceIsGone(t *testing.T) {
	e := newFreedomEnv(t, func(ev *event.Config) {
		for i := range ev.Distances {
			if ev.Distances[i].ID == "5k" {
				ev.Distances[i].Capacity = 1
			}
		}
	})
	e.register("u", "ru")
	r := e.registration("u")
	e.linkOf(r.Order)
	e.advance(49 * time.Hour)
	if err := e.flows.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := e.registration("u"); got.Status != domain.StatusLapsed {
		t.Fatalf("after the hold: %+v", got)
	}
	e.register("v", "en") // takes the only place

	res, err := e.fake.Pay(context.Background(), r.Order, paytest.FreedomPayResult{Paid: true, CanReject: true})
	if err != nil || res.HTTPStatus != 200 || res.Status != "rejected" || !res.SigOK || res.Description != "Этот заказ больше нельзя оплатить." {
		t.Fatalf("refusable payment for a place gone: %+v %v", res, err)
	}
	if got := e.registration("u"); got.Status != domain.StatusLapsed || got.PaidAmount != 0 || got.RefundDue != 0 {
		t.Errorf("after the refusal: %+v", got)
	}
	if o := e.order(r.Order); o.Status == domain.OrderPaid {
		t.Errorf("refused order: %+v", o)
	}

	res, err = e.fake.Pay(context.Background(), r.Order, paytest.FreedomPayResult{Paid: true})
	if err != nil || res.Status != "ok" || !res.SigOK {
		t.Fatalf("payment that cannot be refused: %+v %v", res, err)
	}
	if got := e.registration("u"); got.Status != domain.StatusLapsed || got.RefundDue != 8990 {
		t.Errorf("money not owed back: %+v", got)
	}
	if n := e.count("u", "Организаторы вернут вам деньги"); n != 1 {
		t.Errorf("%d messages about the money owed back, want 1", n)
	}
}

func TestFreedomPayFailedSendsANewLink(t *testing.T) {
	e := newFreedomEnv(t)
	e.register("u", "en")
	r := e.registration("u")
	e.linkOf(r.Order)
	res, err := e.fake.Pay(context.Background(), r.Order, paytest.FreedomPayResult{})
	if err != nil || res.Status != "ok" || !res.SigOK {
		t.Fatalf("failed payment: %+v %v", res, err)
	}
	if o := e.order(r.Order); o.Status != domain.OrderFailed {
		t.Errorf("failed order: %+v", o)
	}
	next := e.registration("u").Order
	if next == r.Order {
		t.Fatalf("no new order after the failure")
	}
	p := e.linkOf(next)
	if p.OrderID() != next || e.count("u", "did not go through") != 1 {
		t.Errorf("new link: %+v, pushes %v", p, e.pushes("u"))
	}
}

// A result lost on its way is found by get_status3.php within one
// clock tick after payment.reconcile_minutes.
func TestFreedomPayReconciles(t *testing.T) {
	e := newFreedomEnv(t)
	e.register("u", "kk")
	r := e.registration("u")
	e.linkOf(r.Order)
	e.fake.MarkPaid(r.Order)
	report := func(id string, err error) { t.Errorf("look-up of %s: %v", id, err) }
	e.advance(29 * time.Minute)
	if err := e.flows.Reconcile(context.Background(), report); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.Calls("get_status3.php"); n != 0 {
		t.Errorf("%d look-ups before reconcile_minutes", n)
	}
	e.advance(time.Minute)
	if err := e.flows.Reconcile(context.Background(), report); err != nil {
		t.Fatal(err)
	}
	got := e.registration("u")
	if got.Status != domain.StatusPaid || got.Bib == 0 {
		t.Fatalf("after reconciliation: %+v", got)
	}
	p, _ := e.fake.Payment(r.Order)
	if o := e.order(r.Order); o.Provider != "freedompay" || o.ProviderRef != p.ID || !o.Test {
		t.Errorf("reconciled order: %+v", o)
	}
	// The result arriving after all changes nothing.
	res, err := e.fake.Pay(context.Background(), r.Order, paytest.FreedomPayResult{Paid: true, CanReject: true})
	if err != nil || res.Status != "ok" {
		t.Errorf("late result: %+v %v", res, err)
	}
	if n := e.count("u", "Төлем қабылданды"); n != 1 {
		t.Errorf("%d confirmations, want 1", n)
	}
}

func TestFreedomPayLinkRetried(t *testing.T) {
	e := newFreedomEnv(t)
	e.fake.FailInits(1)
	e.register("u", "en")
	r := e.registration("u")
	var reported []error
	e.flows.MakeLinks(context.Background(), func(id string, err error) { reported = append(reported, err) })
	if len(reported) != 1 || strings.Contains(reported[0].Error(), "fp-secret") {
		t.Fatalf("reported %v, want one error without the secret", reported)
	}
	if o := e.order(r.Order); o.LinkURL != "" {
		t.Fatalf("link kept after a failed call: %+v", o)
	}
	e.advance(2 * time.Second)
	p := e.linkOf(r.Order)
	if o := e.order(r.Order); o.LinkURL != e.fake.RedirectURL(p) {
		t.Errorf("after the retry: %+v", o)
	}
}

func TestFreedomPayNeedsItsKeys(t *testing.T) {
	for _, tt := range []struct {
		opts payments.FreedomPayOptions
		want string
	}{
		{payments.FreedomPayOptions{SecretKey: "k"}, "FREEDOMPAY_MERCHANT_ID"},
		{payments.FreedomPayOptions{MerchantID: "1"}, "FREEDOMPAY_SECRET_KEY"},
	} {
		_, err := payments.New("freedompay", payments.Options{BaseURL: "https://bot.example.kz", FreedomPay: tt.opts})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want an error naming %s", tt.opts, err, tt.want)
		}
	}
	p, err := payments.New("freedompay", payments.Options{BaseURL: "https://bot.example.kz/", Currency: "KZT",
		FreedomPay: payments.FreedomPayOptions{MerchantID: "1", SecretKey: "k"}})
	if err != nil {
		t.Fatal(err)
	}
	fp := p.(*payments.FreedomPay)
	if fp.APIURL != "https://api.freedompay.kz" || fp.ResultURL != "https://bot.example.kz/payments/freedompay/result" || p.Name() != "freedompay" {
		t.Errorf("provider %+v", fp)
	}
}

// A refusable result is refused for another amount, and for an order
// another payment paid already; the registration stays as it was.
func TestFreedomPayRejectsWhatTheOrderDoesNotTake(t *testing.T) {
	e := newFreedomEnv(t)
	e.register("u", "kk")
	r := e.registration("u")
	p := e.linkOf(r.Order)
	resultURL := p.Form.Get("pg_result_url")
	refusable := paytest.FreedomPayResult{Paid: true, CanReject: true}

	less := e.fake.ResultForm(p, refusable)
	less.Set("pg_amount", "1000.00")
	res, err := e.fake.PostResult(context.Background(), resultURL, less, "fp-secret")
	if err != nil || res.Status != "rejected" || !res.SigOK || res.Description != "Бұл тапсырысты енді төлеуге болмайды." {
		t.Fatalf("another amount: %+v %v", res, err)
	}
	if got := e.registration("u"); got.Status != domain.StatusAwaitingPayment || got.PaidAmount != 0 {
		t.Fatalf("after another amount: %+v", got)
	}

	if res, err := e.fake.Pay(context.Background(), r.Order, refusable); err != nil || res.Status != "ok" {
		t.Fatalf("pay: %+v %v", res, err)
	}
	other := e.fake.ResultForm(p, refusable)
	other.Set("pg_payment_id", "7000001")
	res, err = e.fake.PostResult(context.Background(), resultURL, other, "fp-secret")
	if err != nil || res.Status != "rejected" || !res.SigOK {
		t.Fatalf("a second payment of a paid order: %+v %v", res, err)
	}
	if got, o := e.registration("u"), e.order(r.Order); got.PaidAmount != 8990 || got.RefundDue != 0 || o.ProviderRef != p.ID {
		t.Errorf("after a second payment: %+v, order %+v", got, o)
	}
	// One Freedom Pay does not let the bot refuse is taken and left to
	// the organizers, in the log.
	other.Set("pg_can_reject", "0")
	res, err = e.fake.PostResult(context.Background(), resultURL, other, "fp-secret")
	if err != nil || res.Status != "ok" || !res.SigOK {
		t.Fatalf("a second payment that cannot be refused: %+v %v", res, err)
	}
	if !strings.Contains(e.log.String(), "a second payment of a paid order, to return by hand") || !strings.Contains(e.log.String(), "payment=7000001") {
		t.Errorf("the log does not name the second payment:\n%s", e.log.String())
	}
	if strings.Contains(e.log.String(), "fp-secret") {
		t.Errorf("the secret key is in the log:\n%s", e.log.String())
	}
}
