package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/domain"
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
	err = st.Update(context.Background(), func(tx domain.Tx) error {
		for _, u := range []domain.User{
			{Key: "console:runner", Channel: "console", ID: "runner", Lang: "kk", Session: domain.Session{Step: flows.StepMenu}},
			{Key: "console:org", Channel: "console", ID: "org", Lang: "en", Session: domain.Session{Step: flows.StepMenu}},
		} {
			if err := tx.PutUser(&u); err != nil {
				return err
			}
		}
		return tx.AddRegistration(&domain.Registration{Code: "RFA-RUN1", UserKey: "console:runner", Lang: "kk", Name: "Әсел Қайратқызы",
			Birth: "1995-02-01", Gender: "female", Mode: event.InPerson, Distance: "5k", Fee: 8990, Currency: "KZT",
			Status: domain.StatusPaid, Bib: 1000}, 1000)
	})
	if err != nil {
		t.Fatal(err)
	}
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
	// the public URL of that moment: the runner's chat serves them later,
	// so the port is chosen before.
	addr := freeAddr(t)
	common := []string{"--data", data, "--event", eventPath, "--public-url", "http://" + addr}

	out, err := cli(t, env{}, append([]string{"import-results", file}, common...)...)
	if err != nil || !strings.Contains(out, "Rows: 1. New results: 1") || !strings.Contains(out, "Dry run: nothing was applied") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	out, err = cli(t, env{}, append([]string{"import-results"}, append(common, file, "--apply")...)...)
	if err != nil || !strings.Contains(out, "Applied: 1 new and 0 changed results. Participants are being sent 1 results") {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	out, err = cli(t, env{}, append([]string{"import-results", file, "--apply"}, common...)...)
	if err != nil || !strings.Contains(out, "This very file was applied") {
		t.Fatalf("apply again: %v\n%s", err, out)
	}
	out, err = cli(t, env{}, append([]string{"import-results", bad, "--apply"}, common...)...)
	if err == nil || !strings.Contains(out, "row 3: no participant has bib 4242") || !strings.Contains(err.Error(), "add --skip-bad") {
		t.Fatalf("a file with problems: %v\n%s", err, out)
	}

	// The runner opens the chat: the result arrives, its link serves
	// the diploma, and /diploma saves it.
	runner := start(t, parse(t, env{}, append([]string{"chat", "--user", "runner", "--http", addr}, common...)...))
	runner.out.waitFor(t, regexp.MustCompile(`Әсел Қайратқызы, Run for Autism мәресіне жеткеніңізбен құттықтаймыз!\n5 км: 0:24:31`))
	link := runner.out.waitFor(t, regexp.MustCompile(`http://`+regexp.QuoteMeta(addr)+`/diploma/RFA-RUN1/[0-9a-f]{32}\.pdf`))
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("diploma link: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	runner.say("/diploma")
	saved := filepath.Join(data, "files", "diploma-RFA-RUN1.pdf")
	runner.out.waitFor(t, regexp.MustCompile(regexp.QuoteMeta("[file application/pdf: "+saved+"]")))
	runner.end(t)
	if b, err := os.ReadFile(saved); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s is not a PDF: %v", saved, err)
	}

	// The organizer sends a corrected file in the chat; the runner gets
	// a short correction (shown in whichever console chat runs when the
	// outbox sends it).
	corrected := filepath.Join(dir, "corrected.csv")
	os.WriteFile(corrected, []byte("Bib,Gun time\n1000,0:24:05\n"), 0o600)
	org := start(t, parse(t, env{"ADMINS": "console:org"}, append([]string{"chat", "--user", "org", "--http", "127.0.0.1:0"}, common...)...))
	org.say("/file "+corrected, "1")
	org.out.waitFor(t, regexp.MustCompile(regexp.QuoteMeta("bib 1000, Әсел Қайратқызы: 0:24:31 → 0:24:05")))
	org.out.waitFor(t, regexp.MustCompile(regexp.QuoteMeta("Applied: 0 new and 1 changed results. Participants are being sent 0 results and 1 corrections.")))
	org.end(t)
	correction := "Run for Autism нәтижесі түзетілді (Әсел Қайратқызы, 5 км): 0:24:05, орын: 1 (1 адамның ішінде)."
	if strings.Contains(org.out.String(), correction) {
		return
	}
	again := start(t, parse(t, env{}, append([]string{"chat", "--user", "runner", "--http", "127.0.0.1:0"}, common...)...))
	again.out.waitFor(t, regexp.MustCompile(regexp.QuoteMeta(correction)))
	if strings.Contains(again.out.String(), "құттықтаймыз") {
		t.Errorf("the runner got the full result again:\n%s", again.out.String())
	}
}
