package domain

import (
	"context"
	"errors"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/event"
)

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
	// Numbered says the user's channel shows choices as numbered lists
	// (WhatsApp, the console): a push with buttons they are sent becomes
	// the list their numbers refer to.
	Numbered bool `json:",omitempty"`
	Session  Session
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

// Status of an entry.
type Status string

const (
	// StatusAwaitingPayment holds a place until HoldUntil.
	StatusAwaitingPayment Status = "awaiting_payment"
	// StatusPaid holds a place and a bib: a runner's registration paid
	// (or free).
	StatusPaid Status = "paid"
	// StatusCancelled: the participant gave the entry up.
	StatusCancelled Status = "cancelled"
	// StatusWaitlisted waits for a place on a full distance; it holds none.
	StatusWaitlisted Status = "waitlisted"
	// StatusLapsed: not paid in time, the place was released.
	StatusLapsed Status = "lapsed"
	// StatusRefunded: the fee was returned, the place was released.
	StatusRefunded Status = "refunded"
	// StatusConfirmed holds a place of Fun Starts with nothing to pay: a
	// child's sign-up, free or its fee paid.
	StatusConfirmed Status = "confirmed"
)

// Active reports whether an entry in status s still counts: it holds a
// place, is paid or waits for one.
func (s Status) Active() bool { return s.HoldsPlace() || s == StatusWaitlisted }

// HoldsPlace reports whether an entry in status s takes a place: of its
// distance, or of Fun Starts.
func (s Status) HoldsPlace() bool { return s == StatusAwaitingPayment || s.Settled() }

// Settled reports whether an entry in status s holds its place with
// nothing left to pay: a runner's paid registration, a child's
// confirmed sign-up.
func (s Status) Settled() bool { return s == StatusPaid || s == StatusConfirmed }

// Kind is what an entry is. It decides only what truly differs: the
// questions, the fee, a bib or none, the age rules and the texts.
type Kind string

// Registration is an entry: a runner registered for the run, or a
// child signed up for Fun Starts (Kind). Both hold a place, are paid
// through orders, lapse, are cancelled, refunded and changed the same
// way.
type Registration struct {
	// Code is like RFA-7K2Q; a child's is like RFA-FS-7K2Q.
	Code    string
	Kind    Kind `json:",omitempty"`
	UserKey string
	Lang    string
	// Name is the runner's full name, a child's first name.
	Name   string
	Birth  string
	Gender string
	// Phone is the runner's; a child's entry has the parent's.
	Phone string
	// Mode and Distance say which places the entry holds: a child's are
	// in person on FunStartsPlaces.
	Mode           event.Mode
	Distance       string
	Category       string
	TShirt         string
	EmergencyName  string
	EmergencyPhone string
	// Guardian is who consents for a runner under 18; for a child, the
	// parent or carer who signed the child up.
	Guardian string
	// SupportNeeds is what the parent wrote about a child's support
	// needs (sensory sensitivities, non-verbal, needs a companion).
	// Sensitive: shown only to organizers, never back to the parent
	// beyond "notes saved", never logged.
	SupportNeeds string `json:",omitempty"`
	Fee          int
	Currency     string
	Status       Status
	CreatedAt    time.Time
	ConsentAt    time.Time

	// Promo is the promo code used, and Discount what it took off Fee.
	Promo    string `json:",omitempty"`
	Discount int    `json:",omitempty"`
	// PaidAmount is what was received for this registration so far.
	PaidAmount int `json:",omitempty"`
	// RefundDue is money the organizers owe back: a payment that arrived
	// when nothing was due, or the difference of a cheaper distance.
	RefundDue int `json:",omitempty"`
	// Order is the open order paying the fee; Orders counts the orders
	// issued, numbering the next one.
	Order  string `json:",omitempty"`
	Orders int    `json:",omitempty"`
	// HoldUntil is when an unpaid registration lapses; Reminded says the
	// participant was reminded of it; Offered says the place came from
	// the waitlist.
	HoldUntil time.Time `json:",omitzero"`
	Reminded  bool      `json:",omitempty"`
	Offered   bool      `json:",omitempty"`
	// WaitlistedAt orders the waitlist.
	WaitlistedAt time.Time `json:",omitzero"`
	// Bib is the bib number, 0 until paid. A bib once given is never
	// given to anyone else.
	Bib int `json:",omitempty"`
	// PrevBib is the bib the registration had on the distance it left
	// last, PrevDistance: switching back gives the same bib again.
	PrevBib      int       `json:",omitempty"`
	PrevDistance string    `json:",omitempty"`
	PaidAt       time.Time `json:",omitzero"`
	// UpgradeTo is a dearer distance a paid participant switches to once
	// UpgradeOrder (the difference) is paid; its place is held until
	// UpgradeUntil.
	UpgradeTo    string    `json:",omitempty"`
	UpgradeOrder string    `json:",omitempty"`
	UpgradeUntil time.Time `json:",omitzero"`
	// Race day at the kit desk and the start: when the race kit was
	// handed out and the participant checked in, and by which organizer
	// (a user key, or "dashboard:<name>").
	KitCollectedAt time.Time `json:",omitzero"`
	KitCollectedBy string    `json:",omitempty"`
	CheckedInAt    time.Time `json:",omitzero"`
	CheckedInBy    string    `json:",omitempty"`
}

