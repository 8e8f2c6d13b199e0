package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// rfabot export --format xlsx --lang kk writes the three files as XLSX
// with Kazakh headers; the phone stays a text with its "+".
func TestExportXLSXFromTheCommandLine(t *testing.T) {
	eventPath := futureEvent(t)
	data := t.TempDir()
	runChat(t, data, eventPath, "1", "1", "Әсел Қайратқызы", "01.02.1995", "1", "8 701 123 45 67",
		"1", "4", "1", "3", "Қайрат Әбенов", "87017654321", "1", "1", "1")
	dir := t.TempDir()
	out, code := rfabot(t, []string{"ADMIN_TOKEN="}, "", "export", "--data", data, "--event", eventPath, "--out", dir, "--format", "xlsx", "--lang", "kk")
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, out)
	}
	for _, kind := range []string{"registrations", "funstarts", "bibs"} {
		f, err := excelize.OpenFile(filepath.Join(dir, kind+".xlsx"))
		if err != nil {
			t.Fatalf("%s.xlsx: %v\n%s", kind, err, out)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s.xlsx: %q %v", kind, rows, err)
		}
		if kind == "registrations" {
			if len(rows) != 2 || rows[0][2] != "Аты-жөні" || rows[1][2] != "Әсел Қайратқызы" || rows[1][5] != "+77011234567" {
				t.Errorf("registrations.xlsx %q", rows)
			}
			if typ, _ := f.GetCellType(f.GetSheetName(0), "F2"); typ == excelize.CellTypeNumber {
				t.Error("the phone is a number")
			}
		}
		f.Close()
	}
	if out, code := rfabot(t, nil, "", "export", "--out", dir, "--format", "pdf"); code == 0 || !strings.Contains(out, "csv or xlsx") {
		t.Errorf("--format pdf: exit %d\n%s", code, out)
	}
}
