package flows

import (
	"context"
	"errors"
	"fmt"
)

// PhoneKeyboard reports whether the user's chat shows the keyboard a
// phone question brought up, as the channel last recorded it with
// SetPhoneKeyboard. Telegram's reply keyboard stays on screen until a
// message takes it away, so the channel keeps this in the session, where
// it outlives a restart.
func (f *Flows) PhoneKeyboard(ctx context.Context, channel, userID string) (bool, error) {
	var up bool
	err := f.store.View(ctx, func(tx Tx) error {
		u, err := tx.User(channel + ":" + userID)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		up = u.Session.PhoneKeyboard
		return err
	})
	if err != nil {
		return false, fmt.Errorf("phone keyboard of %s:%s: %w", channel, userID, err)
	}
	return up, nil
}

// SetPhoneKeyboard records whether the user's chat shows the phone
// question's keyboard; a user the bot has not met is left alone.
func (f *Flows) SetPhoneKeyboard(ctx context.Context, channel, userID string, up bool) error {
	err := f.store.Update(ctx, func(tx Tx) error {
		u, err := tx.User(channel + ":" + userID)
		if errors.Is(err, ErrNotFound) || (err == nil && u.Session.PhoneKeyboard == up) {
			return nil
		}
		if err != nil {
			return err
		}
		u.Session.PhoneKeyboard = up
		return tx.PutUser(&u)
	})
	if err != nil {
		return fmt.Errorf("set the phone keyboard of %s:%s: %w", channel, userID, err)
	}
	return nil
}
