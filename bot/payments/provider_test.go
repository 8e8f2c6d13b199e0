package payments_test

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/bot/payments"
	"github.com/runforautism/rfabot/domain"
)

func TestCustomLink(t *testing.T) {
	p, err := payments.New("custom", payments.Options{Template: "https://pay.example.kz/checkout?order={order}&amount={amount}&currency={currency}&lang={lang}&sig={sig}", Secret: []byte("s3cret")})
	if err != nil {
		t.Fatal(err)
	}
	link, err := p.Link(domain.Order{ID: "RFA-7K2Q-1", Amount: 6990, Currency: "KZT"}, "kk")
	if err != nil {
		t.Fatal(err)
	}
	// The link key is HKDF-SHA256("s3cret", no salt, "rfabot payment link v1").
	key, _ := hkdf.Key(sha256.New, []byte("s3cret"), nil, "rfabot payment link v1", 32)
	m := hmac.New(sha256.New, key)
	m.Write([]byte("RFA-7K2Q-1|6990|KZT"))
	want := "https://pay.example.kz/checkout?order=RFA-7K2Q-1&amount=6990&currency=KZT&lang=kk&sig=" + hex.EncodeToString(m.Sum(nil))
	if link != want {
		t.Errorf("link\n%s\nwant\n%s", link, want)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name, provider, template, secret, base, wantErr string
	}{
		{"test by default", "", "", "", "http://127.0.0.1:8080", ""},
		{"test", "test", "", "x", "https://bot.example.kz/", ""},
		{"test needs a base URL", "test", "", "", "127.0.0.1:8080", "PUBLIC_URL: must be an http(s) URL"},
		{"custom needs a secret", "custom", "https://pay.example.kz/?o={order}", "", "", "PAYMENT_SECRET: must be set"},
		{"custom needs a template", "custom", "", "x", "", "payment.link_template"},
		{"generic is now custom", "generic", "https://pay.example.kz/?o={order}", "x", "", "now called custom"},
		{"unknown", "kaspi", "", "x", "", `unknown provider "kaspi"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := payments.New(tt.provider, payments.Options{Template: tt.template, Secret: []byte(tt.secret), BaseURL: tt.base})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			link, _ := p.Link(domain.Order{ID: "RFA-7K2Q-1"}, "en")
			if !strings.Contains(link, "/pay/test/RFA-7K2Q-1?sig=") || strings.Contains(link, "//pay") {
				t.Errorf("link %q", link)
			}
			// Without PAYMENT_SECRET the test provider signs with a
			// random secret of its own.
			if tp := p.(*payments.Test); len(tp.Secret) == 0 {
				t.Error("no secret")
			}
		})
	}
}
