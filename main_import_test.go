package main

import (
	"strings"
	"testing"
)

// TestImportResultsHelp: import-results --help names the formats, the
// mapping and the flags.
func TestImportResultsHelp(t *testing.T) {
	out, code := rfabot(t, nil, "", "import-results", "--help")
	if code != 0 {
		t.Fatalf("import-results --help: exit %d", code)
	}
	for _, want := range []string{"--map", "--accept-flagged", "--skip-bad", "XLSX", "UTF-16", "Windows-1251/1252", "Stnr", "[results.columns]", "[results.pace]"} {
		if !strings.Contains(out, want) {
			t.Errorf("import-results --help lacks %q:\n%s", want, out)
		}
	}
}
