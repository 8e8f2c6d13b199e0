package flows

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/runforautism/rfabot/event"
)

// Importing the timing company's results: a dry run (PreviewResults)
// shows what the file would change and what is wrong with it, and
// ApplyResults applies it in one transaction, ranks every result again
// and queues the pushes. The chat (/import), the import-results command
// and the organizers' dashboard all go through these two and
// ImportReportText.

// ResultChange is a row of the file that adds or changes a result.
type ResultChange struct {
	Line     int
	Bib      int
	Code     string
	Name     string
	Distance string
	Status   ResultStatus
	Time     time.Duration
	Chip     time.Duration
	// Was is the result before, for a change; nil for a new result.
	Was *Result `json:",omitempty"`
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
	// Previous is the earlier import of the very same file: applying it
	// again changes nothing.
	Previous *Import `json:",omitempty"`
	// Applied says the report is of an import that was applied; Told
	// counts the results pushed, Corrections the corrections pushed.
	Applied     bool
	Told        int
	Corrections int
}

// CanApply reports whether applying the file would change something:
// it can be read, was not applied before, has new or changed results,
// and has no problem rows, or skipBad says to leave them out.
func (r ImportReport) CanApply(skipBad bool) bool {
	return r.FileProblem == "" && r.Previous == nil && len(r.New)+len(r.Changed) > 0 &&
		(len(r.Problems) == 0 || skipBad)
}

