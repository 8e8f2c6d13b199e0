package flows

import (
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
		"broadcast":        startBroadcast,
		"broadcast_status": broadcastStatus,
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
