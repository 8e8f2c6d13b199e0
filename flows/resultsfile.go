package flows

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Reading a timing company's results file: a CSV (comma, semicolon or
// tab separated, sniffed from the header), in UTF-8 with or without a
// BOM, UTF-16 with a BOM ("Unicode text" from Excel) or Windows-1251
// (what Excel in Russian saves as CSV). Columns are found by their
// header through resultColumns, in any case; other columns are ignored.

// Result file columns.
const (
	colBib    = "bib"
	colTime   = "time"
	colChip   = "chip"
	colStatus = "status"
)

// resultColumns name the columns the bot reads, as timing companies and
// people write their headers in English, Russian and Kazakh. Within a
// column the names come most specific first: when a file has two
// columns that could be the bib ("Bib" and "No"), the earlier name wins
// and the other is ignored.
var resultColumns = map[string][]string{
	colBib: {"bib", "bib number", "bib no", "bib #", "start number", "start no", "race number", "race no",
		"стартовый номер", "номер участника", "нагрудный номер", "номер", "старттық нөмір", "старт нөмірі",
		"қатысушы нөмірі", "нөмір", "number", "no", "№"},
	colTime: {"finish time", "gun time", "official time", "time", "result", "finish",
		"время финиша", "финишное время", "официальное время", "время", "результат", "финиш",
		"мәре уақыты", "мәреге жету уақыты", "уақыт", "нәтиже", "мәре"},
	colChip: {"chip time", "net time", "chip", "net", "чиповое время", "время по чипу", "чистое время", "чип",
		"чип уақыты", "таза уақыт", "чип бойынша уақыт"},
	colStatus: {"status", "state", "статус", "состояние", "мәртебе", "күйі"},
}

// statusWords map what a status (or a time) cell may say to a status.
var statusWords = map[string]ResultStatus{
	"": ResultFinished, "ok": ResultFinished, "finished": ResultFinished, "finisher": ResultFinished, "fin": ResultFinished,
	"финишировал": ResultFinished, "финишировала": ResultFinished, "финиш": ResultFinished, "мәре": ResultFinished,
	"аяқтады": ResultFinished,
	"dnf":     ResultDNF, "did not finish": ResultDNF, "сошел": ResultDNF, "сошла": ResultDNF, "сход": ResultDNF,
	"не финишировал": ResultDNF, "не финишировала": ResultDNF, "аяқтамады": ResultDNF, "мәреге жетпеді": ResultDNF,
	"dns": ResultDNS, "did not start": ResultDNS, "не стартовал": ResultDNS, "не стартовала": ResultDNS,
	"неявка": ResultDNS, "не явился": ResultDNS, "не явилась": ResultDNS, "старттамады": ResultDNS,
	"қатыспады": ResultDNS, "келмеді": ResultDNS,
	"dq": ResultDQ, "dsq": ResultDQ, "disqualified": ResultDQ, "дисквалифицирован": ResultDQ,
	"дисквалифицирована": ResultDQ, "дискв": ResultDQ, "дисквалификация": ResultDQ,
	"дисквалификацияланды": ResultDQ,
}

// Problems with a whole file: nothing in it can be read.
const (
	FileEmpty   = "empty"
	FileNotText = "not_text"
	FileNoBib   = "no_bib"
	FileNoTime  = "no_time"
)

// Problems with one row.
const (
	RowBibMissing   = "bib_missing"
	RowBibBad       = "bib_bad"
	RowBibUnknown   = "bib_unknown"
	RowBibDuplicate = "bib_duplicate"
	RowBibUnpaid    = "bib_unpaid"
	RowTimeMissing  = "time_missing"
	RowTimeBad      = "time_bad"
	RowChipBad      = "chip_bad"
	RowStatusBad    = "status_bad"
	RowColumns      = "columns"
)

// ResultRow is one row of a results file, as read.
type ResultRow struct {
	// Line is the row's number in the file, the header being 1, as a
	// spreadsheet numbers it.
	Line   int
	Bib    int
	Status ResultStatus
	Time   time.Duration
	Chip   time.Duration
}

// RowProblem is a row that cannot be applied: its line, what is wrong
// (a Row* constant) and the value at fault.
type RowProblem struct {
	Line    int
	Problem string
	Value   string
}

// ResultsFile is a results file as read: its rows, the rows that cannot
// be read, and the columns it does not use. Problem, when set, is a
// File* constant: the file cannot be read at all.
type ResultsFile struct {
	Problem  string
	Rows     []ResultRow
	Problems []RowProblem
	Ignored  []string
}

// ParseResults reads a results file. It never fails: what it cannot
// read is reported in the file's Problem or Problems.
func ParseResults(data []byte) ResultsFile {
	text, ok := decodeText(data)
	if !ok {
		return ResultsFile{Problem: FileNotText}
	}
	if strings.TrimSpace(text) == "" {
		return ResultsFile{Problem: FileEmpty}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var f ResultsFile
	header, err := r.Read()
	for err == nil && blank(header) {
		header, err = r.Read()
	}
	if err != nil {
		return ResultsFile{Problem: FileEmpty}
	}
	cols, ignored := mapColumns(header)
	f.Ignored = ignored
	switch {
	case cols[colBib] < 0:
		return ResultsFile{Problem: FileNoBib, Ignored: ignored}
	case cols[colTime] < 0:
		return ResultsFile{Problem: FileNoTime, Ignored: ignored}
	}
	headerLine, _ := r.FieldPos(0)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line := headerLine + 1
		if len(rec) > 0 {
			line, _ = r.FieldPos(0)
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			f.Problems = append(f.Problems, RowProblem{Line: perr.Line, Problem: RowColumns})
			continue
		}
		if blank(rec) {
			continue
		}
		row, problem := readRow(rec, cols, line)
		if problem != nil {
			f.Problems = append(f.Problems, *problem)
			continue
		}
		f.Rows = append(f.Rows, row)
	}
	return f
}

