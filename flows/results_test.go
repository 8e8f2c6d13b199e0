package flows_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/formats/results"
)

// afterRace is race day afternoon in Astana, when results come in.
var afterRace = time.Date(2027, 4, 3, 15, 0, 0, 0, time.FixedZone("Astana", 5*3600))

// runner is a paid participant seeded for the results tests.
type runner struct {
	id, lang, name, gender, birth, distance string
	bib                                     int
	status                                  domain.Status
}

var runners = []runner{
	{"a", "ru", "Айгерим Нурланова", "female", "1990-05-01", "5k", 1001, domain.StatusPaid},
	{"b", "kk", "Әсел Қайратқызы", "female", "1996-02-10", "5k", 1002, domain.StatusPaid},
	{"c", "en", "Oliver Smith", "male", "1980-01-01", "5k", 1003, domain.StatusPaid},
	{"d", "ru", "Данияр Ахметов", "male", "1999-07-07", "5k", 1004, domain.StatusPaid},
	{"e", "en", "Alex Kim", "unspecified", "1985-03-03", "5k", 1005, domain.StatusPaid},
	{"f", "ru", "Марат Ержанов", "male", "1975-06-06", "10k", 5, domain.StatusPaid},
	{"g", "en", "Refunded Runner", "male", "1988-08-08", "5k", 1006, domain.StatusRefunded},
}

// resultsHarness is the bot after the race: the runners above paid (one
// refunded), and an organizer test:org.
func resultsHarness(t *testing.T) *harness {
	t.Helper()
	return resultsHarnessWith(t, nil)
}

// resultsHarnessWith is resultsHarness with the event file edited.
func resultsHarnessWith(t *testing.T, edit func(*event.Config)) *harness {
	t.Helper()
	h := newHarnessWith(t, edit, func(h *harness) { h.admins = []string{"test:org"} })
	for i, r := range runners {
		h.participant(r.id, r.lang, domain.Registration{Code: fmt.Sprintf("RFA-R%03d", i), Name: r.name, Gender: r.gender,
			Birth: r.birth, Distance: r.distance, Bib: r.bib, Status: r.status}, nil)
	}
	h.setNow(afterRace)
	return h
}

func code(id string) string {
	for i, r := range runners {
		if r.id == id {
			return fmt.Sprintf("RFA-R%03d", i)
		}
	}
	panic("no runner " + id)
}

func (h *harness) result(id string) (domain.Result, bool) {
	h.t.Helper()
	var res domain.Result
	err := h.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		res, err = tx.Result(code(id))
		return err
	})
	if errors.Is(err, domain.ErrNotFound) {
		return res, false
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return res, true
}

// sendFile sends a document as the user.
func (u *user) sendFile(name string, data []byte) dialog.Reply {
	u.h.t.Helper()
	return u.send(dialog.Message{Document: &dialog.Attachment{Name: name, MIME: "text/csv", Data: data}})
}

