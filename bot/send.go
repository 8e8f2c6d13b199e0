package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/runforautism/rfabot/flows"
)

// Sender sends a message to one user of one channel. Each messenger
// adapter implements it; the outbox worker sends pushes through it.
//
// Send returns nil once the messenger accepted the message, ErrUnreachable
// when the user blocked the bot or never started it (do not retry),
// ErrRejected when the messenger refused this message for good (HTTP 400:
// retrying the same message cannot help), a *RetryAfterError when the
// messenger asked to wait, and any other error for a failure worth
// retrying with backoff (5xx, network).
type Sender interface {
	Send(ctx context.Context, userID string, r flows.Reply) error
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
