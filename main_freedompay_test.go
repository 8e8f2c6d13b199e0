package main

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/bot/payments/paytest"
)

// TestChatPaysThroughFreedomPay runs the built binary against a fake
// Freedom Pay: register in the console, take the link the bot got from
// init_payment.php, pay through the fake's signed result callback, and
// see the confirmation with a bib in the chat and the payment with its
// transaction id in `rfabot export`. A forged result before it gets 401
// and changes nothing; the secret key is never in the log.
func TestChatPaysThroughFreedomPay(t *testing.T) {
	const secretKey = "fp-e2e-secret-7Qx9"
	fake := paytest.NewFreedomPay("545084", secretKey)
	defer fake.Close()
	data, addr := t.TempDir(), freeAddr(t)
	cmd := exec.Command(binary(t), "chat", "--data", data, "--event", futureEvent(t), "--http", addr)
	cmd.Env = append(os.Environ(), "PAYMENT_PROVIDER=freedompay", "PAYMENT_SECRET=", "PUBLIC_URL=", "LOG_LEVEL=debug",
		"FREEDOMPAY_MERCHANT_ID=545084", "FREEDOMPAY_SECRET_KEY="+secretKey, "FREEDOMPAY_API_URL="+fake.URL(), "FREEDOMPAY_TESTING=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	io.WriteString(stdin, strings.Join([]string{"3", "1", "Oliver Smith", "01.02.1995", "1", "8 701 123 45 67",
		"1", "4", "1", "3", "Emma Smith", "87017654321", "1", "1", "1"}, "\n")+"\n")
	out.waitFor(t, regexp.MustCompile(`The payment link is on its way`))
	link := out.waitFor(t, regexp.MustCompile(regexp.QuoteMeta(fake.URL())+`/pay\.html\?customer=[0-9]+`))
	p, ok := fake.PaymentByURL(link)
	if !ok {
		t.Fatalf("the link %s is not one the fake made", link)
	}
	if got := p.Form.Get("pg_result_url"); got != "http://"+addr+"/payments/freedompay/result" {
		t.Errorf("pg_result_url %q", got)
	}
	ctx := context.Background()

	forged := fake.ResultForm(p, paytest.FreedomPayResult{Paid: true})
	forged.Set("pg_payment_id", "999999")
	res, err := fake.PostResult(ctx, p.Form.Get("pg_result_url"), forged, "not-the-key")
	if err != nil || res.HTTPStatus != 401 {
		t.Fatalf("forged result: %+v %v", res, err)
	}

	res, err = fake.Pay(ctx, p.OrderID(), paytest.FreedomPayResult{Paid: true, CanReject: true})
	if err != nil || res.HTTPStatus != 200 || res.Status != "ok" || !res.SigOK {
		t.Fatalf("result: %+v %v\nstderr: %s", res, err, errOut.String())
	}
	out.waitFor(t, regexp.MustCompile(`Payment received, thank you! Oliver Smith`))
	out.waitFor(t, regexp.MustCompile(`Bib: 1\n`))
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("chat: %v\nstderr: %s", err, errOut.String())
	}
	if n := strings.Count(out.String(), "Payment received"); n != 1 {
		t.Errorf("%d confirmations in the chat, want 1", n)
	}
	if strings.Contains(errOut.String(), secretKey) || strings.Contains(out.String(), secretKey) {
		t.Errorf("the secret key is in the output:\n%s", errOut.String())
	}

	dir := t.TempDir()
	export := exec.Command(binary(t), "export", "--data", data, "--out", dir)
	export.Env = append(os.Environ(), "PAYMENT_PROVIDER=", "ADMIN_TOKEN=")
	if b, err := export.CombinedOutput(); err != nil {
		t.Fatalf("export: %v\n%s", err, b)
	}
	row := csvRow(t, filepath.Join(dir, "registrations.csv"), "Oliver Smith")
	if !slices.Contains(row, p.ID) || !slices.Contains(row, "freedompay") || slices.Contains(row, "999999") {
		t.Errorf("export row lacks Freedom Pay's payment %s:\n%v", p.ID, row)
	}
	if !slices.Contains(row, "paid") || !slices.Contains(row, "1") {
		t.Errorf("export row is not paid with bib 1: %v", row)
	}
}

// TestFreedomPayNeedsItsKeys: start-up with PAYMENT_PROVIDER=freedompay
// and a missing key stops, naming the variable.
func TestFreedomPayNeedsItsKeys(t *testing.T) {
	for _, tt := range []struct{ env []string }{
		{[]string{"FREEDOMPAY_MERCHANT_ID=", "FREEDOMPAY_SECRET_KEY=k"}},
		{[]string{"FREEDOMPAY_MERCHANT_ID=545084", "FREEDOMPAY_SECRET_KEY="}},
	} {
		cmd := exec.Command(binary(t), "serve", "--data", t.TempDir(), "--http", freeAddr(t))
		cmd.Env = append(append(os.Environ(), "PAYMENT_PROVIDER=freedompay", "TELEGRAM_TOKEN="), tt.env...)
		b, err := cmd.CombinedOutput()
		missing := strings.TrimSuffix(tt.env[0], "=")
		if strings.HasSuffix(tt.env[1], "=") {
			missing = strings.TrimSuffix(tt.env[1], "=")
		}
		if err == nil || !strings.Contains(string(b), missing+": must be set") {
			t.Errorf("%v: err %v, output:\n%s", tt.env, err, b)
		}
	}
}

// csvRow is the row of a CSV export that has cell want.
func csvRow(t *testing.T, path, want string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if slices.Contains(r, want) {
			return r
		}
	}
	t.Fatalf("%s has no row with %q: %v", path, want, rows)
	return nil
}
