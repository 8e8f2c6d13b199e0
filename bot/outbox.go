package bot

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/runforautism/rfabot/domain"
)

// Outbox is the stored outbox as the delivery worker sees it;
// *flows.Flows is one.
type Outbox interface {
	// DuePushes lists up to limit pending pushes of channel due at now,
	// in the order to send them.
	DuePushes(ctx context.Context, channel string, now time.Time, limit int) ([]domain.Push, error)
	// Screen returns flows.PushPending when p is to be sent, or the
	// status to record instead (skipped, unreachable) and why.
	Screen(ctx context.Context, p domain.Push, now time.Time) (domain.PushStatus, string, error)
	// SavePush stores p's delivery fields.
	SavePush(ctx context.Context, p *domain.Push) error
	// MarkUnreachable records that the user blocked the bot.
	MarkUnreachable(ctx context.Context, channel, userID string) error
}

// WorkerOptions are a channel's sending limits. The zero value sends as
// fast as the Sender answers, one push at a time.
type WorkerOptions struct {
	// Rate is the most messages per second over all chats; 0 means no
	// limit. Telegram allows about 30.
	Rate float64
	// PerChat is the least time between two messages to one chat; 0
	// means none. Telegram allows about one message a second per chat.
	PerChat time.Duration
	// PaidRate, when > 0 and the Sender is a PaidSender, sends broadcasts
	// and results as paid broadcasts at this rate instead of Rate.
	PaidRate float64
	// Senders is how many pushes are sent at once (default 1), so that
	// the messenger's round trip does not cap the rate. After a crash, at
	// most this many pushes may be sent twice.
	Senders int
	// MaxAttempts is how often a push is tried on 5xx and network errors
	// before it is marked failed (default 10, over about half an hour).
	MaxAttempts int
	// Poll is how often an idle worker looks for new pushes (default 1s).
	Poll time.Duration
}

// Worker sends the pushes of one channel from the outbox, keeping the
// messenger's limits: a global rate, a least gap per chat, a pause on
// 429 (and a slower rate after it), backoff on other errors. A push is
// marked sent right after the messenger accepts it, so after a crash at
// most the pushes in flight (WorkerOptions.Senders) are sent again, and
// none is lost.
type Worker struct {
	out     Outbox
	channel string
	send    Sender
	paid    PaidSender
	opt     WorkerOptions
	log     *slog.Logger
	lim     *rate.Limiter
	paidLim *rate.Limiter
	kick    chan struct{}

	mu sync.Mutex
	// hand holds the pushes this worker has taken from a read: in flight,
	// or final but possibly still in a batch read before they were saved.
	hand     map[uint64]handState
	busy     map[string]bool
	lastSent map[string]time.Time
	paused   time.Time
	streak   int
	last429  time.Time
	raised   time.Time
}

type handState int

const (
	inFlight handState = iota + 1
	// saved: final or rescheduled in storage; forgotten before the next
	// read, which sees the saved state.
	saved
)

// NewWorker returns the outbox worker of channel ("telegram",
// "whatsapp", "console"), sending through s.
func NewWorker(out Outbox, channel string, s Sender, opt WorkerOptions, log *slog.Logger) *Worker {
	if opt.Senders <= 0 {
		opt.Senders = 1
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 10
	}
	if opt.Poll <= 0 {
		opt.Poll = time.Second
	}
	w := &Worker{out: out, channel: channel, send: s, opt: opt, log: log.With("channel", channel),
		kick: make(chan struct{}, 1), hand: map[uint64]handState{}, busy: map[string]bool{}, lastSent: map[string]time.Time{}}
	if opt.Rate > 0 {
		w.lim = rate.NewLimiter(rate.Limit(opt.Rate), 1)
	}
	if opt.PaidRate > 0 {
		if ps, ok := s.(PaidSender); ok {
			w.paid = ps
			w.paidLim = rate.NewLimiter(rate.Limit(opt.PaidRate), 1)
		} else {
			w.log.Warn("paid broadcasts are on, but this channel cannot send them: broadcasts go at the ordinary rate")
		}
	}
	return w
}

// Run sends pushes until ctx ends, then lets the sends in flight finish
// and records them. It returns an error when the outbox cannot be read.
func (w *Worker) Run(ctx context.Context) error {
	w.log.Info("outbox worker started", "rate", w.opt.Rate, "paid_rate", w.paidRate(), "senders", w.opt.Senders)
	jobs := make(chan domain.Push)
	var wg sync.WaitGroup
	for range w.opt.Senders {
		wg.Go(func() {
			for p := range jobs {
				w.deliver(ctx, p)
			}
		})
	}
	err := w.dispatch(ctx, jobs)
	close(jobs)
	wg.Wait()
	return err
}

