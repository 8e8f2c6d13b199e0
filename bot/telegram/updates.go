package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

// A chat's updates reach the engine one at a time, in order, while the
// files they carry download in parallel (bot.InOrder); the engine's
// per-user queue handles them in that order and in parallel across
// users. Whether a pressed button is stale is decided in the flows,
// against the question the user is on once everything before the press
// is handled.

// dispatch hands u to the engine behind the earlier updates of its chat.
// The channel is closed once u is handled and saved, at once for an
// update the bot ignores. ok is false when the bot is shutting down and
// takes nothing.
func (b *Bot) dispatch(u tgbotapi.Update) (saved <-chan struct{}, ok bool) {
	ch := make(chan struct{})
	chatID, served := chatOf(u)
	if !served {
		b.log.Debug("update ignored: not from a private chat", "update", u.UpdateID)
		close(ch)
		return ch, true
	}
	b.mu.Lock()
	if b.stopping {
		b.mu.Unlock()
		return nil, false
	}
	b.wg.Add(1)
	b.mu.Unlock()
	h := &handling{upd: u, saved: sync.OnceFunc(func() { close(ch) })}
	switch {
	case u.CallbackQuery != nil:
		b.onPress(chatID, h)
	case u.Message != nil:
		b.onMessage(chatID, h)
	default:
		b.onEdit(chatID, h)
	}
	return ch, true
}

// handling is one update on its way through the engine.
type handling struct {
	upd tgbotapi.Update
	// saved marks the update handled and its step saved.
	saved func()
}

// chatOf is the chat whose queue u goes to: messages from private chats
// and every button press (a press is answered even when ignored).
func chatOf(u tgbotapi.Update) (int64, bool) {
	switch {
	case u.Message != nil || u.EditedMessage != nil:
		m := u.Message
		if m == nil {
			m = u.EditedMessage
		}
		if m.From == nil || m.Chat == nil || m.Chat.Type != "private" {
			return 0, false
		}
		return m.Chat.ID, true
	case u.CallbackQuery != nil && u.CallbackQuery.From != nil:
		return u.CallbackQuery.From.ID, true
	}
	return 0, false
}

// inOrder runs prepare at once and then dispatch in the chat's order.
func (b *Bot) inOrder(chatID int64, prepare, dispatch func()) {
	b.order.Go(strconv.FormatInt(chatID, 10), prepare, dispatch)
}

// langHint is the language of a Telegram language_code ("ru-RU": "ru").
func langHint(code string) string {
	lang, _, _ := strings.Cut(code, "-")
	return strings.ToLower(lang)
}

func (b *Bot) onMessage(chatID int64, h *handling) {
	u := h.upd
	m := u.Message
	uid := strconv.FormatInt(m.From.ID, 10)
	msg := dialog.Message{Channel: Channel, UserID: uid, ID: strconv.Itoa(u.UpdateID), Ref: strconv.Itoa(m.MessageID),
		LangHint: langHint(m.From.LanguageCode)}
	var file *incoming
	switch f := fileOf(m); {
	case m.Contact != nil && m.Contact.UserID == m.From.ID && m.Contact.PhoneNumber != "":
		msg.Phone = m.Contact.PhoneNumber
	case m.Contact == nil && m.Text != "":
		msg.Text = m.Text
	case f != nil:
		msg.Text, file = m.Caption, f
	default:
		// Stickers, GIFs, voice notes, videos, and contacts of someone
		// else or without a number: only the sender's own contact
		// stands for their phone number.
		msg.NonText = true
	}
	fetch := func() {
		// Downloaded before the message goes to the engine, while the
		// user's earlier messages are handled; the later ones wait for
		// it and stay in order.
		switch {
		case file == nil:
		case file.photo:
			msg.Photo = b.fetch(file, u.UpdateID)
		default:
			msg.Document = b.fetch(file, u.UpdateID)
		}
	}
	b.inOrder(chatID, fetch, func() { b.answer(h, msg, m.Chat.ID) })
}

