package domain

import (
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/locales"
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

// Push is a message the bot sends on its own: a payment confirmation, a
// reminder, results, a broadcast. It is queued in the same transaction as
// the change that caused it and sent later by the channel's outbox worker.
type Push struct {
	// Key makes the push idempotent: a key is queued at most once, e.g.
	// "reminder:T-1d:RFA-7K2Q" or "paid:RFA-7K2Q".
	Key     string
	UserKey string
	// Kind says what the push is for: "payment", "lapse", "waitlist",
	// "cancel" (the organizers cancelled a registration), "reminder",
	// "broadcast", "results" (a result or its correction, after an
	// import), "review" (the answer to an online runner's submission),
	// "support" or "handoff" (to the volunteers' chat); reminders and
	// broadcasts respect RemindersOff (see outbox.go).
	Kind    string
	Reply   dialog.Reply
	Created time.Time

	// The fields below belong to the outbox: Enqueue sets Seq, the
	// delivery worker the rest. A push that set none of them is pending
	// and due at once.

	// Seq is the push's place in the outbox, set by Enqueue.
	Seq uint64 `json:",omitempty"`
	// Status is empty while the push waits to be sent.
	Status PushStatus `json:",omitempty"`
	// Due is the earliest time to (re)try; zero means at once.
	Due time.Time `json:",omitzero"`
	// Expires, when set, is the time after which the push is no longer
	// worth sending (a reminder after the race): it is skipped instead.
	Expires time.Time `json:",omitzero"`
	// Attempts counts the sends tried, 429 answers excluded.
	Attempts int `json:",omitempty"`
	// Done is when the push reached its final status.
	Done time.Time `json:",omitzero"`
	// LastError says why the last attempt failed or the push was skipped;
	// it never holds the message text.
	LastError string `json:",omitempty"`
	// Delivered and Read are when the messenger reported the push
	// delivered to the user's phone and read (WhatsApp's receipts; see
	// MarkReceipt).
	Delivered time.Time `json:",omitzero"`
	Read      time.Time `json:",omitzero"`
}

// OneText is the key of the text for all languages in a draft.
const OneText = "all"

// NextText is the language whose text is still missing (oneText for a
// single text), or "" when the texts are complete.
func (d *BroadcastDraft) NextText() string {
	if !d.PerLang {
		if d.Texts[OneText] == "" {
			return OneText
		}
		return ""
	}
	for _, l := range locales.Languages {
		if d.Texts[l] == "" {
			return l
		}
	}
	return ""
}

// Text is the broadcast's Text for a reader of lang.
func (d *BroadcastDraft) Text(lang string) string {
	if !d.PerLang {
		return d.Texts[OneText]
	}
	if s := d.Texts[lang]; s != "" {
		return s
	}
	return d.Texts[FallbackLang]
}

// FallbackLang is the language of a push to a user who never chose
// one.
const FallbackLang = "ru"