// The same results, as timing companies and spreadsheets write them:
// Oliver first; Айгерим's 24:30.2 rounds up to 24:31 and ties with Әсел;
// Alex did not finish. The names are only for people reading the file.
var resultFiles = []struct {
	name string
	data []byte
	// ignored are the columns the bot does not read, "" for none.
	ignored string
}{
	{"comma, English headers", []byte("Place,Bib,Name,Gun Time,Chip Time,Status\n" +
		"1,1003,Oliver Smith,0:21:05,0:21:01,\n" +
		"2,1001,Айгерим Нурланова,0:24:30.2,0:24:20,\n" +
		"2,1002,Әсел Қайратқызы,0:24:31,0:24:29,\n" +
		"4,1004,Данияр Ахметов,0:24:40,0:24:38,\n" +
		",1005,Alex Kim,,,DNF\n" +
		"1,5,Марат Ержанов,0:40:00,,\n"), ""},
	{"semicolon, BOM, Russian headers, Excel", []byte("\ufeffМесто;Номер;Фамилия, имя;Время финиша;Чистое время;Статус\r\n" +
		"1;1003;Oliver Smith;21:05;21:01;\r\n" +
		"2;1001;Айгерим Нурланова;24:30,2;24:20;\r\n" +
		"2;1002;Әсел Қайратқызы;24:31;24:29;\r\n" +
		"4;1004;Данияр Ахметов;24:40;24:38;\r\n" +
		";1005;Alex Kim;;;сошёл\r\n" +
		"\r\n" +
		"1;5;\"Ержанов; Марат\";40:00;;\r\n"), ""},
	{"Windows-1251 from Russian Excel", cp1251("№;Стартовый номер;Результат;Чип\r\n" +
		"1;1003;0:21:05;0:21:01\r\n" +
		"2;1001;0:24:30,2;0:24:20\r\n" +
		"3;1002;0:24:31;0:24:29\r\n" +
		"4;1004;0:24:40;0:24:38\r\n" +
		"5;1005;DNF;\r\n" +
		"6;5;0:40:00;\r\n"), "№"},
	{"tab, Kazakh headers", []byte("Нөмір\tАты-жөні\tУақыт\tЧип уақыты\tМәртебе\n" +
		"1003\tOliver Smith\t0:21:05\t0:21:01\t\n" +
		"1001\tАйгерим Нурланова\t0:24:30.20\t0:24:20\t\n" +
		"1002\tӘсел Қайратқызы\t0:24:31\t0:24:29\t\n" +
		"1004\tДанияр Ахметов\t0:24:40\t0:24:38\t\n" +
		"1005\tAlex Kim\t\t\tмәреге жетпеді\n" +
		"5\tМарат Ержанов\t0:40:00\t\t\n"), ""},
}

