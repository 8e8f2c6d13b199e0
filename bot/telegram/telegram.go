// Package telegram is the Telegram channel: it turns Bot API updates into
// flows messages and replies into Telegram messages with inline
// keyboards, by long polling or through a webhook. Only private chats are
// served; updates from groups are ignored.
package telegram

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
)

// Channel is the channel name of Telegram users; their user id is the
// Telegram user id in decimal.
const Channel = "telegram"

// SecretHeader carries the webhook's secret token on Telegram's posts.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Engine answers messages; *bot.Engine is one.
type Engine interface {
	// Dispatch queues msg behind the same user's earlier messages and
	// returns at once; deliver gets the answer once it is saved.
	Dispatch(ctx context.Context, msg dialog.Message, deliver func(flows.Answer))
}

// Reachability records users who blocked the bot; *flows.Flows is one.
type Reachability interface {
	MarkUnreachable(ctx context.Context, channel, userID string) error
}

// Keyboards keeps, in each user's session, whether their chat shows the
// phone question's reply keyboard (each answer brings what was kept:
// flows.Answer.PhoneKeyboard); *flows.Flows is one.
type Keyboards interface {
	SetPhoneKeyboard(ctx context.Context, channel, userID string, up bool) error
}

// Offsets keeps the position in the update stream across restarts;
// *storage.Store is one.
type Offsets interface {
	// Offset returns the saved id of the first update not yet handled, 0
	// when none was saved.
	Offset(ctx context.Context, channel string) (int64, error)
	// SetOffset saves it.
	SetOffset(ctx context.Context, channel string, next int64) error
}

// Config is what the channel needs.
type Config struct {
	// Token is the bot's token from BotFather. It never appears in logs
	// or errors.
	Token string
	// Endpoint is the Bot API endpoint in the client library's format,
	// formatted with the token and the method; empty: Telegram's own,
	// "https://api.telegram.org/bot%s/%s". It must end in "/bot%s/%s":
	// files users send are downloaded from the same address with
	// "/file" before that ("https://api.telegram.org/file/bot%s/%s").
	Endpoint string
	// WebhookURL, when set, is registered with Telegram, which then posts
	// updates to it instead of the bot polling; the bot serves its path
	// (see Register).
	WebhookURL string
	// WebhookSecret is the secret token Telegram sends with each post
	// (1-256 of A-Z, a-z, 0-9, _ and -); empty: a random one at start.
	WebhookSecret string

	Engine    Engine
	Reach     Reachability
	Keyboards Keyboards
	Offsets   Offsets
	Catalog   *locales.Catalog
	Log       *slog.Logger
	// Health, when set, learns whether the channel is up.
	Health *bot.Health

	// PollTimeout is how long one long poll waits for updates; 0: 50 s.
	PollTimeout time.Duration
	// Backoff is the first wait after a 5xx or network error, doubled at
	// each retry; 0: one second.
	Backoff time.Duration
	// Attempts is how often a request is tried before giving up; 0: 5.
	Attempts int
	// ShutdownGrace is how long replies in hand may still take to send
	// after shutdown began; 0: 10 s.
	ShutdownGrace time.Duration
}

// callTimeout bounds every request but the long poll.
const callTimeout = 30 * time.Second

// Bot is the Telegram channel. It also sends pushes, as paid broadcasts
// too (bot.PaidSender).
type Bot struct {
	cfg      Config
	api      *tgbotapi.BotAPI
	http     *http.Client
	log      *slog.Logger
	secret   string
	hookPath string
	// fileEndpoint is where users' files are downloaded from, formatted
	// with the token and the file path (files.go).
	fileEndpoint string

	// order keeps each chat's updates in order on their way to the
	// engine while files download (updates.go).
	order bot.InOrder
	mu    sync.Mutex
	// presses are the press last taken in each chat, inHand the one
	// being handled (updates.go).
	presses  map[int64]press
	inHand   map[int64]press
	stopping bool
	// wg counts the updates in hand, until their replies went out.
	wg sync.WaitGroup

	// sends is the context of replies; it ends ShutdownGrace after
	// shutdown began.
	sends       context.Context
	cancelSends context.CancelFunc
}

var _ bot.PaidSender = (*Bot)(nil)

var secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// maxConns is how many connections to the Bot API stay open between
// requests: enough for the outbox's sends at once (100 for paid
// broadcasts) with the long poll and the replies.
const maxConns = 128

// transport is Go's default HTTP transport keeping maxConns idle
// connections to the Bot API; the default keeps two, and sends at once
// beyond them would each open a new connection (a TLS handshake on
// Telegram's servers), which made connecting the biggest cost under load
// (docs/PERFORMANCE.md).
func transport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = maxConns, maxConns
	return t
}

