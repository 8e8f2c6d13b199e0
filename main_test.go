package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the bot once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rfabot-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "rfabot")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{err: err, out: string(out)}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + e.out }

// futureEvent writes the default event moved to 2099, so the test does
// not depend on today's date.
func futureEvent(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("event/event.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.ReplaceAll(string(b), `"2027-`, `"2099-`)
	path := filepath.Join(t.TempDir(), "event.toml")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runChat runs "rfabot chat" with lines piped to its standard input.
func runChat(t *testing.T, dataDir, eventPath string, lines ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), "chat", "--data", dataDir, "--event", eventPath, "--http", freeAddr(t))
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chat: %v\nstderr: %s\nstdout: %s", err, stderr.String(), stdout.String())
	}
	return stdout.String()
}

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
			out := runChat(t, data, eventPath,
				tt.pick,           // language
				"1",               // Register
				tt.name,           // full name
				"01.02.1995",      // date of birth
				"1",               // gender
				"8 701 123 45 67", // phone
				"1",               // in person
				"4",               // 10 km
				"1",               // general
				"3",               // M
				tt.emergency,      // emergency contact
				"87017654321",     // their phone
				"1",               // consent
				"1",               // the same number twice: the summary again
				"1",               // confirm
			)
			for _, w := range tt.want {
				if !strings.Contains(strings.ReplaceAll(out, "\u00a0", " "), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			code := regexp.MustCompile(`RFA-[2-9A-Z]{4}`).FindString(out)
			if code == "" {
				t.Fatalf("no registration code in:\n%s", out)
			}
			// A second run on the same data directory continues where the
			// first stopped: the "what next" question, then My registrations.
			again := runChat(t, data, eventPath, "2")
			if !strings.Contains(again, code) || !strings.Contains(again, tt.name) {
				t.Errorf("second run does not list %s %s:\n%s", code, tt.name, again)
			}
		})
	}
}

// syncBuffer is the output of a running process, read while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.ReplaceAll(b.buf.String(), "\u00a0", " ")
}

// waitFor waits until the output matches re and returns the match.
func (b *syncBuffer) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(20 * time.Millisecond) {
		if m := re.FindString(b.String()); m != "" {
			return m
		}
	}
	t.Fatalf("output never showed %s:\n%s", re, b.String())
	return ""
}

// TestChatPaysThroughTheTestCheckout is the README's first command end
// to end: register in the console, open the printed payment link in a
// "browser" (HTTP GET and POST on the real server), pay, and see the
// registration paid with its bib, in each language.
func TestChatPaysThroughTheTestCheckout(t *testing.T) {
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
			addr := freeAddr(t)
			cmd := exec.Command(binary(t), "chat", "--data", t.TempDir(), "--event", eventPath, "--http", addr)
			cmd.Env = append(os.Environ(), "PAYMENT_PROVIDER=", "PAYMENT_SECRET=", "PUBLIC_URL=")
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			var out, errOut syncBuffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Wait()
			defer stdin.Close()
			io.WriteString(stdin, strings.Join([]string{tt.pick, "1", "Әсел Қайратқызы", "01.02.1995", "1", "8 701 123 45 67",
				"1", "4", "1", "3", "Қайрат Әбенов", "87017654321", "1", "1", "1"}, "\n")+"\n")
			link := out.waitFor(t, regexp.MustCompile(`http://`+regexp.QuoteMeta(addr)+`/pay/test/RFA-[2-9A-Z]{4}-1\?sig=[0-9a-f]{64}`))
			resp, err := http.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, w := range tt.page {
				if !strings.Contains(strings.ReplaceAll(string(page), "\u00a0", " "), w) {
					t.Errorf("checkout page lacks %q:\n%s", w, page)
				}
			}
			resp, err = http.PostForm(link, map[string][]string{"result": {"paid"}})
			if err != nil {
				t.Fatal(err)
			}
			done, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(done), tt.done[0]) {
				t.Fatalf("after Pay: %d\n%s\nstderr: %s", resp.StatusCode, done, errOut.String())
			}
			io.WriteString(stdin, "2\n") // My registrations, from "what next"
			for _, w := range tt.mine {
				out.waitFor(t, regexp.MustCompile(regexp.QuoteMeta(w)))
			}
		})
	}
}