func cp1251(s string) []byte {
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// TestImportResults sends the same results in each format as a file in
// the chat, checks the dry run, applies it and checks what was stored
// and what each runner is pushed, in their language.
func TestImportResults(t *testing.T) {
	for _, f := range resultFiles {
		t.Run(f.name, func(t *testing.T) {
			h := resultsHarness(t)
			org := h.user("org", "en")
			org.do([]action{{say: "/start"}})
			r := org.sendFile("results.csv", f.data)
			for _, want := range []string{"Results file: results.csv",
				"Rows: 6. New results: 6, changed: 0, unchanged: 0, with problems: 0.",
				"row 2, bib 1003, Oliver Smith: 0:21:05, new", "Apply? Finishers get their results"} {
				if !strings.Contains(r.Text, want) {
					t.Errorf("dry run lacks %q:\n%s", want, r.Text)
				}
			}
			if ignored := "Columns I do not read: " + f.ignored + "."; f.ignored != "" && !strings.Contains(r.Text, ignored) ||
				f.ignored == "" && strings.Contains(r.Text, "Columns I do not read") {
				t.Errorf("dry run: ignored columns are not %q:\n%s", f.ignored, r.Text)
			}
			if got := labels(r); len(got) != 2 || got[0] != "Apply" || got[1] != "Cancel" {
				t.Fatalf("dry run buttons %v, want Apply and Cancel", got)
			}
			if _, ok := h.result("a"); ok {
				t.Fatal("the dry run applied something")
			}
			org.do([]action{{tap: "Apply", want: "Applied: 6 new and 0 changed results. Participants are being sent 5 results and 0 corrections.", step: flows.StepMenu}})

			want := map[string]domain.Result{
				"c": {Status: domain.ResultFinished, Time: 21*time.Minute + 5*time.Second, Chip: 21*time.Minute + time.Second, Place: 1, Of: 4, GenderPlace: 1, GenderOf: 2, Group: "40-49", GroupPlace: 1, GroupOf: 1},
				"a": {Status: domain.ResultFinished, Time: 24*time.Minute + 31*time.Second, Chip: 24*time.Minute + 20*time.Second, Place: 2, Of: 4, GenderPlace: 1, GenderOf: 2, Group: "30-39", GroupPlace: 1, GroupOf: 2},
				"b": {Status: domain.ResultFinished, Time: 24*time.Minute + 31*time.Second, Chip: 24*time.Minute + 29*time.Second, Place: 2, Of: 4, GenderPlace: 1, GenderOf: 2, Group: "30-39", GroupPlace: 1, GroupOf: 2},
				"d": {Status: domain.ResultFinished, Time: 24*time.Minute + 40*time.Second, Chip: 24*time.Minute + 38*time.Second, Place: 4, Of: 4, GenderPlace: 2, GenderOf: 2, Group: "18-29", GroupPlace: 1, GroupOf: 1},
				"e": {Status: domain.ResultDNF, Group: "40-49"},
				"f": {Status: domain.ResultFinished, Time: 40 * time.Minute, Place: 1, Of: 1, GenderPlace: 1, GenderOf: 1, Group: "50-59", GroupPlace: 1, GroupOf: 1},
			}
			for id, w := range want {
				got, ok := h.result(id)
				if !ok {
					t.Errorf("%s: no result", id)
					continue
				}
				if got.Status != w.Status || got.Time != w.Time || got.Chip != w.Chip || got.Place != w.Place || got.Of != w.Of ||
					got.GenderPlace != w.GenderPlace || got.GenderOf != w.GenderOf || got.Group != w.Group ||
					got.GroupPlace != w.GroupPlace || got.GroupOf != w.GroupOf || got.Mode != event.InPerson || got.Version != 1 {
					t.Errorf("%s: result %+v, want %+v", id, got, w)
				}
				if wantTold := 1; w.Status != domain.ResultFinished {
					wantTold = 0
					if got.Notified != 0 {
						t.Errorf("%s did not finish and was told", id)
					}
				} else if got.Notified != wantTold || len(got.Token) != 32 {
					t.Errorf("%s: notified %d, token %q", id, got.Notified, got.Token)
				}
			}
			if _, ok := h.result("g"); ok {
				t.Error("the refunded runner got a result")
			}

			tests := []struct {
				id   string
				want []string
				not  string
			}{
				{"a", []string{"🏁 Айгерим Нурланова, поздравляем с финишем Run for Autism!", "5 км: 0:24:31", "Чистое время (по чипу): 0:24:20",
					"Место: 2 из 4", "Среди женщин: 1 из 2", "Возрастная группа 30–39 лет: 1 из 2", "Ваш диплом готов",
					"Диплом (PDF) https://bot.test/diploma/" + code("a") + "/"}, "Among"},
				{"b", []string{"Әсел Қайратқызы, Run for Autism мәресіне жеткеніңізбен құттықтаймыз!", "5 км: 0:24:31",
					"Орын: 2 (4 адамның ішінде)", "Әйелдер арасында: 1 (2 адамның ішінде)", "30–39 жас тобында: 1 (2 адамның ішінде)",
					"Диплом суреті https://bot.test/diploma/" + code("b") + "/"}, "Место"},
				{"c", []string{"Oliver Smith, congratulations", "5 km: 0:21:05", "Chip time: 0:21:01", "Place: 1 of 4", "Among men: 1 of 2", "Age group 40–49: 1 of 1"}, "Among women"},
				{"d", []string{"Место: 4 из 4", "Среди мужчин: 2 из 2", "Возрастная группа 18–29 лет: 1 из 1"}, ""},
				{"f", []string{"10 км: 0:40:00", "Место: 1 из 1"}, "Чистое время"},
			}
			for _, tt := range tests {
				ps := h.pushes(tt.id)
				if len(ps) != 1 || ps[0].Kind != "results" || ps[0].Key != "results:"+code(tt.id)+":1" {
					t.Errorf("%s: pushes %+v, want one results push", tt.id, ps)
					continue
				}
				text := pushTexts(ps)
				for _, w := range tt.want {
					if !strings.Contains(text, w) {
						t.Errorf("%s: push lacks %q:\n%s", tt.id, w, text)
					}
				}
				if tt.not != "" && strings.Contains(text, tt.not) {
					t.Errorf("%s: push has %q:\n%s", tt.id, tt.not, text)
				}
				res, _ := h.result(tt.id)
				if l := ps[0].Reply.Links; len(l) != 2 || !strings.HasSuffix(l[0].URL, "/"+res.Token+".pdf") || !strings.HasSuffix(l[1].URL, "/"+res.Token+".png") {
					t.Errorf("%s: diploma links %+v", tt.id, l)
				}
			}
			if ps := h.pushes("e"); len(ps) != 0 {
				t.Errorf("the runner who did not finish was pushed %s", pushTexts(ps))
			}
			log, err := h.store.AuditLog()
			if err != nil {
				t.Fatal(err)
			}
			if len(log) != 1 || log[0].Action != "import_results" || log[0].Admin != "test:org" ||
				!strings.Contains(log[0].Detail, `file="results.csv" rows=6 new=6 changed=0 skipped=0 flagged=0 accepted=0 told=5`) {
				t.Errorf("audit log %+v", log)
			}
		})
	}
}

// TestImportResultsWithErrors checks a file with problems: each is
// named with its row, nothing is applied unless the organizer skips
// the bad rows, and then only the good rows are.
func TestImportResultsWithErrors(t *testing.T) {
	h := resultsHarness(t)
	org := h.user("org", "en")
	org.do([]action{{say: "/start"}})
	file := []byte("Bib;Time;Status\n" +
		"1001;0:24:31;\n" + // 2: the same bib as row 3
		"1001;0:25:00;\n" + // 3
		"9999;0:30:00;\n" + // 4: nobody has it
		"abc;0:30:00;\n" + // 5
		"1002;;\n" + // 6: finished without a time
		"1003;25 min;\n" + // 7
		"1004;0:24:40;late\n" + // 8
		"1006;0:26:00;\n" + // 9: refunded
		";0:26:00;\n" + // 10
		"1005;;DNS\n" + // 11: fine
		"5;1:75:00;\n") // 12: minutes over 59
	r := org.sendFile("timing.csv", file)
	for _, want := range []string{
		"Rows: 11. New results: 1, changed: 0, unchanged: 0, with problems: 10.",
		"Rows with problems:",
		"row 2: the same bib is in rows 2, 3",
		"row 3: the same bib is in rows 2, 3",
		"row 4: no participant has bib 9999",
		"row 5: bib “abc” is not a number",
		"row 6: no finish time",
		"row 7: time “25 min” is not h:mm:ss or mm:ss",
		"row 8: unknown status “late”",
		"row 9: bib 1006 belongs to a registration that is not paid",
		"row 10: no bib",
		"row 12: time “1:75:00” is not h:mm:ss or mm:ss",
		"Fix 10 rows and send the file again, or apply the rest and skip them.",
	} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("dry run lacks %q:\n%s", want, r.Text)
		}
	}
	if strings.Index(r.Text, "row 2:") > strings.Index(r.Text, "row 12:") {
		t.Errorf("problems not in row order:\n%s", r.Text)
	}
	if got := labels(r); len(got) != 2 || got[0] != "Apply, skip 10 bad rows" || got[1] != "Cancel" {
		t.Fatalf("buttons %v: a file with problems must not offer a plain Apply", got)
	}
	// The report through the API the dashboard uses says the same.
	rep, err := h.conv.PreviewResults(context.Background(), "timing.csv", file, flows.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CanApply(flows.ImportOptions{}) || !rep.CanApply(flows.ImportOptions{SkipBad: true}) || len(rep.Problems) != 10 || len(rep.New) != 1 {
		t.Errorf("preview %+v", rep)
	}
	if rep, err := h.conv.ApplyResults(context.Background(), "cli", "timing.csv", file, flows.ImportOptions{}); err != nil || rep.Applied {
		t.Fatalf("applied without skipping the bad rows: %+v, %v", rep, err)
	}
	if _, ok := h.result("e"); ok {
		t.Fatal("a file with errors was applied")
	}
	org.do([]action{{tap: "Apply, skip", want: "Applied: 1 new and 0 changed results. Participants are being sent 0 results and 0 corrections.\n10 rows with problems were skipped."}})
	if res, ok := h.result("e"); !ok || res.Status != domain.ResultDNS {
		t.Errorf("the good row: %+v, %v", res, ok)
	}
	for _, id := range []string{"a", "b", "c", "d", "f", "g"} {
		if _, ok := h.result(id); ok {
			t.Errorf("%s: a bad row was applied", id)
		}
	}
	log, _ := h.store.AuditLog()
	if len(log) != 1 || !strings.Contains(log[0].Detail, "new=1 changed=0 skipped=10") {
		t.Errorf("audit log %+v", log)
	}
}

