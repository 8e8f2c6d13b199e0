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
	"slices"
	"strings"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
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
	// RejectCall declines a call.
	RejectCall(ctx context.Context, callFrom types.JID, callID string) error
}

// downloadTimeout bounds the download of a file a user sent.
const downloadTimeout = 30 * time.Second

// NoticeEvery is how often at most a user is told a message of theirs
// could not be read.
const NoticeEvery = time.Hour

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
	// returns at once; deliver gets the answer.
	Dispatch(ctx context.Context, msg dialog.Message, deliver func(flows.Answer))
}

// Notices are the channel's own texts in a user's language;
// *flows.Flows is one.
type Notices interface {
	// Notice is text id in the language of the user, in every language
	// when they chose none.
	Notice(ctx context.Context, channel, userID, id string) dialog.Reply
}

// Adapter turns whatsmeow events into work: messages go to the engine
// and their replies back to the chat; connection events set the health,
// are logged and, when someone must act, alert the organizers. Its
// HandleEvent is meant to be whatsmeow's event handler (with success
// status), which runs synchronously: it only queues. Files are
// downloaded off the handler, in the user's queue.
type Adapter struct {
	Client Client
	// LIDs, when set, finds the number of a sender WhatsApp addresses by
	// LID only.
	LIDs   LIDs
	Engine Engine
	// Notices, when set, words the notice for a message that could not
	// be decrypted and the answer to a call.
	Notices Notices
	// Receipts, when set, gets the delivery and read receipts of what
	// the bot sent, to count them for pushes.
	Receipts *bot.Tracker
	Log      *slog.Logger
	// Health, when set, gets "whatsapp" up or down with the connection,
	// and the reason it stopped.
	Health *bot.Health
	// Alert, when set, tells the organizers that WhatsApp stopped:
	// reason says why and what to do; key names the alert (the same key
	// is one alert).
	Alert func(key, reason string)
	// Pacer, when set, spaces the answers to a backlog (the messages
	// that came in while the bot was offline), as it spaces pushes.
	Pacer *Pacer
	// Typing is how long the typing indicator shows before an answer.
	Typing time.Duration
	// LoggedOut, when set, is called once the phone unlinked the bot.
	LoggedOut func()
	// Reconnect, when set, is called on a temporary ban with how long
	// it lasts, to connect again once it is over.
	Reconnect func(after time.Duration)
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu       sync.Mutex
	stopped  bool
	inFlight sync.WaitGroup
	// inOrder keeps each user's messages in order on their way to the
	// engine while their files download in parallel.
	inOrder bot.InOrder
	// noticed is when each user was last told a message was unreadable.
	noticed map[string]time.Time
	// The backlog: while syncing messages sent when the bot was
	// offline, only the replies to each user's latest message are kept
	// (held), to be sent in order and paced when the sync ends.
	syncing bool
	seq     int
	held    map[string]heldAnswer
	backlog sync.WaitGroup
}

// heldAnswer is a backlog message's replies, waiting to be sent.
type heldAnswer struct {
	seq     int
	userID  string
	info    types.MessageInfo
	replies []dialog.Reply
}

