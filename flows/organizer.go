package flows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/formats/results"
)

// The organizers' operations. Each is one transaction, audited, and the
// same for the chat commands (/markpaid, /cancelreg) and the dashboard:
// the chat calls the turn methods in the admin's turn, the dashboard the
// Flows methods with the organizer's name ("dashboard:<name>").

// kindCancel is the push telling a participant the organizers cancelled
// their registration.
const kindCancel = "cancel"

// organizerTurn is a turn of an organizer who is not chatting (the
// dashboard), for the operations below.
func (f *Flows) organizerTurn(tx domain.Tx, admin string) *turn {
	return &turn{Flows: f, tx: tx, u: &domain.User{Key: admin, Lang: domain.FallbackLang}, now: f.now()}
}

// organize runs op as organizer admin in one transaction. An error of
// op (ErrNotFound, ErrAlreadyDone, ErrWrongStatus, ErrReasonNeeded or a
// storage failure) rolls everything back and is returned wrapped.
func organize[R any](ctx context.Context, f *Flows, what, admin, code string, op func(t *turn) (R, error)) (R, error) {
	var r R
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		var err error
		r, err = op(f.organizerTurn(tx, admin))
		return err
	})
	if err != nil {
		var zero R
		return zero, fmt.Errorf("%s %s by %s: %w", what, code, admin, err)
	}
	return r, nil
}

// MarkPaid marks entry code paid by hand (cash at the kit desk): a
// runner gets the bib, and the participant (or parent) the same
// confirmation as after an online payment; a pending switch to a
// dearer distance is completed the same way. admin is who did it,
// reason goes to the audit log. It returns the entry as it is now, or
// ErrReasonNeeded, ErrNotFound, ErrAlreadyDone (paid or confirmed
// already) or ErrWrongStatus (lapsed, cancelled or refunded).
func (f *Flows) MarkPaid(ctx context.Context, admin, code, reason string) (domain.Registration, error) {
	return organize(ctx, f, "mark paid", admin, code, func(t *turn) (domain.Registration, error) { return t.markPaid(code, reason) })
}

// CancelRegistration cancels entry code, of either kind, for the
// organizers: its place is released exactly once and offered to the
// waitlist, the same way as when a participant cancels, and the
// participant (or parent) is told. Money
// paid stays recorded (PaidAmount): a refund through the provider
// records its return. Errors as MarkPaid (ErrAlreadyDone: cancelled
// already; ErrWrongStatus: lapsed or refunded, holding no place).
func (f *Flows) CancelRegistration(ctx context.Context, admin, code, reason string) (domain.Registration, error) {
	return organize(ctx, f, "cancel", admin, code, func(t *turn) (domain.Registration, error) { return t.cancelReg(code, reason) })
}

// CheckIn records a step of race day for a paid registration: the kit
// handed out or the participant checked in, by admin, audited. Errors:
// ErrNotFound, ErrAlreadyDone (recorded before: the first time stays),
// ErrWrongStatus (not paid).
func (f *Flows) CheckIn(ctx context.Context, admin, code string, step domain.Desk) (domain.Registration, error) {
	return organize(ctx, f, "check in", admin, code, func(t *turn) (domain.Registration, error) { return t.checkIn(code, step) })
}

// Audit records an organizer's action that changes nothing in the bot
// (a backup of the database) in the audit log.
func (f *Flows) Audit(ctx context.Context, admin, action, record, detail string) error {
	err := f.store.Update(ctx, func(tx domain.Tx) error { return f.organizerTurn(tx, admin).audit(action, record, detail) })
	if err != nil {
		return fmt.Errorf("audit %s by %s: %w", action, admin, err)
	}
	return nil
}

// normCode is a code as typed: upper case, without spaces.
func normCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// byHand reads entry code for an organizer's change by hand, which
// needs a reason for the audit log.
func (t *turn) byHand(code, reason string) (domain.Registration, error) {
	if strings.TrimSpace(reason) == "" {
		return domain.Registration{}, domain.ErrReasonNeeded
	}
	return t.tx.Registration(normCode(code))
}

