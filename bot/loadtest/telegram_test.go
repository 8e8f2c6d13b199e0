//go:build loadtest

package loadtest_test

import (
	"strconv"
	"testing"

	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/telegram/tgfake"
)

func init() { targets["telegram"] = telegramTarget }

// telegramTarget is the bot/telegram Sender, as serve runs it, against
// the fake Bot API server answering sendMessage after -latency; it
// counts the sendMessage calls the server accepted per chat, and those
// with allow_paid_broadcast; it logs the calls refused and the
// connections the adapter opened.
func telegramTarget(tb testing.TB, b bench) target {
	tg := tgfake.New(tb)
	tg.SetLatency("sendMessage", *latency)
	for _, id := range b.ids {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			tb.Fatalf("user id %q is not a Telegram id", id)
		}
		tg.AddChat(tgfake.User{ID: n, FirstName: "Runner"})
	}
	bot, err := telegram.New(tb.Context(), telegram.Config{
		Token: tg.Token, Endpoint: tg.Endpoint(),
		Engine: b.engine, Reach: b.conv, Offsets: b.store, Catalog: b.cat, Log: b.log,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return target{sender: bot, received: func() (map[string]int, int) {
		got, paid, refused := map[string]int{}, 0, 0
		for _, c := range tg.Calls("sendMessage") {
			if c.Status != 200 {
				refused++
				continue
			}
			got[c.Params.Get("chat_id")]++
			if c.Params.Get("allow_paid_broadcast") == "true" {
				paid++
			}
		}
		tb.Logf("tgfake: %d sendMessage calls refused, %d connections opened", refused, tg.Connections())
		return got, paid
	}}
}
