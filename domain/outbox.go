package domain

import (
	"strings"
	"time"
)

// PushStatus is where a push is in its delivery. The empty status is
// pending: queued and not yet final.
type PushStatus string

const (
	PushPending PushStatus = ""
	// PushSent: the messenger accepted the message.
	PushSent PushStatus = "sent"
	// PushFailed: the messenger refused it for good, or every retry
	// failed.
	PushFailed PushStatus = "failed"
	// PushUnreachable: the user blocked the bot; nothing was sent.
	PushUnreachable PushStatus = "unreachable"
	// PushSkipped: not sent on purpose (reminders off, the user never
	// started the bot, or the push expired).
	PushSkipped PushStatus = "skipped"
)

// PushStats counts pushes by status.
type PushStats struct {
	Pending, Sent, Failed, Unreachable, Skipped int
	// Delivered and Read count the pushes the messenger reported
	// delivered and read (WhatsApp only).
	Delivered, Read int
}

// Queued is the number of pushes counted.
func (s PushStats) Queued() int { return s.Pending + s.Sent + s.Failed + s.Unreachable + s.Skipped }

// Add counts one push of status st.
func (s *PushStats) Add(st PushStatus) {
	switch st {
	case PushSent:
		s.Sent++
	case PushFailed:
		s.Failed++
	case PushUnreachable:
		s.Unreachable++
	case PushSkipped:
		s.Skipped++
	default:
		s.Pending++
	}
}

// Channel is the channel of the push's user: "telegram" in
// "telegram:12345".
func (p Push) Channel() string { c, _, _ := strings.Cut(p.UserKey, ":"); return c }

// UserID is the user's id within the channel: "12345" in
// "telegram:12345".
func (p Push) UserID() string { _, id, _ := strings.Cut(p.UserKey, ":"); return id }

// Bulk reports whether the push is one of many sent at once (reminders,
// broadcasts, results): direct pushes such as payment confirmations go
// before them.
func (p Push) Bulk() bool {
	switch p.Kind {
	case "reminder", "broadcast", "results":
		return true
	}
	return false
}

// Optional reports whether the user can turn the push off with
// "Stop reminders": reminders and broadcasts can, payment confirmations
// and results cannot.
func (p Push) Optional() bool { return p.Kind == "reminder" || p.Kind == "broadcast" }

// ToOperators reports whether the push goes to an operators' chat (a
// hand-off to the support volunteers), which need not be a user of the
// bot.
func (p Push) ToOperators() bool { return p.Kind == "support" || p.Kind == "handoff" }

// MayBePaid reports whether the push may go as a paid broadcast (on
// Telegram: allow_paid_broadcast) when the event turns that on:
// broadcasts and results only.
func (p Push) MayBePaid() bool { return p.Kind == "broadcast" || p.Kind == "results" }

// Broadcast is a message organizers sent to an audience.
type Broadcast struct {
	ID       int
	Admin    string
	Audience string
	// Texts by language; one text for all has the same text in each.
	Texts   map[string]string
	Count   int
	Created time.Time
}
