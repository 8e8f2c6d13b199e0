package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// bom is the UTF-8 byte-order mark Excel needs to read UTF-8.
const bom = "\uFEFF"

// WriteCSV writes t as CSV with the columns' IDs as the header: UTF-8
// with a byte-order mark, so that Excel shows Kazakh and Russian
// letters right, and CRLF line ends, as Excel on Windows expects.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	row := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		row[i] = c.ID
	}
	if err := cw.Write(row); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	for _, cells := range t.Rows {
		row = row[:0]
		for _, c := range cells {
			row = append(row, c.csv())
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// csv is the cell as a CSV field.
func (c Cell) csv() string {
	switch c.kind {
	case text:
		return safeText(c.s)
	case exact:
		return c.s
	case number, money:
		return strconv.FormatFloat(c.n, 'f', -1, 64)
	case date:
		return c.t.Format("2006-01-02")
	case dateTime:
		return c.t.Format("2006-01-02 15:04")
	}
	return ""
}

// safeText keeps a spreadsheet from running what a participant typed: a
// value that starts like a formula (= + - @, or a tab or carriage
// return before one) and is not just a number or a phone number gets a
// leading apostrophe, so that it shows as text.
func safeText(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if strings.Trim(s, "0123456789 +-()") == "" {
		return s
	}
	return "'" + s
}