func (t *turn) markPaid(code, reason string) (domain.Registration, error) {
	r, err := t.byHand(code, reason)
	if err != nil {
		return r, err
	}
	o, err := t.owner(r)
	if err != nil {
		return r, err
	}
	switch {
	case r.Status == domain.StatusAwaitingPayment:
		if err := o.voidOrder(r.Order); err != nil {
			return r, err
		}
		if err := o.confirm(&r, r.Due()); err != nil {
			return r, err
		}
	case r.Status == domain.StatusPaid && r.UpgradeTo != "":
		order, err := t.tx.Order(r.UpgradeOrder)
		if err != nil {
			return r, err
		}
		if err := o.voidOrder(order.ID); err != nil {
			return r, err
		}
		from := r.Distance
		if err := o.completeUpgrade(&r, order.Amount); err != nil {
			return r, err
		}
		if err := o.push(kindPayment, "upgrade:"+order.ID, o.confirmation(r, "upgrade_done", "From", o.distanceName(from))); err != nil {
			return r, err
		}
	case r.Status.Settled():
		return r, domain.ErrAlreadyDone
	default:
		return r, domain.ErrWrongStatus
	}
	return r, t.audit("markpaid", r.Code, strings.TrimSpace(reason))
}

func (t *turn) cancelReg(code, reason string) (domain.Registration, error) {
	r, err := t.byHand(code, reason)
	if err != nil {
		return r, err
	}
	switch {
	case r.Status == domain.StatusCancelled:
		return r, domain.ErrAlreadyDone
	case !r.Status.Active():
		return r, domain.ErrWrongStatus
	}
	o, err := t.owner(r)
	if err != nil {
		return r, err
	}
	if err := o.cancel(&r); err != nil {
		return r, err
	}
	text := o.T(textOf(r, "cancelled_by_organizers"), "Name", r.Name, "Code", r.Code, "Distance", o.distanceName(r.Distance))
	if c := o.ev.Contacts.In(o.u.Lang); c != "" {
		text += "\n" + o.T("info_contacts", "Contacts", c)
	}
	if err := o.push(kindCancel, "cancel:"+r.Code, dialog.Reply{Text: text, Choices: []dialog.Choice{o.choice("menu_mine", payMine)}}); err != nil {
		return r, err
	}
	return r, t.audit("cancelreg", r.Code, strings.TrimSpace(reason))
}

// cancel gives up a registration that is still active: a place it holds
// goes back to the waitlist (release), a waitlisted one leaves the line;
// an unpaid one gives its promo code use back.
func (t *turn) cancel(r *domain.Registration) error {
	if r.Status.HoldsPlace() {
		return t.release(r, domain.StatusCancelled)
	}
	if r.Status != domain.StatusWaitlisted {
		return fmt.Errorf("cancel %s: status %s", r.Code, r.Status)
	}
	r.Status, r.WaitlistedAt = domain.StatusCancelled, time.Time{}
	if r.Promo != "" {
		if err := t.tx.ReleasePromo(r.Promo); err != nil {
			return err
		}
	}
	return t.tx.PutRegistration(r)
}

func (t *turn) checkIn(code string, step domain.Desk) (domain.Registration, error) {
	r, err := runner(t.tx, normCode(code))
	if err != nil {
		return domain.Registration{}, err
	}
	if r.Status != domain.StatusPaid {
		return r, domain.ErrWrongStatus
	}
	at, by := &r.KitCollectedAt, &r.KitCollectedBy
	if step == domain.DeskCheckIn {
		at, by = &r.CheckedInAt, &r.CheckedInBy
	}
	if !at.IsZero() {
		return r, domain.ErrAlreadyDone
	}
	*at, *by = t.now, t.u.Key
	if err := t.tx.PutRegistration(&r); err != nil {
		return r, err
	}
	return r, t.audit(string(step), r.Code, "")
}

