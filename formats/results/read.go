// Package results reads the results files timing companies send: a
// CSV in UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode
// text"), Windows-1251 or Windows-1252, separated by commas, semicolons
// or tabs, or an XLSX workbook. The header row is found among the first
// rows, below any title; columns are found by their header (see
// headers) or by a Mapping; times are read as spreadsheets leave them
// (see Reading). It knows nothing of the participants: checking a row
// against them is the importer's.
package results

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Status says how a participant's race ended.
type Status string

const (
	Finished Status = "finished"
	DNF      Status = "dnf"
	DNS      Status = "dns"
	DQ       Status = "dq"
)

// Problems with a whole file: nothing in it can be read.
const (
	FileEmpty   = "empty"
	FileNotText = "not_text"
	FileNoBib   = "no_bib"
	FileNoTime  = "no_time"
)

// Problems with one row.
const (
	RowBibMissing  = "bib_missing"
	RowBibBad      = "bib_bad"
	RowTimeMissing = "time_missing"
	RowTimeBad     = "time_bad"
	RowChipBad     = "chip_bad"
	RowStatusBad   = "status_bad"
	RowColumns     = "columns"
)

// Row is one data row of a results file, as read.
type Row struct {
	// Line is the row's number as a spreadsheet numbers it.
	Line   int
	Bib    int
	Status Status
	// Time is the result (gun or official time; the chip time when the
	// file has no other) and Chip the chip or net time, as read; for a
	// finisher Time has a reading, Chip may be empty.
	Time, Chip Reading
	// Place is the file's own overall place, 0 when it has none.
	Place int
	// Name and Distance are as the file writes them, "" without.
	Name, Distance string
}

// RowProblem is a row that cannot be applied: its line, what is wrong
// (a Row* constant) and the value at fault.
type RowProblem struct {
	Line    int
	Problem string
	Value   string
}

// File is a results file as read. Problem, when set, is a File*
// constant: the file cannot be read at all.
type File struct {
	Problem string
	// Kind is "csv" or "xlsx". A CSV has its Encoding ("UTF-8",
	// "UTF-16 LE", "Windows-1251") and Separator ("comma", "semicolon",
	// "tab"); a workbook the Sheet read.
	Kind, Encoding, Separator, Sheet string
	// HeaderLine is the header's row; Headers its cells, for choosing a
	// mapping from.
	HeaderLine int
	Headers    []string
	// Columns are the columns read, in the order of Fields.
	Columns []Column
	// Ignored are the headers of the columns not read; Missing the
	// headers the mapping names that the file does not have.
	Ignored, Missing []string
	Rows             []Row
	Problems         []RowProblem
}

// Format says in English how the file was read: "CSV, UTF-16 LE, tab",
// "XLSX, sheet Results".
func (f File) Format() string {
	if f.Kind == "xlsx" {
		return "XLSX, sheet " + f.Sheet
	}
	return "CSV, " + f.Encoding + ", " + f.Separator
}

// Column returns the column of field; ok is false when the file has
// none.
func (f File) Column(field string) (Column, bool) {
	for _, c := range f.Columns {
		if c.Field == field {
			return c, true
		}
	}
	return Column{}, false
}

// headerRows is how far down the header row may be: below a title, a
// date and blank rows.
const headerRows = 20

// table is a file's cells: rows with their line numbers, and for a
// workbook the raw values (a time as a number of days) beside the
// formatted ones.
type table struct {
	rows  [][]string
	raw   [][]string
	lines []int
	// bad are the lines that cannot be read as CSV.
	bad []int
}

// Read reads a results file; m names columns the known names do not.
// It never fails: what it cannot read is reported in the file's Problem
// or Problems.
func Read(data []byte, m Mapping) File {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readXLSX(data, m)
	}
	text, enc, ok := decodeText(data)
	if !ok {
		return File{Problem: FileNotText}
	}
	if strings.TrimSpace(text) == "" {
		return File{Problem: FileEmpty}
	}
	// The separator is the one that finds the best header in the first
	// rows; then the whole file is read with it.
	var best File
	comma := '\t'
	for i, c := range []rune{'\t', ';', ','} {
		if f := read(readCSV(text, c, headerRows), m); i == 0 || better(f, best) {
			best, comma = f, c
		}
	}
	f := read(readCSV(text, comma, -1), m)
	f.Kind, f.Encoding, f.Separator = "csv", enc, map[rune]string{'\t': "tab", ';': "semicolon", ',': "comma"}[comma]
	return f
}

