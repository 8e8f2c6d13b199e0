package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/app"
)

func TestChatRegistersInEveryLanguage(t *testing.T) {
	eventPath := futureEvent(t)
	tests := []struct {
		lang      string
		pick      string
		name      string
		emergency string
		want      []string
	}{
		{"kk", "1", "Әсел Қайратқызы", "Қайрат Әбенов",
			[]string{"Тілді таңдаңыз:", "Сәлеметсіз бе!", "Қатысушының аты-жөні", "10 км · 9 990 ₸ · орын: 700", "Деректерді тексеріңіз:", "Тіркеу коды: RFA-"}},
		{"ru", "2", "Айгерим Нурланова", "Нурлан Абенов",
			[]string{"Выберите язык:", "Здравствуйте!", "Как зовут участника?", "10 км · 9 990 ₸ · мест: 700", "Проверьте, пожалуйста, данные:", "Код регистрации: RFA-"}},
		{"en", "3", "Oliver Smith", "Emma Smith",
			[]string{"Choose your language:", "Hello!", "full name", "10 km · 9,990 ₸ · 700 left", "Please check the details:", "Registration code: RFA-"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			data := t.TempDir()
			out := runChat(t, env{}, data, eventPath, registration(tt.pick, tt.name, tt.emergency)...)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			code := regexp.MustCompile(`RFA-[2-9A-Z]{4}`).FindString(out)
			if code == "" {
				t.Fatalf("no registration code in:\n%s", out)
			}
			// A second run on the same data directory continues where the
			// first stopped: the "what next" question, then My registrations.
			again := runChat(t, env{}, data, eventPath, "2")
			if !strings.Contains(again, code) || !strings.Contains(again, tt.name) {
				t.Errorf("second run does not list %s %s:\n%s", code, tt.name, again)
			}
		})
	}
}

// TestChatPaysInEveryLanguage: the payment link printed in the chat
// opens the test checkout in each language; paying it makes the
// registration paid with its bib. (The binary's journey through the
// same steps is in the root package's main_test.go.)
func TestChatPaysInEveryLanguage(t *testing.T) {
	eventPath := futureEvent(t)
	tests := []struct {
		lang, pick string
		page, done []string
		mine       []string
	}{
		{"kk", "1", []string{"Сынақ төлемі", "9 990 ₸", "Төлеу"}, []string{"Төлем қабылданды"}, []string{"Мәртебесі: төленді", "Старттық нөмір: 1\n"}},
		{"ru", "2", []string{"Тестовая оплата", "9 990 ₸", "Оплатить"}, []string{"Оплата получена"}, []string{"Статус: оплачена", "Стартовый номер: 1\n"}},
		{"en", "3", []string{"Test payment", "9,990 ₸", "Pay"}, []string{"Payment received"}, []string{"Status: paid", "Bib: 1\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			b := start(t, parse(t, env{}, "chat", "--data", t.TempDir(), "--event", eventPath, "--http", "127.0.0.1:0"))
			b.say(registration(tt.pick, "Әсел Қайратқызы", "Қайрат Әбенов")...)
			link := b.out.waitFor(t, regexp.MustCompile(`http://`+regexp.QuoteMeta(b.Addr)+`/pay/test/RFA-[2-9A-Z]{4}-1\?sig=[0-9a-f]{64}`))
			path := strings.TrimPrefix(link, "http://"+b.Addr)
			code, page := b.get(t, path)
			page = strings.ReplaceAll(page, "\u00a0", " ")
			for _, w := range tt.page {
				if code != 200 || !strings.Contains(page, w) {
					t.Errorf("checkout page %d lacks %q:\n%s", code, w, page)
				}
			}
			code, done := b.post(t, path, "result=paid")
			if code != 200 || !strings.Contains(done, tt.done[0]) {
				t.Fatalf("after Pay: %d\n%s\nlog: %s", code, done, b.log.String())
			}
			b.say("2") // My registrations, from "what next"
			for _, w := range tt.mine {
				b.out.waitFor(t, regexp.MustCompile(regexp.QuoteMeta(w)))
			}
		})
	}
}

