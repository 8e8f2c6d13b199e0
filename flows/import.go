package flows

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/formats/results"
)

// Importing the timing company's results: a dry run (PreviewResults)
// shows what the file would change and what is wrong with it, and
// ApplyResults applies it in one transaction, ranks every result again
// and queues the pushes. The chat (/import), the import-results command
// and the organizers' dashboard all go through these two and
// ImportReportText. The file itself is read by formats/results.

// RowProblem is a row of a results file that cannot be applied.
type RowProblem = results.RowProblem

// Problems with a row that the file alone does not show.
const (
	RowBibUnknown   = "bib_unknown"
	RowBibDuplicate = "bib_duplicate"
	RowBibUnpaid    = "bib_unpaid"
)

// Flags of a row that can be applied, but only when the organizer
// accepts it: it may well be wrong.
const (
	// FlagName: the file's name for the bib is not the holder's (Value).
	FlagName = "name"
	// FlagDistance: the file's distance (Value) is not the holder's.
	FlagDistance = "distance"
	// FlagTimeReread, FlagChipReread: the cell (Value) read as mm:ss, as
	// h:mm:ss it is implausible for the distance.
	FlagTimeReread = "time_reread"
	FlagChipReread = "chip_reread"
	// FlagTimeImplausible, FlagChipImplausible: the pace per km (Value)
	// is faster than the world record or slower than a walk.
	FlagTimeImplausible = "time_implausible"
	FlagChipImplausible = "chip_implausible"
)

// Flag is why a row needs a look: a Flag* constant and the value at
// fault.
type Flag struct {
	Kind, Value string
}

// ImportOptions say how a results file is read and applied.
type ImportOptions struct {
	// Map names columns by their header, before the event file's
	// [results.columns] and the known names.
	Map results.Mapping
	// SkipBad leaves out the rows with problems and the flagged rows;
	// AcceptFlagged applies the flagged rows.
	SkipBad, AcceptFlagged bool
}

// ResultChange is a row of the file that adds or changes a result.
type ResultChange struct {
	Line     int
	Bib      int
	Code     string
	Name     string
	Distance string
	Status   domain.ResultStatus
	Time     time.Duration
	Chip     time.Duration
	// FileName and FileDistance are the name and distance the file gives
	// the bib, Place its own place; "" and 0 when it has none.
	FileName, FileDistance string
	Place                  int
	// Cell is the time as the file writes it when it was not read as
	// written ("48:00:00" read as 0:48:00) or is not plain ("12:24:05
	// AM"); "" otherwise.
	Cell string
	// Flags say why the row needs a look; a flagged row is applied only
	// when the organizer accepts it.
	Flags []Flag `json:",omitempty"`
	// Was is the result before, for a change; nil for a new result.
	Was *domain.Result `json:",omitempty"`
}

// ImportReport is what a results file does, or did: the rows it adds
// or changes, the rows that are already applied, and what is wrong.
type ImportReport struct {
	Name string
	// Hash is the hex SHA-256 of the file.
	Hash string
	// FileProblem, when set, is a File* constant: nothing in the file can
	// be read.
	FileProblem string
	// Rows counts the data rows read.
	Rows      int
	New       []ResultChange
	Changed   []ResultChange
	Unchanged int
	// Problems are the rows that cannot be applied, by line.
	Problems []RowProblem
	// Ignored are the file's columns the bot does not read.
	Ignored []string
	// File is how the file was read: its kind, encoding, header row,
	// the columns used for each field and the headers to choose a
	// mapping from. Its rows are not kept.
	File results.File `json:"-"`
	// Remember is the part of the mapping the file was read with that
	// the event file's [results.columns] does not have yet.
	Remember results.Mapping `json:",omitempty"`
	// Flagged counts the rows of New and Changed that have a flag.
	Flagged int
	// Skipped counts, for an import applied, the rows left out: with
	// problems, or flagged and not accepted.
	Skipped int
	// Previous is the earlier import of the very same file: applying it
	// again changes nothing.
	Previous *domain.Import `json:",omitempty"`
	// Applied says the report is of an import that was applied; Told
	// counts the results pushed, Corrections the corrections pushed.
	Applied     bool
	Told        int
	Corrections int
}

