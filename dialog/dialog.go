// Package dialog holds what passes between a person and the bot: the
// message a channel adapter hands in, and the reply with its choices,
// links and attachments that the adapter shows. Adapters import it
// without the domain.
package dialog

// Message is one thing a user sent, as an adapter hands it in.
type Message struct {
	// Channel names the messenger: "telegram", "whatsapp", "console".
	Channel string
	// UserID identifies the user within the channel.
	UserID string
	// ID is the messenger's id of this message; a message with an ID seen
	// before is not handled again. Empty: no deduplication.
	ID string
	// Ref is the messenger's id of the message itself (Telegram: its
	// message_id in the chat), the same in an edit of it; empty where
	// the channel has none.
	Ref string
	// Edited marks the new text of a message the user sent before
	// (Telegram: an edited message), which Ref names. It answers the
	// question still open when that message was the user's last, typed
	// answer to it (say, a refused date of birth, corrected); any other
	// edit is not read, and the user is told so.
	Edited bool
	// Text is what the user typed.
	Text string
	// Payload is the payload of the button the user pressed.
	Payload string
	// Phone is a contact the user shared, and only when it is their own.
	Phone string
	// SenderPhone is the sender's own number in E.164 (+77011234567),
	// set only when the messenger vouches for it (WhatsApp identifies
	// users by their number). Flows keeps it as the user's phone when
	// none is known yet, so the phone question offers "use this number",
	// and a Kazakhstan number (+7 7…) puts Russian first in the language
	// question. It never answers a question by itself.
	SenderPhone string
	// LangHint is the messenger's language of the user, e.g. "ru".
	LangHint string
	// Numbered says the channel shows choices as a numbered list, so a
	// number typed by the user picks a choice.
	Numbered bool
	// NonText marks a sticker, voice note or anything else that is not
	// text and not a file the bot takes (Document, Photo).
	NonText bool
	// Pressed, with a Payload, is the message whose button was pressed,
	// where the channel can tell (Telegram). The press is taken only when
	// that message asks the question the user is on now; a press on an
	// older one is stale: answered with the current question and never
	// applied, whatever its payload. Nil: a button of the current
	// question is taken from wherever it was pressed.
	Pressed *Pressed
	// Document is a file the user sent as a file (Telegram: a document;
	// WhatsApp: a document message): an organizer's results CSV, or a
	// screenshot sent as a file. Text, when set, is its caption.
	Document *Attachment
	// Photo is a picture the user sent as a photo (Telegram: the largest
	// size of a photo; WhatsApp: an image message), e.g. the proof of an
	// online run. Text, when set, is its caption.
	Photo *Attachment
}

// Pressed is a message with buttons as the user saw it.
type Pressed struct {
	// Text is the message's text.
	Text string
	// Payloads are its buttons' payloads, in order.
	Payloads []string
}

// Attachment is a file a user sent.
type Attachment struct {
	// Name is the file's name as sent ("results.csv"); photos may have
	// none.
	Name string
	// MIME is its type as the messenger tells it ("text/csv",
	// "image/jpeg"); may be empty.
	MIME string
	// Data is the content; nil when the file was over MaxAttachment or
	// could not be downloaded.
	Data []byte
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
	// labelled ShareLabel. ShareHint points to that button where a
	// channel sends it in a message of its own (Telegram: the choices
	// stay on the question, the button comes on a keyboard below).
	AskPhone   bool
	ShareLabel string `json:",omitempty"`
	ShareHint  string `json:",omitempty"`
	// Document, when set, is a file sent with this reply: a CSV export
	// or a check-in QR code (PNG) for organizers, a diploma (PDF), an
	// online-run proof shown to a reviewer. Channels send the file as a
	// message of its own, after the reply's text (a caption); Telegram
	// sends it before the text of a reply with choices, so the question
	// and its buttons stay at the bottom of the chat. A picture goes as
	// a photo for image/* types, anything else as a document (Telegram
	// sendPhoto/sendDocument, WhatsApp an image or document message);
	// the console writes it under DATA_DIR/files and prints the path.
	// Pushes carry no files (they link to them).
	Document *Document `json:",omitempty"`
}

// Document is a file the bot sends.
type Document struct {
	// Name is the file name people see: "registrations.csv",
	// "diploma-RFA-7K2Q.pdf".
	Name string
	// MIME is its media type: "text/csv", "image/png", "application/pdf".
	MIME string
	Data []byte
}