func TestChatOnEmbeddedDefaults(t *testing.T) {
	cfg := parse(t, env{}, "chat", "--data", t.TempDir(), "--http", "127.0.0.1:0")
	var out bytes.Buffer
	if err := app.Run(context.Background(), cfg, strings.NewReader("3\n4\n"), &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("chat: %v", err)
	}
	for _, w := range []string{"Choose your language:", "Event info", "Run for Autism", "3 April 2027", "10 km"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}

func TestBadEventFileStopsStartup(t *testing.T) {
	b, err := os.ReadFile("../../event/event.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "event.toml")
	os.WriteFile(path, []byte(strings.Replace(string(b), "fee = 8990", "fee = 0", 1)), 0o600)
	cfg := parse(t, env{}, "chat", "--data", t.TempDir(), "--event", path, "--http", "127.0.0.1:0")
	err = app.Run(context.Background(), cfg, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "distances[2].fee: must be > 0") {
		t.Errorf("a bad event file: %v, want the field named", err)
	}
}

// TestChatHelpFlow: a crisis message as the very first line gets the
// crisis answer in its language, the call back goes to the volunteers'
// queue, and neither the log (at debug level) nor the database file
// holds what the user wrote.
func TestChatHelpFlow(t *testing.T) {
	data := t.TempDir()
	const secret = "не хочу больше жить, всё надоело"
	cfg := parse(t, env{"SUPPORT_CHAT_ID": "-1001234567890", "LOG_LEVEL": "debug"}, "chat", "--data", data, "--event", futureEvent(t), "--http", "127.0.0.1:0")
	var out, log bytes.Buffer
	if err := app.Run(context.Background(), cfg, strings.NewReader(secret+"\n1\n8 701 555 66 77\n"), &out, &log); err != nil {
		t.Fatalf("chat: %v\n%s", err, log.String())
	}
	for _, w := range []string{"Спасибо, что рассказали мне", "• 112 — ", "• 150 — ", "позвоните 112", "Попросить перезвонить мне", "позвонит на номер +7 701 555 66 77"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
	// A chat logs below warnings only at a lower LOG_LEVEL.
	if !strings.Contains(log.String(), "level=INFO") {
		t.Errorf("LOG_LEVEL=debug did not apply:\n%s", log.String())
	}
	if strings.Contains(log.String(), "больше жить") {
		t.Errorf("the log holds what the user wrote:\n%s", log.String())
	}
	db, err := os.ReadFile(filepath.Join(data, "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(db, []byte("больше жить")) {
		t.Error("the database holds what the user wrote")
	}
	if !bytes.Contains(db, []byte("+7 701 555 66 77")) {
		t.Error("the call-back request is not queued")
	}
}

// TestChatShowsPushes broadcasts from the console as an organizer: the
// push arrives in the same chat, between answers, with its Stop
// reminders button, and the status counts it as sent.
func TestChatShowsPushes(t *testing.T) {
	b := start(t, parse(t, env{"ADMINS": "console:console"}, "chat", "--data", t.TempDir(), "--event", futureEvent(t), "--http", "127.0.0.1:0"))
	b.expect(t, "Choose your language")
	b.say("3")
	b.expect(t, "Reminders: on")
	b.say("/broadcast")
	b.expect(t, "Everyone who wrote to the bot")
	b.say("1")
	b.expect(t, "One text for everyone")
	b.say("1")
	b.expect(t, "Send the text of the broadcast")
	b.say("See you at the start line!")
	b.expect(t, "It will go to 1 person.")
	b.say("1")
	b.expect(t, "Broadcast #1 is queued for 1 person")
	b.expect(t, "See you at the start line!")
	// The push is printed before the sender records it as sent, so the
	// status may still say waiting: ask again, each time after the
	// answer (which ends with the menu's Language line), until it counts
	// the push.
	deadline := time.Now().Add(10 * time.Second)
	for {
		b.say("/broadcast_status")
		status := b.expect(t, "queued 1 · ")
		b.expect(t, "Language")
		if strings.Contains(status, "sent 1 · waiting 0") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the broadcast never counted as sent:\n%s", b.out.String())
		}
	}
	// A broadcast has no buttons: the menu's 6 is still Reminders.
	b.say("6")
	b.expect(t, "Reminders are off")
	b.end(t)
}

// An organizer in the console chat gets /export as a file in
// DATA_DIR/files.
func TestChatExport(t *testing.T) {
	data := t.TempDir()
	cfg := parse(t, env{"ADMINS": "console:org"}, "chat", "--data", data, "--event", futureEvent(t), "--http", "127.0.0.1:0", "--user", "org")
	var out bytes.Buffer
	if err := app.Run(context.Background(), cfg, strings.NewReader("3\n/export bibs\n"), &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("chat: %v", err)
	}
	m := regexp.MustCompile(`\[file text/csv: (\S+bibs-\S+\.csv)\]`).FindStringSubmatch(out.String())
	if m == nil || !strings.HasPrefix(m[1], filepath.Join(data, "files")) {
		t.Fatalf("no file shown:\n%s", out.String())
	}
	got, err := os.ReadFile(m[1])
	if err != nil || string(got) != "\uFEFFbib,name,gender,birth_year,distance\r\n" {
		t.Errorf("bibs file %q, %v", got, err)
	}
}