// Search lists the entries of both kinds that match query (a code or
// part of it, a bib, the last digits of a phone, part of a name, a
// child's parent's too; an empty query matches all), in code order. It
// reads every record in one transaction: at a few thousand entries that
// takes milliseconds, so there is no index.
func (f *Flows) Search(ctx context.Context, query string) ([]domain.Registration, error) {
	var found []domain.Registration
	err := f.store.View(ctx, func(tx domain.Tx) error {
		var err error
		found, err = search(tx, query)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("search registrations: %w", err)
	}
	return found, nil
}

func search(tx domain.Tx, query string) ([]domain.Registration, error) {
	q := newQuery(query)
	var found []domain.Registration
	err := tx.EachRegistration(func(r domain.Registration) error {
		name := r.Name
		if r.Kind == domain.KindChild {
			name += "\n" + r.Guardian
		}
		if q.matches(r.Code, name, r.Phone, r.Bib) {
			found = append(found, r)
		}
		return nil
	})
	return found, err
}

// runner returns the runner's registration with code: ErrNotFound for
// a child's entry, which has no kit, bib or check-in.
func runner(tx domain.Tx, code string) (domain.Registration, error) {
	r, err := tx.Registration(code)
	if err == nil && r.Kind != domain.KindRunner {
		return domain.Registration{}, fmt.Errorf("%s is a Fun Starts entry: %w", code, domain.ErrNotFound)
	}
	return r, err
}

// eachEntry calls fn for every entry of kind, in code order, stopping
// at the first error fn returns.
func eachEntry(tx domain.Tx, kind domain.Kind, fn func(domain.Registration) error) error {
	return tx.EachRegistration(func(r domain.Registration) error {
		if r.Kind != kind {
			return nil
		}
		return fn(r)
	})
}

// query is a search as organizers type it: a code or its part, a bib,
// the last digits of a phone number (at least four) or part of a name.
type query struct {
	text   string
	digits string
	bib    int
}

func newQuery(s string) query {
	q := query{text: foldName(strings.TrimSpace(s))}
	var d strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case strings.ContainsRune(" +-()", r):
		default:
			return q
		}
	}
	q.digits = d.String()
	// A number typed the Kazakh way, 8 701…, is +7 701….
	if len(q.digits) == 11 && q.digits[0] == '8' {
		q.digits = "7" + q.digits[1:]
	}
	q.bib, _ = strconv.Atoi(q.digits)
	return q
}

// matches reports whether a record matches: its code contains the
// query, its bib is it, its phone ends with its digits (at least four),
// or its name contains it, case and ё/е aside. An empty query matches
// everything.
func (q query) matches(code, name, phone string, bib int) bool {
	switch {
	case q.text == "":
		return true
	case strings.Contains(strings.ToLower(code), q.text):
		return true
	case q.digits != "" && bib > 0 && q.bib == bib:
		return true
	case len(q.digits) >= 4 && strings.HasSuffix(strings.TrimPrefix(phone, "+"), q.digits):
		return true
	case q.digits == "" && strings.Contains(foldName(name), q.text):
		return true
	}
	return false
}

// foldName is a name for comparison: lower case, ё as е, single spaces.
func foldName(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(strings.ToLower(s)), " "), "ё", "е")
}

// Record is everything organizers see of one entry, of either kind: the
// entry (with a child's parent's notes on the child's support needs),
// its orders, and its audit entries.
type Record struct {
	Registration domain.Registration
	Orders       []domain.Order
	Audit        []domain.AuditEntry
	// Channel is the messenger the participant registered on.
	Channel string
}

// Record returns entry code with its history, or ErrNotFound.
func (f *Flows) Record(ctx context.Context, code string) (Record, error) {
	var rec Record
	err := f.store.View(ctx, func(tx domain.Tx) error {
		r, err := tx.Registration(normCode(code))
		if err != nil {
			return err
		}
		rec = Record{Registration: r, Channel: channelOf(r.UserKey)}
		rec.Orders, rec.Audit, err = history(tx, r.Code, r.Orders)
		return err
	})
	if err != nil {
		return Record{}, fmt.Errorf("registration %s: %w", code, err)
	}
	return rec, nil
}

// history reads what happened to entry code: its n orders and its
// audit entries.
func history(tx domain.Tx, code string, n int) ([]domain.Order, []domain.AuditEntry, error) {
	issued, err := orders(tx, code, n)
	if err != nil {
		return nil, nil, err
	}
	audit, err := tx.AuditOf(code)
	return issued, audit, err
}