// CanApply reports whether applying the file with o would change
// something: it can be read, was not applied before, has new or changed
// results to apply, has no problem rows unless o skips them, and no
// flagged rows unless o skips or accepts them.
func (r ImportReport) CanApply(o ImportOptions) bool {
	return r.FileProblem == "" && r.Previous == nil && r.applied(o) > 0 &&
		(len(r.Problems) == 0 || o.SkipBad) && (r.Flagged == 0 || o.SkipBad || o.AcceptFlagged)
}

// applied counts the rows that applying with o applies.
func (r ImportReport) applied(o ImportOptions) int {
	n := len(r.New) + len(r.Changed)
	if !o.AcceptFlagged {
		n -= r.Flagged
	}
	return n
}

// Flagged reports whether the row needs a look before it is applied.
func (c ResultChange) Flagged() bool { return len(c.Flags) > 0 }

// PreviewResults is the dry run of a results file: what applying it
// would do. It changes nothing.
func (f *Flows) PreviewResults(ctx context.Context, name string, data []byte, o ImportOptions) (ImportReport, error) {
	var rep ImportReport
	err := f.store.View(ctx, func(tx domain.Tx) error {
		t := &turn{Flows: f, tx: tx, u: &domain.User{}, now: f.now()}
		var err error
		rep, err = t.importReport(name, data, o.Map)
		return err
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("preview results file %s: %w", name, err)
	}
	return rep, nil
}

// ApplyResults applies a results file for admin (a user key, or a name
// such as "cli" for the command line), in one transaction: new and
// changed results are saved, every result is ranked again, finishers
// are pushed their results and those already told of a result that
// changed a short correction, and the import is recorded and audited.
// Nothing is applied when the report cannot be (see CanApply): a file
// applied before, one with problem rows or flagged rows that o neither
// skips nor accepts, one that changes nothing. The report says what
// happened (Applied).
func (f *Flows) ApplyResults(ctx context.Context, admin, name string, data []byte, o ImportOptions) (ImportReport, error) {
	var rep ImportReport
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		t := &turn{Flows: f, tx: tx, u: &domain.User{Key: admin}, now: f.now()}
		var err error
		rep, err = t.applyImport(name, data, o)
		return err
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("apply results file %s: %w", name, err)
	}
	return rep, nil
}

// ImportReportText writes a report for organizers in lang: how the file
// was read, what it changes (or changed), row by row, and each problem
// and flag with its row number; all the rows, where the chat lists the
// first few of each kind.
func (f *Flows) ImportReportText(lang string, r ImportReport) string {
	t := &turn{Flows: f, u: &domain.User{Lang: lang}, now: f.now()}
	return t.importReportText(r, math.MaxInt)
}