// Due is what is still to pay for the registration.
func (r Registration) Due() int { return max(0, r.Fee-r.Discount-r.PaidAmount) }

// Deadline is the next moment the registration changes by itself: the
// lapse of an unpaid hold or of a pending upgrade; zero when none.
func (r Registration) Deadline() time.Time {
	switch {
	case r.Status == StatusAwaitingPayment:
		return r.HoldUntil
	case r.UpgradeTo != "":
		return r.UpgradeUntil
	}
	return time.Time{}
}

// OrderStatus is where an order stands.
type OrderStatus string

// Order is one payment asked of a participant, paid through a link.
type Order struct {
	// ID is the registration code and a number: RFA-7K2Q-1.
	ID       string
	Code     string
	Purpose  string
	Amount   int
	Currency string
	Status   OrderStatus
	// ProviderRef is the provider's transaction id of the payment
	// (TipTop Pay's TransactionId, Freedom Pay's pg_payment_id, the
	// custom contract's provider_ref): a notification repeating it
	// changes nothing.
	ProviderRef string `json:",omitempty"`
	CreatedAt   time.Time
	UpdatedAt   time.Time `json:",omitzero"`
	// Provider is the payment provider that took the money (test,
	// custom, tiptoppay, freedompay); PaidAmount what it took, PaidAt
	// when, and Test that it was a test payment (no money moved).
	Provider   string    `json:",omitempty"`
	PaidAmount int       `json:",omitempty"`
	PaidAt     time.Time `json:",omitzero"`
	Test       bool      `json:",omitempty"`
	// FailReason is why its payment failed (one of the Reason constants).
	FailReason string `json:",omitempty"`
	// LinkURL is the payment page a provider's API made for the order,
	// LinkRef the provider's id of it and LinkAt when it was made
	// (paylinks.go); empty for links computed on the spot.
	LinkURL string    `json:",omitempty"`
	LinkRef string    `json:",omitempty"`
	LinkAt  time.Time `json:",omitzero"`
	// HeardAt is when the provider last said anything about the order
	// (a notification, a look-up): reconciliation asks about an open
	// order that has heard nothing for payment.reconcile_minutes.
	HeardAt time.Time `json:",omitzero"`
}

