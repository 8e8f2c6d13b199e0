package telegram

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/flows"
)

const (
	// maxText is the longest message text, in UTF-16 code units.
	maxText = 4096
	// maxCallback is the longest callback data, in bytes.
	maxCallback = 64
	// done marks the answer chosen on a message whose buttons are gone,
	// and the message that takes the phone keyboard away.
	done = "✓"
)

// Send sends a push (bot.Sender), one request per message part, without
// retrying: the outbox does. It leaves the reply keyboard alone.
func (b *Bot) Send(ctx context.Context, userID string, r flows.Reply) error {
	return b.push(ctx, userID, r, false)
}

// SendPaid sends a push as a paid broadcast (bot.PaidSender): like Send,
// with allow_paid_broadcast on every part, which lets the bot send up to
// 1,000 messages a second for a fee in Telegram Stars.
func (b *Bot) SendPaid(ctx context.Context, userID string, r flows.Reply) error {
	return b.push(ctx, userID, r, true)
}

func (b *Bot) push(ctx context.Context, userID string, r flows.Reply, paid bool) error {
	chatID, err := strconv.ParseInt(userID, 10, 64)
	if err != nil {
		return &apiError{method: "sendMessage", reason: "user id " + strconv.Quote(userID) + " is not a Telegram id", cause: bot.ErrRejected}
	}
	return b.sendReply(ctx, chatID, r, sendOptions{paid: paid}, once)
}

// sendOptions say how a reply goes: direct (the answer to the user's
// message, not a push) or paid (a paid broadcast).
type sendOptions struct {
	direct, paid bool
}

// outgoing is one sendMessage request. It goes out as the library's
// Params rather than its MessageConfig, which predates
// allow_paid_broadcast (Bot API 7.11).
type outgoing struct {
	chatID int64
	text   string
	markup any
	paid   bool
}

func (m outgoing) params() (tgbotapi.Params, error) {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", m.chatID)
	p.AddNonEmpty("text", m.text)
	if err := p.AddInterface("reply_markup", m.markup); err != nil {
		return nil, err
	}
	p.AddBool("allow_paid_broadcast", m.paid)
	return p, nil
}

// sendReply sends one reply: its text in parts of at most maxText, the
// last part with the keyboard, then its Document, if any, as a message
// of its own (sendFile). A direct reply also manages the phone
// question's reply keyboard: Telegram allows one keyboard per message,
// so the share button and the choices go on a reply keyboard, and the
// next reply takes it away: with its own message when it has no
// buttons, else with a short "✓" before it.
func (b *Bot) sendReply(ctx context.Context, chatID int64, r flows.Reply, opt sendOptions, try func(context.Context, func() error) error) error {
	send := func(m outgoing) error {
		m.chatID, m.paid = chatID, opt.paid
		params, err := m.params()
		if err != nil {
			return &apiError{method: "sendMessage", reason: "encode the keyboard: " + err.Error(), cause: bot.ErrRejected}
		}
		return try(ctx, func() error {
			_, err := b.call(ctx, "sendMessage", params)
			return err
		})
	}
	text := r.Text
	var markup any
	removes := false
	if r.AskPhone && opt.direct {
		for _, l := range r.Links {
			text += "\n" + l.Label + ": " + l.URL
		}
		markup = b.phoneKeyboard(r)
	} else {
		kb := b.inline(r)
		if kb != nil {
			markup = kb
		}
		if opt.direct && b.keyboardUp(chatID) {
			removes = true
			if kb != nil {
				if err := send(outgoing{text: done, markup: tgbotapi.NewRemoveKeyboard(false)}); err != nil {
					return err
				}
				b.setKeyboard(chatID, false)
			} else {
				markup = tgbotapi.NewRemoveKeyboard(false)
			}
		}
	}
	parts := split(text)
	for i, p := range parts {
		m := outgoing{text: p}
		if i == len(parts)-1 {
			m.markup = markup
		}
		if err := send(m); err != nil {
			return err
		}
	}
	switch {
	case r.AskPhone && opt.direct:
		b.setKeyboard(chatID, true)
	case removes:
		b.setKeyboard(chatID, false)
	}
	if r.Document != nil {
		return b.sendFile(ctx, chatID, r.Document, opt.paid, try)
	}
	return nil
}

// keyboardUp reports whether the chat shows the phone question's reply
// keyboard. It is kept in memory: after a restart the next phone question
// brings a new one.
func (b *Bot) keyboardUp(chatID int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.keyboards[chatID]
}

func (b *Bot) setKeyboard(chatID int64, up bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if up {
		b.keyboards[chatID] = true
	} else {
		delete(b.keyboards, chatID)
	}
}

