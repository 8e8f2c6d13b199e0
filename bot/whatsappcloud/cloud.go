package whatsappcloud

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
)

// Channel is the channel of the users this transport serves: the same
// "whatsapp" users as over whatsmeow, by their number's digits.
const Channel = "whatsapp"

// WebhookPath is where Meta posts the webhook: PUBLIC_URL + WebhookPath
// is the callback URL to enter in the app's WhatsApp configuration.
const WebhookPath = "/whatsapp/webhook"

// Window is WhatsApp's customer-service window: a business may send a
// free-form message only within 24 hours of the user's last message.
// Pushes treat it as a few minutes shorter, so that one sent at its
// edge is not refused on arrival.
const Window = 24*time.Hour - 5*time.Minute

// Engine answers messages; *bot.Engine is one.
type Engine interface {
	// Dispatch queues msg behind the same user's earlier messages and
	// returns at once; deliver gets the answer.
	Dispatch(ctx context.Context, msg dialog.Message, deliver func(flows.Answer))
}

// Users is what the transport asks the flows about users; *flows.Flows
// is one.
type Users interface {
	// UserLang is the language a user chose, "" if none.
	UserLang(ctx context.Context, channel, userID string) string
	// MarkUnreachable records that the user cannot get messages.
	MarkUnreachable(ctx context.Context, channel, userID string) error
	// WakePushes makes the user's deferred pushes due at once.
	WakePushes(ctx context.Context, channel, userID string) error
}

// HoldFor is how long a push that cannot go yet (no template, outside
// the window) waits before it is tried again, unless the user writes
// first.
const HoldFor = 15 * time.Minute

