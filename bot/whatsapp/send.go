package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
)

// DefaultPushInterval is the least time between two pushes to anyone on
// WhatsApp: one message per 3 seconds overall. A number that sends
// bursts to many chats gets restricted or banned.
const DefaultPushInterval = 3 * time.Second

// MinPushInterval is the shortest interval ParsePushInterval accepts.
const MinPushInterval = time.Second

// RefusedWait is how long the outbox waits after WhatsApp refused a
// message (for example error 463 while the number is restricted):
// sending on at once would only make it worse.
const RefusedWait = 10 * time.Minute

// ParsePushInterval reads WHATSAPP_PUSH_INTERVAL, a Go duration like
// "3s" or "1m"; empty means DefaultPushInterval.
func ParsePushInterval(v string) (time.Duration, error) {
	if v == "" {
		return DefaultPushInterval, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("WHATSAPP_PUSH_INTERVAL: %q is not a duration like 3s", v)
	}
	if d < MinPushInterval {
		return 0, fmt.Errorf("WHATSAPP_PUSH_INTERVAL: %s is shorter than %s; bursts get WhatsApp numbers banned", d, MinPushInterval)
	}
	return d, nil
}

// Pacer spaces out sends: at most one per Interval overall, each gap
// stretched at random by up to half an Interval more, so pushes do not
// arrive like a machine's. It is safe for concurrent use: callers take
// turns.
type Pacer struct {
	interval time.Duration

	mu   sync.Mutex
	next time.Time
	// now, sleep and jitter are the clock, the wait and the random
	// stretch; tests replace them.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(max time.Duration) time.Duration
}

// NewPacer returns a pacer allowing one send per interval.
func NewPacer(interval time.Duration) *Pacer {
	return &Pacer{
		interval: interval,
		now:      time.Now,
		sleep:    bot.Sleep,
		jitter: func(max time.Duration) time.Duration {
			if max <= 0 {
				return 0
			}
			return rand.N(max + 1)
		},
	}
}

// Wait blocks until the caller's turn to send, or returns ctx's error.
// A turn given up by a cancelled caller is not handed to anyone else.
func (p *Pacer) Wait(ctx context.Context) error {
	p.mu.Lock()
	now := p.now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	p.next = at.Add(p.interval + p.jitter(p.interval/2))
	p.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return p.sleep(ctx, d)
	}
	return ctx.Err()
}

// Sender sends pushes (reminders, confirmations, broadcasts) to WhatsApp
// users for the outbox worker; it implements bot.Sender. Each Send first
// waits for its Pacer, so one Sender shared by all the worker's
// goroutines keeps the whole number at the Pacer's rate. Bot.Sender
// returns one set up from Config.PushInterval.
type Sender struct {
	Client Client
	// Pacer is required: unpaced pushes get numbers banned.
	Pacer *Pacer
	// Receipts, when set, learns which message carried which push.
	Receipts *bot.Tracker
}

var _ bot.Sender = (*Sender)(nil)

// Send sends r to the WhatsApp user userID (a flows UserID: the number's
// digits, or a LID). Errors, as bot.Sender says:
//   - bot.ErrRejected for a userID that is no WhatsApp user and for a
//     chat WhatsApp cannot send to;
//   - an error wrapping *bot.RetryAfterError (RefusedWait) when
//     WhatsApp's server refused the message, which it does while the
//     number is restricted (find it with errors.As);
//   - any other error (not connected, timed out, ctx ended) is worth a
//     retry with backoff.
//
// WhatsApp does not tell a sender who blocked them: such messages are
// accepted and never delivered, so Send never returns bot.ErrUnreachable.
func (s *Sender) Send(ctx context.Context, userID string, r dialog.Reply) error {
	to, err := UserJID(userID)
	if err != nil {
		return fmt.Errorf("%w: %w", bot.ErrRejected, err)
	}
	if err := s.Pacer.Wait(ctx); err != nil {
		return fmt.Errorf("whatsapp send to %s: %w", userID, err)
	}
	resp, err := s.Client.SendMessage(ctx, to, textMessage(r))
	if err == nil && s.Receipts != nil {
		s.Receipts.Sent(ctx, resp.ID)
	}
	if err == nil && r.Document != nil {
		err = sendDocument(ctx, s.Client, to, r.Document)
	}
	return sendError(userID, err)
}

// sendError maps whatsmeow's send errors to bot.Sender's contract.
func sendError(userID string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, whatsmeow.ErrUnknownServer), errors.Is(err, whatsmeow.ErrRecipientADJID),
		errors.Is(err, whatsmeow.ErrBroadcastListUnsupported):
		return fmt.Errorf("%w: whatsapp send to %s: %w", bot.ErrRejected, userID, err)
	case errors.Is(err, whatsmeow.ErrServerReturnedError):
		return fmt.Errorf("whatsapp send to %s: %v: %w", userID, err, &bot.RetryAfterError{Wait: RefusedWait})
	}
	return fmt.Errorf("whatsapp send to %s: %w", userID, err)
}
