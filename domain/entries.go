package domain

import (
	"time"

	"github.com/runforautism/rfabot/event"
)

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

const (
	// KindRunner is a runner's registration for the run: the zero
	// value, as every registration stored before there were kinds.
	KindRunner Kind = ""
	// KindChild is a child's sign-up for Fun Starts, made by a parent or
	// carer. It has no bib, no waitlist, no promo code, no mode to
	// switch and no distance to change; its place is one of Fun Starts
	// (Distance is FunStartsPlaces).
	KindChild Kind = "child"
)

// FunStartsPlaces is the Distance of every child's entry: the places of
// Fun Starts are counted as a distance's are, in person. No distance of
// the event file can have this id (ids are a-z, 0-9 and '.').
const FunStartsPlaces = "fun_starts"