func (w *Worker) paidRate() float64 {
	if w.paid == nil {
		return 0
	}
	return w.opt.PaidRate
}

// dispatch reads due pushes and hands each to a free sender, skipping
// those in hand and those whose chat must wait.
func (w *Worker) dispatch(ctx context.Context, jobs chan<- domain.Push) error {
	base := max(64, 4*w.opt.Senders)
	batch := base
	for {
		if ctx.Err() != nil {
			return nil
		}
		w.forgetSaved()
		due, err := w.out.DuePushes(ctx, w.channel, time.Now(), batch)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		handed := 0
		var next time.Time
		for _, p := range due {
			ok, free := w.take(p, time.Now())
			if !ok {
				if !free.IsZero() && (next.IsZero() || free.Before(next)) {
					next = free
				}
				continue
			}
			select {
			case jobs <- p:
				handed++
			case <-ctx.Done():
				w.drop(p)
				return nil
			}
		}
		if handed > 0 {
			batch = base
			continue
		}
		if len(due) == batch && batch < 64*base {
			// A full read and nothing to hand out: the first pushes are
			// all for chats that must wait (many pushes to one chat);
			// read further next time.
			batch *= 2
			continue
		}
		wait := w.opt.Poll
		if !next.IsZero() {
			wait = min(wait, max(time.Until(next), time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-w.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// take claims p for sending. When p's chat must wait, free is when it
// may get a message again.
func (w *Worker) take(p domain.Push, now time.Time) (ok bool, free time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.hand[p.Seq] != 0 || w.busy[p.UserKey] {
		return false, time.Time{}
	}
	if last, ok := w.lastSent[p.UserKey]; ok && w.opt.PerChat > 0 && now.Sub(last) < w.opt.PerChat {
		return false, last.Add(w.opt.PerChat)
	}
	w.hand[p.Seq] = inFlight
	w.busy[p.UserKey] = true
	return true, time.Time{}
}

// drop gives p back: it is still pending in storage, unchanged.
func (w *Worker) drop(p domain.Push) { w.release(p, 0) }

// release frees p's chat and marks p as st in hand (0: forgotten).
func (w *Worker) release(p domain.Push, st handState) {
	w.mu.Lock()
	if st == 0 {
		delete(w.hand, p.Seq)
	} else {
		w.hand[p.Seq] = st
	}
	delete(w.busy, p.UserKey)
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// forgetSaved drops the pushes saved before the read about to start,
// which sees them as saved.
func (w *Worker) forgetSaved() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for seq, st := range w.hand {
		if st == saved {
			delete(w.hand, seq)
		}
	}
	if len(w.lastSent) > 1024 {
		now := time.Now()
		for chat, t := range w.lastSent {
			if now.Sub(t) >= w.opt.PerChat {
				delete(w.lastSent, chat)
			}
		}
	}
}

// deliver sends one push, or records why not, and saves the outcome.
func (w *Worker) deliver(ctx context.Context, p domain.Push) {
	// A send that has begun is finished and recorded even when ctx ends,
	// so a graceful stop sends nothing twice.
	keep := context.WithoutCancel(ctx)
	st, why, err := w.out.Screen(keep, p, time.Now())
	if err != nil {
		w.log.Error("screen push", "key", p.Key, "err", err)
		w.drop(p)
		return
	}
	if st != domain.PushPending {
		w.finish(keep, p, st, why)
		return
	}
	paid := w.paid != nil && p.MayBePaid()
	if err := w.waitTurn(ctx, paid); err != nil {
		w.drop(p)
		return
	}
	w.mu.Lock()
	w.lastSent[p.UserKey] = time.Now()
	w.mu.Unlock()
	sendCtx, cancel := context.WithTimeout(WithPush(keep, p), time.Minute)
	if paid {
		err = w.paid.SendPaid(sendCtx, p.UserID(), p.Reply)
	} else {
		err = w.send.Send(sendCtx, p.UserID(), p.Reply)
	}
	cancel()
	var ra *RetryAfterError
	var de *DeferError
	switch {
	case err == nil:
		w.succeeded(paid)
		p.Attempts++
		w.finish(keep, p, domain.PushSent, "")
	case errors.As(err, &de):
		p.Due, p.LastError = de.Until, errText(err)
		w.log.Info("push deferred", "key", p.Key, "due", p.Due, "err", err)
		w.save(keep, p)
	case errors.As(err, &ra):
		w.rateLimited(ra.Wait, paid)
		w.drop(p)
	case errors.Is(err, ErrUnreachable):
		if err := w.out.MarkUnreachable(keep, p.Channel(), p.UserID()); err != nil {
			w.log.Error("mark user unreachable", "user", p.UserKey, "err", err)
		}
		w.finish(keep, p, domain.PushUnreachable, "user blocked the bot")
	case errors.Is(err, ErrRejected):
		p.Attempts++
		w.log.Warn("push rejected", "key", p.Key, "err", err)
		w.finish(keep, p, domain.PushFailed, errText(err))
	default:
		p.Attempts++
		w.failing()
		if p.Attempts >= w.opt.MaxAttempts {
			w.log.Warn("push failed after retries", "key", p.Key, "attempts", p.Attempts, "err", err)
			w.finish(keep, p, domain.PushFailed, errText(err))
			return
		}
		p.Due = time.Now().Add(backoff(p.Attempts))
		p.LastError = errText(err)
		w.log.Info("push will be retried", "key", p.Key, "attempts", p.Attempts, "due", p.Due, "err", err)
		w.save(keep, p)
	}
}

// finish records p's final status.
func (w *Worker) finish(ctx context.Context, p domain.Push, st domain.PushStatus, why string) {
	p.Status, p.Done, p.LastError = st, time.Now(), why
	w.save(ctx, p)
}

// save stores p and frees its chat. If storage fails, p stays in hand:
// this process does not send it again.
func (w *Worker) save(ctx context.Context, p domain.Push) {
	if err := w.out.SavePush(ctx, &p); err != nil {
		w.log.Error("record push", "key", p.Key, "status", string(p.Status), "err", err)
		w.release(p, inFlight)
		return
	}
	w.release(p, saved)
}

// waitTurn waits out a pause and takes a token of the global (or paid)
// rate; it returns an error only when ctx ends.
func (w *Worker) waitTurn(ctx context.Context, paid bool) error {
	lim := w.lim
	if paid {
		lim = w.paidLim
	}
	for {
		w.mu.Lock()
		wait := time.Until(w.paused)
		w.mu.Unlock()
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
			continue
		}
		if lim != nil {
			if err := lim.Wait(ctx); err != nil {
				return err
			}
		}
		w.mu.Lock()
		wait = time.Until(w.paused)
		w.mu.Unlock()
		if wait <= 0 {
			return ctx.Err()
		}
	}
}

// rateLimited pauses all sending for wait and halves the rate (down to
// a tenth of the configured one); it climbs back after a quiet spell.
func (w *Worker) rateLimited(wait time.Duration, paid bool) {
	lim, full := w.lim, w.opt.Rate
	if paid {
		lim, full = w.paidLim, w.opt.PaidRate
	}
	now := time.Now()
	w.mu.Lock()
	// Sends in flight together get 429 together: slow down once a pause.
	slow := !now.Before(w.paused)
	if until := now.Add(wait); until.After(w.paused) {
		w.paused = until
	}
	w.last429 = now
	var r rate.Limit
	if lim != nil {
		r = lim.Limit()
		if slow {
			r = max(r/2, rate.Limit(full/10))
			lim.SetLimit(r)
		}
	}
	w.mu.Unlock()
	w.log.Warn("messenger asked to wait", "wait", wait, "rate", float64(r))
}

// succeeded ends an error streak and raises a lowered rate by a tenth of
// the configured one every 5 s, once 10 s have passed without a 429.
func (w *Worker) succeeded(paid bool) {
	lim, full := w.lim, w.opt.Rate
	if paid {
		lim, full = w.paidLim, w.opt.PaidRate
	}
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.streak = 0
	if lim == nil || float64(lim.Limit()) >= full || now.Sub(w.last429) < 10*time.Second || now.Sub(w.raised) < 5*time.Second {
		return
	}
	lim.SetLimit(min(lim.Limit()+rate.Limit(full/10), rate.Limit(full)))
	w.raised = now
}

// failing pauses all sending after a 5xx or network error, longer with
// each error in a row (up to a minute), so an outage of the messenger
// does not burn every push's attempts.
func (w *Worker) failing() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.streak++
	if until := time.Now().Add(min(backoff(w.streak)/2, time.Minute)); until.After(w.paused) {
		w.paused = until
	}
}

// backoff is the wait before attempt n+1 of a push: 2 s doubling up to
// 10 minutes.
func backoff(n int) time.Duration {
	d := 2 * time.Second
	for i := 1; i < n && d < 10*time.Minute; i++ {
		d *= 2
	}
	return min(d, 10*time.Minute)
}

// errText is an error as stored with a push, cut to 200 bytes.
func errText(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
