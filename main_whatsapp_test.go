package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/whatsapp"
)

// serveUntilHealthy starts "rfabot serve", waits for /healthz, stops it
// with SIGTERM and returns the health answer and the log.
func serveUntilHealthy(t *testing.T, data string, env ...string) (health, log string) {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(binary(t), "serve", "--data", data, "--http", addr)
	cmd.Env = append(append(os.Environ(), "PAYMENT_PROVIDER=test"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var resp *http.Response
	var err error
	for range 100 {
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("healthz: %v\n%s", err, stderr.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve did not stop cleanly: %v\n%s", err, stderr.String())
	}
	return string(body), stderr.String()
}

func TestServeWithoutWhatsAppSession(t *testing.T) {
	data := t.TempDir()
	path := filepath.Join(data, "whatsapp.db")
	health, log := serveUntilHealthy(t, data)
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
	health, log = serveUntilHealthy(t, data)
	if !strings.Contains(log, "whatsapp off") || strings.Contains(health, "whatsapp") {
		t.Errorf("with an unpaired store: health %s, log:\n%s", health, log)
	}
}

func TestServeRefusesBurstyWhatsAppPushes(t *testing.T) {
	cmd := exec.Command(binary(t), "serve", "--data", t.TempDir(), "--http", freeAddr(t))
	cmd.Env = append(os.Environ(), "WHATSAPP_PUSH_INTERVAL=200ms", "PAYMENT_PROVIDER=test")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "WHATSAPP_PUSH_INTERVAL: 200ms is shorter than 1s") {
		t.Fatalf("serve with a 200ms push interval: err %v, output:\n%s", err, out)
	}
}

func TestWhatsAppPairRefusesBadPhone(t *testing.T) {
	data := t.TempDir()
	cmd := exec.Command(binary(t), "whatsapp-pair", "--data", data, "--phone", "+7 70x")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), `--phone: "+7 70x" is not a phone number like +77011234567`) {
		t.Fatalf("whatsapp-pair with a bad number: err %v, output:\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(data, "whatsapp.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused pairing created the store (%v)", err)
	}
}

// Pairing beside a running bot would take its WhatsApp session over.
func TestWhatsAppPairRefusedWhileBotRuns(t *testing.T) {
	data := t.TempDir()
	first := exec.Command(binary(t), "chat", "--data", data)
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
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.Contains(sc.Text(), "Choose your language") {
	}
	go io.Copy(io.Discard, stdout)
	// The bad number is a safety net: were the lock not checked first,
	// pairing would stop there instead of dialling WhatsApp.
	out, err := exec.Command(binary(t), "whatsapp-pair", "--data", data, "--phone", "x").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "stop `rfabot serve` before pairing") {
		t.Fatalf("whatsapp-pair beside a running bot: err %v, output:\n%s", err, out)
	}
}
