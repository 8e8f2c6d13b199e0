package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store/sqlstore"

	"github.com/runforautism/rfabot/bot"
)

// DefaultTyping is how long the typing indicator shows before an answer:
// long enough to be seen, short enough not to keep anyone waiting.
const DefaultTyping = time.Second

// ErrNotPaired means there is no paired session to run on.
var ErrNotPaired = errors.New("WhatsApp is not paired: link the bot's number with `rfabot whatsapp-pair`")

// Config is what the running channel needs.
type Config struct {
	// Path is the session store, DATA_DIR/whatsapp.db.
	Path   string
	Engine Engine
	// Health, when set, says whether WhatsApp is connected.
	Health *bot.Health
	Log    *slog.Logger
	// PushInterval paces pushes; zero means DefaultPushInterval.
	PushInterval time.Duration
	// Typing is how long the typing indicator shows before an answer;
	// zero means DefaultTyping.
	Typing time.Duration
	// Notices words the channel's own notices (an unreadable message, a
	// call); *flows.Flows is one.
	Notices Notices
	// Alert, when set, tells the organizers WhatsApp stopped (see
	// Adapter.Alert).
	Alert func(key, reason string)
	// Receipts, when set, counts the pushes delivered and read.
	Receipts *bot.Tracker
}

// Bot is the WhatsApp channel on one paired number.
type Bot struct {
	client  *whatsmeow.Client
	store   *sqlstore.Container
	adapter *Adapter
	sender  *Sender
	log     *slog.Logger

	loggedOut     chan struct{}
	loggedOutOnce sync.Once
}

// Open opens the paired session in cfg.Path. It returns ErrNotPaired,
// without creating anything, when there is none.
func Open(ctx context.Context, cfg Config) (*Bot, error) {
	if _, err := os.Stat(cfg.Path); errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotPaired
	} else if err != nil {
		return nil, fmt.Errorf("whatsapp session store: %w", err)
	}
	st, err := OpenStore(ctx, cfg.Path, cfg.Log)
	if err != nil {
		return nil, err
	}
	dev, err := st.GetFirstDevice(ctx)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("read whatsapp session from %s: %w", cfg.Path, err)
	}
	if dev.ID == nil {
		st.Close()
		return nil, ErrNotPaired
	}
	if cfg.PushInterval == 0 {
		cfg.PushInterval = DefaultPushInterval
	}
	if cfg.Typing == 0 {
		cfg.Typing = DefaultTyping
	}
	cli := whatsmeow.NewClient(dev, waLogger(cfg.Log, "client"))
	// Keep trying when the network is down at start, as whatsmeow does
	// after a connection is lost.
	cli.InitialAutoReconnect = true
	// A message the adapter refuses while stopping is kept decrypted in
	// the store, unacknowledged; WhatsApp delivers it again at the next
	// start and it is read from there (the text is cleared once handled).
	cli.EnableDecryptedEventBuffer = true
	b := &Bot{client: cli, store: st, log: cfg.Log, loggedOut: make(chan struct{})}
	// Pushes and the answers to a backlog share one pace.
	pacer := NewPacer(cfg.PushInterval)
	b.adapter = &Adapter{
		Client: cli, LIDs: dev.LIDs, Engine: cfg.Engine, Notices: cfg.Notices, Log: cfg.Log, Health: cfg.Health,
		Alert: cfg.Alert, Pacer: pacer, Typing: cfg.Typing, LoggedOut: b.onLoggedOut, Receipts: cfg.Receipts,
	}
	b.sender = &Sender{Client: cli, Pacer: pacer, Receipts: cfg.Receipts}
	return b, nil
}

// Sender sends pushes through this number, paced; give it to the outbox
// worker.
func (b *Bot) Sender() *Sender { return b.sender }

func (b *Bot) onLoggedOut() { b.loggedOutOnce.Do(func() { close(b.loggedOut) }) }

// Run connects and answers messages until ctx ends or the phone unlinks
// the bot. whatsmeow reconnects by itself after the network is lost.
// Then Run stops taking messages, answers the ones in hand, disconnects
// and closes the store. After an unlink it returns nil (the reason is
// logged): the other channels go on.
func (b *Bot) Run(ctx context.Context) error {
	defer b.store.Close()
	b.adapter.Reconnect = func(after time.Duration) {
		// A minute more than the ban, in case the clocks differ.
		t := time.AfterFunc(after+time.Minute, func() {
			if ctx.Err() != nil {
				return
			}
			b.log.Info("whatsapp: the ban is over, connecting again")
			if err := b.client.Connect(); err != nil {
				b.log.Error("whatsapp: connect after the ban", "err", err)
			}
		})
		context.AfterFunc(ctx, func() { t.Stop() })
	}
	b.client.AddEventHandlerWithSuccessStatus(func(evt any) bool { return b.adapter.HandleEvent(ctx, evt) })
	b.log.Info("whatsapp connecting", "number", "+"+b.client.Store.ID.User)
	if err := b.client.Connect(); err != nil {
		return fmt.Errorf("connect to whatsapp: %w", err)
	}
	select {
	case <-ctx.Done():
	case <-b.loggedOut:
	}
	b.adapter.Stop()
	b.adapter.Wait()
	b.client.Disconnect()
	b.adapter.setUp(false)
	return nil
}
