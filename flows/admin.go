package flows

import (
	"errors"
	"slices"
	"strings"

	"github.com/runforautism/rfabot/domain"
)

// adminCommand is an organizer's chat command. It runs in the admin's
// turn, writes an audit entry for any change it makes, and answers with
// notes above the admin's current question.
type adminCommand func(t *turn, arg string) error

// adminCommands are the organizers' chat commands, by name.
func adminCommands() map[string]adminCommand {
	return map[string]adminCommand{
		"admin":            adminHelp,
		"markpaid":         adminMarkPaid,
		"cancelreg":        adminCancel,
		"find":             adminFind,
		"stats":            adminStats,
		"export":           adminExport,
		"broadcast":        startBroadcast,
		"broadcast_status": broadcastStatus,
		"import":           importCommand,
		"review":           reviewCommand,
		"checkin":          checkinCommand,
	}
}

func (t *turn) isAdmin() bool { return t.admins[t.u.Key] }

// audit records an organizer's action on a record.
func (t *turn) audit(action, record, detail string) error {
	return t.tx.Audit(&domain.AuditEntry{At: t.now, Admin: t.u.Key, Action: action, Record: record, Detail: detail})
}

// adminHelp lists the admin commands, each with its syntax and what it
// does, in the order of the organizers' day.
func adminHelp(t *turn, _ string) error {
	lines := []string{t.T("admin_help")}
	for _, n := range adminHelpOrder {
		lines = append(lines, t.T("admin_help_"+n))
	}
	t.notes = append(t.notes, strings.Join(lines, "\n"))
	return nil
}

// adminHelpOrder is the order /admin lists the commands in; every
// command of adminCommands but /admin itself.
var adminHelpOrder = []string{"find", "stats", "markpaid", "cancelreg", "checkin", "export", "broadcast", "broadcast_status", "import", "review"}

// adminMarkPaid marks a registration paid by hand, for money taken at the
// kit desk: "/markpaid RFA-7K2Q cash at the desk". The reason goes to the
// audit log; the participant gets the same confirmation as after an
// online payment (see Flows.MarkPaid). A Fun Starts child's code
// confirms that sign-up's fee.
func adminMarkPaid(t *turn, arg string) error {
	code, reason := codeAndReason(arg)
	r, err := t.markPaid(code, reason)
	switch {
	case errors.Is(err, domain.ErrReasonNeeded):
		t.note("admin_markpaid_usage")
	case errors.Is(err, domain.ErrNotFound):
		t.note("admin_markpaid_unknown", "Code", code)
	case errors.Is(err, domain.ErrAlreadyDone):
		t.note(textOf(r, "admin_markpaid_already"), "Code", code, "Name", r.Name, "Bib", t.bibText(r.Bib))
	case errors.Is(err, domain.ErrWrongStatus):
		t.note("admin_markpaid_status", "Code", code, "Status", t.T("status_"+string(r.Status)))
	case err != nil:
		return err
	default:
		t.note(textOf(r, "admin_markpaid_done"), "Code", code, "Name", r.Name, "Distance", t.distanceName(r.Distance), "Bib", t.bibText(r.Bib))
	}
	return nil
}

// adminCancel is "/cancelreg RFA-7K2Q duplicate": the registration is
// cancelled, its place released to the waitlist (see
// Flows.CancelRegistration). A Fun Starts child's code cancels that
// sign-up.
func adminCancel(t *turn, arg string) error {
	code, reason := codeAndReason(arg)
	r, err := t.cancelReg(code, reason)
	switch {
	case errors.Is(err, domain.ErrReasonNeeded):
		t.note("admin_cancel_usage")
	case errors.Is(err, domain.ErrNotFound):
		t.note("admin_markpaid_unknown", "Code", code)
	case errors.Is(err, domain.ErrAlreadyDone):
		t.note("admin_cancel_already", "Code", code)
	case errors.Is(err, domain.ErrWrongStatus):
		t.note("admin_cancel_status", "Code", code, "Status", t.T("status_"+string(r.Status)))
	case err != nil:
		return err
	default:
		t.note(textOf(r, "admin_cancel_done"), "Code", code, "Name", r.Name, "Distance", t.distanceName(r.Distance))
		if r.PaidAmount-r.RefundDue > 0 {
			t.note("admin_cancel_paid", "Amount", t.formatMoney(r.PaidAmount-r.RefundDue))
		}
	}
	return nil
}

// codeAndReason splits "RFA-7K2Q cash at the desk".
func codeAndReason(arg string) (code, reason string) {
	code, reason, _ = strings.Cut(strings.TrimSpace(arg), " ")
	return normCode(code), strings.TrimSpace(reason)
}

// maxFound is how many matches /find lists.
const maxFound = 10

// adminFind is "/find <code | bib | phone | name>": the registrations
// and Fun Starts children that match, with their status and phone.
func adminFind(t *turn, arg string) error {
	if strings.TrimSpace(arg) == "" {
		t.note("admin_find_usage")
		return nil
	}
	found, err := search(t.tx, arg)
	if err != nil {
		return err
	}
	if len(found) == 0 {
		t.note("admin_find_none")
		return nil
	}
	// The runners first (KindRunner sorts first), then the children.
	slices.SortStableFunc(found, func(a, b domain.Registration) int { return strings.Compare(string(a.Kind), string(b.Kind)) })
	var lines []string
	for _, r := range found {
		if r.Kind == domain.KindChild {
			lines = append(lines, t.T("admin_find_child", "Code", r.Code, "Name", r.Name, "Parent", r.Guardian,
				"Phone", formatPhone(r.Phone), "Status", t.T("status_"+string(r.Status))))
			continue
		}
		line := t.T("admin_find_item", "Code", r.Code, "Name", r.Name, "Distance", t.distanceName(r.Distance),
			"Mode", modeName(t, r.Mode), "Status", t.T("status_"+string(r.Status)), "Phone", formatPhone(r.Phone))
		if r.Bib > 0 {
			line += " · " + t.T("mine_bib", "Bib", r.Bib)
		}
		lines = append(lines, line)
	}
	n := len(lines)
	if n > maxFound {
		lines = append(lines[:maxFound], t.N("admin_find_more", n-maxFound))
	}
	t.notes = append(t.notes, t.N("admin_find_header", n)+"\n\n"+strings.Join(lines, "\n\n"))
	return nil
}

// registerOrganizers adds the organizers' commands.
func registerOrganizers(r *registry) { r.addAdminCommands(adminCommands()) }
