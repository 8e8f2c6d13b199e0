package flows_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

func hms(h, m, s int) time.Duration {
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
}

// stored is what a test expects of a stored result.
type stored struct {
	status     domain.ResultStatus
	time, chip time.Duration
}

func fin(tm, chip time.Duration) stored { return stored{domain.ResultFinished, tm, chip} }

// xlsxResults is a workbook as excelize writes it, in the shape timing
// software exports: a title, the header in row 3, times as numbers of
// days formatted as a clock ("12:21:05 AM") and as a duration
// ([h]:mm:ss, where 48:00 typed as mm:ss became 48:00:00), and a time
// as text.
func xlsxResults(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	sheet := "Results"
	x.SetSheetName("Sheet1", sheet)
	rows := [][]any{
		{"Run for Autism 2027 — results"},
		{},
		{"Place", "Bib", "Name", "Gun Time", "Chip Time", "Status"},
		{1, 1003, "Oliver Smith", 1265.0 / 86400, 1261.0 / 86400},
		{2, 1001, "Айгерим Нурланова", "0:24:31", nil},
		{1, 5, "Марат Ержанов", 2.0, nil},
		{nil, 1005, "Alex Kim", nil, nil, "DNS"},
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	clock, _ := x.NewStyle(&excelize.Style{NumFmt: 19})
	duration, _ := x.NewStyle(&excelize.Style{NumFmt: 46})
	x.SetCellStyle(sheet, "D4", "E4", clock)
	x.SetCellStyle(sheet, "D6", "D6", duration)
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportLayouts imports, from testdata/results, a file in each
// layout timing companies and race sites use, and checks what is
// stored for each runner: no row is flagged or refused, and every time
// is the one the file means.
func TestImportLayouts(t *testing.T) {
	tests := []struct {
		file string
		// says are lines the dry run must have.
		says []string
		want map[string]stored
	}{
		{"boston.csv", []string{"Columns I do not read: Age, M/F, City, State, Country, Gender, Division.", "place ← “Overall”"},
			map[string]stored{"c": fin(hms(0, 21, 5), 0), "a": fin(hms(0, 24, 31), 0), "f": fin(hms(0, 40, 0), 0)}},
		{"raceresult-de.csv", []string{"Read as CSV: Windows-1252, separated by semicolons; the column names are in row 2.",
			"Columns used: bib ← “Stnr”, last name ← “Nachname”, first name ← “Vorname”, time ← “Zeit”, place ← “Platz”."},
			map[string]stored{"c": fin(hms(0, 21, 6), 0), "d": fin(hms(0, 24, 40), 0), "e": {status: domain.ResultDNF}}},
		{"chronotrack.csv", []string{"time ← “Guntime”, chip time ← “Nettime”"},
			map[string]stored{"c": fin(hms(0, 21, 5), hms(0, 21, 1)), "b": fin(hms(0, 24, 31), hms(0, 24, 29)), "f": fin(hms(0, 40, 0), hms(0, 39, 51))}},
		{"protocol-ru.csv", []string{"Read as CSV: Windows-1251, separated by semicolons; the column names are in row 4."},
			map[string]stored{"a": fin(hms(0, 24, 31), 0), "d": fin(hms(0, 24, 40), 0), "e": {status: domain.ResultDNF}, "c": {status: domain.ResultDNS}}},
		{"utmb.csv", []string{"the column names are in row 3."},
			map[string]stored{"c": fin(hms(0, 21, 5), 0), "b": fin(hms(0, 24, 31), 0), "d": fin(hms(0, 24, 40), 0)}},
		{"runsignup.csv", []string{"time ← “Clock Time”, chip time ← “Chip Time”"},
			map[string]stored{"c": fin(hms(0, 21, 5), hms(0, 21, 1)), "a": fin(hms(0, 24, 31), hms(0, 24, 20)), "d": fin(hms(0, 24, 40), hms(0, 24, 38))}},
		{"unicode-text.txt", []string{"Read as CSV: UTF-16 LE, separated by tabs"},
			map[string]stored{"c": fin(hms(0, 21, 5), hms(0, 21, 1)), "b": fin(hms(0, 24, 31), hms(0, 24, 29)), "e": {status: domain.ResultDNS}}},
		{"mangled.csv", []string{"row 2, bib 1003, Oliver Smith: 0:21:05 (in the file: 12:21:05 AM), new",
			"row 4, bib 5, Марат Ержанов: 0:48:00 (in the file: 48:00:00), new"},
			map[string]stored{"c": fin(hms(0, 21, 5), hms(0, 21, 1)), "a": fin(hms(0, 24, 31), hms(0, 24, 20)), "f": fin(hms(0, 48, 0), hms(0, 47, 51)), "e": {status: domain.ResultDNF}}},
		{"results.xlsx", []string{"Read as XLSX: sheet “Results”; the column names are in row 3.",
			"row 6, bib 5, Марат Ержанов: 0:48:00 (in the file: 48:00:00), new"},
			map[string]stored{"c": fin(hms(0, 21, 5), hms(0, 21, 1)), "a": fin(hms(0, 24, 31), 0), "f": fin(hms(0, 48, 0), 0), "e": {status: domain.ResultDNS}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var data []byte
			if tt.file == "results.xlsx" {
				data = xlsxResults(t)
			} else {
				var err error
				if data, err = os.ReadFile(filepath.Join("testdata", "results", tt.file)); err != nil {
					t.Fatal(err)
				}
			}
			h := resultsHarness(t)
			ctx := context.Background()
			rep, err := h.conv.PreviewResults(ctx, tt.file, data, flows.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			text := h.conv.ImportReportText("en", rep)
			if rep.FileProblem != "" || len(rep.Problems) > 0 || rep.Flagged > 0 || len(rep.New) != len(tt.want) || !rep.CanApply(flows.ImportOptions{}) {
				t.Fatalf("dry run: problem %q, %d problems, %d flagged, %d new:\n%s", rep.FileProblem, len(rep.Problems), rep.Flagged, len(rep.New), text)
			}
			for _, want := range tt.says {
				if !strings.Contains(text, want) {
					t.Errorf("dry run lacks %q:\n%s", want, text)
				}
			}
			rep, err = h.conv.ApplyResults(ctx, "cli", tt.file, data, flows.ImportOptions{})
			if err != nil || !rep.Applied {
				t.Fatalf("apply: %v, %+v", err, rep)
			}
			for id, want := range tt.want {
				res, ok := h.result(id)
				if got := (stored{res.Status, res.Time, res.Chip}); !ok || got != want {
					t.Errorf("runner %s: stored %+v (found %v), want %+v", id, got, ok, want)
				}
			}
		})
	}
}

// flaggedFile has a row of each kind that needs a person's eye: a 1 km
// time of 7:30 that Russian Excel turned into 07:30:00, a bib whose
// name in the file is someone else's, a 5 km time faster than the
// world record, a runner of 5 km the file puts on 10 km; and a row
// that is right.
var flaggedFile = []byte("Номер;ФИО;Дистанция;Время\r\n" +
	"2001;Серикова Малика;1 км;07:30:00\r\n" +
	"1001;Dana Lee;5 км;0:24:31\r\n" +
	"1003;Oliver Smith;5 км;0:10:00\r\n" +
	"1004;Данияр Ахметов;10 км;0:24:40\r\n" +
	"1002;Әсел Қайратқызы;5 км;0:24:31\r\n")

func flaggedHarness(t *testing.T) *harness {
	h := resultsHarness(t)
	h.participant("k", "ru", domain.Registration{Code: "RFA-K1", Name: "Малика Серикова", Gender: "female", Birth: "2016-04-04",
		Distance: "1k", Bib: 2001, Status: domain.StatusPaid}, nil)
	return h
}

// TestImportFlagsRows: the dry run shows every doubtful row with why,
// and none of them is applied unless the organizer accepts them.
func TestImportFlagsRows(t *testing.T) {
	ctx := context.Background()
	h := flaggedHarness(t)
	rep, err := h.conv.PreviewResults(ctx, "r.csv", flaggedFile, flows.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := h.conv.ImportReportText("en", rep)
	for _, want := range []string{
		"4 rows need a look: see below.",
		"Rows to check (applied only if you accept them):\nrow 2, bib 2001, Малика Серикова: 0:07:30 (in the file: 07:30:00), new",
		"  ⚠ “07:30:00” read as minutes and seconds: as hours and minutes it is implausible for the distance",
		"row 3, bib 1001, Айгерим Нурланова: 0:24:31, new · in the file: Dana Lee\n  ⚠ the file names someone else: Dana Lee",
		"row 4, bib 1003, Oliver Smith: 0:10:00, new\n  ⚠ implausible time for the distance: 2:00 per km",
		"row 5, bib 1004, Данияр Ахметов: 0:24:40, new\n  ⚠ the file gives another distance: 10 км",
		"New results:\nrow 6, bib 1002, Әсел Қайратқызы: 0:24:31, new\n",
		"Fix 4 rows and send the file again, or apply the rest and skip them.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("dry run lacks %q:\n%s", want, text)
		}
	}
	if rep.CanApply(flows.ImportOptions{}) || !rep.CanApply(flows.ImportOptions{SkipBad: true}) || !rep.CanApply(flows.ImportOptions{AcceptFlagged: true}) {
		t.Errorf("can apply: plain %v, skipping %v, accepting %v", rep.CanApply(flows.ImportOptions{}),
			rep.CanApply(flows.ImportOptions{SkipBad: true}), rep.CanApply(flows.ImportOptions{AcceptFlagged: true}))
	}
	if rep, err := h.conv.ApplyResults(ctx, "cli", "r.csv", flaggedFile, flows.ImportOptions{}); err != nil || rep.Applied {
		t.Fatalf("applied without a flag: %v, %+v", err, rep)
	}
	for _, id := range []string{"a", "b", "c", "d"} {
		if res, ok := h.result(id); ok {
			t.Errorf("runner %s has a result before any apply: %+v", id, res)
		}
	}

	// In the chat: skip them, or apply them too.
	org := h.user("org", "en")
	org.do([]action{{say: "/start"}})
	r := org.sendFile("r.csv", flaggedFile)
	if got := labels(r); len(got) != 3 || got[0] != "Apply, skip 4 bad rows" || got[1] != "Apply, with 4 flagged rows" || got[2] != "Cancel" {
		t.Fatalf("buttons %v", got)
	}
	org.do([]action{{tap: "Apply, skip", want: "Applied: 1 new and 0 changed results. Participants are being sent 1 results and 0 corrections.\n4 rows with problems were skipped."}})
	if res, ok := h.result("b"); !ok || res.Time != hms(0, 24, 31) {
		t.Errorf("the good row: %+v, %v", res, ok)
	}
	for _, id := range []string{"a", "c", "d"} {
		if res, ok := h.result(id); ok {
			t.Errorf("flagged runner %s got a result: %+v", id, res)
		}
	}

	h = flaggedHarness(t)
	rep, err = h.conv.ApplyResults(ctx, "cli", "r.csv", flaggedFile, flows.ImportOptions{AcceptFlagged: true})
	if err != nil || !rep.Applied || len(rep.New) != 5 {
		t.Fatalf("accepting the flagged rows: %v, %+v", err, rep)
	}
	var kid domain.Result
	err = h.store.View(ctx, func(tx domain.Tx) error {
		var err error
		kid, err = tx.Result("RFA-K1")
		return err
	})
	if err != nil || kid.Time != hms(0, 7, 30) {
		t.Errorf("the 1 km time: %v, %v", kid.Time, err)
	}
	for id, want := range map[string]time.Duration{"a": hms(0, 24, 31), "c": hms(0, 10, 0), "d": hms(0, 24, 40)} {
		if res, ok := h.result(id); !ok || res.Time != want {
			t.Errorf("runner %s: %+v, %v; want %v", id, res, ok, want)
		}
	}
}

// TestImportMapping reads a file whose headers nobody knows through a
// mapping, and the dry run says what to add to the event file.
func TestImportMapping(t *testing.T) {
	h := resultsHarness(t)
	data := []byte("TN-Nr;Runner name;Endtime\n1003;Oliver Smith;0:21:05\n")
	ctx := context.Background()
	rep, err := h.conv.PreviewResults(ctx, "r.csv", data, flows.ImportOptions{})
	if err != nil || rep.FileProblem != "no_bib" || !strings.Contains(strings.Join(rep.File.Headers, "|"), "TN-Nr|Runner name|Endtime") {
		t.Fatalf("without a mapping: %v, %q, headers %q", err, rep.FileProblem, rep.File.Headers)
	}
	m := map[string]string{"bib": "TN-Nr", "time": "Endtime", "name": "Runner name"}
	rep, err = h.conv.PreviewResults(ctx, "r.csv", data, flows.ImportOptions{Map: m})
	if err != nil || rep.FileProblem != "" {
		t.Fatalf("with a mapping: %v, %q", err, rep.FileProblem)
	}
	text := h.conv.ImportReportText("en", rep)
	for _, want := range []string{"Columns used: bib ← “TN-Nr”, name ← “Runner name”, time ← “Endtime”.",
		"add these lines to the event file:\n[results.columns]\nbib = \"TN-Nr\"\nname = \"Runner name\"\ntime = \"Endtime\""} {
		if !strings.Contains(text, want) {
			t.Errorf("dry run lacks %q:\n%s", want, text)
		}
	}
	if rep, err := h.conv.ApplyResults(ctx, "cli", "r.csv", data, flows.ImportOptions{Map: m}); err != nil || !rep.Applied {
		t.Fatalf("apply: %v %+v", err, rep)
	}
	if res, ok := h.result("c"); !ok || res.Time != hms(0, 21, 5) {
		t.Errorf("stored %+v, %v", res, ok)
	}

	// Remembered in the event file, the mapping reads the file sent in
	// the chat, and there is nothing more to remember.
	h = resultsHarnessWith(t, func(ev *event.Config) { ev.Results.Columns = m })
	org := h.user("org", "en")
	org.do([]action{{say: "/start"}})
	r := org.sendFile("r.csv", data)
	if !strings.Contains(r.Text, "Columns used: bib ← “TN-Nr”, name ← “Runner name”, time ← “Endtime”.") || strings.Contains(r.Text, "[results.columns]") {
		t.Errorf("the chat's dry run with the event file's mapping:\n%s", r.Text)
	}
	org.do([]action{{tap: "Apply", want: "Applied: 1 new and 0 changed results."}})
	if res, ok := h.result("c"); !ok || res.Time != hms(0, 21, 5) {
		t.Errorf("stored from the chat %+v, %v", res, ok)
	}
}

// An XLSX sent in the chat is read, not refused.
func TestImportXLSXInChat(t *testing.T) {
	h := resultsHarness(t)
	org := h.user("org", "en")
	org.do([]action{{say: "/start"}})
	r := org.send(dialog.Message{Document: &dialog.Attachment{Name: "results.xlsx",
		MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: xlsxResults(t)}})
	if !strings.Contains(r.Text, "Read as XLSX: sheet “Results”; the column names are in row 3.") {
		t.Fatalf("dry run:\n%s", r.Text)
	}
	org.do([]action{{tap: "Apply", want: "Applied: 4 new and 0 changed results."}})
	if res, ok := h.result("f"); !ok || res.Time != hms(0, 48, 0) {
		t.Errorf("stored %+v, %v", res, ok)
	}
}
