package dashboard_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDownloadsXLSX: the overview links every export as XLSX and CSV;
// the XLSX file has the headers in the session's language, or, for a
// script with the token, in the ?lang asked for, and keeps the phone a
// text.
func TestDownloadsXLSX(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("Aigul", "ru")
	page := b.get("/admin/")
	for _, kind := range []string{"registrations", "funstarts", "bibs"} {
		for _, ext := range []string{".xlsx", ".csv"} {
			if !strings.Contains(page.body, `href="/admin/export/`+kind+ext+`"`) {
				t.Errorf("overview has no link to %s%s", kind, ext)
			}
		}
	}
	r := b.get("/admin/export/registrations.xlsx")
	if r.code != http.StatusOK || r.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.Contains(r.header.Get("Content-Disposition"), `attachment; filename="registrations-`) ||
		!strings.Contains(r.header.Get("Content-Disposition"), `.xlsx"`) {
		t.Fatalf("registrations.xlsx: %d %v", r.code, r.header)
	}
	rows := sheetRows(t, r.body)
	if rows[0][2] != "ФИО" || rows[0][5] != "Телефон" || !strings.Contains(joinRows(rows), "Әсел Қайратқызы") {
		t.Errorf("registrations.xlsx in Russian: %q", rows)
	}

	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/admin/export/bibs.xlsx?lang=kk", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	r = e.browser().do(req)
	if r.code != http.StatusOK {
		t.Fatalf("bibs.xlsx with the token: %d %s", r.code, r.body)
	}
	if rows := sheetRows(t, r.body); strings.Join(rows[0], "|") != "Нөмір|Аты-жөні|Жынысы|Туған жылы|Қашықтық" {
		t.Errorf("bibs.xlsx in Kazakh: %q", rows)
	}
	for _, bad := range []string{"registrations.xls", "registrations", "registrations.pdf"} {
		if r := b.get("/admin/export/" + bad); r.code != http.StatusNotFound {
			t.Errorf("%s: %d", bad, r.code)
		}
	}
}

func sheetRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("not an XLSX file: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) == 0 {
		t.Fatalf("rows %q, %v", rows, err)
	}
	return rows
}

func joinRows(rows [][]string) string {
	var s []string
	for _, r := range rows {
		s = append(s, strings.Join(r, "|"))
	}
	return strings.Join(s, "\n")
}