// TestReimportAndCorrections applies a file, sends it again, then a
// corrected one: the same file changes nothing; a corrected time gets a
// short correction, a result that becomes a finish the full message,
// and results whose place moved only because of others get nothing.
func TestReimportAndCorrections(t *testing.T) {
	h := resultsHarness(t)
	org := h.user("org", "en")
	org.do([]action{{say: "/start"}})
	first := resultFiles[0].data
	org.sendFile("results.csv", first)
	org.do([]action{{tap: "Apply", step: flows.StepMenu}})
	pushed := func() int {
		n := 0
		for _, r := range runners {
			n += len(h.pushes(r.id))
		}
		return n
	}
	if n := pushed(); n != 5 {
		t.Fatalf("%d pushes after the first import, want 5", n)
	}

	// The very same file, in the chat and through the API.
	r := org.sendFile("results (1).csv", first)
	if !strings.Contains(r.Text, "This very file was applied on 3 April 2027, 15:00 by test:org. Applying it again would change nothing.") {
		t.Errorf("second send:\n%s", r.Text)
	}
	if got := labels(r); len(got) != 1 || got[0] != "Cancel" {
		t.Errorf("buttons %v, want only Cancel", got)
	}
	org.do([]action{{tap: "Cancel", want: "Import cancelled; nothing was changed.", step: flows.StepMenu}})
	rep, err := h.conv.ApplyResults(context.Background(), "cli", "results.csv", first, flows.ImportOptions{SkipBad: true})
	if err != nil || rep.Applied || rep.Previous == nil {
		t.Fatalf("re-applied the same file: %+v, %v", rep, err)
	}
	if n := pushed(); n != 5 {
		t.Fatalf("%d pushes after the same file again, want 5", n)
	}

	// The timing company corrects Данияр's time (which moves Айгерим and
	// Әсел down a place) and finds Alex's finish.
	corrected := strings.NewReplacer("0:24:40,0:24:38", "0:24:20,0:24:18", ",1005,Alex Kim,,,DNF", ",1005,Alex Kim,0:30:00,0:29:50,").Replace(string(first))
	r = org.sendFile("results-v2.csv", []byte(corrected))
	for _, want := range []string{"New results: 0, changed: 2, unchanged: 4, with problems: 0.",
		"row 5, bib 1004, Данияр Ахметов: 0:24:40 → 0:24:20", "row 6, bib 1005, Alex Kim: did not finish → 0:30:00"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("corrected dry run lacks %q:\n%s", want, r.Text)
		}
	}
	org.do([]action{{tap: "Apply", want: "Applied: 0 new and 2 changed results. Participants are being sent 1 results and 1 corrections."}})
	d := h.pushes("d")
	if len(d) != 2 || d[1].Key != "results:"+code("d")+":2" ||
		!strings.Contains(d[1].Reply.Text, "Исправление результата Run for Autism (Данияр Ахметов, 5 км): 0:24:20, место 2 из 5.") ||
		strings.Contains(d[1].Reply.Text, "поздравляем") {
		t.Errorf("correction to Данияр: %s", pushTexts(d))
	}
	e := h.pushes("e")
	if len(e) != 1 || e[0].Key != "results:"+code("e")+":2" || !strings.Contains(e[0].Reply.Text, "Alex Kim, congratulations") ||
		!strings.Contains(e[0].Reply.Text, "Place: 5 of 5") || strings.Contains(e[0].Reply.Text, "Among") {
		t.Errorf("Alex's first result (no gender given, so no gender place): %s", pushTexts(e))
	}
	if res, _ := h.result("a"); res.Place != 3 || res.Of != 5 || len(h.pushes("a")) != 1 {
		t.Errorf("Айгерим: place %d of %d, %d pushes; want 3 of 5 and no new push", res.Place, res.Of, len(h.pushes("a")))
	}
	if n := pushed(); n != 7 {
		t.Errorf("%d pushes, want 7", n)
	}

	// The same content saved again with other line endings: a new file,
	// but nothing in it changes.
	r = org.sendFile("results-v2-copy.csv", []byte(strings.ReplaceAll(corrected, "\n", "\r\n")))
	if !strings.Contains(r.Text, "Nothing to apply: the file changes no result.") || len(labels(r)) != 1 {
		t.Errorf("unchanged file:\n%s\n%v", r.Text, labels(r))
	}
	org.do([]action{{tap: "Cancel"}})

	// A disqualification after the results went out: a short correction.
	dq := strings.Replace(corrected, "1,1003,Oliver Smith,0:21:05,0:21:01,", "1,1003,Oliver Smith,,,DQ", 1)
	if rep, err := h.conv.ApplyResults(context.Background(), "cli", "dq.csv", []byte(dq), flows.ImportOptions{}); err != nil || !rep.Applied || rep.Corrections != 1 || rep.Told != 0 {
		t.Fatalf("disqualification: %+v, %v", rep, err)
	}
	c := h.pushes("c")
	if len(c) != 2 || !strings.Contains(c[1].Reply.Text, "Correction to your result at Run for Autism (Oliver Smith, 5 km): disqualified.") ||
		len(c[1].Reply.Links) != 0 {
		t.Errorf("Oliver's correction: %s", pushTexts(c))
	}
	if res, _ := h.result("d"); res.Place != 1 {
		t.Errorf("Данияр is place %d after the disqualification, want 1", res.Place)
	}
	if n := pushed(); n != 8 {
		t.Errorf("%d pushes, want 8", n)
	}
}

