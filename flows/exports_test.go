package flows_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/formats/export"
)

// kazakhRunner registers Әсел in Kazakh and pays: bib 1.
func kazakhRunner(h *harness) domain.Registration {
	kk := h.user("kk", "kk")
	kk.do([]action{{say: "/start"}})
	for _, m := range []dialog.Message{
		{Payload: "m:reg"}, {Text: "Әсел Қайратқызы"}, {Text: "01.02.1995"}, {Payload: "g:female"}, {Text: "87011234567"},
		{Payload: "mode:inperson"}, {Payload: "d:10k"}, {Payload: "cat:general"}, {Payload: "size:M"},
		{Text: "Қайрат Әбенов"}, {Text: "87017654321"}, {Payload: "agree"}, {Payload: "reg:ok"},
	} {
		kk.send(m)
	}
	r := kk.registrations()[0]
	h.pay(r.Order, "paid")
	return kk.registrations()[0]
}

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("excelize cannot open the export: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestExportXLSX opens the registrations and the bib list as XLSX with
// excelize: headers in the organizer's language, the phone as text
// with its "+", the Kazakh name intact, the date of birth and the
// moment of payment as dates, the fee as a number, the bib as text.
func TestExportXLSX(t *testing.T) {
	h, org, _ := organizers(t, nil)
	r := kazakhRunner(h)
	for lang, want := range map[string][2]string{
		"kk": {"Тіркеулер", "Аты-жөні"}, "ru": {"Регистрации", "ФИО"}, "en": {"Registrations", "Name"},
	} {
		var b bytes.Buffer
		if err := h.conv.Export(context.Background(), "cli", flows.ExportFile{Kind: flows.ExportRegistrations, Format: export.XLSX, Lang: lang}, &b); err != nil {
			t.Fatal(err)
		}
		f := openXLSX(t, b.Bytes())
		sheet := f.GetSheetName(0)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if sheet != want[0] || rows[0][2] != want[1] {
			t.Errorf("%s: sheet %q, header %q", lang, sheet, rows[0])
		}
		if lang != "kk" {
			continue
		}
		row := 0
		for i, cells := range rows {
			if cells[0] == r.Code {
				row = i + 1
			}
		}
		cell := func(col int) string {
			ref, _ := excelize.CoordinatesToCellName(col, row)
			return ref
		}
		for col, want := range map[int]string{3: "Әсел Қайратқызы", 6: "+77011234567", 13: "+77017654321", 21: "1"} {
			v, _ := f.GetCellValue(sheet, cell(col), excelize.Options{RawCellValue: true})
			typ, _ := f.GetCellType(sheet, cell(col))
			if v != want || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
				t.Errorf("%s = %q (type %v), want the text %q", cell(col), v, typ, want)
			}
		}
		for col, want := range map[int]time.Time{
			4:  time.Date(1995, 2, 1, 0, 0, 0, 0, time.UTC),
			24: time.Date(2027, 1, 15, 15, 0, 0, 0, time.UTC), // 10:00 UTC is 15:00 in Almaty
		} {
			v, _ := f.GetCellValue(sheet, cell(col), excelize.Options{RawCellValue: true})
			serial, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Errorf("%s = %q: not a date", cell(col), v)
				continue
			}
			if got, err := excelize.ExcelDateToTime(serial, false); err != nil || !got.Round(time.Second).Equal(want) {
				t.Errorf("%s = %v, want %v", cell(col), got, want)
			}
		}
		if v, _ := f.GetCellValue(sheet, cell(15), excelize.Options{RawCellValue: true}); v != "9990" {
			t.Errorf("fee %q", v)
		}
	}

	// /export bibs xlsx in the chat: the file in the organizer's language.
	replies := org.handleAll("/export bibs xlsx")
	d := replies[0].Document
	if d == nil || d.Name != "bibs-2027-01-15-1500.xlsx" || d.MIME != export.XLSX.MIME() {
		t.Fatalf("/export bibs xlsx: %+v", replies)
	}
	f := openXLSX(t, d.Data)
	rows, _ := f.GetRows("Bibs")
	if len(rows) != 2 || strings.Join(rows[0], "|") != "Bib|Name|Gender|Year of birth|Distance" || rows[1][1] != "Әсел Қайратқызы" {
		t.Errorf("bibs.xlsx %q", rows)
	}
	org.do([]action{{say: "/export xlsx csv pdf", want: "add xlsx for an Excel file"}})
}

// TestExportCSVGivesBackNames writes names that the name rules refuse
// today (quotes, a comma, a leading hyphen) straight into storage, as
// an older version of the bot could have kept them, and reads both the
// registrations and the bib list back with encoding/csv: every name
// comes back exactly, with no apostrophe in front.
func TestExportCSVGivesBackNames(t *testing.T) {
	h, _, _ := organizers(t, nil)
	names := []string{`Anna "Annie" Lee`, "Lee, Anna", "-Anna Lee", "Әлия Ғабитқызы"}
	err := h.store.Update(context.Background(), func(tx domain.Tx) error {
		for i, name := range names {
			r := domain.Registration{Code: "RFA-OLD" + strconv.Itoa(i), UserKey: "test:old" + strconv.Itoa(i), Name: name,
				Status: domain.StatusPaid, Distance: "5k", Bib: 900 + i, Phone: "+77011234567", CreatedAt: testNow}
			if err := tx.PutRegistration(&r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{flows.ExportRegistrations, flows.ExportBibs} {
		var b bytes.Buffer
		if err := h.conv.Export(context.Background(), "cli", flows.ExportFile{Kind: kind}, &b); err != nil {
			t.Fatal(err)
		}
		got := column(readCSV(t, b.Bytes()), "name")
		for _, name := range names {
			if !contains(got, name) {
				t.Errorf("%s.csv: %q not given back exactly: %q", kind, name, got)
			}
		}
		if phones := column(readCSV(t, b.Bytes()), "phone"); kind == flows.ExportRegistrations && !contains(phones, "+77011234567") {
			t.Errorf("phones %q", phones)
		}
	}
}

// TestNameRulesRefuseFormulaStarts: a name never needs a guard in an
// export, because none can start with = + @ - or an apostrophe, in any
// language. A text the bot takes for something else than a name is
// confirmed as a name first, then refused by the name's rules.
func TestNameRulesRefuseFormulaStarts(t *testing.T) {
	refusal := map[string]string{"=": "name_letters", "+": "name_letters", "@": "name_link", "-": "name_marks", "'": "name_marks"}
	h := newHarness(t, nil)
	n := 0
	for _, lang := range []string{"kk", "ru", "en"} {
		for mark, id := range refusal {
			n++
			u := h.user("n"+strconv.Itoa(n), lang)
			u.do([]action{{say: "/start"}})
			u.send(dialog.Message{Payload: "m:reg"})
			r := u.say(mark + "Anna Lee")
			if strings.HasPrefix(r.Text, h.cat.T(lang, "support_check_name", nil)) {
				u.do([]action{{tap: h.cat.T(lang, "support_check_name_yes", nil)}})
				r = u.say(mark + "Anna Lee")
			}
			if want := h.cat.T(lang, id, nil); !strings.Contains(r.Text, want) || u.state().Session.Step != flows.StepRegName {
				t.Errorf("%s: %q answered %q on step %q, want %q", lang, mark+"Anna Lee", r.Text, u.state().Session.Step, want)
			}
		}
	}
}
