package main

import (
	"bufio"
	"bytes"
	"errors"
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

// binary builds the bot once per test run. The tests of the binary are
// those that need a process: killed, signalled, two at once, its own
// open-files limit, standard input piped; the rest start the bot in
// their own process (bot/app) or call run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rfabot-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "rfabot")
		// Built as the release is, without cgo.
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = &buildError{err: err, out: string(out)}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// TestMain removes the binary built for the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
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

// runChat runs rfabot chat in this process with lines as its input.
func runChat(t *testing.T, dataDir, eventPath string, lines ...string) string {
	t.Helper()
	out, code := rfabot(t, nil, strings.Join(lines, "\n")+"\n", "chat", "--data", dataDir, "--event", eventPath, "--http", "127.0.0.1:0")
	if code != 0 {
		t.Fatalf("chat: exit %d\n%s", code, out)
	}
	return out
}

// rfabot runs the command line in this process, as main does but with
// env as the whole environment and input as standard input, and returns
// what it wrote to standard output and error, and its exit code. A run
// that does not end within a minute fails the test.
func rfabot(t *testing.T, env []string, input string, args ...string) (string, int) {
	t.Helper()
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var out syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(args, func(k string) string { return vars[k] }, strings.NewReader(input), &out, &out)
	}()
	select {
	case code := <-done:
		return out.String(), code
	case <-time.After(time.Minute):
		t.Fatalf("%q did not end within a minute:\n%s", args, out.String())
		return "", 0
	}
}

// syncBuffer is the output of a running process, read while it runs:
// each write wakes those who wait for a text.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.ReplaceAll(b.buf.String(), "\u00a0", " ")
}

// next is closed at the next write.
func (b *syncBuffer) next() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed == nil {
		b.changed = make(chan struct{})
	}
	return b.changed
}

// waitFor waits until the output matches re and returns the match.
func (b *syncBuffer) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		next := b.next()
		if m := re.FindString(b.String()); m != "" {
			return m
		}
		select {
		case <-next:
		case <-deadline.C:
			t.Fatalf("output never showed %s:\n%s", re, b.String())
		}
	}
}

// TestChatPaysThroughTheTestCheckout is the README's first command end
// to end on the built binary: register in the console through piped
// standard input, open the printed payment link in a "browser" (HTTP
// GET and POST on the real server), pay, and see the registration paid
// with its bib. Every language: bot/app's TestChatPaysInEveryLanguage.
func TestChatPaysThroughTheTestCheckout(t *testing.T) {
	eventPath := futureEvent(t)
	tests := []struct {
		lang, pick string
		page, done []string
		mine       []string
	}{
		{"kk", "1", []string{"Сынақ төлемі", "9 990 ₸", "Төлеу"}, []string{"Төлем қабылданды"}, []string{"Мәртебесі: төленді", "Старттық нөмір: 1\n"}},
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

// startBinary starts the built binary with args and env added to the
// machine's environment, and waits until its log says it serves; wait
// waits for its exit.
func startBinary(t *testing.T, env []string, args ...string) (cmd *exec.Cmd, log *syncBuffer, wait func() error) {
	t.Helper()
	cmd = exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	log = &syncBuffer{}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		next := log.next()
		if strings.Contains(log.String(), "msg=serving") {
			return cmd, log, func() error { return <-exited }
		}
		select {
		case <-next:
		case err := <-exited:
			t.Fatalf("%q exited at the start (%v):\n%s", args, err, log.String())
		case <-deadline.C:
			cmd.Process.Kill()
			t.Fatalf("%q did not serve within 30 s:\n%s", args, log.String())
		}
	}
}

// The built binary answers /healthz and stops cleanly on SIGTERM.
func TestServeHealthAndGracefulShutdown(t *testing.T) {
	addr := freeAddr(t)
	cmd, log, wait := startBinary(t, []string{"TELEGRAM_TOKEN=", "PAYMENT_PROVIDER=test"}, "serve", "--data", t.TempDir(), "--http", addr)
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("healthz: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"status":"ok"`) {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := wait(); err != nil {
		t.Fatalf("serve did not stop cleanly on SIGTERM: %v\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", log.String())
	}
}

// TestStartupRefusals: settings that cannot run stop the bot at once
// with one line that names the setting, never a panic.
func TestStartupRefusals(t *testing.T) {
	data := t.TempDir()
	for _, tt := range []struct {
		env  []string
		args []string
		want string
	}{
		{[]string{"PAYMENT_PROVIDER=custom"}, []string{"serve"}, "PAYMENT_SECRET: must be set for the custom provider"},
		{[]string{"PAYMENT_PROVIDER=tiptoppay", "TIPTOPPAY_API_SECRET=s3cret"}, []string{"serve"}, "TIPTOPPAY_PUBLIC_ID: must be set"},
		{[]string{"PAYMENT_PROVIDER=freedompay", "FREEDOMPAY_MERCHANT_ID=554"}, []string{"serve"}, "FREEDOMPAY_SECRET_KEY: must be set"},
		{nil, []string{"serve"}, "PAYMENT_PROVIDER: set it to tiptoppay or freedompay for real payments"},
		{[]string{"PAYMENT_PROVIDER=test", "ADMIN_TOKEN=short-token"}, []string{"serve"}, "ADMIN_TOKEN: must be at least 24 characters"},
		{[]string{"SUPPORT_CHAT_ID=@volunteers"}, []string{"chat"}, "SUPPORT_CHAT_ID"},
		{[]string{"PAYMENT_PROVIDER=test", "WHATSAPP_PUSH_INTERVAL=200ms"}, []string{"serve"}, "WHATSAPP_PUSH_INTERVAL: 200ms is shorter than 1s"},
		{[]string{"PAYMENT_PROVIDER=test", "WHATSAPP_TRANSPORT=business"}, []string{"serve"}, `WHATSAPP_TRANSPORT: "business" is neither whatsmeow nor cloud`},
		{[]string{"PAYMENT_PROVIDER=test", "WHATSAPP_TRANSPORT=cloud", "WHATSAPP_CLOUD_TOKEN=x"}, []string{"serve"},
			"WHATSAPP_TRANSPORT=cloud needs WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN"},
		{nil, []string{"whatsapp-pair", "--phone", "+7 70x"}, `--phone: "+7 70x" is not a phone number like +77011234567`},
	} {
		args := append(tt.args, "--data", data)
		if tt.args[0] != "whatsapp-pair" {
			args = append(args, "--http", "127.0.0.1:0")
		}
		out, code := rfabot(t, tt.env, "", args...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if last := lines[len(lines)-1]; code == 0 || !strings.HasPrefix(last, "rfabot: ") || !strings.Contains(last, tt.want) {
			t.Errorf("%s with %q: exit %d, output:\n%s", tt.args[0], tt.env, code, out)
		}
	}
	// A refused pairing creates no WhatsApp store.
	if _, err := os.Stat(filepath.Join(data, "whatsapp.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused start created the WhatsApp store (%v)", err)
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
	tg.BotMessage(t, u, 1, "Как зовут участника?")
	tg.Text(u, "Айгерим Нурланова")
	tg.BotMessage(t, u, 2, "Дата рождения")
	cmd.Process.Kill()
	cmd.Wait()

	cmd, stderr := startServe(t, tg, data, addr)
	tg.Wait(t, "every update confirmed", func() bool { return len(tg.Unconfirmed()) == 0 })
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
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve did not stop cleanly: %v\n%s", err, stderr)
	}
	if strings.Contains(stderr.String(), tg.Token) || !strings.Contains(stderr.String(), "telegram channel up") {
		t.Errorf("log:\n%s", stderr)
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