// TestImportOnlyForOrganizers: a file from anyone else is not taken,
// nor /import; a spreadsheet or a file over the limit is explained.
func TestImportOnlyForOrganizers(t *testing.T) {
	h := resultsHarness(t)
	a := h.user("a", "ru")
	a.do([]action{{say: "/start"}})
	if r := a.sendFile("results.csv", resultFiles[0].data); !strings.Contains(r.Text, "Здесь я не могу принять файл") {
		t.Errorf("a participant's file: %q", r.Text)
	}
	a.do([]action{{say: "/import", want: "Такой команды я не знаю"}, {say: "/review", want: "Такой команды я не знаю"}})
	if _, ok := h.result("a"); ok {
		t.Fatal("a participant's file was applied")
	}
	org := h.user("org", "en")
	org.do([]action{{say: "/start"}, {say: "/import", want: "Send the results file here as a document"}})
	if r := org.send(dialog.Message{Document: &dialog.Attachment{Name: "Results.ods", Data: []byte("PK\x03\x04")}}); !strings.Contains(r.Text, "save it as XLSX or CSV") {
		t.Errorf("a spreadsheet: %q", r.Text)
	}
	if r := org.send(dialog.Message{Document: &dialog.Attachment{Name: "big.csv"}}); !strings.Contains(r.Text, "I could not take this file: it is over 2 MB or did not come through") {
		t.Errorf("a file over the limit: %q", r.Text)
	}
	if r := org.sendFile("results.csv", []byte("Name,Time\nOliver,0:21:05\n")); !strings.Contains(r.Text, "I could not find the bib column") || len(labels(r)) != 1 {
		t.Errorf("a file without bibs: %q %v", r.Text, labels(r))
	}
	if r := org.send(dialog.Message{Photo: &dialog.Attachment{Data: []byte("\x89PNG\r\n\x1a\n....")}}); !strings.Contains(r.Text, "I can't take a file here") {
		t.Errorf("a photo from the organizer: %q", r.Text)
	}
}

