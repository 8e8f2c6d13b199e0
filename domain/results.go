package domain

import (
	"time"

	"github.com/runforautism/rfabot/event"
)

// ResultStatus says how a participant's race ended.
type ResultStatus string

// Result is one registration's result: from the timing company's file
// for runners at the venue, or an online run an organizer approved.
type Result struct {
	// Code is the registration's code.
	Code string
	// Bib is the bib the timing file named; 0 for an online run.
	Bib      int `json:",omitempty"`
	Distance string
	// Mode is in person for a timed result and online for an approved
	// online run: each is ranked among its own.
	Mode   event.Mode
	Status ResultStatus
	// Time is the finish time places are counted by: the timing file's
	// time, or the time an online runner sent.
	Time time.Duration `json:",omitempty"`
	// Chip is the net (chip) time, when the file gives one.
	Chip time.Duration `json:",omitempty"`
	// Place is the place among the finishers of the same distance and
	// mode, Of how many they are. GenderPlace counts among those of the
	// same gender, GroupPlace among those of the same gender and age
	// Group. A place is 0 when it does not apply: not finished, gender
	// not given, an age no group takes.
	Place       int    `json:",omitempty"`
	Of          int    `json:",omitempty"`
	GenderPlace int    `json:",omitempty"`
	GenderOf    int    `json:",omitempty"`
	Group       string `json:",omitempty"`
	GroupPlace  int    `json:",omitempty"`
	GroupOf     int    `json:",omitempty"`
	// Version counts the changes of Status, Time and Chip, from 1.
	// Notified is the version the participant was last told about; 0
	// when they were told nothing yet.
	Version  int
	Notified int `json:",omitempty"`
	// Token is the unguessable part of the diploma's link.
	Token string
	// Source is where the result came from: "import:<file hash prefix>"
	// or "online".
	Source    string
	UpdatedAt time.Time
}

// Import is a results file an organizer applied. The same file (by its
// SHA-256) is never applied twice.
type Import struct {
	// Hash is the hex SHA-256 of the file.
	Hash  string
	Name  string
	Admin string
	At    time.Time
	// Rows counts the data rows; New, Changed and Skipped what applying
	// them did.
	Rows, New, Changed, Skipped int
}

// SubmissionStatus is where an online-run submission is in review.
type SubmissionStatus string

// Submission is the result an online runner sent, waiting for an
// organizer or reviewed. A registration has at most one: sending again
// replaces a pending or rejected one.
type Submission struct {
	// Code is the registration's code.
	Code     string
	UserKey  string
	Distance string
	Time     time.Duration
	// ProofLink is a link to the activity (Strava, Garmin…), or
	// ProofFile the key of a screenshot kept with PutFile until the
	// review, of type ProofMIME.
	ProofLink string `json:",omitempty"`
	ProofFile string `json:",omitempty"`
	ProofMIME string `json:",omitempty"`
	Status    SubmissionStatus
	// Reason is why it was rejected, as the organizer wrote it.
	Reason      string `json:",omitempty"`
	SubmittedAt time.Time
	ReviewedBy  string    `json:",omitempty"`
	ReviewedAt  time.Time `json:",omitzero"`
}

const (
	ResultFinished ResultStatus = "finished"
	// ResultDNF: started and did not finish.
	ResultDNF ResultStatus = "dnf"
	// ResultDNS: did not start.
	ResultDNS ResultStatus = "dns"
	// ResultDQ: disqualified.
	ResultDQ ResultStatus = "dq"
)

const (
	SubmissionPending  SubmissionStatus = "pending"
	SubmissionApproved SubmissionStatus = "approved"
	SubmissionRejected SubmissionStatus = "rejected"
)
