package app_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/app"
	"github.com/runforautism/rfabot/config"
)

// The tests in this package start serve and chat in this process, as
// WTF Dial's main_test.go does: a temp dir for the data, port 0 for the
// HTTP server, the environment a map instead of the machine's, and the
// bot stopped by its context as SIGTERM stops the binary. The tests of
// what needs a process (a kill, a signal, the binary's build) are in the
// root package.

// env is a test bot's environment; what it does not name is unset.
type env map[string]string

func (e env) get(k string) string { return e[k] }

// parse reads a command line as rfabot does.
func parse(t *testing.T, e env, args ...string) config.Config {
	t.Helper()
	cfg, err := config.Parse(args, e.get, io.Discard)
	if err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	return cfg
}

// screen is what a running bot wrote, read while it runs: each write
// wakes those who wait for a text.
type screen struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newScreen() *screen { return &screen{changed: make(chan struct{})} }

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.changed)
	s.changed = make(chan struct{})
	return s.buf.Write(p)
}

// String is the text so far, with no-break spaces as spaces.
func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.ReplaceAll(s.buf.String(), "\u00a0", " ")
}

// waitFor waits until the text matches re and returns the match.
func (s *screen) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	return s.waitAfter(t, 0, re)
}

// waitAfter waits until the text from byte from on matches re.
func (s *screen) waitAfter(t *testing.T, from int, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.NewTimer(20 * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if text := s.String(); len(text) >= from {
			if m := re.FindString(text[from:]); m != "" {
				return m
			}
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("never showed %s:\n%s", re, s.String())
		}
	}
}

// count is how often text appears.
func (s *screen) count(text string) int { return strings.Count(s.String(), text) }

// bot is serve or chat running in this test.
type bot struct {
	*app.Started
	out, log *screen
	stdin    io.WriteCloser
	// seen is how far expect has read out.
	seen int
}

// start runs cfg's serve or chat until the test ends; a chat reads
// what say writes.
func start(t *testing.T, cfg config.Config) *bot {
	t.Helper()
	in, stdin := io.Pipe()
	b := &bot{out: newScreen(), log: newScreen(), stdin: stdin}
	s, err := app.Start(context.Background(), cfg, in, b.out, b.log)
	if err != nil {
		t.Fatalf("start %s: %v\n%s", cfg.Command, err, b.log.String())
	}
	b.Started = s
	t.Cleanup(func() {
		stdin.Close()
		b.Stop()
	})
	return b
}

// say types lines into the chat.
func (b *bot) say(lines ...string) {
	io.WriteString(b.stdin, strings.Join(lines, "\n")+"\n")
}

// end closes the chat's input and waits for it to end.
func (b *bot) end(t *testing.T) {
	t.Helper()
	b.stdin.Close()
	if err := b.Wait(); err != nil {
		t.Fatalf("%v\n%s", err, b.log.String())
	}
}

// url is the bot's HTTP address with path.
func (b *bot) url(path string) string { return "http://" + b.Addr + path }

// get fetches path from the bot and returns the status and the body.
func (b *bot) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(b.url(path))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// runChat runs a chat on data with lines as its input and returns what
// it wrote.
func runChat(t *testing.T, e env, data, eventPath string, lines ...string) string {
	t.Helper()
	cfg := parse(t, e, "chat", "--data", data, "--event", eventPath, "--http", "127.0.0.1:0")
	var out, log bytes.Buffer
	if err := app.Run(context.Background(), cfg, strings.NewReader(strings.Join(lines, "\n")+"\n"), &out, &log); err != nil {
		t.Fatalf("chat: %v\n%s", err, log.String())
	}
	return strings.ReplaceAll(out.String(), "\u00a0", " ")
}

