package payments_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/runforautism/rfabot/bot/payments"
	"github.com/runforautism/rfabot/bot/payments/paytest"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// vector is PAYMENTS.md's test vector: a Pay notification signed with
// the API secret "pass".
func vector(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/tiptoppay-pay-notification.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const vectorHMAC = "tJW02TMAce4Em8eJTNqjhOax+BYRM5K2D8mX9xsmUUc="

func TestTipTopSignatureVector(t *testing.T) {
	if got := payments.TipTopSignature("pass", vector(t)); got != vectorHMAC {
		t.Errorf("Content-HMAC %s, want %s", got, vectorHMAC)
	}
}

// The fake writes bodies as the provider does: the vector's fields,
// encoded again in their order, give the vector byte for byte.
func TestFakeEncodesAsTheProvider(t *testing.T) {
	body := string(vector(t))
	var form paytest.Form
	for _, kv := range strings.Split(body, "&") {
		k, v, _ := strings.Cut(kv, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		form = append(form, [2]string{k, v})
	}
	if got := paytest.Encode(form); got != body {
		t.Errorf("encoded\n%s\nwant\n%s", got, body)
	}
}

// tipTopEnv is the bot with TipTop Pay over the fake API.
type tipTopEnv struct {
	*env
	fake *paytest.TipTop
	p    *payments.TipTop
}

func newTipTopEnv(t *testing.T, currency string) *tipTopEnv {
	return newTipTopEnvWith(t, currency, "api-secret")
}

func newTipTopEnvWith(t *testing.T, currency, apiSecret string) *tipTopEnv {
	fake := paytest.NewTipTop("pk_test", apiSecret)
	t.Cleanup(fake.Close)
	var p *payments.TipTop
	e := newEnv(t, func(string) payments.Provider {
		pr, err := payments.New("tiptoppay", payments.Options{Currency: currency,
			TipTop: payments.TipTopOptions{PublicID: "pk_test", APISecret: apiSecret, APIURL: fake.URL()}})
		if err != nil {
			t.Fatal(err)
		}
		p = pr.(*payments.TipTop)
		return p
	})
	fake.NotifyURL = e.srv.URL
	return &tipTopEnv{env: e, fake: fake, p: p}
}

// postTo posts body to a TipTop route with header h.
func (e *env) postTo(path, body string, h http.Header) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestTipTopVectorReachesTheCheck(t *testing.T) {
	e := newTipTopEnvWith(t, "RUB", "pass")
	body := string(vector(t))
	// The vector's order 1234567 is not ours: code 10.
	if code, got := e.postTo("/payments/tiptoppay/check", body, http.Header{"Content-Hmac": {vectorHMAC}}); code != 200 || got != `{"code":10}` {
		t.Errorf("vector check: %d %s", code, got)
	}
}

// linkOf makes the order's link through the fake API, as the link
// worker does, and returns it.
func (e *tipTopEnv) linkOf(order string) string {
	e.t.Helper()
	e.flows.MakeLinks(context.Background(), func(id string, err error) { e.t.Errorf("link of %s: %v", id, err) })
	o, err := e.fake.WaitOrder(order)
	if err != nil {
		e.t.Fatal(err)
	}
	return o.URL
}

func (e *env) pushes(user string) []domain.Push {
	e.t.Helper()
	ps, err := e.store.PushesTo("test:" + user)
	if err != nil {
		e.t.Fatal(err)
	}
	return ps
}

func TestTipTopPaysOnce(t *testing.T) {
	e := newTipTopEnv(t, "KZT")
	reply := e.register("u", "en")
	if len(reply.Links) != 0 || !strings.Contains(reply.Text, "The payment link is on its way") {
		t.Fatalf("confirm: %q %v", reply.Text, reply.Links)
	}
	r := e.registration("u")
	link := e.linkOf(r.Order)
	o := e.fake.Orders()[0]
	if o.InvoiceID != r.Order || o.AccountID != "test:u" || string(o.Amount) != "8990" || o.Currency != "KZT" ||
		o.CultureName != "en-US" || o.Phone != "+77011234567" || !strings.Contains(o.Description, "5 km") {
		t.Errorf("order created: %+v", o)
	}
	res, err := e.fake.Pay(link)
	if err != nil || res.CheckCode != 0 || res.Status != 200 || res.Body != `{"code":0}` {
		t.Fatalf("pay: %+v %v", res, err)
	}
	got := e.registration("u")
	if got.Status != domain.StatusPaid || got.Bib == 0 {
		t.Fatalf("after Pay: %+v", got)
	}
	// The same Pay 20 times in turn and 20 at once: one bib, one
	// confirmation.
	fields := paytest.Form{{"TransactionId", "1001"}, {"Amount", "8990.00"}, {"Currency", "KZT"}, {"InvoiceId", r.Order},
		{"AccountId", "test:u"}, {"DateTime", "2027-01-15 10:00:00"}, {"TestMode", "1"}, {"Status", "Completed"}}
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		send := func() {
			res, err := e.fake.Notify("pay", fields)
			if err != nil || res.Status != 200 || res.Body != `{"code":0}` {
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
	paid := 0
	for _, p := range e.pushes("u") {
		if strings.Contains(p.Reply.Text, "Payment received") {
			paid++
		}
	}
	if again := e.registration("u"); paid != 1 || again.Bib != got.Bib || again.PaidAmount != 8990 {
		t.Errorf("after 40 repeats: %d confirmations, %+v", paid, again)
	}
	var order domain.Order
	e.store.View(context.Background(), func(tx domain.Tx) error {
		order, _ = tx.Order(r.Order)
		return nil
	})
	if order.Provider != "tiptoppay" || order.ProviderRef != "1001" || order.PaidAmount != 8990 || !order.Test || order.PaidAt.IsZero() {
		t.Errorf("order: %+v", order)
	}
	// A paid order takes no second charge: Check answers 13.
	if res, err := e.fake.Pay(link); err != nil || res.CheckCode != 13 {
		t.Errorf("second payment: %+v %v", res, err)
	}
}

func TestTipTopRefusesBadSignatures(t *testing.T) {
	e := newTipTopEnv(t, "KZT")
	e.register("u", "en")
	r := e.registration("u")
	body := paytest.Encode(paytest.Form{{"TransactionId", "5"}, {"Amount", "8990.00"}, {"Currency", "KZT"}, {"InvoiceId", r.Order},
		{"AccountId", "test:u"}, {"Description", "Оплата 5 км"}, {"TestMode", "1"}})
	good := payments.TipTopSignature("api-secret", []byte(body))
	parsed, _ := url.ParseQuery(body)
	reencoded := parsed.Encode()
	for name, tt := range map[string]struct {
		body string
		h    http.Header
	}{
		"missing":          {body, nil},
		"forged":           {body, http.Header{"Content-Hmac": {payments.TipTopSignature("other", []byte(body))}}},
		"not base64":       {body, http.Header{"Content-Hmac": {"!!"}}},
		"re-encoded":       {reencoded, http.Header{"Content-Hmac": {good}}},
		"X-Content-HMAC":   {body, http.Header{"X-Content-Hmac": {good}}},
		"body with a byte": {body + "&", http.Header{"Content-Hmac": {good}}},
	} {
		for _, kind := range []string{"check", "pay", "fail", "refund"} {
			if code, _ := e.postTo("/payments/tiptoppay/"+kind, tt.body, tt.h); code != http.StatusUnauthorized {
				t.Errorf("%s %s: %d", name, kind, code)
			}
		}
	}
	if got := e.registration("u"); got.Status != domain.StatusAwaitingPayment || len(e.pushes("u")) != 0 {
		t.Errorf("changed by unsigned calls: %+v", got)
	}
	if code, got := e.postTo("/payments/tiptoppay/pay", body, http.Header{"Content-Hmac": {good}}); code != 200 || got != `{"code":0}` {
		t.Errorf("signed: %d %s", code, got)
	}
}

func TestTipTopMalformed(t *testing.T) {
	e := newTipTopEnv(t, "KZT")
	e.register("u", "en")
	order := e.registration("u").Order
	base := map[string]string{"TransactionId": "7", "Amount": "8990.00", "Currency": "KZT", "InvoiceId": order, "TestMode": "1", "DateTime": "2027-01-15 10:00:00"}
	form := func(change map[string]string) string {
		var f paytest.Form
		for _, k := range []string{"TransactionId", "Amount", "Currency", "InvoiceId", "TestMode", "DateTime"} {
			v := base[k]
			if c, ok := change[k]; ok {
				v = c
			}
			f = append(f, [2]string{k, v})
		}
		return paytest.Encode(f)
	}
	tests := []struct {
		kind   string
		change map[string]string
		code   int
		want   string
	}{
		{"pay", map[string]string{"InvoiceId": ""}, 400, "InvoiceId"},
		{"pay", map[string]string{"TransactionId": "abc"}, 400, "TransactionId"},
		{"pay", map[string]string{"TransactionId": "-1"}, 400, "TransactionId"},
		{"pay", map[string]string{"TestMode": "yes"}, 400, "TestMode"},
		{"pay", map[string]string{"DateTime": "15.01.2027"}, 400, "DateTime"},
		{"pay", map[string]string{"Amount": "8990.50"}, 400, "fraction"},
		{"pay", map[string]string{"Amount": "-8990.00"}, 400, "negative"},
		{"pay", map[string]string{"Currency": "RUB"}, 400, `RUB`},
		{"refund", map[string]string{}, 400, "PaymentTransactionId"},
		{"check", map[string]string{"Amount": "8990.50"}, 200, `{"code":12}`},
		{"check", map[string]string{"Currency": "USD"}, 200, `{"code":12}`},
		{"check", map[string]string{"Amount": "8 990,00"}, 200, `{"code":0}`},
		{"check", map[string]string{"Amount": "8000.00"}, 200, `{"code":12}`},
		{"check", map[string]string{"InvoiceId": "RFA-NONE-1"}, 200, `{"code":10}`},
	}
	for _, tt := range tests {
		body := form(tt.change)
		code, got := e.postTo("/payments/tiptoppay/"+tt.kind, body, http.Header{"Content-Hmac": {payments.TipTopSignature("api-secret", []byte(body))}})
		if code != tt.code || !strings.Contains(got, tt.want) {
			t.Errorf("%s %v: %d %s; want %d %s", tt.kind, tt.change, code, got, tt.code, tt.want)
		}
	}
	if got := e.registration("u"); got.Status != domain.StatusAwaitingPayment {
		t.Errorf("changed by malformed calls: %+v", got)
	}
	big := bytes.Repeat([]byte("a"), payments.MaxBody+1)
	if code, _ := e.postTo("/payments/tiptoppay/pay", string(big), http.Header{"Content-Hmac": {payments.TipTopSignature("api-secret", big)}}); code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over 64 KiB: %d", code)
	}
}

func TestTipTopFailSaysWhy(t *testing.T) {
	e := newTipTopEnv(t, "KZT")
	e.register("u", "en")
	r := e.registration("u")
	link := e.linkOf(r.Order)
	if res, err := e.fake.Decline(link, 5051); err != nil || res.Status != 200 || res.Body != `{"code":0}` {
		t.Fatalf("fail: %+v %v", res, err)
	}
	ps := e.pushes("u")
	if len(ps) != 2 || !strings.Contains(ps[1].Reply.Text, "not enough money") || !strings.Contains(ps[1].Reply.Text, "on its way") {
		t.Fatalf("pushes after Fail: %+v", ps)
	}
	// The new order's link comes from the API, in a push of its own.
	next := e.registration("u").Order
	if next == r.Order {
		t.Fatal("no new order")
	}
	e.linkOf(next)
	ps = e.pushes("u")
	if last := ps[len(ps)-1]; !strings.Contains(last.Reply.Text, "Here is the payment link") || len(last.Reply.Links) != 1 {
		t.Errorf("pushes: %+v", ps)
	}
}

func TestTipTopRefundReleasesThePlace(t *testing.T) {
	e := newTipTopEnv(t, "KZT")
	e.register("u", "en")
	r := e.registration("u")
	res, err := e.fake.Pay(e.linkOf(r.Order))
	if err != nil || res.Body != `{"code":0}` {
		t.Fatalf("pay: %+v %v", res, err)
	}
	refund := paytest.Form{{"TransactionId", "9999"}, {"PaymentTransactionId", "1001"}, {"Amount", "8990.00"},
		{"InvoiceId", r.Order}, {"AccountId", "test:u"}, {"DateTime", "2027-01-16 10:00:00"}}
	for range 2 {
		if res, err := e.fake.Notify("refund", refund); err != nil || res.Body != `{"code":0}` {
			t.Fatalf("refund: %+v %v", res, err)
		}
	}
	if got := e.registration("u"); got.Status != domain.StatusRefunded {
		t.Errorf("after Refund: %+v", got)
	}
}

func TestTipTopAPI(t *testing.T) {
	e := newTipTopEnv(t, "KZT")
	e.register("u", "en")
	r := e.registration("u")
	var o domain.Order
	e.store.View(context.Background(), func(tx domain.Tx) error {
		o, _ = tx.Order(r.Order)
		return nil
	})
	req := flows.LinkRequest{Order: o, Lang: "kk", Description: "5 км", AccountID: "test:u"}
	e.fake.FailCreates = 1
	if _, err := e.p.MakeLink(t.Context(), req); err == nil || !strings.Contains(err.Error(), "Service temporarily unavailable") {
		t.Errorf("Success:false: %v", err)
	}
	made, err := e.p.MakeLink(t.Context(), req)
	if err != nil || !strings.HasPrefix(made.URL, e.fake.URL()+"/pay/") || made.Ref == "" {
		t.Fatalf("link: %+v %v", made, err)
	}
	if c := e.fake.Orders()[0].CultureName; c != "kk-KZ" {
		t.Errorf("CultureName %q", c)
	}
	if _, paid, err := e.p.FindPayment(t.Context(), o); err != nil || paid {
		t.Errorf("find before paying: %v %v", paid, err)
	}
	if _, err := e.fake.PayLost(made.URL); err != nil {
		t.Fatal(err)
	}
	p, paid, err := e.p.FindPayment(t.Context(), o)
	if err != nil || !paid || p.Amount != 8990 || p.Currency != "KZT" || p.ProviderRef == "" || !p.Test {
		t.Errorf("find after paying: %+v %v %v", p, paid, err)
	}
	wrong := *e.p
	wrong.Secret = "wrong"
	if _, err := wrong.MakeLink(t.Context(), req); err == nil || !strings.Contains(err.Error(), "HTTP 401") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong secret: %v", err)
	}
}
