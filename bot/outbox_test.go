package bot_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// outboxEnv is storage and flows on a temporary bbolt file.
type outboxEnv struct {
	t     *testing.T
	path  string
	store *storage.Store
	flows *flows.Flows
}

func newOutboxEnv(t *testing.T) *outboxEnv {
	t.Helper()
	e := &outboxEnv{t: t, path: filepath.Join(t.TempDir(), "bot.db")}
	e.open()
	t.Cleanup(func() { e.store.Close() })
	return e
}

func (e *outboxEnv) open() {
	e.t.Helper()
	s, err := storage.Open(e.path, storage.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	ev, err := event.Default()
	if err != nil {
		e.t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		e.t.Fatal(err)
	}
	e.store = s
	e.flows = flows.New(flows.Config{Store: s, Event: ev, Catalog: cat})
}

func (e *outboxEnv) user(id string, edit func(*domain.User)) {
	e.t.Helper()
	u := domain.User{Key: "test:" + id, Channel: "test", ID: id, Lang: "en"}
	if edit != nil {
		edit(&u)
	}
	if err := e.store.Update(context.Background(), func(tx domain.Tx) error { return tx.PutUser(&u) }); err != nil {
		e.t.Fatal(err)
	}
}

func (e *outboxEnv) push(p domain.Push) {
	e.t.Helper()
	if p.UserKey == "" {
		p.UserKey = "test:" + p.Key
	}
	if p.Reply.Text == "" {
		p.Reply.Text = "text of " + p.Key
	}
	if err := e.store.Update(context.Background(), func(tx domain.Tx) error { _, err := tx.Enqueue(&p); return err }); err != nil {
		e.t.Fatal(err)
	}
}

// broadcast queues one broadcast push to each of n new users u0…u(n-1).
func (e *outboxEnv) broadcast(n int) {
	e.t.Helper()
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		for i := range n {
			id := fmt.Sprintf("u%d", i)
			if err := tx.PutUser(&domain.User{Key: "test:" + id, Channel: "test", ID: id, Lang: "en"}); err != nil {
				return err
			}
			p := domain.Push{Key: "broadcast:1:test:" + id, UserKey: "test:" + id, Kind: "broadcast", Reply: dialog.Reply{Text: "hello"}}
			if _, err := tx.Enqueue(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// pushes is every push queued for user id.
func (e *outboxEnv) pushes(id string) []domain.Push {
	e.t.Helper()
	ps, err := e.store.PushesTo("test:" + id)
	if err != nil {
		e.t.Fatal(err)
	}
	return ps
}

func (e *outboxEnv) pending() int {
	e.t.Helper()
	var n int
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		ps, err := tx.DuePushes("test", time.Now().Add(24*time.Hour), 1<<20)
		n = len(ps)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// sent is one message the fake messenger accepted or refused.
type sent struct {
	at   time.Time
	user string
	paid bool
	err  error
}

// messenger is a fake Sender: answer decides each send's result, and
// every call is recorded.
type messenger struct {
	mu     sync.Mutex
	answer func(n int, user string) error
	calls  []sent
}

func (m *messenger) Send(ctx context.Context, user string, r dialog.Reply) error {
	return m.do(user, false)
}

func (m *messenger) do(user string, paid bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var err error
	if m.answer != nil {
		err = m.answer(len(m.calls), user)
	}
	m.calls = append(m.calls, sent{at: time.Now(), user: user, paid: paid, err: err})
	return err
}

// paidMessenger also sends paid broadcasts.
type paidMessenger struct{ *messenger }

func (m paidMessenger) SendPaid(ctx context.Context, user string, r dialog.Reply) error {
	return m.do(user, true)
}

// delivered counts the accepted messages per user.
func (m *messenger) delivered() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	got := map[string]int{}
	for _, c := range m.calls {
		if c.err == nil {
			got[c.user]++
		}
	}
	return got
}

func (m *messenger) log() []sent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sent(nil), m.calls...)
}

// runUntilDone runs a worker until the outbox has nothing pending, and
// returns how long that took.
func runUntilDone(t *testing.T, e *outboxEnv, s bot.Sender, opt bot.WorkerOptions) time.Duration {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := bot.NewWorker(e.flows, "test", s, opt, quiet)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- w.Run(ctx) }()
	for e.pending() > 0 {
		time.Sleep(100 * time.Millisecond)
	}
	took := time.Since(start)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("worker: %v", err)
	}
	return took
}

func TestWorkerKeepsTheRateAndOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newOutboxEnv(t)
		// A family: three reminders to one chat.
		e.user("family", nil)
		for _, code := range []string{"A", "B", "C"} {
			e.push(domain.Push{Key: "reminder:eve:RFA-" + code, UserKey: "test:family", Kind: "reminder"})
		}
		e.broadcast(40)
		// A payment confirmation queued last goes before the bulk.
		e.user("payer", nil)
		e.push(domain.Push{Key: "paid:RFA-PAY1", UserKey: "test:payer", Kind: "payment"})

		m := &messenger{}
		took := runUntilDone(t, e, m, bot.WorkerOptions{Rate: 10, PerChat: time.Second, Senders: 3})

		calls := m.log()
		if len(calls) != 44 {
			t.Fatalf("%d sends, want 44", len(calls))
		}
		payer := 0
		for i, c := range calls {
			if c.user == "payer" {
				payer = i
			}
		}
		if payer >= 3 {
			t.Errorf("the payment confirmation was send %d, want it among the first 3 (one per sender)", payer+1)
		}
		for user, n := range m.delivered() {
			if user != "family" && n != 1 {
				t.Errorf("%s got %d messages", user, n)
			}
		}
		var family []time.Time
		for _, c := range calls {
			if c.user == "family" {
				family = append(family, c.at)
			}
		}
		if len(family) != 3 {
			t.Fatalf("family got %d messages, want 3", len(family))
		}
		for i := 1; i < len(family); i++ {
			if gap := family[i].Sub(family[i-1]); gap < time.Second {
				t.Errorf("two messages to one chat %v apart", gap)
			}
		}
		// 44 sends at 10/s with a burst of 1 take at least 4.3 s.
		span := calls[len(calls)-1].at.Sub(calls[0].at)
		if span < 4300*time.Millisecond {
			t.Errorf("44 sends took %v: faster than 10/s", span)
		}
		if took > 6*time.Second {
			t.Errorf("44 sends at 10/s took %v", took)
		}
		for _, p := range e.pushes("u7") {
			if p.Status != domain.PushSent || p.Attempts != 1 || p.Done.IsZero() {
				t.Errorf("stored push %+v, want sent once", p)
			}
		}
	})
}

func TestWorkerWaitsOutRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newOutboxEnv(t)
		e.broadcast(60)
		// The messenger answers 429 (retry after 2 s) for 5 s, from the
		// 10th message on.
		var limitedFrom time.Time
		m := &messenger{}
		m.answer = func(n int, _ string) error {
			if n == 10 {
				limitedFrom = time.Now()
			}
			if !limitedFrom.IsZero() && time.Since(limitedFrom) < 5*time.Second {
				return &bot.RetryAfterError{Wait: 2 * time.Second}
			}
			return nil
		}
		runUntilDone(t, e, m, bot.WorkerOptions{Rate: 28, PerChat: time.Second, Senders: 4})

		calls := m.log()
		limited := 0
		for i, c := range calls {
			var ra *bot.RetryAfterError
			if !errors.As(c.err, &ra) {
				continue
			}
			limited++
			for _, d := range calls[i+1:] {
				if d.at.After(c.at) && d.at.Before(c.at.Add(ra.Wait)) {
					t.Fatalf("sent at %v, during the wait after the 429 at %v", d.at.Sub(calls[0].at), c.at.Sub(calls[0].at))
				}
			}
		}
		if limited == 0 {
			t.Fatal("the messenger never answered 429")
		}
		got := m.delivered()
		for i := range 60 {
			if n := got[fmt.Sprintf("u%d", i)]; n != 1 {
				t.Errorf("u%d got %d messages, want 1", i, n)
			}
		}
		t.Logf("%d sends, %d answered 429, 60 users got one message each", len(calls), limited)
		// After a 429 the rate is halved: the 50 messages after the
		// wait take longer than at 28/s.
		last := calls[len(calls)-1].at
		if span := last.Sub(limitedFrom); span < 5*time.Second+50*time.Second/28 {
			t.Errorf("after the 429s the rest took %v: the rate did not slow", span-5*time.Second)
		}
	})
}