func fileHash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// importReport reads the file with the mapping of the event file and m
// and compares it with the results stored.
func (t *turn) importReport(name string, data []byte, m results.Mapping) (ImportReport, error) {
	rep := ImportReport{Name: name, Hash: fileHash(data), Remember: results.Mapping{}}
	prev, err := t.tx.Import(rep.Hash)
	switch {
	case err == nil:
		rep.Previous = &prev
	case !errors.Is(err, domain.ErrNotFound):
		return rep, err
	}
	remembered := t.ev.Results.Mapping()
	mapping := results.Mapping{}
	for f, h := range remembered {
		mapping[f] = h
	}
	for f, h := range m {
		mapping[f] = h
		if remembered[f] != h {
			rep.Remember[f] = h
		}
	}
	file := results.Read(data, mapping)
	rep.FileProblem, rep.Ignored = file.Problem, file.Ignored
	rep.File = file
	rep.File.Rows, rep.File.Problems = nil, nil
	if file.Problem != "" {
		return rep, nil
	}
	rep.Rows = len(file.Rows) + len(file.Problems)
	rep.Problems = file.Problems
	byBib := map[int]domain.Registration{}
	err = t.tx.EachRegistration(func(r domain.Registration) error {
		if r.Bib > 0 {
			byBib[r.Bib] = r
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	lines := map[int][]int{}
	for _, row := range file.Rows {
		lines[row.Bib] = append(lines[row.Bib], row.Line)
	}
	for _, row := range file.Rows {
		if others := lines[row.Bib]; len(others) > 1 {
			rep.Problems = append(rep.Problems, RowProblem{Line: row.Line, Problem: RowBibDuplicate, Value: joinInts(others)})
			continue
		}
		reg, ok := byBib[row.Bib]
		switch {
		case !ok:
			rep.Problems = append(rep.Problems, RowProblem{Line: row.Line, Problem: RowBibUnknown, Value: strconv.Itoa(row.Bib)})
			continue
		case reg.Status != domain.StatusPaid:
			rep.Problems = append(rep.Problems, RowProblem{Line: row.Line, Problem: RowBibUnpaid, Value: strconv.Itoa(row.Bib)})
			continue
		}
		ch := t.resultChange(row, reg)
		old, err := t.tx.Result(reg.Code)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			rep.New = append(rep.New, ch)
		case err != nil:
			return rep, err
		case old.Status == ch.Status && old.Time == ch.Time && old.Chip == ch.Chip && old.Mode == event.InPerson:
			rep.Unchanged++
			continue
		default:
			ch.Was = &old
			rep.Changed = append(rep.Changed, ch)
		}
		if ch.Flagged() {
			rep.Flagged++
		}
	}
	slices.SortFunc(rep.Problems, func(a, b RowProblem) int { return a.Line - b.Line })
	return rep, nil
}

// resultChange is what a row of the file makes of reg's result: its
// times read as the distance makes plausible, and what needs a look.
func (t *turn) resultChange(row results.Row, reg domain.Registration) ResultChange {
	ch := ResultChange{Line: row.Line, Bib: row.Bib, Code: reg.Code, Name: reg.Name, Distance: reg.Distance,
		Status: domain.ResultStatus(row.Status), FileName: row.Name, FileDistance: row.Distance, Place: row.Place}
	if row.Name != "" && !distress.SameName(row.Name, reg.Name) {
		ch.Flags = append(ch.Flags, Flag{Kind: FlagName, Value: row.Name})
	}
	dist, _ := t.ev.Distance(reg.Distance)
	if row.Distance != "" && !sameDistance(row.Distance, dist, t.ev.Distances) {
		ch.Flags = append(ch.Flags, Flag{Kind: FlagDistance, Value: row.Distance})
	}
	if ch.Status != domain.ResultFinished {
		return ch
	}
	plausible := t.ev.PaceOf(dist).Plausible(dist.Km)
	read := func(r results.Reading, reread, implausible string) (time.Duration, results.Verdict) {
		d, verdict := r.Resolve(plausible)
		switch verdict {
		case results.TimeReread:
			ch.Flags = append(ch.Flags, Flag{Kind: reread, Value: r.Text})
		case results.TimeImplausible:
			ch.Flags = append(ch.Flags, Flag{Kind: implausible, Value: t.pace(reg.Distance, d)})
		}
		return d, verdict
	}
	var verdict results.Verdict
	ch.Time, verdict = read(row.Time, FlagTimeReread, FlagTimeImplausible)
	if verdict == results.TimeMinutes || verdict == results.TimeReread || strings.IndexFunc(row.Time.Text, unicode.IsLetter) >= 0 {
		ch.Cell = row.Time.Text
	}
	if row.Chip.Text != "" {
		ch.Chip, _ = read(row.Chip, FlagChipReread, FlagChipImplausible)
	}
	return ch
}

// kmIn is a length in a file's distance cell: "10 km", "5K", "21,1 км",
// "Half Marathon".
var kmIn = regexp.MustCompile(`(?i)(\d+(?:[.,]\d+)?)\s*(?:km|k|км|к)(?:$|[^\p{L}])|^\s*(\d+(?:[.,]\d+)?)\s*$`)

// sameDistance reports whether a file's distance cell can be d: it
// names d's id or its length, or nothing the bot can tell apart. It is
// not d when it names another length, or another distance's id.
func sameDistance(cell string, d event.Distance, all []event.Distance) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	c := norm(cell)
	for _, o := range all {
		if c == norm(o.ID) {
			return o.ID == d.ID
		}
	}
	km := 0.0
	switch low := strings.ToLower(cell); {
	case strings.Contains(low, "half") || strings.Contains(low, "полумарафон") || strings.Contains(low, "жартылай"):
		km = 21.0975
	case strings.Contains(low, "marathon") || strings.Contains(low, "марафон"):
		km = 42.195
	default:
		m := kmIn.FindStringSubmatch(cell)
		if m == nil {
			return true
		}
		km, _ = strconv.ParseFloat(strings.Replace(m[1]+m[2], ",", ".", 1), 64)
	}
	return math.Abs(km-d.Km) <= 0.02*d.Km+0.01
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// applyImport applies the file if it can be with o (see CanApply):
// the new and changed results, the flagged ones only when o accepts
// them.
func (t *turn) applyImport(name string, data []byte, o ImportOptions) (ImportReport, error) {
	rep, err := t.importReport(name, data, o.Map)
	if err != nil || !rep.CanApply(o) {
		return rep, err
	}
	source := "import:" + rep.Hash[:12]
	skipped := len(rep.Problems)
	keep := func(chs []ResultChange) []ResultChange {
		var out []ResultChange
		for _, ch := range chs {
			if ch.Flagged() && !o.AcceptFlagged {
				skipped++
				continue
			}
			out = append(out, ch)
		}
		return out
	}
	rep.New, rep.Changed = keep(rep.New), keep(rep.Changed)
	var touched []string
	for _, ch := range append(append([]ResultChange{}, rep.New...), rep.Changed...) {
		res := domain.Result{Code: ch.Code, Token: newToken()}
		if ch.Was != nil {
			res = *ch.Was
		}
		res.Bib, res.Distance, res.Mode = ch.Bib, ch.Distance, event.InPerson
		res.Status, res.Time, res.Chip = ch.Status, ch.Time, ch.Chip
		res.Version++
		res.Source, res.UpdatedAt = source, t.now
		if err := t.tx.PutResult(&res); err != nil {
			return rep, err
		}
		touched = append(touched, ch.Code)
	}
	if err := t.rank(); err != nil {
		return rep, err
	}
	for _, code := range touched {
		told, correction, err := t.tellResult(code, kindResults)
		if err != nil {
			return rep, err
		}
		if told && correction {
			rep.Corrections++
		} else if told {
			rep.Told++
		}
	}
	accepted := 0
	if o.AcceptFlagged {
		accepted = rep.Flagged
	}
	im := &domain.Import{Hash: rep.Hash, Name: name, Admin: t.u.Key, At: t.now, Rows: rep.Rows,
		New: len(rep.New), Changed: len(rep.Changed), Skipped: skipped}
	if err := t.tx.AddImport(im); err != nil {
		return rep, err
	}
	rep.Applied, rep.Skipped = true, skipped
	detail := fmt.Sprintf("file=%q rows=%d new=%d changed=%d skipped=%d flagged=%d accepted=%d told=%d corrections=%d",
		name, rep.Rows, len(rep.New), len(rep.Changed), skipped, rep.Flagged, accepted, rep.Told, rep.Corrections)
	return rep, t.audit("import_results", "import:"+rep.Hash[:12], detail)
}

// maxReportLines is how many rows of each kind the chat's report
// lists; a file of 3,500 rows would not fit in one message.
const maxReportLines = 15

func (t *turn) importReportText(r ImportReport, most int) string {
	var b strings.Builder
	line := func(s string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s)
	}
	line(t.T("import_report_file", "Name", r.Name))
	if r.FileProblem == "" || r.FileProblem == results.FileNoBib || r.FileProblem == results.FileNoTime {
		t.importColumnsText(r, line)
	}
	if r.FileProblem != "" {
		line(t.T("import_file_" + r.FileProblem))
		return b.String()
	}
	if r.Previous != nil && !r.Applied {
		line(t.T("import_already", "Date", t.formatTime(r.Previous.At), "Admin", r.Previous.Admin))
		return b.String()
	}
	if r.Applied {
		line(t.T("import_applied", "New", len(r.New), "Changed", len(r.Changed), "Told", r.Told, "Corrections", r.Corrections))
		if r.Skipped > 0 {
			line(t.N("import_skipped", r.Skipped))
		}
		return b.String()
	}
	line(t.T("import_summary", "Rows", r.Rows, "New", len(r.New), "Changed", len(r.Changed), "Unchanged", r.Unchanged, "Problems", len(r.Problems)))
	if r.Flagged > 0 {
		line(t.N("import_flagged_count", r.Flagged))
	}
	section := func(header string, rows []ResultChange, flagged bool) {
		var picked []ResultChange
		for _, ch := range rows {
			if ch.Flagged() == flagged {
				picked = append(picked, ch)
			}
		}
		if len(picked) == 0 {
			return
		}
		line("")
		line(t.T(header))
		for i, ch := range picked {
			if i == most {
				line(t.N("import_more", len(picked)-i))
				break
			}
			line(t.changeText(ch))
			for _, f := range ch.Flags {
				line("  ⚠ " + t.T("import_flag_"+f.Kind, "Value", f.Value))
			}
		}
	}
	all := append(append([]ResultChange{}, r.New...), r.Changed...)
	slices.SortFunc(all, func(a, b ResultChange) int { return a.Line - b.Line })
	section("import_flagged_header", all, true)
	section("import_changed_header", r.Changed, false)
	section("import_new_header", r.New, false)
	if len(r.Problems) > 0 {
		line("")
		line(t.T("import_problems_header"))
		for i, p := range r.Problems {
			if i == most {
				line(t.N("import_more", len(r.Problems)-i))
				break
			}
			line(t.T("import_row", "Line", p.Line, "Problem", t.T("import_row_"+p.Problem, "Value", p.Value)))
		}
	}
	line("")
	if !r.Applied && len(r.New)+len(r.Changed) > 0 && t.now.Before(t.ev.Day()) {
		// Results before the race: most likely the wrong file, or a
		// test; applying sends them to participants at once.
		line(t.T("import_early", "Date", t.formatDate(t.ev.Day())))
	}
	good := len(r.New) + len(r.Changed) - r.Flagged
	switch {
	case good == 0 && r.Flagged > 0:
		line(t.N("import_check_flagged", r.Flagged))
	case good == 0 && len(r.Problems) > 0:
		line(t.T("import_fix_rows"))
	case good == 0:
		line(t.T("import_nothing"))
	case len(r.Problems)+r.Flagged > 0:
		line(t.N("import_fix_or_skip", len(r.Problems)+r.Flagged))
	default:
		line(t.T("import_ready"))
	}
	return b.String()
}

// importColumnsText says how the file was read: its kind, the header
// row, which column is used for what, and the mapping to remember.
func (t *turn) importColumnsText(r ImportReport, line func(string)) {
	f := r.File
	if f.Kind == "xlsx" {
		line(t.T("import_read_xlsx", "Sheet", f.Sheet, "Line", f.HeaderLine))
	} else {
		line(t.T("import_read_csv", "Encoding", f.Encoding, "Separator", t.T("import_sep_"+f.Separator), "Line", f.HeaderLine))
	}
	if len(f.Columns) > 0 {
		var cols []string
		for _, c := range f.Columns {
			cols = append(cols, t.T("import_field_"+c.Field)+" ← “"+c.Header+"”")
		}
		line(t.T("import_columns", "Columns", strings.Join(cols, ", ")))
	}
	if len(r.Ignored) > 0 {
		line(t.T("import_ignored", "Columns", strings.Join(r.Ignored, ", ")))
	}
	if len(f.Missing) > 0 {
		line(t.T("import_map_missing", "Columns", strings.Join(f.Missing, ", ")))
	}
	if len(r.Remember) > 0 && r.FileProblem == "" {
		line(t.T("import_remember"))
		line(RememberLines(r.Remember))
	}
}

// RememberLines are the event file's lines that keep a mapping:
// [results.columns] and a line per field.
func RememberLines(m results.Mapping) string {
	var b strings.Builder
	b.WriteString("[results.columns]")
	for _, part := range strings.Split(m.String(), ",") {
		field, header, _ := strings.Cut(part, "=")
		fmt.Fprintf(&b, "\n%s = %s", field, strconv.Quote(header))
	}
	return b.String()
}

// changeText is a row the file adds or changes: its line, bib, the
// holder's name and the file's, the time, the file's place.
func (t *turn) changeText(ch ResultChange) string {
	now := t.resultValue(ch.Status, ch.Time)
	if ch.Cell != "" {
		now += " " + t.T("import_cell", "Cell", ch.Cell)
	}
	var s string
	if ch.Was != nil {
		s = t.T("import_changed_row", "Line", ch.Line, "Bib", ch.Bib, "Name", ch.Name, "Was", t.resultValue(ch.Was.Status, ch.Was.Time), "Now", now)
	} else {
		s = t.T("import_new_row", "Line", ch.Line, "Bib", ch.Bib, "Name", ch.Name, "Now", now)
	}
	if ch.FileName != "" && ch.FileName != ch.Name {
		s += " · " + t.T("import_file_name", "Name", ch.FileName)
	}
	if ch.Place > 0 {
		s += " · " + t.T("import_file_place", "Place", ch.Place)
	}
	return s
}

// resultValue is a time, or the status when there is none: "0:25:13",
// "did not finish".
func (t *turn) resultValue(st domain.ResultStatus, d time.Duration) string {
	if st == domain.ResultFinished {
		return results.FormatTime(d)
	}
	return t.T("result_status_" + string(st))
}
