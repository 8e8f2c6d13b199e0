// Package whatsapp is the WhatsApp channel, over go.mau.fi/whatsmeow: it
// turns whatsmeow's events into flows.Messages for the engine, sends the
// replies as text with choices as a numbered list, sends pushes at a
// pace that keeps the number out of trouble, and pairs the bot's number.
// Nothing outside this package touches whatsmeow.
package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/flows"
)

// Channel is the channel name of WhatsApp users. Their flows UserID is
// their phone number as digits ("77011234567"), so ADMINS lists them as
// "+77011234567".
const Channel = "whatsapp"

// Client is what the channel uses of *whatsmeow.Client; tests fake it.
type Client interface {
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
	MarkRead(ctx context.Context, ids []types.MessageID, timestamp time.Time, chat, sender types.JID, receiptTypeExtra ...types.ReceiptType) error
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error
	SendPresence(ctx context.Context, state types.Presence) error
	// Download fetches and decrypts the file of an image or document
	// message.
	Download(ctx context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error)
	// Upload encrypts and uploads a file to send in a message.
	Upload(ctx context.Context, plaintext []byte, appInfo whatsmeow.MediaType) (whatsmeow.UploadResponse, error)
}

// downloadTimeout bounds the download of a file a user sent.
const downloadTimeout = 30 * time.Second

// LIDs finds the phone number behind a LID; whatsmeow's store.LIDStore
// is one.
type LIDs interface {
	// GetPNForLID returns the phone-number JID of lid, or an empty JID
	// when it is not known.
	GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error)
}

// Engine answers messages; *bot.Engine is one.
type Engine interface {
	// Dispatch queues msg behind the same user's earlier messages and
	// returns at once; deliver gets the replies.
	Dispatch(ctx context.Context, msg flows.Message, deliver func([]flows.Reply))
}

// Adapter turns whatsmeow events into work: messages go to the engine
// and their replies back to the chat; connection events set the health
// and are logged. Its HandleEvent is meant to be whatsmeow's event
// handler (with success status), which runs synchronously: it only
// queues.
type Adapter struct {
	Client Client
	// LIDs, when set, finds the number of a sender WhatsApp addresses by
	// LID only.
	LIDs   LIDs
	Engine Engine
	Log    *slog.Logger
	// Health, when set, gets "whatsapp" up or down with the connection.
	Health *bot.Health
	// Typing is how long the typing indicator shows before an answer.
	Typing time.Duration
	// LoggedOut, when set, is called once the phone unlinked the bot.
	LoggedOut func()

	mu       sync.Mutex
	stopped  bool
	inFlight sync.WaitGroup
}

// HandleEvent handles one whatsmeow event. ctx is the channel's life:
// handling a message that arrived goes on after it ends. It reports
// false for a message that arrived after Stop: whatsmeow then does not
// acknowledge it, and WhatsApp delivers it again at the next start.
func (a *Adapter) HandleEvent(ctx context.Context, evt any) bool {
	switch e := evt.(type) {
	case *events.Message:
		return a.message(ctx, e)
	case *events.Connected:
		a.setUp(true)
		a.Log.Info("whatsapp connected")
		// Being online lets the typing indicator show; it fails before
		// WhatsApp told the bot its profile name, which is harmless.
		if err := a.Client.SendPresence(ctx, types.PresenceAvailable); err != nil {
			a.Log.Debug("whatsapp: set presence", "err", err)
		}
	case *events.Disconnected:
		a.setUp(false)
		a.Log.Warn("whatsapp disconnected, reconnecting")
	case *events.KeepAliveTimeout:
		a.Log.Warn("whatsapp keep-alive timed out", "errors", e.ErrorCount)
	case *events.KeepAliveRestored:
		a.Log.Info("whatsapp keep-alive restored")
	case *events.LoggedOut:
		a.setUp(false)
		a.Log.Error("whatsapp: the session was logged out from the phone and deleted; pair again with `rfabot whatsapp-pair`",
			"reason", e.Reason.String())
		if a.LoggedOut != nil {
			a.LoggedOut()
		}
	case *events.StreamReplaced:
		a.setUp(false)
		a.Log.Error("whatsapp: another program connected with this session; this one stopped (run only one bot per number)")
	case *events.TemporaryBan:
		a.setUp(false)
		a.Log.Error("whatsapp: the number is temporarily banned; send fewer pushes (WHATSAPP_PUSH_INTERVAL)",
			"ban", e.String())
	case *events.ClientOutdated:
		a.setUp(false)
		a.Log.Error("whatsapp refused this client version: update go.mau.fi/whatsmeow and rebuild")
	case *events.ConnectFailure:
		a.setUp(false)
		a.Log.Error("whatsapp connect failed", "reason", e.Reason.String())
	}
	return true
}