// futureEvent writes the default event moved to 2099, so the test does
// not depend on today's date.
func futureEvent(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../event/event.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "event.toml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(b), `"2027-`, `"2099-`)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// freeAddr is a loopback address nobody listens on, for what must be
// known before the bot starts (a webhook URL, links made by a command).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// registration answers the registration questions of the console chat
// in language pick (1 kk, 2 ru, 3 en), up to Confirm.
func registration(pick, name, emergency string) []string {
	return []string{
		pick,              // language
		"1",               // Register
		name,              // full name
		"01.02.1995",      // date of birth
		"1",               // gender
		"8 701 123 45 67", // phone
		"1",               // in person
		"4",               // 10 km
		"1",               // general
		"3",               // M
		emergency,         // emergency contact
		"87017654321",     // their phone
		"1",               // consent
		"1",               // the same number twice: the summary again
		"1",               // confirm
	}
}

// TestStartOnPortZero: serve on port 0 answers /healthz at the address
// Start returns, its payment links name that port, and Stop ends it as
// SIGTERM does.
func TestStartOnPortZero(t *testing.T) {
	cfg := parse(t, env{"PAYMENT_PROVIDER": "test"}, "serve", "--data", t.TempDir(), "--http", "127.0.0.1:0", "--event", futureEvent(t))
	b := start(t, cfg)
	if strings.HasSuffix(b.Addr, ":0") || !strings.HasPrefix(b.Addr, "127.0.0.1:") {
		t.Fatalf("Addr %q", b.Addr)
	}
	if code, body := b.get(t, "/healthz"); code != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("healthz: %d %s", code, body)
	}
	if !strings.Contains(b.log.String(), "public_url=http://"+b.Addr) {
		t.Errorf("the public URL does not name the port:\n%s", b.log.String())
	}
	if err := b.Stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.log.String(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", b.log.String())
	}
	if _, err := http.Get(b.url("/healthz")); err == nil {
		t.Error("still answering after Stop")
	}
}

// A chat's payment links name the port its server took.
func TestChatLinksNameTheBoundPort(t *testing.T) {
	b := start(t, parse(t, env{}, "chat", "--data", t.TempDir(), "--http", "127.0.0.1:0", "--event", futureEvent(t)))
	b.say(registration("3", "Oliver Smith", "Emma Smith")...)
	link := b.out.waitFor(t, regexp.MustCompile(`http://\S+/pay/test/RFA-[2-9A-Z]{4}-1\?sig=[0-9a-f]{64}`))
	if !strings.HasPrefix(link, "http://"+b.Addr+"/") {
		t.Fatalf("link %s, server at %s", link, b.Addr)
	}
	if code, page := b.get(t, strings.TrimPrefix(link, "http://"+b.Addr)); code != 200 || !strings.Contains(page, "Test payment") {
		t.Errorf("checkout page: %d\n%s", code, page)
	}
}

// Start refuses what cannot run in the background, and reports a
// subcommand that fails before it serves.
func TestStartFailures(t *testing.T) {
	if _, err := app.Start(context.Background(), parse(t, env{}, "export", "--data", t.TempDir(), "--out", t.TempDir()), nil, io.Discard, io.Discard); err == nil {
		t.Error("export started in the background")
	}
	cfg := parse(t, env{}, "serve", "--data", t.TempDir(), "--http", "127.0.0.1:0")
	if _, err := app.Start(context.Background(), cfg, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "PAYMENT_PROVIDER") {
		t.Errorf("serve without PAYMENT_PROVIDER: %v", err)
	}
	// A port already taken stops serve before it opens the data.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	data := t.TempDir()
	cfg = parse(t, env{"PAYMENT_PROVIDER": "test"}, "serve", "--data", data, "--http", busy.Addr().String())
	if _, err := app.Start(context.Background(), cfg, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "listen on") {
		t.Errorf("serve on a busy port: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "bot.db")); !os.IsNotExist(err) {
		t.Errorf("serve on a busy port opened the database (%v)", err)
	}
}

// post posts a form to path and returns the status and the body.
func (b *bot) post(t *testing.T, path, form string) (int, string) {
	t.Helper()
	resp, err := http.Post(b.url(path), "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// expect waits for the chat to write want after what expect saw last,
// and returns the line it is on.
func (b *bot) expect(t *testing.T, want string) string {
	t.Helper()
	line := b.out.waitAfter(t, b.seen, regexp.MustCompile(`[^\n]*`+regexp.QuoteMeta(want)+`[^\n]*`))
	text := b.out.String()
	b.seen += strings.Index(text[b.seen:], line) + len(line)
	return line
}
