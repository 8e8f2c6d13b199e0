package flows_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/bottest"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

// testNow is a day in registration time, before the default event.
var testNow = time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)

// harness is the bot as a test sees it: the real engine, flows and a
// bbolt file in a temporary directory.
type harness struct {
	t      testing.TB
	ev     *event.Config
	cat    *locales.Catalog
	path   string
	store  *storage.Store
	conv   *flows.Flows
	engine *bot.Engine
	mu     sync.Mutex
	now    time.Time
	admins []string
	// supportChat is flows.Config.SupportChatID.
	supportChat string
	// dashboardURL is flows.Config.DashboardURL.
	dashboardURL string
	// logw receives the engine's log at debug level; nil discards it.
	logw io.Writer
	// links is flows.Config.Payments; nil means fakeLinks.
	links flows.PaymentLinks
}

func newHarness(t testing.TB, edit func(*event.Config)) *harness {
	t.Helper()
	return newHarnessWith(t, edit, func(*harness) {})
}

// newHarnessWith is newHarness with options set on the harness before
// the bot starts.
func newHarnessWith(t testing.TB, edit func(*event.Config), opt func(*harness)) *harness {
	t.Helper()
	ev, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(ev)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, ev: ev, cat: cat, path: filepath.Join(t.TempDir(), "bot.db"), now: testNow}
	opt(h)
	h.open()
	t.Cleanup(func() { h.store.Close() })
	return h
}

func (h *harness) open() {
	h.t.Helper()
	s, err := storage.Open(h.path, storage.Options{})
	if err != nil {
		h.t.Fatal(err)
	}
	h.store = s
	var links flows.PaymentLinks = fakeLinks{}
	if h.links != nil {
		links = h.links
	}
	h.conv = flows.New(flows.Config{Store: s, Event: h.ev, Catalog: h.cat, Now: h.clock, Admins: h.admins, Payments: links, SupportChatID: h.supportChat,
		DashboardURL: h.dashboardURL, PublicURL: "https://bot.test/"})
	logw := h.logw
	if logw == nil {
		logw = io.Discard
	}
	h.engine = bot.NewEngine(h.conv, slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelDebug})))
}

// fakeLinks builds payment links that show what went into them.
type fakeLinks struct{}

func (fakeLinks) Link(o domain.Order, lang string) (string, error) {
	return fmt.Sprintf("https://pay.test/%s?amount=%d&currency=%s&lang=%s", o.ID, o.Amount, o.Currency, lang), nil
}

// restart closes the database and opens it again, as after a crash or
// a deploy.
func (h *harness) restart() {
	h.t.Helper()
	h.engine.Wait()
	if err := h.store.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.open()
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) setNow(t time.Time) {
	h.mu.Lock()
	h.now = t
	h.mu.Unlock()
}

// user is one person chatting with the bot.
type user struct {
	h    *harness
	id   string
	hint string
	last dialog.Reply
}

// sub is the same bot seen from another goroutine (see goT): many users
// at once share the database and its commits, which keeps large tables
// of conversations fast.
func (h *harness) sub(t testing.TB) *harness {
	return &harness{t: t, ev: h.ev, cat: h.cat, path: h.path, store: h.store, engine: h.engine}
}

// goT is a test as one goroutine of it sees it: a failure is reported
// under name and ends that goroutine only.
type goT struct {
	testing.TB
	name string
}

func (g goT) Helper() {}

func (g goT) Fatalf(format string, args ...any) {
	g.TB.Errorf("%s: %s", g.name, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (g goT) Fatal(args ...any) {
	g.TB.Errorf("%s: %s", g.name, fmt.Sprint(args...))
	runtime.Goexit()
}

// each runs f for every item at once, each in its own goroutine with
// its own view of the bot, and waits for all.
func each[T any](t *testing.T, h *harness, items []T, name func(T) string, f func(h *harness, i int, item T)) {
	var wg sync.WaitGroup
	for i, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(h.sub(goT{TB: t, name: name(item)}), i, item)
		}()
	}
	wg.Wait()
}

func (h *harness) user(id, hint string) *user { return &user{h: h, id: id, hint: hint} }