// decodeText turns the file's bytes into text: UTF-8 (a BOM dropped),
// UTF-16 with a BOM, or else Windows-1251. ok is false for a file that is
// not text (a spreadsheet, a picture).
func decodeText(b []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(b)
		if err != nil {
			return "", false
		}
		b = out
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return "", false
	}
	if utf8.Valid(b) {
		return string(b), true
	}
	out, err := charmap.Windows1251.NewDecoder().Bytes(b)
	if err != nil {
		return "", false
	}
	return string(out), true
}

// sniffDelimiter picks the separator the first line uses most, outside
// quotes: comma, semicolon or tab.
func sniffDelimiter(text string) rune {
	first, _, _ := strings.Cut(strings.TrimLeft(text, "\r\n"), "\n")
	counts := map[rune]int{}
	quoted := false
	for _, c := range first {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// normHeader is a header cell as resultColumns names it: lower case,
// single spaces, ё as е, underscores as spaces, no trailing dot or
// colon.
func normHeader(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "_", " "))
	s = strings.ReplaceAll(s, "ё", "е")
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(s, ".:")
}

// mapColumns finds each column the bot reads in header (-1 when absent)
// and lists the headers it ignores.
func mapColumns(header []string) (map[string]int, []string) {
	cols := map[string]int{}
	rank := map[string]int{}
	for name := range resultColumns {
		cols[name] = -1
	}
	for i, h := range header {
		h = normHeader(h)
		for name, aliases := range resultColumns {
			for r, a := range aliases {
				if h == a && (cols[name] < 0 || r < rank[name]) {
					cols[name], rank[name] = i, r
				}
			}
		}
	}
	used := map[int]bool{}
	for _, i := range cols {
		used[i] = true
	}
	var ignored []string
	for i, h := range header {
		if !used[i] && strings.TrimSpace(h) != "" {
			ignored = append(ignored, strings.TrimSpace(h))
		}
	}
	return cols, ignored
}

// readRow reads one data row.
func readRow(rec []string, cols map[string]int, line int) (ResultRow, *RowProblem) {
	cell := func(name string) string {
		i := cols[name]
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	row := ResultRow{Line: line, Status: ResultFinished}
	bib := cell(colBib)
	if bib == "" {
		return row, &RowProblem{Line: line, Problem: RowBibMissing}
	}
	n, err := strconv.Atoi(bib)
	if err != nil || n <= 0 {
		return row, &RowProblem{Line: line, Problem: RowBibBad, Value: bib}
	}
	row.Bib = n
	if s := cell(colStatus); cols[colStatus] >= 0 {
		st, ok := statusWords[normHeader(s)]
		if !ok {
			return row, &RowProblem{Line: line, Problem: RowStatusBad, Value: s}
		}
		row.Status = st
	}
	tm := cell(colTime)
	if st, ok := statusWords[normHeader(tm)]; ok && tm != "" && row.Status == ResultFinished {
		// A time cell that says DNF: files without a status column.
		row.Status = st
	}
	if row.Status != ResultFinished {
		// Whatever the time cells say ("-", a split) is not a result.
		return row, nil
	}
	if tm == "" {
		return row, &RowProblem{Line: line, Problem: RowTimeMissing}
	}
	d, err := ParseRaceTime(tm)
	if err != nil {
		return row, &RowProblem{Line: line, Problem: RowTimeBad, Value: tm}
	}
	row.Time = d
	if c := cell(colChip); c != "" {
		if row.Chip, err = ParseRaceTime(c); err != nil {
			return row, &RowProblem{Line: line, Problem: RowChipBad, Value: c}
		}
	}
	return row, nil
}

var raceTime = regexp.MustCompile(`^(?:(\d{1,2}):)?(\d{1,3}):(\d{2})(?:[.,](\d{1,3}))?$`)

// errRaceTime is a time that is not h:mm:ss or mm:ss.
var errRaceTime = errors.New("not a time like 1:02:03 or 25:13")

// ParseRaceTime reads a race time written h:mm:ss or mm:ss, optionally
// with tenths, hundredths or thousandths (0:25:13.4, 25:13,45). As World
// Athletics rules do for road races, a fraction of a second rounds up to
// the next whole second. The time must be more than zero and less than
// a day.
func ParseRaceTime(s string) (time.Duration, error) {
	m := raceTime.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, errRaceTime
	}
	h, _ := strconv.Atoi(m[1])
	mins, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	if sec > 59 || (m[1] != "" && mins > 59) {
		return 0, errRaceTime
	}
	d := time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute + time.Duration(sec)*time.Second
	if strings.Trim(m[4], "0") != "" {
		d += time.Second
	}
	if d <= 0 || d >= 24*time.Hour {
		return 0, errRaceTime
	}
	return d, nil
}

// FormatRaceTime writes a race time as h:mm:ss: 0:25:13, 1:02:03.
func FormatRaceTime(d time.Duration) string {
	s := int(d / time.Second)
	return strconv.Itoa(s/3600) + ":" + twoDigits(s/60%60) + ":" + twoDigits(s%60)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
