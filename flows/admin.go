package flows

import (
	"errors"
	"slices"
	"strings"
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
		"broadcast":        startBroadcast,
		"broadcast_status": broadcastStatus,
		"import":           importCommand,
		"review":           reviewCommand,
	}
}

func (t *turn) isAdmin() bool { return t.admins[t.u.Key] }

// audit records an organizer's action on a record.
func (t *turn) audit(action, record, detail string) error {
	return t.tx.Audit(&AuditEntry{At: t.now, Admin: t.u.Key, Action: action, Record: record, Detail: detail})
}

// adminHelp lists the admin commands.
func adminHelp(t *turn, _ string) error {
	names := make([]string, 0, len(t.adminCmds))
	for n := range t.adminCmds {
		names = append(names, "/"+n)
	}
	slices.Sort(names)
	t.note("admin_help", "Commands", strings.Join(names, ", "))
	return nil
}

// adminMarkPaid marks a registration paid by hand, for money taken at the
// kit desk: "/markpaid RFA-7K2Q cash at the desk". The reason goes to the
// audit log; the participant gets the same confirmation as after an
// online payment. A pending switch to a dearer distance is completed the
// same way.
func adminMarkPaid(t *turn, arg string) error {
	code, reason, _ := strings.Cut(strings.TrimSpace(arg), " ")
	code, reason = strings.ToUpper(code), strings.TrimSpace(reason)
	if code == "" || reason == "" {
		t.note("admin_markpaid_usage")
		return nil
	}
	r, err := t.tx.Registration(code)
	if errors.Is(err, ErrNotFound) {
		t.note("admin_markpaid_unknown", "Code", code)
		return nil
	}
	if err != nil {
		return err
	}
	o, err := t.owner(r)
	if err != nil {
		return err
	}
	switch {
	case r.Status == StatusAwaitingPayment:
		if err := o.voidOrder(r.Order); err != nil {
			return err
		}
		if err := o.confirm(&r, r.Due()); err != nil {
			return err
		}
	case r.Status == StatusPaid && r.UpgradeTo != "":
		order, err := t.tx.Order(r.UpgradeOrder)
		if err != nil {
			return err
		}
		if err := o.voidOrder(order.ID); err != nil {
			return err
		}
		from := r.Distance
		if err := o.completeUpgrade(&r, order.Amount); err != nil {
			return err
		}
		if err := o.push(kindPayment, "upgrade:"+order.ID, o.confirmation(r, "upgrade_done", "From", o.distanceName(from))); err != nil {
			return err
		}
	case r.Status == StatusPaid:
		t.note("admin_markpaid_already", "Code", code, "Bib", t.bibText(r.Bib))
		return nil
	default:
		t.note("admin_markpaid_status", "Code", code, "Status", t.T("status_"+string(r.Status)))
		return nil
	}
	if err := t.audit("markpaid", code, reason); err != nil {
		return err
	}
	t.note("admin_markpaid_done", "Code", code, "Name", r.Name, "Distance", t.distanceName(r.Distance), "Bib", t.bibText(r.Bib))
	return nil
}