// better reports whether a reading of a file with one separator found
// more of it than another: a header at all, then more columns.
func better(a, b File) bool {
	rank := func(f File) int {
		switch f.Problem {
		case "":
			return 2
		case FileNoTime:
			return 1
		}
		return 0
	}
	if rank(a) != rank(b) {
		return rank(a) > rank(b)
	}
	return len(a.Columns) > len(b.Columns) || len(a.Columns) == len(b.Columns) && len(a.Headers) > len(b.Headers)
}

// decodeText turns a CSV's bytes into text and names its encoding:
// UTF-8 (a BOM dropped), UTF-16 with or without a BOM, else a Windows
// code page (see singleByte). ok is false for a file that is not text.
func decodeText(b []byte) (text, enc string, ok bool) {
	var order unicode.Endianness
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		order, enc = unicode.LittleEndian, "UTF-16 LE"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		order, enc = unicode.BigEndian, "UTF-16 BE"
	default:
		// No BOM: text has no NUL bytes but UTF-16 has, at odd offsets
		// for little endian (the high byte of ASCII and of tabs).
		even, odd := 0, 0
		for i, c := range b[:min(len(b), 4096)] {
			if c == 0 && i%2 == 0 {
				even++
			} else if c == 0 {
				odd++
			}
		}
		switch {
		case len(b)%2 == 0 && odd > even:
			order, enc = unicode.LittleEndian, "UTF-16 LE"
		case len(b)%2 == 0 && even > odd:
			order, enc = unicode.BigEndian, "UTF-16 BE"
		}
	}
	if enc != "" {
		out, err := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", "", false
		}
		b = bytes.TrimPrefix(out, []byte("\uFEFF"))
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return "", "", false
	}
	if utf8.Valid(b) {
		if enc == "" {
			enc = "UTF-8"
		}
		return string(b), enc, true
	}
	cp, enc := singleByte(b)
	out, err := cp.NewDecoder().Bytes(b)
	if err != nil {
		return "", "", false
	}
	return string(out), enc, true
}

// singleByte tells Windows-1251 (Russian Excel's CSV) from Windows-1252
// (German or English Excel's): Cyrillic words are runs of bytes of
// 0xC0 and up, while German and French letters of that range (ä, ö, ü,
// ß, é) stand alone among ASCII letters. When most such bytes stand
// next to another, the file is Windows-1251.
func singleByte(b []byte) (*charmap.Charmap, string) {
	high, paired := 0, 0
	for i, c := range b {
		if c < 0xC0 {
			continue
		}
		high++
		if i > 0 && b[i-1] >= 0xC0 || i+1 < len(b) && b[i+1] >= 0xC0 {
			paired++
		}
	}
	if high > 0 && paired*2 < high {
		return charmap.Windows1252, "Windows-1252"
	}
	return charmap.Windows1251, "Windows-1251"
}

// readCSV splits text into rows by comma, each with its line: the
// first most rows, or all when most is negative.
func readCSV(text string, comma rune, most int) table {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var t table
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return t
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			t.bad = append(t.bad, perr.Line)
			continue
		}
		line, _ := r.FieldPos(0)
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
		if len(t.rows) == most {
			return t
		}
	}
}

// maxUnzipped bounds what a workbook may unpack to: a results file of
// ten thousand rows is a few megabytes.
const maxUnzipped = 256 << 20

