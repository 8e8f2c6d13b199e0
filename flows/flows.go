// Package flows is the bot's domain and conversation: the message and
// reply types, users and their registrations, the interfaces the domain
// needs from storage, and every step the bot asks, accepts and answers.
// It knows nothing of Telegram, WhatsApp or bbolt.
package flows

import (
	"context"
	"errors"
	"time"

	"github.com/runforautism/rfabot/event"
)

// MaxTextLen is the longest message the bot reads, as on Telegram.
const MaxTextLen = 4096

// Message is one thing a user sent, as an adapter hands it in.
type Message struct {
	// Channel names the messenger: "telegram", "whatsapp", "console".
	Channel string
	// UserID identifies the user within the channel.
	UserID string
	// ID is the messenger's id of this message; a message with an ID seen
	// before is not handled again. Empty: no deduplication.
	ID string
	// Text is what the user typed.
	Text string
	// Payload is the payload of the button the user pressed.
	Payload string
	// Phone is a contact the user shared, and only when it is their own.
	Phone string
	// LangHint is the messenger's language of the user, e.g. "ru".
	LangHint string
	// Numbered says the channel shows choices as a numbered list, so a
	// number typed by the user picks a choice.
	Numbered bool
	// NonText marks a photo, sticker, voice note or anything else that is
	// not text.
	NonText bool
	// Stale marks a press on a button of a message older than the
	// question the user is on: it is answered with the current question
	// and never applied, whatever its payload.
	Stale bool
}

// UserKey is the storage key of the message's sender.
func (m Message) UserKey() string { return m.Channel + ":" + m.UserID }

// Choice is a button: what the user sees and what comes back.
type Choice struct {
	Label   string
	Payload string
}

// Link is a URL the user can open.
type Link struct {
	Label string
	URL   string
}

// Reply is one message to the user.
type Reply struct {
	Text    string
	Choices []Choice
	Links   []Link
	// AskPhone asks the messenger to offer its "share my contact" button,
	// labelled ShareLabel.
	AskPhone   bool
	ShareLabel string `json:",omitempty"`
}

// User is a person writing to the bot on one channel, with their
// conversation.
type User struct {
	Key       string
	Channel   string
	ID        string
	Lang      string
	Phone     string
	CreatedAt time.Time
	// Unreachable is set when the messenger refuses delivery for good
	// (the user blocked the bot); pushes to them are skipped.
	Unreachable bool `json:",omitempty"`
	// RemindersOff is set when the user turned reminders and broadcasts
	// off; payment confirmations and results still arrive.
	RemindersOff bool `json:",omitempty"`
	Session      Session
}

// Push is a message the bot sends on its own: a payment confirmation, a
// reminder, results, a broadcast. It is queued in the same transaction as
// the change that caused it and sent later by the channel's outbox worker.
type Push struct {
	// Key makes the push idempotent: a key is queued at most once, e.g.
	// "reminder:T-1d:RFA-7K2Q" or "paid:RFA-7K2Q".
	Key     string
	UserKey string
	// Kind says what the push is for: "payment", "reminder", "results",
	// "broadcast", "lapse"; reminders and broadcasts respect RemindersOff.
	Kind    string
	Reply   Reply
	Created time.Time
}

// Status of a registration.
type Status string

const (
	StatusAwaitingPayment Status = "awaiting_payment"
	StatusPaid            Status = "paid"
	StatusCancelled       Status = "cancelled"
)

// Registration is one person registered for the run.
type Registration struct {
	Code           string
	UserKey        string
	Lang           string
	Name           string
	Birth          string
	Gender         string
	Phone          string
	Mode           event.Mode
	Distance       string
	Category       string
	TShirt         string
	EmergencyName  string
	EmergencyPhone string
	Guardian       string
	Fee            int
	Currency       string
	Status         Status
	CreatedAt      time.Time
	ConsentAt      time.Time
}

// AuditEntry records one action of an organizer: who, when, what, on
// which record.
type AuditEntry struct {
	At     time.Time
	Admin  string
	Action string
	Record string
	Detail string
}

// Errors the storage returns to flows.
var (
	ErrNotFound  = errors.New("not found")
	ErrFull      = errors.New("no places left")
	ErrCodeTaken = errors.New("registration code taken")
)

// Store runs transactions. Every step of a conversation is one call to
// Update, so a step is saved whole or not at all.
type Store interface {
	// Update runs fn in one read-write transaction and commits it when fn
	// returns nil. fn may be called more than once (transactions are
	// batched), so it must not keep effects outside the transaction.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
}

// Tx is one storage transaction as flows see it.
type Tx interface {
	// User returns the user with key, or ErrNotFound.
	User(key string) (User, error)
	// PutUser saves u with its session.
	PutUser(u *User) error
	// PlacesTaken counts the places held on a distance in a mode.
	PlacesTaken(distance string, mode event.Mode) (int, error)
	// AddRegistration stores r and takes one place of its distance and
	// mode. It returns ErrFull when capacity places are taken already and
	// ErrCodeTaken when r.Code belongs to another registration.
	AddRegistration(r *Registration, capacity int) error
	// Registrations lists the registrations made from one user's account,
	// oldest first.
	Registrations(userKey string) ([]Registration, error)
	// Enqueue puts p in the outbox unless a push with the same Key was
	// queued before; queued reports which.
	Enqueue(p *Push) (queued bool, err error)
	// Audit appends e to the audit log.
	Audit(e *AuditEntry) error
}
