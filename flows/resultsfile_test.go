package flows_test

import (
	"slices"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"

	"github.com/runforautism/rfabot/flows"
)

func TestParseRaceTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0:25:13", 25*time.Minute + 13*time.Second, true},
		{"00:25:13", 25*time.Minute + 13*time.Second, true},
		{"25:13", 25*time.Minute + 13*time.Second, true},
		{"1:02:03", time.Hour + 2*time.Minute + 3*time.Second, true},
		{"75:00", 75 * time.Minute, true},
		{" 0:25:13 ", 25*time.Minute + 13*time.Second, true},
		// A fraction of a second rounds up, as World Athletics rules do
		// for road races; zeros are no fraction.
		{"0:25:13.1", 25*time.Minute + 14*time.Second, true},
		{"25:13,45", 25*time.Minute + 14*time.Second, true},
		{"25:13.00", 25*time.Minute + 13*time.Second, true},
		{"23:59:59.9", 0, false},
		{"1:60:00", 0, false},
		{"25:60", 0, false},
		{"0:00:00", 0, false},
		{"25", 0, false},
		{"25 min", 0, false},
		{"1:02:03:04", 0, false},
		{"-0:25:13", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := flows.ParseRaceTime(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRaceTime(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if got := flows.FormatRaceTime(time.Hour + 2*time.Minute + 3*time.Second); got != "1:02:03" {
		t.Errorf("FormatRaceTime = %q", got)
	}
}

func TestParseResults(t *testing.T) {
	utf16 := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name     string
		data     []byte
		problem  string
		rows     []flows.ResultRow
		problems []flows.RowProblem
		ignored  []string
	}{
		{name: "bib wins over a place column named No", data: []byte("No.;BIB;Finish time\n1;1003;21:05\n"),
			rows: []flows.ResultRow{{Line: 2, Bib: 1003, Status: flows.ResultFinished, Time: 21*time.Minute + 5*time.Second}}, ignored: []string{"No."}},
		{name: "UTF-16 from Excel's Unicode text", data: utf16("Стартовый номер\tВремя\tСтатус\n1003\t0:21:05\t\n1004\t\tне стартовал\n"),
			rows: []flows.ResultRow{{Line: 2, Bib: 1003, Status: flows.ResultFinished, Time: 21*time.Minute + 5*time.Second}, {Line: 3, Bib: 1004, Status: flows.ResultDNS}}},
		{name: "status words and dashes", data: []byte("bib,time,status\n1,-,DSQ\n2,—,Сошла\n3,0:30:00,OK\n4,,Дисквалифицирован\n"),
			rows: []flows.ResultRow{{Line: 2, Bib: 1, Status: flows.ResultDQ}, {Line: 3, Bib: 2, Status: flows.ResultDNF},
				{Line: 4, Bib: 3, Status: flows.ResultFinished, Time: 30 * time.Minute}, {Line: 5, Bib: 4, Status: flows.ResultDQ}}},
		{name: "blank lines and a quoted comma", data: []byte("\n\nbib,name,time\n\n1,\"Smith, Oliver\",21:05\n,,\n2,\"Lee, Dana\",22:00\n"),
			rows: []flows.ResultRow{{Line: 5, Bib: 1, Status: flows.ResultFinished, Time: 21*time.Minute + 5*time.Second},
				{Line: 7, Bib: 2, Status: flows.ResultFinished, Time: 22 * time.Minute}}, ignored: []string{"name"}},
		{name: "chip without a status column", data: []byte("Bib,Chip,Gun time\n1,21:01,21:05\n2,DNF,DNF\n3,x,22:00\n"),
			rows: []flows.ResultRow{{Line: 2, Bib: 1, Status: flows.ResultFinished, Time: 21*time.Minute + 5*time.Second, Chip: 21*time.Minute + time.Second},
				{Line: 3, Bib: 2, Status: flows.ResultDNF}},
			problems: []flows.RowProblem{{Line: 4, Problem: flows.RowChipBad, Value: "x"}}},
		{name: "a short row", data: []byte("bib;time;status\n7\n"), problems: []flows.RowProblem{{Line: 2, Problem: flows.RowTimeMissing}}},
		{name: "no time column", data: []byte("bib,name\n1,Oliver\n"), problem: flows.FileNoTime, ignored: []string{"name"}},
		{name: "no bib column", data: []byte("Place;Name;Time\n1;Oliver;21:05\n"), problem: flows.FileNoBib, ignored: []string{"Place", "Name"}},
		{name: "empty", data: []byte("\ufeff\r\n"), problem: flows.FileEmpty},
		{name: "a spreadsheet", data: []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), problem: flows.FileNotText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := flows.ParseResults(tt.data)
			if f.Problem != tt.problem || !slices.Equal(f.Rows, tt.rows) || !slices.Equal(f.Problems, tt.problems) || !slices.Equal(f.Ignored, tt.ignored) {
				t.Errorf("got %+v\nwant problem %q rows %+v problems %+v ignored %v", f, tt.problem, tt.rows, tt.problems, tt.ignored)
			}
		})
	}
}