// TestResultsCommand lists the user's own results and the winners by
// distance and gender; before any, it says when they come.
func TestResultsCommand(t *testing.T) {
	h := resultsHarness(t)
	a := h.user("a", "ru")
	a.do([]action{{say: "/start"}, {say: "/results", want: "Результатов пока нет. Они появятся здесь после забега."}})
	if _, err := h.conv.ApplyResults(context.Background(), "cli", "r.csv", resultFiles[0].data, flows.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	r := a.say("/results")
	for _, want := range []string{
		"Ваши результаты:\nАйгерим Нурланова, 5 км: 0:24:31\nМесто: 2 из 4\nСреди женщин: 1 из 2",
		"🏆 Победители Run for Autism",
		"5 км · женщины\n1. Айгерим Нурланова — 0:24:31\n1. Әсел Қайратқызы — 0:24:31",
		"5 км · мужчины\n1. Oliver Smith — 0:21:05\n2. Данияр Ахметов — 0:24:40",
		"10 км · мужчины\n1. Марат Ержанов — 0:40:00",
	} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("/results lacks %q:\n%s", want, r.Text)
		}
	}
	if strings.Index(r.Text, "10 км · мужчины") < strings.Index(r.Text, "5 км · мужчины") {
		t.Errorf("distances not in the event file's order:\n%s", r.Text)
	}
	e := h.user("e", "en")
	e.do([]action{{say: "/start"}, {say: "/results", want: "Your results:\nAlex Kim, 5 km: did not finish"}})
}

