package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/storage"
)

// rfabot runs the built bot with args and extra environment.
func rfabot(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
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
	err = s.View(context.Background(), func(tx flows.Tx) error {
		return tx.EachRegistration(func(r flows.Registration) error { out = append(out, r.Name); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// export and backup read the database itself when the bot is stopped,
// and the running bot's dashboard, with ADMIN_TOKEN, when it holds the
// file.
func TestExportAndBackup(t *testing.T) {
	eventPath := futureEvent(t)
	data := t.TempDir()
	runChat(t, data, eventPath, "1", "1", "Әсел Қайратқызы", "01.02.1995", "1", "8 701 123 45 67",
		"1", "4", "1", "3", "Қайрат Әбенов", "87017654321", "1", "1")
	noToken := []string{"ADMIN_TOKEN="}

	stopped := t.TempDir()
	if out, err := rfabot(t, noToken, "export", "--data", data, "--event", eventPath, "--out", stopped); err != nil {
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
	if out, err := rfabot(t, noToken, "backup", "--data", data, "--event", eventPath, "--out", filepath.Join(stopped, "bot.db")); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if got := backupHolds(t, filepath.Join(stopped, "bot.db")); len(got) != 1 || got[0] != "Әсел Қайратқызы" {
		t.Errorf("backup holds %q", got)
	}
	if out, err := rfabot(t, noToken, "backup", "--data", data); err == nil || !strings.Contains(out, "--out FILE is required") {
		t.Errorf("backup without --out: %v\n%s", err, out)
	}

	addr := freeAddr(t)
	serve := exec.Command(binary(t), "serve", "--data", data, "--event", eventPath, "--http", addr)
	serve.Env = append(os.Environ(), "ADMIN_TOKEN=s3cret token of the organizers", "PAYMENT_PROVIDER=test")
	var log syncBuffer
	serve.Stderr = &log
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		serve.Process.Signal(syscall.SIGTERM)
		serve.Wait()
	}()
	var resp *http.Response
	var err error
	for range 100 {
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("serve: %v\n%s", err, log.String())
	}
	// The dashboard is mounted and closed to visitors.
	resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get("http://" + addr + "/admin/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(log.String(), "organizers' dashboard on") {
		t.Errorf("GET /admin/: %d\n%s", resp.StatusCode, log.String())
	}

	running := t.TempDir()
	addrEnv := []string{"HTTP_ADDR=" + addr}
	if out, err := rfabot(t, append(addrEnv, noToken...), "backup", "--data", data, "--out", filepath.Join(running, "x.db")); err == nil ||
		!strings.Contains(out, "another process holds the database") || !strings.Contains(out, "set ADMIN_TOKEN") {
		t.Errorf("backup of a running bot without a token: %v\n%s", err, out)
	}
	if out, err := rfabot(t, append(addrEnv, "ADMIN_TOKEN=guessed-token-guessed-token"), "backup", "--data", data, "--out", filepath.Join(running, "x.db")); err == nil ||
		!strings.Contains(out, "401") || strings.Contains(out, "guessed") {
		t.Errorf("backup with a wrong token: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(running, "x.db")); err == nil {
		t.Error("a failed backup left a file")
	}
	withToken := append(addrEnv, "ADMIN_TOKEN=s3cret token of the organizers")
	if out, err := rfabot(t, withToken, "backup", "--data", data, "--out", filepath.Join(running, "bot.db")); err != nil {
		t.Fatalf("backup of the running bot: %v\n%s", err, out)
	}
	if got := backupHolds(t, filepath.Join(running, "bot.db")); len(got) != 1 || got[0] != "Әсел Қайратқызы" {
		t.Errorf("backup of the running bot holds %q", got)
	}
	if out, err := rfabot(t, withToken, "export", "--data", data, "--out", running); err != nil {
		t.Fatalf("export from the running bot: %v\n%s", err, out)
	}
	if got := names(t, filepath.Join(running, "registrations.csv")); len(got) != 1 || got[0] != "Әсел Қайратқызы" {
		t.Errorf("exported from the running bot: %q", got)
	}
	if strings.Contains(log.String(), "s3cret") {
		t.Errorf("the token is in the log:\n%s", log.String())
	}
}

// An organizer in the console chat gets /export as a file in
// DATA_DIR/files.
func TestChatExport(t *testing.T) {
	data := t.TempDir()
	cmd := exec.Command(binary(t), "chat", "--data", data, "--event", futureEvent(t), "--http", freeAddr(t), "--user", "org")
	cmd.Env = append(os.Environ(), "ADMINS=console:org")
	cmd.Stdin = strings.NewReader("3\n/export bibs\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chat: %v", err)
	}
	m := regexp.MustCompile(`\[file text/csv: (\S+bibs-\S+\.csv)\]`).FindStringSubmatch(string(out))
	if m == nil || !strings.HasPrefix(m[1], filepath.Join(data, "files")) {
		t.Fatalf("no file shown:\n%s", out)
	}
	b, err := os.ReadFile(m[1])
	if err != nil || string(b) != "\uFEFFbib,name,gender,birth_year,distance\r\n" {
		t.Errorf("bibs file %q, %v", b, err)
	}
}
