//go:build loadtest

package loadtest_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/telegram/tgfake"
)

func init() { targets["telegram"] = telegramTarget }

// telegramTarget is the bot/telegram Sender, as serve runs it, against
// the fake Bot API server answering sendMessage after -latency; it
// counts the sendMessage calls the server accepted per chat, and those
// with allow_paid_broadcast. It logs the pace Telegram would see (the
// rate and the busiest second), the calls refused and the connections
// the adapter opened.
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
		Engine: b.engine, Reach: b.conv, Keyboards: b.conv, Offsets: b.store, Catalog: b.cat, Log: b.log,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return target{sender: bot, received: func() (map[string]int, int) {
		got, paid, refused := map[string]int{}, 0, 0
		var at []time.Time
		for _, c := range tg.Calls("sendMessage") {
			if c.Status != 200 {
				refused++
				continue
			}
			got[c.Params.Get("chat_id")]++
			at = append(at, c.At)
			if c.Params.Get("allow_paid_broadcast") == "true" {
				paid++
			}
		}
		rate, peak := pace(at)
		tb.Logf("tgfake: %.2f messages/s, at most %d in one second; %d calls refused; %d connections opened",
			rate, peak, refused, tg.Connections())
		return got, paid
	}}
}

// pace is the rate of calls arriving at at (first to last) and the
// most that arrived within one second.
func pace(at []time.Time) (float64, int) {
	if len(at) < 2 {
		return 0, len(at)
	}
	slices.SortFunc(at, time.Time.Compare)
	peak, from := 0, 0
	for i, t := range at {
		for t.Sub(at[from]) >= time.Second {
			from++
		}
		peak = max(peak, i-from+1)
	}
	return float64(len(at)-1) / at[len(at)-1].Sub(at[0]).Seconds(), peak
}