// orders reads the n orders issued for code (CODE-1 … CODE-n).
func orders(tx domain.Tx, code string, n int) ([]domain.Order, error) {
	var out []domain.Order
	for i := 1; i <= n; i++ {
		o, err := tx.Order(fmt.Sprintf("%s-%d", code, i))
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// channelOf is the channel of a user key: "telegram" of
// "telegram:12345".
func channelOf(userKey string) string { c, _, _ := strings.Cut(userKey, ":"); return c }

// Speaker writes what organizers' tools show in one language: texts of
// the locale files and the bot's formats of money, distances, times and
// phones.
type Speaker struct{ t *turn }

// Speaker speaks lang (kk, ru or en).
func (f *Flows) Speaker(lang string) Speaker {
	return Speaker{&turn{Flows: f, u: &domain.User{Lang: lang}}}
}

// T is text id, with name, value pairs.
func (s Speaker) T(id string, args ...any) string { return s.t.T(id, args...) }

// N is text id in the plural form for n, with name, value pairs.
func (s Speaker) N(id string, n int, args ...any) string { return s.t.N(id, n, args...) }

// Money writes an amount in the event's currency.
func (s Speaker) Money(n int) string { return s.t.formatMoney(n) }

// Distance names a distance by its id: "5 km".
func (s Speaker) Distance(id string) string { return s.t.distanceName(id) }

// Mode names a mode: "in person".
func (s Speaker) Mode(m event.Mode) string { return modeName(s.t, m) }

// Status names a status: "paid".
func (s Speaker) Status(st domain.Status) string { return s.t.T("status_" + string(st)) }

// Time writes a moment in the event's time zone: "3 April 2027, 14:05";
// the zero time is "".
func (s Speaker) Time(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return s.t.formatTime(at)
}

// Gender names a stored gender: "Female".
func (s Speaker) Gender(g string) string { return s.t.T("gender_" + g) }

// Purpose names what an order pays for: the fee, a dearer distance.
func (s Speaker) Purpose(p string) string { return s.t.T("dash_purpose_" + p) }

// OrderStatus names where an order stands.
func (s Speaker) OrderStatus(st domain.OrderStatus) string { return s.t.T("dash_order_" + string(st)) }

// Action names an organizer's action of the audit log: "Marked paid".
func (s Speaker) Action(a string) string { return s.t.T("dash_action_" + a) }

// Result writes a race result: its time, or its status when it is not
// a finish ("did not finish").
func (s Speaker) Result(st domain.ResultStatus, d time.Duration) string {
	return s.t.resultValue(st, d)
}

// RaceTime writes a race time: 0:25:13; zero is "".
func (s Speaker) RaceTime(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return results.FormatTime(d)
}

// Pace is the time per kilometre of a run of d over distance: 5:36.
func (s Speaker) Pace(distance string, d time.Duration) string { return s.t.pace(distance, d) }

// Problem explains what is wrong with a row of a results file.
func (s Speaker) Problem(p RowProblem) string {
	return s.t.T("import_row_"+p.Problem, "Value", p.Value)
}

// Flag explains why a row of a results file needs a look.
func (s Speaker) Flag(f Flag) string { return s.t.T("import_flag_"+f.Kind, "Value", f.Value) }

// Field names a field of a results file: "chip time".
func (s Speaker) Field(f string) string { return s.t.T("import_field_" + f) }

// ReadAs says how a results file was read and which column is used for
// what, one line each, as the chat's dry run does.
func (s Speaker) ReadAs(r ImportReport) []string {
	var lines []string
	s.t.importColumnsText(ImportReport{File: r.File}, func(l string) { lines = append(lines, l) })
	return lines
}

// FileProblem explains why nothing in a results file can be read.
func (s Speaker) FileProblem(p string) string { return s.t.T("import_file_" + p) }

// Phone groups a phone number: +7 701 234 56 78.
func (s Speaker) Phone(p string) string { return formatPhone(p) }

// Birth writes a stored date of birth as people type it: 15.05.1990.
func (s Speaker) Birth(b string) string { return showBirth(b) }

// Lang is the language spoken.
func (s Speaker) Lang() string { return s.t.u.Lang }

// sortedKeys lists a count map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
