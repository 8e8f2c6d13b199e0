package export

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The number formats of the typed cells. Dates are written year first,
// the same in every locale; "@" keeps a text cell text when someone
// edits it.
var (
	textFormat     = "@"
	moneyFormat    = "#,##0"
	dateFormat     = "yyyy-mm-dd"
	dateTimeFormat = "yyyy-mm-dd hh:mm"
)

// Column widths in characters: as wide as the longest value, within
// these bounds.
const (
	minWidth = 8
	maxWidth = 50
)

// WriteXLSX writes t as an XLSX workbook of one sheet: the columns'
// titles as a bold header row that stays in view while scrolling
// (frozen), each cell with its type.
func WriteXLSX(w io.Writer, t Table) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("xlsx: %w", cerr)
		}
	}()
	if err := write(f, t); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func write(f *excelize.File, t Table) error {
	sheet := t.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, width := range widths(t) {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		title := c.Title
		if title == "" {
			title = c.ID
		}
		header[i] = excelize.Cell{StyleID: styles.header, Value: title}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: styles.header}); err != nil {
		return err
	}
	row := make([]any, 0, len(t.Columns))
	for n, cells := range t.Rows {
		row = row[:0]
		for _, c := range cells {
			row = append(row, c.xlsx(styles))
		}
		ref, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// styles are the workbook's style ids.
type styles struct {
	header, text, money, date, dateTime int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	for _, st := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &textFormat}},
		{&s.text, excelize.Style{CustomNumFmt: &textFormat}},
		{&s.money, excelize.Style{CustomNumFmt: &moneyFormat}},
		{&s.date, excelize.Style{CustomNumFmt: &dateFormat}},
		{&s.dateTime, excelize.Style{CustomNumFmt: &dateTimeFormat}},
	} {
		id, err := f.NewStyle(&st.style)
		if err != nil {
			return styles{}, err
		}
		*st.id = id
	}
	return s, nil
}

// xlsx is the cell as excelize writes it.
func (c Cell) xlsx(s styles) any {
	switch c.kind {
	case text, exact:
		return excelize.Cell{StyleID: s.text, Value: c.s}
	case number:
		return excelize.Cell{Value: c.n}
	case money:
		return excelize.Cell{StyleID: s.money, Value: c.n}
	case date:
		return excelize.Cell{StyleID: s.date, Value: c.t}
	case dateTime:
		return excelize.Cell{StyleID: s.dateTime, Value: c.t}
	}
	return nil
}

// widths are the columns' widths: the longest of the title and the
// values as a CSV shows them, within minWidth and maxWidth.
func widths(t Table) []float64 {
	out := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = float64(max(utf8.RuneCountInString(c.Title), utf8.RuneCountInString(c.ID)))
	}
	for _, cells := range t.Rows {
		for i, c := range cells {
			if i < len(out) {
				out[i] = max(out[i], float64(utf8.RuneCountInString(c.csv())))
			}
		}
	}
	for i := range out {
		out[i] = min(max(out[i]+2, minWidth), maxWidth)
	}
	return out
}