func TestWorkerOutcomes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newOutboxEnv(t)
		for _, id := range []string{"flaky", "down", "bad", "blocker", "quiet"} {
			e.user(id, nil)
		}
		e.user("quiet", func(u *domain.User) { u.RemindersOff = true })
		e.push(domain.Push{Key: "flaky", Kind: "broadcast"})
		e.push(domain.Push{Key: "down", Kind: "broadcast"})
		e.push(domain.Push{Key: "bad", Kind: "payment"})
		e.push(domain.Push{Key: "blocker", Kind: "broadcast"})
		e.push(domain.Push{Key: "blocker:2", UserKey: "test:blocker", Kind: "payment"})
		e.push(domain.Push{Key: "quiet", Kind: "broadcast"})
		e.push(domain.Push{Key: "quiet:paid", UserKey: "test:quiet", Kind: "payment"})
		e.push(domain.Push{Key: "stranger", Kind: "broadcast"})
		e.push(domain.Push{Key: "volunteers", Kind: "support"})
		e.push(domain.Push{Key: "desk", Kind: "handoff"})
		e.push(domain.Push{Key: "late", UserKey: "test:flaky", Kind: "reminder", Expires: time.Now().Add(-time.Minute)})

		flaky := 0
		m := &messenger{}
		m.answer = func(_ int, user string) error {
			switch user {
			case "flaky":
				if flaky++; flaky <= 3 {
					return errors.New("telegram: 502 Bad Gateway")
				}
			case "down":
				return errors.New("dial tcp: connection refused")
			case "bad":
				return fmt.Errorf("telegram: 400 chat_id is empty: %w", bot.ErrRejected)
			case "blocker":
				return fmt.Errorf("telegram: 403 blocked: %w", bot.ErrUnreachable)
			}
			return nil
		}
		runUntilDone(t, e, m, bot.WorkerOptions{Rate: 28, PerChat: time.Second, MaxAttempts: 4})

		want := []struct {
			key      string
			status   domain.PushStatus
			attempts int
			err      string
		}{
			{"flaky", domain.PushSent, 4, ""},
			{"down", domain.PushFailed, 4, "dial tcp: connection refused"},
			{"bad", domain.PushFailed, 1, "telegram: 400 chat_id is empty: message rejected"},
			{"blocker", domain.PushUnreachable, 0, "user blocked the bot"},
			{"blocker:2", domain.PushUnreachable, 0, "user blocked the bot"},
			{"quiet", domain.PushSkipped, 0, "reminders off"},
			{"quiet:paid", domain.PushSent, 1, ""},
			{"stranger", domain.PushSkipped, 0, "user never started the bot"},
			{"volunteers", domain.PushSent, 1, ""},
			{"desk", domain.PushSent, 1, ""},
			{"late", domain.PushSkipped, 0, "expired"},
		}
		stored := map[string]domain.Push{}
		for _, id := range []string{"flaky", "down", "bad", "blocker", "quiet", "stranger", "volunteers", "desk"} {
			for _, p := range e.pushes(id) {
				stored[p.Key] = p
			}
		}
		for _, w := range want {
			p := stored[w.key]
			if p.Status != w.status || p.Attempts != w.attempts || p.LastError != w.err {
				t.Errorf("%s: status %q attempts %d error %q; want %q %d %q", w.key, p.Status, p.Attempts, p.LastError, w.status, w.attempts, w.err)
			}
		}
		var blocker domain.User
		e.store.View(context.Background(), func(tx domain.Tx) error {
			blocker, _ = tx.User("test:blocker")
			return nil
		})
		if !blocker.Unreachable {
			t.Error("the user who blocked the bot is not marked unreachable")
		}
		got := map[string]int{}
		for _, c := range m.log() {
			got[c.user]++
		}
		if got["blocker"] != 1 || got["quiet"] != 1 || got["stranger"] != 0 {
			t.Errorf("sends per user %v: want one to blocker (the 403), one to quiet (the payment), none to stranger", got)
		}
	})
}

func TestWorkerPaidBroadcast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newOutboxEnv(t)
		e.broadcast(300)
		e.user("payer", nil)
		e.push(domain.Push{Key: "paid:RFA-PAY1", UserKey: "test:payer", Kind: "payment"})
		m := &messenger{}
		took := runUntilDone(t, e, paidMessenger{m}, bot.WorkerOptions{Rate: 28, PaidRate: 1000, PerChat: time.Second, Senders: 16})
		for _, c := range m.log() {
			if c.paid != (c.user != "payer") {
				t.Errorf("send to %s paid=%v: want broadcasts paid, the payment confirmation not", c.user, c.paid)
			}
		}
		if n := len(m.delivered()); n != 301 {
			t.Errorf("%d users got a message, want 301", n)
		}
		// 300 at 1,000/s, not at 28/s (which would take over 10 s).
		if took > 2*time.Second {
			t.Errorf("300 paid broadcasts took %v", took)
		}
	})
}

func TestWorkerStopsGracefully(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newOutboxEnv(t)
		e.broadcast(1)
		release := make(chan struct{})
		m := &messenger{}
		ctx, cancel := context.WithCancel(context.Background())
		s := blockingSender{m: m, release: release}
		w := bot.NewWorker(e.flows, "test", s, bot.WorkerOptions{}, quiet)
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		synctest.Wait() // the send is in flight
		cancel()
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if ps := e.pushes("u0"); ps[0].Status != domain.PushSent {
			t.Errorf("push in flight at shutdown: status %q, want sent", ps[0].Status)
		}
	})
}

