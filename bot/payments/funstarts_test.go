package payments_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/bot/payments"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

const funFee = 3000

func funFeeEvent(ev *event.Config) { ev.FunStarts.Fee = funFee }

// signUpChild takes a parent of the console channel through the Fun
// Starts sign-up of one child in lang and returns the reply to the
// consent.
func (e *env) signUpChild(user, lang string) dialog.Reply {
	e.t.Helper()
	return e.send(user, lang, []dialog.Message{
		{Text: "/start"}, {Payload: "m:fun"}, {Payload: "fun:go"}, {Text: "Дана Серікқызы"}, {Text: "87011234567"},
		{Text: "Алуа"}, {Text: "01.06.2018"}, {Payload: "notes:none"}, {Payload: "size:128"}, {Payload: "agree"},
	}...)
}

func (e *env) funTaken() int {
	e.t.Helper()
	var n int
	if err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		n, err = tx.PlacesTaken(domain.FunStartsPlaces, event.InPerson)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestFunStartsWebhook: a child's order through the webhook, as for a
// runner's: 409 for a wrong amount or currency, paid confirms the child,
// failed sends a new link, refunded releases the place.
func TestFunStartsWebhook(t *testing.T) {
	e := newEnv(t, testProvider, funFeeEvent)
	e.signUpChild("p", "en")
	c := e.registration("p")
	if c.Status != domain.StatusAwaitingPayment || c.Order != c.Code+"-1" || !strings.HasPrefix(c.Code, "RFA-FS-") {
		t.Fatalf("child %+v", c)
	}
	notify := func(order, status string, amount int, currency string) []byte {
		return fmt.Appendf(nil, `{"order_id":%q,"amount":%d,"currency":%q,"status":%q,"provider_ref":"kaspi-1"}`, order, amount, currency, status)
	}
	for _, bad := range [][]byte{notify(c.Order, "paid", funFee+1, "KZT"), notify(c.Order, "paid", funFee, "USD")} {
		if code, body := e.post(bad, payments.Sign(secret, bad)); code != 409 {
			t.Errorf("mismatch: %d %s", code, body)
		}
	}
	if code, _ := e.post(notify(c.Order, "paid", funFee, "KZT"), "bad"); code != 401 {
		t.Errorf("bad signature: %d", code)
	}
	if got := e.registration("p"); got.Status != domain.StatusAwaitingPayment {
		t.Fatalf("refused calls changed the child: %+v", got)
	}
	// Failed: a new link, CODE-2, in a push.
	if code, _ := e.post(signed(string(notify(c.Order, "failed", funFee, "KZT")))); code != 200 {
		t.Fatalf("failed: %d", code)
	}
	ps, _ := e.store.PushesTo("test:p")
	next := c.Code + "-2"
	if len(ps) != 1 || len(ps[0].Reply.Links) != 1 || ps[0].Reply.Links[0].URL != e.checkoutURL(next) {
		t.Fatalf("pushes %+v", ps)
	}
	if code, _ := e.post(signed(string(notify(next, "paid", funFee, "KZT")))); code != 200 {
		t.Fatalf("paid: %d", code)
	}
	if got := e.registration("p"); got.Status != domain.StatusConfirmed || got.PaidAmount != funFee || e.funTaken() != 1 {
		t.Fatalf("after payment: %+v", got)
	}
	if code, _ := e.post(signed(string(notify(next, "refunded", funFee, "KZT")))); code != 200 {
		t.Fatalf("refunded: %d", code)
	}
	if got := e.registration("p"); got.Status != domain.StatusRefunded || got.PaidAmount != 0 || e.funTaken() != 0 {
		t.Errorf("after refund: %+v, places %d", got, e.funTaken())
	}
}

// TestFunStartsReplayedNotificationAppliedOnce: the same paid
// notification of a child's order, 100 times at once, is applied once.
func TestFunStartsReplayedNotificationAppliedOnce(t *testing.T) {
	e := newEnv(t, testProvider, funFeeEvent)
	e.signUpChild("p", "en")
	c := e.registration("p")
	e.replay(100, domain.Payment{OrderID: c.Order, Amount: funFee, Currency: "KZT", Status: "paid", ProviderRef: "kaspi-77"})
	got := e.registration("p")
	if got.Status != domain.StatusConfirmed || got.PaidAmount != funFee || got.RefundDue != 0 || e.funTaken() != 1 {
		t.Errorf("after 100 replays: %+v", got)
	}
	ps, _ := e.store.PushesTo("test:p")
	if len(ps) != 1 || ps[0].Key != "paid:"+c.Code {
		t.Errorf("pushes after 100 replays: %+v", ps)
	}
}

// TestFunStartsTestCheckout: the link of a child's sign-up opens the
// test checkout with the child and the fee in the parent's language;
// Pay confirms the child with a push, Fail brings a new link.
func TestFunStartsTestCheckout(t *testing.T) {
	for lang, want := range map[string][]string{
		"kk": {"Алуа, «Көңілді старттар», коды", "3 000 ₸", "Төлем қабылданды. Растау чатқа", "Алуа есімді бала «Көңілді старттарға» тіркелді"},
		"ru": {"Алуа, «Весёлые старты», код", "3 000 ₸", "Оплата получена. Подтверждение", "Ребёнок по имени Алуа записан на «Весёлые старты»"},
		"en": {"Алуа, Fun Starts, code", "3,000 ₸", "Payment received. The confirmation", "Алуа is signed up for Fun Starts"},
	} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, testProvider, funFeeEvent)
			reply := e.signUpChild("p", lang)
			c := e.registration("p")
			if len(reply.Links) != 1 || reply.Links[0].URL != e.checkoutURL(c.Order) {
				t.Fatalf("links %+v", reply.Links)
			}
			page := get(t, reply.Links[0].URL)
			for _, w := range append(want[:2], c.Code, `lang="`+lang+`"`, "<form") {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q:\n%s", w, page)
				}
			}
			if done := postForm(t, reply.Links[0].URL, "paid"); !strings.Contains(done, want[2]) {
				t.Errorf("after Pay:\n%s", done)
			}
			if got := e.registration("p"); got.Status != domain.StatusConfirmed || got.PaidAmount != funFee {
				t.Fatalf("%+v", got)
			}
			ps, _ := e.store.PushesTo("test:p")
			if len(ps) != 1 || !strings.Contains(strings.ReplaceAll(ps[0].Reply.Text, "\u00a0", " "), want[3]) {
				t.Errorf("confirmation %+v", ps)
			}
			if again := get(t, reply.Links[0].URL); strings.Contains(again, "<form") {
				t.Errorf("paid order still offers to pay:\n%s", again)
			}
		})
	}
	t.Run("fail", func(t *testing.T) {
		e := newEnv(t, testProvider, funFeeEvent)
		link := e.signUpChild("p", "en").Links[0].URL
		if done := postForm(t, link, "failed"); !strings.Contains(done, "The payment failed. A new link") {
			t.Errorf("after Fail:\n%s", done)
		}
		ps, _ := e.store.PushesTo("test:p")
		c := e.registration("p")
		if len(ps) != 1 || len(ps[0].Reply.Links) != 1 || ps[0].Reply.Links[0].URL != e.checkoutURL(c.Code+"-2") || c.Order != c.Code+"-2" {
			t.Fatalf("pushes %+v, child %+v", ps, c)
		}
		if page := get(t, ps[0].Reply.Links[0].URL); !strings.Contains(page, "<form") {
			t.Errorf("the new link's page:\n%s", page)
		}
	})
}
