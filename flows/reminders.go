package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// payStopReminders is the "Stop reminders" button on reminders and
// broadcasts; it is taken from any step.
const payStopReminders = "rem:off"

// payReminders is the menu item that turns reminders off and on.
const payReminders = "m:rem"

// ReminderRun is what one pass did with one due reminder.
type ReminderRun struct {
	ID string
	// Due is when the reminder was to be sent; Useful until when it is
	// worth sending.
	Due, Useful time.Time
	// Send is false when the reminder is no longer useful: nothing was
	// queued.
	Send bool
	// Queued counts the pushes queued in this pass.
	Queued int
	// Off counts the registrations not sent to, their user having turned
	// reminders off or blocked the bot.
	Off int
}

// QueueReminders queues the event's reminders due at now. A reminder
// still useful at now (see event.Config.ReminderUseful) gets one push per
// registration in its audience, under the key
// "reminder:<id>:<registration code>", so a registration that joins the
// audience later (paid later) gets it on a later pass and none gets it
// twice; a payment reminder goes only to registrations made before it was
// due. A reminder no longer useful is skipped. Reminders not yet due are
// not listed.
func (f *Flows) QueueReminders(ctx context.Context, now time.Time) ([]ReminderRun, error) {
	var runs []ReminderRun
	var due []dueReminder
	for _, rem := range f.ev.Reminders {
		if rem.Due().After(now) {
			continue
		}
		run := ReminderRun{ID: rem.ID, Due: rem.Due(), Useful: f.ev.ReminderUseful(rem)}
		if now.Before(run.Useful) {
			run.Send = true
			match, ok := regAudience(rem.Audience)
			if !ok {
				return runs, fmt.Errorf("reminder %s: unknown audience %q", rem.ID, rem.Audience)
			}
			due = append(due, dueReminder{rem: rem, match: match, run: len(runs)})
		}
		runs = append(runs, run)
	}
	if err := f.queueReminders(ctx, due, now, runs); err != nil {
		return runs, fmt.Errorf("reminders: %w", err)
	}
	return runs, nil
}

// dueReminder is a reminder to queue in this pass, and its run.
type dueReminder struct {
	rem   event.Reminder
	match func(domain.Registration) bool
	run   int
}

// reminderTodo is one push to queue: a reminder for a registration.
type reminderTodo struct {
	due  int
	code string
}

// remindersPerWrite is how many reminder pushes one transaction queues.
const remindersPerWrite = 500

// queueReminders finds the registrations still to get each due
// reminder in one read of every registration, then queues their pushes
// in writes of remindersPerWrite, so a pass with nothing new writes
// nothing, and the first pass of a reminder to 100,000 people neither
// holds them all in memory nor holds other writes up while it queues
// (docs/PERFORMANCE.md). A registration that left the audience meanwhile
// is not reminded.
func (f *Flows) queueReminders(ctx context.Context, due []dueReminder, now time.Time, runs []ReminderRun) error {
	if len(due) == 0 {
		return nil
	}
	var todo []reminderTodo
	err := f.store.View(ctx, func(tx domain.Tx) error {
		return tx.EachRegistration(func(r domain.Registration) error {
			var u *domain.User
			for i, d := range due {
				if !d.wants(r) {
					continue
				}
				queued, err := tx.Queued(reminderKey(d.rem, r))
				if err != nil {
					return err
				}
				if queued {
					continue
				}
				if u == nil {
					found, err := tx.User(r.UserKey)
					if errors.Is(err, domain.ErrNotFound) {
						return nil
					}
					if err != nil {
						return err
					}
					u = &found
				}
				if u.RemindersOff || u.Unreachable {
					runs[d.run].Off++
					continue
				}
				todo = append(todo, reminderTodo{due: i, code: r.Code})
			}
			return nil
		})
	})
	for len(todo) > 0 && err == nil {
		chunk := todo[:min(remindersPerWrite, len(todo))]
		todo = todo[len(chunk):]
		queued := make([]int, len(due))
		err = f.store.Update(ctx, func(tx domain.Tx) error {
			clear(queued)
			for _, td := range chunk {
				d := due[td.due]
				r, err := tx.Registration(td.code)
				if err != nil {
					return err
				}
				u, err := tx.User(r.UserKey)
				if err != nil {
					return err
				}
				if !d.wants(r) || u.RemindersOff || u.Unreachable {
					continue
				}
				if u.Lang == "" {
					u.Lang = r.Lang
				}
				t := &turn{Flows: f, tx: tx, u: &u, now: now}
				p := &domain.Push{Key: reminderKey(d.rem, r), UserKey: r.UserKey, Kind: "reminder", Created: now, Expires: runs[d.run].Useful,
					Reply: dialog.Reply{Text: t.reminderText(d.rem, r), Choices: []dialog.Choice{t.stopButton()}}}
				ok, err := tx.Enqueue(p)
				if err != nil {
					return err
				}
				if ok {
					queued[td.due]++
				}
			}
			return nil
		})
		for i, n := range queued {
			runs[due[i].run].Queued += n
		}
	}
	return err
}

