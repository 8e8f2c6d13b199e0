package domain

import (
	"time"

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

// Step names where a user is in the conversation. It is stored, so the
// names must not change once released.
type Step string

// maxSeen is how many recent message ids a session remembers to drop
// redelivered messages.
const maxSeen = 32

// Session is where a user is in the conversation and what they have
// answered so far. It is saved with every step.
type Session struct {
	Step Step `json:"step"`
	// Draft is the registration being filled in; it survives a detour to
	// the menu and a restart, until it is confirmed or cancelled.
	Draft Draft `json:"draft"`
	// Editing is set when the user came to a field from the summary: the
	// answer leads back to the summary.
	Editing bool `json:"editing,omitempty"`
	// Return is the step to go back to after a detour (language change,
	// "cancel?" question).
	Return Step `json:"return,omitempty"`
	// StartArg is a deep-link payload that arrived before the user chose
	// a language; it is followed once they have.
	StartArg string `json:"start_arg,omitempty"`
	// Reg is the code of the registration, or of the Fun Starts child,
	// the user looks at in My registrations.
	Reg string `json:"reg,omitempty"`
	// Change holds the answers of a change in progress to Reg (a new
	// emergency contact, the person it is handed to).
	Change Draft `json:"change,omitzero"`
	// SupportReturn is where the user was when the help flow opened:
	// "back to where I was" goes there. Set only while the user is in
	// the help flow; what they wrote is never stored.
	SupportReturn Step `json:"support_return,omitempty"`
	// Crisis is set while the help flow shows the crisis answer.
	Crisis bool `json:"crisis,omitempty"`
	// Offer is what the question offers after a text it did not take
	// (the support button, "Yes, it is the name"); never the text.
	Offer Offer `json:"offer,omitzero"`
	// Fun is the Fun Starts sign-up being filled in; the parent's part
	// stays for the next child.
	Fun FunDraft `json:"fun,omitzero"`
	// Seen holds the ids of the last messages handled.
	Seen []string `json:"seen,omitempty"`
	// Shown are the payloads of the choices of the last reply, shown as
	// a numbered list: a number the user types names one of these,
	// however the question has changed since. Pushed are those of a push
	// with buttons sent after it: its numbers come first.
	Shown  []string `json:"shown,omitempty"`
	Pushed []string `json:"pushed,omitempty"`
	// Number is the number the last message typed to pick a choice.
	Number string `json:"number,omitempty"`
	// NumberAt is when that message came.
	NumberAt time.Time `json:"number_at,omitzero"`
	// PhoneKeyboard says the chat shows the keyboard of a phone question
	// (Telegram's reply keyboard with the share button); the channel
	// sets it (Flows.SetPhoneKeyboard) and takes the keyboard away with
	// a later message.
	PhoneKeyboard bool `json:"phone_keyboard,omitempty"`
	// OpenRef is the Ref of the user's last message when it was typed
	// and its question is still open: an edit of it answers again.
	OpenRef string `json:"open_ref,omitempty"`
	// Broadcast is the broadcast an organizer is composing.
	Broadcast *BroadcastDraft `json:"broadcast,omitempty"`
	// OnlineTime is the time an online runner typed for the registration
	// Reg, kept while they send the proof.
	OnlineTime time.Duration `json:"online_time,omitempty"`
	// Review is the code of the submission an organizer is rejecting,
	// while they type the reason.
	Review string `json:"review,omitempty"`
	// Import is the results file an organizer sent and has not yet
	// applied or cancelled; its bytes are kept with Tx.PutFile under
	// importFileKey.
	Import *ImportDraft `json:"import,omitempty"`
	// Desk is the code of the registration an organizer has open at the
	// race-day desk (/checkin).
	Desk string `json:"desk,omitempty"`
}

// ImportDraft is a results file waiting for an organizer's decision.
type ImportDraft struct {
	Name string `json:"name"`
	Hash string `json:"hash"`
}

// BroadcastDraft is a broadcast being composed: its audience and texts.
type BroadcastDraft struct {
	Audience string `json:"audience,omitempty"`
	// PerLang is set for a text in each language, unset for one text for
	// all (kept under "all").
	PerLang bool              `json:"per_lang,omitempty"`
	Texts   map[string]string `json:"texts,omitempty"`
}

// Draft is a registration being filled in. Empty strings are unanswered.
type Draft struct {
	Name           string     `json:"name,omitempty"`
	Birth          string     `json:"birth,omitempty"`
	Gender         string     `json:"gender,omitempty"`
	Phone          string     `json:"phone,omitempty"`
	Mode           event.Mode `json:"mode,omitempty"`
	Distance       string     `json:"distance,omitempty"`
	Category       string     `json:"category,omitempty"`
	TShirt         string     `json:"tshirt,omitempty"`
	EmergencyName  string     `json:"emergency_name,omitempty"`
	EmergencyPhone string     `json:"emergency_phone,omitempty"`
	Guardian       string     `json:"guardian,omitempty"`
	Consent        bool       `json:"consent,omitempty"`
	// ConsentAsGuardian records that consent was given by the guardian of
	// a minor; consent given for an adult does not cover a minor.
	ConsentAsGuardian bool `json:"consent_as_guardian,omitempty"`
	// Waitlist says the chosen distance was full: confirming joins its
	// waitlist unless a place has freed up meanwhile.
	Waitlist bool `json:"waitlist,omitempty"`
	// Promo is a promo code entered at the summary, as the event file
	// spells it.
	Promo string `json:"promo,omitempty"`
}

// FunDraft is a Fun Starts sign-up being filled in: the parent, then one
// child. Empty strings are unanswered.
type FunDraft struct {
	ParentName  string `json:"parent_name,omitempty"`
	ParentPhone string `json:"parent_phone,omitempty"`
	Child       string `json:"child,omitempty"`
	Birth       string `json:"birth,omitempty"`
	// Notes are the child's support needs: sensitive, stored with the
	// sign-up for the organizers only.
	Notes string `json:"notes,omitempty"`
	// NotesDone is set once the parent wrote notes or said there are
	// none.
	NotesDone bool   `json:"notes_done,omitempty"`
	TShirt    string `json:"tshirt,omitempty"`
}

// ForgetChild clears the child's answers and keeps the parent's.
func (d *FunDraft) ForgetChild() {
	*d = FunDraft{ParentName: d.ParentName, ParentPhone: d.ParentPhone}
}

// Empty reports whether nothing has been answered.
func (d Draft) Empty() bool { return d == Draft{} }

func (s *Session) HasSeen(id string) bool {
	for _, v := range s.Seen {
		if v == id {
			return true
		}
	}
	return false
}

func (s *Session) Remember(id string) {
	s.Seen = append(s.Seen, id)
	if len(s.Seen) > maxSeen {
		s.Seen = s.Seen[len(s.Seen)-maxSeen:]
	}
}

// Offer is what a free-text question offers besides its own buttons
// after a text it did not take: the support button, and after "Is this
// the name?" a way to confirm. It holds no text: what the user wrote is
// never kept for later. It lasts while the user stays on Step.
type Offer struct {
	Step Step `json:"step,omitempty"`
	// Name offers "Yes, it is the name".
	Name bool `json:"name,omitempty"`
	// Confirmed: the user said the next text at Step is a name; it is
	// not checked for first-person words and length again.
	Confirmed bool `json:"confirmed,omitempty"`
}
