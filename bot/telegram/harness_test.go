package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

// testNow is a day in registration time of the default event.
var testNow = time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)

// logBuffer collects the bot's logs.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// env is the Telegram channel as a test runs it: the real adapter, engine,
// flows and a bbolt file, against a fake Bot API.
type env struct {
	t      *testing.T
	tg     *tgfake.Server
	cat    *locales.Catalog
	ev     *event.Config
	path   string
	logs   *logBuffer
	health *bot.Health
	// edit changes the adapter's configuration before each start.
	edit func(*telegram.Config)
	// wrap, when set, stands between the adapter and the engine.
	wrap func(telegram.Engine) telegram.Engine
	// admins are the organizers (flows.Config.Admins).
	admins []string
	// now is the flows' clock; zero: testNow.
	now time.Time
	// dashboardURL is flows.Config.DashboardURL: with it, paid
	// registrations offer a check-in QR code.
	dashboardURL string

	store *storage.Store
	// tx counts the transactions the flows open in store.
	tx     *countingStore
	engine *bot.Engine
	conv   *flows.Flows
	bot    *telegram.Bot
	cancel context.CancelFunc
	done   chan error
	// stopWorker stops the outbox worker started with deliver.
	stopWorker func()
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ev, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, tg: tgfake.New(t), cat: cat, ev: ev, path: filepath.Join(t.TempDir(), "bot.db"),
		logs: &logBuffer{}, health: &bot.Health{}}
	// Every request the bot made is checked against the Bot API
	// reference.
	t.Cleanup(func() {
		for _, v := range e.tg.Violations() {
			t.Errorf("request against the Bot API reference: %s", v)
		}
	})
	return e
}

func (e *env) config() telegram.Config {
	var eng telegram.Engine = e.engine
	if e.wrap != nil {
		eng = e.wrap(eng)
	}
	cfg := telegram.Config{
		Token: e.tg.Token, Endpoint: e.tg.Endpoint(),
		Engine: eng, Reach: e.conv, Keyboards: e.conv, Offsets: e.store, Catalog: e.cat,
		Log:    slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Health: e.health, Backoff: 10 * time.Millisecond,
	}
	if e.edit != nil {
		e.edit(&cfg)
	}
	return cfg
}

// open opens storage and builds the engine and the adapter.
func (e *env) open() {
	e.t.Helper()
	s, err := storage.Open(e.path, storage.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	e.store = s
	now := e.now
	if now.IsZero() {
		now = testNow
	}
	e.tx = &countingStore{Store: s}
	e.conv = flows.New(flows.Config{Store: e.tx, Event: e.ev, Catalog: e.cat, Payments: testLinks{}, Admins: e.admins,
		DashboardURL: e.dashboardURL, Now: func() time.Time { return now }})
	e.engine = bot.NewEngine(e.conv, slog.New(slog.NewTextHandler(e.logs, nil)))
	b, err := telegram.New(context.Background(), e.config())
	if err != nil {
		s.Close()
		e.t.Fatal(err)
	}
	e.bot = b
}

// countingStore is the flows' storage, counting their transactions.
type countingStore struct {
	domain.Store
	updates, views atomic.Int32
}

func (s *countingStore) Update(ctx context.Context, fn func(domain.Tx) error) error {
	s.updates.Add(1)
	return s.Store.Update(ctx, fn)
}

func (s *countingStore) View(ctx context.Context, fn func(domain.Tx) error) error {
	s.views.Add(1)
	return s.Store.View(ctx, fn)
}

// take returns the counts since the last take and starts again.
func (s *countingStore) take() (updates, views int32) {
	return s.updates.Swap(0), s.views.Swap(0)
}

// testLinks builds payment links as a hosted payment page would have
// them.
type testLinks struct{}

func (testLinks) Link(o domain.Order, lang string) (string, error) {
	return fmt.Sprintf("https://pay.example.kz/%s?lang=%s", o.ID, lang), nil
}

// start opens everything and runs the channel until stop.
func (e *env) start() {
	e.t.Helper()
	e.open()
	e.run()
}

// run runs the channel opened with open until stop.
func (e *env) run() {
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel, e.done = cancel, make(chan error, 1)
	go func() { e.done <- e.bot.Run(ctx) }()
	e.t.Cleanup(e.stop)
}

// stop shuts the channel down as serve does: stop taking updates, finish
// those in hand, close storage.
func (e *env) stop() {
	e.t.Helper()
	if e.cancel == nil {
		return
	}
	e.cancel()
	e.cancel = nil
	if err := <-e.done; err != nil {
		e.t.Errorf("Run: %v", err)
	}
	if e.stopWorker != nil {
		e.stopWorker()
		e.stopWorker = nil
	}
	e.engine.Wait()
	if err := e.store.Close(); err != nil {
		e.t.Error(err)
	}
}

// deliver runs the outbox worker of the Telegram channel, sending
// through the adapter, until stop.
func (e *env) deliver(opt bot.WorkerOptions) {
	ctx, cancel := context.WithCancel(context.Background())
	w := bot.NewWorker(e.conv, telegram.Channel, e.bot, opt, slog.New(slog.NewTextHandler(e.logs, nil)))
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	e.stopWorker = func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("outbox worker: %v", err)
		}
	}
}

