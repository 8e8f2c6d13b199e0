package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/payments/paytest"
	"github.com/runforautism/rfabot/domain"
)

// The built binary with PAYMENT_PROVIDER=freedompay over a fake Freedom
// Pay API: the link from init_payment.php, the payment through the
// provider's signed result callback, the confirmation in the chat, the
// payment id in the export, the secret key nowhere in the log.

const (
	freedomMerchant = "545084"
	freedomSecret   = "fp-e2e-secret-7Qx9"
)

// startFreedomChat starts the chat on data with Freedom Pay at fake; the
// bot's HTTP server (for the results) is at addr.
func startFreedomChat(t *testing.T, fake *paytest.FreedomPay, data, addr, eventPath string) *paidChat {
	t.Helper()
	return startPaidChat(t, data, addr, eventPath, "PAYMENT_PROVIDER=freedompay", "FREEDOMPAY_MERCHANT_ID="+freedomMerchant,
		"FREEDOMPAY_SECRET_KEY="+freedomSecret, "FREEDOMPAY_API_URL="+fake.URL(), "FREEDOMPAY_TESTING=1")
}

// freedomLink waits for the payment link Freedom Pay made, pushed to the
// chat, and returns the payment the bot made at the fake.
func (c *paidChat) freedomLink(fake *paytest.FreedomPay) paytest.FreedomPayPayment {
	c.t.Helper()
	c.out.waitFor(c.t, regexp.MustCompile(`Here is the payment link for RFA-`))
	link := c.out.waitFor(c.t, regexp.MustCompile(regexp.QuoteMeta(fake.URL())+`/pay\.html\?customer=[0-9]+`))
	p, ok := fake.PaymentByURL(link)
	if !ok {
		c.t.Fatalf("the link %s is not one the fake made", link)
	}
	return p
}

// TestFreedomPayEndToEnd: register in the console, take the link from
// the fake, pay through its result callback; the confirmation with a
// bib reaches the chat and the export shows the payment. A forged
// result first gets 401 and changes nothing.
func TestFreedomPayEndToEnd(t *testing.T) {
	fake := paytest.NewFreedomPay(freedomMerchant, freedomSecret)
	defer fake.Close()
	data, addr, eventPath := t.TempDir(), freeAddr(t), futureEvent(t)
	c := startFreedomChat(t, fake, data, addr, eventPath)
	code := c.register()
	p := c.freedomLink(fake)
	want := map[string]string{"pg_order_id": code + "-1", "pg_amount": "9990", "pg_language": "en", "pg_user_phone": "77011234567",
		"pg_testing_mode": "1", "pg_result_url": "http://" + addr + "/payments/freedompay/result"}
	for k, v := range want {
		if got := p.Form.Get(k); got != v {
			t.Errorf("init_payment.php %s = %q, want %q", k, got, v)
		}
	}
	ctx := context.Background()
	forged := fake.ResultForm(p, paytest.FreedomPayResult{Paid: true})
	forged.Set("pg_payment_id", "999999")
	if res, err := fake.PostResult(ctx, p.Form.Get("pg_result_url"), forged, "not-the-key"); err != nil || res.HTTPStatus != 401 {
		t.Fatalf("forged result: %+v %v", res, err)
	}
	res, err := fake.Pay(ctx, p.OrderID(), paytest.FreedomPayResult{Paid: true, CanReject: true})
	if err != nil || res.HTTPStatus != 200 || res.Status != "ok" || !res.SigOK {
		t.Fatalf("result: %+v %v\n%s", res, err, c.log.String())
	}
	c.out.waitFor(t, regexp.MustCompile(`Payment received[^\n]*\n(.*\n)*.*Bib: \d+`))
	c.stop()
	if n := strings.Count(c.out.String(), "Payment received"); n != 1 {
		t.Errorf("%d confirmations in the chat, want 1", n)
	}
	if n := fake.Calls("init_payment.php"); n != 1 {
		t.Errorf("%d init_payment.php calls, want 1", n)
	}
	out := t.TempDir()
	if got, exit := rfabot(t, []string{"PAYMENT_PROVIDER=", "ADMIN_TOKEN="}, "", "export", "--data", data, "--event", eventPath, "--out", out); exit != 0 {
		t.Fatalf("export: exit %d\n%s", exit, got)
	}
	row := exportRow(t, filepath.Join(out, "registrations.csv"), code)
	if row["status"] != "paid" || row["bib"] == "" || row["payment_provider"] != "freedompay" || row["transaction_id"] != p.ID ||
		row["payment_test"] != "yes" || row["paid_amount"] != "9990" {
		t.Errorf("exported row: %v", row)
	}
	if strings.Contains(c.log.String(), freedomSecret) || strings.Contains(c.out.String(), freedomSecret) {
		t.Errorf("the secret key is in the output or the log:\n%s", c.log.String())
	}
}

