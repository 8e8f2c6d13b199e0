package domain

import "errors"

// Errors the storage returns to flows.
var (
	ErrNotFound    = errors.New("not found")
	ErrFull        = errors.New("no places left")
	ErrCodeTaken   = errors.New("registration code taken")
	ErrNoBibs      = errors.New("bib range used up")
	ErrPromoUsedUp = errors.New("promo code used up")
)

// Errors of the organizers' operations (MarkPaid, CancelRegistration,
// CheckIn); the chat commands and the dashboard tell them apart to
// explain, and nothing was changed when one is returned.
var (
	// ErrAlreadyDone: the registration is in the state asked for already
	// (paid, cancelled, kit handed out, checked in).
	ErrAlreadyDone = errors.New("already done")
	// ErrWrongStatus: the registration's status does not allow the
	// action (a lapsed registration cannot be marked paid, an unpaid one
	// cannot check in).
	ErrWrongStatus = errors.New("not possible in this status")
	// ErrReasonNeeded: a change by hand needs a reason for the audit log.
	ErrReasonNeeded = errors.New("a reason is needed")
)
