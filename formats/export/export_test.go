package export_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/runforautism/rfabot/formats/export"
)

var almaty = time.FixedZone("Asia/Almaty", 5*3600)

// table is a registrations-like table with a Kazakh name, a phone, a
// bib with a leading zero, a date, a moment and money.
func table() export.Table {
	return export.Table{
		Sheet: "Тіркелулер",
		Columns: []export.Column{
			{"name", "Аты-жөні"}, {"phone", "Телефон"}, {"bib", "Нөмір"}, {"birth_date", "Туған күні"},
			{"paid_at", "Төленген уақыты"}, {"fee", "Жарна"}, {"km", "Шақырым"}, {"notes", "Ескертпе"},
		},
		Rows: [][]export.Cell{
			{export.Exact("Әлия Ғабитқызы"), export.Exact("+77011234567"), export.Exact("007"),
				export.Date(time.Date(2012, 4, 3, 0, 0, 0, 0, time.UTC)), export.DateTime(time.Date(2027, 4, 1, 9, 30, 0, 0, almaty)),
				export.Money(15000), export.Number(21.0975), export.Text("=HYPERLINK(\"x\")")},
			{export.Exact("Ivan Petrov"), {}, {}, {}, {}, export.Money(0), {}, {}},
		},
	}
}

func xlsx(t *testing.T, tb export.Table) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := export.WriteXLSX(&b, tb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatalf("excelize cannot open the export: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestXLSXKeepsTypes opens the workbook with excelize: the phone keeps
// its "+" and the bib its zero as text, the Kazakh letters are intact,
// the dates are dates in the event's wall-clock time, money is a
// number, the formula-like note is text and no formula, and the header
// row is frozen.
func TestXLSXKeepsTypes(t *testing.T) {
	f := xlsx(t, table())
	const sheet = "Тіркелулер"
	if got := f.GetSheetList(); !slices.Equal(got, []string{sheet}) {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Аты-жөні" || rows[0][4] != "Төленген уақыты" {
		t.Errorf("header %q", rows[0])
	}
	text := map[string]string{"A2": "Әлия Ғабитқызы", "B2": "+77011234567", "C2": "007", "H2": `=HYPERLINK("x")`}
	for ref, want := range text {
		v, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		typ, _ := f.GetCellType(sheet, ref)
		if v != want || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
			t.Errorf("%s = %q (type %v), want the text %q", ref, v, typ, want)
		}
		if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
			t.Errorf("%s has the formula %q", ref, formula)
		}
	}
	dates := map[string]struct {
		want   time.Time
		format string
	}{
		"D2": {time.Date(2012, 4, 3, 0, 0, 0, 0, time.UTC), "yyyy-mm-dd"},
		"E2": {time.Date(2027, 4, 1, 9, 30, 0, 0, time.UTC), "yyyy-mm-dd hh:mm"},
	}
	for ref, want := range dates {
		v, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		serial, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Errorf("%s = %q: not a date serial", ref, v)
			continue
		}
		got, err := excelize.ExcelDateToTime(serial, false)
		if err != nil || !got.Round(time.Second).Equal(want.want) {
			t.Errorf("%s = %v (%v), want %v", ref, got, err, want.want)
		}
		if got := numFmt(t, f, sheet, ref); got != want.format {
			t.Errorf("%s has the number format %q, want %q", ref, got, want.format)
		}
	}
	if v, _ := f.GetCellValue(sheet, "E2"); v != "2027-04-01 09:30" {
		t.Errorf("E2 shows %q", v)
	}
	for ref, want := range map[string]string{"F2": "15000", "G2": "21.0975", "F3": "0"} {
		v, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if typ, _ := f.GetCellType(sheet, ref); v != want || typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s = %q (type %v), want the number %s", ref, v, typ, want)
		}
	}
	if got := numFmt(t, f, sheet, "F2"); got != "#,##0" {
		t.Errorf("money's number format %q", got)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, %v: want the header row frozen", panes, err)
	}
}

func numFmt(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil || st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

// TestCSVGivesBackExactText reads the CSV with encoding/csv: the BOM
// first, the IDs as the header, exact cells exactly (quotes, commas, a
// leading hyphen), free text that starts like a formula guarded, and
// phone numbers and negative numbers never guarded.
func TestCSVGivesBackExactText(t *testing.T) {
	names := []string{`Anna "Annie" Lee`, "Lee, Anna", "-Anna Lee", "'Dana Abenova", "Әлия Ғабитқызы"}
	tb := export.Table{Columns: []export.Column{{"name", "Name"}, {"note", "Note"}}}
	notes := []string{"=1+1", "+77011234567", "-5", "@SUM(A1)", "- needs a quiet corner"}
	for i, n := range names {
		tb.Rows = append(tb.Rows, []export.Cell{export.Exact(n), export.Text(notes[i])})
	}
	var b bytes.Buffer
	if err := export.WriteCSV(&b, tb); err != nil {
		t.Fatal(err)
	}
	body, ok := strings.CutPrefix(b.String(), "\uFEFF")
	if !ok {
		t.Fatal("no byte-order mark")
	}
	if !strings.Contains(body, "\r\n") {
		t.Error("no CRLF line ends")
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], []string{"name", "note"}) {
		t.Errorf("header %q", rows[0])
	}
	wantNotes := []string{"'=1+1", "+77011234567", "-5", "'@SUM(A1)", "'- needs a quiet corner"}
	for i, row := range rows[1:] {
		if row[0] != names[i] {
			t.Errorf("name %q came back as %q", names[i], row[0])
		}
		if row[1] != wantNotes[i] {
			t.Errorf("note %q written as %q, want %q", notes[i], row[1], wantNotes[i])
		}
	}
}

// TestCSVFormatsTypedCells checks how numbers, money, dates and empty
// cells read in a CSV.
func TestCSVFormatsTypedCells(t *testing.T) {
	var b bytes.Buffer
	if err := export.WriteCSV(&b, table()); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"name", "phone", "bib", "birth_date", "paid_at", "fee", "km", "notes"},
		{"Әлия Ғабитқызы", "+77011234567", "007", "2012-04-03", "2027-04-01 09:30", "15000", "21.0975", `'=HYPERLINK("x")`},
		{"Ivan Petrov", "", "", "", "", "0", "", ""},
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]export.Format{"": export.CSV, "csv": export.CSV, " XLSX ": export.XLSX} {
		if got, err := export.ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := export.ParseFormat("xls"); err == nil {
		t.Error("xls accepted")
	}
}
