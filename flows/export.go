package flows

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/formats/export"
)

// The organizers' exports: one table per kind, gathered in one read
// transaction and written by formats/export as CSV (English column
// names, for machines and the timing company) or XLSX (typed cells,
// headers in the organizer's language).

// Export kinds, also the files' base names.
const (
	// ExportRegistrations is one row per registration, every status.
	ExportRegistrations = "registrations"
	// ExportFunStarts is one row per Fun Starts child, with the notes
	// on support needs: for organizers only.
	ExportFunStarts = "funstarts"
	// ExportBibs is the bib list for the timing company: paid
	// registrations with a bib, by bib.
	ExportBibs = "bibs"
)

// ExportKinds are the exports, in the order they are offered.
var ExportKinds = []string{ExportRegistrations, ExportFunStarts, ExportBibs}

// ExportFile is one file of the exports: its Kind (ExportKinds), its
// Format, and Lang, the language of an XLSX file's headers.
type ExportFile struct {
	Kind   string
	Format export.Format
	Lang   string
}

// exportName is the file's name for an export made at:
// "bibs-2027-04-03-0930.xlsx".
func (f *Flows) exportName(file ExportFile, at time.Time) string {
	return file.Kind + "-" + at.In(f.ev.Location()).Format("2006-01-02-1504") + "." + string(file.Format)
}

// Export writes file to w from one read transaction, then records in
// the audit log that admin exported it. A file without a Format is CSV.
func (f *Flows) Export(ctx context.Context, admin string, file ExportFile, w io.Writer) error {
	if file.Format == "" {
		file.Format = export.CSV
	}
	err := f.store.View(ctx, func(tx domain.Tx) error { return f.Speaker(file.Lang).t.writeExport(tx, file, w) })
	if err == nil {
		err = f.Audit(ctx, admin, "export", file.Kind, string(file.Format))
	}
	if err != nil {
		return fmt.Errorf("export %s.%s: %w", file.Kind, file.Format, err)
	}
	return nil
}

// writeExport writes file with the headers in the turn's language.
func (t *turn) writeExport(tx domain.Tx, file ExportFile, w io.Writer) error {
	var columns []string
	var rows [][]export.Cell
	var err error
	switch file.Kind {
	case ExportRegistrations:
		columns = append(slices.Clone(registrationColumns), paymentColumns...)
		rows, err = t.registrationRows(tx)
	case ExportFunStarts:
		columns = append(slices.Clone(childColumns), paymentColumns...)
		rows, err = t.childRows(tx)
	case ExportBibs:
		columns = bibColumns
		rows, err = t.bibRows(tx)
	default:
		return fmt.Errorf("unknown export %q", file.Kind)
	}
	if err != nil {
		return err
	}
	table := export.Table{Sheet: t.T("export_sheet_" + file.Kind), Rows: rows}
	for _, id := range columns {
		table.Columns = append(table.Columns, export.Column{ID: id, Title: t.T("export_col_" + id)})
	}
	return export.Write(w, file.Format, table)
}

// exportTime is a moment in the event's time zone, to the minute.
func (f *Flows) exportTime(at time.Time) export.Cell {
	if at.IsZero() {
		return export.Cell{}
	}
	return export.DateTime(at.In(f.ev.Location()))
}

// exportBirth is a date of birth as stored (2012-04-03) as a date.
func exportBirth(s string) export.Cell {
	if b, err := time.Parse("2006-01-02", s); err == nil {
		return export.Date(b)
	}
	return export.Exact(s)
}

// optMoney is an amount that is left empty when there is none.
func optMoney(n int) export.Cell {
	if n == 0 {
		return export.Cell{}
	}
	return export.Money(n)
}

// bibCell is a bib as text: "" when there is none.
func bibCell(n int) export.Cell {
	if n == 0 {
		return export.Cell{}
	}
	return export.Exact(strconv.Itoa(n))
}

var registrationColumns = []string{
	"code", "status", "name", "birth_date", "gender", "phone", "mode", "distance", "distance_km", "category",
	"tshirt", "emergency_name", "emergency_phone", "guardian", "fee", "promo", "discount", "paid_amount",
	"refund_due", "currency", "bib", "created_at", "consent_at", "paid_at", "kit_collected_at", "checked_in_at",
	"language", "channel",
}