// SupportCount is one counter of the help flow: how many times its kind
// of answer was given in a language on a day. Nothing else of those
// conversations is kept.
type SupportCount struct {
	// Day is the local date in the event's time zone, "2006-01-02".
	Day string
	// Lang is the language of the answer: kk, ru, en.
	Lang string
	// Kind is "crisis" or "support".
	Kind  string
	Count int
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
	ErrNotFound    = errors.New("not found")
	ErrFull        = errors.New("no places left")
	ErrCodeTaken   = errors.New("registration code taken")
	ErrNoBibs      = errors.New("bib range used up")
	ErrPromoUsedUp = errors.New("promo code used up")
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
	// PlacesTaken counts the places held on a distance in a mode (on
	// FunStartsPlaces in person: the children of Fun Starts).
	PlacesTaken(distance string, mode event.Mode) (int, error)
	// AddRegistration stores a new entry r, of either kind, and, when
	// its status holds a place, takes one place of its distance and mode.
	// It returns ErrFull when capacity places are taken already and
	// ErrCodeTaken when r.Code belongs to another entry.
	AddRegistration(r *Registration, capacity int) error
	// Registration returns the entry with code, of either kind, or
	// ErrNotFound.
	Registration(code string) (Registration, error)
	// PutRegistration saves a changed registration and keeps what Due
	// and Waiting list in step with it. It never takes or releases a
	// place: callers do that with TakePlace and ReleasePlace, in the same
	// transaction as the status change that calls for it.
	PutRegistration(r *Registration) error
	// TakePlace takes one place of distance in mode; ErrFull when
	// capacity places are taken already.
	TakePlace(distance string, mode event.Mode, capacity int) error
	// ReleasePlace gives one place of distance in mode back.
	ReleasePlace(distance string, mode event.Mode) error
	// Registrations lists the entries (of both kinds) made from one
	// user's account, oldest first.
	Registrations(userKey string) ([]Registration, error)
	// Due lists the entries whose Deadline is at or before until,
	// earliest first.
	Due(until time.Time) ([]Registration, error)
	// Waiting lists the waitlisted registrations of distance in mode,
	// first in line (earliest WaitlistedAt) first.
	Waiting(distance string, mode event.Mode) ([]Registration, error)
	// NextBib hands out the next bib of distance within from..to: the
	// counter only goes up, so no bib is ever handed out twice. It
	// returns ErrNoBibs when the range is used up.
	NextBib(distance string, from, to int) (int, error)
	// Order returns the order with id, or ErrNotFound.
	Order(id string) (Order, error)
	// PutOrder saves o.
	PutOrder(o *Order) error
	// UsePromo counts one use of a promo code (codes are stored upper
	// case); ErrPromoUsedUp when limit uses are counted already.
	UsePromo(code string, limit int) error
	// ReleasePromo gives one use of a promo code back.
	ReleasePromo(code string) error
	// PromoUses is how many uses of a promo code are counted.
	PromoUses(code string) (int, error)
	// CountSupport adds one to the help-flow counter of day
	// ("2006-01-02"), lang and kind ("crisis" or "support").
	CountSupport(day, lang, kind string) error
	// SupportCounts lists every help-flow counter, by day, then
	// language, then kind.
	SupportCounts() ([]SupportCount, error)
	// Enqueue puts p in the outbox unless a push with the same Key was
	// queued before; queued reports which. It sets p.Seq, and fails when
	// p.UserKey names no channel ("<channel>:<id>").
	Enqueue(p *Push) (queued bool, err error)
	// Queued reports whether a push with key was ever queued.
	Queued(key string) (bool, error)
	// Push returns the push queued with key, or ErrNotFound.
	Push(key string) (Push, error)
	// DuePushes lists up to limit pending pushes of one channel whose Due
	// is not after now: pushes of direct kinds (payment, support…) before
	// bulk ones (reminder, broadcast, results), then by Due and Seq. It
	// reads an index of pending pushes, never the whole outbox.
	DuePushes(channel string, now time.Time, limit int) ([]Push, error)
	// SavePush stores the delivery fields of the queued push p.Seq
	// (status, due, attempts, error) and keeps the pending index in step.
	// It returns ErrNotFound when no push has that Seq.
	SavePush(p *Push) error
	// PushStats counts by status the pushes whose Key starts with prefix,
	// e.g. "broadcast:3:".
	PushStats(keyPrefix string) (PushStats, error)
	// EachRegistration calls fn for every entry, of both kinds, in code
	// order, stopping at the first error fn returns.
	EachRegistration(fn func(Registration) error) error
	// EachUser calls fn for every user, in key order, stopping at the
	// first error fn returns.
	EachUser(fn func(User) error) error
	// AddBroadcast stores b under a new ID, which it sets.
	AddBroadcast(b *Broadcast) error
	// Broadcasts lists up to limit broadcasts, newest first.
	Broadcasts(limit int) ([]Broadcast, error)
	// Audit appends e to the audit log.
	Audit(e *AuditEntry) error
	// AuditOf lists the audit entries about one record (a registration
	// code), oldest first. It reads the whole log: a few thousand entries
	// at most, for organizers' pages.
	AuditOf(record string) ([]AuditEntry, error)

	// Result returns the result of the registration with code, or
	// ErrNotFound.
	Result(code string) (Result, error)
	// PutResult saves r under r.Code.
	PutResult(r *Result) error
	// EachResult calls fn for every result, in code order, stopping at
	// the first error fn returns.
	EachResult(fn func(Result) error) error
	// Import returns the results import of the file with hash, or
	// ErrNotFound.
	Import(hash string) (Import, error)
	// AddImport records an applied results import under im.Hash.
	AddImport(im *Import) error
	// Submission returns the online-run submission of the registration
	// with code, or ErrNotFound.
	Submission(code string) (Submission, error)
	// PutSubmission saves s under s.Code (replacing an earlier one) and
	// keeps the index of pending submissions in step with its status.
	PutSubmission(s *Submission) error
	// PendingSubmissions lists up to limit submissions waiting for
	// review, the earliest submitted first.
	PendingSubmissions(limit int) ([]Submission, error)
	// PutFile keeps data under key: an upload in progress or a proof
	// until it is reviewed. Callers delete what they no longer need.
	PutFile(key string, data []byte) error
	// File returns the data under key, or ErrNotFound.
	File(key string) ([]byte, error)
	// DeleteFile removes key; a missing key is no error.
	DeleteFile(key string) error
}