// wants reports whether r is in the reminder's audience: a payment
// reminder goes only to registrations made before it was due.
func (d dueReminder) wants(r domain.Registration) bool {
	return d.match(r) && (d.rem.Message != "payment" || r.CreatedAt.Before(d.rem.Due()))
}

func reminderKey(rem event.Reminder, r domain.Registration) string {
	return "reminder:" + rem.ID + ":" + r.Code
}

// reminderText is rem's text for registration r, in the user's language.
func (t *turn) reminderText(rem event.Reminder, r domain.Registration) string {
	ev, lang := t.ev, t.u.Lang
	if !rem.Text.IsZero() {
		return t.T("reminder_custom", "Name", r.Name, "Code", r.Code, "Text", rem.Text.In(lang))
	}
	d, _ := ev.Distance(r.Distance)
	switch rem.Message {
	case "kit":
		var windows []string
		for _, w := range ev.Kit.Windows {
			windows = append(windows, t.T("info_kit_window", "Date", t.formatDay(w.Date), "From", w.From, "To", w.To))
		}
		return t.T("reminder_kit", "Name", r.Name, "Code", r.Code, "Contents", ev.Kit.Contents.In(lang),
			"Place", ev.Kit.Place.In(lang), "Windows", strings.Join(windows, "\n"))
	case "eve":
		return t.T("reminder_eve", "Event", ev.Name.In(lang), "Name", r.Name, "Distance", t.distanceName(r.Distance),
			"Time", d.StartTime, "Venue", ev.Venue.In(lang), "Bring", ev.WhatToBring.In(lang))
	case "morning":
		return t.T("reminder_morning", "Name", r.Name, "Distance", t.distanceName(r.Distance),
			"Time", d.StartTime, "Venue", ev.Venue.In(lang))
	case "online":
		opens, closes := ev.OnlineRun.Window()
		return t.T("reminder_online", "Name", r.Name, "Distance", t.distanceName(r.Distance),
			"From", t.formatMoment(opens), "To", t.formatMoment(closes), "Zone", utcOffset(opens),
			"Submit", ev.OnlineRun.HowToSubmit.In(lang))
	case "payment":
		return t.T("reminder_payment", "Name", r.Name, "Code", r.Code, "Distance", t.distanceName(r.Distance),
			"Fee", t.formatMoney(r.Fee))
	}
	return t.T("reminder_custom", "Name", r.Name, "Code", r.Code, "Text", rem.Text.In(lang))
}

// formatMoment writes a date and a local time: "3 April 2027, 06:00".
func (t *turn) formatMoment(at time.Time) string {
	return t.formatDate(at) + ", " + at.Format("15:04")
}

// utcOffset writes the offset of at's zone: "UTC+5", "UTC+5:30".
func utcOffset(at time.Time) string {
	_, off := at.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := fmt.Sprintf("UTC%s%d", sign, off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}

// stopButton is the "Stop reminders" button in the user's language.
func (t *turn) stopButton() dialog.Choice { return t.choice("reminders_stop", payStopReminders) }

// pushAction takes the buttons that come on pushes, from any step: they
// arrive on an old message, so they are never stale. On numbered
// channels the label typed out counts too.
func (t *turn) pushAction() bool {
	m := t.msg
	if m.Payload == payStopReminders ||
		(m.Payload == "" && strings.EqualFold(strings.TrimSpace(m.Text), t.T("reminders_stop"))) {
		t.u.RemindersOff = true
		t.note("reminders_stopped")
		return true
	}
	return false
}

// remindersChoice is the menu item that shows whether reminders are on
// and switches them.
func (t *turn) remindersChoice() dialog.Choice {
	if t.u.RemindersOff {
		return t.choice("menu_reminders_off", payReminders)
	}
	return t.choice("menu_reminders_on", payReminders)
}

// toggleReminders is the menu's reminders switch.
func (t *turn) toggleReminders() {
	t.u.RemindersOff = !t.u.RemindersOff
	if t.u.RemindersOff {
		t.note("reminders_stopped")
	} else {
		t.note("reminders_started")
	}
}
