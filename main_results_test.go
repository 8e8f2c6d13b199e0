package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/storage"
)

// seedRunner stores a paid runner as the console user "runner", as the
// registration and payment flows leave them.
func seedRunner(t *testing.T, data string) {
	t.Helper()
	st, err := storage.Open(filepath.Join(data, "bot.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.Update(context.Background(), func(tx flows.Tx) error {
		for _, u := range []flows.User{
			{Key: "console:runner", Channel: "console", ID: "runner", Lang: "kk", Session: flows.Session{Step: flows.StepMenu}},
			{Key: "console:org", Channel: "console", ID: "org", Lang: "en", Session: flows.Session{Step: flows.StepMenu}},
		} {
			if err := tx.PutUser(&u); err != nil {
				return err
			}
		}
		return tx.AddRegistration(&flows.Registration{Code: "RFA-RUN1", UserKey: "console:runner", Lang: "kk", Name: "Әсел Қайратқызы",
			Birth: "1995-02-01", Gender: "female", Mode: event.InPerson, Distance: "5k", Fee: 8990, Currency: "KZT",
			Status: flows.StatusPaid, Bib: 1000}, 1000)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// runBinary runs the binary and returns its output and error.
func runBinary(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Stdin = strings.NewReader("")
	err := cmd.Run()
	return out.String(), err
}

// TestResultsEndToEnd imports results with the import-results command,
// sends a corrected file in the chat as an organizer, then opens the
// chat as the runner: the result and its correction arrive, the
// diploma link serves a PDF, and /diploma saves the diploma under
// DATA_DIR/files.
func TestResultsEndToEnd(t *testing.T) {
	data, eventPath := t.TempDir(), futureEvent(t)
	seedRunner(t, data)
	dir := t.TempDir()
	file := filepath.Join(dir, "results.csv")
	os.WriteFile(file, []byte("\ufeffМесто;Номер;Время;Чип\r\n1;1000;0:24:31;0:24:29\r\n"), 0o600)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("Bib,Time\n1000,0:24:31\n4242,0:30:00\n"), 0o600)
	// The links in pushes are made when the results are applied, from
	// the public URL of that moment: the runner's chat serves them later.
	addr := freeAddr(t)
	common := []string{"--data", data, "--event", eventPath, "--public-url", "http://" + addr}

	out, err := runBinary(t, nil, append([]string{"import-results", file}, common...)...)
	if err != nil || !strings.Contains(out, "Rows: 1. New results: 1") || !strings.Contains(out, "Dry run: nothing was applied") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	out, err = runBinary(t, nil, append([]string{"import-results"}, append(common, file, "--apply")...)...)
	if err != nil || !strings.Contains(out, "Applied: 1 new and 0 changed results. Participants are being sent 1 results") {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	out, err = runBinary(t, nil, append([]string{"import-results", file, "--apply"}, common...)...)
	if err != nil || !strings.Contains(out, "This very file was applied") {
		t.Fatalf("apply again: %v\n%s", err, out)
	}
	out, err = runBinary(t, nil, append([]string{"import-results", bad, "--apply"}, common...)...)
	if err == nil || !strings.Contains(out, "row 3: no participant has bib 4242") || !strings.Contains(out, "add --skip-bad") {
		t.Fatalf("a file with problems: %v\n%s", err, out)
	}
	if _, err := runBinary(t, nil, append([]string{"import-results"}, common...)...); err == nil {
		t.Fatal("import-results without a file succeeded")
	}

	// The runner opens the chat: the result arrives, its link serves
	// the diploma, and /diploma saves it.
	runner := exec.Command(binary(t), append([]string{"chat", "--user", "runner", "--http", addr}, common...)...)
	stdin, err := runner.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var rout syncBuffer
	runner.Stdout, runner.Stderr = &rout, &rout
	if err := runner.Start(); err != nil {
		t.Fatal(err)
	}
	rout.waitFor(t, regexp.MustCompile(`Әсел Қайратқызы, Run for Autism мәресіне жеткеніңізбен құттықтаймыз!\n5 км: 0:24:31`))
	link := rout.waitFor(t, regexp.MustCompile(`http://`+regexp.QuoteMeta(addr)+`/diploma/RFA-RUN1/[0-9a-f]{32}\.pdf`))
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("diploma link: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	io.WriteString(stdin, "/diploma\n")
	saved := filepath.Join(data, "files", "diploma-RFA-RUN1.pdf")
	rout.waitFor(t, regexp.MustCompile(regexp.QuoteMeta("[file application/pdf: "+saved+"]")))
	stdin.Close()
	if err := runner.Wait(); err != nil {
		t.Fatalf("runner's chat: %v", err)
	}
	if b, err := os.ReadFile(saved); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s is not a PDF: %v", saved, err)
	}

	// The organizer sends a corrected file in the chat; the runner gets
	// a short correction (shown in whichever console chat runs when the
	// outbox sends it).
	corrected := filepath.Join(dir, "corrected.csv")
	os.WriteFile(corrected, []byte("Bib,Gun time\n1000,0:24:05\n"), 0o600)
	cmd := exec.Command(binary(t), append([]string{"chat", "--user", "org", "--http", freeAddr(t)}, common...)...)
	cmd.Env = append(os.Environ(), "ADMINS=console:org")
	cmd.Stdin = strings.NewReader("/file " + corrected + "\n1\n")
	orgOut, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(orgOut), "bib 1000, Әсел Қайратқызы: 0:24:31 → 0:24:05") ||
		!strings.Contains(string(orgOut), "Applied: 0 new and 1 changed results. Participants are being sent 0 results and 1 corrections.") {
		t.Fatalf("organizer's chat: %v\n%s", err, orgOut)
	}
	correction := "Run for Autism нәтижесі түзетілді (Әсел Қайратқызы, 5 км): 0:24:05, орын: 1 (1 адамның ішінде)."
	if strings.Contains(string(orgOut), correction) {
		return
	}
	again := exec.Command(binary(t), append([]string{"chat", "--user", "runner", "--http", freeAddr(t)}, common...)...)
	stdin, err = again.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var aout syncBuffer
	again.Stdout, again.Stderr = &aout, &aout
	if err := again.Start(); err != nil {
		t.Fatal(err)
	}
	defer again.Wait()
	defer stdin.Close()
	aout.waitFor(t, regexp.MustCompile(regexp.QuoteMeta(correction)))
	if strings.Contains(aout.String(), "құттықтаймыз") {
		t.Errorf("the runner got the full result again:\n%s", aout.String())
	}
}