// Config is what the transport needs.
type Config struct {
	// APIURL is WHATSAPP_API_URL, the Graph API base with its version;
	// empty means DefaultAPIURL.
	APIURL string
	// Token is WHATSAPP_CLOUD_TOKEN, a system user's access token with
	// whatsapp_business_messaging.
	Token string
	// PhoneNumberID is WHATSAPP_PHONE_NUMBER_ID, the id of the business
	// number (not the number itself).
	PhoneNumberID string
	// AppSecret is WHATSAPP_APP_SECRET: webhooks are signed with it.
	AppSecret string
	// VerifyToken is WHATSAPP_VERIFY_TOKEN, typed into the webhook's
	// configuration, which Meta sends back once to verify the URL.
	VerifyToken string
	Engine      Engine
	Users       Users
	Catalog     *locales.Catalog
	// Templates are the event's message templates.
	Templates event.WhatsApp
	Health    *bot.Health
	// Alert, when set, tells the organizers the channel stopped; key
	// names the alert (one per key).
	Alert func(key, reason string)
	// Receipts, when set, counts the pushes delivered and read, from
	// the webhook's statuses.
	Receipts *bot.Tracker
	Log      *slog.Logger
	// HTTP is the client for the Graph API; nil means one with a 30 s
	// timeout.
	HTTP *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Bot is the WhatsApp channel over the Cloud API.
type Bot struct {
	cfg Config
	api *api
	log *slog.Logger

	// checkEvery is CheckEvery; tests shorten it.
	checkEvery time.Duration

	mu       sync.Mutex
	stopped  bool
	inFlight sync.WaitGroup
	// inOrder keeps each user's messages in order on their way to the
	// engine while their files download in parallel.
	inOrder bot.InOrder
	// wrote is when each user last wrote, for the 24-hour window. It is
	// not kept across restarts: until someone writes again, pushes to
	// them go as templates or wait.
	wrote map[string]time.Time
	// deferred are the users with pushes waiting for them to write.
	deferred map[string]bool
}

var _ bot.Sender = (*Bot)(nil)

// New checks cfg.
func New(cfg Config) (*Bot, error) {
	var missing []string
	for _, v := range [][2]string{{"WHATSAPP_CLOUD_TOKEN", cfg.Token}, {"WHATSAPP_PHONE_NUMBER_ID", cfg.PhoneNumberID},
		{"WHATSAPP_APP_SECRET", cfg.AppSecret}, {"WHATSAPP_VERIFY_TOKEN", cfg.VerifyToken}} {
		if v[1] == "" {
			missing = append(missing, v[0])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("WHATSAPP_TRANSPORT=cloud needs %s", strings.Join(missing, ", "))
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Bot{
		cfg: cfg, log: cfg.Log.With("transport", "cloud"), checkEvery: CheckEvery,
		wrote: map[string]time.Time{}, deferred: map[string]bool{},
		api: &api{base: strings.TrimRight(cfg.APIURL, "/"), token: cfg.Token, phoneID: cfg.PhoneNumberID, http: cfg.HTTP, sleep: bot.Sleep},
	}, nil
}

// Register adds the webhook to mux.
func (b *Bot) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET "+WebhookPath, b.verify)
	mux.HandleFunc("POST "+WebhookPath, b.webhook)
}

// CheckEvery is how often Run checks the token and the number again
// while they do not work.
const CheckEvery = 5 * time.Minute

// Run checks the token and the number, sets the health (checking again
// every CheckEvery until they work), and serves the webhook until ctx
// ends; then it stops taking messages and answers those in hand.
func (b *Bot) Run(ctx context.Context) error {
	for {
		err := b.api.check(ctx)
		if err == nil {
			b.setUp(true)
			b.log.Info("whatsapp cloud api ready", "phone_number_id", b.cfg.PhoneNumberID)
			break
		}
		b.trouble(err, true)
		if bot.Sleep(ctx, b.checkEvery) != nil {
			break
		}
	}
	<-ctx.Done()
	b.mu.Lock()
	b.stopped = true
	b.mu.Unlock()
	b.inFlight.Wait()
	b.setUp(false)
	return nil
}

func (b *Bot) setUp(up bool) {
	if b.cfg.Health != nil {
		b.cfg.Health.Set(Channel, up)
	}
}

// trouble acts on an error of the Graph API that needs an organizer: a
// refused token or a restricted account (or, at start, an unknown
// number) puts the channel down with the reason and alerts the
// organizers.
func (b *Bot) trouble(err error, atStart bool) {
	var ae *APIError
	if !errors.As(err, &ae) {
		b.log.Warn("whatsapp cloud api unreachable", "err", err)
		return
	}
	var kind, reason string
	switch {
	case ae.Code == CodeTokenInvalid || ae.Status == http.StatusUnauthorized:
		kind, reason = "token", "the Cloud API refused the access token (WHATSAPP_CLOUD_TOKEN); make a new one in Meta Business Manager and restart"
	case ae.Code == CodePolicyBlock || ae.Code == CodeAccountLocked:
		kind, reason = "restricted", fmt.Sprintf("Meta restricted the WhatsApp Business account (code %d); see Account Quality in WhatsApp Manager", ae.Code)
	case atStart && (ae.Status == http.StatusNotFound || ae.Code == 100):
		kind, reason = "number", "the Cloud API does not know WHATSAPP_PHONE_NUMBER_ID with this token; check both"
	default:
		b.log.Warn("whatsapp cloud api", "err", err)
		return
	}
	b.log.Error("whatsapp stopped: "+reason, "err", err)
	if b.cfg.Health != nil {
		b.cfg.Health.SetDown(Channel, reason)
	}
	if b.cfg.Alert != nil {
		b.cfg.Alert(Channel+":cloud-"+kind+":"+b.cfg.Now().UTC().Format("2006-01-02T15"), reason)
	}
}

// verify answers Meta's verification of the webhook URL: the challenge
// is echoed when the verify token matches.
func (b *Bot) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("hub.mode") != "subscribe" || !hmac.Equal([]byte(q.Get("hub.verify_token")), []byte(b.cfg.VerifyToken)) {
		http.Error(w, "wrong verify token", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, q.Get("hub.challenge"))
}

// maxWebhook bounds a webhook post; Meta batches at most a few
// messages, without their files.
const maxWebhook = 1 << 20

// Signature is the X-Hub-Signature-256 of body signed with secret, as
// Meta sends it.
func Signature(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// webhook takes Meta's notifications: its signature is checked first,
// and a wrong one gets 401. Messages go to their users' queues and the
// post is answered 200 at once; after Stop it is refused with 503, and
// Meta delivers it again.
func (b *Bot) webhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhook))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if !hmac.Equal([]byte(r.Header.Get("X-Hub-Signature-256")), []byte(Signature(b.cfg.AppSecret, body))) {
		b.log.Warn("whatsapp webhook: wrong signature, refused")
		http.Error(w, "wrong signature", http.StatusUnauthorized)
		return
	}
	var n notification
	if err := json.Unmarshal(body, &n); err != nil {
		http.Error(w, "not a notification", http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	stopped := b.stopped
	b.mu.Unlock()
	if stopped {
		http.Error(w, "stopping", http.StatusServiceUnavailable)
		return
	}
	ctx := context.WithoutCancel(r.Context())
	for _, e := range n.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" {
				continue
			}
			if c.Value.Metadata.PhoneNumberID != b.cfg.PhoneNumberID {
				b.log.Warn("whatsapp webhook: for another number, ignored", "phone_number_id", c.Value.Metadata.PhoneNumberID)
				continue
			}
			for _, m := range c.Value.Messages {
				b.take(ctx, m)
			}
			for _, s := range c.Value.Statuses {
				b.status(ctx, s)
			}
		}
	}
	w.WriteHeader(http.StatusOK)
}

