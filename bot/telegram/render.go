package telegram

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
)

const (
	// maxText is the longest message text, in UTF-16 code units.
	maxText = 4096
	// maxCallback is the longest callback data, in bytes.
	maxCallback = 64
	// done marks the answer chosen on a message whose buttons are gone.
	done = "✓"
)

// Send sends a push (bot.Sender), one request per message part, without
// retrying: the outbox does. It leaves the reply keyboard alone.
func (b *Bot) Send(ctx context.Context, userID string, r dialog.Reply) error {
	return b.push(ctx, userID, r, false)
}

// SendPaid sends a push as a paid broadcast (bot.PaidSender): like Send,
// with allow_paid_broadcast on every part, which lets the bot send up to
// 1,000 messages a second for a fee in Telegram Stars.
func (b *Bot) SendPaid(ctx context.Context, userID string, r dialog.Reply) error {
	return b.push(ctx, userID, r, true)
}

func (b *Bot) push(ctx context.Context, userID string, r dialog.Reply, paid bool) error {
	chatID, err := strconv.ParseInt(userID, 10, 64)
	if err != nil {
		return &apiError{method: "sendMessage", reason: "user id " + strconv.Quote(userID) + " is not a Telegram id", cause: bot.ErrRejected}
	}
	return b.sendReply(ctx, chatID, r, sendOptions{paid: paid}, once)
}

// sendOptions say how a reply goes: paid (a paid broadcast) or, with
// keyboard set, direct: the answer to the user's message, not a push.
// keyboard is then whether the chat shows the phone question's reply
// keyboard; sendReply updates it.
type sendOptions struct {
	paid     bool
	keyboard *bool
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

// removeKeyboard takes the reply keyboard away.
var removeKeyboard = tgbotapi.NewRemoveKeyboard(false)

// sendReply sends one reply: its text in parts of at most maxText, the
// last part with the buttons, and its Document, if any, as a message of
// its own (sendFile): after a caption, before a question, so the
// buttons stay at the bottom of the chat.
//
// A direct reply also manages the phone question's reply keyboard, the
// only way to offer the share-contact button. Telegram allows one
// keyboard per message, so a phone question with choices goes as two
// messages: the question with its choices as inline buttons, then
// ShareHint with the share button on a reply keyboard. The keyboard
// stays on screen until a message takes it away, and only a message
// without inline buttons can (a message with a reply keyboard or its
// removal can never be edited either). It goes with the first later
// message that can carry the removal: a reply without buttons, the
// file before a question, or the notes above a question, sent as a
// message of their own; until then it waits, in the session, across
// restarts. Holding only the share button, it does no harm meanwhile.
func (b *Bot) sendReply(ctx context.Context, chatID int64, r dialog.Reply, opt sendOptions, try func(context.Context, func() error) error) error {
	send := func(text string, markup any) error {
		m := outgoing{chatID: chatID, text: text, markup: markup, paid: opt.paid}
		params, err := m.params()
		if err != nil {
			return &apiError{method: "sendMessage", reason: "encode the keyboard: " + err.Error(), cause: bot.ErrRejected}
		}
		return try(ctx, func() error {
			_, err := b.call(ctx, "sendMessage", params)
			return err
		})
	}
	sendText := func(text string, markup any) error {
		parts := split(text)
		for i, p := range parts {
			var mk any
			if i == len(parts)-1 {
				mk = markup
			}
			if err := send(p, mk); err != nil {
				return err
			}
		}
		return nil
	}
	kb := b.inline(r)
	direct := opt.keyboard != nil
	phone := r.AskPhone && direct
	// removing is set while the reply keyboard is to go away; the first
	// message that can take it does.
	removing := direct && *opt.keyboard && !phone
	removed := false
	removal := func() any {
		if !removing {
			return nil
		}
		removing, removed = false, true
		return removeKeyboard
	}
	question := kb != nil || phone
	if r.Document != nil && question {
		if err := b.sendFile(ctx, chatID, r.Document, opt.paid, removal(), try); err != nil {
			return err
		}
	}
	text := r.Text
	switch {
	case phone && kb != nil:
		if err := sendText(text, kb); err != nil {
			return err
		}
		hint := r.ShareHint
		if hint == "" {
			hint = b.shareLabel(r)
		}
		if err := send(hint, b.phoneKeyboard(r)); err != nil {
			return err
		}
		*opt.keyboard = true
	case phone:
		if err := sendText(text, b.phoneKeyboard(r)); err != nil {
			return err
		}
		*opt.keyboard = true
	case kb == nil:
		if err := sendText(text, removal()); err != nil {
			return err
		}
	default:
		if cut := strings.LastIndex(text, "\n\n"); removing && cut > 0 && strings.TrimSpace(text[:cut]) != "" && strings.TrimSpace(text[cut:]) != "" {
			if err := sendText(text[:cut], removal()); err != nil {
				return err
			}
			text = text[cut+2:]
		}
		if err := sendText(text, kb); err != nil {
			return err
		}
	}
	if r.Document != nil && !question {
		if err := b.sendFile(ctx, chatID, r.Document, opt.paid, nil, try); err != nil {
			return err
		}
	}
	if removed {
		*opt.keyboard = false
	}
	return nil
}

// setKeyboard saves whether the user's chat shows the phone keyboard.
func (b *Bot) setKeyboard(uid string, up bool) {
	if err := b.cfg.Keyboards.SetPhoneKeyboard(context.Background(), Channel, uid, up); err != nil {
		b.log.Error("could not save whether the phone keyboard is up", "user", uid, "err", err)
	}
}

// payloads are the callback data of r's choices that fit Telegram's
// limit; a longer payload is a bug in the flows and is logged.
func (b *Bot) payloads(r dialog.Reply) []dialog.Choice {
	var out []dialog.Choice
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
func (b *Bot) inline(r dialog.Reply) *tgbotapi.InlineKeyboardMarkup {
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

// shareLabel is the share-contact button's label.
func (b *Bot) shareLabel(r dialog.Reply) string {
	if r.ShareLabel == "" {
		return "📱"
	}
	return r.ShareLabel
}

// phoneKeyboard is the phone question's reply keyboard: the share
// button alone. It hides itself once used.
func (b *Bot) phoneKeyboard(r dialog.Reply) tgbotapi.ReplyKeyboardMarkup {
	kb := tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(b.shareLabel(r))))
	kb.OneTimeKeyboard = true
	return kb
}

// layout puts the buttons in rows, in order. A row holds labels of one
// width only, so a short one never shares a row with a longer one: up to
// four tiny ones (sizes: "S", "3XL"), up to three short ones ("« Back",
// "Cancel"), and each longer one on a row of its own, where a phone
// shows about 30 characters.
func layout(choices []dialog.Choice) [][]dialog.Choice {
	var rows [][]dialog.Choice
	var row []dialog.Choice
	rowWidth := 0
	for _, c := range choices {
		w, perRow := width(c.Label)
		if row != nil && (w != rowWidth || len(row) == perRow) {
			rows = append(rows, row)
			row = nil
		}
		row, rowWidth = append(row, c), w
	}
	if row != nil {
		rows = append(rows, row)
	}
	return rows
}

// width is a label's width class (0 tiny, 1 short, 2 long) and how many
// buttons of it fit in a row.
func width(label string) (class, perRow int) {
	switch n := utf8.RuneCountInString(label); {
	case n <= 3:
		return 0, 4
	case n <= 10:
		return 1, 3
	}
	return 2, 1
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
