package payments_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/bottest"
	"github.com/runforautism/rfabot/bot/payments"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

var testNow = time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)

var secret = []byte("test-secret")

// env is the bot's HTTP server with the payment endpoints on a real
// port, over real flows and storage.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	store  *storage.Store
	flows  *flows.Flows
	engine *bot.Engine
	cat    *locales.Catalog
}

func newEnv(t *testing.T, provider func(baseURL string) payments.Provider, edits ...func(*event.Config)) *env {
	t.Helper()
	return newEnvOn(t, provider, func() time.Time { return testNow }, io.Discard, edits...)
}

// newEnvOn is newEnv on the clock now, logging at debug level to logw.
func newEnvOn(t *testing.T, provider func(baseURL string) payments.Provider, now func() time.Time, logw io.Writer, edits ...func(*event.Config)) *env {
	t.Helper()
	ev, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, edit := range edits {
		edit(ev)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	store, err := storage.Open(filepath.Join(t.TempDir(), "bot.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p := provider(srv.URL)
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := flows.New(flows.Config{Store: store, Event: ev, Catalog: cat, Now: now, Payments: p})
	(&payments.Server{Flows: f, Provider: p, Catalog: cat, Log: log}).Register(mux)
	return &env{t: t, srv: srv, store: store, flows: f, engine: bot.NewEngine(f, log), cat: cat}
}

// checkoutURL is the test checkout link of an order, with its
// signature.
func (e *env) checkoutURL(order string) string {
	return e.srv.URL + "/pay/test/" + order + "?sig=" + (&payments.Test{Secret: secret}).LinkSignature(order)
}

func testProvider(baseURL string) payments.Provider {
	return &payments.Test{BaseURL: baseURL, Secret: secret}
}

// register takes a user of the console channel through registration in
// lang for 5 km in person and returns the reply to Confirm.
func (e *env) register(user, lang string) dialog.Reply {
	e.t.Helper()
	return e.send(user, lang, []dialog.Message{
		{Text: "/start"}, {Payload: "m:reg"}, {Text: "Әсел Қайратқызы"}, {Text: "01.02.1995"}, {Payload: "g:female"},
		{Text: "87011234567"}, {Payload: "mode:inperson"}, {Payload: "d:5k"}, {Payload: "cat:general"}, {Payload: "size:M"},
		{Text: "Қайрат Әбенов"}, {Text: "87017654321"}, {Payload: "agree"}, {Payload: "reg:ok"},
	}...)
}

// send sends msgs as a user of the test channel in lang and returns the
// first reply to the last.
func (e *env) send(user, lang string, msgs ...dialog.Message) dialog.Reply {
	e.t.Helper()
	var last []dialog.Reply
	for _, m := range msgs {
		m.Channel, m.UserID, m.LangHint = "test", user, lang
		last = bottest.Handle(context.Background(), e.engine, m)
	}
	return last[0]
}

func (e *env) registration(user string) domain.Registration {
	e.t.Helper()
	var regs []domain.Registration
	e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		regs, err = tx.Registrations("test:" + user)
		return err
	})
	if len(regs) != 1 {
		e.t.Fatalf("%s has %d registrations", user, len(regs))
	}
	return regs[0]
}

// post sends a webhook call with body and signature.
func (e *env) post(body []byte, sig string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/payments/webhook", bytes.NewReader(body))
	if sig != "" {
		req.Header.Set("X-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func signed(body string) ([]byte, string) { return []byte(body), payments.Sign(secret, []byte(body)) }

func TestWebhookAnswers(t *testing.T) {
	e := newEnv(t, testProvider)
	e.register("u", "en")
	r := e.registration("u")
	order := r.Order
	notify := func(status string, amount int, currency string) string {
		return fmt.Sprintf(`{"order_id":%q,"amount":%d,"currency":%q,"status":%q,"provider_ref":"ref-1"}`, order, amount, currency, status)
	}
	good := notify("paid", 8990, "KZT")
	tests := []struct {
		name string
		body string
		sig  string // "" signs body with the secret; "-" sends none
		want int
	}{
		{"no signature", good, "-", 401},
		{"wrong signature", good, payments.Sign([]byte("other secret"), []byte(good)), 401},
		{"signature of another body", good, payments.Sign(secret, []byte(notify("paid", 1, "KZT"))), 401},
		{"signature not hex", good, "zz", 401},
		{"not JSON", `{"order_id":`, "", 400},
		{"amount not a whole number", strings.Replace(good, "8990", "8990.5", 1), "", 400},
		{"amount as text", strings.Replace(good, "8990", `"8990"`, 1), "", 400},
		{"no order id", strings.Replace(good, order, "", 1), "", 400},
		{"unknown status", notify("pending", 8990, "KZT"), "", 400},
		{"currency not a code", notify("paid", 8990, "kzt"), "", 400},
		{"two objects", good + good, "", 400},
		{"unknown order", strings.Replace(good, order, "RFA-ZZZZ-1", 1), "", 404},
		{"amount not the order's", notify("paid", 6990, "KZT"), "", 409},
		{"currency not the order's", notify("paid", 8990, "USD"), "", 409},
		{"body over 64 KiB", `{"order_id":"` + strings.Repeat("x", 64<<10) + `"}`, "", 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := tt.sig
			switch sig {
			case "":
				sig = payments.Sign(secret, []byte(tt.body))
			case "-":
				sig = ""
			}
			if code, body := e.post([]byte(tt.body), sig); code != tt.want {
				t.Errorf("status %d (%s), want %d", code, body, tt.want)
			}
		})
	}
	if got := e.registration("u"); got.Status != domain.StatusAwaitingPayment {
		t.Fatalf("refused calls changed the registration: %+v", got)
	}
	if code, body := e.post(signed(good)); code != 200 || !strings.Contains(body, `"status":"accepted"`) {
		t.Fatalf("paid: %d %s", code, body)
	}
	if code, _ := e.post(signed(good)); code != 200 {
		t.Errorf("repeat: %d, want 200", code)
	}
	if got := e.registration("u"); got.Status != domain.StatusPaid || got.Bib != 1000 {
		t.Fatalf("after payment: %+v", got)
	}
	if code, _ := e.post(signed(notify("failed", 8990, "KZT"))); code != 200 {
		t.Errorf("failed after paid: %d", code)
	}
	if code, _ := e.post(signed(notify("refunded", 8990, "KZT"))); code != 200 {
		t.Errorf("refunded: %d", code)
	}
	if got := e.registration("u"); got.Status != domain.StatusRefunded {
		t.Errorf("after refund: %+v", got)
	}
}

func TestWebhookFailedSendsANewLink(t *testing.T) {
	e := newEnv(t, testProvider)
	e.register("u", "en")
	r := e.registration("u")
	if code, _ := e.post(signed(fmt.Sprintf(`{"order_id":%q,"amount":8990,"currency":"KZT","status":"failed"}`, r.Order))); code != 200 {
		t.Fatalf("failed: %d", code)
	}
	ps, _ := e.store.PushesTo("test:u")
	if len(ps) != 1 || len(ps[0].Reply.Links) != 1 || ps[0].Reply.Links[0].URL != e.checkoutURL(r.Code+"-2") {
		t.Fatalf("pushes %+v", ps)
	}
}

// replay posts the notification p n times at once; each must get 200.
func (e *env) replay(n int, p domain.Payment) {
	e.t.Helper()
	body, sig := payments.Encode(secret, p)
	var wg sync.WaitGroup
	codes := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/payments/webhook", bytes.NewReader(body))
			req.Header.Set("X-Signature", sig)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				e.t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			e.t.Errorf("a replay got %d", c)
		}
	}
}

func TestReplayedNotificationAppliedOnce(t *testing.T) {
	e := newEnv(t, testProvider)
	e.register("u", "en")
	r := e.registration("u")
	e.replay(100, domain.Payment{OrderID: r.Order, Amount: 8990, Currency: "KZT", Status: "paid", ProviderRef: "kaspi-77"})
	got := e.registration("u")
	if got.Bib != 1000 || got.PaidAmount != 8990 || got.RefundDue != 0 {
		t.Errorf("after 100 replays: %+v", got)
	}
	ps, _ := e.store.PushesTo("test:u")
	confirmations := 0
	for _, p := range ps {
		if strings.HasPrefix(p.Key, "paid:") {
			confirmations++
		}
	}
	if confirmations != 1 || len(ps) != 1 {
		t.Errorf("%d confirmations among %d pushes, want 1 of 1", confirmations, len(ps))
	}
	// The next bib of the distance is the next number: one was taken.
	var next int
	e.store.Update(context.Background(), func(tx domain.Tx) error {
		var err error
		next, err = tx.NextBib("5k", 1000, 3999)
		return err
	})
	if next != 1001 {
		t.Errorf("next bib %d, want 1001", next)
	}
}

func TestBibsUniqueUnder500ConcurrentPayments(t *testing.T) {
	const n = 500
	e := newEnv(t, testProvider)
	orders := make([]string, n)
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		for i := range n {
			mode := event.InPerson
			if i%2 == 1 {
				mode = event.Online
			}
			code := fmt.Sprintf("RFA-%04d", i)
			r := domain.Registration{Code: code, UserKey: fmt.Sprintf("test:u%d", i), Lang: "en", Name: "Runner", Birth: "1990-01-01",
				Mode: mode, Distance: "5k", Fee: 8990, Currency: "KZT", Status: domain.StatusAwaitingPayment,
				CreatedAt: testNow, HoldUntil: testNow.Add(48 * time.Hour), Order: code + "-1", Orders: 1}
			if err := tx.AddRegistration(&r, 1000); err != nil {
				return err
			}
			o := domain.Order{ID: r.Order, Code: code, Purpose: domain.PurposeFee, Amount: 8990, Currency: "KZT", Status: domain.OrderOpen, CreatedAt: testNow}
			if err := tx.PutOrder(&o); err != nil {
				return err
			}
			orders[i] = o.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, id := range orders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, sig := payments.Encode(secret, domain.Payment{OrderID: id, Amount: 8990, Currency: "KZT", Status: "paid"})
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/payments/webhook", bytes.NewReader(body))
			req.Header.Set("X-Signature", sig)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("%s: %d", id, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	seen := map[int]string{}
	e.store.View(context.Background(), func(tx domain.Tx) error {
		for i := range n {
			r, err := tx.Registration(fmt.Sprintf("RFA-%04d", i))
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != domain.StatusPaid || r.Bib < 1000 || r.Bib >= 1000+n {
				t.Errorf("%s: %s bib %d", r.Code, r.Status, r.Bib)
			}
			if other, dup := seen[r.Bib]; dup {
				t.Errorf("bib %d given to %s and %s", r.Bib, other, r.Code)
			}
			seen[r.Bib] = r.Code
		}
		return nil
	})
	if len(seen) != n {
		t.Errorf("%d distinct bibs, want %d", len(seen), n)
	}
}

// TestTestCheckoutJourney drives register → link → checkout page (GET)
// → Pay (POST) → webhook → confirmation with a bib, in each language,
// and the Fail button to a new link.
func TestTestCheckoutJourney(t *testing.T) {
	for lang, want := range map[string][]string{
		"kk": {"Сынақ төлемі", "8 990 ₸", "Төлеу", "Төлем өтпеді", "Төлем қабылданды. Растау чатқа", "Старттық нөмір: 1000"},
		"ru": {"Тестовая оплата", "8 990 ₸", "Оплатить", "Ошибка оплаты", "Оплата получена. Подтверждение", "Стартовый номер: 1000"},
		"en": {"Test payment", "8,990 ₸", "Pay", "Fail", "Payment received. The confirmation", "Bib: 1000"},
	} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, testProvider)
			reply := e.register("u", lang)
			if len(reply.Links) != 1 {
				t.Fatalf("no payment link in %+v", reply)
			}
			link := reply.Links[0].URL
			r := e.registration("u")
			if link != e.checkoutURL(r.Order) {
				t.Fatalf("link %q", link)
			}
			page := get(t, link)
			for _, w := range want[:4] {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q:\n%s", w, page)
				}
			}
			if !strings.Contains(page, `lang="`+lang+`"`) || !strings.Contains(page, r.Code) || !strings.Contains(page, "Әсел Қайратқызы") {
				t.Errorf("page:\n%s", page)
			}
			done := postForm(t, link, "paid")
			if !strings.Contains(done, want[4]) || strings.Contains(done, "<form") {
				t.Errorf("after Pay:\n%s", done)
			}
			got := e.registration("u")
			if got.Status != domain.StatusPaid || got.Bib != 1000 {
				t.Fatalf("%+v", got)
			}
			ps, _ := e.store.PushesTo("test:u")
			if len(ps) != 1 || !strings.Contains(strings.ReplaceAll(ps[0].Reply.Text, "\u00a0", " "), want[5]) {
				t.Errorf("confirmation %+v", ps)
			}
			// The paid order's page has no buttons any more, and a press
			// sent anyway changes nothing.
			paid := strings.ReplaceAll(e.cat.T(lang, "checkout_already_paid", nil), "\u00a0", " ")
			if again := get(t, link); strings.Contains(again, "<form") || !strings.Contains(again, paid) {
				t.Errorf("paid order still offers to pay, or does not say it is paid:\n%s", again)
			}
			if closed := postForm(t, link, "failed"); !strings.Contains(closed, e.cat.T(lang, "checkout_already_paid", nil)) {
				t.Errorf("a press on a paid order:\n%s", closed)
			}
			if ps, _ := e.store.PushesTo("test:u"); len(ps) != 1 {
				t.Errorf("a press on a paid order queued %d pushes", len(ps))
			}
		})
	}
	t.Run("fail", func(t *testing.T) {
		e := newEnv(t, testProvider)
		link := e.register("u", "en").Links[0].URL
		if done := postForm(t, link, "failed"); !strings.Contains(done, "The payment failed. A new link") {
			t.Errorf("after Fail:\n%s", done)
		}
		ps, _ := e.store.PushesTo("test:u")
		if len(ps) != 1 || len(ps[0].Reply.Links) != 1 {
			t.Fatalf("pushes %+v", ps)
		}
		if page := get(t, ps[0].Reply.Links[0].URL); !strings.Contains(page, "<form") {
			t.Errorf("the new link's page:\n%s", page)
		}
		resp, err := http.PostForm(link, url.Values{"result": {"maybe"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("unknown result: %d", resp.StatusCode)
		}
		resp, err = http.Get(e.srv.URL + "/pay/test/RFA-ZZZZ-1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("unknown order: %d", resp.StatusCode)
		}
	})
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return strings.ReplaceAll(string(b), "\u00a0", " ")
}

func postForm(t *testing.T, u, result string) string {
	t.Helper()
	resp, err := http.PostForm(u, url.Values{"result": {result}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("POST %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

func TestTestCheckoutRefusedForOtherProviders(t *testing.T) {
	e := newEnv(t, func(string) payments.Provider {
		return &payments.Custom{Template: "https://pay.example.kz/checkout?order={order}", Secret: secret}
	})
	reply := e.register("u", "en")
	if len(reply.Links) != 1 || !strings.HasPrefix(reply.Links[0].URL, "https://pay.example.kz/checkout?order=RFA-") {
		t.Fatalf("links %+v", reply.Links)
	}
	order := e.registration("u").Order
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req, _ := http.NewRequest(method, e.checkoutURL(order), strings.NewReader("result=paid"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("%s test checkout with the custom provider: %d", method, resp.StatusCode)
		}
	}
	if got := e.registration("u"); got.Status != domain.StatusAwaitingPayment {
		t.Errorf("paid through a refused checkout: %+v", got)
	}
	// The custom provider's webhook is the same contract.
	body, sig := payments.Encode(secret, domain.Payment{OrderID: order, Amount: 8990, Currency: "KZT", Status: "paid"})
	if code, _ := e.post(body, sig); code != 200 {
		t.Errorf("webhook: %d", code)
	}
}

// TestTestCheckoutNeedsTheLinkSignature: an order id alone, a wrong
// signature or another order's opens nothing and pays nothing; a
// press from another site is refused; the page carries the security
// headers; and a link's signature never passes as a webhook's.
func TestTestCheckoutNeedsTheLinkSignature(t *testing.T) {
	e := newEnv(t, testProvider)
	e.register("u", "en")
	e.register("v", "en")
	order, other := e.registration("u").Order, e.registration("v").Order
	bare := e.srv.URL + "/pay/test/" + order
	for name, u := range map[string]string{
		"no signature":      bare,
		"empty signature":   bare + "?sig=",
		"wrong signature":   bare + "?sig=" + strings.Repeat("ab", 32),
		"other order's":     bare + "?sig=" + (&payments.Test{Secret: secret}).LinkSignature(other),
		"another secret's":  bare + "?sig=" + (&payments.Test{Secret: []byte("other")}).LinkSignature(order),
		"webhook-keyed sig": bare + "?sig=" + payments.Sign(secret, []byte("test-checkout|"+order)),
		"signature not hex": bare + "?sig=zz",
	} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			req, _ := http.NewRequest(method, u, strings.NewReader("result=paid"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound || strings.Contains(string(b), "Әсел") {
				t.Errorf("%s %s: %d %s", method, name, resp.StatusCode, b)
			}
		}
	}
	if got := e.registration("u"); got.Status != domain.StatusAwaitingPayment {
		t.Fatalf("paid without the link's signature: %+v", got)
	}
	// A press from another site, even with the link, pays nothing.
	req, _ := http.NewRequest(http.MethodPost, e.checkoutURL(order), strings.NewReader("result=paid"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || e.registration("u").Status != domain.StatusAwaitingPayment {
		t.Errorf("cross-site press: %d", resp.StatusCode)
	}
	resp, err = http.Get(e.checkoutURL(order))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") ||
		!strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	// The link's signature as a webhook's is refused.
	body, _ := payments.Encode(secret, domain.Payment{OrderID: order, Amount: 8990, Currency: "KZT", Status: "paid"})
	if code, _ := e.post(body, payments.Sign(payments.LinkKey(secret), body)); code != http.StatusUnauthorized {
		t.Errorf("a body signed with the link key: %d", code)
	}
}

// TestBadSignaturesAreSummarized: a flood of forged notifications
// writes one log line a minute, with the count.
func TestBadSignaturesAreSummarized(t *testing.T) {
	var log bytes.Buffer
	var now atomic.Int64
	now.Store(testNow.UnixNano())
	mux := http.NewServeMux()
	(&payments.Server{Provider: testProvider("http://bot.test"), Log: slog.New(slog.NewTextHandler(&log, nil)),
		Now: func() time.Time { return time.Unix(0, now.Load()) }}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	forge := func(n int) {
		for range n {
			resp, err := http.Post(srv.URL+"/payments/webhook", "application/json", strings.NewReader(`{"order_id":"x"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("forged: %d", resp.StatusCode)
			}
		}
	}
	forge(500)
	now.Add(int64(time.Minute))
	forge(10)
	// The first at once, then the next 499 and one more a minute later.
	if got := strings.Count(log.String(), "bad signature"); got != 2 || !strings.Contains(log.String(), "count=1 ") ||
		!strings.Contains(log.String(), "count=500 ") {
		t.Errorf("%d log lines for 510 forged notifications:\n%s", got, log.String())
	}
}