// PreviewResults is the dry run of a results file: what applying it
// would do. It changes nothing.
func (f *Flows) PreviewResults(ctx context.Context, name string, data []byte) (ImportReport, error) {
	var rep ImportReport
	err := f.store.View(ctx, func(tx Tx) error {
		t := &turn{Flows: f, tx: tx, u: &User{}, now: f.now()}
		var err error
		rep, err = t.importReport(name, data)
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
// applied before, one with problem rows unless skipBad, one that
// changes nothing. The report says what happened (Applied).
func (f *Flows) ApplyResults(ctx context.Context, admin, name string, data []byte, skipBad bool) (ImportReport, error) {
	var rep ImportReport
	err := f.store.Update(ctx, func(tx Tx) error {
		t := &turn{Flows: f, tx: tx, u: &User{Key: admin}, now: f.now()}
		var err error
		rep, err = t.applyImport(name, data, skipBad)
		return err
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("apply results file %s: %w", name, err)
	}
	return rep, nil
}

// ImportReportText writes a report for organizers in lang: what the
// file changes (or changed), and each problem with its row number.
func (f *Flows) ImportReportText(lang string, r ImportReport) string {
	t := &turn{Flows: f, u: &User{Lang: lang}, now: f.now()}
	return t.importReportText(r)
}

func fileHash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// importReport reads the file and compares it with the results stored.
func (t *turn) importReport(name string, data []byte) (ImportReport, error) {
	rep := ImportReport{Name: name, Hash: fileHash(data)}
	prev, err := t.tx.Import(rep.Hash)
	switch {
	case err == nil:
		rep.Previous = &prev
	case !errors.Is(err, ErrNotFound):
		return rep, err
	}
	file := ParseResults(data)
	rep.FileProblem, rep.Ignored = file.Problem, file.Ignored
	if file.Problem != "" {
		return rep, nil
	}
	rep.Rows = len(file.Rows) + len(file.Problems)
	rep.Problems = file.Problems
	byBib := map[int]Registration{}
	err = t.tx.EachRegistration(func(r Registration) error {
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
		case reg.Status != StatusPaid:
			rep.Problems = append(rep.Problems, RowProblem{Line: row.Line, Problem: RowBibUnpaid, Value: strconv.Itoa(row.Bib)})
			continue
		}
		ch := ResultChange{Line: row.Line, Bib: row.Bib, Code: reg.Code, Name: reg.Name, Distance: reg.Distance,
			Status: row.Status, Time: row.Time, Chip: row.Chip}
		old, err := t.tx.Result(reg.Code)
		switch {
		case errors.Is(err, ErrNotFound):
			rep.New = append(rep.New, ch)
		case err != nil:
			return rep, err
		case old.Status == row.Status && old.Time == row.Time && old.Chip == row.Chip && old.Mode == event.InPerson:
			rep.Unchanged++
		default:
			ch.Was = &old
			rep.Changed = append(rep.Changed, ch)
		}
	}
	slices.SortFunc(rep.Problems, func(a, b RowProblem) int { return a.Line - b.Line })
	return rep, nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// applyImport applies the file if it can be (see CanApply).
func (t *turn) applyImport(name string, data []byte, skipBad bool) (ImportReport, error) {
	rep, err := t.importReport(name, data)
	if err != nil || !rep.CanApply(skipBad) {
		return rep, err
	}
	source := "import:" + rep.Hash[:12]
	var touched []string
	for _, ch := range append(append([]ResultChange{}, rep.New...), rep.Changed...) {
		res := Result{Code: ch.Code, Token: newToken()}
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
	im := &Import{Hash: rep.Hash, Name: name, Admin: t.u.Key, At: t.now, Rows: rep.Rows,
		New: len(rep.New), Changed: len(rep.Changed), Skipped: len(rep.Problems)}
	if err := t.tx.AddImport(im); err != nil {
		return rep, err
	}
	rep.Applied = true
	detail := fmt.Sprintf("file=%q rows=%d new=%d changed=%d skipped=%d told=%d corrections=%d",
		name, rep.Rows, len(rep.New), len(rep.Changed), len(rep.Problems), rep.Told, rep.Corrections)
	return rep, t.audit("import_results", "import:"+rep.Hash[:12], detail)
}

// maxReportLines is how many rows of each kind a report lists; a file
// of 3,500 rows would not fit in one message.
const maxReportLines = 15

func (t *turn) importReportText(r ImportReport) string {
	var b strings.Builder
	line := func(s string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s)
	}
	line(t.T("import_report_file", "Name", r.Name))
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
		if len(r.Problems) > 0 {
			line(t.N("import_skipped", len(r.Problems)))
		}
		return b.String()
	}
	line(t.T("import_summary", "Rows", r.Rows, "New", len(r.New), "Changed", len(r.Changed), "Unchanged", r.Unchanged, "Problems", len(r.Problems)))
	if len(r.Ignored) > 0 {
		line(t.T("import_ignored", "Columns", strings.Join(r.Ignored, ", ")))
	}
	if len(r.Changed) > 0 {
		line("")
		line(t.T("import_changed_header"))
		for i, ch := range r.Changed {
			if i == maxReportLines {
				line(t.N("import_more", len(r.Changed)-i))
				break
			}
			line(t.T("import_changed_row", "Line", ch.Line, "Bib", ch.Bib, "Name", ch.Name,
				"Was", t.resultValue(ch.Was.Status, ch.Was.Time), "Now", t.resultValue(ch.Status, ch.Time)))
		}
	}
	if len(r.Problems) > 0 {
		line("")
		line(t.T("import_problems_header"))
		for i, p := range r.Problems {
			if i == maxReportLines {
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
	switch {
	case len(r.New)+len(r.Changed) == 0 && len(r.Problems) > 0:
		line(t.T("import_fix_rows"))
	case len(r.New)+len(r.Changed) == 0:
		line(t.T("import_nothing"))
	case len(r.Problems) > 0:
		line(t.N("import_fix_or_skip", len(r.Problems)))
	default:
		line(t.T("import_ready"))
	}
	return b.String()
}

// resultValue is a time, or the status when there is none: "0:25:13",
// "did not finish".
func (t *turn) resultValue(st ResultStatus, d time.Duration) string {
	if st == ResultFinished {
		return FormatRaceTime(d)
	}
	return t.T("result_status_" + string(st))
}
