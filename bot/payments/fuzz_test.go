package payments_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
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

// FuzzNotification reads webhook bodies and signatures: a call not
// signed with the secret is refused as such whatever its body; a signed
// one is either a well-formed payment or refused as malformed, and a
// payment read from a body reads the same when encoded again.
func FuzzNotification(f *testing.F) {
	for _, b := range []string{
		`{"order_id":"RFA-7K2Q-1","amount":8990,"currency":"KZT","status":"paid","provider_ref":"kaspi-123"}`,
		`{"order_id":"RFA-7K2Q-1","amount":8990,"currency":"KZT","status":"refunded"}`,
		`{"order_id":"RFA-7K2Q-1","amount":-1,"currency":"kzt","status":"paid"}`,
		`{"order_id":"RFA-7K2Q-1","amount":8990.5,"currency":"KZT","status":"paid"}`,
		`{"order_id":"","amount":1,"currency":"KZT","status":"failed"} {}`,
		`{"order_id":"RFA","amount":1e3,"currency":"KZT","status":"paid","extra":[1,2]}`,
		`[]`, `null`, ``, `{"order_id":"\u0000"}`,
	} {
		f.Add([]byte(b), true, "")
		f.Add([]byte(b), false, "00")
	}
	p := &payments.Test{BaseURL: "http://127.0.0.1:8080", Secret: secret}
	f.Fuzz(func(t *testing.T, body []byte, signed bool, sig string) {
		if signed {
			sig = payments.Sign(secret, body)
			if len(body) > 0 && body[0]%2 == 0 {
				sig = " " + strings.ToUpper(sig) + "\n"
			}
		}
		h := http.Header{}
		h.Set(payments.SignatureHeader, sig)
		got, err := p.Notification(h, body)
		want, _ := hex.DecodeString(payments.Sign(secret, body))
		raw, herr := hex.DecodeString(strings.TrimSpace(h.Get(payments.SignatureHeader)))
		valid := herr == nil && hmac.Equal(raw, want)
		switch {
		case !valid:
			if !errors.Is(err, payments.ErrSignature) {
				t.Fatalf("wrongly signed %q: %+v, %v", body, got, err)
			}
			return
		case err != nil:
			if !errors.Is(err, payments.ErrMalformed) {
				t.Fatalf("signed %q refused with %v, not as malformed", body, err)
			}
			return
		}
		if got.OrderID == "" || len(got.OrderID) > 64 || got.Amount <= 0 || len(got.Currency) != 3 ||
			strings.ToUpper(got.Currency) != got.Currency || len(got.ProviderRef) > 256 ||
			(got.Status != domain.PaymentPaid && got.Status != domain.PaymentFailed && got.Status != domain.PaymentRefunded) {
			t.Fatalf("%q read as %+v", body, got)
		}
		again, sig2 := payments.Encode(secret, got)
		h.Set(payments.SignatureHeader, sig2)
		if back, err := p.Notification(h, again); err != nil || back != got {
			t.Fatalf("%+v encoded as %s reads back as %+v, %v", got, again, back, err)
		}
	})
}

// webhookBot is the payment webhook on real flows and storage.
type webhookBot struct {
	mux    *http.ServeMux
	store  *storage.Store
	engine *bot.Engine
	ev     *event.Config
	users  atomic.Int64
}

