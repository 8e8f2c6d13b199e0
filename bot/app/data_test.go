package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/bot/app"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/storage"
)

// cli runs a subcommand that ends by itself and returns what it wrote
// and its error.
func cli(t *testing.T, e env, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := app.Run(context.Background(), parse(t, e, args...), strings.NewReader(""), &out, &out)
	return out.String(), err
}

// registered is a data directory holding one registration made in the
// chat, and the event file.
func registered(t *testing.T) (data, eventPath string) {
	t.Helper()
	eventPath, data = futureEvent(t), t.TempDir()
	runChat(t, env{}, data, eventPath, registration("1", "Әсел Қайратқызы", "Қайрат Әбенов")...)
	return data, eventPath
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
	b := start(t, parse(t, env{"PAYMENT_PROVIDER": "test", "BACKUP_INTERVAL": "100ms", "BACKUP_KEEP": "3"},
		"serve", "--data", data, "--event", eventPath, "--http", "127.0.0.1:0"))
	// Six backups written means three were removed.
	b.log.waitFor(t, regexp.MustCompile(`(?s)(backup written.*){6}`))
	if err := b.Stop(); err != nil {
		t.Fatalf("serve: %v\n%s", err, b.log.String())
	}
	files, _ := filepath.Glob(filepath.Join(data, "backups", "bot-*.db"))
	if len(files) != 3 {
		t.Fatalf("%d backups kept, want 3: %q", len(files), files)
	}
	want, err := cli(t, env{}, "check", "--data", data)
	if err != nil {
		t.Fatalf("check: %v\n%s", err, want)
	}
	restored := t.TempDir()
	if out, err := cli(t, env{}, "restore", "--data", restored, files[0]); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	got, err := cli(t, env{}, "check", "--data", restored)
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

// names reads the name column of an exported registrations.csv.
func names(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rest, ok := bytes.CutPrefix(b, []byte("\uFEFF"))
	if !ok {
		t.Fatalf("%s has no byte-order mark", path)
	}
	rows, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[2])
	}
	return out
}

// backupHolds opens a backup and lists its registrations' names.
func backupHolds(t *testing.T, path string) []string {
	t.Helper()
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer s.Close()
	var out []string
	err = s.View(context.Background(), func(tx domain.Tx) error {
		return tx.EachRegistration(func(r domain.Registration) error { out = append(out, r.Name); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// export and backup read the database itself when the bot is stopped,
// and the running bot's dashboard, with ADMIN_TOKEN, when it holds the
// file (here the bot runs in this process: the file's lock is taken per
// open file, so it is held against this process's export too).
func TestExportAndBackup(t *testing.T) {
	data, eventPath := registered(t)
	stopped := t.TempDir()
	if out, err := cli(t, env{}, "export", "--data", data, "--event", eventPath, "--out", stopped); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	for _, f := range []string{"registrations.csv", "funstarts.csv", "bibs.csv"} {
		if _, err := os.Stat(filepath.Join(stopped, f)); err != nil {
			t.Errorf("export wrote no %s", f)
		}
	}
	if got := names(t, filepath.Join(stopped, "registrations.csv")); len(got) != 1 || got[0] != "Әсел Қайратқызы" {
		t.Errorf("exported names %q", got)
	}
	if out, err := cli(t, env{}, "backup", "--data", data, "--event", eventPath, "--out", filepath.Join(stopped, "bot.db")); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if got := backupHolds(t, filepath.Join(stopped, "bot.db")); len(got) != 1 || got[0] != "Әсел Қайратқызы" {
		t.Errorf("backup holds %q", got)
	}
	if out, err := cli(t, env{}, "backup", "--data", data); err == nil || !strings.Contains(err.Error(), "--out FILE is required") {
		t.Errorf("backup without --out: %v\n%s", err, out)
	}

	const token = "s3cret token of the organizers"
	b := start(t, parse(t, env{"ADMIN_TOKEN": token, "PAYMENT_PROVIDER": "test"}, "serve", "--data", data, "--event", eventPath, "--http", "127.0.0.1:0"))
	// The dashboard is mounted and closed to visitors.
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(b.url("/admin/"))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(b.log.String(), "organizers' dashboard on") {
		t.Errorf("GET /admin/: %d\n%s", resp.StatusCode, b.log.String())
	}

	running := t.TempDir()
	at := env{"HTTP_ADDR": b.Addr}
	if out, err := cli(t, at, "backup", "--data", data, "--out", filepath.Join(running, "x.db")); err == nil ||
		!strings.Contains(err.Error(), "another process holds the database") || !strings.Contains(err.Error(), "set ADMIN_TOKEN") {
		t.Errorf("backup of a running bot without a token: %v\n%s", err, out)
	}
	wrong := env{"HTTP_ADDR": b.Addr, "ADMIN_TOKEN": "guessed-token-guessed-token"}
	if out, err := cli(t, wrong, "backup", "--data", data, "--out", filepath.Join(running, "x.db")); err == nil ||
		!strings.Contains(err.Error(), "401") || strings.Contains(err.Error()+out, "guessed") {
		t.Errorf("backup with a wrong token: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(running, "x.db")); err == nil {
		t.Error("a failed backup left a file")
	}
	right := env{"HTTP_ADDR": b.Addr, "ADMIN_TOKEN": token}
	if out, err := cli(t, right, "backup", "--data", data, "--out", filepath.Join(running, "bot.db")); err != nil {
		t.Fatalf("backup of the running bot: %v\n%s", err, out)
	}
	if got := backupHolds(t, filepath.Join(running, "bot.db")); len(got) != 1 || got[0] != "Әсел Қайратқызы" {
		t.Errorf("backup of the running bot holds %q", got)
	}
	if out, err := cli(t, right, "export", "--data", data, "--out", running); err != nil {
		t.Fatalf("export from the running bot: %v\n%s", err, out)
	}
	if got := names(t, filepath.Join(running, "registrations.csv")); len(got) != 1 || got[0] != "Әсел Қайратқызы" {
		t.Errorf("exported from the running bot: %q", got)
	}
	if strings.Contains(b.log.String(), "s3cret") {
		t.Errorf("the token is in the log:\n%s", b.log.String())
	}
}

// Pairing beside a running bot would take its WhatsApp session over.
func TestWhatsAppPairRefusedWhileBotRuns(t *testing.T) {
	data := t.TempDir()
	b := start(t, parse(t, env{}, "chat", "--data", data, "--http", "127.0.0.1:0"))
	b.expect(t, "Choose your language")
	// The bad number is a safety net: were the lock not checked first,
	// pairing would stop there instead of dialling WhatsApp.
	if out, err := cli(t, env{}, "whatsapp-pair", "--data", data, "--phone", "x"); err == nil || !strings.Contains(err.Error(), "stop `rfabot serve` before pairing") {
		t.Fatalf("whatsapp-pair beside a running bot: %v\n%s", err, out)
	}
}
