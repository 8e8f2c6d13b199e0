package dashboard_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// goodResults is a results file the test participants' bibs make
// right: Әсел (bib 1) finished 10 km.
const goodResults = "Place;Bib;Name;Gun time;Chip time;Status\r\n1;1;Әсел Қайратқызы;0:41:05;0:41:01;\r\n"

// badResults has a finish, a bib nobody has and a bib that is not a
// number, and a column the bot does not read.
const badResults = "Bib,Time,Club\n1,0:41:05,Astana Runners\n99,0:30:00,\nabc,25:13,\n"

var hashField = regexp.MustCompile(`name="file" value="([0-9a-f]{64})"`)

// result is the stored result of registration RFA-<id>; nil when it
// has none.
func (e *env) result(id string) *domain.Result {
	e.t.Helper()
	var res *domain.Result
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		r, err := tx.Result("RFA-" + id)
		if errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		res = &r
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// checkFile uploads a results file and returns its dry run page and
// the hash its Apply form names it by ("" without one).
func (b *browser) checkFile(csrf, name, data string) (response, string) {
	b.e.t.Helper()
	r := b.upload("/admin/results", url.Values{"csrf": {csrf}}, name, []byte(data))
	if r.code != http.StatusSeeOther || r.location != "/admin/results" {
		b.e.t.Fatalf("upload %s: %d %q\n%s", name, r.code, r.location, r.body)
	}
	page := b.get("/admin/results")
	if page.code != http.StatusOK {
		b.e.t.Fatalf("results page: %d", page.code)
	}
	hash := ""
	if m := hashField.FindStringSubmatch(page.body); m != nil {
		hash = m[1]
	}
	return page, hash
}

// Upload, dry run, apply: a file with problems first (nothing applied
// until the organizer skips the bad rows), then a correct one, then
// the same file again; the results, the pushes and the audit log are
// those of the chat's import.
func TestResultsImport(t *testing.T) {
	e := newEnv(t)
	e.add("BEKA", "Бекзат Оспанов", "+77012223344", "5k", domain.StatusPaid, 2)
	e.add("DANA", "Dana Serikova", "+77013334455", "10k", domain.StatusPaid, 3)
	b := e.browser()
	csrf := b.login("Aigul", "en")

	// A file with problems: the report lists them by row, and the only
	// way on is to skip them.
	bad := "Bib;Time;Club\n3;0:45:10;Astana Runners\n99;0:30:00;\nabc;25:13;\n2;;\n"
	page, hash := b.checkFile(csrf, `C:\fakepath\results.csv`, bad)
	for _, want := range []string{
		"Results file: results.csv",
		"Rows: 4. New results: 1, changed: 0, unchanged: 0, with problems: 3.",
		"Columns I do not read: Club.",
		`<td class="n">3</td><td>no participant has bib 99</td>`,
		`<td class="n">4</td><td>bib “abc” is not a number</td>`,
		`<td class="n">5</td><td>no finish time (for DNF, DNS or DQ, say so in the status column)</td>`,
		`<td class="n">2</td><td class="n">3</td><td><a href="/admin/r/RFA-DANA">Dana Serikova</a></td><td>10 km</td><td>0:45:10</td>`,
		"Fix 3 rows and upload the file again, or apply the rest and skip them.",
		`<input type="hidden" name="skip" value="1"><button class="primary">Apply, skip 3 bad rows</button>`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("dry run lacks %q", want)
		}
	}
	if hash == "" || strings.Contains(page.body, `<button class="primary">Apply</button>`) {
		t.Fatalf("a file with problems offers Apply:\n%s", page.body)
	}
	if e.result("DANA") != nil || len(e.audit()) != 0 {
		t.Fatalf("the dry run changed something: %+v, audit %+v", e.result("DANA"), e.audit())
	}
	// Apply without skipping (a form the page does not offer) applies
	// nothing.
	r := b.post("/admin/results/apply", url.Values{"csrf": {csrf}, "file": {hash}})
	if r.code != http.StatusSeeOther || r.location != "/admin/results?problem=dash_problem_import_changed" || e.result("DANA") != nil {
		t.Fatalf("apply a file with problems: %d %q, %+v", r.code, r.location, e.result("DANA"))
	}
	// Another organizer's session cannot apply this one's file.
	other := e.browser()
	otherCSRF := other.login("Bolat", "en")
	r = other.post("/admin/results/apply", url.Values{"csrf": {otherCSRF}, "file": {hash}, "skip": {"1"}})
	if r.location != "/admin/results?problem=dash_problem_upload_gone" || e.result("DANA") != nil {
		t.Fatalf("another session applied the file: %d %q", r.code, r.location)
	}
	if page := other.get("/admin/results"); strings.Contains(page.body, "Dana Serikova") {
		t.Errorf("another session sees the file:\n%s", page.body)
	}
	e.setNow(testNow.Add(time.Minute))
	r = b.post("/admin/results/apply", url.Values{"csrf": {csrf}, "file": {hash}, "skip": {"1"}})
	if r.code != http.StatusSeeOther || r.location != "/admin/results" {
		t.Fatalf("apply, skip bad rows: %d %q", r.code, r.location)
	}
	page = b.get(r.location)
	if !strings.Contains(page.body, "Applied: 1 new and 0 changed results. Participants are being sent 1 results and 0 corrections.") ||
		!strings.Contains(page.body, "3 rows with problems were skipped.") {
		t.Errorf("after apply:\n%s", page.body)
	}
	res := e.result("DANA")
	if res == nil || res.Time != 45*time.Minute+10*time.Second || res.Status != domain.ResultFinished || res.Place != 1 || e.result("BEKA") != nil {
		t.Fatalf("stored %+v, Бекзат %+v", res, e.result("BEKA"))
	}
	if !e.queued("results:RFA-DANA:1") {
		t.Error("Dana is not told her result")
	}
	log := e.audit()
	if len(log) != 1 || log[0].Admin != "dashboard:Aigul" || log[0].Action != "import_results" ||
		!strings.Contains(log[0].Detail, `file="results.csv" rows=4 new=1 changed=0 skipped=3 flagged=0 accepted=0 told=1`) {
		t.Errorf("audit %+v", log)
	}
	// A second press of Apply changes nothing more.
	if r := b.post("/admin/results/apply", url.Values{"csrf": {csrf}, "file": {hash}, "skip": {"1"}}); r.location != "/admin/results" || len(e.audit()) != 1 {
		t.Errorf("apply twice: %q, audit %+v", r.location, e.audit())
	}

	// A correct file: new and changed results, and Apply.
	good := "Bib;Time;Chip\n1;0:41:05;0:41:01\n2;24:30.2;24:20\n3;0:44:50;\n"
	page, hash = b.checkFile(csrf, "final.csv", good)
	for _, want := range []string{
		"Rows: 3. New results: 2, changed: 1, unchanged: 0, with problems: 0.",
		`<td class="n">4</td><td class="n">3</td><td><a href="/admin/r/RFA-DANA">Dana Serikova</a></td><td>0:45:10</td><td><b>0:44:50</b></td>`,
		`<td><a href="/admin/r/RFA-BEKA">Бекзат Оспанов</a></td><td>5 km</td><td>0:24:31</td><td>0:24:20</td>`,
		"Apply? Finishers get their results right away",
		`<button class="primary">Apply</button>`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("dry run of a correct file lacks %q", want)
		}
	}
	if r := b.post("/admin/results/apply", url.Values{"csrf": {csrf}, "file": {hash}}); r.location != "/admin/results" {
		t.Fatalf("apply: %d %q", r.code, r.location)
	}
	if res := e.result("DANA"); res.Time != 44*time.Minute+50*time.Second || res.Version != 2 || !e.queued("results:RFA-DANA:2") {
		t.Errorf("Dana's correction: %+v", res)
	}
	if res := e.result("ASEL"); res == nil || res.Chip != 41*time.Minute+time.Second || !e.queued("results:RFA-ASEL:1") {
		t.Errorf("Әсел: %+v", res)
	}
	if page := b.get("/admin/results"); !strings.Contains(page.body, "Applied: 2 new and 1 changed results. Participants are being sent 2 results and 1 corrections.") {
		t.Errorf("after the second apply:\n%s", page.body)
	}
	// The same file again says when it was applied, and offers no Apply.
	page, hash = b.checkFile(csrf, "final.csv", good)
	if hash != "" || !strings.Contains(page.body, "This very file was applied on") || !strings.Contains(page.body, "by dashboard:Aigul") {
		t.Errorf("the same file again:\n%s", page.body)
	}
	if len(e.audit()) != 2 {
		t.Errorf("audit %+v", e.audit())
	}
}

