package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// t.me/<bot>?start=<payload> arrives as "/start <payload>" and opens the
// right place, for people the bot knows and for first contacts, also
// before a language is chosen.
func TestDeepLinks(t *testing.T) {
	e := newEnv(t)
	e.start()
	tests := []struct {
		payload string
		want    string
		step    domain.Step
	}{
		{"funstarts", e.part("en", "fun_info"), flows.StepFun},
		{"register", e.part("en", "reg_name_ask"), flows.StepRegName},
		{"support", e.part("en", "support_intro"), flows.StepSupport},
		{"info", "Run for Autism", flows.StepInfo},
		{"poster2027", e.part("en", "menu_ask"), flows.StepMenu},
	}
	for i, tt := range tests {
		t.Run(tt.payload, func(t *testing.T) {
			first := e.person(int64(4001+i), "en")
			first.say("/start " + tt.payload)
			first.expect(tt.want)
			if got := e.user(first.key()).Session.Step; got != tt.step {
				t.Errorf("first contact at %q, want %q", got, tt.step)
			}
			known := e.person(int64(4101+i), "en")
			known.say("/menu")
			known.expect(e.part("en", "menu_ask"))
			known.say("/start " + tt.payload)
			known.expect(tt.want)
			// Without a language the link waits for the choice.
			nolang := e.person(int64(4201+i), "")
			nolang.say("/start " + tt.payload)
			nolang.expect(e.T("en", "lang_ask"))
			nolang.tap("English")
			nolang.expect(tt.want)
			if got := e.user(nolang.key()).Session.Step; got != tt.step {
				t.Errorf("after choosing a language at %q, want %q", got, tt.step)
			}
		})
	}
}

// Stickers are not text, and a photo is a file, which the menu does not
// take; group chats are not served, and their updates do not hold up
// the offset.
func TestPhotosStickersAndGroups(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(5001, "en")
	p.say("/start")
	p.expect(e.part("en", "menu_ask"))
	e.tg.Photo(p.u, "my bib")
	p.expect(e.T("en", "input_file_unexpected"))
	e.tg.Sticker(p.u)
	p.expect(e.T("en", "input_not_text"))
	group := e.tg.GroupText(p.u, -100500, "/start")
	after := p.say("/menu")
	p.expect(e.part("en", "menu_ask"))
	e.tg.Wait(t, "the group update confirmed", func() bool { return len(e.tg.Unconfirmed()) == 0 })
	if msgs := e.tg.BotMessages(-100500); len(msgs) != 0 {
		t.Errorf("the bot wrote to a group: %+v", msgs)
	}
	e.stop()
	e.open()
	defer e.store.Close()
	if got, _ := e.store.Offset(t.Context(), telegram.Channel); got != int64(after+1) || group > after {
		t.Errorf("saved offset %d, want %d", got, after+1)
	}
}

// A 429 is waited out as long as retry_after says, then the message goes.
func TestRetryAfter(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.tg.Fail("sendMessage", 1, tgfake.Failure{Code: 429, RetryAfter: 1})
	p := e.person(6001, "en")
	p.say("/start")
	p.expect(e.part("en", "menu_ask"))
	calls := e.tg.Calls("sendMessage")
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("sendMessage calls: %+v", calls)
	}
	if gap := calls[1].At.Sub(calls[0].At); gap < time.Second {
		t.Errorf("retried after %s, before retry_after (1s)", gap)
	}
}

// 5xx answers, a proxy's HTML page and a dropped connection are retried
// with backoff; the user gets the message once.
func TestServerAndNetworkErrorsAreRetried(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.tg.Fail("sendMessage", 1, tgfake.Failure{Code: 500})
	e.tg.Fail("sendMessage", 1, tgfake.Failure{Code: 502, NotJSON: true})
	e.tg.Fail("sendMessage", 1, tgfake.Failure{Drop: true})
	e.tg.Fail("answerCallbackQuery", 1, tgfake.Failure{Code: 500})
	e.tg.Fail("editMessageText", 1, tgfake.Failure{Drop: true})
	p := e.person(6101, "en")
	p.say("/start")
	p.expect(e.part("en", "menu_ask"))
	if calls := e.tg.Calls("sendMessage"); len(calls) != 4 {
		t.Errorf("sendMessage tried %d times, want 4", len(calls))
	}
	id, cb := p.tap("Event info")
	p.expect("Run for Autism")
	// The answer to the press and the edit go out beside the reply.
	e.tg.Wait(t, "the press answered after a 500", func() bool { ok, _ := e.tg.Answered(cb.ID); return ok })
	e.tg.Wait(t, "the menu edited after a dropped connection", func() bool {
		return strings.Contains(p.message(id).Text, "✓ Event info")
	})
}

// 403: the user blocked the bot. It stops writing to them, marks them
// unreachable, and writes again once they do.
func TestBlockedUserIsMarkedUnreachable(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(6201, "en")
	p.say("/start")
	menu := p.expect(e.part("en", "menu_ask"))[0]
	e.tg.Block(p.u.ID)
	before := len(e.tg.Calls("sendMessage"))
	e.tg.Press(p.u, menu.ID, "Event info")
	e.tg.Wait(t, "the user marked unreachable", func() bool { return e.user(p.key()).Unreachable })
	// The edit and the reply go out at once: each is refused once and
	// neither is tried again.
	if calls := e.tg.Calls("sendMessage")[before:]; len(calls) != 1 || calls[0].Status != 403 {
		t.Errorf("messages tried after the block %+v, want one refused once", calls)
	}
	if calls := e.tg.Calls("editMessageText"); len(calls) != 1 || calls[0].Status != 403 {
		t.Errorf("edits %+v, want one refused once", calls)
	}
	if !strings.Contains(e.logs.String(), "the user blocked the bot") {
		t.Errorf("not logged:\n%s", e.logs)
	}
	e.tg.Unblock(p.u.ID)
	p.say("/menu")
	p.expect(e.part("en", "menu_ask"))
	if e.user(p.key()).Unreachable {
		t.Error("still unreachable after writing again")
	}
}

