package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/formats/export"
)

func TestLocalURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		":8080":          "http://127.0.0.1:8080",
		"0.0.0.0:9000":   "http://127.0.0.1:9000",
		"bot.local:80":   "http://bot.local:80",
	} {
		if got := LocalURL(addr); got != want {
			t.Errorf("LocalURL(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestParseAdmins(t *testing.T) {
	got, err := parseAdmins(" 123456789, +77011234567 ,console:org,")
	want := []string{"telegram:123456789", "whatsapp:77011234567", "console:org"}
	if err != nil || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("parseAdmins = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"@organizer", "+7 701", "console:"} {
		if _, err := parseAdmins(bad); err == nil {
			t.Errorf("parseAdmins(%q) accepted", bad)
		}
	}
}

func TestParseSupportChat(t *testing.T) {
	for in, want := range map[string]string{"": "", " -1001234567890 ": "-1001234567890", "123456789": "123456789"} {
		if got, err := parseSupportChat(in); err != nil || got != want {
			t.Errorf("parseSupportChat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"@volunteers", "-", "12 34", "--100"} {
		if _, err := parseSupportChat(bad); err == nil || !strings.Contains(err.Error(), "SUPPORT_CHAT_ID") {
			t.Errorf("parseSupportChat(%q) = %v, want an error naming SUPPORT_CHAT_ID", bad, err)
		}
	}
}

// env is an environment of its own for Parse.
func env(vars ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(vars); i += 2 {
		m[vars[i]] = vars[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestRates(t *testing.T) {
	cfg, err := Parse([]string{"serve"}, env("TELEGRAM_RATE", "20"), new(strings.Builder))
	if err != nil || cfg.Rates["telegram"] != 20 || len(cfg.Rates) != 1 {
		t.Fatalf("rates %v, %v", cfg.Rates, err)
	}
	if cfg, _ := Parse([]string{"serve"}, env(), new(strings.Builder)); cfg.Rates["telegram"] != 28 {
		t.Errorf("default rate %v", cfg.Rates)
	}
	for _, bad := range []string{"fast", "0", "-3", "5000"} {
		if _, err := Parse([]string{"serve"}, env("TELEGRAM_RATE", bad), new(strings.Builder)); err == nil || !strings.Contains(err.Error(), "TELEGRAM_RATE") {
			t.Errorf("TELEGRAM_RATE=%s: err %v", bad, err)
		}
	}
}

// TestHelp: every command's --help prints its own flags only, and the
// program's help lists every command.
func TestHelp(t *testing.T) {
	var all strings.Builder
	if _, err := Parse([]string{"--help"}, env(), &all); err != ErrHelp {
		t.Fatalf("--help: %v", err)
	}
	for _, c := range commands {
		if !strings.Contains(all.String(), "  "+c.name) {
			t.Errorf("the usage lacks %s:\n%s", c.name, all.String())
		}
		for _, help := range []string{"--help", "-h"} {
			var out strings.Builder
			if _, err := Parse([]string{c.name, help}, env(), &out); err != ErrHelp {
				t.Fatalf("%s %s: %v", c.name, help, err)
			}
			for _, f := range c.flags {
				if !strings.Contains(out.String(), "-"+f) {
					t.Errorf("%s --help lacks -%s:\n%s", c.name, f, out.String())
				}
			}
			for _, other := range []string{"skip-bad", "phone", "user"} {
				if !slices.Contains(c.flags, other) && strings.Contains(out.String(), "-"+other) {
					t.Errorf("%s --help shows -%s, a flag of another command:\n%s", c.name, other, out.String())
				}
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"fly"},
		{"serve", "--nope"},
		{"serve", "--apply"},
		{"import-results"},
		{"import-results", "a.csv", "b.csv"},
		{"chat", "extra"},
		{"check", "a.db", "b.db"},
		{"restore"},
	} {
		_, err := Parse(args, env(), new(strings.Builder))
		var usage *UsageError
		if !errors.As(err, &usage) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "--help") {
			t.Errorf("%q: %v, want a one-line usage error with a hint", args, err)
		}
	}
}

func TestParseFlagsAndEnvironment(t *testing.T) {
	cfg, err := Parse([]string{"import-results", "results.csv", "--apply", "--data", "/tmp/d"},
		env("HTTP_ADDR", "0.0.0.0:9000", "ADMINS", "123", "ADMIN_TOKEN", "a token of twenty-four chars"), new(strings.Builder))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Command != "import-results" || cfg.Operands[0] != "results.csv" || !cfg.Apply || cfg.SkipBad || cfg.DataDir != "/tmp/d" {
		t.Errorf("%+v", cfg)
	}
	if cfg.Admins[0] != "telegram:123" || cfg.DashboardURL() != "" && cfg.PublicURL == "" {
		t.Errorf("%+v", cfg)
	}
	cfg, err = Parse([]string{"serve"}, env("HTTP_ADDR", "0.0.0.0:9000", "ADMIN_TOKEN", "a token of twenty-four chars"), new(strings.Builder))
	if err != nil || cfg.PublicURL != "http://127.0.0.1:9000" || cfg.DashboardURL() != "http://127.0.0.1:9000/admin" {
		t.Errorf("%+v %v", cfg, err)
	}
	if _, err := Parse([]string{"chat", "--user", " "}, env(), new(strings.Builder)); err == nil {
		t.Error("an empty --user accepted")
	}
	cfg, err = Parse([]string{"check"}, env("DATA_DIR", "/srv/rfa"), new(strings.Builder))
	if err != nil || len(cfg.Operands) != 0 || cfg.BackupDir() != "/srv/rfa/backups" || cfg.BackupInterval != time.Hour || cfg.BackupKeep != 48 {
		t.Errorf("check: %+v %v", cfg, err)
	}
	cfg, err = Parse([]string{"serve"}, env("BACKUP_INTERVAL", "10m", "BACKUP_KEEP", "6", "TRUSTED_PROXIES", "10.0.0.1"), new(strings.Builder))
	if err != nil || cfg.BackupInterval != 10*time.Minute || cfg.BackupKeep != 6 || len(cfg.Proxies) != 1 {
		t.Errorf("backups and proxies: %+v %v", cfg, err)
	}
}

func TestHardeningSettingsAreChecked(t *testing.T) {
	for _, tt := range []struct {
		env  []string
		want string
	}{
		{[]string{"ADMIN_TOKEN", "short-token"}, "ADMIN_TOKEN: must be at least 24 characters"},
		{[]string{"TRUSTED_PROXIES", "proxy.local"}, `TRUSTED_PROXIES: "proxy.local" is neither`},
		{[]string{"BACKUP_INTERVAL", "hourly"}, "BACKUP_INTERVAL: must be a duration"},
		{[]string{"BACKUP_INTERVAL", "-1h"}, "BACKUP_INTERVAL: must be a duration"},
		{[]string{"BACKUP_KEEP", "0"}, "BACKUP_KEEP: must be a number of backups of at least 1"},
	} {
		if _, err := Parse([]string{"serve"}, env(tt.env...), new(strings.Builder)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.env, err, tt.want)
		}
	}
}

func TestWhatsAppTransport(t *testing.T) {
	cfg, err := Parse([]string{"serve"}, env(), new(strings.Builder))
	if err != nil || cfg.WhatsApp.Transport != "whatsmeow" {
		t.Errorf("default: %+v, %v", cfg.WhatsApp, err)
	}
	cfg, err = Parse([]string{"serve"}, env("WHATSAPP_TRANSPORT", "cloud", "WHATSAPP_CLOUD_TOKEN", "tok", "WHATSAPP_PHONE_NUMBER_ID", "106",
		"WHATSAPP_APP_SECRET", "sec", "WHATSAPP_VERIFY_TOKEN", "ver", "WHATSAPP_API_URL", "http://fake/v26.0"), new(strings.Builder))
	want := WhatsApp{Transport: "cloud", CloudToken: "tok", PhoneNumberID: "106", AppSecret: "sec", VerifyToken: "ver", APIURL: "http://fake/v26.0"}
	if err != nil || cfg.WhatsApp != want {
		t.Errorf("cloud: %+v, %v; want %+v", cfg.WhatsApp, err, want)
	}
	if _, err := Parse([]string{"serve"}, env("WHATSAPP_TRANSPORT", "business"), new(strings.Builder)); err == nil ||
		!strings.Contains(err.Error(), `WHATSAPP_TRANSPORT: "business" is neither whatsmeow nor cloud`) {
		t.Errorf("unknown transport: %v", err)
	}
}

func TestExportFormatAndLang(t *testing.T) {
	cfg, err := Parse([]string{"export", "--out", "x"}, env(), new(strings.Builder))
	if err != nil || cfg.Format != export.CSV || cfg.Lang != "ru" {
		t.Errorf("defaults: %q %q %v", cfg.Format, cfg.Lang, err)
	}
	cfg, err = Parse([]string{"export", "--out", "x", "--format", "xlsx", "--lang", "kk"}, env(), new(strings.Builder))
	if err != nil || cfg.Format != export.XLSX || cfg.Lang != "kk" {
		t.Errorf("--format xlsx --lang kk: %q %q %v", cfg.Format, cfg.Lang, err)
	}
	for _, args := range [][]string{{"export", "--format", "xls"}, {"export", "--lang", "de"}, {"backup", "--format", "xlsx"}} {
		_, err := Parse(args, env(), new(strings.Builder))
		var usage *UsageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--help") {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

func TestPaymentProviders(t *testing.T) {
	tiptop := []string{"TIPTOPPAY_PUBLIC_ID", "pk_1", "TIPTOPPAY_API_SECRET", "s3cret"}
	freedom := []string{"FREEDOMPAY_MERCHANT_ID", "554", "FREEDOMPAY_SECRET_KEY", "k3y"}
	tests := []struct {
		name string
		env  []string
		want func(Config) bool
		err  string
	}{
		{"tiptoppay with the default API", append([]string{"PAYMENT_PROVIDER", "tiptoppay"}, tiptop...), func(c Config) bool {
			return c.Provider == "tiptoppay" && c.TipTop == TipTop{PublicID: "pk_1", APISecret: "s3cret", APIURL: "https://api.tiptoppay.kz"}
		}, ""},
		{"cloudpayments is tiptoppay", append([]string{"PAYMENT_PROVIDER", "cloudpayments", "TIPTOPPAY_API_URL", "https://api.cloudpayments.kz/"}, tiptop...), func(c Config) bool {
			return c.Provider == "tiptoppay" && c.TipTop.APIURL == "https://api.cloudpayments.kz"
		}, ""},
		{"tiptoppay without its Public ID", []string{"PAYMENT_PROVIDER", "tiptoppay", "TIPTOPPAY_API_SECRET", "s3cret"}, nil, "TIPTOPPAY_PUBLIC_ID: must be set"},
		{"tiptoppay without its secret", []string{"PAYMENT_PROVIDER", "tiptoppay", "TIPTOPPAY_PUBLIC_ID", "pk_1"}, nil, "TIPTOPPAY_API_SECRET: must be set"},
		{"tiptoppay with a bad URL", append([]string{"PAYMENT_PROVIDER", "tiptoppay", "TIPTOPPAY_API_URL", "api.tiptoppay.kz"}, tiptop...), nil, "TIPTOPPAY_API_URL: must be an http(s) URL"},
		{"freedompay testing", append([]string{"PAYMENT_PROVIDER", "freedompay", "FREEDOMPAY_TESTING", "1"}, freedom...), func(c Config) bool {
			return c.FreedomPay == FreedomPay{MerchantID: "554", SecretKey: "k3y", APIURL: "https://api.freedompay.kz", Testing: true}
		}, ""},
		{"freedompay without its merchant", []string{"PAYMENT_PROVIDER", "freedompay", "FREEDOMPAY_SECRET_KEY", "k3y"}, nil, "FREEDOMPAY_MERCHANT_ID: must be set"},
		{"freedompay without its key", []string{"PAYMENT_PROVIDER", "freedompay", "FREEDOMPAY_MERCHANT_ID", "554"}, nil, "FREEDOMPAY_SECRET_KEY: must be set"},
		{"freedompay testing yes", append([]string{"PAYMENT_PROVIDER", "freedompay", "FREEDOMPAY_TESTING", "yes"}, freedom...), nil, "FREEDOMPAY_TESTING: must be 1"},
		{"test needs no keys", []string{"PAYMENT_PROVIDER", "test"}, func(c Config) bool { return c.TipTop == TipTop{} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]string{"serve"}, env(tt.env...), new(strings.Builder))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "k3y") {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !tt.want(cfg) {
				t.Fatalf("cfg %+v %+v, err %v", cfg.TipTop, cfg.FreedomPay, err)
			}
		})
	}
}