// payloads are the callback data of r's choices that fit Telegram's
// limit; a longer payload is a bug in the flows and is logged.
func (b *Bot) payloads(r flows.Reply) []flows.Choice {
	var out []flows.Choice
	for _, c := range r.Choices {
		if c.Payload == "" || len(c.Payload) > maxCallback {
			b.log.Error("button left out: its payload does not fit Telegram's 64 bytes", "payload_bytes", len(c.Payload), "label", c.Label)
			continue
		}
		out = append(out, c)
	}
	return out
}

// inline is r's inline keyboard: choices as callback buttons, links as
// URL buttons; nil when there are none.
func (b *Bot) inline(r flows.Reply) *tgbotapi.InlineKeyboardMarkup {
	choices := b.payloads(r)
	if len(choices) == 0 && len(r.Links) == 0 {
		return nil
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, row := range layout(choices) {
		var out []tgbotapi.InlineKeyboardButton
		for _, c := range row {
			out = append(out, tgbotapi.NewInlineKeyboardButtonData(c.Label, c.Payload))
		}
		rows = append(rows, out)
	}
	for _, l := range r.Links {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL(l.Label, l.URL)))
	}
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// phoneKeyboard is the phone question's reply keyboard: the share button,
// then the choices as text buttons (the flows take a typed label as the
// choice). It hides itself once used.
func (b *Bot) phoneKeyboard(r flows.Reply) tgbotapi.ReplyKeyboardMarkup {
	label := r.ShareLabel
	if label == "" {
		label = "📱"
	}
	rows := [][]tgbotapi.KeyboardButton{{tgbotapi.NewKeyboardButtonContact(label)}}
	for _, row := range layout(r.Choices) {
		var out []tgbotapi.KeyboardButton
		for _, c := range row {
			out = append(out, tgbotapi.NewKeyboardButton(c.Label))
		}
		rows = append(rows, out)
	}
	kb := tgbotapi.NewReplyKeyboard(rows...)
	kb.OneTimeKeyboard = true
	return kb
}

// layout puts short buttons (sizes, Back and Cancel) up to three in a
// row and each longer one on a row of its own.
func layout(choices []flows.Choice) [][]flows.Choice {
	const short, perRow = 12, 3
	var rows [][]flows.Choice
	var row []flows.Choice
	for _, c := range choices {
		if utf8.RuneCountInString(c.Label) > short {
			if row != nil {
				rows = append(rows, row)
				row = nil
			}
			rows = append(rows, []flows.Choice{c})
			continue
		}
		row = append(row, c)
		if len(row) == perRow {
			rows = append(rows, row)
			row = nil
		}
	}
	if row != nil {
		rows = append(rows, row)
	}
	return rows
}

// split cuts text into parts Telegram takes, at line breaks where it can;
// each part is a piece of the text as it was.
func split(text string) []string {
	var parts []string
	for utf16Len(text) > maxText {
		cut, units := 0, 0
		lastBreak := -1
		for i, r := range text {
			n := 1
			if r >= 0x10000 {
				n = 2
			}
			if units+n > maxText {
				break
			}
			units += n
			cut = i + utf8.RuneLen(r)
			if r == '\n' {
				lastBreak = i
			}
		}
		if lastBreak > 0 {
			parts = append(parts, text[:lastBreak])
			text = text[lastBreak+1:]
			continue
		}
		parts = append(parts, text[:cut])
		text = text[cut:]
	}
	return append(parts, text)
}

// utf16Len is a text's length as Telegram counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// sameQuestion reports whether a message whose button was pressed asks
// the question the user is on now: the same buttons, and the question's
// text at its end (notes may stand above it). Otherwise the press is
// stale.
func (b *Bot) sameQuestion(m *tgbotapi.Message, cur flows.Reply) bool {
	if cur.AskPhone || m.ReplyMarkup == nil {
		return false
	}
	var pressed []string
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, btn := range row {
			if btn.CallbackData != nil {
				pressed = append(pressed, *btn.CallbackData)
			}
		}
	}
	want := b.payloads(cur)
	if len(pressed) != len(want) {
		return false
	}
	for i, c := range want {
		if pressed[i] != c.Payload {
			return false
		}
	}
	got, q := strings.TrimSpace(m.Text), strings.TrimSpace(cur.Text)
	return got != "" && q != "" && (strings.HasSuffix(got, q) || strings.HasSuffix(q, got))
}

// pressedLabel is the label of the button with data on m.
func pressedLabel(m *tgbotapi.Message, data string) string {
	if m.ReplyMarkup == nil {
		return ""
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, btn := range row {
			if btn.CallbackData != nil && *btn.CallbackData == data {
				return btn.Text
			}
		}
	}
	return ""
}
