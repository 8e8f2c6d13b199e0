package flows

import (
	"context"
	"errors"
	"fmt"
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

// DuePushes lists up to limit pending pushes of channel that are due at
// now, in the order to send them (see Tx.DuePushes).
func (f *Flows) DuePushes(ctx context.Context, channel string, now time.Time, limit int) ([]Push, error) {
	var out []Push
	err := f.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.DuePushes(channel, now, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("due pushes of %s: %w", channel, err)
	}
	return out, nil
}

// Screen decides whether the due push p is still to be sent at now. It
// returns PushPending to send it, or the status to record instead and
// why: the push expired, the user turned reminders off (for reminders
// and broadcasts), blocked the bot, or never started it. A push to an
// operators' chat (ToOperators) is sent even though no user has its key.
func (f *Flows) Screen(ctx context.Context, p Push, now time.Time) (PushStatus, string, error) {
	if !p.Expires.IsZero() && now.After(p.Expires) {
		return PushSkipped, "expired", nil
	}
	var st PushStatus
	var why string
	err := f.store.View(ctx, func(tx Tx) error {
		u, err := tx.User(p.UserKey)
		switch {
		case errors.Is(err, ErrNotFound):
			if !p.ToOperators() {
				st, why = PushSkipped, "user never started the bot"
			}
			return nil
		case err != nil:
			return err
		case u.Unreachable:
			st, why = PushUnreachable, "user blocked the bot"
		case u.RemindersOff && p.Optional():
			st, why = PushSkipped, "reminders off"
		}
		return nil
	})
	if err != nil {
		return PushPending, "", fmt.Errorf("screen push %s: %w", p.Key, err)
	}
	return st, why, nil
}

// SavePush stores the delivery fields of a queued push. A push with
// buttons sent to a user of numbered lists is the list their next
// number refers to first (Session.Pushed).
func (f *Flows) SavePush(ctx context.Context, p *Push) error {
	err := f.store.Update(ctx, func(tx Tx) error {
		if err := tx.SavePush(p); err != nil {
			return err
		}
		if p.Status != PushSent || len(p.Reply.Choices) == 0 || p.ToOperators() {
			return nil
		}
		u, err := tx.User(p.UserKey)
		if errors.Is(err, ErrNotFound) || err == nil && !u.Numbered {
			return nil
		}
		if err != nil {
			return err
		}
		u.Session.Pushed = nil
		for _, c := range p.Reply.Choices {
			u.Session.Pushed = append(u.Session.Pushed, c.Payload)
		}
		u.Session.Number = ""
		return tx.PutUser(&u)
	})
	if err != nil {
		return fmt.Errorf("save push %s: %w", p.Key, err)
	}
	return nil
}
