// Package flows is the bot's conversation: every step the bot asks,
// accepts and answers, grouped by feature (each feature registers its
// own steps in registry.go's list), on the records of package domain
// and the message types of package dialog. It knows nothing of
// Telegram, WhatsApp or bbolt.
package flows

import (
	"github.com/runforautism/rfabot/dialog"
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