// answer hands msg to the engine and sends the replies.
func (b *Bot) answer(h *handling, msg dialog.Message, chatID int64) {
	b.cfg.Engine.Dispatch(context.Background(), msg, func(a flows.Answer) {
		defer b.wg.Done()
		h.saved()
		b.deliver(chatID, msg.UserID, a)
	})
}

// onEdit hands an edited message to the flows, which take it as the
// answer to the question still open when it was the user's last answer
// to it, and otherwise say that edits are not read. Only its text (or
// caption) counts: files are not fetched again.
func (b *Bot) onEdit(chatID int64, h *handling) {
	u := h.upd
	m := u.EditedMessage
	uid := strconv.FormatInt(m.From.ID, 10)
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	msg := dialog.Message{Channel: Channel, UserID: uid, ID: strconv.Itoa(u.UpdateID), Ref: strconv.Itoa(m.MessageID),
		Edited: true, Text: text, LangHint: langHint(m.From.LanguageCode)}
	b.inOrder(chatID, func() {}, func() { b.answer(h, msg, m.Chat.ID) })
}

// onPress handles a button press. It is answered at once, so the button
// stops spinning, while the press is handled: the answer's round trip
// to Telegram does not hold the update (and the offset) up. The flows
// take a press on the message that asks the current question, and that
// message then shows the choice instead of its buttons; a press on any
// older message is answered with the current question, never applied,
// and the old buttons are taken away.
func (b *Bot) onPress(chatID int64, h *handling) {
	u := h.upd
	q := u.CallbackQuery
	answered := make(chan struct{})
	go func() {
		defer close(answered)
		err := b.retry(b.sends, func() error {
			_, err := b.request(b.sends, "answerCallbackQuery", tgbotapi.NewCallback(q.ID, ""))
			return err
		})
		if err != nil {
			b.log.Warn("could not answer a button press", "update", u.UpdateID, "err", err)
		}
	}()
	// The update is done once handled; shutdown still waits for the
	// press's answer.
	end := func() {
		h.saved()
		go func() {
			<-answered
			b.wg.Done()
		}()
	}
	m := q.Message
	if m == nil || m.Chat == nil || m.Chat.Type != "private" || q.Data == "" {
		// Not from a private chat, or a button without data (a game's):
		// nothing the conversation offered.
		b.inOrder(chatID, func() {}, end)
		return
	}
	p := press{message: m.MessageID, data: q.Data}
	uid := strconv.FormatInt(q.From.ID, 10)
	msg := dialog.Message{Channel: Channel, UserID: uid, ID: strconv.Itoa(u.UpdateID), Payload: q.Data,
		LangHint: langHint(q.From.LanguageCode), Pressed: pressed(m)}
	b.inOrder(chatID, func() {}, func() {
		if !b.startPress(m.Chat.ID, p) {
			end()
			return
		}
		b.cfg.Engine.Dispatch(context.Background(), msg, func(a flows.Answer) {
			defer end()
			h.saved()
			taken := false
			defer func() { b.endPress(m.Chat.ID, p, taken) }()
			if len(a.Replies) == 0 {
				return
			}
			// The pressed message loses its buttons while the answer goes
			// out: two round trips to Telegram at once, not one after the
			// other. A user who blocked the bot is reported by the
			// delivery.
			edited := make(chan error, 1)
			go func() { edited <- b.closeButtons(m, q.Data, a.Stale) }()
			// Only a press whose answer went out counts as taken: after
			// one handled before a crash and not answered again, or one
			// whose answer Telegram refused, the user's next tap counts.
			taken = b.deliver(m.Chat.ID, uid, a) && !a.Stale
			if err := <-edited; err != nil && !errors.Is(err, bot.ErrUnreachable) {
				b.failed(uid, err)
			}
		})
	})
}

// pressed is the message m as the flows judge a press on it: its text
// and its buttons' data.
func pressed(m *tgbotapi.Message) *dialog.Pressed {
	if m.ReplyMarkup == nil {
		// A message without buttons asks nothing.
		return &dialog.Pressed{}
	}
	p := &dialog.Pressed{Text: m.Text}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, btn := range row {
			if btn.CallbackData != nil {
				p.Payloads = append(p.Payloads, *btn.CallbackData)
			}
		}
	}
	return p
}