// A 400 for one message is logged with the method and the reason, and
// the bot goes on.
func TestRefusedMessageIsLoggedAndBotGoesOn(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.tg.Fail("sendMessage", 1, tgfake.Failure{Code: 400, Description: "Bad Request: can't parse entities"})
	p := e.person(6301, "en")
	p.say("/start")
	e.tg.Wait(t, "the refusal logged", func() bool { return strings.Contains(e.logs.String(), "telegram refused a message") })
	logs := e.logs.String()
	if !strings.Contains(logs, "method=sendMessage") || !strings.Contains(logs, `reason="Bad Request: can't parse entities"`) {
		t.Errorf("log lacks the method and the reason:\n%s", logs)
	}
	if n := len(e.tg.Calls("sendMessage")); n != 1 {
		t.Errorf("a refused message was tried %d times", n)
	}
	p.say("/menu")
	p.expect(e.part("en", "menu_ask"))
	other := e.person(6302, "ru")
	other.say("/start")
	other.expect(e.part("ru", "menu_ask"))
}

// Send is bot.Sender for the outbox: one try, errors mapped to the
// contract.
func TestSendMapsErrors(t *testing.T) {
	e := newEnv(t)
	e.edit = func(c *telegram.Config) { c.Attempts = 1 }
	e.start()
	p := e.person(7001, "en")
	p.say("/start")
	p.expect(e.part("en", "menu_ask"))
	ctx := context.Background()
	uid := fmt.Sprint(p.u.ID)
	push := dialog.Reply{Text: "Your payment arrived.", Choices: []dialog.Choice{{Label: "My registrations", Payload: "m:my"}},
		Links: []dialog.Link{{Label: "Rules", URL: "https://example.org/rules"}}}
	if err := e.bot.Send(ctx, uid, push); err != nil {
		t.Fatal(err)
	}
	m := p.expect("Your payment arrived.")[0]
	if len(m.Inline) != 2 || m.Inline[0][0].CallbackData != "m:my" || m.Inline[1][0].URL != "https://example.org/rules" {
		t.Errorf("push keyboard %+v", m.Inline)
	}
	tests := []struct {
		name  string
		fail  tgfake.Failure
		check func(error) bool
	}{
		{"403", tgfake.Failure{Code: 403}, func(err error) bool { return errors.Is(err, bot.ErrUnreachable) }},
		{"400", tgfake.Failure{Code: 400}, func(err error) bool { return errors.Is(err, bot.ErrRejected) }},
		{"429", tgfake.Failure{Code: 429, RetryAfter: 7}, func(err error) bool {
			var ra *bot.RetryAfterError
			return errors.As(err, &ra) && ra.Wait == 7*time.Second
		}},
		{"500", tgfake.Failure{Code: 500}, plain},
		{"html 502", tgfake.Failure{Code: 502, NotJSON: true}, plain},
		{"network", tgfake.Failure{Drop: true}, plain},
	}
	for _, tt := range tests {
		e.tg.Fail("sendMessage", 1, tt.fail)
		err := e.bot.Send(ctx, uid, dialog.Reply{Text: "reminder"})
		if err == nil || !tt.check(err) {
			t.Errorf("%s: Send returned %v", tt.name, err)
		}
	}
	if err := e.bot.Send(ctx, "not-a-number", dialog.Reply{Text: "x"}); !errors.Is(err, bot.ErrRejected) {
		t.Errorf("bad user id: %v", err)
	}
	p.quiet()
}

func plain(err error) bool {
	var ra *bot.RetryAfterError
	return !errors.Is(err, bot.ErrUnreachable) && !errors.Is(err, bot.ErrRejected) && !errors.As(err, &ra)
}

// Callback data never exceeds 64 bytes: a longer payload is left out and
// logged; long texts go in parts, the buttons on the last.
func TestLongPayloadsAndTexts(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(7101, "en")
	p.say("/start")
	p.expect(e.part("en", "menu_ask"))
	long := strings.Repeat("x", 65)
	text := strings.Repeat("Line of the results table, 10 km, 00:45:12\n", 200)
	err := e.bot.Send(context.Background(), fmt.Sprint(p.u.ID), dialog.Reply{Text: text, Choices: []dialog.Choice{
		{Label: "Too long", Payload: long}, {Label: "Menu", Payload: "menu"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	p.e.tg.Wait(t, "the last part", func() bool {
		msgs := e.tg.BotMessages(p.u.ID)
		return msgs[len(msgs)-1].Inline != nil
	})
	parts := e.tg.BotMessages(p.u.ID)[p.seen:]
	if len(parts) != 3 {
		t.Fatalf("%d parts, want 3", len(parts))
	}
	var joined []string
	for i, m := range parts {
		joined = append(joined, m.Text)
		if (m.Inline != nil) != (i == len(parts)-1) {
			t.Errorf("part %d buttons %v", i, m.Buttons())
		}
	}
	if strings.Join(joined, "\n") != text {
		t.Error("the parts do not make up the text")
	}
	if got := parts[2].Buttons(); len(got) != 1 || got[0] != "Menu" {
		t.Errorf("buttons %v, want only Menu", got)
	}
	if !strings.Contains(e.logs.String(), "payload_bytes=65") {
		t.Errorf("the long payload is not logged:\n%s", e.logs)
	}
}