// HandleEvent handles one whatsmeow event. ctx is the channel's life:
// handling a message that arrived goes on after it ends. It reports
// false for a message that arrived after Stop: whatsmeow then does not
// acknowledge it, and WhatsApp delivers it again at the next start.
func (a *Adapter) HandleEvent(ctx context.Context, evt any) bool {
	switch e := evt.(type) {
	case *events.Message:
		return a.message(ctx, e)
	case *events.UndecryptableMessage:
		a.undecryptable(ctx, e)
	case *events.CallOffer:
		a.call(ctx, e)
	case *events.Receipt:
		a.receipt(ctx, e)
	case *events.OfflineSyncPreview:
		a.Log.Info("whatsapp: catching up on what came in while offline", "messages", e.Messages, "total", e.Total)
		if e.Messages > 0 {
			a.mu.Lock()
			a.syncing = true
			a.mu.Unlock()
		}
	case *events.OfflineSyncCompleted:
		a.Log.Info("whatsapp: caught up", "events", e.Count)
		a.endBacklog(ctx)
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
		a.endBacklog(ctx)
	case *events.KeepAliveTimeout:
		a.Log.Warn("whatsapp keep-alive timed out", "errors", e.ErrorCount)
	case *events.KeepAliveRestored:
		a.Log.Info("whatsapp keep-alive restored")
	case *events.LoggedOut:
		a.down("logged-out", "the phone unlinked the bot ("+e.Reason.String()+"), and the session was deleted; "+
			"link the number again with `rfabot whatsapp-pair`")
		if a.LoggedOut != nil {
			a.LoggedOut()
		}
	case *events.StreamReplaced:
		a.down("replaced", "another program connected with this session, and this one stopped; run only one bot per number, then restart")
	case *events.TemporaryBan:
		a.down("banned", a.banReason(e))
		if a.Reconnect != nil && e.Expire > 0 {
			a.Reconnect(e.Expire)
		}
	case *events.ClientOutdated:
		a.down("outdated", "WhatsApp refused this client version; update go.mau.fi/whatsmeow and rebuild")
	case *events.CATRefreshError:
		a.down("cat", fmt.Sprintf("the crypto auth token could not be refreshed (%v); restart the bot, and pair again if it keeps failing", e.Error))
	case *events.ConnectFailure:
		a.down("connect", fmt.Sprintf("WhatsApp refused the connection (%s); the bot does not reconnect by itself: restart it", e.Reason))
	case *events.StreamError:
		a.down("stream", fmt.Sprintf("WhatsApp closed the connection with an unknown error (code %q); the bot is reconnecting", e.Code))
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

func (a *Adapter) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// down records that WhatsApp stopped for reason: a log line, /healthz
// and the dashboard say why, and the organizers get an alert (one per
// kind of stop and hour).
func (a *Adapter) down(kind, reason string) {
	a.Log.Error("whatsapp stopped: "+reason, "kind", kind)
	if a.Health != nil {
		a.Health.SetDown(Channel, reason)
	}
	if a.Alert != nil {
		a.Alert(Channel+":"+kind+":"+a.now().UTC().Format("2006-01-02T15"), reason)
	}
}

// banReason words a temporary ban, with when it ends.
func (a *Adapter) banReason(e *events.TemporaryBan) string {
	why := fmt.Sprintf("WhatsApp temporarily banned the number (%s)", e.Code)
	if e.Expire > 0 {
		why += fmt.Sprintf(" until %s UTC, when the bot connects again", a.now().Add(e.Expire).UTC().Format("2006-01-02 15:04"))
	}
	return why + "; send fewer pushes (WHATSAPP_PUSH_INTERVAL) or move to the Cloud API (WHATSAPP_TRANSPORT=cloud)"
}

// message hands a direct message to the engine, behind the same user's
// earlier messages. Groups, status updates, broadcasts, newsletters, the
// bot's own messages, edits, reactions and protocol messages are
// ignored. It reports false when the adapter is stopped.
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
	msg := dialog.Message{
		Channel:     Channel,
		UserID:      userID,
		ID:          info.ID,
		Text:        text,
		NonText:     nonText,
		Numbered:    true,
		SenderPhone: phone,
	}
	a.mu.Lock()
	if a.stopped {
		a.mu.Unlock()
		log.Info("whatsapp: stopping, message left for the next start")
		return false
	}
	a.inFlight.Add(1)
	backlog := a.syncing
	seq := 0
	if backlog {
		a.seq++
		seq = a.seq
		a.backlog.Add(1)
	}
	a.mu.Unlock()
	// Handling goes on when the channel stops: the user gets the answer
	// to what they sent.
	hctx := context.WithoutCancel(ctx)
	a.inOrder.Go(userID, func() { a.attach(hctx, log, e.Message, &msg) }, func() {
		a.Engine.Dispatch(hctx, msg, func(answer flows.Answer) {
			defer a.inFlight.Done()
			replies := answer.Replies
			if backlog {
				defer a.backlog.Done()
				a.hold(userID, seq, info, replies)
				return
			}
			a.drop(userID)
			a.answer(hctx, log, info, replies)
		})
	})
	return true
}

// hold keeps the replies to a backlog message of userID, replacing the
// replies to their earlier ones: only the latest open question is
// answered. No replies (a message handled before) keep what is held.
func (a *Adapter) hold(userID string, seq int, info types.MessageInfo, replies []dialog.Reply) {
	if len(replies) == 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.held == nil {
		a.held = map[string]heldAnswer{}
	}
	a.held[userID] = heldAnswer{seq: seq, userID: userID, info: info, replies: replies}
}

// drop forgets the held backlog answer of a user who wrote again: the
// answer to the new message is the current one.
func (a *Adapter) drop(userID string) {
	a.mu.Lock()
	delete(a.held, userID)
	a.mu.Unlock()
}

// endBacklog ends a backlog: once its messages are handled, the held
// answers go out in the order their messages came, one per Pacer turn.
func (a *Adapter) endBacklog(ctx context.Context) {
	a.mu.Lock()
	if !a.syncing {
		a.mu.Unlock()
		return
	}
	a.syncing = false
	a.inFlight.Add(1)
	a.mu.Unlock()
	hctx := context.WithoutCancel(ctx)
	go func() {
		defer a.inFlight.Done()
		a.backlog.Wait()
		a.mu.Lock()
		order := make([]heldAnswer, 0, len(a.held))
		for _, h := range a.held {
			order = append(order, h)
		}
		a.mu.Unlock()
		slices.SortFunc(order, func(x, y heldAnswer) int { return x.seq - y.seq })
		a.Log.Info("whatsapp: answering the backlog", "users", len(order))
		for _, h := range order {
			userID := h.userID
			if a.Pacer != nil {
				if err := a.Pacer.Wait(hctx); err != nil {
					return
				}
			}
			a.mu.Lock()
			cur, ok := a.held[userID]
			if ok && cur.seq == h.seq {
				delete(a.held, userID)
			}
			a.mu.Unlock()
			if !ok || cur.seq != h.seq {
				// The user wrote again since, and got that answer.
				continue
			}
			a.answer(hctx, a.Log.With("chat", h.info.Chat.String(), "message_id", h.info.ID), h.info, h.replies)
		}
	}()
}

// answer marks the message read, shows the typing indicator, and sends
// the replies. No replies means the message was handled before (a
// redelivery): nothing is sent.
func (a *Adapter) answer(ctx context.Context, log *slog.Logger, info types.MessageInfo, replies []dialog.Reply) {
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

// undecryptable tells the sender of a direct message that could not be
// decrypted to send it again, at most once per NoticeEvery. whatsmeow
// asks their phone to resend it first; a resend that decrypts comes as a
// Message. Messages meant to be unavailable here (view once) and those
// WhatsApp itself hides are passed over.
func (a *Adapter) undecryptable(ctx context.Context, e *events.UndecryptableMessage) {
	info := e.Info
	if info.IsFromMe || info.IsGroup || !isDirect(info.Chat) || e.UnavailableType != events.UnavailableTypeUnknown ||
		e.DecryptFailMode == events.DecryptFailHide {
		return
	}
	userID, _ := a.sender(ctx, info)
	a.Log.Warn("whatsapp: a message could not be decrypted", "chat", info.Chat.String(), "message_id", info.ID,
		"unavailable", e.IsUnavailable)
	now := a.now()
	a.mu.Lock()
	if last, ok := a.noticed[userID]; ok && now.Sub(last) < NoticeEvery {
		a.mu.Unlock()
		return
	}
	if a.noticed == nil {
		a.noticed = map[string]time.Time{}
	}
	a.noticed[userID] = now
	a.mu.Unlock()
	a.notice(ctx, info.Chat, userID, "wa_undecryptable")
}

// call declines a call to the bot and answers it with a text: it cannot
// take calls, write instead, or call 112 when it is urgent.
func (a *Adapter) call(ctx context.Context, e *events.CallOffer) {
	if !e.GroupJID.IsEmpty() || !isDirect(e.From) {
		return
	}
	a.Log.Info("whatsapp: declined a call", "chat", e.From.String(), "call_id", e.CallID)
	if err := a.Client.RejectCall(ctx, e.From, e.CallID); err != nil {
		a.Log.Warn("whatsapp: decline a call", "err", err)
	}
	userID, _ := a.sender(ctx, types.MessageInfo{MessageSource: types.MessageSource{
		Chat: e.From, Sender: e.CallCreator, SenderAlt: e.CallCreatorAlt}})
	a.notice(ctx, e.From.ToNonAD(), userID, "wa_call")
}

// notice sends text id of Notices to the chat, off the event handler,
// paced like the backlog's answers.
func (a *Adapter) notice(ctx context.Context, chat types.JID, userID, id string) {
	if a.Notices == nil {
		return
	}
	a.inFlight.Add(1)
	hctx := context.WithoutCancel(ctx)
	go func() {
		defer a.inFlight.Done()
		if a.Pacer != nil {
			if err := a.Pacer.Wait(hctx); err != nil {
				return
			}
		}
		r := a.Notices.Notice(hctx, Channel, userID, id)
		if _, err := a.Client.SendMessage(hctx, chat, textMessage(r)); err != nil {
			a.Log.Error("whatsapp: send a notice", "notice", id, "chat", chat.String(), "err", err)
		}
	}()
}

// receipt passes on that messages the bot sent to a person were
// delivered or read (played, for voice and view-once media).
func (a *Adapter) receipt(ctx context.Context, e *events.Receipt) {
	if a.Receipts == nil || e.IsGroup || !isDirect(e.Chat) {
		return
	}
	switch e.Type {
	case types.ReceiptTypeDelivered:
		a.Receipts.Receipt(ctx, e.MessageIDs, false, e.Timestamp)
	case types.ReceiptTypeRead, types.ReceiptTypePlayed:
		a.Receipts.Receipt(ctx, e.MessageIDs, true, e.Timestamp)
	}
}

// attach downloads the picture or document a message carries into msg
// (Photo or Document), with its caption as the text. A file over
// flows.MaxAttachment is not downloaded, and one whose download fails
// is handed in without its bytes: the flows ask for another. It runs in
// the user's queue (see queue), at most downloadTimeout.
func (a *Adapter) attach(ctx context.Context, log *slog.Logger, m *waE2E.Message, msg *dialog.Message) {
	var file whatsmeow.DownloadableMessage
	var size uint64
	att := &dialog.Attachment{}
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
func sendDocument(ctx context.Context, c Client, to types.JID, d *dialog.Document) error {
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
func Render(r dialog.Reply) string {
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

func textMessage(r dialog.Reply) *waE2E.Message {
	return &waE2E.Message{Conversation: proto.String(Render(r))}
}