// press is a button pressed on a message.
type press struct {
	message int
	data    string
}

// maxPresses bounds the presses remembered; past it they are forgotten
// all at once, which at worst lets one double tap through as a stale
// press.
const maxPresses = 10000

// startPress reports whether p is to be handled, and marks it in hand.
// A press that repeats the one in hand in the chat, or the one last
// taken and answered there, is a double tap, which comes before the
// buttons are gone: it is answered and dropped, rather than answered as
// a stale press with the screen the first tap opened again. Once taken,
// a message's buttons are taken away, so a repeat is a double tap, and
// it needs remembering for moments only: in memory.
func (b *Bot) startPress(chatID int64, p press) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.presses[chatID] == p || b.inHand[chatID] == p {
		return false
	}
	if len(b.inHand) >= maxPresses {
		clear(b.inHand)
	}
	b.inHand[chatID] = p
	return true
}

// endPress ends the handling of p; taken says the flows took it and its
// answer went out.
func (b *Bot) endPress(chatID int64, p press, taken bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.inHand[chatID] == p {
		delete(b.inHand, chatID)
	}
	if !taken {
		return
	}
	if len(b.presses) >= maxPresses {
		clear(b.presses)
	}
	b.presses[chatID] = p
}

// closeButtons edits the pressed message so its buttons are gone and,
// for a press that was taken, it shows the choice. The edits go as plain
// parameters, as sendMessage does: the library's configs send
// "entities":null, which the Bot API types as an array.
func (b *Bot) closeButtons(m *tgbotapi.Message, data string, stale bool) error {
	method := "editMessageReplyMarkup"
	params := tgbotapi.Params{}
	params.AddNonZero64("chat_id", m.Chat.ID)
	params.AddNonZero("message_id", m.MessageID)
	text := m.Text + "\n\n" + done + " " + pressedLabel(m, data)
	if !stale && m.Text != "" && pressedLabel(m, data) != "" && utf16Len(text) <= maxText {
		method = "editMessageText"
		params["text"] = text
	}
	return b.retry(b.sends, func() error {
		_, err := b.call(b.sends, method, params)
		return err
	})
}

// deliver sends the answer to one update, retrying what can be retried,
// and reports whether all went out. It stops at a user who blocked the
// bot and marks them unreachable; a message Telegram refuses is logged
// and the rest still go. Whether the phone keyboard is up comes with the
// answer, read in its transaction; it is saved only when it changed.
func (b *Bot) deliver(chatID int64, uid string, a flows.Answer) (sent bool) {
	replies := a.Replies
	if len(replies) == 0 {
		return false
	}
	was := a.PhoneKeyboard
	up := was
	defer func() {
		if up != was {
			b.setKeyboard(uid, up)
		}
	}()
	sent = true
	for _, r := range replies {
		if err := b.sendReply(b.sends, chatID, r, sendOptions{keyboard: &up}, b.retry); err != nil {
			sent = false
			if b.failed(uid, err) {
				return false
			}
		}
	}
	return sent
}

// failed logs a request that failed for good and reports whether to stop
// writing to the user.
func (b *Bot) failed(uid string, err error) (stop bool) {
	var ae *apiError
	errors.As(err, &ae)
	switch {
	case errors.Is(err, bot.ErrUnreachable):
		b.log.Info("the user blocked the bot: no more messages until they write again", "user", uid)
		if err := b.cfg.Reach.MarkUnreachable(context.Background(), Channel, uid); err != nil {
			b.log.Error("could not mark a user unreachable", "user", uid, "err", err)
		}
		return true
	case errors.Is(err, bot.ErrRejected) && ae != nil:
		b.log.Warn("telegram refused a message", "user", uid, "method", ae.method, "reason", ae.reason)
		return false
	default:
		b.log.Error("sending to telegram failed", "user", uid, "err", err)
		return true
	}
}