// BenchmarkApplyResults imports a whole race: 3,500 finishers in one
// file, saved, ranked and pushed in one transaction.
func BenchmarkApplyResults(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		h, data := raceOf(b, 3500)
		b.StartTimer()
		rep, err := h.conv.ApplyResults(context.Background(), "cli", "results.csv", data, flows.ImportOptions{})
		if err != nil || !rep.Applied || rep.Told != 3500 {
			b.Fatalf("apply: told %d, %v", rep.Told, err)
		}
	}
}

// raceOf is a bot with n paid runners on 5 km and their results file.
func raceOf(b *testing.B, n int) (*harness, []byte) {
	h := newHarness(b, nil)
	h.setNow(afterRace)
	var csv strings.Builder
	csv.WriteString("Bib;Time\n")
	err := h.store.Update(context.Background(), func(tx domain.Tx) error {
		for i := range n {
			u := domain.User{Key: fmt.Sprintf("test:%d", i), Channel: "test", ID: fmt.Sprint(i), Lang: "ru"}
			if err := tx.PutUser(&u); err != nil {
				return err
			}
			r := domain.Registration{Code: fmt.Sprintf("RFA-%04d", i), UserKey: u.Key, Lang: "ru", Name: fmt.Sprintf("Runner %d", i),
				Birth: fmt.Sprintf("%d-01-01", 1950+i%55), Gender: []string{"female", "male", "unspecified"}[i%3],
				Mode: event.InPerson, Distance: "5k", Bib: 1000 + i, Status: domain.StatusPaid}
			if err := tx.AddRegistration(&r, n); err != nil {
				return err
			}
			fmt.Fprintf(&csv, "%d;%s\n", 1000+i, results.FormatTime(18*time.Minute+time.Duration(i)*time.Second))
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return h, []byte(csv.String())
}