// Stop makes the adapter refuse messages from now on.
func (a *Adapter) Stop() {
	a.mu.Lock()
	a.stopped = true
	a.mu.Unlock()
}

// Wait blocks until every message taken so far has been answered.
func (a *Adapter) Wait() { a.inFlight.Wait() }

func (a *Adapter) setUp(up bool) {
	if a.Health != nil {
		a.Health.Set(Channel, up)
	}
}

// message hands a direct message to the engine. Groups, status updates,
// broadcasts, newsletters, the bot's own messages, edits, reactions and
// protocol messages are ignored. It reports false when the adapter is
// stopped.
func (a *Adapter) message(ctx context.Context, e *events.Message) bool {
	info := e.Info
	log := a.Log.With("chat", info.Chat.String(), "message_id", info.ID)
	if info.IsFromMe || info.IsGroup || !isDirect(info.Chat) || e.IsEdit || e.Message == nil {
		log.Debug("whatsapp: ignored a message", "from_me", info.IsFromMe, "group", info.IsGroup, "edit", e.IsEdit)
		return true
	}
	text, nonText, ok := content(e.Message)
	if !ok {
		log.Debug("whatsapp: ignored a message without content")
		return true
	}
	userID, phone := a.sender(ctx, info)
	msg := flows.Message{
		Channel:     Channel,
		UserID:      userID,
		ID:          info.ID,
		Text:        text,
		NonText:     nonText,
		Numbered:    true,
		SenderPhone: phone,
	}
	a.attach(ctx, log, e.Message, &msg)
	a.mu.Lock()
	if a.stopped {
		a.mu.Unlock()
		log.Info("whatsapp: stopping, message left for the next start")
		return false
	}
	a.inFlight.Add(1)
	a.mu.Unlock()
	// Handling goes on when the channel stops: the user gets the answer
	// to what they sent.
	hctx := context.WithoutCancel(ctx)
	a.Engine.Dispatch(hctx, msg, func(replies []flows.Reply) {
		defer a.inFlight.Done()
		a.answer(hctx, log, info, replies)
	})
	return true
}

// answer marks the message read, shows the typing indicator, and sends
// the replies. No replies means the message was handled before (a
// redelivery): nothing is sent.
func (a *Adapter) answer(ctx context.Context, log *slog.Logger, info types.MessageInfo, replies []flows.Reply) {
	if len(replies) == 0 {
		return
	}
	if err := a.Client.MarkRead(ctx, []types.MessageID{info.ID}, time.Now(), info.Chat, info.Sender); err != nil {
		log.Warn("whatsapp: read receipt", "err", err)
	}
	if err := a.Client.SendChatPresence(ctx, info.Chat, types.ChatPresenceComposing, types.ChatPresenceMediaText); err != nil {
		log.Warn("whatsapp: typing indicator", "err", err)
	}
	if a.Typing > 0 {
		t := time.NewTimer(a.Typing)
		<-t.C
	}
	for _, r := range replies {
		resp, err := a.Client.SendMessage(ctx, info.Chat, textMessage(r))
		if err != nil {
			log.Error("whatsapp: send answer", "err", err)
			return
		}
		log.Debug("whatsapp: answered", "reply_id", resp.ID)
		if r.Document != nil {
			if err := sendDocument(ctx, a.Client, info.Chat, r.Document); err != nil {
				log.Error("whatsapp: send file", "file", r.Document.Name, "err", err)
				return
			}
		}
	}
}