func TestChatOnEmbeddedDefaults(t *testing.T) {
	cmd := exec.Command(binary(t), "chat", "--data", t.TempDir(), "--http", freeAddr(t))
	cmd.Stdin = strings.NewReader("3\n4\n")
	cmd.Env = append(os.Environ(), "EVENT_CONFIG=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chat: %v", err)
	}
	for _, w := range []string{"Choose your language:", "Event info", "Run for Autism", "3 April 2027", "10 km"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestBadEventFileStopsStartup(t *testing.T) {
	b, err := os.ReadFile("event/event.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "event.toml")
	os.WriteFile(path, []byte(strings.Replace(string(b), "fee = 8990", "fee = 0", 1)), 0o600)
	cmd := exec.Command(binary(t), "chat", "--data", t.TempDir(), "--event", path, "--http", freeAddr(t))
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("started with a bad event file")
	}
	if !strings.Contains(string(out), "distances[2].fee: must be > 0") {
		t.Errorf("output does not name the field:\n%s", out)
	}
}

func TestSecondProcessIsRefused(t *testing.T) {
	data := t.TempDir()
	first := exec.Command(binary(t), "chat", "--data", data, "--http", freeAddr(t))
	stdin, err := first.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		first.Wait()
	}()
	// Once the first process shows its question, it holds the file.
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.Contains(sc.Text(), "Choose your language") {
	}
	second := exec.Command(binary(t), "chat", "--data", data)
	second.Stdin = strings.NewReader("")
	out, err := second.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "another process holds the database") {
		t.Fatalf("second process: err %v, output:\n%s", err, out)
	}
	go io.Copy(io.Discard, stdout)
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeHealthAndGracefulShutdown(t *testing.T) {
	addr := freeAddr(t)
	cmd := exec.Command(binary(t), "serve", "--data", t.TempDir(), "--http", addr)
	cmd.Env = append(os.Environ(), "TELEGRAM_TOKEN=", "PAYMENT_PROVIDER=test")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var resp *http.Response
	var err error
	for i := 0; i < 100; i++ {
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("healthz: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"status":"ok"`) {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}
	// The payment webhook is mounted and checks signatures.
	resp, err = http.Post("http://"+addr+"/payments/webhook", "application/json", strings.NewReader(`{"order_id":"RFA-AAAA-1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned webhook call: %d, want 401", resp.StatusCode)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve did not stop cleanly on SIGTERM: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", stderr.String())
	}
}

func TestCustomProviderNeedsASecret(t *testing.T) {
	cmd := exec.Command(binary(t), "serve", "--data", t.TempDir(), "--http", freeAddr(t))
	cmd.Env = append(os.Environ(), "PAYMENT_PROVIDER=custom", "PAYMENT_SECRET=")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "PAYMENT_SECRET: must be set for the custom provider") {
		t.Fatalf("err %v, output:\n%s", err, out)
	}
}

// TestChatHelpFlow runs the built binary: a crisis message as the very
// first line gets the crisis answer in its language, the call back goes
// to the volunteers' queue, and neither the log (at debug level) nor the
// database file holds what the user wrote.
func TestChatHelpFlow(t *testing.T) {
	data := t.TempDir()
	const secret = "не хочу больше жить, всё надоело"
	cmd := exec.Command(binary(t), "chat", "--data", data, "--event", futureEvent(t))
	cmd.Env = append(os.Environ(), "SUPPORT_CHAT_ID=-1001234567890", "LOG_LEVEL=debug")
	cmd.Stdin = strings.NewReader(secret + "\n1\n8 701 555 66 77\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chat: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, w := range []string{"Спасибо, что рассказали мне", "• 112 — ", "• 150 — ", "позвоните 112", "Попросить перезвонить мне", "позвонит на номер +7 701 555 66 77"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(stderr.String(), "больше жить") {
		t.Errorf("the log holds what the user wrote:\n%s", stderr.String())
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

func TestBadSupportChatStopsStartup(t *testing.T) {
	cmd := exec.Command(binary(t), "chat", "--data", t.TempDir())
	cmd.Env = append(os.Environ(), "SUPPORT_CHAT_ID=@volunteers")
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "SUPPORT_CHAT_ID") {
		t.Fatalf("err = %v, output:\n%s", err, out)
	}
}

// TestChatShowsPushes broadcasts from the console as an organizer: the
// push arrives in the same chat, between answers, with its Stop
// reminders button, and the status counts it as sent.
func TestChatShowsPushes(t *testing.T) {
	cmd := exec.Command(binary(t), "chat", "--data", t.TempDir(), "--event", futureEvent(t))
	cmd.Env = append(os.Environ(), "ADMINS=console:console")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var seen []string
	waitFor := func(want string) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("chat ended before %q:\n%s\nstderr: %s", want, strings.Join(seen, "\n"), stderr.String())
				}
				seen = append(seen, l)
				if strings.Contains(l, want) {
					return
				}
			case <-timeout:
				t.Fatalf("no %q within 10 s:\n%s", want, strings.Join(seen, "\n"))
			}
		}
	}
	say := func(s string) { io.WriteString(stdin, s+"\n") }
	waitFor("Choose your language")
	say("3")
	waitFor("Reminders: on")
	say("/broadcast")
	waitFor("Everyone who wrote to the bot")
	say("1")
	waitFor("One text for everyone")
	say("1")
	waitFor("Send the text of the broadcast")
	say("See you at the start line!")
	waitFor("It will go to 1 person.")
	say("1")
	waitFor("Broadcast #1 is queued for 1 person")
	waitFor("See you at the start line!")
	// The push is printed before the sender records it as sent, so the
	// status may still say waiting for a moment: ask again until it counts
	// the push (each answer ends with the menu's Language line).
	sent := false
	for try := 0; try < 50 && !sent; try++ {
		say("/broadcast_status")
		waitFor("queued 1 · ")
		sent = strings.Contains(seen[len(seen)-1], "sent 1 · waiting 0")
		waitFor("Language")
		if !sent {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !sent {
		t.Fatalf("the broadcast never counted as sent:\n%s", strings.Join(seen, "\n"))
	}
	// A broadcast has no buttons: the menu's 6 is still Reminders.
	say("6")
	waitFor("Reminders are off")
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("chat: %v\n%s", err, stderr.String())
	}
}

// startServe runs "rfabot serve" with env added to the environment and
// waits until GET /healthz lists the telegram channel.
func startServe(t *testing.T, tg *tgfake.Server, data, addr string, env ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(binary(t), "serve", "--data", data, "--http", addr, "--event", futureEvent(t))
	cmd.Env = append(os.Environ(), append([]string{
		"TELEGRAM_TOKEN=" + tg.Token, "TELEGRAM_API_ENDPOINT=" + tg.Endpoint(), "LOG_LEVEL=debug",
		"TELEGRAM_WEBHOOK_URL=", "TELEGRAM_WEBHOOK_SECRET=", "PAYMENT_PROVIDER=test",
	}, env...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	tg.Wait(t, "telegram in /healthz", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return strings.Contains(string(body), `"telegram"`)
	})
	return cmd, &stderr
}

// replyTo waits for the bot's message number n in the chat and checks it.
func replyTo(t *testing.T, tg *tgfake.Server, u tgfake.User, n int, want string) tgfake.Message {
	t.Helper()
	tg.Wait(t, fmt.Sprintf("bot message %d %q", n, want), func() bool { return len(tg.BotMessages(u.ID)) >= n })
	msgs := tg.BotMessages(u.ID)
	if len(msgs) != n || !strings.Contains(msgs[n-1].Text, want) {
		t.Fatalf("bot messages %d, want %d ending with %q: %+v", len(msgs), n, want, msgs)
	}
	return msgs[n-1]
}

// The built binary on Telegram (a fake Bot API): a registration across a
// kill -9 and a restart goes on at the same step with every update
// answered once, and SIGTERM stops it cleanly without the token in the
// log.
func TestServeTelegramEndToEnd(t *testing.T) {
	tg := tgfake.New(t)
	data, addr := t.TempDir(), freeAddr(t)
	cmd, _ := startServe(t, tg, data, addr)
	u := tgfake.User{ID: 777001, FirstName: "Айгерим", LanguageCode: "ru"}
	tg.Text(u, "/start register")
	replyTo(t, tg, u, 1, "Как зовут участника?")
	tg.Text(u, "Айгерим Нурланова")
	replyTo(t, tg, u, 2, "Дата рождения")
	cmd.Process.Kill()
	cmd.Wait()

	cmd, stderr := startServe(t, tg, data, addr)
	tg.Wait(t, "every update confirmed", func() bool { return len(tg.Unconfirmed()) == 0 })
	tg.Text(u, "15.05.1990")
	gender := replyTo(t, tg, u, 3, "Пол участника")
	if _, err := tg.Press(u, gender.ID, "Женский"); err != nil {
		t.Fatal(err)
	}
	replyTo(t, tg, u, 4, "Номер телефона")
	phone := replyTo(t, tg, u, 5, "кнопкой внизу")
	if len(phone.Keyboard) == 0 || !phone.Keyboard[0][0].RequestContact {
		t.Errorf("phone question keyboard %+v", phone.Keyboard)
	}
	if cmds := tg.Commands("kk"); len(cmds) != 8 || cmds[1].Description != "Басты мәзір" {
		t.Errorf("kk commands %+v", cmds)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve did not stop cleanly: %v\n%s", err, stderr)
	}
	if strings.Contains(stderr.String(), tg.Token) || !strings.Contains(stderr.String(), "telegram channel up") {
		t.Errorf("log:\n%s", stderr)
	}
}

// Webhook mode of the binary: Telegram posts to the bot's HTTP server
// with the secret token; a post without it gets 401.
func TestServeTelegramWebhook(t *testing.T) {
	tg := tgfake.New(t)
	addr := freeAddr(t)
	hook := "http://" + addr + "/telegram/hook"
	startServe(t, tg, t.TempDir(), addr, "TELEGRAM_WEBHOOK_URL="+hook, "TELEGRAM_WEBHOOK_SECRET=poster-2027")
	if url, secret := tg.Webhook(); url != hook || secret != "poster-2027" {
		t.Fatalf("webhook %q secret %q", url, secret)
	}
	u := tgfake.User{ID: 777002, FirstName: "Emma", LanguageCode: "en"}
	tg.Text(u, "/start info")
	replyTo(t, tg, u, 1, "Run for Autism")
	resp, err := http.Post(hook, "application/json", strings.NewReader(`{"update_id":5}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("post without the secret: %d", resp.StatusCode)
	}
}

// lastWith waits for the bot's newest message in u's chat that contains
// want and returns it.
func lastWith(t *testing.T, tg *tgfake.Server, u tgfake.User, want string) tgfake.Message {
	t.Helper()
	var found tgfake.Message
	tg.Wait(t, fmt.Sprintf("a bot message to %d with %q", u.ID, want), func() bool {
		msgs := tg.BotMessages(u.ID)
		for i := len(msgs) - 1; i >= 0; i-- {
			if strings.Contains(msgs[i].Text, want) {
				found = msgs[i]
				return true
			}
		}
		return false
	})
	return found
}

// countText counts the bot's messages with text in each chat.
func countText(tg *tgfake.Server, users []tgfake.User, text string) map[int64]int {
	got := map[int64]int{}
	for _, u := range users {
		for _, m := range tg.BotMessages(u.ID) {
			if m.Text == text {
				got[u.ID]++
			}
		}
	}
	return got
}

// The built binary on Telegram: an organizer broadcasts to 80 people
// from Telegram, the process is killed (SIGKILL) in the middle of it
// and started again. Every recipient ends with the broadcast once,
// except at most one per send in flight at the kill (8 on Telegram),
// counted per chat in the fake Bot API.
func TestServeTelegramBroadcastSurvivesKill(t *testing.T) {
	const people, inFlight = 80, 8
	tg := tgfake.New(t)
	// Telegram's round trip, so that sends are in flight at the kill.
	tg.SetLatency("sendMessage", 20*time.Millisecond)
	data, addr := t.TempDir(), freeAddr(t)
	org := tgfake.User{ID: 778000, FirstName: "Dana", LanguageCode: "en"}
	admins := "ADMINS=" + fmt.Sprint(org.ID)
	cmd, _ := startServe(t, tg, data, addr, admins)

	users := []tgfake.User{org}
	for i := range people {
		users = append(users, tgfake.User{ID: org.ID + 1 + int64(i), FirstName: fmt.Sprintf("Runner%d", i), LanguageCode: []string{"kk", "ru", "en"}[i%3]})
	}
	for _, u := range users {
		tg.Text(u, "/start")
	}
	tg.Wait(t, "every /start answered", func() bool {
		for _, u := range users {
			if len(tg.BotMessages(u.ID)) == 0 {
				return false
			}
		}
		return true
	})
	press := func(msg tgfake.Message, label string) {
		t.Helper()
		if _, err := tg.Press(org, msg.ID, label); err != nil {
			t.Fatal(err)
		}
	}
	tg.Text(org, "/broadcast")
	press(lastWith(t, tg, org, "Who should receive it?"), "Everyone who wrote to the bot")
	press(lastWith(t, tg, org, "One text for everyone, or"), "One text for everyone")
	lastWith(t, tg, org, "Send the text of the broadcast.")
	const text = "Tomorrow's start moves to the Expo gates, 08:30."
	tg.Text(org, text)
	press(lastWith(t, tg, org, "Preview."), "Send")
	lastWith(t, tg, org, fmt.Sprintf("Broadcast #1 is queued for %d people", len(users)))

	tg.Wait(t, "a quarter of the broadcast sent", func() bool { return len(countText(tg, users, text)) >= len(users)/4 })
	cmd.Process.Kill()
	cmd.Wait()
	before := countText(tg, users, text)

	cmd, stderr := startServe(t, tg, data, addr, admins)
	tg.Wait(t, "the broadcast in every chat", func() bool { return len(countText(tg, users, text)) == len(users) })
	// A graceful stop finishes the sends in flight: nothing arrives later.
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve did not stop cleanly: %v\n%s", err, stderr)
	}
	got := countText(tg, users, text)
	dup, lost := 0, 0
	for _, u := range users {
		switch n := got[u.ID]; {
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		}
	}
	t.Logf("killed with %d of %d chats served; after the restart: %d recipients, %d duplicated, %d lost", len(before), len(users), len(users), dup, lost)
	if len(before) == len(users) {
		t.Fatal("the kill came after the broadcast")
	}
	if lost != 0 || dup > inFlight {
		t.Errorf("%d lost, %d duplicated; want none lost and at most %d duplicated", lost, dup, inFlight)
	}
}

// TestCommandLine: every command's --help goes to standard output and
// exits 0; an unknown flag or command exits 2 with one line on standard
// error.
func TestCommandLine(t *testing.T) {
	getenv := func(string) string { return "" }
	for _, cmd := range []string{"chat", "serve", "whatsapp-pair", "export", "backup", "import-results"} {
		var out, errOut bytes.Buffer
		if code := run([]string{cmd, "--help"}, getenv, strings.NewReader(""), &out, &errOut); code != 0 || errOut.Len() > 0 || !strings.Contains(out.String(), "rfabot "+cmd) {
			t.Errorf("%s --help: exit %d, stdout %q, stderr %q", cmd, code, out.String(), errOut.String())
		}
	}
	for _, args := range [][]string{{"serve", "--bogus"}, {"fly"}, {"import-results"}} {
		var out, errOut bytes.Buffer
		code := run(args, getenv, strings.NewReader(""), &out, &errOut)
		if code != 2 || strings.Count(strings.TrimSpace(errOut.String()), "\n") != 0 || !strings.Contains(errOut.String(), "--help") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}
