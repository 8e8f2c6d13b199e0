package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
)

// Sender sends a message to one user of one channel. Each messenger
// adapter implements it; the outbox worker sends pushes through it.
//
// Send returns nil once the messenger accepted the message, ErrUnreachable
// when the user blocked the bot or never started it (do not retry),
// ErrRejected when the messenger refused this message for good (HTTP 400:
// retrying the same message cannot help), a *RetryAfterError when the
// messenger asked to wait, a *DeferError when this one push cannot go
// yet (the others can), and any other error for a failure worth
// retrying with backoff (5xx, network). Errors are stored and logged: they
// must not carry the message text or a token (a URL with the bot token
// inside, as an HTTP client error has it, must be cut out).
//
// Send is used for pushes, which arrive on their own, not as the answer
// to the question the user is on: a channel that shows choices as a
// numbered list shows a push's choices without numbers (a number answers
// the current question); the flows take the label of a push's "Stop
// reminders" button, typed out, from any step.
type Sender interface {
	Send(ctx context.Context, userID string, r dialog.Reply) error
}

var (
	// ErrUnreachable means the user cannot be messaged any more.
	ErrUnreachable = errors.New("user unreachable")
	// ErrRejected means the messenger refused this message for good.
	ErrRejected = errors.New("message rejected")
)

// RetryAfterError is the messenger asking the bot to wait before sending
// again (Telegram's 429 with retry_after).
type RetryAfterError struct {
	Wait time.Duration
}

func (e *RetryAfterError) Error() string { return fmt.Sprintf("rate limited: retry after %s", e.Wait) }

// DeferError is a push the messenger cannot take yet, though it takes
// others: on WhatsApp's Cloud API, a push to someone who has not
// written for 24 hours, of a kind without a message template. The push
// stays pending, due again at Until (or earlier, when the channel wakes
// it); the deferral is not a failed attempt.
type DeferError struct {
	Until time.Time
}

func (e *DeferError) Error() string {
	return fmt.Sprintf("deferred until %s", e.Until.UTC().Format(time.RFC3339))
}

// PaidSender is a Sender that can also send a message as a paid
// broadcast: on Telegram, sendMessage with allow_paid_broadcast=true, which
// lifts the bot's limit to 1,000 messages per second for a fee in Stars.
// The outbox worker uses it, at WorkerOptions.PaidRate, for broadcasts
// and results only, and only when the event turns paid broadcasts on.
// SendPaid follows Send's error contract.
type PaidSender interface {
	Sender
	SendPaid(ctx context.Context, userID string, r dialog.Reply) error
}

type pushKey struct{}

// WithPush is ctx carrying the push being sent, for a Sender that needs
// more than the reply: its kind (WhatsApp's Cloud API sends a template
// for reminders and results outside the 24-hour window) or its key
// (to match delivery and read receipts to it).
func WithPush(ctx context.Context, p domain.Push) context.Context {
	return context.WithValue(ctx, pushKey{}, p)
}

// PushFrom is the push WithPush put into ctx.
func PushFrom(ctx context.Context) (domain.Push, bool) {
	p, ok := ctx.Value(pushKey{}).(domain.Push)
	return p, ok
}