// readXLSX reads the first sheet of a workbook that has a header,
// starting with the one open when it was saved.
func readXLSX(data []byte, m Mapping) File {
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return File{Problem: FileNotText}
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if active := x.GetSheetName(x.GetActiveSheetIndex()); active != "" {
		sheets = append([]string{active}, sheets...)
	}
	var best File
	empty := true
	for i, sheet := range sheets {
		rows, err := x.GetRows(sheet)
		if err != nil {
			continue
		}
		raw, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			continue
		}
		t := table{rows: rows, raw: raw}
		for j, row := range rows {
			t.lines = append(t.lines, j+1)
			empty = empty && blank(row)
		}
		f := read(t, m)
		f.Kind, f.Sheet = "xlsx", sheet
		if f.Problem == "" {
			return f
		}
		if i == 0 || better(f, best) {
			best = f
		}
	}
	if empty {
		return File{Problem: FileEmpty, Kind: "xlsx"}
	}
	return best
}

// read finds the header among the first rows of t and reads the rows
// below it.
func read(t table, m Mapping) File {
	var f File
	header := -1
	for i := 0; i < len(t.rows) && i < headerRows; i++ {
		if blank(t.rows[i]) {
			continue
		}
		if cols, _ := mapColumns(t.rows[i], m); cols[FieldBib].Header != "" {
			header = i
			break
		}
	}
	if header < 0 {
		// No bib: the widest of the first rows is the likely header,
		// whose columns the report lists.
		for i := 0; i < len(t.rows) && i < headerRows; i++ {
			if filled(t.rows[i]) > filled(f.Headers) {
				f.Headers, f.HeaderLine = trimmed(t.rows[i]), t.lines[i]
			}
		}
		if f.Headers == nil {
			f.Problem = FileEmpty
			return f
		}
		_, f.Missing = mapColumns(f.Headers, m)
		f.Ignored = nonEmpty(f.Headers)
		f.Problem = FileNoBib
		return f
	}
	f.Headers, f.HeaderLine = trimmed(t.rows[header]), t.lines[header]
	cols, missing := mapColumns(t.rows[header], m)
	if _, ok := cols[FieldTime]; !ok {
		if c, ok := cols[FieldChip]; ok {
			// A file with only the chip time: that is the result.
			c.Field = FieldTime
			cols[FieldTime] = c
			delete(cols, FieldChip)
		}
	}
	f.Missing = missing
	used := map[int]bool{}
	for _, name := range Fields {
		if c, ok := cols[name]; ok {
			f.Columns = append(f.Columns, c)
			used[c.index] = true
		}
	}
	for i, h := range f.Headers {
		if !used[i] && h != "" {
			f.Ignored = append(f.Ignored, h)
		}
	}
	if _, ok := cols[FieldTime]; !ok {
		f.Problem = FileNoTime
		return f
	}
	for _, line := range t.bad {
		if line > f.HeaderLine {
			f.Problems = append(f.Problems, RowProblem{Line: line, Problem: RowColumns})
		}
	}
	for i := header + 1; i < len(t.rows); i++ {
		if blank(t.rows[i]) {
			continue
		}
		var raw []string
		if t.raw != nil && i < len(t.raw) {
			raw = t.raw[i]
		}
		row, problem := readRow(t.rows[i], raw, cols, t.lines[i])
		if problem != nil {
			f.Problems = append(f.Problems, *problem)
			continue
		}
		f.Rows = append(f.Rows, row)
	}
	return f
}

func blank(rec []string) bool { return filled(rec) == 0 }

func filled(rec []string) int {
	n := 0
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			n++
		}
	}
	return n
}

func trimmed(rec []string) []string {
	out := make([]string, len(rec))
	for i, v := range rec {
		out[i] = strings.TrimSpace(v)
	}
	return out
}

