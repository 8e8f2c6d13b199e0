package bot

import (
	"context"
	"log/slog"
	"time"
)

// Every runs fn at once and then every d until ctx ends, logging its
// errors: the clock-driven work (payment holds, waitlist offers). fn must
// be safe to run again after a failure or a restart.
func Every(ctx context.Context, d time.Duration, log *slog.Logger, name string, fn func(context.Context) error) {
	tick := time.NewTicker(d)
	defer tick.Stop()
	for {
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			log.Error("periodic work failed", "work", name, "err", err)
		}
		// A tick and the end may both be ready: the end wins, so no work
		// starts after ctx ended.
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if ctx.Err() != nil {
				return
			}
		}
	}
}

// Sleep waits d, or until ctx ends, whose error it then returns: the
// backoff of channel adapters between tries.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
