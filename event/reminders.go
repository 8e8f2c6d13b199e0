package event

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reminder is a push sent to an audience of registrations at a time set
// relative to race day, in the event's time zone.
type Reminder struct {
	// ID is short and stable: it is part of each push's idempotency key
	// "reminder:<id>:<registration code>".
	ID string `toml:"id"`
	// Before is how long before the start: "7d", "36h", "90m". With At,
	// it must be whole days and counts calendar days before race day.
	Before string `toml:"before"`
	// At is a local time "06:30": on race day, or Before days earlier.
	At string `toml:"at"`
	// Audience is who gets it: one of ReminderAudiences or
	// "distance:<id>".
	Audience string `toml:"audience"`
	// Message is the built-in text: one of ReminderMessages.
	Message string `toml:"message"`
	// Text, when set, replaces the built-in text; "custom" needs it.
	Text Text `toml:"text"`

	due time.Time
}

// Due is when the reminder is sent.
func (r Reminder) Due() time.Time { return r.due }

// ReminderAudiences are the audiences of reminders, besides
// "distance:<id>" (registered on that distance). "registered" is every
// registration not cancelled; "unpaid" awaits payment.
var ReminderAudiences = []string{"registered", "paid", "unpaid", "paid_inperson", "paid_online", "inperson", "online"}

// ReminderMessages are the built-in reminder texts: kit pickup, the day
// before (start time, place, what to bring), race morning, the online
// run's window, a payment reminder, and custom (the reminder's own text).
var ReminderMessages = []string{"kit", "eve", "morning", "online", "payment", "custom"}

// OnlineRun is the window in which online runners run and send their
// time, local date-times "2006-01-02 15:04" in the event's time zone.
type OnlineRun struct {
	Opens  string `toml:"opens"`
	Closes string `toml:"closes"`
	// HowToSubmit tells how to send the time.
	HowToSubmit Text `toml:"how_to_submit"`

	opens, closes time.Time
}

// Window is when the online run opens and closes; zero when the event
// has none.
func (o OnlineRun) Window() (opens, closes time.Time) { return o.opens, o.closes }

// Delivery tunes how pushes are sent.
type Delivery struct {
	// PaidBroadcast sends broadcasts and results on Telegram as paid
	// broadcasts (up to 1,000 messages/s, paid in Telegram Stars).
	PaidBroadcast bool `toml:"paid_broadcast"`
	// PaidRate is the rate of paid broadcasts, 1 to 1000 messages/s;
	// 0 means 1000.
	PaidRate int `toml:"paid_rate"`
}

// Rate is the rate of paid broadcasts in messages per second, 0 when
// they are off.
func (d Delivery) Rate() int {
	switch {
	case !d.PaidBroadcast:
		return 0
	case d.PaidRate == 0:
		return 1000
	}
	return d.PaidRate
}

// KitEnds is the end of the last kit pickup window.
func (c *Config) KitEnds() time.Time {
	var end time.Time
	for _, w := range c.Kit.Windows {
		t, err := time.ParseInLocation("2006-01-02 15:04", w.Date+" "+w.To, c.loc)
		if err == nil && t.After(end) {
			end = t
		}
	}
	return end
}

var (
	reminderID = regexp.MustCompile(`^[a-z0-9_-]{1,16}$`)
	wholeDays  = regexp.MustCompile(`^(\d+)d$`)
)

// parseBefore reads "7d", "36h" or "90m"; days reports whole days.
func parseBefore(s string) (d time.Duration, days int, whole bool, err error) {
	if m := wholeDays.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 366 {
			return 0, 0, false, fmt.Errorf("too many days")
		}
		return time.Duration(n) * 24 * time.Hour, n, true, nil
	}
	d, err = time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, 0, false, fmt.Errorf("must be like 7d, 36h or 90m, got %q", s)
	}
	return d, 0, false, nil
}

