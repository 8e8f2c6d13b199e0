package results_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/runforautism/rfabot/formats/results"
)

func hms(h, m, s int) time.Duration {
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0:25:13", hms(0, 25, 13), true},
		{"00:25:13", hms(0, 25, 13), true},
		{"25:13", hms(0, 25, 13), true},
		{"1:02:03", hms(1, 2, 3), true},
		{"75:00", hms(0, 75, 0), true},
		{" 0:25:13 ", hms(0, 25, 13), true},
		// A fraction of a second rounds up, as World Athletics rules do
		// for road races; zeros are no fraction.
		{"0:25:13.1", hms(0, 25, 14), true},
		{"25:13,45", hms(0, 25, 14), true},
		{"25:13.00", hms(0, 25, 13), true},
		{"23:59:59.9", 0, false},
		{"1:60:00", 0, false},
		{"25:60", 0, false},
		{"0:00:00", 0, false},
		{"25", 0, false},
		{"25 min", 0, false},
		{"1:02:03:04", 0, false},
		{"-0:25:13", 0, false},
		{"12:24:05 AM", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := results.ParseTime(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if got := results.FormatTime(hms(1, 2, 3)); got != "1:02:03" {
		t.Errorf("FormatTime = %q", got)
	}
}

// TestResolve reads the cells spreadsheets make, for a distance whose
// plausible times are 10 to 90 minutes.
func TestResolve(t *testing.T) {
	plausible := results.Pace{Fastest: 2 * time.Minute, Slowest: 18 * time.Minute}.Plausible(5)
	tests := []struct {
		cell    string
		want    time.Duration
		verdict results.Verdict
	}{
		{"0:24:05", hms(0, 24, 5), results.TimeOK},
		{"24:05", hms(0, 24, 5), results.TimeOK},
		{"12:24:05 AM", hms(0, 24, 5), results.TimeOK},
		{"12:24:05 a.m.", hms(0, 24, 5), results.TimeOK},
		{"1:05:00 PM", hms(0, 13, 5), results.TimeReread},
		{"48:00:00", hms(0, 48, 0), results.TimeMinutes},
		{"07:30:00", hms(7, 30, 0), results.TimeImplausible},
		{"19:45:00", hms(0, 19, 45), results.TimeReread},
		{"0:01:05", hms(0, 1, 5), results.TimeImplausible},
		{"0:48:00", hms(0, 48, 0), results.TimeOK},
		{"DNF", 0, results.TimeBad},
	}
	for _, tt := range tests {
		f := results.Read([]byte("Bib;Time\n1;"+tt.cell+"\n"), nil)
		var r results.Reading
		if len(f.Rows) == 1 {
			r = f.Rows[0].Time
		}
		got, verdict := r.Resolve(plausible)
		if got != tt.want || verdict != tt.verdict {
			t.Errorf("%q: %v, %q; want %v, %q", tt.cell, got, verdict, tt.want, tt.verdict)
		}
	}
}

func utf16(t *testing.T, order unicode.Endianness, bom unicode.BOMPolicy, s string) []byte {
	b, err := unicode.UTF16(order, bom).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func codePage(t *testing.T, cp *charmap.Charmap, s string) []byte {
	b, err := cp.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// row is what a test compares of a row: its times as read, as written.
type row struct {
	Line, Bib, Place int
	Status           results.Status
	Time, Chip       time.Duration
	Name, Distance   string
}

func rowsOf(f results.File) []row {
	var out []row
	for _, r := range f.Rows {
		tm, _ := r.Time.Resolve(nil)
		chip, _ := r.Chip.Resolve(nil)
		out = append(out, row{r.Line, r.Bib, r.Place, r.Status, tm, chip, r.Name, r.Distance})
	}
	return out
}

func columnsOf(f results.File) string {
	var parts []string
	for _, c := range f.Columns {
		parts = append(parts, c.Field+"="+c.Header)
	}
	return strings.Join(parts, ",")
}

func TestRead(t *testing.T) {
	fin := results.Finished
	tests := []struct {
		name     string
		data     []byte
		m        results.Mapping
		problem  string
		format   string
		columns  string
		rows     []row
		problems []results.RowProblem
		ignored  []string
	}{
		{name: "bib wins over a place column named No", data: []byte("No.;BIB;Finish time\n1;1003;21:05\n"),
			columns: "bib=BIB,time=Finish time", format: "CSV, UTF-8, semicolon",
			rows: []row{{Line: 2, Bib: 1003, Status: fin, Time: hms(0, 21, 5)}}, ignored: []string{"No."}},
		{name: "Boston: State is not a status", data: []byte("Bib,Name,Age,M/F,City,State,Country,Official Time\n7,\"Lee, Dana\",34,F,Boston,MA,USA,2:51:07\n"),
			columns: "bib=Bib,name=Name,time=Official Time",
			rows:    []row{{Line: 2, Bib: 7, Status: fin, Time: hms(2, 51, 7), Name: "Lee, Dana"}}, ignored: []string{"Age", "M/F", "City", "State", "Country"}},
		{name: "RaceResult in Windows-1252", data: codePage(t, charmap.Windows1252, "Platz;Stnr;Name;Vorname;Zeit\n1.;12;Müller;Jörg;0:41:02,3\n"),
			format: "CSV, Windows-1252, semicolon", columns: "bib=Stnr,name=Name,first=Vorname,time=Zeit,place=Platz",
			rows: []row{{Line: 2, Bib: 12, Place: 1, Status: fin, Time: hms(0, 41, 3), Name: "Müller Jörg"}}},
		{name: "Russian protocol in Windows-1251 with a title", data: codePage(t, charmap.Windows1251, "Протокол забега;;;;;\n\nМесто;Номер;Фамилия;Имя;Г.р.;Результат\n1;1001;Иванов;Пётр;1990;0:19:05\n;1002;Смирнова;Анна;1995;сошла\n"),
			format: "CSV, Windows-1251, semicolon", columns: "bib=Номер,last=Фамилия,first=Имя,time=Результат,place=Место",
			rows: []row{{Line: 4, Bib: 1001, Place: 1, Status: fin, Time: hms(0, 19, 5), Name: "Иванов Пётр"},
				{Line: 5, Bib: 1002, Status: results.DNF, Name: "Смирнова Анна"}}, ignored: []string{"Г.р."}},
		{name: "UTF-16 without a BOM, tab", data: utf16(t, unicode.BigEndian, unicode.IgnoreBOM, "Стартовый номер\tВремя\tСтатус\n1003\t0:21:05\t\n1004\t\tне стартовал\n"),
			format: "CSV, UTF-16 BE, tab", columns: "bib=Стартовый номер,time=Время,status=Статус",
			rows: []row{{Line: 2, Bib: 1003, Status: fin, Time: hms(0, 21, 5)}, {Line: 3, Bib: 1004, Status: results.DNS}}},
		{name: "RunSignup chip and clock", data: []byte("Place,Bib,First Name,Last Name,Chip Time,Clock Time\n1,5,Dana,Lee,18:01,18:05\n"),
			columns: "bib=Bib,last=Last Name,first=First Name,time=Clock Time,chip=Chip Time,place=Place",
			rows:    []row{{Line: 2, Bib: 5, Place: 1, Status: fin, Time: hms(0, 18, 5), Chip: hms(0, 18, 1), Name: "Lee Dana"}}},
		{name: "Bib#, Guntime, Nettime", data: []byte("Bib#\tGuntime\tNettime\n5\t0:18:05\t0:18:01\n"),
			columns: "bib=Bib#,time=Guntime,chip=Nettime",
			rows:    []row{{Line: 2, Bib: 5, Status: fin, Time: hms(0, 18, 5), Chip: hms(0, 18, 1)}}},
		{name: "only a chip time", data: []byte("Нөмір;Таза уақыт\n5;0:18:01\n"), columns: "bib=Нөмір,time=Таза уақыт",
			rows: []row{{Line: 2, Bib: 5, Status: fin, Time: hms(0, 18, 1)}}},
		{name: "a mapping", data: []byte("Startno;Endtime;Rank\n5;0:18:05;2\n"), m: results.Mapping{"bib": "startno", "time": "End time", "place": "Rank", "status": "Result"},
			columns: "bib=Startno,time=Endtime,place=Rank",
			rows:    []row{{Line: 2, Bib: 5, Place: 2, Status: fin, Time: hms(0, 18, 5)}}},
		{name: "status words and dashes", data: []byte("bib,time,status\n1,-,DSQ\n2,—,Сошла\n3,0:30:00,OK\n4,,Дисквалифицирован\n"),
			rows: []row{{Line: 2, Bib: 1, Status: results.DQ}, {Line: 3, Bib: 2, Status: results.DNF},
				{Line: 4, Bib: 3, Status: fin, Time: hms(0, 30, 0)}, {Line: 5, Bib: 4, Status: results.DQ}}},
		{name: "statuses in the time column", data: []byte("bib,time\n1,DNF\n2,н/я\n3,шықпады\n4,-\n5,сошёл\n"),
			rows: []row{{Line: 2, Bib: 1, Status: results.DNF}, {Line: 3, Bib: 2, Status: results.DNS}, {Line: 4, Bib: 3, Status: results.DNS},
				{Line: 5, Bib: 4, Status: results.DNF}, {Line: 6, Bib: 5, Status: results.DNF}}},
		{name: "blank lines and a quoted comma", data: []byte("\n\nbib,name,time\n\n1,\"Smith, Oliver\",21:05\n,,\n2,\"Lee, Dana\",22:00\n"),
			rows: []row{{Line: 5, Bib: 1, Status: fin, Time: hms(0, 21, 5), Name: "Smith, Oliver"},
				{Line: 7, Bib: 2, Status: fin, Time: hms(0, 22, 0), Name: "Lee, Dana"}}},
		{name: "chip without a status column", data: []byte("Bib,Chip,Gun time\n1,21:01,21:05\n2,DNF,DNF\n3,x,22:00\n"),
			rows:     []row{{Line: 2, Bib: 1, Status: fin, Time: hms(0, 21, 5), Chip: hms(0, 21, 1)}, {Line: 3, Bib: 2, Status: results.DNF}},
			problems: []results.RowProblem{{Line: 4, Problem: results.RowChipBad, Value: "x"}}},
		{name: "a dash for the chip time", data: []byte("Bib;Gun Time;Chip Time\n4;0:30:00;-\n"),
			rows: []row{{Line: 2, Bib: 4, Status: fin, Time: hms(0, 30, 0)}}},
		{name: "a short row", data: []byte("bib;time;status\n7\n"), problems: []results.RowProblem{{Line: 2, Problem: results.RowTimeMissing}}},
		{name: "an unknown status", data: []byte("bib;time;status\n7;0:20:00;NY\n"), problems: []results.RowProblem{{Line: 2, Problem: results.RowStatusBad, Value: "NY"}}},
		{name: "no time column", data: []byte("bib,city\n1,Almaty\n"), problem: results.FileNoTime, ignored: []string{"city"}},
		{name: "no bib column", data: []byte("Place;Name;Time\n1;Oliver;21:05\n"), problem: results.FileNoBib, ignored: []string{"Place", "Name", "Time"}},
		{name: "not parts of names", data: []byte("Bibliography;Stage;Station;Time\n1;2;3;21:05\n"), problem: results.FileNoBib,
			ignored: []string{"Bibliography", "Stage", "Station", "Time"}},
		{name: "empty", data: []byte("\ufeff\r\n"), problem: results.FileEmpty},
		{name: "a picture", data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), problem: results.FileNotText},
		{name: "a broken workbook", data: []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), problem: results.FileNotText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := results.Read(tt.data, tt.m)
			if f.Problem != tt.problem || !slices.Equal(rowsOf(f), tt.rows) || !slices.Equal(f.Problems, tt.problems) || !slices.Equal(f.Ignored, tt.ignored) {
				t.Errorf("got problem %q rows %+v problems %+v ignored %q\nwant problem %q rows %+v problems %+v ignored %q",
					f.Problem, rowsOf(f), f.Problems, f.Ignored, tt.problem, tt.rows, tt.problems, tt.ignored)
			}
			if tt.columns != "" && columnsOf(f) != tt.columns {
				t.Errorf("columns %s, want %s", columnsOf(f), tt.columns)
			}
			if tt.format != "" && f.Format() != tt.format {
				t.Errorf("format %q, want %q", f.Format(), tt.format)
			}
		})
	}
}

func TestReadMappingMissing(t *testing.T) {
	f := results.Read([]byte("Bib;Zeit\n1;0:20:00\n"), results.Mapping{"time": "Zeit", "chip": "Netto Zeit"})
	if !slices.Equal(f.Missing, []string{"Netto Zeit"}) || columnsOf(f) != "bib=Bib,time=Zeit" {
		t.Errorf("missing %q columns %s", f.Missing, columnsOf(f))
	}
}

func TestParseMapping(t *testing.T) {
	m, err := results.ParseMapping("time=Zeit, bib = Stnr ,")
	if err != nil || m.String() != "bib=Stnr,time=Zeit" {
		t.Errorf("ParseMapping = %v, %v", m, err)
	}
	for _, bad := range []string{"bib", "bib=", "pace=Tempo", "bib=#"} {
		if _, err := results.ParseMapping(bad); err == nil {
			t.Errorf("ParseMapping(%q) took it", bad)
		}
	}
}

// TestReadXLSX reads a workbook made by excelize as a timing company's
// software makes one: a title, times as numbers of days in time and
// duration formats, a time as text, and a status.
func TestReadXLSX(t *testing.T) {
	x := excelize.NewFile()
	defer x.Close()
	sheet := "Results"
	x.SetSheetName("Sheet1", sheet)
	cells := [][]any{
		{"City 10K — results"},
		{},
		{"Place", "Bib", "Name", "Gun Time", "Chip Time", "Status"},
		{1, 1001, "Әсел Қайратқызы", 1445.0 / 86400, 1441.0 / 86400},
		{2, 1002, "Dana Lee", 2.0, "48:00"},
		{nil, 1003, "Oliver Smith", nil, nil, "DNF"},
		{3, 1004, "Ann Berg", "0:50:10", nil},
	}
	for i, row := range cells {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	clock, _ := x.NewStyle(&excelize.Style{NumFmt: 19}) // h:mm:ss AM/PM
	duration, _ := x.NewStyle(&excelize.Style{NumFmt: 46})
	x.SetCellStyle(sheet, "D4", "E4", clock)
	x.SetCellStyle(sheet, "D5", "D5", duration)
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f := results.Read(buf.Bytes(), nil)
	fin := results.Finished
	want := []row{
		{Line: 4, Bib: 1001, Place: 1, Status: fin, Time: hms(0, 24, 5), Chip: hms(0, 24, 1), Name: "Әсел Қайратқызы"},
		{Line: 5, Bib: 1002, Place: 2, Status: fin, Time: hms(48, 0, 0), Chip: hms(0, 48, 0), Name: "Dana Lee"},
		{Line: 6, Bib: 1003, Status: results.DNF, Name: "Oliver Smith"},
		{Line: 7, Bib: 1004, Place: 3, Status: fin, Time: hms(0, 50, 10), Name: "Ann Berg"},
	}
	if f.Problem != "" || f.Format() != "XLSX, sheet Results" || f.HeaderLine != 3 || !slices.Equal(rowsOf(f), want) || len(f.Problems) > 0 {
		t.Fatalf("got %q %q line %d rows %+v problems %+v\nwant %+v", f.Problem, f.Format(), f.HeaderLine, rowsOf(f), f.Problems, want)
	}
	if got := f.Rows[0].Time.Text; got != "12:24:05 AM" {
		t.Errorf("the time shows as %q, as the sheet shows it", got)
	}
	if d, v := f.Rows[1].Time.Resolve(results.Pace{Fastest: 2 * time.Minute, Slowest: 15 * time.Minute}.Plausible(10)); d != hms(0, 48, 0) || v != results.TimeMinutes {
		t.Errorf("48:00:00 over 10 km resolves to %v, %q", d, v)
	}
}
