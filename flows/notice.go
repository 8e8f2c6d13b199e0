package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/locales"
)

// KindAlert is the push that tells the organizers a channel stopped.
const KindAlert = "alert"

// Notice is text id in the user's language, for a channel's own notices
// that answer no question ("I couldn't read that message"): the user's
// language, else the messenger's hint, else every language.
func (f *Flows) Notice(ctx context.Context, channel, userID, id string) dialog.Reply {
	lang := f.UserLang(ctx, channel, userID)
	if lang == "" {
		return dialog.Reply{Text: f.allLangs(id)}
	}
	return dialog.Reply{Text: f.cat.T(lang, id, nil)}
}

// UserLang is the language a user chose, "" when they chose none or
// storage cannot say.
func (f *Flows) UserLang(ctx context.Context, channel, userID string) string {
	var lang string
	_ = f.store.View(ctx, func(tx domain.Tx) error {
		u, err := tx.User(channel + ":" + userID)
		lang = u.Lang
		return err
	})
	if !locales.Supported(lang) {
		return ""
	}
	return lang
}

// AlertAdmins queues text id, with data, to every organizer on Telegram
// in their language, as an outbox push of KindAlert keyed by key: a key
// is queued once, so the caller chooses how often the same alert may go
// out (one key per reason and hour, say). Organizers on other channels
// are left out: the alert is about a channel that may be the broken one.
func (f *Flows) AlertAdmins(ctx context.Context, key, id string, data map[string]any) error {
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		for admin := range f.admins {
			if !strings.HasPrefix(admin, "telegram:") {
				continue
			}
			u, err := tx.User(admin)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return err
			}
			text := f.cat.T(pushLang(u), id, data)
			if _, err := tx.Enqueue(&domain.Push{Key: KindAlert + ":" + key + ":" + admin, UserKey: admin, Kind: KindAlert,
				Reply: dialog.Reply{Text: text}, Created: f.now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("alert the organizers (%s): %w", key, err)
	}
	return nil
}

// MarkReceipt records that the push queued with key was delivered (read
// false) or read at at; a read push counts as delivered too. A key no
// push has is ignored: receipts also come for answers.
func (f *Flows) MarkReceipt(ctx context.Context, key string, read bool, at time.Time) error {
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		p, err := tx.Push(key)
		if errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case read && p.Read.IsZero():
			p.Read = at
		case !read && p.Delivered.IsZero():
			p.Delivered = at
		default:
			return nil
		}
		return tx.SavePush(&p)
	})
	if err != nil {
		return fmt.Errorf("receipt of push %s: %w", key, err)
	}
	return nil
}

// wakeScan bounds how many pending pushes of a channel WakePushes reads,
// all due before wakeHorizon (a time storage's nanosecond index holds).
const wakeScan = 100_000

var wakeHorizon = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// WakePushes makes the pending pushes of a user that were deferred to
// later (bot.DeferError) due at once: the channel can deliver them now,
// as when someone who had not written for a day writes on WhatsApp.
func (f *Flows) WakePushes(ctx context.Context, channel, userID string) error {
	key := channel + ":" + userID
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		ps, err := tx.DuePushes(channel, wakeHorizon, wakeScan)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if p.UserKey != key || p.Due.IsZero() {
				continue
			}
			p.Due = time.Time{}
			if err := tx.SavePush(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("wake the pushes of %s: %w", key, err)
	}
	return nil
}
