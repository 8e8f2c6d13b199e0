package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/bot/whatsapp"
	"github.com/runforautism/rfabot/bot/whatsappcloud/cloudtest"
)

// telegramEnv is the environment of serve on the fake Bot API.
func telegramEnv(tg *tgfake.Server) env {
	return env{"TELEGRAM_TOKEN": tg.Token, "TELEGRAM_API_ENDPOINT": tg.Endpoint(), "PAYMENT_PROVIDER": "test", "LOG_LEVEL": "debug"}
}

// On Telegram by long polling: serve is up with the channel in /healthz
// once Start returns, sets the commands of each language, and answers a
// registration with the phone question's share button; the token is
// never in the log.
func TestServeTelegram(t *testing.T) {
	tg := tgfake.New(t)
	b := start(t, parse(t, telegramEnv(tg), "serve", "--data", t.TempDir(), "--http", "127.0.0.1:0", "--event", futureEvent(t)))
	b.waitChannel(t, "telegram")
	u := tgfake.User{ID: 777001, FirstName: "Айгерим", LanguageCode: "ru"}
	tg.Text(u, "/start register")
	tg.BotMessage(t, u, 1, "Как зовут участника?")
	tg.Text(u, "Айгерим Нурланова")
	tg.BotMessage(t, u, 2, "Дата рождения")
	tg.Text(u, "15.05.1990")
	gender := tg.BotMessage(t, u, 3, "Пол участника")
	if _, err := tg.Press(u, gender.ID, "Женский"); err != nil {
		t.Fatal(err)
	}
	tg.BotMessage(t, u, 4, "Номер телефона")
	phone := tg.BotMessage(t, u, 5, "кнопкой внизу")
	if len(phone.Keyboard) == 0 || !phone.Keyboard[0][0].RequestContact {
		t.Errorf("phone question keyboard %+v", phone.Keyboard)
	}
	if cmds := tg.Commands("kk"); len(cmds) != 8 || cmds[1].Description != "Басты мәзір" {
		t.Errorf("kk commands %+v", cmds)
	}
	if err := b.Stop(); err != nil {
		t.Fatal(err)
	}
	if log := b.log.String(); strings.Contains(log, tg.Token) || !strings.Contains(log, "telegram channel up") {
		t.Errorf("log:\n%s", log)
	}
}

// Webhook mode: Telegram posts to the bot's HTTP server with the secret
// token; a post without it gets 401.
func TestServeTelegramWebhook(t *testing.T) {
	tg := tgfake.New(t)
	// The webhook URL is set at the start, so its port is chosen before.
	addr := freeAddr(t)
	hook := "http://" + addr + "/telegram/hook"
	e := telegramEnv(tg)
	e["TELEGRAM_WEBHOOK_URL"], e["TELEGRAM_WEBHOOK_SECRET"] = hook, "poster-2027"
	start(t, parse(t, e, "serve", "--data", t.TempDir(), "--http", addr, "--event", futureEvent(t))).waitChannel(t, "telegram")
	if url, secret := tg.Webhook(); url != hook || secret != "poster-2027" {
		t.Fatalf("webhook %q secret %q", url, secret)
	}
	u := tgfake.User{ID: 777002, FirstName: "Emma", LanguageCode: "en"}
	tg.Text(u, "/start info")
	tg.BotMessage(t, u, 1, "Run for Autism")
	resp, err := http.Post(hook, "application/json", strings.NewReader(`{"update_id":5}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("post without the secret: %d", resp.StatusCode)
	}
}

// The payment webhook is mounted and checks signatures.
func TestServePaymentWebhookNeedsASignature(t *testing.T) {
	b := start(t, parse(t, env{"PAYMENT_PROVIDER": "test"}, "serve", "--data", t.TempDir(), "--http", "127.0.0.1:0"))
	resp, err := http.Post(b.url("/payments/webhook"), "application/json", strings.NewReader(`{"order_id":"RFA-AAAA-1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned webhook call: %d, want 401", resp.StatusCode)
	}
}

// serveOnce starts serve on data, reads /healthz, stops it and returns
// the health answer and the log.
func serveOnce(t *testing.T, data string) (health, log string) {
	t.Helper()
	b := start(t, parse(t, env{"PAYMENT_PROVIDER": "test"}, "serve", "--data", data, "--http", "127.0.0.1:0"))
	_, health = b.get(t, "/healthz")
	if err := b.Stop(); err != nil {
		t.Fatalf("serve did not stop cleanly: %v\n%s", err, b.log.String())
	}
	return health, b.log.String()
}

func TestServeWithoutWhatsAppSession(t *testing.T) {
	data := t.TempDir()
	path := filepath.Join(data, "whatsapp.db")
	health, log := serveOnce(t, data)
	if !strings.Contains(log, "whatsapp off") || strings.Contains(health, "whatsapp") {
		t.Errorf("without a session: health %s, log:\n%s", health, log)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("serve created %s (%v); only whatsapp-pair should", path, err)
	}
	// A store that was never paired (pairing timed out) is no session.
	st, err := whatsapp.OpenStore(context.Background(), path, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	health, log = serveOnce(t, data)
	if !strings.Contains(log, "whatsapp off") || strings.Contains(health, "whatsapp") {
		t.Errorf("with an unpaired store: health %s, log:\n%s", health, log)
	}
}

// With WHATSAPP_TRANSPORT=cloud, serve takes signed webhooks on
// /whatsapp/webhook and answers through the Cloud API (a fake here).
func TestServeWithWhatsAppCloudAPI(t *testing.T) {
	fake := cloudtest.New(t, "CLOUD-TOKEN", "PNID", "APP-SECRET")
	b := start(t, parse(t, env{"PAYMENT_PROVIDER": "test", "WHATSAPP_TRANSPORT": "cloud", "WHATSAPP_API_URL": fake.URL(),
		"WHATSAPP_CLOUD_TOKEN": "CLOUD-TOKEN", "WHATSAPP_PHONE_NUMBER_ID": "PNID", "WHATSAPP_APP_SECRET": "APP-SECRET",
		"WHATSAPP_VERIFY_TOKEN": "VERIFY"}, "serve", "--data", t.TempDir(), "--http", "127.0.0.1:0"))
	b.waitChannel(t, "whatsapp")
	if code := fake.Post(b.url("/whatsapp/webhook"), []map[string]any{cloudtest.Text("77011234567", "Сәлем")}, nil); code != http.StatusOK {
		t.Fatalf("webhook: %d", code)
	}
	sent := fake.WaitSent(1)
	if sent[0].To != "77011234567" || len(sent[0].Buttons) != 3 {
		t.Fatalf("answer %+v, want the language question with 3 buttons", sent[0])
	}
	if err := b.Stop(); err != nil {
		t.Fatal(err)
	}
	if log := b.log.String(); strings.Contains(log, "CLOUD-TOKEN") || strings.Contains(log, "APP-SECRET") || strings.Contains(log, "Сәлем") {
		t.Errorf("a secret or what the user wrote in the log:\n%s", log)
	}
}

// waitChannel waits until /healthz lists the channel: channels come
// up in the background.
func (b *bot) waitChannel(t *testing.T, channel string) {
	t.Helper()
	waitUntil(t, channel+" in /healthz", func() bool {
		code, body := b.get(t, "/healthz")
		return code == 200 && strings.Contains(body, `"`+channel+`"`)
	})
}

// waitUntil checks cond every 20 ms until it holds, for at most 10 s:
// for what the bot reports only when asked.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}