// New checks the configuration and the token (the Bot API's getMe).
func New(ctx context.Context, cfg Config) (*Bot, error) {
	switch {
	case cfg.Token == "":
		return nil, errors.New("telegram: no token")
	case cfg.Engine == nil || cfg.Reach == nil || cfg.Keyboards == nil || cfg.Catalog == nil || cfg.Log == nil:
		return nil, errors.New("telegram: Engine, Reach, Keyboards, Catalog and Log are required")
	case cfg.WebhookURL == "" && cfg.Offsets == nil:
		return nil, errors.New("telegram: long polling needs Offsets")
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = tgbotapi.APIEndpoint
	}
	if cfg.PollTimeout < time.Second {
		cfg.PollTimeout = 50 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 5
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 10 * time.Second
	}
	files, err := fileEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	b := &Bot{cfg: cfg, http: &http.Client{Transport: transport()}, log: cfg.Log.With("channel", Channel),
		presses: map[int64]press{}, inHand: map[int64]press{}, fileEndpoint: files}
	if cfg.WebhookURL != "" {
		u, err := url.Parse(cfg.WebhookURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("telegram: webhook URL %q is not an absolute URL", cfg.WebhookURL)
		}
		b.hookPath = u.EscapedPath()
		if b.hookPath == "" {
			b.hookPath = "/"
		}
		b.secret = cfg.WebhookSecret
		if b.secret == "" {
			var r [32]byte
			rand.Read(r[:])
			b.secret = hex.EncodeToString(r[:])
		}
		if !secretPattern.MatchString(b.secret) {
			return nil, errors.New("telegram: the webhook secret must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
		}
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.Endpoint, ctxClient{ctx: ctx, c: b.http})
	if err != nil {
		return nil, fmt.Errorf("connect to the Telegram Bot API: %w", b.classify("getMe", err))
	}
	b.api = api
	b.sends, b.cancelSends = context.WithCancel(context.Background())
	return b, nil
}

// Username is the bot's @username, as deep links use it.
func (b *Bot) Username() string { return b.api.Self.UserName }

// Register adds the webhook's route to mux; it does nothing when the bot
// polls.
func (b *Bot) Register(mux *http.ServeMux) {
	if b.hookPath == "" {
		return
	}
	pattern := "POST " + b.hookPath
	if b.hookPath == "/" {
		pattern += "{$}"
	}
	mux.Handle(pattern, b)
}

// Run serves the channel until ctx ends: it sets the command list, then
// polls for updates or registers the webhook. On the way out it stops
// taking updates, finishes the ones in hand and returns once their
// replies went out (or ShutdownGrace passed).
func (b *Bot) Run(ctx context.Context) error {
	b.setCommands(ctx)
	var err error
	if b.hookPath != "" {
		err = b.serveWebhook(ctx)
	} else {
		err = b.poll(ctx)
	}
	b.shutdown()
	if ctx.Err() != nil {
		// Stopped while starting: not a failure.
		return nil
	}
	return err
}

func (b *Bot) setHealth(up bool) {
	if b.cfg.Health != nil {
		b.cfg.Health.Set(Channel, up)
	}
}

func (b *Bot) serveWebhook(ctx context.Context) error {
	params := tgbotapi.Params{"url": b.cfg.WebhookURL, "secret_token": b.secret}
	if err := params.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return fmt.Errorf("register the Telegram webhook: %w", err)
	}
	err := b.retry(ctx, func() error {
		_, err := b.call(ctx, "setWebhook", params)
		return err
	})
	if err != nil {
		return fmt.Errorf("register the Telegram webhook: %w", err)
	}
	b.setHealth(true)
	b.log.Info("telegram channel up", "bot", b.Username(), "mode", "webhook", "path", b.hookPath)
	<-ctx.Done()
	return nil
}

// shutdown stops taking updates and waits for those in hand.
func (b *Bot) shutdown() {
	b.setHealth(false)
	b.mu.Lock()
	b.stopping = true
	b.mu.Unlock()
	grace := time.AfterFunc(b.cfg.ShutdownGrace, b.cancelSends)
	b.wg.Wait()
	grace.Stop()
	b.cancelSends()
}

// ServeHTTP takes one update from Telegram's webhook. A request without
// the secret token gets 401. The answer is 200 once the update is handled
// and saved; Telegram posts again what was not answered with 200.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), []byte(b.secret)) != 1 {
		http.Error(w, "wrong or missing secret token", http.StatusUnauthorized)
		return
	}
	var u tgbotapi.Update
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&u); err != nil {
		http.Error(w, "cannot read the update", http.StatusBadRequest)
		return
	}
	done, ok := b.dispatch(u)
	if !ok {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	select {
	case <-done:
		w.WriteHeader(http.StatusOK)
	case <-r.Context().Done():
	}
}

// setCommands sets the command menu in each language and a default one
// for everyone else. A failure is logged: the bot works without it.
func (b *Bot) setCommands(ctx context.Context) {
	names := []string{"start", "menu", "lang", "help", "cancel", "support", "results", "diploma"}
	describe := func(lang, name string) string { return b.cfg.Catalog.T(lang, "cmd_"+name, nil) }
	for _, lang := range append(append([]string{}, locales.Languages...), "") {
		cfg := tgbotapi.SetMyCommandsConfig{LanguageCode: lang}
		for _, n := range names {
			d := ""
			if lang != "" {
				d = describe(lang, n)
			} else {
				d = allLanguages(func(l string) string { return describe(l, n) })
			}
			cfg.Commands = append(cfg.Commands, tgbotapi.BotCommand{Command: n, Description: d})
		}
		err := b.retry(ctx, func() error {
			_, err := b.request(ctx, "setMyCommands", cfg)
			return err
		})
		if err != nil {
			b.log.Warn("could not set the command list", "lang", lang, "err", err)
		}
	}
}

// allLanguages joins a text in every language with " · ", each once.
func allLanguages(text func(lang string) string) string {
	var out string
	seen := map[string]bool{}
	for _, l := range locales.Languages {
		t := text(l)
		if seen[t] {
			continue
		}
		seen[t] = true
		if out != "" {
			out += " · "
		}
		out += t
	}
	return out
}