// notification is a webhook post's body.
type notification struct {
	Entry []struct {
		Changes []struct {
			Field string `json:"field"`
			Value struct {
				Metadata struct {
					PhoneNumberID string `json:"phone_number_id"`
				} `json:"metadata"`
				Messages []inMessage `json:"messages"`
				Statuses []status    `json:"statuses"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type inMessage struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Text      struct {
		Body string `json:"body"`
	} `json:"text"`
	Interactive struct {
		Type        string `json:"type"`
		ButtonReply struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"button_reply"`
		ListReply struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"list_reply"`
	} `json:"interactive"`
	// Button is a quick-reply button of a template.
	Button struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
	Image    inMedia `json:"image"`
	Document inMedia `json:"document"`
	Contacts []struct {
		Phones []struct {
			WaID string `json:"wa_id"`
		} `json:"phones"`
	} `json:"contacts"`
}

type inMedia struct {
	ID       string `json:"id"`
	MIME     string `json:"mime_type"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

type status struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Timestamp   string `json:"timestamp"`
	RecipientID string `json:"recipient_id"`
	Errors      []struct {
		Code  int    `json:"code"`
		Title string `json:"title"`
	} `json:"errors"`
}

// take turns an incoming message into a flows.Message and queues it
// behind the same user's earlier ones; files are downloaded in the
// queue, not in the webhook's answer. Reactions, system and unsupported
// messages are ignored.
func (b *Bot) take(ctx context.Context, m inMessage) {
	log := b.log.With("user", m.From, "message_id", m.ID)
	if m.From == "" || strings.Trim(m.From, "0123456789") != "" {
		log.Warn("whatsapp webhook: message without a sender number, ignored")
		return
	}
	msg := dialog.Message{Channel: Channel, UserID: m.From, ID: m.ID, Numbered: true, SenderPhone: "+" + m.From}
	var file *inMedia
	switch m.Type {
	case "text":
		msg.Text = m.Text.Body
	case "interactive":
		switch m.Interactive.Type {
		case "button_reply":
			msg.Payload, msg.Text = m.Interactive.ButtonReply.ID, m.Interactive.ButtonReply.Title
		case "list_reply":
			msg.Payload, msg.Text = m.Interactive.ListReply.ID, m.Interactive.ListReply.Title
		default:
			msg.NonText = true
		}
	case "button":
		msg.Payload, msg.Text = m.Button.Payload, m.Button.Text
	case "image":
		file, msg.Text, msg.Photo = &m.Image, m.Image.Caption, &dialog.Attachment{MIME: m.Image.MIME}
	case "document":
		file, msg.Text = &m.Document, m.Document.Caption
		msg.Document = &dialog.Attachment{Name: m.Document.Filename, MIME: m.Document.MIME}
	case "contacts":
		msg.NonText = true
		for _, c := range m.Contacts {
			for _, p := range c.Phones {
				if p.WaID == m.From {
					msg.Phone, msg.NonText = "+"+p.WaID, false
				}
			}
		}
	case "reaction", "system", "unsupported", "request_welcome", "":
		log.Debug("whatsapp webhook: ignored a message", "type", m.Type)
		return
	default:
		// Audio, video, stickers, locations: not an answer the flows can
		// read, which they say.
		msg.NonText = true
	}
	at := b.cfg.Now()
	if sec, err := strconv.ParseInt(m.Timestamp, 10, 64); err == nil {
		at = time.Unix(sec, 0)
	}
	b.mu.Lock()
	if at.After(b.wrote[m.From]) {
		b.wrote[m.From] = at
	}
	wake := b.deferred[m.From]
	delete(b.deferred, m.From)
	b.mu.Unlock()
	if wake {
		// The window is open: the pushes that waited for it go now.
		if err := b.cfg.Users.WakePushes(ctx, Channel, m.From); err != nil {
			log.Error("whatsapp cloud: wake the pushes held for the user", "err", err)
		}
	}
	b.inFlight.Add(1)
	b.inOrder.Go(m.From, func() {
		if file != nil {
			b.attach(ctx, log, file, &msg)
		}
	}, func() {
		b.cfg.Engine.Dispatch(ctx, msg, func(a flows.Answer) {
			defer b.inFlight.Done()
			b.answer(ctx, log, m, a.Replies)
		})
	})
}

// attach downloads the file of a message into msg's Photo or Document.
// One that fails or is over flows.MaxAttachment comes without its
// bytes: the flows ask for another.
func (b *Bot) attach(ctx context.Context, log *slog.Logger, f *inMedia, msg *dialog.Message) {
	att := msg.Photo
	if att == nil {
		att = msg.Document
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	data, err := b.api.download(dctx, f.ID, flows.MaxAttachment)
	switch {
	case err != nil:
		log.Warn("whatsapp cloud: download a file", "err", err)
	case len(data) > flows.MaxAttachment:
		log.Info("whatsapp cloud: file over the limit", "bytes", len(data))
	default:
		att.Data = data
	}
}

// answer marks the message read and sends the replies. No replies means
// the message was handled before (Meta delivered it again).
func (b *Bot) answer(ctx context.Context, log *slog.Logger, m inMessage, replies []dialog.Reply) {
	if len(replies) == 0 {
		return
	}
	if err := b.api.markRead(ctx, m.ID); err != nil {
		log.Warn("whatsapp cloud: mark read", "err", err)
	}
	for _, r := range replies {
		if _, err := b.deliver(ctx, m.From, r); err != nil {
			log.Error("whatsapp cloud: send answer", "err", err)
			b.trouble(err, false)
			return
		}
	}
}

// deliver sends r to userID inside the window: its text with reply
// buttons or a list, then its file. It returns the id of the text's
// message.
func (b *Bot) deliver(ctx context.Context, userID string, r dialog.Reply) (string, error) {
	lang := b.cfg.Users.UserLang(ctx, Channel, userID)
	if lang == "" {
		lang = "ru"
	}
	sent, err := b.api.send(ctx, render(userID, r, b.cfg.Catalog.T(lang, "wa_list_button", nil)))
	if err != nil || r.Document == nil {
		return sent, err
	}
	id, err := b.api.upload(ctx, r.Document.Name, r.Document.MIME, r.Document.Data)
	if err != nil {
		return sent, err
	}
	m := outMessage{To: userID}
	if strings.HasPrefix(r.Document.MIME, "image/") {
		m.Type, m.Image = "image", &media{ID: id}
	} else {
		m.Type, m.Document = "document", &media{ID: id, Filename: r.Document.Name}
	}
	_, err = b.api.send(ctx, m)
	return sent, err
}

// Send sends a push to userID, as bot.Sender says. Inside the 24-hour
// window it goes as an answer would. Outside, a push whose kind has a
// template in the event goes as that template; one without returns a
// *bot.DeferError: it stays in the outbox and goes when the user next
// writes (or is tried again after HoldFor). Errors: bot.ErrUnreachable
// for a number that is not on WhatsApp (131026), bot.ErrRejected for a
// message WhatsApp refuses for good (400), *bot.RetryAfterError on rate
// limits (429s were retried with backoff already), anything else to
// retry.
func (b *Bot) Send(ctx context.Context, userID string, r dialog.Reply) error {
	if userID == "" || strings.Trim(userID, "0123456789") != "" {
		return fmt.Errorf("%w: whatsapp user %q is not a number", bot.ErrRejected, userID)
	}
	b.mu.Lock()
	last := b.wrote[userID]
	b.mu.Unlock()
	if !last.IsZero() && b.cfg.Now().Sub(last) < Window {
		id, err := b.deliver(ctx, userID, r)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Code != CodeReengagement {
			b.track(ctx, id, err)
			return b.sendError(userID, err)
		}
		// WhatsApp counts the window otherwise: it is closed.
		b.closeWindow(userID)
	}
	p, _ := bot.PushFrom(ctx)
	lang := b.cfg.Users.UserLang(ctx, Channel, userID)
	if name, code, ok := b.cfg.Templates.Template(p.Kind, lang); ok {
		id, err := b.api.send(ctx, templateMessage(userID, name, code, r))
		b.track(ctx, id, err)
		return b.sendError(userID, err)
	}
	b.mu.Lock()
	b.deferred[userID] = true
	b.mu.Unlock()
	return fmt.Errorf("whatsapp cloud: %s has not written for 24 hours and %q pushes have no template; held until they write: %w",
		userID, p.Kind, &bot.DeferError{Until: time.Now().Add(HoldFor)})
}

// closeWindow forgets when userID wrote: WhatsApp said the window is
// closed (error 131047).
func (b *Bot) closeWindow(userID string) {
	b.mu.Lock()
	delete(b.wrote, userID)
	b.mu.Unlock()
}

// track tells Receipts which message carried the push in ctx.
func (b *Bot) track(ctx context.Context, id string, err error) {
	if err == nil && b.cfg.Receipts != nil {
		b.cfg.Receipts.Sent(ctx, id)
	}
}

// sendError maps the Graph API's errors to bot.Sender's contract.
func (b *Bot) sendError(userID string, err error) error {
	var ae *APIError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &ae):
		return fmt.Errorf("whatsapp cloud send to %s: %w", userID, err)
	case ae.Code == CodeUndeliverable:
		return fmt.Errorf("%w: whatsapp cloud send to %s: %w", bot.ErrUnreachable, userID, err)
	case ae.Code == CodeSpamLimit:
		return fmt.Errorf("whatsapp cloud send to %s: %v: %w", userID, err, &bot.RetryAfterError{Wait: 10 * time.Minute})
	case ae.retryable():
		return fmt.Errorf("whatsapp cloud send to %s: %v: %w", userID, err, &bot.RetryAfterError{Wait: time.Minute})
	case ae.Status == http.StatusBadRequest && ae.Code != CodeTokenInvalid && ae.Code != CodePolicyBlock && ae.Code != CodeAccountLocked:
		return fmt.Errorf("%w: whatsapp cloud send to %s: %w", bot.ErrRejected, userID, err)
	}
	b.trouble(err, false)
	return fmt.Errorf("whatsapp cloud send to %s: %w", userID, err)
}

// status acts on a message's status: delivered and read go to
// Receipts; a message that could not be delivered because the number is
// not on WhatsApp marks the user unreachable; one refused because the
// window closed closes it here too.
func (b *Bot) status(ctx context.Context, s status) {
	switch {
	case (s.Status == "delivered" || s.Status == "read") && b.cfg.Receipts != nil:
		at := b.cfg.Now()
		if sec, err := strconv.ParseInt(s.Timestamp, 10, 64); err == nil {
			at = time.Unix(sec, 0)
		}
		b.cfg.Receipts.Receipt(ctx, []string{s.ID}, s.Status == "read", at)
		return
	case s.Status != "failed":
		return
	}
	for _, e := range s.Errors {
		b.log.Warn("whatsapp cloud: a message failed", "user", s.RecipientID, "message_id", s.ID, "code", e.Code, "title", e.Title)
		switch e.Code {
		case CodeUndeliverable:
			if err := b.cfg.Users.MarkUnreachable(ctx, Channel, s.RecipientID); err != nil {
				b.log.Error("whatsapp cloud: mark unreachable", "user", s.RecipientID, "err", err)
			}
		case CodeReengagement:
			b.closeWindow(s.RecipientID)
		}
	}
}