type blockingSender struct {
	m       *messenger
	release chan struct{}
}

func (s blockingSender) Send(ctx context.Context, user string, r dialog.Reply) error {
	<-s.release
	return s.m.Send(ctx, user, r)
}

// TestWorkerCrashMidBroadcast stops a worker in the middle of a
// broadcast the hard way: right after the messenger accepted the 250th
// message, the database is closed under the worker (as if the process
// died before recording it), then opened again and a new worker finishes
// the broadcast. Every recipient gets exactly one message, except at most
// one per sender in flight at the crash.
func TestWorkerCrashMidBroadcast(t *testing.T) {
	const users, senders, crashAt = 400, 3, 150
	e := newOutboxEnv(t)
	e.broadcast(users)
	m := &messenger{}
	var crash sync.Once
	crashed := make(chan struct{})
	m.answer = func(n int, _ string) error {
		if n+1 == crashAt {
			crash.Do(func() { close(crashed) })
		}
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := bot.NewWorker(e.flows, "test", m, bot.WorkerOptions{Senders: senders}, quiet)
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	<-crashed
	e.store.Close()
	cancel()
	<-done
	before := len(m.log())

	e.open()
	runUntilDone(t, e, m, bot.WorkerOptions{Senders: senders})

	got := m.delivered()
	dup, lost := 0, 0
	for i := range users {
		switch n := got[fmt.Sprintf("u%d", i)]; {
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		}
	}
	t.Logf("crash after %d sends; %d sends in all to %d users: %d duplicated, %d lost", before, len(m.log()), users, dup, lost)
	if lost != 0 {
		t.Errorf("%d users got nothing", lost)
	}
	if dup > senders {
		t.Errorf("%d duplicates, want at most %d (one per sender in flight)", dup, senders)
	}
	if before >= users {
		t.Fatalf("the crash came after the broadcast (%d sends)", before)
	}
}

// TestWorkerBusyChatDoesNotBlockOthers queues 150 hand-offs to one
// operators' chat (one a second) ahead of a broadcast: the broadcast
// does not wait for them.
func TestWorkerBusyChatDoesNotBlockOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newOutboxEnv(t)
		for i := range 150 {
			e.push(domain.Push{Key: fmt.Sprintf("handoff:%d", i), UserKey: "test:desk", Kind: "handoff"})
		}
		e.broadcast(20)
		m := &messenger{}
		ctx, cancel := context.WithCancel(context.Background())
		w := bot.NewWorker(e.flows, "test", m, bot.WorkerOptions{Rate: 100, PerChat: time.Second, Senders: 2}, quiet)
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- w.Run(ctx) }()
		time.Sleep(5 * time.Second)
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		got := m.delivered()
		for i := range 20 {
			if got[fmt.Sprintf("u%d", i)] != 1 {
				t.Errorf("u%d: %d messages within %v, want 1", i, got[fmt.Sprintf("u%d", i)], time.Since(start))
			}
		}
		if n := got["desk"]; n < 4 || n > 6 {
			t.Errorf("operators' chat got %d in 5 s, want about one a second", n)
		}
	})
}

// A push the messenger defers stays pending, due when it said, without
// an attempt counted; woken by its channel, it goes at once.
func TestWorkerDeferredPush(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newOutboxEnv(t)
		e.user("late", nil)
		e.push(domain.Push{Key: "late", Kind: "payment"})
		hold := true
		m := &messenger{}
		m.answer = func(_ int, _ string) error {
			if hold {
				return fmt.Errorf("no template: %w", &bot.DeferError{Until: time.Now().Add(time.Hour)})
			}
			return nil
		}
		ctx, cancel := context.WithCancel(context.Background())
		w := bot.NewWorker(e.flows, "test", m, bot.WorkerOptions{}, quiet)
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		time.Sleep(10 * time.Second)
		synctest.Wait()
		p := e.pushes("late")[0]
		if p.Status != domain.PushPending || p.Attempts != 0 || !p.Due.Equal(m.log()[0].at.Add(time.Hour)) || len(m.log()) != 1 {
			t.Fatalf("deferred push %+v after %d sends, want pending, due in an hour, no attempt", p, len(m.log()))
		}
		m.mu.Lock()
		hold = false
		m.mu.Unlock()
		if err := e.flows.WakePushes(context.Background(), "test", "late"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if p := e.pushes("late")[0]; p.Status != domain.PushSent || p.Attempts != 1 {
			t.Errorf("woken push %+v, want sent at the first attempt", p)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
