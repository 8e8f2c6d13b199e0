package domain

import "time"

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

// Desk is a step of race day at the desk.
type Desk string

const (
	// DeskKit: the race kit was handed out.
	DeskKit Desk = "kit"
	// DeskCheckIn: the participant checked in at the start.
	DeskCheckIn Desk = "checkin"
)
