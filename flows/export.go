package flows

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The organizers' exports: CSV files in UTF-8 with a byte-order mark, so
// that Excel shows Kazakh and Russian letters right, with English column
// names.

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

// bom is the UTF-8 byte-order mark Excel needs to read UTF-8.
const bom = "\uFEFF"

// Export writes the CSV file of kind (ExportKinds) to w from one read
// transaction, then records in the audit log that admin exported it.
func (f *Flows) Export(ctx context.Context, admin, kind string, w io.Writer) error {
	err := f.store.View(ctx, func(tx Tx) error { return f.writeCSV(tx, kind, w) })
	if err == nil {
		err = f.Audit(ctx, admin, "export", kind, "")
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", kind, err)
	}
	return nil
}

func (f *Flows) writeCSV(tx Tx, kind string, w io.Writer) error {
	var rows [][]string
	var err error
	switch kind {
	case ExportRegistrations:
		rows, err = f.registrationRows(tx)
	case ExportFunStarts:
		rows, err = f.childRows(tx)
	case ExportBibs:
		rows, err = f.bibRows(tx)
	default:
		return fmt.Errorf("unknown export %q", kind)
	}
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	// Excel on Windows expects CRLF line ends.
	cw.UseCRLF = true
	for _, row := range rows {
		for i, cell := range row {
			row[i] = safeCell(cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell keeps a spreadsheet from running what a participant typed: a
// cell that starts like a formula (= + - @) and is not just a number or
// a phone number gets a leading apostrophe, so it shows as text.
func safeCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if strings.Trim(s, "0123456789 +-()") == "" {
		return s
	}
	return "'" + s
}

// csvTime is a moment in the event's time zone, as spreadsheets read it.
func (f *Flows) csvTime(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return at.In(f.ev.Location()).Format("2006-01-02 15:04")
}

func num(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

var registrationColumns = []string{
	"code", "status", "name", "birth_date", "gender", "phone", "mode", "distance", "distance_km", "category",
	"tshirt", "emergency_name", "emergency_phone", "guardian", "fee", "promo", "discount", "paid_amount",
	"refund_due", "currency", "bib", "created_at", "consent_at", "paid_at", "kit_collected_at", "checked_in_at",
	"language", "channel",
}

func (f *Flows) registrationRows(tx Tx) ([][]string, error) {
	rows := [][]string{append(slices.Clone(registrationColumns), paymentColumns...)}
	err := tx.EachRegistration(func(r Registration) error {
		paid, err := paidOrder(tx, r.Code, r.Orders)
		if err != nil {
			return err
		}
		km := ""
		if d, ok := f.ev.Distance(r.Distance); ok {
			km = strconv.FormatFloat(d.Km, 'f', -1, 64)
		}
		rows = append(rows, append([]string{
			r.Code, string(r.Status), r.Name, r.Birth, r.Gender, r.Phone, string(r.Mode), r.Distance, km, r.Category,
			r.TShirt, r.EmergencyName, r.EmergencyPhone, r.Guardian, strconv.Itoa(r.Fee), r.Promo, num(r.Discount),
			strconv.Itoa(r.PaidAmount), num(r.RefundDue), r.Currency, num(r.Bib), f.csvTime(r.CreatedAt),
			f.csvTime(r.ConsentAt), f.csvTime(r.PaidAt), f.csvTime(r.KitCollectedAt), f.csvTime(r.CheckedInAt),
			r.Lang, channelOf(r.UserKey),
		}, paymentCells(paid)...))
		return nil
	})
	return rows, err
}

var childColumns = []string{
	"code", "status", "child_name", "birth_date", "tshirt", "support_needs", "parent_name", "parent_phone",
	"fee", "paid_amount", "refund_due", "currency", "created_at", "consent_at", "paid_at", "language", "channel",
}

func (f *Flows) childRows(tx Tx) ([][]string, error) {
	rows := [][]string{append(slices.Clone(childColumns), paymentColumns...)}
	err := tx.EachChild(func(c Child) error {
		paid, err := paidOrder(tx, c.Code, c.Orders)
		if err != nil {
			return err
		}
		rows = append(rows, append([]string{
			c.Code, string(c.Status), c.Name, c.Birth, c.TShirt, c.SupportNeeds, c.ParentName, c.ParentPhone,
			strconv.Itoa(c.Fee), strconv.Itoa(c.PaidAmount), num(c.RefundDue), c.Currency, f.csvTime(c.CreatedAt),
			f.csvTime(c.ConsentAt), f.csvTime(c.PaidAt), c.Lang, channelOf(c.UserKey),
		}, paymentCells(paid)...))
		return nil
	})
	return rows, err
}

var bibColumns = []string{"bib", "name", "gender", "birth_year", "distance"}

func (f *Flows) bibRows(tx Tx) ([][]string, error) {
	var paid []Registration
	err := tx.EachRegistration(func(r Registration) error {
		if r.Status == StatusPaid && r.Bib > 0 {
			paid = append(paid, r)
		}
		return nil
	})
	slices.SortFunc(paid, func(a, b Registration) int { return a.Bib - b.Bib })
	rows := [][]string{bibColumns}
	for _, r := range paid {
		year, _, _ := strings.Cut(r.Birth, "-")
		rows = append(rows, []string{strconv.Itoa(r.Bib), r.Name, r.Gender, year, r.Distance})
	}
	return rows, err
}

// adminExport is /export [registrations|funstarts|bibs]: the CSV file as
// a document, registrations when no kind is named.
func adminExport(t *turn, arg string) error {
	kind := strings.ToLower(strings.TrimSpace(arg))
	if kind == "" {
		kind = ExportRegistrations
	}
	if !slices.Contains(ExportKinds, kind) {
		t.note("admin_export_usage")
		return nil
	}
	var b bytes.Buffer
	if err := t.writeCSV(t.tx, kind, &b); err != nil {
		return err
	}
	name := kind + "-" + t.now.In(t.ev.Location()).Format("2006-01-02-1504") + ".csv"
	t.attach(t.T("admin_export_"+kind), &Document{Name: name, MIME: "text/csv", Data: b.Bytes()})
	return t.audit("export", kind, "")
}
