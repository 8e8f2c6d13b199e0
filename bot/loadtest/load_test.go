//go:build loadtest

package loadtest_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
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

var (
	senderName = flag.String("sender", "fake", "messenger to send through: fake, or one registered in targets")
	users      = flag.Int("users", 3500, "recipients of the broadcast")
	rateFlag   = flag.Float64("rate", 28, "configured messages per second")
	paidFlag   = flag.Float64("paid", 0, "paid broadcast messages per second (0: off)")
	latency    = flag.Duration("latency", 50*time.Millisecond, "round trip of the fake messenger")
	senders    = flag.Int("senders", 8, "sends at once")
)

// channel is the recipients' channel: the benchmark is about
// Telegram's limits.
const channel = "telegram"

// bench is what a target may need: the recipients' user ids and the
// bot's parts (a real adapter is built around them).
type bench struct {
	ids    []string
	store  *storage.Store
	conv   *flows.Flows
	engine *bot.Engine
	cat    *locales.Catalog
	log    *slog.Logger
}

// target is a messenger the broadcast goes through.
type target struct {
	sender bot.Sender
	// received counts the messages the messenger accepted, by user id,
	// and how many of them came as paid broadcasts.
	received func() (perUser map[string]int, paid int)
}

// targets are the messengers the load test can send through, by
// -sender name. A file of this package adds the real adapters, e.g.
// "telegram": the bot/telegram Sender against the fake Bot API server.
var targets = map[string]func(tb testing.TB, b bench) target{
	"fake": fakeTarget,
}

// fakeMessenger accepts every message after -latency.
type fakeMessenger struct {
	mu   sync.Mutex
	got  map[string]int
	paid int
	wait time.Duration
}

func (m *fakeMessenger) Send(ctx context.Context, user string, r dialog.Reply) error {
	return m.accept(user, false)
}

func (m *fakeMessenger) SendPaid(ctx context.Context, user string, r dialog.Reply) error {
	return m.accept(user, true)
}

func (m *fakeMessenger) accept(user string, paid bool) error {
	time.Sleep(m.wait)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.got[user]++
	if paid {
		m.paid++
	}
	return nil
}

func fakeTarget(testing.TB, bench) target {
	m := &fakeMessenger{got: map[string]int{}, wait: *latency}
	return target{sender: m, received: func() (map[string]int, int) {
		m.mu.Lock()
		defer m.mu.Unlock()
		return maps.Clone(m.got), m.paid
	}}
}

func TestBroadcastLoad(t *testing.T) {
	newTarget, ok := targets[*senderName]
	if !ok {
		t.Fatalf("no sender %q", *senderName)
	}
	ctx := context.Background()
	store, err := storage.Open(filepath.Join(t.TempDir(), "bot.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ev, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	const adminID = "1"
	conv := flows.New(flows.Config{Store: store, Event: ev, Catalog: cat, Admins: []string{channel + ":" + adminID}})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	// n paid participants, in the three languages, and the organizer.
	ids := make([]string, *users)
	for i := range ids {
		ids[i] = fmt.Sprint(100000 + i)
	}
	for chunk := range slices.Chunk(ids, 500) {
		err := store.Update(ctx, func(tx domain.Tx) error {
			for _, id := range chunk {
				key := channel + ":" + id
				lang := locales.Languages[len(id)%3]
				if err := tx.PutUser(&domain.User{Key: key, Channel: channel, ID: id, Lang: lang}); err != nil {
					return err
				}
				r := &domain.Registration{Code: "RFA-" + id, UserKey: key, Lang: lang, Name: "Runner " + id,
					Mode: event.InPerson, Distance: "5k", Status: domain.StatusPaid, Fee: 8990}
				if err := tx.AddRegistration(r, len(ids)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err = store.Update(ctx, func(tx domain.Tx) error {
		return tx.PutUser(&domain.User{Key: channel + ":" + adminID, Channel: channel, ID: adminID, Lang: "en"})
	})
	if err != nil {
		t.Fatal(err)
	}

	engine := bot.NewEngine(conv, log)
	tg := newTarget(t, bench{ids: ids, store: store, conv: conv, engine: engine, cat: cat, log: log})

	// The organizer's conversation, through the engine.
	var last string
	for _, m := range []dialog.Message{
		{Text: "/broadcast"}, {Payload: "bc:a:paid"}, {Payload: "bc:each"},
		{Text: "Старт орны өзгерді"}, {Text: "Место старта изменилось"}, {Text: "The start has moved"},
		{Payload: "bc:send"},
	} {
		m.Channel, m.UserID = channel, adminID
		replies := bottest.Handle(ctx, engine, m)
		last = replies[len(replies)-1].Text
	}
	if want := fmt.Sprintf("queued for %d people", len(ids)); !strings.Contains(last, want) {
		t.Fatalf("broadcast not queued: %q", last)
	}

	opt := bot.WorkerOptions{Rate: *rateFlag, PerChat: time.Second, PaidRate: *paidFlag, Senders: *senders}
	configured := *rateFlag
	if *paidFlag > 0 {
		configured = *paidFlag
	}
	w := bot.NewWorker(conv, channel, tg.sender, opt, log)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- w.Run(runCtx) }()
	for pending(t, store) {
		time.Sleep(50 * time.Millisecond)
	}
	wall := time.Since(start)
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	// Rate over the recorded sends: from the first to the last.
	var first, lastDone time.Time
	sent := 0
	ps, err := store.PushesByKey("broadcast:1:")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Status != domain.PushSent {
			continue
		}
		sent++
		if first.IsZero() || p.Done.Before(first) {
			first = p.Done
		}
		if p.Done.After(lastDone) {
			lastDone = p.Done
		}
	}
	got, paid := tg.received()
	dup, lost := 0, 0
	for _, id := range ids {
		switch n := got[id]; {
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		}
	}
	perSec := float64(sent-1) / lastDone.Sub(first).Seconds()
	ratio := perSec / configured
	t.Logf("sender=%s users=%d configured=%.0f/s paid=%v latency=%v senders=%d", *senderName, len(ids), configured, *paidFlag > 0, *latency, *senders)
	t.Logf("sent %d in %.1f s (wall %.1f s): %.2f messages/s, %.1f%% of the configured rate; duplicates %d, losses %d",
		sent, lastDone.Sub(first).Seconds(), wall.Seconds(), perSec, 100*ratio, dup, lost)
	if dup != 0 || lost != 0 || sent != len(ids) {
		t.Errorf("duplicates %d, losses %d, recorded sent %d of %d", dup, lost, sent, len(ids))
	}
	wantPaid := 0
	if *paidFlag > 0 {
		wantPaid = len(ids)
	}
	if paid != wantPaid {
		t.Errorf("%d messages went as paid broadcasts, want %d", paid, wantPaid)
	}
	if ratio < 0.95 {
		t.Errorf("%.1f%% of the configured rate, want at least 95%%", 100*ratio)
	}
	if ratio > 1.02 {
		t.Errorf("%.1f%% of the configured rate: faster than allowed", 100*ratio)
	}
}

// pending reports whether a push is not yet final. It reads one push
// only: decoding them all every 50 ms took CPU time the sends need.
func pending(t *testing.T, s *storage.Store) bool {
	var n int
	err := s.View(context.Background(), func(tx domain.Tx) error {
		ps, err := tx.DuePushes(channel, time.Now().Add(time.Hour), 1)
		n = len(ps)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}
