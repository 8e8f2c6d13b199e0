package flows

import (
	"context"
	"errors"
	"fmt"

	"github.com/runforautism/rfabot/domain"
)

// SetPhoneKeyboard records whether the user's chat shows the phone
// question's keyboard; a user the bot has not met is left alone.
// Telegram's reply keyboard stays on screen until a message takes it
// away, so the channel keeps this in the session, where it outlives a
// restart; each answer brings it back (Answer.PhoneKeyboard).
func (f *Flows) SetPhoneKeyboard(ctx context.Context, channel, userID string, up bool) error {
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		u, err := tx.User(channel + ":" + userID)
		if errors.Is(err, domain.ErrNotFound) || (err == nil && u.Session.PhoneKeyboard == up) {
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