func (u *user) send(m dialog.Message) dialog.Reply {
	u.h.t.Helper()
	m.Channel, m.UserID, m.LangHint = "test", u.id, u.hint
	replies := bottest.Handle(context.Background(), u.h.engine, m)
	if len(replies) == 0 {
		u.h.t.Fatalf("%s: no reply to %+v", u.id, m)
	}
	for _, r := range replies {
		if strings.TrimSpace(r.Text) == "" {
			u.h.t.Fatalf("%s: empty reply to %+v", u.id, m)
		}
	}
	u.last = replies[len(replies)-1]
	return u.last
}

// answer sends m and returns the whole answer, Stale included.
func (u *user) answer(m dialog.Message) flows.Answer {
	u.h.t.Helper()
	m.Channel, m.UserID, m.LangHint = "test", u.id, u.hint
	return bottest.Answer(context.Background(), u.h.engine, m)
}

func (u *user) say(text string) dialog.Reply { return u.send(dialog.Message{Text: text}) }

// tap presses the button of the last reply whose label starts with
// label, or else contains it.
func (u *user) tap(label string) dialog.Reply {
	u.h.t.Helper()
	c, ok := findChoice(u.last, label)
	if !ok {
		u.h.t.Fatalf("%s: no button %q in %q (buttons %v)", u.id, label, u.last.Text, labels(u.last))
	}
	return u.send(dialog.Message{Payload: c.Payload})
}

// pressedOf is reply r as a channel that can tell which message was
// pressed (Telegram) hands it in with a press on one of its buttons.
func pressedOf(r dialog.Reply) *dialog.Pressed {
	p := &dialog.Pressed{Text: r.Text}
	for _, c := range r.Choices {
		p.Payloads = append(p.Payloads, c.Payload)
	}
	return p
}

func findChoice(r dialog.Reply, label string) (dialog.Choice, bool) {
	for _, c := range r.Choices {
		if strings.HasPrefix(c.Label, label) {
			return c, true
		}
	}
	for _, c := range r.Choices {
		if strings.Contains(c.Label, label) {
			return c, true
		}
	}
	return dialog.Choice{}, false
}

func labels(r dialog.Reply) []string {
	var out []string
	for _, c := range r.Choices {
		out = append(out, c.Label)
	}
	return out
}

func (u *user) state() domain.User {
	u.h.t.Helper()
	var got domain.User
	err := u.h.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		got, err = tx.User("test:" + u.id)
		return err
	})
	if err != nil {
		u.h.t.Fatal(err)
	}
	return got
}

func (u *user) registrations() []domain.Registration {
	u.h.t.Helper()
	var regs []domain.Registration
	err := u.h.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		regs, err = tx.Registrations("test:" + u.id)
		return err
	})
	if err != nil {
		u.h.t.Fatal(err)
	}
	return regs
}

// action is one thing a user does, and what they should see after it.
type action struct {
	say   string // typed text
	num   string // typed on a channel of numbered lists (WhatsApp)
	tap   string // press the button whose label contains this
	phone string // share their own contact
	photo bool   // send a picture
	raw   string // press a button with this payload, as from an old message
	want  string // the last reply's text or buttons contain this
	not   string // and do not contain this
	step  domain.Step
}

func (u *user) do(steps []action) {
	u.h.t.Helper()
	for i, a := range steps {
		var r dialog.Reply
		switch {
		case a.tap != "":
			r = u.tap(a.tap)
		case a.phone != "":
			r = u.send(dialog.Message{Phone: a.phone})
		case a.photo:
			r = u.send(dialog.Message{NonText: true})
		case a.raw != "":
			r = u.send(dialog.Message{Payload: a.raw})
		case a.num != "":
			r = u.send(dialog.Message{Text: a.num, Numbered: true})
		default:
			r = u.say(a.say)
		}
		seen := r.Text + "\n" + strings.Join(labels(r), "\n")
		if a.want != "" && !strings.Contains(seen, a.want) {
			u.h.t.Fatalf("step %d (%+v): reply %q does not contain %q", i, a, seen, a.want)
		}
		if a.not != "" && strings.Contains(seen, a.not) {
			u.h.t.Fatalf("step %d (%+v): reply %q contains %q", i, a, seen, a.not)
		}
		if a.step != "" {
			if got := u.state().Session.Step; got != a.step {
				u.h.t.Fatalf("step %d (%+v): at step %q, want %q; reply %q", i, a, got, a.step, r.Text)
			}
		}
	}
}