func newWebhookBot(tb testing.TB) *webhookBot {
	tb.Helper()
	ev, err := event.Default()
	if err != nil {
		tb.Fatal(err)
	}
	// Room for every registration a long fuzzing run makes.
	for i := range ev.Distances {
		d := &ev.Distances[i]
		d.Capacity, d.BibFrom, d.BibTo = 1<<30, (i+1)<<32, (i+2)<<32-1
	}
	cat, err := locales.Load()
	if err != nil {
		tb.Fatal(err)
	}
	store, err := storage.Open(filepath.Join(tb.TempDir(), "bot.db"), storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	p := testProvider("http://127.0.0.1:8080")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f := flows.New(flows.Config{Store: store, Event: ev, Catalog: cat, Now: func() time.Time { return testNow }, Payments: p})
	mux := http.NewServeMux()
	(&payments.Server{Flows: f, Provider: p, Catalog: cat, Log: log}).Register(mux)
	return &webhookBot{mux: mux, store: store, engine: bot.NewEngine(f, log), ev: ev}
}

// register makes a registration for a new user and returns its code.
func (w *webhookBot) register(t *testing.T) string {
	t.Helper()
	user := fmt.Sprintf("w%d", w.users.Add(1))
	for _, m := range []dialog.Message{
		{Text: "/start"}, {Payload: "m:reg"}, {Text: "Әсел Қайратқызы"}, {Text: "01.02.1995"}, {Payload: "g:female"},
		{Text: "87011234567"}, {Payload: "mode:inperson"}, {Payload: "d:5k"}, {Payload: "cat:general"}, {Payload: "size:M"},
		{Text: "Қайрат Әбенов"}, {Text: "87017654321"}, {Payload: "agree"}, {Payload: "reg:ok"},
	} {
		m.Channel, m.UserID, m.LangHint = "test", user, "kk"
		bottest.Handle(context.Background(), w.engine, m)
	}
	var code string
	err := w.store.View(context.Background(), func(tx domain.Tx) error {
		regs, err := tx.Registrations("test:" + user)
		if err != nil || len(regs) != 1 {
			return fmt.Errorf("registrations %+v: %v", regs, err)
		}
		code = regs[0].Code
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// FuzzWebhook posts signed notifications about a real order, in any
// order and any number, with amounts, currencies and statuses that may
// be wrong: the webhook answers only what its contract lists (never an
// internal error), and the registration stays whole: paid with one bib,
// or holding its place unpaid, or released.
func FuzzWebhook(f *testing.F) {
	f.Add("paid", 8990, "KZT", "", "failed", "paid", "refunded", false)
	f.Add("paid", 8990, "KZT", "", "paid", "paid", "paid", false)
	f.Add("refunded", 8990, "KZT", "", "paid", "refunded", "paid", false)
	f.Add("failed", 8990, "KZT", "-2", "paid", "failed", "paid", false)
	f.Add("paid", 9990, "KZT", "", "paid", "", "", false)
	f.Add("paid", 8990, "USD", "", "paid", "", "", false)
	f.Add("paid", 8990, "KZT", "9", "paid", "", "", false)
	f.Add("paid", 8990, "KZT", "", "paid", "", "", true)
	w := newWebhookBot(f)
	allowed := map[int]bool{200: true, 400: true, 401: true, 404: true, 409: true, 413: true}
	f.Fuzz(func(t *testing.T, status string, amount int, currency, suffix, s2, s3, s4 string, raw bool) {
		code := w.register(t)
		post := func(body []byte) {
			req := httptest.NewRequest(http.MethodPost, "/payments/webhook", bytes.NewReader(body))
			req.Header.Set(payments.SignatureHeader, payments.Sign(secret, body))
			rec := httptest.NewRecorder()
			w.mux.ServeHTTP(rec, req)
			var answer map[string]string
			if !allowed[rec.Code] || json.Unmarshal(rec.Body.Bytes(), &answer) != nil || len(answer) != 1 {
				t.Fatalf("%s answered %d %s", body, rec.Code, rec.Body)
			}
		}
		order := code + "-1" + suffix
		if raw {
			post([]byte(status))
		} else {
			body, _ := payments.Encode(secret, domain.Payment{OrderID: order, Amount: amount, Currency: currency, Status: status})
			post(body)
		}
		for _, s := range []string{s2, s3, s4} {
			var o domain.Order
			w.store.View(context.Background(), func(tx domain.Tx) error {
				r, err := tx.Registration(code)
				if err == nil && r.Order != "" {
					o, err = tx.Order(r.Order)
				}
				return err
			})
			if o.ID == "" {
				o = domain.Order{ID: order, Amount: 8990, Currency: "KZT"}
			}
			body, _ := payments.Encode(secret, domain.Payment{OrderID: o.ID, Amount: o.Amount, Currency: o.Currency, Status: s})
			post(body)
		}
		err := w.store.View(context.Background(), func(tx domain.Tx) error {
			r, err := tx.Registration(code)
			if err != nil {
				return err
			}
			switch {
			case r.Status == domain.StatusPaid && (r.Bib < 3<<32 || r.Bib >= 4<<32):
				return fmt.Errorf("paid with bib %d", r.Bib)
			case r.Status != domain.StatusPaid && r.Status != domain.StatusRefunded && r.Bib != 0:
				return fmt.Errorf("%s with bib %d", r.Status, r.Bib)
			case r.Status == domain.StatusAwaitingPayment && r.Order == "":
				return errors.New("awaiting payment without an order")
			}
			held := 0
			err = tx.EachRegistration(func(r domain.Registration) error {
				if r.Status.HoldsPlace() {
					held++
				}
				return nil
			})
			if n, _ := tx.PlacesTaken("5k", event.InPerson); err == nil && n != held {
				return fmt.Errorf("%d places counted, %d held", n, held)
			}
			return err
		})
		if err != nil {
			t.Fatalf("after %q %d %q %q then %q %q %q: %v", status, amount, currency, suffix, s2, s3, s4, err)
		}
	})
}
