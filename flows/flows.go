// Package flows is the bot's domain and conversation: the message and
// reply types, users and their registrations, the interfaces the domain
// needs from storage, and every step the bot asks, accepts and answers.
// It knows nothing of Telegram, WhatsApp or bbolt.
package flows

import (
	"errors"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
)

// MaxTextLen is the longest message the bot reads, as on Telegram.
const MaxTextLen = 4096

// Answer is the bot's answer to one message.
type Answer struct {
	Replies []dialog.Reply
	// Stale says the message was a press on a button of a message that
	// does not ask the user's question now (see Message.Pressed): only
	// a push's buttons are taken from such a message; any other press
	// on it is answered with the current question.
	Stale bool
	// PhoneKeyboard is the user's Session.PhoneKeyboard as the answer
	// found it: whether their chat shows the phone question's keyboard,
	// as the channel last recorded it (Flows.SetPhoneKeyboard).
	PhoneKeyboard bool
}

// MaxAttachment is the largest file the bot takes. An adapter does not
// download a bigger one: it hands the Attachment in with Data nil (as
// when a download failed), and the user is asked for a smaller file or
// to try again.
const MaxAttachment = 2 << 20

const (
	// KindRunner is a runner's registration for the run: the zero
	// value, as every registration stored before there were kinds.
	KindRunner domain.Kind = ""
	// KindChild is a child's sign-up for Fun Starts, made by a parent or
	// carer. It has no bib, no waitlist, no promo code, no mode to
	// switch and no distance to change; its place is one of Fun Starts
	// (Distance is FunStartsPlaces).
	KindChild domain.Kind = "child"
)

// FunStartsPlaces is the Distance of every child's entry: the places of
// Fun Starts are counted as a distance's are, in person. No distance of
// the event file can have this id (ids are a-z, 0-9 and '.').
const FunStartsPlaces = "fun_starts"

const (
	OrderOpen     domain.OrderStatus = "open"
	OrderPaid     domain.OrderStatus = "paid"
	OrderFailed   domain.OrderStatus = "failed"
	OrderRefunded domain.OrderStatus = "refunded"
	// OrderVoid was replaced (a new distance, a payment by hand) or its
	// hold lapsed.
	OrderVoid domain.OrderStatus = "void"
)

// Order purposes.
const (
	// PurposeFee pays the registration fee.
	PurposeFee = "fee"
	// PurposeUpgrade pays the difference to a dearer distance.
	PurposeUpgrade = "upgrade"
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
