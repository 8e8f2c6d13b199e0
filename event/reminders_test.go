package event_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/event"
)

func TestDefaultReminders(t *testing.T) {
	c, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	loc := c.Location()
	want := map[string]time.Time{
		"kit":     time.Date(2027, 3, 27, 12, 0, 0, 0, loc),
		"eve":     time.Date(2027, 4, 2, 18, 0, 0, 0, loc),
		"morning": time.Date(2027, 4, 3, 6, 30, 0, 0, loc),
		"online":  time.Date(2027, 4, 2, 12, 0, 0, 0, loc),
		"pay-14d": time.Date(2027, 3, 20, 12, 0, 0, 0, loc),
		"pay-5d":  time.Date(2027, 3, 29, 12, 0, 0, 0, loc),
	}
	if len(c.Reminders) != len(want) {
		t.Fatalf("%d reminders, want %d", len(c.Reminders), len(want))
	}
	useful := map[string]time.Time{
		"kit":     time.Date(2027, 4, 2, 20, 0, 0, 0, loc),
		"online":  time.Date(2027, 4, 5, 23, 59, 0, 0, loc),
		"morning": c.Start(),
	}
	for _, r := range c.Reminders {
		if !r.Due().Equal(want[r.ID]) {
			t.Errorf("%s due %v, want %v", r.ID, r.Due(), want[r.ID])
		}
		if u, ok := useful[r.ID]; ok && !c.ReminderUseful(r).Equal(u) {
			t.Errorf("%s useful until %v, want %v", r.ID, c.ReminderUseful(r), u)
		}
	}
	if c.Delivery.Rate() != 0 {
		t.Errorf("paid broadcasts on by default")
	}
	opens, closes := c.OnlineRun.Window()
	if opens.IsZero() || !closes.After(opens) {
		t.Errorf("online window %v – %v", opens, closes)
	}
}

func TestBeforeWithoutAt(t *testing.T) {
	src := strings.Replace(defaultFile(t), "id = \"pay-5d\"\nbefore = \"5d\"\nat = \"12:00\"", "id = \"pay-5d\"\nbefore = \"36h\"", 1)
	c, err := event.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Reminders {
		if r.ID == "pay-5d" && !r.Due().Equal(c.Start().Add(-36*time.Hour)) {
			t.Errorf("36h before: due %v", r.Due())
		}
	}
}

func TestPaidBroadcastRate(t *testing.T) {
	for _, tt := range []struct {
		d    event.Delivery
		want int
	}{
		{event.Delivery{}, 0},
		{event.Delivery{PaidRate: 500}, 0},
		{event.Delivery{PaidBroadcast: true}, 1000},
		{event.Delivery{PaidBroadcast: true, PaidRate: 300}, 300},
	} {
		if got := tt.d.Rate(); got != tt.want {
			t.Errorf("%+v: rate %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestReminderValidationNamesTheField(t *testing.T) {
	tests := []struct {
		name    string
		from    string
		to      string
		wantErr string
	}{
		{"bad id", "id = \"kit\"\nbefore", "id = \"Kit Pickup\"\nbefore", `reminders[0].id: must be 1 to 16 characters`},
		{"duplicate id", `id = "pay-5d"`, `id = "pay-14d"`, `reminders[5].id: duplicate id "pay-14d"`},
		{"bad before", `before = "7d"`, `before = "a week"`, `reminders[0].before: must be like 7d, 36h or 90m`},
		{"hours with at", `before = "7d"`, `before = "36h"`, `reminders[0].before: with at, must be whole days`},
		{"bad at", `at = "06:30"`, `at = "6.30"`, `reminders[2].at: must be a time like 06:30`},
		{"no time", "before = \"1d\"\nat = \"18:00\"", "", `reminders[1]: set before (like 7d), at (like 06:30) or both`},
		{"after the start", `at = "06:30"`, `at = "09:30"`, `reminders[2]: is due 2027-04-03 09:30, when it is no longer useful (2027-04-03 09:00)`},
		{"kit after pickup", "id = \"kit\"\nbefore = \"7d\"", "id = \"kit\"\nbefore = \"0d\"", `reminders[0]: is due 2027-04-03 12:00, when it is no longer useful (2027-04-02 20:00)`},
		{"bad audience", `audience = "paid_inperson"`, `audience = "runners"`, `reminders[1].audience: must be one of`},
		{"unknown distance", `audience = "paid_inperson"`, `audience = "distance:3k"`, `reminders[1].audience: no distance "3k"`},
		{"payment to paid", "audience = \"unpaid\"\nmessage = \"payment\"", "audience = \"paid\"\nmessage = \"payment\"", `reminders[4].audience: must be "unpaid" for message "payment"`},
		{"bad message", `message = "kit"`, `message = "pickup"`, `reminders[0].message: must be one of`},
		{"custom without text", `message = "morning"`, `message = "custom"`, `reminders[2].text.kk: must not be empty`},
		{"half a text", `message = "morning"`, "message = \"morning\"\ntext.en = \"Good luck!\"", `reminders[2].text.ru: must not be empty`},
		{"online window order", `closes = "2027-04-05 23:59"`, `closes = "2027-04-02 23:59"`, `online_run.closes: must be after opens`},
		{"online window format", `opens = "2027-04-03 00:00"`, `opens = "3 April"`, `online_run.opens: must look like`},
		{"online submit text", `how_to_submit.en = "Record`, `how_to_submit_en = "Record`, `unknown field(s): online_run.how_to_submit_en`},
		{"paid rate", `paid_rate = 1000`, `paid_rate = 5000`, `delivery.paid_rate: must be 1 to 1000`},
		{"unknown reminder field", `message = "kit"`, "message = \"kit\"\nwhen = \"soon\"", `unknown field(s): reminders.when`},
	}
	src := defaultFile(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.from) {
				t.Fatalf("default file has no %q", tt.from)
			}
			_, err := event.Parse([]byte(strings.Replace(src, tt.from, tt.to, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestOnlineRunRequiredWithOnlineDistances(t *testing.T) {
	src := defaultFile(t)
	i := strings.Index(src, "[online_run]")
	j := strings.Index(src, "# Reminders:")
	_, err := event.Parse([]byte(src[:i] + src[j:]))
	if err == nil || !strings.Contains(err.Error(), "online_run: must be set when a distance is online") {
		t.Fatalf("err = %v", err)
	}
}

func TestWhatsAppTemplates(t *testing.T) {
	ev, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	w := ev.WhatsApp
	if n, code, ok := w.Template("reminder", "kk"); !ok || n != "rfa_reminder" || code != "kk" {
		t.Errorf("reminder in kk: %q %q %v", n, code, ok)
	}
	w.Templates["review"] = event.Text{EN: "rfa_review"}
	if n, code, ok := w.Template("review", "kk"); !ok || n != "rfa_review" || code != "en" {
		t.Errorf("review in kk, named only in English: %q %q %v", n, code, ok)
	}
	if _, _, ok := w.Template("payment", "ru"); ok {
		t.Error("payment has no template in the default")
	}
	bad := strings.Replace(example(t), `[whatsapp.templates.results]`, "[whatsapp.templates.news]\nru = \"Bad Name\"\n\n[whatsapp.templates.results]", 1)
	_, err = event.Parse([]byte(bad))
	if err == nil || !strings.Contains(err.Error(), "whatsapp.templates.news") {
		t.Errorf("unknown kind: %v", err)
	}
}

func example(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("event.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
