package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/storage"
)

// TestImportResultsFormats runs import-results on files timing
// companies send: a German RaceResult file in Windows-1252 with headers
// the bot does not know is read through --map; a row whose name is not
// the bib's holder's is refused without --accept-flagged; and what is
// stored is the file's time.
func TestImportResultsFormats(t *testing.T) {
	data, eventPath := t.TempDir(), futureEvent(t)
	seedRunner(t, data)
	common := []string{"--data", data, "--event", eventPath}
	dir := t.TempDir()
	german, err := charmap.Windows1252.NewEncoder().Bytes([]byte("Ergebnisliste – 5 km;;\r\nTN-Nr;Läufer;Endzeit\r\n1000;Qairatqyzy Äsel;00:24:31,0\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "ergebnisse.csv")
	os.WriteFile(file, german, 0o600)
	out, err := cli(t, nil, append([]string{"import-results", file}, common...)...)
	if err != nil || !strings.Contains(out, "I could not find the bib column.") {
		t.Fatalf("without a mapping: %v\n%s", err, out)
	}
	mapping := "--map=bib=TN-Nr,time=Endzeit,name=Läufer"
	out, err = cli(t, nil, append([]string{"import-results", file, mapping}, common...)...)
	for _, want := range []string{"Read as CSV: Windows-1252, separated by semicolons; the column names are in row 2.",
		"Columns used: bib ← “TN-Nr”, name ← “Läufer”, time ← “Endzeit”.",
		"[results.columns]\nbib = \"TN-Nr\"\nname = \"Läufer\"\ntime = \"Endzeit\"",
		"row 3, bib 1000, Әсел Қайратқызы: 0:24:31, new · in the file: Qairatqyzy Äsel", "Dry run: nothing was applied."} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("dry run with --map lacks %q (%v):\n%s", want, err, out)
		}
	}

	wrong := filepath.Join(dir, "wrong.csv")
	os.WriteFile(wrong, []byte("Bib,Name,Chip Time\n1000,Dana Lee,24:20\n"), 0o600)
	out, err = cli(t, nil, append([]string{"import-results", wrong, "--apply"}, common...)...)
	if err == nil || !strings.Contains(out, "⚠ the file names someone else: Dana Lee") || !strings.Contains(err.Error(), "add --accept-flagged") {
		t.Fatalf("a flagged row applied without --accept-flagged: %v\n%s", err, out)
	}
	out, err = cli(t, nil, append([]string{"import-results", wrong, "--apply", "--accept-flagged"}, common...)...)
	if err != nil || !strings.Contains(out, "Applied: 1 new and 0 changed results.") {
		t.Fatalf("--accept-flagged: %v\n%s", err, out)
	}
	st, err := storage.Open(filepath.Join(data, "bot.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var res domain.Result
	err = st.View(context.Background(), func(tx domain.Tx) error {
		var err error
		res, err = tx.Result("RFA-RUN1")
		return err
	})
	if err != nil || res.Status != domain.ResultFinished || res.Time != 24*time.Minute+20*time.Second {
		t.Errorf("stored %+v, %v; want 0:24:20", res, err)
	}
}