func (f *Flows) registrationRows(tx domain.Tx) ([][]export.Cell, error) {
	var rows [][]export.Cell
	err := eachEntry(tx, domain.KindRunner, func(r domain.Registration) error {
		paid, err := paidOrder(tx, r.Code, r.Orders)
		if err != nil {
			return err
		}
		var km export.Cell
		if d, ok := f.ev.Distance(r.Distance); ok {
			km = export.Number(d.Km)
		}
		rows = append(rows, append([]export.Cell{
			export.Exact(r.Code), export.Exact(string(r.Status)), export.Exact(r.Name), exportBirth(r.Birth),
			export.Exact(r.Gender), export.Exact(r.Phone), export.Exact(string(r.Mode)), export.Exact(r.Distance), km,
			export.Exact(r.Category), export.Exact(r.TShirt), export.Exact(r.EmergencyName), export.Exact(r.EmergencyPhone),
			export.Exact(r.Guardian), export.Money(r.Fee), export.Exact(r.Promo), optMoney(r.Discount),
			export.Money(r.PaidAmount), optMoney(r.RefundDue), export.Exact(r.Currency), bibCell(r.Bib), f.exportTime(r.CreatedAt),
			f.exportTime(r.ConsentAt), f.exportTime(r.PaidAt), f.exportTime(r.KitCollectedAt), f.exportTime(r.CheckedInAt),
			export.Exact(r.Lang), export.Exact(channelOf(r.UserKey)),
		}, paymentCells(paid)...))
		return nil
	})
	return rows, err
}

var childColumns = []string{
	"code", "status", "child_name", "birth_date", "tshirt", "support_needs", "parent_name", "parent_phone",
	"fee", "paid_amount", "refund_due", "currency", "created_at", "consent_at", "paid_at", "language", "channel",
}

// childRows: the notes on support needs are the one free text of the
// exports, guarded in a CSV.
func (f *Flows) childRows(tx domain.Tx) ([][]export.Cell, error) {
	var rows [][]export.Cell
	err := eachEntry(tx, domain.KindChild, func(c domain.Registration) error {
		paid, err := paidOrder(tx, c.Code, c.Orders)
		if err != nil {
			return err
		}
		rows = append(rows, append([]export.Cell{
			export.Exact(c.Code), export.Exact(string(c.Status)), export.Exact(c.Name), exportBirth(c.Birth),
			export.Exact(c.TShirt), export.Text(c.SupportNeeds), export.Exact(c.Guardian), export.Exact(c.Phone),
			export.Money(c.Fee), export.Money(c.PaidAmount), optMoney(c.RefundDue), export.Exact(c.Currency),
			f.exportTime(c.CreatedAt), f.exportTime(c.ConsentAt), f.exportTime(c.PaidAt), export.Exact(c.Lang),
			export.Exact(channelOf(c.UserKey)),
		}, paymentCells(paid)...))
		return nil
	})
	return rows, err
}

var bibColumns = []string{"bib", "name", "gender", "birth_year", "distance"}

// bibRows: the names exactly as registered, for the timing company.
func (f *Flows) bibRows(tx domain.Tx) ([][]export.Cell, error) {
	var paid []domain.Registration
	err := tx.EachRegistration(func(r domain.Registration) error {
		if r.Status == domain.StatusPaid && r.Bib > 0 {
			paid = append(paid, r)
		}
		return nil
	})
	slices.SortFunc(paid, func(a, b domain.Registration) int { return a.Bib - b.Bib })
	var rows [][]export.Cell
	for _, r := range paid {
		year, _, _ := strings.Cut(r.Birth, "-")
		rows = append(rows, []export.Cell{bibCell(r.Bib), export.Exact(r.Name), export.Exact(r.Gender), export.Exact(year), export.Exact(r.Distance)})
	}
	return rows, err
}

// adminExport is /export [registrations|funstarts|bibs] [csv|xlsx]: the
// file as a document, registrations as CSV when nothing is named, the
// headers of an XLSX file in the organizer's language.
func adminExport(t *turn, arg string) error {
	file := ExportFile{Kind: ExportRegistrations, Format: export.CSV, Lang: t.u.Lang}
	for _, word := range strings.Fields(strings.ToLower(arg)) {
		if format, err := export.ParseFormat(word); err == nil {
			file.Format = format
		} else if slices.Contains(ExportKinds, word) {
			file.Kind = word
		} else {
			t.note("admin_export_usage")
			return nil
		}
	}
	var b bytes.Buffer
	if err := t.writeExport(t.tx, file, &b); err != nil {
		return err
	}
	t.attach(t.T("admin_export_"+file.Kind), &dialog.Document{Name: t.exportName(file, t.now), MIME: file.Format.MIME(), Data: b.Bytes()})
	return t.audit("export", file.Kind, string(file.Format))
}
