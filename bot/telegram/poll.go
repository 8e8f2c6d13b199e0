package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot"
)

// allowedUpdates are the update types the bot asks for.
var allowedUpdates = []string{"message", "callback_query"}

// busyPoll is the pause between polls while updates are in hand.
const busyPoll = 200 * time.Millisecond

// inflight is an update being handled, in the order it came.
type inflight struct {
	id    int
	saved <-chan struct{}
}

// poll takes updates by long polling until ctx ends. Telegram forgets an
// update once getUpdates is called with a higher offset, so the offset
// only moves past an update when it and every update before it are
// handled and saved; it is saved too, before Telegram is told, so a
// restart fetches nothing handled. Meanwhile Telegram sends the updates
// in hand again; they are recognised and skipped.
func (b *Bot) poll(ctx context.Context) error {
	err := b.retry(ctx, func() error {
		_, err := b.request(ctx, "deleteWebhook", tgbotapi.DeleteWebhookConfig{})
		return err
	})
	if err != nil {
		return fmt.Errorf("switch Telegram to long polling: %w", err)
	}
	stored, err := b.cfg.Offsets.Offset(ctx, Channel)
	if err != nil {
		return fmt.Errorf("read the Telegram offset: %w", err)
	}
	b.setHealth(true)
	b.log.Info("telegram channel up", "bot", b.Username(), "mode", "long polling", "offset", stored)
	next, saved := stored, stored
	var pending []inflight
	known := map[int]bool{}
	advance := func(ctx context.Context) {
		for len(pending) > 0 && closed(pending[0].saved) {
			next = int64(pending[0].id) + 1
			delete(known, pending[0].id)
			pending = pending[1:]
		}
		if next == saved {
			return
		}
		if err := b.cfg.Offsets.SetOffset(ctx, Channel, next); err != nil {
			b.log.Error("could not save the Telegram offset", "err", err)
			return
		}
		saved = next
	}
	failures := 0
	wait := b.cfg.Backoff
	for ctx.Err() == nil {
		advance(ctx)
		updates, err := b.getUpdates(ctx, next)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			var ae *apiError
			if errors.As(err, &ae) && (ae.code == http.StatusUnauthorized || ae.code == http.StatusNotFound) {
				return fmt.Errorf("telegram refuses the bot (is the token right?): %w", err)
			}
			failures++
			if failures == 3 {
				b.setHealth(false)
			}
			pause := wait
			var ra *bot.RetryAfterError
			if errors.As(err, &ra) {
				pause = ra.Wait
			} else {
				wait = min(2*wait, 30*time.Second)
			}
			b.log.Warn("getting updates failed", "err", err, "retry_in", pause)
			sleep(ctx, pause)
			continue
		}
		if failures >= 3 {
			b.setHealth(true)
		}
		failures, wait = 0, b.cfg.Backoff
		fresh := 0
		for _, u := range updates {
			if known[u.UpdateID] {
				continue
			}
			known[u.UpdateID] = true
			ch, _ := b.dispatch(u)
			pending = append(pending, inflight{id: u.UpdateID, saved: ch})
			fresh++
		}
		if fresh == 0 && len(pending) > 0 {
			// Only updates in hand, which Telegram hands out at once
			// until they are confirmed: wait for the oldest, or a moment
			// before looking for new ones.
			t := time.NewTimer(busyPoll)
			select {
			case <-pending[0].saved:
			case <-t.C:
			case <-ctx.Done():
			}
			t.Stop()
		}
	}
	for _, p := range pending {
		<-p.saved
	}
	advance(context.WithoutCancel(ctx))
	return nil
}

func (b *Bot) getUpdates(ctx context.Context, offset int64) ([]tgbotapi.Update, error) {
	api, cancel := b.client(ctx, b.cfg.PollTimeout+callTimeout)
	defer cancel()
	updates, err := api.GetUpdates(tgbotapi.UpdateConfig{
		Offset:         int(offset),
		Limit:          100,
		Timeout:        int(b.cfg.PollTimeout / time.Second),
		AllowedUpdates: allowedUpdates,
	})
	return updates, b.classify("getUpdates", err)
}

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