// attach downloads the picture or document a message carries into msg
// (Photo or Document), with its caption as the text. A file over
// flows.MaxAttachment is not downloaded, and one whose download fails
// is handed in without its bytes: the flows ask for another. The
// download happens before the message is queued, which keeps the
// user's messages in order; it holds whatsmeow's event handler for as
// long as it takes, at most downloadTimeout.
func (a *Adapter) attach(ctx context.Context, log *slog.Logger, m *waE2E.Message, msg *flows.Message) {
	var file whatsmeow.DownloadableMessage
	var size uint64
	att := &flows.Attachment{}
	if doc := documentOf(m); doc != nil {
		file, size = doc, doc.GetFileLength()
		att.Name, att.MIME = doc.GetFileName(), doc.GetMimetype()
		msg.Text, msg.NonText, msg.Document = doc.GetCaption(), false, att
	} else if img := m.GetImageMessage(); img != nil {
		file, size = img, img.GetFileLength()
		att.MIME = img.GetMimetype()
		msg.Text, msg.NonText, msg.Photo = img.GetCaption(), false, att
	} else {
		return
	}
	if size > flows.MaxAttachment {
		log.Info("whatsapp: file over the limit, not downloaded", "bytes", size)
		return
	}
	dctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	data, err := a.Client.Download(dctx, file)
	switch {
	case err != nil:
		log.Warn("whatsapp: download a file", "err", err)
	case len(data) > flows.MaxAttachment:
		log.Info("whatsapp: file over the limit", "bytes", len(data))
	default:
		att.Data = data
	}
}

// documentOf is the document of a message, with or without a caption.
func documentOf(m *waE2E.Message) *waE2E.DocumentMessage {
	if d := m.GetDocumentMessage(); d != nil {
		return d
	}
	return m.GetDocumentWithCaptionMessage().GetMessage().GetDocumentMessage()
}

// sendDocument uploads a file and sends it: a picture as an image, the
// rest (diplomas) as a document with its file name.
func sendDocument(ctx context.Context, c Client, to types.JID, d *flows.Document) error {
	media := whatsmeow.MediaDocument
	if strings.HasPrefix(d.MIME, "image/") {
		media = whatsmeow.MediaImage
	}
	up, err := c.Upload(ctx, d.Data, media)
	if err != nil {
		return fmt.Errorf("upload %s: %w", d.Name, err)
	}
	m := &waE2E.Message{}
	if media == whatsmeow.MediaImage {
		m.ImageMessage = &waE2E.ImageMessage{URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath),
			MediaKey: up.MediaKey, FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256,
			FileLength: proto.Uint64(up.FileLength), Mimetype: proto.String(d.MIME)}
	} else {
		m.DocumentMessage = &waE2E.DocumentMessage{URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath),
			MediaKey: up.MediaKey, FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256,
			FileLength: proto.Uint64(up.FileLength), Mimetype: proto.String(d.MIME), FileName: proto.String(d.Name),
			Title: proto.String(d.Name)}
	}
	_, err = c.SendMessage(ctx, to, m)
	return err
}

// isDirect reports whether chat is a one-to-one chat with a person.
func isDirect(chat types.JID) bool {
	return chat.Server == types.DefaultUserServer || chat.Server == types.HiddenUserServer
}

