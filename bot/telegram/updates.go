package telegram

import (
	"context"
	"errors"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/flows"
)

// A chat's updates are handled one at a time, in order, by its own
// goroutine; different chats in parallel. The order matters beyond the
// engine's: whether a pressed button is stale is decided against the
// question the user is on once everything before the press is handled.

type queue struct {
	jobs []job
}

type job struct {
	upd tgbotapi.Update
	// saved is closed once the update is handled and its step saved.
	saved chan struct{}
}

// dispatch queues u behind the earlier updates of its chat. The channel
// is closed once u is handled and saved, at once for an update the bot
// ignores. ok is false when the bot is shutting down and takes nothing.
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
	q, running := b.queues[chatID]
	if !running {
		q = &queue{}
		b.queues[chatID] = q
		b.wg.Add(1)
	}
	q.jobs = append(q.jobs, job{upd: u, saved: ch})
	b.mu.Unlock()
	if !running {
		go b.drain(chatID, q)
	}
	return ch, true
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

func (b *Bot) drain(chatID int64, q *queue) {
	defer b.wg.Done()
	for {
		b.mu.Lock()
		if len(q.jobs) == 0 {
			delete(b.queues, chatID)
			b.mu.Unlock()
			return
		}
		j := q.jobs[0]
		q.jobs = q.jobs[1:]
		b.mu.Unlock()
		b.process(j)
	}
}

func (b *Bot) process(j job) {
	saved := sync.OnceFunc(func() { close(j.saved) })
	defer saved()
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic while handling an update", "update", j.upd.UpdateID, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	switch {
	case j.upd.CallbackQuery != nil:
		b.onPress(j.upd, saved)
	case j.upd.Message != nil:
		b.onMessage(j.upd, saved)
	case j.upd.EditedMessage != nil:
		b.onEdit(j.upd, saved)
	}
}

// langHint is the language of a Telegram language_code ("ru-RU": "ru").
func langHint(code string) string {
	lang, _, _ := strings.Cut(code, "-")
	return strings.ToLower(lang)
}

func (b *Bot) onMessage(u tgbotapi.Update, saved func()) {
	m := u.Message
	uid := strconv.FormatInt(m.From.ID, 10)
	msg := flows.Message{Channel: Channel, UserID: uid, ID: strconv.Itoa(u.UpdateID), Ref: strconv.Itoa(m.MessageID),
		LangHint: langHint(m.From.LanguageCode)}
	switch f := fileOf(m); {
	case m.Contact != nil && m.Contact.UserID == m.From.ID && m.Contact.PhoneNumber != "":
		msg.Phone = m.Contact.PhoneNumber
	case m.Contact == nil && m.Text != "":
		msg.Text = m.Text
	case f != nil:
		// Downloaded here, in the chat's queue: the user's later
		// messages wait for it and stay in order.
		msg.Text = m.Caption
		if f.photo {
			msg.Photo = b.fetch(f, u.UpdateID)
		} else {
			msg.Document = b.fetch(f, u.UpdateID)
		}
	default:
		// Stickers, GIFs, voice notes, videos, and contacts of someone
		// else or without a number: only the sender's own contact
		// stands for their phone number.
		msg.NonText = true
	}
	replies := b.cfg.Engine.Handle(context.Background(), msg)
	saved()
	b.deliver(m.Chat.ID, uid, replies)
}

// onEdit hands an edited message to the flows, which take it as the
// answer to the question still open when it was the user's last answer
// to it, and otherwise say that edits are not read. Only its text (or
// caption) counts: files are not fetched again.
func (b *Bot) onEdit(u tgbotapi.Update, saved func()) {
	m := u.EditedMessage
	uid := strconv.FormatInt(m.From.ID, 10)
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	msg := flows.Message{Channel: Channel, UserID: uid, ID: strconv.Itoa(u.UpdateID), Ref: strconv.Itoa(m.MessageID),
		Edited: true, Text: text, LangHint: langHint(m.From.LanguageCode)}
	replies := b.cfg.Engine.Handle(context.Background(), msg)
	saved()
	b.deliver(m.Chat.ID, uid, replies)
}

// onPress handles a button press. It is answered at once, so the button
// stops spinning, while the press is handled: the answer's round trip
// to Telegram does not hold the update (and the offset) up. A press on
// the message that asks the current question is taken and that message
// then shows the choice instead of its buttons; a press on any older
// message is answered with the current question, never applied, and the
// old buttons are taken away.
func (b *Bot) onPress(u tgbotapi.Update, saved func()) {
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
	defer func() { <-answered }()
	m := q.Message
	if m == nil || m.Chat == nil || m.Chat.Type != "private" || q.Data == "" {
		// Not from a private chat, or a button without data (a game's):
		// nothing the conversation offered.
		return
	}
	if b.repeated(m.Chat.ID, press{message: m.MessageID, data: q.Data}) {
		return
	}
	ctx := context.Background()
	uid := strconv.FormatInt(q.From.ID, 10)
	msg := flows.Message{Channel: Channel, UserID: uid, ID: strconv.Itoa(u.UpdateID), Payload: q.Data, LangHint: langHint(q.From.LanguageCode)}
	cur, err := b.cfg.Engine.Current(ctx, Channel, uid)
	if err != nil {
		b.log.Error("cannot tell whether a press is stale; taking it as stale", "user", uid, "err", err)
	}
	msg.Stale = err != nil || !b.sameQuestion(m, cur)
	replies := b.cfg.Engine.Handle(ctx, msg)
	saved()
	if len(replies) == 0 {
		return
	}
	// The pressed message loses its buttons while the answer goes out:
	// two round trips to Telegram at once, not one after the other. A
	// user who blocked the bot is reported by the delivery.
	edited := make(chan error, 1)
	go func() { edited <- b.closeButtons(m, q.Data, msg.Stale) }()
	if b.deliver(m.Chat.ID, uid, replies) && !msg.Stale {
		// Only a press whose answer went out: after one handled before
		// a crash and not answered again, or one whose answer Telegram
		// refused, the user's next tap counts.
		b.taken(m.Chat.ID, press{message: m.MessageID, data: q.Data})
	}
	if err := <-edited; err != nil && !errors.Is(err, bot.ErrUnreachable) {
		b.failed(uid, err)
	}
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

// taken remembers the press last taken and answered in a chat.
func (b *Bot) taken(chatID int64, p press) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.presses) >= maxPresses {
		clear(b.presses)
	}
	b.presses[chatID] = p
}

// repeated reports whether p repeats the press last answered in the chat:
// a double tap, which comes before the buttons are gone. It is answered
// and dropped, rather than answered as a stale press with the screen
// the first tap opened again. Once taken, a message's buttons are taken
// away, so a repeat is a double tap, and it needs remembering for
// moments only: in memory.
func (b *Bot) repeated(chatID int64, p press) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.presses[chatID] == p
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

// deliver sends the replies to one update, retrying what can be retried,
// and reports whether all went out. It stops at a user who blocked the
// bot and marks them unreachable; a message Telegram refuses is logged
// and the rest still go.
func (b *Bot) deliver(chatID int64, uid string, replies []flows.Reply) (sent bool) {
	if len(replies) == 0 {
		return false
	}
	was := b.keyboardUp(uid)
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
