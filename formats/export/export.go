// Package export writes the organizers' tables as files a spreadsheet
// opens right: CSV in UTF-8 with a byte-order mark, or XLSX. A table is
// a header and rows of typed cells (text, number, money, date, date and
// time); the caller gathers the rows, this package only writes them.
//
// In XLSX each cell keeps its type: text stays text (a phone number
// keeps its "+", a code its leading zeros), dates are dates, money is
// a number, and no text is ever read as a formula. A CSV has no types,
// so free text that starts like a formula gets a leading apostrophe;
// Exact cells (names under the name rules, codes, phones, bibs) are
// written as they are.
package export

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Format is the kind of file a table is written as, also its extension.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Formats are the formats, in the order they are offered.
var Formats = []Format{CSV, XLSX}

// ParseFormat reads "csv" or "xlsx"; "" is CSV.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case "":
		return CSV, nil
	case CSV, XLSX:
		return f, nil
	}
	return "", fmt.Errorf("unknown export format %q: csv or xlsx", s)
}

// MIME is the file's media type.
func (f Format) MIME() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv"
}

// kind is what a cell holds.
type kind uint8

const (
	empty kind = iota
	text
	exact
	number
	money
	date
	dateTime
)

// Cell is one typed value of a row. The zero Cell is empty.
type Cell struct {
	kind kind
	s    string
	n    float64
	t    time.Time
}

// Text is free text someone typed: in a CSV, a value that starts like a
// formula gets a leading apostrophe.
func Text(s string) Cell { return textCell(text, s) }

// Exact is text written exactly as it is in every format: names that
// passed the name rules, codes, statuses, phone numbers, bibs.
func Exact(s string) Cell { return textCell(exact, s) }

func textCell(k kind, s string) Cell {
	if s == "" {
		return Cell{}
	}
	return Cell{kind: k, s: s}
}

// Number is a plain number (a distance in km).
func Number(n float64) Cell { return Cell{kind: number, n: n} }

// Money is an amount in whole units of its currency.
func Money(n int) Cell { return Cell{kind: money, n: float64(n)} }

// Date is the calendar date of t; a zero t is empty.
func Date(t time.Time) Cell { return timeCell(date, t) }

// DateTime is t to the minute, in t's location; a zero t is empty.
func DateTime(t time.Time) Cell { return timeCell(dateTime, t) }

func timeCell(k kind, t time.Time) Cell {
	if t.IsZero() {
		return Cell{}
	}
	return Cell{kind: k, t: t}
}

// Column is one column's header: ID, the machine name a CSV carries
// (bib, name, phone), and Title, the header of an XLSX file in the
// organizer's language.
type Column struct {
	ID, Title string
}

// Table is what one file holds.
type Table struct {
	// Sheet names the XLSX sheet.
	Sheet   string
	Columns []Column
	Rows    [][]Cell
}

// Write writes t as format to w.
func Write(w io.Writer, format Format, t Table) error {
	switch format {
	case CSV:
		return WriteCSV(w, t)
	case XLSX:
		return WriteXLSX(w, t)
	}
	return fmt.Errorf("unknown export format %q", format)
}
