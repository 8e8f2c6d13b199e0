package domain

import (
	"context"
	"time"

	"github.com/runforautism/rfabot/event"
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

// Tx is one storage transaction as flows see it: every area's methods,
// in one transaction. A method's doc names the errors it returns; any
// other error is the storage's own (a damaged file, a full disk).
type Tx interface {
	Users
	Entries
	Orders
	Outbox
	Results
	Files
	Audit
}

// Users are the people writing to the bot, each with the session of their conversation.
type Users interface {
	// User returns the user with key, or ErrNotFound.
	User(key string) (User, error)
	// PutUser saves u with its session.
	PutUser(u *User) error
	// EachUser calls fn for every user, in key order, stopping at the
	// first error fn returns.
	EachUser(fn func(User) error) error
}

// Entries are the registrations of runners and the sign-ups of children (one record, Registration, of either Kind), with the places and bibs they hold.
type Entries interface {
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
	// EachRegistration calls fn for every entry, of both kinds, in code
	// order, stopping at the first error fn returns.
	EachRegistration(fn func(Registration) error) error
}

// Orders are the payments asked of participants, and the uses of promo codes.
type Orders interface {
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
}

// Outbox is the pushes the bot sends on its own, and the broadcasts that queue them.
type Outbox interface {
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
	// AddBroadcast stores b under a new ID, which it sets.
	AddBroadcast(b *Broadcast) error
	// Broadcasts lists up to limit broadcasts, newest first.
	Broadcasts(limit int) ([]Broadcast, error)
}

// Results are the race results, the imports of results files and the online run's submissions.
type Results interface {
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
}

// Files keeps uploads in progress and proofs until they are reviewed.
type Files interface {
	// PutFile keeps data under key: an upload in progress or a proof
	// until it is reviewed. Callers delete what they no longer need.
	PutFile(key string, data []byte) error
	// File returns the data under key, or ErrNotFound.
	File(key string) ([]byte, error)
	// DeleteFile removes key; a missing key is no error.
	DeleteFile(key string) error
}

// Audit is the organizers' audit log and the help flow's counters.
type Audit interface {
	// Audit appends e to the audit log.
	Audit(e *AuditEntry) error
	// AuditOf lists the audit entries about one record (a registration
	// code), oldest first. It reads the whole log: a few thousand entries
	// at most, for organizers' pages.
	AuditOf(record string) ([]AuditEntry, error)
	// CountSupport adds one to the help-flow counter of day
	// ("2006-01-02"), lang and kind ("crisis" or "support").
	CountSupport(day, lang, kind string) error
	// SupportCounts lists every help-flow counter, by day, then
	// language, then kind.
	SupportCounts() ([]SupportCount, error)
}
