package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// registered is a data directory holding one registration made in the
// chat, and the event file.
func registered(t *testing.T) (data, eventPath string) {
	t.Helper()
	eventPath = futureEvent(t)
	data = t.TempDir()
	runChat(t, data, eventPath, "1", "1", "Әсел Қайратқызы", "01.02.1995", "1", "8 701 123 45 67",
		"1", "4", "1", "3", "Қайрат Әбенов", "87017654321", "1", "1", "1")
	return data, eventPath
}

// damages are the ways a database file is damaged.
var damages = map[string]func(b []byte) []byte{
	"truncated to 8 KiB": func(b []byte) []byte { return b[:8<<10] },
	"truncated to half":  func(b []byte) []byte { return b[:len(b)/2] },
	"zero-length":        func([]byte) []byte { return []byte{} },
	"meta page zeroed": func(b []byte) []byte {
		clear(b[:8<<10])
		return b
	},
	// 20 bytes flipped right after the participant's name, in every
	// copy of her record.
	"data pages flipped": func(b []byte) []byte {
		name := []byte("Әсел Қайратқызы\"")
		for off := 0; ; {
			i := bytes.Index(b[off:], name)
			if i < 0 {
				return b
			}
			for j := range 20 {
				b[off+i+len(name)+j] ^= 0xff
			}
			off += i + len(name)
		}
	},
}

// TestDamagedDatabaseStopsWithOneLine: serve, export and check on a
// damaged bot.db each end with a non-zero exit and one clear line that
// names the file, the problem and the last good backup, never a Go
// panic; export leaves no file.
func TestDamagedDatabaseStopsWithOneLine(t *testing.T) {
	good, eventPath := registered(t)
	db, err := os.ReadFile(filepath.Join(good, "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			backup := filepath.Join(data, "backups", "bot-20990101T000000.000Z.db")
			os.MkdirAll(filepath.Dir(backup), 0o700)
			if err := os.WriteFile(backup, db, 0o600); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(data, "bot.db")
			if err := os.WriteFile(path, damage(bytes.Clone(db)), 0o600); err != nil {
				t.Fatal(err)
			}
			env := []string{"PAYMENT_PROVIDER=test", "ADMIN_TOKEN=", "TELEGRAM_TOKEN=", "BACKUP_INTERVAL=0"}
			out := t.TempDir()
			for _, args := range [][]string{
				{"serve", "--data", data, "--event", eventPath, "--http", freeAddr(t)},
				{"export", "--data", data, "--event", eventPath, "--out", out},
			} {
				got, err := rfabot(t, env, args...)
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() == 0 {
					t.Fatalf("%s: %v, want a non-zero exit\n%s", args[0], err, got)
				}
				lines := strings.Split(strings.TrimSpace(got), "\n")
				last := lines[len(lines)-1]
				if strings.Contains(got, "panic") || strings.Contains(got, "goroutine") ||
					!strings.HasPrefix(last, "rfabot: ") || !strings.Contains(last, "database "+path+" is damaged: ") ||
					!strings.Contains(last, "last good backup: "+backup) {
					t.Errorf("%s ends with:\n%s", args[0], got)
				}
			}
			if files, _ := os.ReadDir(out); len(files) != 0 {
				t.Errorf("export left %d files", len(files))
			}
			got, err := rfabot(t, env, "check", "--data", data)
			if err == nil || strings.Contains(got, "panic") || !strings.Contains(got, "damaged") {
				t.Errorf("check: %v\n%s", err, got)
			}
			if name == "data pages flipped" && !strings.Contains(got, "DAMAGED registrations: record") {
				t.Errorf("check does not name the bucket:\n%s", got)
			}
			// The backup named puts it right.
			if got, err := rfabot(t, env, "restore", "--data", data, backup); err != nil {
				t.Fatalf("restore: %v\n%s", err, got)
			}
			if got, err := rfabot(t, env, "check", "--data", data); err != nil || !strings.Contains(got, "OK") {
				t.Errorf("check after restore: %v\n%s", err, got)
			}
		})
	}
}

// bucketCounts are the "bucket count" lines of `rfabot check`.
func bucketCounts(t *testing.T, out string) string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if regexp.MustCompile(`^[a-z_]+ +\d+$`).MatchString(l) {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		t.Fatalf("no counts in:\n%s", out)
	}
	return strings.Join(lines, "\n")
}

// TestRunningBotBacksUp: a bot running with a short BACKUP_INTERVAL
// writes checked backups and keeps BACKUP_KEEP of them; one restores
// to a database that check passes with the same counts.
func TestRunningBotBacksUp(t *testing.T) {
	data, eventPath := registered(t)
	addr := freeAddr(t)
	cmd := exec.Command(binary(t), "serve", "--data", data, "--event", eventPath, "--http", addr)
	cmd.Env = append(os.Environ(), "PAYMENT_PROVIDER=test", "TELEGRAM_TOKEN=", "ADMIN_TOKEN=", "BACKUP_INTERVAL=100ms", "BACKUP_KEEP=3")
	var log syncBuffer
	cmd.Stderr = &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Six backups written means three were removed.
	for start := time.Now(); strings.Count(log.String(), "backup written") < 6; time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 60*time.Second {
			cmd.Process.Kill()
			t.Fatalf("no six backups:\n%s", log.String())
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve: %v\n%s", err, log.String())
	}
	files, _ := filepath.Glob(filepath.Join(data, "backups", "bot-*.db"))
	if len(files) != 3 {
		t.Fatalf("%d backups kept, want 3: %q", len(files), files)
	}
	env := []string{"ADMIN_TOKEN="}
	want, err := rfabot(t, env, "check", "--data", data)
	if err != nil {
		t.Fatalf("check: %v\n%s", err, want)
	}
	restored := t.TempDir()
	if out, err := rfabot(t, env, "restore", "--data", restored, files[0]); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	got, err := rfabot(t, env, "check", "--data", restored)
	if err != nil || !strings.Contains(got, "OK") {
		t.Fatalf("check of the restored database: %v\n%s", err, got)
	}
	if bucketCounts(t, got) != bucketCounts(t, want) {
		t.Errorf("restored counts:\n%s\nwant:\n%s", bucketCounts(t, got), bucketCounts(t, want))
	}
	if !strings.Contains(bucketCounts(t, got), "registrations") {
		t.Errorf("no registrations in:\n%s", got)
	}
}

