package flows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/runforautism/rfabot/domain"
)

// DuePushes lists up to limit pending pushes of channel that are due at
// now, in the order to send them (see Tx.DuePushes).
func (f *Flows) DuePushes(ctx context.Context, channel string, now time.Time, limit int) ([]domain.Push, error) {
	var out []domain.Push
	err := f.store.View(ctx, func(tx domain.Tx) error {
		var err error
		out, err = tx.DuePushes(channel, now, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("due pushes of %s: %w", channel, err)
	}
	return out, nil
}

// Screen decides whether the due push p is still to be sent at now. It
// returns PushPending to send it, or the status to record instead and
// why: the push expired, the user turned reminders off (for reminders
// and broadcasts), blocked the bot, or never started it. A push to an
// operators' chat (ToOperators) is sent even though no user has its key.
func (f *Flows) Screen(ctx context.Context, p domain.Push, now time.Time) (domain.PushStatus, string, error) {
	if !p.Expires.IsZero() && now.After(p.Expires) {
		return domain.PushSkipped, "expired", nil
	}
	var st domain.PushStatus
	var why string
	err := f.store.View(ctx, func(tx domain.Tx) error {
		u, err := tx.User(p.UserKey)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			if !p.ToOperators() {
				st, why = domain.PushSkipped, "user never started the bot"
			}
			return nil
		case err != nil:
			return err
		case u.Unreachable:
			st, why = domain.PushUnreachable, "user blocked the bot"
		case u.RemindersOff && p.Optional():
			st, why = domain.PushSkipped, "reminders off"
		}
		return nil
	})
	if err != nil {
		return domain.PushPending, "", fmt.Errorf("screen push %s: %w", p.Key, err)
	}
	return st, why, nil
}

// SavePush stores the delivery fields of a queued push. A push with
// buttons sent to a user of numbered lists is the list their next
// number refers to first (Session.Pushed).
func (f *Flows) SavePush(ctx context.Context, p *domain.Push) error {
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		if err := tx.SavePush(p); err != nil {
			return err
		}
		if p.Status != domain.PushSent || len(p.Reply.Choices) == 0 || p.ToOperators() {
			return nil
		}
		u, err := tx.User(p.UserKey)
		if errors.Is(err, domain.ErrNotFound) || err == nil && !u.Numbered {
			return nil
		}
		if err != nil {
			return err
		}
		u.Session.Pushed = nil
		for _, c := range p.Reply.Choices {
			u.Session.Pushed = append(u.Session.Pushed, c.Payload)
		}
		u.Session.Number = ""
		return tx.PutUser(&u)
	})
	if err != nil {
		return fmt.Errorf("save push %s: %w", p.Key, err)
	}
	return nil
}