// Discard, a file replaced by another, a file too big, no file, not a
// CSV: explained, and nothing applied.
func TestResultsImportRefusals(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	csrf := b.login("Aigul", "en")
	_, first := b.checkFile(csrf, "results.csv", goodResults)
	if first == "" {
		t.Fatal("no Apply for a correct file")
	}
	// Another file replaces the first: a page still open on the first
	// cannot apply the second.
	_, second := b.checkFile(csrf, "results2.csv", goodResults+"\r\n")
	if r := b.post("/admin/results/apply", url.Values{"csrf": {csrf}, "file": {first}}); r.location != "/admin/results?problem=dash_problem_upload_gone" {
		t.Errorf("apply a replaced file: %d %q", r.code, r.location)
	}
	r := b.post("/admin/results/discard", url.Values{"csrf": {csrf}})
	if r.location != "/admin/results?done=dash_done_import_discard" {
		t.Errorf("discard: %d %q", r.code, r.location)
	}
	page := b.get(r.location)
	if !strings.Contains(page.body, "The file is discarded; nothing changed.") || strings.Contains(page.body, "results2.csv") ||
		!strings.Contains(page.body, "Upload the results file") {
		t.Errorf("after discard:\n%s", page.body)
	}
	if r := b.post("/admin/results/apply", url.Values{"csrf": {csrf}, "file": {second}}); r.location != "/admin/results?problem=dash_problem_upload_gone" {
		t.Errorf("apply a discarded file: %d %q", r.code, r.location)
	}
	if page := b.get("/admin/results?problem=dash_problem_upload_gone"); !strings.Contains(page.body, "That file is no longer waiting") {
		t.Errorf("gone:\n%s", page.body)
	}
	// A file left for over an hour is gone too.
	_, hash := b.checkFile(csrf, "results.csv", goodResults)
	e.setNow(testNow.Add(61 * time.Minute))
	if r := b.post("/admin/results/apply", url.Values{"csrf": {csrf}, "file": {hash}}); r.location != "/admin/results?problem=dash_problem_upload_gone" {
		t.Errorf("apply an old file: %d %q", r.code, r.location)
	}
	// Too big, no file, a spreadsheet.
	big := strings.Repeat("x", flows.MaxAttachment+1)
	if r := b.upload("/admin/results", url.Values{"csrf": {csrf}}, "results.csv", []byte(big)); r.code != http.StatusRequestEntityTooLarge ||
		!strings.Contains(r.body, "The file is too large for a results file.") {
		t.Errorf("a file too big: %d\n%s", r.code, r.body)
	}
	if r := b.upload("/admin/results", url.Values{"csrf": {csrf}}, "", nil); r.code != http.StatusBadRequest || !strings.Contains(r.body, "Choose a file first.") {
		t.Errorf("no file: %d\n%s", r.code, r.body)
	}
	if r := b.post("/admin/results", url.Values{"csrf": {csrf}}); r.code != http.StatusBadRequest {
		t.Errorf("not multipart: %d", r.code)
	}
	page, hash = b.checkFile(csrf, "results.xlsx", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
	if hash != "" || !strings.Contains(page.body, "This is not a results file I can read.") {
		t.Errorf("a spreadsheet:\n%s", page.body)
	}
	if r := b.post("/admin/results/remove", url.Values{"csrf": {csrf}}); r.code != http.StatusNotFound {
		t.Errorf("unknown action: %d", r.code)
	}
	if e.result("ASEL") != nil || len(e.audit()) != 0 {
		t.Errorf("something was applied: %+v, audit %+v", e.result("ASEL"), e.audit())
	}
	// Logging out drops the file.
	_, hash = b.checkFile(csrf, "results.csv", goodResults)
	b.post("/admin/logout", url.Values{"csrf": {csrf}})
	b.login("Aigul", "en")
	if page := b.get("/admin/results"); strings.Contains(page.body, hash) {
		t.Errorf("the file outlived the session:\n%s", page.body)
	}
}

// A file whose headers the bot does not know: the organizer picks the
// columns from the file's own headers, the page says what to add to
// the event file, lists the flagged rows with why, and applies them
// only with the button that accepts them.
func TestResultsImportColumnsAndFlags(t *testing.T) {
	e := newEnv(t)
	e.add("BEKA", "Бекзат Оспанов", "+77012223344", "5k", domain.StatusPaid, 2)
	e.add("DANA", "Dana Serikova", "+77013334455", "10k", domain.StatusPaid, 3)
	b := e.browser()
	csrf := b.login("Aigul", "en")
	file := "TN-Nr;Läufer;Endzeit\n1;Әсел Қайратқызы;0:41:05\n3;Anna Berg;0:45:10\n2;Бекзат Оспанов;0:05:00\n"
	page, _ := b.checkFile(csrf, "results.csv", file)
	hash := fileHashOf(file)
	for _, want := range []string{"I could not find the bib column.", `<form method="post" action="/admin/results/map" class="card stack" id="columns">`,
		`<select name="map_bib" id="map_bib">`, `<option value="TN-Nr">TN-Nr</option>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page without a bib lacks %q:\n%s", want, page.body)
		}
	}
	r := b.post("/admin/results/map", url.Values{"csrf": {csrf}, "file": {hash}, "map_bib": {"TN-Nr"}, "map_time": {"Endzeit"}, "map_name": {"Läufer"}})
	if r.code != http.StatusSeeOther || r.location != "/admin/results" {
		t.Fatalf("map: %d %q", r.code, r.location)
	}
	page = b.get("/admin/results")
	for _, want := range []string{
		"Columns used: bib ← “TN-Nr”, name ← “Läufer”, time ← “Endzeit”.",
		"[results.columns]\nbib = &#34;TN-Nr&#34;\nname = &#34;Läufer&#34;\ntime = &#34;Endzeit&#34;",
		`<option value="TN-Nr" selected>TN-Nr</option>`,
		"2 rows need a look: see below.",
		`<td class="n">3</td><td class="n">3</td><td><a href="/admin/r/RFA-DANA">Dana Serikova</a></td><td>Anna Berg</td><td><b>0:45:10</b></td><td class="n"></td><td><div>⚠ the file names someone else: Anna Berg</div></td>`,
		`<div>⚠ implausible time for the distance: 1:00 per km</div>`,
		`<button class="primary">Apply, skip 2 bad rows</button>`,
		`<button class="secondary">Apply, with 2 flagged rows</button>`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page with the columns lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatal(page.body)
	}
	r = b.post("/admin/results/apply", url.Values{"csrf": {csrf}, "file": {hash}, "accept": {"1"}})
	if r.code != http.StatusSeeOther || r.location != "/admin/results" {
		t.Fatalf("apply with the flagged rows: %d %q", r.code, r.location)
	}
	for id, want := range map[string]time.Duration{"ASEL": 41*time.Minute + 5*time.Second, "DANA": 45*time.Minute + 10*time.Second, "BEKA": 5 * time.Minute} {
		if res := e.result(id); res == nil || res.Time != want {
			t.Errorf("%s: %+v, want %v", id, res, want)
		}
	}
	if log := e.audit(); len(log) != 1 || !strings.Contains(log[0].Detail, "flagged=2 accepted=2") {
		t.Errorf("audit %+v", log)
	}
}

// An XLSX workbook is read as a CSV is.
func TestResultsImportXLSX(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	csrf := b.login("Aigul", "en")
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Bib", "Name", "Gun Time"})
	x.SetSheetRow("Sheet1", "A2", &[]any{1, "Әсел Қайратқызы", 2465.0 / 86400})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	page, hash := b.checkFile(csrf, "results.xlsx", buf.String())
	if !strings.Contains(page.body, "Read as XLSX: sheet “Sheet1”; the column names are in row 1.") || hash == "" {
		t.Fatalf("the workbook:\n%s", page.body)
	}
	if r := b.post("/admin/results/apply", url.Values{"csrf": {csrf}, "file": {hash}}); r.location != "/admin/results" {
		t.Fatalf("apply: %d %q", r.code, r.location)
	}
	if res := e.result("ASEL"); res == nil || res.Time != 41*time.Minute+5*time.Second {
		t.Errorf("stored %+v", res)
	}
}

func fileHashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
