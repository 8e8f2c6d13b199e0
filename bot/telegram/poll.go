package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot"
)

// allowedUpdates are the update types the bot asks for: messages, their
// edits and button presses.
var allowedUpdates = []string{"message", "edited_message", "callback_query"}

// busyPoll is the longest pause between polls while updates are in
// hand: Telegram answers at once with the updates in hand, so the loop
// waits for them to be saved, or this long for new ones.
const busyPoll = 50 * time.Millisecond

// pollLimit is the most updates one getUpdates answer holds.
const pollLimit = 100

// inflight is an update being handled, in the order it came.
type inflight struct {
	id    int
	saved <-chan struct{}
}

// poll takes updates by long polling until ctx ends. Telegram forgets an
// update once getUpdates is called with a higher offset, so the offset
// only moves past an update when it and every update before it are
// handled and saved; meanwhile Telegram sends the updates in hand again,
// and they are recognised and skipped. The offset is also kept in the
// database, written in the background: a restart asks for what follows
// it, so it is not sent the updates handled before. An offset saved late
// only means a few updates come again after a crash, and those are
// recognised by their id (flows keeps the last ids of each user) and
// not handled twice. Waiting for that write before each poll cost a
// commit per poll and halved the updates a second (docs/PERFORMANCE.md).
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
	saver := b.saveOffsets(context.WithoutCancel(ctx))
	next, queued := stored, stored
	var pending []inflight
	known := map[int]bool{}
	advance := func() {
		for len(pending) > 0 && closed(pending[0].saved) {
			next = int64(pending[0].id) + 1
			delete(known, pending[0].id)
			pending = pending[1:]
		}
		if next != queued {
			saver.queue(next)
			queued = next
		}
	}
	failures := 0
	wait := b.cfg.Backoff
	for ctx.Err() == nil {
		advance()
		updates, err := b.getUpdates(ctx, next, known)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			var ae *apiError
			if errors.As(err, &ae) && (ae.code == http.StatusUnauthorized || ae.code == http.StatusNotFound) {
				saver.close()
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
			bot.Sleep(ctx, pause)
			continue
		}
		if failures >= 3 {
			b.setHealth(true)
		}
		failures, wait = 0, b.cfg.Backoff
		for _, u := range updates {
			known[u.UpdateID] = true
			ch, _ := b.dispatch(u)
			pending = append(pending, inflight{id: u.UpdateID, saved: ch})
		}
		if len(pending) > 0 {
			// Telegram would answer at once with the updates in hand:
			// poll again once they are saved, so the offset moves past
			// them all and the poll waits for new ones, or after a
			// moment for updates that arrived meanwhile. Polling as soon
			// as the oldest was saved asked about once per update.
			waitSaved(ctx, pending, busyPoll)
		}
	}
	for _, p := range pending {
		<-p.saved
	}
	advance()
	saver.close()
	return nil
}

// offsetSaver writes the offset in the background, always the newest
// one asked for; close writes the last one and waits.
type offsetSaver struct {
	next chan int64
	done chan struct{}
}

func (b *Bot) saveOffsets(ctx context.Context) *offsetSaver {
	s := &offsetSaver{next: make(chan int64, 1), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for next := range s.next {
			if err := b.cfg.Offsets.SetOffset(ctx, Channel, next); err != nil {
				b.log.Error("could not save the Telegram offset", "err", err)
			}
		}
	}()
	return s
}

// queue asks for next to be saved, in place of any position still
// waiting to be. Only the poll loop calls it.
func (s *offsetSaver) queue(next int64) {
	select {
	case <-s.next:
	default:
	}
	s.next <- next
}

func (s *offsetSaver) close() {
	close(s.next)
	<-s.done
}

// getUpdates asks for the updates from offset on and decodes those that
// are not known: Telegram sends the updates in hand with every answer,
// and decoding them again each time was a tenth of the bot's work. An
// update that does not decode comes back empty, to be skipped.
func (b *Bot) getUpdates(ctx context.Context, offset int64, known map[int]bool) ([]tgbotapi.Update, error) {
	api, cancel := b.client(ctx, b.cfg.PollTimeout+callTimeout)
	defer cancel()
	resp, err := api.Request(tgbotapi.UpdateConfig{
		Offset:         int(offset),
		Limit:          pollLimit,
		Timeout:        int(b.cfg.PollTimeout / time.Second),
		AllowedUpdates: allowedUpdates,
	})
	if err != nil {
		return nil, b.classify("getUpdates", err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raw); err != nil {
		return nil, b.classify("getUpdates", err)
	}
	var updates []tgbotapi.Update
	for _, r := range raw {
		id, err := updateID(r)
		if err != nil {
			return nil, b.classify("getUpdates", err)
		}
		if known[id] {
			continue
		}
		var u tgbotapi.Update
		if err := json.Unmarshal(r, &u); err != nil {
			// Skipped, not retried: one update the library cannot read
			// must not hold up every other.
			b.log.Error("update ignored: cannot decode it", "update", id, "err", err)
			u = tgbotapi.Update{UpdateID: id}
		}
		updates = append(updates, u)
	}
	return updates, nil
}

// idPrefix starts every update as the Bot API writes it.
var idPrefix = []byte(`{"update_id":`)

// updateID reads an update's id, from its first field where the Bot
// API puts it, else by decoding.
func updateID(r json.RawMessage) (int, error) {
	if rest, ok := bytes.CutPrefix(r, idPrefix); ok {
		end := 0
		for end < len(rest) && end < 19 && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		if end > 0 && end < len(rest) && (rest[end] == ',' || rest[end] == '}') {
			if id, err := strconv.Atoi(string(rest[:end])); err == nil {
				return id, nil
			}
		}
	}
	var u struct {
		UpdateID int `json:"update_id"`
	}
	err := json.Unmarshal(r, &u)
	return u.UpdateID, err
}

// waitSaved waits until every update in hand is saved, at most max.
func waitSaved(ctx context.Context, pending []inflight, max time.Duration) {
	t := time.NewTimer(max)
	defer t.Stop()
	for _, p := range pending {
		select {
		case <-p.saved:
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
