package payments_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/bot/payments"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             int
		err              string
	}{
		{"8990.00", "KZT", 8990, ""},
		{"8 990,00", "KZT", 8990, ""},
		{"8\u00a0990,00", "KZT", 8990, ""},
		{"8990", "KZT", 8990, ""},
		{"8990,0", "KZT", 8990, ""},
		{" 123.00 ", "KZT", 123, ""},
		{"8990.50", "KZT", 0, "fraction"},
		{"8990.01", "KZT", 0, "fraction"},
		{"0.99", "KZT", 0, "fraction"},
		{"-8990.00", "KZT", 0, "negative"},
		{"0.00", "KZT", 0, "zero"},
		{"8990.00", "RUB", 0, `currency "RUB" is not KZT`},
		{"8990.00", "", 0, "currency"},
		{"", "KZT", 0, "empty"},
		{"8,990.00", "KZT", 0, "not a number"},
		{"8990.", "KZT", 0, "not a number"},
		{".50", "KZT", 0, "not a number"},
		{"1e4", "KZT", 0, "not a number"},
		{"+8990", "KZT", 0, "not a number"},
		{"8990.00 KZT", "KZT", 0, "not a number"},
		{"99999999999999999999", "KZT", 0, "too large"},
	}
	for _, tt := range tests {
		got, err := payments.ParseAmount(tt.amount, tt.currency, "KZT")
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseAmount(%q, %q) = %d, %v; want %d", tt.amount, tt.currency, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseAmount(%q, %q) = %d, %v; want an error with %q", tt.amount, tt.currency, got, err, tt.err)
		}
	}
}
