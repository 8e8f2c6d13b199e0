package main

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/payments/paytest"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/storage"
)

// The built binary with PAYMENT_PROVIDER=tiptoppay over a fake TipTop
// Pay API: the link from the API, the payment through the provider's
// signed notifications, the confirmation in the chat, the transaction in
// the export, and the secrets nowhere in the log.

const (
	tipTopPublicID = "pk_e2e_5a1f"
	tipTopSecret   = "e2e-api-secret-7Qm2"
)

// paidChat is "rfabot chat" paying through a provider's fake.
type paidChat struct {
	t     *testing.T
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *syncBuffer
	log   *syncBuffer
}

// startPaidChat starts the chat on data with the provider env sets; the
// bot's HTTP server (for the provider's notifications) is at addr.
func startPaidChat(t *testing.T, data, addr, eventPath string, env ...string) *paidChat {
	t.Helper()
	cmd := exec.Command(binary(t), "chat", "--data", data, "--event", eventPath, "--http", addr)
	cmd.Env = append(os.Environ(), append([]string{"PAYMENT_SECRET=", "PUBLIC_URL=", "LOG_LEVEL=debug"}, env...)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &paidChat{t: t, cmd: cmd, stdin: stdin, out: &syncBuffer{}, log: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = c.out, c.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return c
}

// startTipTopChat starts the chat on data with TipTop Pay at fake; the
// bot's HTTP server (for the notifications) is at addr.
func startTipTopChat(t *testing.T, fake *paytest.TipTop, data, addr, eventPath string, env ...string) *paidChat {
	t.Helper()
	c := startPaidChat(t, data, addr, eventPath, append([]string{"PAYMENT_PROVIDER=cloudpayments", "TIPTOPPAY_PUBLIC_ID=" + tipTopPublicID,
		"TIPTOPPAY_API_SECRET=" + tipTopSecret, "TIPTOPPAY_API_URL=" + fake.URL(), "ADMINS=console:console"}, env...)...)
	fake.NotifyURL = "http://" + addr
	return c
}

func (c *paidChat) say(lines ...string) { io.WriteString(c.stdin, strings.Join(lines, "\n")+"\n") }

// register registers Oliver Smith for 10 km in English and returns the
// registration code.
func (c *paidChat) register() string {
	c.t.Helper()
	c.say("3", "1", "Oliver Smith", "01.02.1995", "1", "8 701 123 45 67", "1", "4", "1", "3", "Emma Smith", "87017654321", "1", "1", "1")
	c.out.waitFor(c.t, regexp.MustCompile(`The payment link is on its way`))
	return regexp.MustCompile(`RFA-[2-9A-Z]{4}`).FindString(c.out.waitFor(c.t, regexp.MustCompile(`Registration code: RFA-[2-9A-Z]{4}`)))
}

// link waits for the payment link TipTop Pay made, pushed to the chat.
func (c *paidChat) link(fake *paytest.TipTop) string {
	c.t.Helper()
	c.out.waitFor(c.t, regexp.MustCompile(`Here is the payment link for RFA-`))
	return c.out.waitFor(c.t, regexp.MustCompile(regexp.QuoteMeta(fake.URL())+`/pay/[0-9a-f]{24}`))
}

// stop ends the chat (end of input) and waits for it to exit.
func (c *paidChat) stop() {
	c.t.Helper()
	c.stdin.Close()
	if err := c.cmd.Wait(); err != nil {
		c.t.Fatalf("chat: %v\n%s", err, c.log.String())
	}
}

func TestTipTopEndToEnd(t *testing.T) {
	fake := paytest.NewTipTop(tipTopPublicID, tipTopSecret)
	defer fake.Close()
	data, eventPath := t.TempDir(), futureEvent(t)
	c := startTipTopChat(t, fake, data, freeAddr(t), eventPath)
	code := c.register()
	link := c.link(fake)
	if o := fake.Orders(); len(o) != 1 || o[0].InvoiceID != code+"-1" || o[0].CultureName != "en-US" || !strings.Contains(o[0].Description, "Oliver Smith") {
		t.Fatalf("orders created: %+v", o)
	}
	res, err := fake.Pay(link)
	if err != nil || res.CheckCode != 0 || res.Status != 200 || res.Body != `{"code":0}` {
		t.Fatalf("pay: %+v %v\n%s", res, err, c.log.String())
	}
	c.out.waitFor(t, regexp.MustCompile(`Payment received[^\n]*\n(.*\n)*.*Bib: \d+`))
	c.say("2") // My registrations, from "what next": the same link is not offered again, it is paid
	c.out.waitFor(t, regexp.MustCompile(`Status: paid`))
	c.stop()
	if n := len(fake.Orders()); n != 1 {
		t.Errorf("%d orders created, want 1", n)
	}
	out := t.TempDir()
	if got, exit := rfabot(t, []string{"PAYMENT_PROVIDER=", "ADMIN_TOKEN="}, "", "export", "--data", data, "--event", eventPath, "--out", out); exit != 0 {
		t.Fatalf("export: exit %d\n%s", exit, got)
	}
	row := exportRow(t, filepath.Join(out, "registrations.csv"), code)
	if row["payment_provider"] != "tiptoppay" || row["transaction_id"] != strconv.FormatInt(res.TransactionID, 10) || row["payment_test"] != "yes" || row["paid_amount"] != "9990" {
		t.Errorf("exported row: %v", row)
	}
	for _, secret := range []string{tipTopSecret, tipTopPublicID} {
		if strings.Contains(c.log.String(), secret) || strings.Contains(c.out.String(), secret) {
			t.Errorf("%q is in the output or the log:\n%s", secret, c.log.String())
		}
	}
}

// exportRow is the row of code in an exported CSV, by column name.
func exportRow(t *testing.T, path, code string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: %v %q", path, err, rows)
	}
	head := rows[0]
	head[0] = strings.TrimPrefix(head[0], "\uFEFF")
	for _, r := range rows[1:] {
		if r[0] == code {
			m := map[string]string{}
			for i, h := range head {
				m[h] = r[i]
			}
			return m
		}
	}
	t.Fatalf("%s has no row %s: %q", path, code, rows)
	return nil
}

// update changes the stopped bot's database, as the clock would have
// by now: tests move records back in time instead of waiting.
func update(t *testing.T, data string, fn func(tx domain.Tx) error) {
	t.Helper()
	s, err := storage.Open(filepath.Join(data, "bot.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// TestTipTopCheckRefuses: the provider's Check refuses a payment for a
// cancelled registration, a lapsed hold and a changed amount, so the
// card is never charged for them.
func TestTipTopCheckRefuses(t *testing.T) {
	eventPath := futureEvent(t)
	t.Run("cancelled registration", func(t *testing.T) {
		fake := paytest.NewTipTop(tipTopPublicID, tipTopSecret)
		defer fake.Close()
		c := startTipTopChat(t, fake, t.TempDir(), freeAddr(t), eventPath)
		code := c.register()
		link := c.link(fake)
		c.say("/cancelreg " + code + " asked by phone")
		c.out.waitFor(t, regexp.MustCompile(regexp.QuoteMeta(code)+` \(Oliver Smith, 10 km\) is cancelled`))
		if res, err := fake.Pay(link); err != nil || res.CheckCode != 13 || fake.Charged(link) {
			t.Errorf("pay for a cancelled registration: %+v %v, charged %v", res, err, fake.Charged(link))
		}
		c.stop()
	})
	t.Run("changed amount", func(t *testing.T) {
		fake := paytest.NewTipTop(tipTopPublicID, tipTopSecret)
		defer fake.Close()
		c := startTipTopChat(t, fake, t.TempDir(), freeAddr(t), eventPath)
		c.register()
		link := c.link(fake)
		fields, err := fake.Fields(link)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := fake.Notify("check", fields.Set("Amount", "5000.00")); err != nil || res.Body != `{"code":12}` {
			t.Errorf("check of a changed amount: %+v %v", res, err)
		}
		c.stop()
	})
	t.Run("lapsed hold", func(t *testing.T) {
		fake := paytest.NewTipTop(tipTopPublicID, tipTopSecret)
		defer fake.Close()
		data, addr := t.TempDir(), freeAddr(t)
		c := startTipTopChat(t, fake, data, addr, eventPath)
		code := c.register()
		link := c.link(fake)
		c.stop()
		update(t, data, func(tx domain.Tx) error {
			r, err := tx.Registration(code)
			if err != nil {
				return err
			}
			r.HoldUntil = time.Now().Add(-time.Minute)
			return tx.PutRegistration(&r)
		})
		// The first clock tick at the start releases the place.
		c = startTipTopChat(t, fake, data, addr, eventPath)
		c.out.waitFor(t, regexp.MustCompile(`was not paid in time, so its place has been released`))
		if res, err := fake.Pay(link); err != nil || res.CheckCode != 20 || fake.Charged(link) {
			t.Errorf("pay for a lapsed hold: %+v %v, charged %v", res, err, fake.Charged(link))
		}
		c.stop()
	})
}

// TestTipTopReconciles: a payment whose Pay notification was lost is
// found with /payments/find on the first clock tick after
// reconcile_minutes, and confirmed in the chat.
func TestTipTopReconciles(t *testing.T) {
	fake := paytest.NewTipTop(tipTopPublicID, tipTopSecret)
	defer fake.Close()
	data, addr, eventPath := t.TempDir(), freeAddr(t), futureEvent(t)
	c := startTipTopChat(t, fake, data, addr, eventPath)
	code := c.register()
	link := c.link(fake)
	if res, err := fake.PayLost(link); err != nil || res.CheckCode != 0 || !fake.Charged(link) {
		t.Fatalf("pay: %+v %v", res, err)
	}
	c.stop()
	// reconcile_minutes (the default 30) pass: the order heard nothing
	// since its link and its Check.
	update(t, data, func(tx domain.Tx) error {
		o, err := tx.Order(code + "-1")
		if err != nil {
			return err
		}
		if o.Status != domain.OrderOpen {
			t.Errorf("order before the reconciliation: %+v", o)
		}
		back := 30*time.Minute + time.Second
		o.CreatedAt, o.LinkAt, o.HeardAt = o.CreatedAt.Add(-back), o.LinkAt.Add(-back), o.HeardAt.Add(-back)
		return tx.PutOrder(&o)
	})
	c = startTipTopChat(t, fake, data, addr, eventPath)
	c.out.waitFor(t, regexp.MustCompile(`Payment received[^\n]*\n(.*\n)*.*Bib: \d+`))
	c.stop()
}

func TestTipTopMissingKeyStopsStartup(t *testing.T) {
	for _, tt := range []struct{ env, want string }{
		{"TIPTOPPAY_PUBLIC_ID=", "TIPTOPPAY_PUBLIC_ID: must be set for PAYMENT_PROVIDER=tiptoppay"},
		{"TIPTOPPAY_API_SECRET=", "TIPTOPPAY_API_SECRET: must be set for PAYMENT_PROVIDER=tiptoppay"},
	} {
		out, code := rfabot(t, []string{"PAYMENT_PROVIDER=tiptoppay", "TIPTOPPAY_PUBLIC_ID=" + tipTopPublicID,
			"TIPTOPPAY_API_SECRET=" + tipTopSecret, "TELEGRAM_TOKEN=", tt.env}, "", "serve", "--data", t.TempDir(), "--http", freeAddr(t))
		if code == 0 || !strings.Contains(out, tt.want) || strings.Contains(out, tipTopSecret) {
			t.Errorf("serve with %s: exit %d\n%s", tt.env, code, out)
		}
	}
}
