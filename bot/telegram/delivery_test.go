package telegram_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/locales"
)

// The outbox on Telegram: the real worker sends pushes through the real
// adapter to the fake Bot API, with the limits serve gives it.

// telegramLimits are serve's limits for Telegram (main.deliveryOptions)
// at the default TELEGRAM_RATE.
var telegramLimits = bot.WorkerOptions{Rate: 28, PerChat: time.Second, Senders: 8}

// crowd is an organizer and n people who pressed Start, in the three
// languages.
func (e *env) crowd(admin int64, n int) (*person, []*person) {
	e.t.Helper()
	org := e.person(admin, "en")
	org.say("/start")
	org.expect(e.part("en", "menu_ask"))
	var people []*person
	for i := range n {
		lang := locales.Languages[i%len(locales.Languages)]
		p := e.person(admin+1+int64(i), lang)
		p.say("/start")
		p.expect(e.part(lang, "menu_ask"))
		people = append(people, p)
	}
	return org, people
}

// broadcast is the organizer's /broadcast to everyone who wrote to the
// bot, one text for all, through the buttons; it checks that want
// people are in it.
func (e *env) broadcast(org *person, text string, want int) {
	e.t.Helper()
	org.say("/broadcast")
	org.expect(e.part("en", "bc_audience_ask"))
	org.tap(e.T("en", "audience_all"))
	org.expect(e.part("en", "bc_mode_ask"))
	org.tap(e.T("en", "bc_mode_one"))
	org.expect(e.part("en", "bc_text_ask_one"))
	org.say(text)
	org.expect(e.part("en", "bc_preview"))
	org.tap(e.T("en", "bc_send"))
	org.expect(fmt.Sprintf("is queued for %d people", want))
}