func nonEmpty(rec []string) []string {
	var out []string
	for _, v := range rec {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// statusWords map what a status (or a time) cell may say, as statusKey
// writes it, to a status.
var statusWords = map[string]Status{
	"": Finished, "ok": Finished, "finished": Finished, "finisher": Finished, "fin": Finished,
	"финишировал": Finished, "финишировала": Finished, "финиш": Finished, "мәре": Finished,
	"аяқтады": Finished,
	"dnf":     DNF, "did not finish": DNF, "aufgabe": DNF, "сошел": DNF, "сошла": DNF, "сход": DNF,
	"не финишировал": DNF, "не финишировала": DNF, "аяқтамады": DNF, "мәреге жетпеді": DNF,
	"-": DNF, "—": DNF, "–": DNF,
	"dns": DNS, "did not start": DNS, "nicht gestartet": DNS, "не стартовал": DNS, "не стартовала": DNS,
	"неявка": DNS, "не явился": DNS, "не явилась": DNS, "н/я": DNS, "н/с": DNS, "старттамады": DNS,
	"қатыспады": DNS, "келмеді": DNS, "шықпады": DNS, "шыққан жоқ": DNS,
	"dq": DQ, "dsq": DQ, "disq": DQ, "disqualified": DQ, "disqualifiziert": DQ, "дисквалифицирован": DQ,
	"дисквалифицирована": DQ, "дискв": DQ, "дисквалификация": DQ, "дк": DQ,
	"дисквалификацияланды": DQ,
}

// statusKey is a status cell as statusWords writes it: lower case, ё as
// е, single spaces, no trailing dot.
func statusKey(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	return strings.TrimRight(strings.Join(strings.Fields(s), " "), ".")
}

// readRow reads one data row; raw are a workbook's raw values.
func readRow(rec, raw []string, cols map[string]Column, line int) (Row, *RowProblem) {
	cell := func(field string) string {
		c, ok := cols[field]
		if !ok || c.index >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[c.index])
	}
	rawCell := func(field string) string {
		c, ok := cols[field]
		if !ok || c.index >= len(raw) {
			return cell(field)
		}
		return strings.TrimSpace(raw[c.index])
	}
	timeCell := func(field string) Reading {
		if r, ok := readDayFraction(rawCell(field), cell(field)); ok && raw != nil {
			return r
		}
		return readTime(cell(field))
	}
	row := Row{Line: line, Status: Finished, Distance: cell(FieldDistance)}
	row.Name = strings.Join(strings.Fields(cell(FieldName)+" "+cell(FieldLast)+" "+cell(FieldFirst)), " ")
	bib := strings.TrimPrefix(rawCell(FieldBib), "#")
	if bib == "" {
		return row, &RowProblem{Line: line, Problem: RowBibMissing}
	}
	n, err := strconv.Atoi(strings.TrimSuffix(bib, ".0"))
	if err != nil || n <= 0 {
		return row, &RowProblem{Line: line, Problem: RowBibBad, Value: cell(FieldBib)}
	}
	row.Bib = n
	place := strings.TrimSuffix(rawCell(FieldPlace), ".")
	if p, err := strconv.Atoi(place); err == nil && p > 0 {
		row.Place = p
	}
	if _, ok := cols[FieldStatus]; ok {
		s := cell(FieldStatus)
		st, ok := statusWords[statusKey(s)]
		if !ok {
			return row, &RowProblem{Line: line, Problem: RowStatusBad, Value: s}
		}
		row.Status = st
	}
	tm := cell(FieldTime)
	if row.Status == Finished {
		// A time cell (or, without a time, a place cell) that says DNF:
		// files without a status column, or with one left empty.
		say := tm
		if say == "" {
			say = place
		}
		if st, ok := statusWords[statusKey(say)]; ok && say != "" {
			row.Status = st
		}
	}
	if row.Status != Finished {
		// Whatever the time cells say ("-", a split) is not a result.
		return row, nil
	}
	if tm == "" {
		return row, &RowProblem{Line: line, Problem: RowTimeMissing}
	}
	if row.Time = timeCell(FieldTime); row.Time.As == 0 && row.Time.Minutes == 0 {
		return row, &RowProblem{Line: line, Problem: RowTimeBad, Value: tm}
	}
	// A chip cell of "-" or "DNF" beside a time is no chip time.
	if c := cell(FieldChip); c != "" && statusWords[statusKey(c)] == "" {
		if row.Chip = timeCell(FieldChip); row.Chip.As == 0 && row.Chip.Minutes == 0 {
			return row, &RowProblem{Line: line, Problem: RowChipBad, Value: c}
		}
	}
	return row, nil
}