func (c *Config) validateDelivery(errs *fieldErrs) {
	errs.optionalText("what_to_bring", c.WhatToBring)
	c.validateOnlineRun(errs)
	seen := map[string]bool{}
	for i := range c.Reminders {
		r := &c.Reminders[i]
		f := fmt.Sprintf("reminders[%d]", i)
		switch {
		case !reminderID.MatchString(r.ID):
			errs.add(f+".id", "must be 1 to 16 characters of a-z, 0-9, '_', '-', got %q", r.ID)
		case seen[r.ID]:
			errs.add(f+".id", "duplicate id %q", r.ID)
		}
		seen[r.ID] = true
		c.validateAudience(errs, f+".audience", r.Audience)
		if !slices.Contains(ReminderMessages, r.Message) {
			errs.add(f+".message", "must be one of %v, got %q", ReminderMessages, r.Message)
		}
		if r.Message == "custom" {
			errs.text(f+".text", r.Text)
		} else {
			errs.optionalText(f+".text", r.Text)
		}
		switch {
		case r.Message == "payment" && r.Audience != "unpaid":
			errs.add(f+".audience", `must be "unpaid" for message "payment"`)
		case r.Message == "online" && c.OnlineRun.Closes == "":
			// A closes that does not parse (or a bad time_zone) is
			// reported where it is, not again here.
			errs.add(f+".message", `"online" needs the online_run table`)
		case r.Message == "eve" && r.Text.IsZero() && c.WhatToBring.IsZero():
			errs.add(f+".message", `"eve" tells what to bring: set what_to_bring`)
		}
		c.reminderDue(errs, f, r)
	}
	if d := c.Delivery; d.PaidRate < 0 || d.PaidRate > 1000 {
		errs.add("delivery.paid_rate", "must be 1 to 1000 messages per second (0 means 1000), got %d", d.PaidRate)
	}
}

func (c *Config) validateAudience(errs *fieldErrs, field, a string) {
	if id, ok := strings.CutPrefix(a, "distance:"); ok {
		if _, known := c.Distance(id); !known {
			errs.add(field, "no distance %q", id)
		}
		return
	}
	if !slices.Contains(ReminderAudiences, a) {
		errs.add(field, "must be one of %v or distance:<id>, got %q", ReminderAudiences, a)
	}
}

// reminderDue computes r's due time and checks it comes before the
// moment the reminder stops being useful.
func (c *Config) reminderDue(errs *fieldErrs, f string, r *Reminder) {
	if c.start.IsZero() {
		return
	}
	var before time.Duration
	days, whole := 0, false
	if r.Before != "" {
		var err error
		if before, days, whole, err = parseBefore(r.Before); err != nil {
			errs.add(f+".before", "%v", err)
			return
		}
	}
	switch {
	case r.Before == "" && r.At == "":
		errs.add(f, "set before (like 7d), at (like 06:30) or both")
		return
	case r.At != "":
		at, err := time.Parse("15:04", r.At)
		if err != nil {
			errs.add(f+".at", "must be a time like 06:30, got %q", r.At)
			return
		}
		if r.Before != "" && !whole {
			errs.add(f+".before", "with at, must be whole days like 1d, got %q", r.Before)
			return
		}
		y, m, d := c.start.Date()
		r.due = time.Date(y, m, d-days, at.Hour(), at.Minute(), 0, 0, c.loc)
	default:
		r.due = c.start.Add(-before)
	}
	if until := c.ReminderUseful(*r); !r.due.Before(until) {
		errs.add(f, "is due %s, when it is no longer useful (%s)", r.due.Format("2006-01-02 15:04"), until.Format("2006-01-02 15:04"))
	}
}

// ReminderUseful is when r stops being worth sending: the end of kit
// pickup for "kit", the close of the online run for "online" (and for
// reminders to online runners), the race start otherwise.
func (c *Config) ReminderUseful(r Reminder) time.Time {
	switch {
	case r.Message == "kit":
		if end := c.KitEnds(); !end.IsZero() {
			return end
		}
	case r.Message == "online" || r.Audience == "online" || r.Audience == "paid_online":
		if !c.OnlineRun.closes.IsZero() {
			return c.OnlineRun.closes
		}
	}
	return c.start
}

func (c *Config) validateOnlineRun(errs *fieldErrs) {
	o := &c.OnlineRun
	if o.Opens == "" && o.Closes == "" && o.HowToSubmit.IsZero() {
		if c.HasOnline() {
			errs.add("online_run", "must be set when a distance is online")
		}
		return
	}
	if c.loc == nil {
		return
	}
	for _, v := range []struct {
		field, s string
		t        *time.Time
	}{{"online_run.opens", o.Opens, &o.opens}, {"online_run.closes", o.Closes, &o.closes}} {
		t, err := time.ParseInLocation("2006-01-02 15:04", v.s, c.loc)
		if err != nil {
			errs.add(v.field, "must look like 2027-04-03 06:00, got %q", v.s)
			continue
		}
		*v.t = t
	}
	if !o.opens.IsZero() && !o.closes.IsZero() && !o.opens.Before(o.closes) {
		errs.add("online_run.closes", "must be after opens")
	}
	errs.text("online_run.how_to_submit", o.HowToSubmit)
}