// TestFreedomPayReconciles: a result lost on its way is found with
// get_status3.php once the order has heard nothing for
// reconcile_minutes.
func TestFreedomPayReconciles(t *testing.T) {
	fake := paytest.NewFreedomPay(freedomMerchant, freedomSecret)
	defer fake.Close()
	data, addr, eventPath := t.TempDir(), freeAddr(t), futureEvent(t)
	c := startFreedomChat(t, fake, data, addr, eventPath)
	code := c.register()
	p := c.freedomLink(fake)
	if !fake.MarkPaid(p.OrderID()) {
		t.Fatal("no payment to mark paid")
	}
	c.stop()
	update(t, data, func(tx domain.Tx) error {
		o, err := tx.Order(code + "-1")
		if err != nil {
			return err
		}
		if o.Status != domain.OrderOpen || o.LinkRef != p.ID {
			t.Errorf("order before the reconciliation: %+v", o)
		}
		back := 30*time.Minute + time.Second
		o.CreatedAt, o.LinkAt, o.HeardAt = o.CreatedAt.Add(-back), o.LinkAt.Add(-back), o.HeardAt.Add(-back)
		return tx.PutOrder(&o)
	})
	c = startFreedomChat(t, fake, data, addr, eventPath)
	c.out.waitFor(t, regexp.MustCompile(`Payment received[^\n]*\n(.*\n)*.*Bib: \d+`))
	c.stop()
	if n := fake.Calls("get_status3.php"); n != 1 {
		t.Errorf("%d get_status3.php calls, want 1", n)
	}
}

// TestFreedomPayMissingKeyStopsStartup: a missing key stops start-up,
// naming the variable, and the other key is not printed.
func TestFreedomPayMissingKeyStopsStartup(t *testing.T) {
	for _, tt := range []struct{ env, want string }{
		{"FREEDOMPAY_MERCHANT_ID=", "FREEDOMPAY_MERCHANT_ID: must be set for PAYMENT_PROVIDER=freedompay"},
		{"FREEDOMPAY_SECRET_KEY=", "FREEDOMPAY_SECRET_KEY: must be set for PAYMENT_PROVIDER=freedompay"},
		{"FREEDOMPAY_TESTING=yes", "FREEDOMPAY_TESTING: must be 1"},
	} {
		out, exit := rfabot(t, []string{"PAYMENT_PROVIDER=freedompay", "FREEDOMPAY_MERCHANT_ID=" + freedomMerchant,
			"FREEDOMPAY_SECRET_KEY=" + freedomSecret, "TELEGRAM_TOKEN=", tt.env}, "", "serve", "--data", t.TempDir(), "--http", freeAddr(t))
		if exit == 0 || !strings.Contains(out, tt.want) || strings.Contains(out, freedomSecret) {
			t.Errorf("serve with %s: exit %d\n%s", tt.env, exit, out)
		}
	}
}
