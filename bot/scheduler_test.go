package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// TestSchedulerAfterDowntime starts the scheduler on race morning after
// the bot was down since before the kit reminder: what is still useful
// is queued, what is not is skipped, and the log says which and why.
func TestSchedulerAfterDowntime(t *testing.T) {
	e := newOutboxEnv(t)
	ev := e.flows.Event()
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		if err := tx.PutUser(&domain.User{Key: "test:a", Channel: "test", ID: "a", Lang: "en"}); err != nil {
			return err
		}
		return tx.AddRegistration(&domain.Registration{Code: "RFA-AAA1", UserKey: "test:a", Name: "Oliver Smith",
			Distance: "5k", Mode: event.InPerson, Status: domain.StatusPaid, Fee: 8990}, 100)
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 4, 3, 8, 0, 0, 0, ev.Location())
	var logs bytes.Buffer
	s := &bot.Scheduler{Reminders: e.flows, Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: func() time.Time { return now }}
	s.Tick(context.Background())
	out := logs.String()
	for _, want := range []string{
		`msg="reminder skipped: no longer useful" reminder=kit`,
		`msg="reminder sent: missed while the bot was down, still useful" reminder=eve`,
		`msg="reminder sent: missed while the bot was down, still useful" reminder=morning`,
		`queued=1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	var keys []string
	for _, p := range e.pushes("a") {
		keys = append(keys, p.Key)
	}
	if strings.Join(keys, " ") != "reminder:eve:RFA-AAA1 reminder:morning:RFA-AAA1" {
		t.Errorf("queued %v, want eve and morning only", keys)
	}

	// The next pass decides nothing new and says nothing.
	logs.Reset()
	now = now.Add(time.Minute)
	s.Tick(context.Background())
	if logs.Len() != 0 {
		t.Errorf("second pass logged:\n%s", logs.String())
	}
}
