package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/runforautism/rfabot/flows"
)

// Reminders queues the event's due reminders; *flows.Flows is one.
type Reminders interface {
	QueueReminders(ctx context.Context, now time.Time) ([]flows.ReminderRun, error)
}

// Scheduler queues reminders when they come due: at start-up, which
// catches up on those that came due while the bot was down (sent if
// still useful, skipped if not), then every Every. It logs each
// reminder's decision once per run of the bot, and later passes that
// queue a reminder for new registrations.
type Scheduler struct {
	Reminders Reminders
	Log       *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Every is the time between passes; 0 means a minute.
	Every time.Duration

	decided map[string]bool
}

// Run passes until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	every := s.Every
	if every <= 0 {
		every = time.Minute
	}
	for {
		s.Tick(ctx)
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// Tick makes one pass and logs what it decided; a storage error is
// logged and the next pass tries again.
func (s *Scheduler) Tick(ctx context.Context) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	runs, err := s.Reminders.QueueReminders(ctx, now)
	if err != nil {
		s.Log.Error("queue reminders", "err", err)
	}
	if s.decided == nil {
		s.decided = map[string]bool{}
	}
	every := max(s.Every, time.Minute)
	for _, r := range runs {
		first := !s.decided[r.ID]
		s.decided[r.ID] = true
		attrs := []any{"reminder", r.ID, "due", r.Due, "useful_until", r.Useful}
		switch {
		case first && !r.Send:
			s.Log.Info("reminder skipped: no longer useful", attrs...)
		case first:
			why := "due now"
			if late := now.Sub(r.Due); late > 2*every {
				why = "missed while the bot was down, still useful"
				attrs = append(attrs, "late", late.Round(time.Second))
			}
			s.Log.Info("reminder sent: "+why, append(attrs, "queued", r.Queued, "reminders_off", r.Off)...)
		case r.Queued > 0:
			s.Log.Info("reminder sent to new registrations", "reminder", r.ID, "queued", r.Queued)
		}
	}
}