// pending counts the pushes to Telegram users not yet final.
func (e *env) pending() int {
	e.t.Helper()
	var n int
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		ps, err := tx.DuePushes(telegram.Channel, time.Now().Add(24*time.Hour), 1<<20)
		n = len(ps)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) restart() {
	e.t.Helper()
	e.stop()
	e.start()
}

// T is a text of the catalog with its placeholders empty.
func (e *env) T(lang, id string) string { return e.cat.T(lang, id, nil) }

// part is the longest piece of a text between its placeholders: what a
// reply contains whatever the values.
func (e *env) part(lang, id string) string {
	best := ""
	for _, p := range strings.Split(e.T(lang, id), "<no value>") {
		if p = strings.TrimSpace(p); len(p) > len(best) {
			best = p
		}
	}
	return best
}

func (e *env) user(key string) domain.User {
	e.t.Helper()
	var u domain.User
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		u, err = tx.User(key)
		return err
	})
	if err != nil {
		e.t.Fatalf("user %s: %v", key, err)
	}
	return u
}

// person is someone writing to the bot on Telegram.
type person struct {
	e    *env
	u    tgfake.User
	seen int
}

func (e *env) person(id int64, lang string) *person {
	return &person{e: e, u: tgfake.User{ID: id, FirstName: fmt.Sprintf("User%d", id), LanguageCode: lang}}
}

func (p *person) key() string { return fmt.Sprintf("telegram:%d", p.u.ID) }

func (p *person) transcript() string {
	var b strings.Builder
	for _, m := range p.e.tg.Messages(p.u.ID) {
		who := "user"
		if m.FromBot {
			who = "bot "
		}
		fmt.Fprintf(&b, "%s #%d %q %q\n", who, m.ID, m.Text, m.Buttons())
	}
	return b.String()
}

// expect waits for the bot's next messages, one for each want, and
// checks that each contains its want; it returns them.
func (p *person) expect(wants ...string) []tgfake.Message {
	p.e.t.Helper()
	n := p.seen + len(wants)
	last := wants[len(wants)-1]
	p.e.tg.Wait(p.e.t, fmt.Sprintf("bot message %d containing %q; chat:\n%s", n, last, p.transcript()), func() bool {
		msgs := p.e.tg.BotMessages(p.u.ID)
		return len(msgs) >= n && strings.Contains(msgs[n-1].Text, last)
	})
	msgs := p.e.tg.BotMessages(p.u.ID)[p.seen:]
	if len(msgs) != len(wants) {
		p.e.t.Fatalf("the bot sent %d messages, want %d; chat:\n%s", len(msgs), len(wants), p.transcript())
	}
	for i, w := range wants {
		if !strings.Contains(msgs[i].Text, w) {
			p.e.t.Fatalf("bot message %q does not contain %q; chat:\n%s", msgs[i].Text, w, p.transcript())
		}
	}
	p.seen = n
	return msgs
}

// quiet checks that the bot sent nothing new.
func (p *person) quiet() {
	p.e.t.Helper()
	if msgs := p.e.tg.BotMessages(p.u.ID); len(msgs) != p.seen {
		p.e.t.Fatalf("the bot sent %d messages, want %d; chat:\n%s", len(msgs), p.seen, p.transcript())
	}
}

func (p *person) say(text string) int { return p.e.tg.Text(p.u, text) }

// question is the bot's last message with an inline keyboard.
func (p *person) question() tgfake.Message {
	p.e.t.Helper()
	msgs := p.e.tg.BotMessages(p.u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Inline != nil {
			return msgs[i]
		}
	}
	p.e.t.Fatalf("no message with buttons; chat:\n%s", p.transcript())
	return tgfake.Message{}
}

// tap presses the button labelled label on the last question and returns
// the message id and the press.
func (p *person) tap(label string) (int, tgfake.Callback) {
	p.e.t.Helper()
	q := p.question()
	cb, err := p.e.tg.Press(p.u, q.ID, label)
	if err != nil {
		p.e.t.Fatalf("%v; chat:\n%s", err, p.transcript())
	}
	return q.ID, cb
}

// tapData presses the button with callback data on the last question.
func (p *person) tapData(data string) (int, tgfake.Callback) {
	p.e.t.Helper()
	q := p.question()
	for _, row := range q.Inline {
		for _, b := range row {
			if b.CallbackData == data {
				return p.tap(b.Text)
			}
		}
	}
	p.e.t.Fatalf("no button with data %q on %q", data, q.Text)
	return 0, tgfake.Callback{}
}

// message is the current state of the chat's message id.
func (p *person) message(id int) tgfake.Message {
	p.e.t.Helper()
	for _, m := range p.e.tg.Messages(p.u.ID) {
		if m.ID == id {
			return m
		}
	}
	p.e.t.Fatalf("no message %d", id)
	return tgfake.Message{}
}