// content is what a message says: its text, or nonText for a photo,
// voice note, sticker and other things a person sends that are not text
// (attach then takes pictures and documents as files).
// ok is false for anything else (reactions, protocol messages, polls
// votes, key exchanges), which is not an answer.
func content(m *waE2E.Message) (text string, nonText, ok bool) {
	if m.Conversation != nil {
		return m.GetConversation(), false, true
	}
	if m.ExtendedTextMessage != nil {
		return m.GetExtendedTextMessage().GetText(), false, true
	}
	switch {
	case m.ImageMessage != nil, m.VideoMessage != nil, m.PtvMessage != nil, m.AudioMessage != nil,
		m.DocumentMessage != nil, m.DocumentWithCaptionMessage != nil, m.StickerMessage != nil, m.ContactMessage != nil,
		m.ContactsArrayMessage != nil, m.LocationMessage != nil, m.LiveLocationMessage != nil,
		m.PollCreationMessage != nil, m.PollCreationMessageV2 != nil, m.PollCreationMessageV3 != nil:
		return "", true, true
	}
	return "", false, false
}

// sender is the flows UserID of whoever sent a direct message, and their
// number in E.164 when it is known.
//
// WhatsApp addresses some senders by a LID (a number-less id,
// "1234@lid") instead of their phone number. The number then comes from
// the message itself (Info.SenderAlt, which WhatsApp fills for direct
// messages), else from whatsmeow's LID map (it learns pairs from
// messages and contacts). The user is keyed by the number, so they stay
// the same user whichever way WhatsApp addresses them and ADMINS can
// name them. Only when no number is known is the LID the UserID
// ("1234@lid"); Send accepts it back.
func (a *Adapter) sender(ctx context.Context, info types.MessageInfo) (userID, phone string) {
	pn := phoneJID(info.Sender, info.SenderAlt)
	if pn.IsEmpty() && a.LIDs != nil && info.Sender.Server == types.HiddenUserServer {
		found, err := a.LIDs.GetPNForLID(ctx, info.Sender.ToNonAD())
		if err != nil {
			a.Log.Warn("whatsapp: look up the number of a LID", "chat", info.Chat.String(), "err", err)
		} else if found.Server == types.DefaultUserServer {
			pn = found
		}
	}
	if pn.IsEmpty() {
		return info.Sender.ToNonAD().String(), ""
	}
	return pn.User, "+" + pn.User
}

// phoneJID is whichever of the sender's addresses is a phone number.
func phoneJID(sender, alt types.JID) types.JID {
	for _, j := range []types.JID{sender, alt} {
		if j.Server == types.DefaultUserServer && j.User != "" {
			return j.ToNonAD()
		}
	}
	return types.EmptyJID
}

// UserJID is the chat of a flows UserID: the phone number's JID, or the
// LID when that is what the user is known by.
func UserJID(userID string) (types.JID, error) {
	if strings.Contains(userID, "@") {
		j, err := types.ParseJID(userID)
		if err != nil || j.Server != types.HiddenUserServer || j.User == "" {
			return types.EmptyJID, fmt.Errorf("whatsapp user %q: not a number or a LID", userID)
		}
		return j, nil
	}
	if userID == "" || strings.Trim(userID, "0123456789") != "" {
		return types.EmptyJID, fmt.Errorf("whatsapp user %q: not a number or a LID", userID)
	}
	return types.NewJID(userID, types.DefaultUserServer), nil
}

// Render writes a reply as a WhatsApp message: the text, then its links
// as "label: url", then its choices numbered from 1, for the user to
// answer with the number or the label. Buttons and list messages do not
// show reliably on WhatsApp accounts that are not Business API ones.
func Render(r flows.Reply) string {
	var b strings.Builder
	b.WriteString(r.Text)
	if len(r.Links) > 0 {
		b.WriteString("\n")
		for _, l := range r.Links {
			fmt.Fprintf(&b, "\n%s: %s", l.Label, l.URL)
		}
	}
	if len(r.Choices) > 0 {
		b.WriteString("\n")
		for i, c := range r.Choices {
			fmt.Fprintf(&b, "\n%d) %s", i+1, c.Label)
		}
	}
	return b.String()
}

func textMessage(r flows.Reply) *waE2E.Message {
	return &waE2E.Message{Conversation: proto.String(Render(r))}
}