// drain waits until every push is sent or given up.
func (e *env) drain(within time.Duration) {
	e.t.Helper()
	deadline := time.Now().Add(within)
	for e.pending() > 0 {
		if time.Now().After(deadline) {
			e.t.Fatalf("%d pushes still pending after %v", e.pending(), within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// received counts the messages with text in the chat.
func (e *env) received(p *person, text string) int {
	n := 0
	for _, m := range e.tg.BotMessages(p.u.ID) {
		if m.Text == text {
			n++
		}
	}
	return n
}

func (e *env) pushesTo(p *person) []domain.Push {
	e.t.Helper()
	ps, err := e.store.PushesTo(p.key())
	if err != nil {
		e.t.Fatal(err)
	}
	return ps
}

// Telegram answers 429 with retry_after=2 for a while in the middle of
// a broadcast: during each wait no sendMessage reaches it, and every
// recipient gets the broadcast exactly once.
//
// The worker's limiter lets one send start every 1/28 s (less after a
// 429), far longer than the fake's round trip, so no other send is on
// its way when a 429 comes back: any sendMessage inside a wait is the
// worker not waiting.
func TestBroadcastWaitsOutFloodControl(t *testing.T) {
	e := newEnv(t)
	e.admins = []string{"telegram:8001"}
	e.start()
	org, people := e.crowd(8001, 12)
	everyone := append([]*person{org}, people...)
	const text = "The start has moved to the Expo gates."
	e.broadcast(org, text, len(everyone))
	e.deliver(telegramLimits)
	e.tg.Wait(t, "the broadcast under way", func() bool {
		n := 0
		for _, c := range e.tg.Calls("sendMessage") {
			if c.Params.Get("text") == text {
				n++
			}
		}
		return n >= 5
	})
	e.tg.FailFor("sendMessage", 2500*time.Millisecond, tgfake.Failure{Code: 429, RetryAfter: 2})
	e.drain(30 * time.Second)

	calls := e.tg.Calls("sendMessage")
	var limited []tgfake.Call
	for _, c := range calls {
		if c.Status == 429 {
			limited = append(limited, c)
		}
	}
	if len(limited) < 2 {
		t.Fatalf("Telegram answered 429 %d times, want a while of them (at least twice)", len(limited))
	}
	for _, l := range limited {
		for _, c := range calls {
			if c.At.After(l.At) && c.At.Before(l.At.Add(2*time.Second)) {
				t.Errorf("sendMessage to %d %v after the 429 at %s, within its retry_after of 2s",
					c.ChatID(), c.At.Sub(l.At), l.At.Format("15:04:05.000"))
			}
		}
	}
	for _, p := range everyone {
		if n := e.received(p, text); n != 1 {
			t.Errorf("chat %d got the broadcast %d times, want once", p.u.ID, n)
		}
	}
	ps, err := e.store.PushesByKey("broadcast:1:")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Status != domain.PushSent {
			t.Errorf("push %s: %q", p.Key, p.Status)
		}
	}
	t.Logf("%d sendMessage calls, %d answered 429; %d recipients got the broadcast once each", len(calls), len(limited), len(everyone))
}

// During a broadcast one recipient has blocked the bot (403): they are
// marked unreachable and the others get it; a 500 and a dropped
// connection are retried, and their recipients get it once.
func TestBroadcastBlockedUserAndServerErrors(t *testing.T) {
	e := newEnv(t)
	e.admins = []string{"telegram:8101"}
	e.start()
	org, people := e.crowd(8101, 8)
	everyone := append([]*person{org}, people...)
	blocker := people[3]
	const text = "Bib pickup is open until 20:00."
	e.broadcast(org, text, len(everyone))
	e.tg.Block(blocker.u.ID)
	e.tg.Fail("sendMessage", 1, tgfake.Failure{Code: 500})
	e.tg.Fail("sendMessage", 1, tgfake.Failure{Drop: true})
	before := len(e.tg.Calls("sendMessage"))
	e.deliver(telegramLimits)
	e.drain(30 * time.Second)

	calls := e.tg.Calls("sendMessage")[before:]
	retried := map[int64]bool{calls[0].ChatID(): true, calls[1].ChatID(): true}
	if calls[0].Status != 500 || calls[1].Status != 0 {
		t.Fatalf("first calls %d %d, want the 500 and the dropped connection", calls[0].Status, calls[1].Status)
	}
	refused := 0
	for _, c := range calls {
		if c.ChatID() == blocker.u.ID && c.Status == 403 {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("%d sends refused with 403 to the user who blocked the bot, want 1", refused)
	}
	if !e.user(blocker.key()).Unreachable {
		t.Error("the user who blocked the bot is not marked unreachable")
	}
	for _, p := range everyone {
		ps := e.pushesTo(p)
		if len(ps) != 1 {
			t.Fatalf("chat %d: %d pushes, want the broadcast", p.u.ID, len(ps))
		}
		got, push := e.received(p, text), ps[0]
		switch {
		case p == blocker:
			if got != 0 || push.Status != domain.PushUnreachable {
				t.Errorf("blocked chat: %d messages, push %q", got, push.Status)
			}
		case retried[p.u.ID]:
			if got != 1 || push.Status != domain.PushSent || push.Attempts != 2 {
				t.Errorf("chat %d after a failure: %d messages, push %q after %d attempts; want one, sent on the 2nd", p.u.ID, got, push.Status, push.Attempts)
			}
		default:
			if got != 1 || push.Status != domain.PushSent || push.Attempts != 1 {
				t.Errorf("chat %d: %d messages, push %q after %d attempts", p.u.ID, got, push.Status, push.Attempts)
			}
		}
	}
}

// With paid broadcasts on, broadcasts and results go with
// allow_paid_broadcast (every part of a long one); reminders, payment
// confirmations and replies never do.
func TestPaidBroadcastsCarryTheFlag(t *testing.T) {
	e := newEnv(t)
	e.admins = []string{"telegram:8201"}
	e.start()
	org, people := e.crowd(8201, 3)
	const text = "Race packs from Friday."
	e.broadcast(org, text, 4)
	results := strings.Repeat("Result: 10 km, 00:45:12, 17th of 700\n", 150)
	pushes := []domain.Push{
		{Key: "results:1:" + people[0].key(), UserKey: people[0].key(), Kind: "results", Reply: dialog.Reply{Text: results}},
		{Key: "reminder:kit:RFA-1", UserKey: people[1].key(), Kind: "reminder", Reply: dialog.Reply{Text: "Reminder: race packs from Friday."}},
		{Key: "paid:RFA-2", UserKey: people[2].key(), Kind: "payment", Reply: dialog.Reply{Text: "Payment received, your bib is 1042."}},
	}
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		for i := range pushes {
			if _, err := tx.Enqueue(&pushes[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	opt := telegramLimits
	opt.PaidRate, opt.Senders = 1000, 100
	e.deliver(opt)
	e.drain(10 * time.Second)

	paid := 0
	for _, p := range append([]*person{org}, people...) {
		for _, m := range e.tg.BotMessages(p.u.ID) {
			want := m.Text == text || strings.HasPrefix(m.Text, "Result: ")
			if m.Paid != want {
				t.Errorf("chat %d: %q paid=%v, want %v", p.u.ID, m.Text[:min(len(m.Text), 40)], m.Paid, want)
			}
			if m.Paid {
				paid++
			}
		}
	}
	// Four broadcasts and the results in two parts.
	if paid != 6 {
		t.Errorf("%d paid messages, want 6", paid)
	}
}

// Pushes sent at once (as a paid broadcast has them) reuse their
// connections to the Bot API instead of opening one per message (a TLS
// handshake each on Telegram's servers). A send may dial before the
// previous one has handed its connection back, so a few more than one
// per sender may open.
func TestConcurrentPushesReuseConnections(t *testing.T) {
	const users, senders = 600, 32
	e := newEnv(t)
	e.start()
	e.tg.SetLatency("sendMessage", 20*time.Millisecond)
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		for i := range users {
			id := int64(9001 + i)
			e.tg.AddChat(tgfake.User{ID: id, FirstName: "Runner"})
			u := domain.User{Key: fmt.Sprintf("telegram:%d", id), Channel: telegram.Channel, ID: fmt.Sprint(id), Lang: "en"}
			if err := tx.PutUser(&u); err != nil {
				return err
			}
			p := domain.Push{Key: "results:1:" + u.Key, UserKey: u.Key, Kind: "results", Reply: dialog.Reply{Text: "Your time: 00:45:12."}}
			if _, err := tx.Enqueue(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	before := e.tg.Connections()
	e.deliver(bot.WorkerOptions{Rate: 28, PaidRate: 1000, PerChat: time.Second, Senders: senders})
	e.drain(10 * time.Second)
	opened := e.tg.Connections() - before
	t.Logf("%d pushes, %d at once: %d new connections", users, senders, opened)
	if most := senders * 3 / 2; opened > most {
		t.Errorf("%d connections opened for %d pushes %d at once, want at most %d", opened, users, senders, most)
	}
}