func TestServeRefusesUnsafeSettings(t *testing.T) {
	// The other settings' checks are config's tests.
	for _, tt := range []struct{ env, want string }{
		{"PAYMENT_PROVIDER=", "PAYMENT_PROVIDER: set it to tiptoppay or freedompay for real payments"},
		{"ADMIN_TOKEN=short-token", "ADMIN_TOKEN: must be at least 24 characters"},
	} {
		out, err := rfabot(t, []string{"PAYMENT_PROVIDER=test", "TELEGRAM_TOKEN=", tt.env},
			"serve", "--data", t.TempDir(), "--http", freeAddr(t))
		if err == nil || !strings.Contains(out, tt.want) {
			t.Errorf("serve with %s: %v\n%s", tt.env, err, out)
		}
	}
}

// organizerToken is the ADMIN_TOKEN of the attack test.
const organizerToken = "the organizers' long and secret token"

// from is an HTTP client whose connections come from the loopback
// address ip.
func from(ip string) *http.Client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func status(t *testing.T, c *http.Client, req *http.Request) int {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeUnderAttack drives the real bot, under an open-files limit
// of 1,024: 1,000 wrong logins from one address, then the organizer's
// correct login from another is let in; 2,000 Bearer guesses are
// throttled; 1,000 idle and slow connections leave /healthz answering.
func TestServeUnderAttack(t *testing.T) {
	data, eventPath := registered(t)
	addr := freeAddr(t)
	cmd := exec.Command("sh", "-c", `ulimit -n 1024 && exec "$0" "$@"`, binary(t),
		"serve", "--data", data, "--event", eventPath, "--http", addr)
	cmd.Env = append(os.Environ(), "PAYMENT_PROVIDER=test", "TELEGRAM_TOKEN=", "ADMIN_TOKEN="+organizerToken, "BACKUP_INTERVAL=0")
	var log syncBuffer
	cmd.Stderr = &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	base := "http://" + addr
	health := func() map[string]any {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
		resp, err := from("127.0.0.1").Do(req)
		if err != nil {
			t.Fatalf("/healthz: %v\n%s", err, log.String())
		}
		defer resp.Body.Close()
		var h map[string]any
		json.NewDecoder(resp.Body).Decode(&h)
		return h
	}
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("serve did not start:\n%s", log.String())
		}
	}
	if h := health(); h["payments"] != "test" {
		t.Errorf("/healthz %v does not show the test checkout", h)
	}
	if !strings.Contains(log.String(), "PAYMENT_PROVIDER=test: the test checkout is on") {
		t.Errorf("no warning about the test checkout:\n%s", log.String())
	}

	login := func(c *http.Client, token string) int {
		req, _ := http.NewRequest(http.MethodPost, base+"/admin/login", strings.NewReader(url.Values{"token": {token}, "name": {"Aigul"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return status(t, c, req)
	}
	attacker := from("127.0.0.2")
	codes := map[int]int{}
	for range 1000 {
		codes[login(attacker, "guess")]++
	}
	// The back-off doubles from 1 s: however slow this machine, only a
	// few guesses are checked.
	if codes[http.StatusTooManyRequests] < 950 || codes[http.StatusUnauthorized] > 50 {
		t.Errorf("1,000 wrong logins: %v", codes)
	}
	organizer := from("127.0.0.1")
	if c := login(organizer, organizerToken); c != http.StatusSeeOther {
		t.Fatalf("the organizer's login after the attack: %d", c)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/admin/", nil)
	if c := status(t, organizer, req); c != http.StatusOK {
		t.Errorf("the organizer's overview: %d", c)
	}

	codes = map[int]int{}
	guesser := from("127.0.0.3")
	for i := range 2000 {
		req, _ := http.NewRequest(http.MethodGet, base+"/admin/backup", nil)
		req.Header.Set("Authorization", "Bearer guess-"+strings.Repeat("x", i%7))
		codes[status(t, guesser, req)]++
	}
	if codes[http.StatusTooManyRequests] < 1950 || codes[http.StatusUnauthorized] > 50 {
		t.Errorf("2,000 Bearer guesses: %v", codes)
	}
	if n := strings.Count(log.String(), "wrong admin tokens"); n > 10 {
		t.Errorf("%d log lines for 3,000 wrong tokens", n)
	}

	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.4")}, Timeout: 10 * time.Second}
	for i := range 1000 {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
		if i%2 == 1 {
			io.WriteString(c, "POST /payments/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
		}
	}
	if h := health(); h["status"] != "ok" {
		t.Errorf("/healthz under 1,000 connections: %v", h)
	}
	if strings.Contains(log.String(), "too many open files") {
		t.Errorf("the bot ran out of files:\n%s", log.String())
	}
}
