package results

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// The fields a results file has, each in a column found by its header.
const (
	FieldBib      = "bib"
	FieldTime     = "time"
	FieldChip     = "chip"
	FieldStatus   = "status"
	FieldPlace    = "place"
	FieldName     = "name"
	FieldLast     = "last"
	FieldFirst    = "first"
	FieldDistance = "distance"
)

// Fields are the fields in the order a dry run lists their columns.
var Fields = []string{FieldBib, FieldName, FieldLast, FieldFirst, FieldDistance, FieldTime, FieldChip, FieldPlace, FieldStatus}

// headers name each field's column as RaceResult, ChronoTrack/MyLaps,
// Webscorer, RunSignup, the Boston Marathon's lists and Russian and
// Kazakh protocols write it. They are compared whole, through key: case,
// spaces and punctuation aside ("Bib#" is "bib", "Nettime" is "Net
// Time"), never a part ("State" is not "Status"). Within a field the
// names come most specific first: when a file has two columns that
// could be the bib ("Bib" and "No."), the earlier name wins and the
// other is left alone.
var headers = map[string][]string{
	FieldBib: {"bib", "bib number", "bib no", "bib nr", "start number", "start no", "startnummer", "stnr", "startnr",
		"race number", "race no", "dorsal", "dossard",
		"стартовый номер", "номер участника", "нагрудный номер", "номер", "ст номер",
		"старттық нөмір", "старт нөмірі", "қатысушы нөмірі", "нөмір",
		"number", "nr", "no", "№"},
	FieldTime: {"gun time", "clock time", "official time", "finish time", "gross time", "bruttozeit", "brutto",
		"time", "result", "finish", "zeit", "endzeit", "temps",
		"официальное время", "время финиша", "финишное время", "время", "результат", "финиш", "общее время",
		"мәре уақыты", "мәреге жету уақыты", "уақыт", "нәтиже", "мәре"},
	FieldChip: {"chip time", "net time", "nettozeit", "netto", "chip", "net", "temps net",
		"чистое время", "время по чипу", "чиповое время", "чип",
		"таза уақыт", "чип уақыты", "чип бойынша уақыт"},
	FieldPlace: {"place", "overall place", "overall", "rank", "pos", "position", "pl", "platz", "gesamtplatz", "platz gesamt",
		"место", "абсолютное место", "орын"},
	FieldStatus: {"status", "статус", "состояние", "мәртебе", "күйі"},
	FieldName: {"name", "full name", "runner", "athlete", "participant", "competitor",
		"фио", "фамилия имя", "имя фамилия", "фамилия и имя", "участник", "спортсмен",
		"аты жөні", "тегі аты", "аты тегі", "қатысушы"},
	FieldLast:     {"last name", "lastname", "surname", "family name", "nachname", "фамилия", "тегі"},
	FieldFirst:    {"first name", "firstname", "given name", "vorname", "имя", "аты"},
	FieldDistance: {"distance", "race", "event", "course", "strecke", "wettbewerb", "дистанция", "забег", "қашықтық"},
}

// key is a header as headers are compared: lower case, letters and
// digits only, ё as е. "Bib #" and "BIB#" are "bib", "Г.р." is "гр".
func key(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == 'ё':
			b.WriteRune('е')
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '№':
			b.WriteRune(r)
		}
	}
	return b.String()
}

var headerKeys = map[string][]string{}

func init() {
	for f, names := range headers {
		for _, n := range names {
			headerKeys[f] = append(headerKeys[f], key(n))
		}
	}
}

// Mapping names the file's column for a field, by its header:
// {"bib": "Stnr", "time": "Zeit"}. It comes before the known names.
type Mapping map[string]string

// ParseMapping reads a mapping as the command line writes it:
// "bib=Stnr,time=Zeit".
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	for part := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		field, header, ok := strings.Cut(part, "=")
		field, header = strings.TrimSpace(field), strings.TrimSpace(header)
		if !ok || header == "" {
			return nil, fmt.Errorf("%q: write field=Header, such as bib=Stnr", part)
		}
		m[field] = header
	}
	return m, m.Check()
}

// Check reports a mapping's unknown field or empty header.
func (m Mapping) Check() error {
	for _, f := range m.fields() {
		if !isField(f) {
			return fmt.Errorf("unknown field %q (fields: %s)", f, strings.Join(Fields, ", "))
		}
		if key(m[f]) == "" {
			return fmt.Errorf("field %s: no column header given", f)
		}
	}
	return nil
}

// String writes the mapping as ParseMapping reads it, fields in order.
func (m Mapping) String() string {
	var parts []string
	for _, f := range m.fields() {
		parts = append(parts, f+"="+m[f])
	}
	return strings.Join(parts, ",")
}

func (m Mapping) fields() []string {
	fs := make([]string, 0, len(m))
	for f := range m {
		fs = append(fs, f)
	}
	sort.Slice(fs, func(i, j int) bool { return fieldRank(fs[i]) < fieldRank(fs[j]) })
	return fs
}

func isField(f string) bool { return fieldRank(f) < len(Fields) }

func fieldRank(f string) int {
	for i, g := range Fields {
		if g == f {
			return i
		}
	}
	return len(Fields)
}

// Column is a column of the file and the field read from it.
type Column struct {
	Field  string
	Header string
	// Mapped says a mapping chose it, not a known name.
	Mapped bool
	index  int
}

// mapColumns finds each field's column in header: first what m names,
// then the known names. A column serves one field. Missing lists the
// mapped headers header does not have.
func mapColumns(header []string, m Mapping) (cols map[string]Column, missing []string) {
	cols = map[string]Column{}
	taken := map[int]bool{}
	for _, f := range m.fields() {
		want := key(m[f])
		found := false
		for i, h := range header {
			if !taken[i] && key(h) == want {
				cols[f] = Column{Field: f, Header: strings.TrimSpace(h), Mapped: true, index: i}
				taken[i], found = true, true
				break
			}
		}
		if !found {
			missing = append(missing, m[f])
		}
	}
	for _, f := range Fields {
		if _, ok := cols[f]; ok {
			continue
		}
		best, rank := -1, 0
		for i, h := range header {
			if taken[i] {
				continue
			}
			k := key(h)
			for r, name := range headerKeys[f] {
				if k == name && (best < 0 || r < rank) {
					best, rank = i, r
				}
			}
		}
		if best >= 0 {
			cols[f] = Column{Field: f, Header: strings.TrimSpace(header[best]), index: best}
			taken[best] = true
		}
	}
	return cols, missing
}
