package flows_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// participant stores a user and one registration of theirs directly, as
// the registration and payment flows leave them.
func (h *harness) participant(id, lang string, r domain.Registration, edit func(*domain.User)) {
	h.t.Helper()
	u := domain.User{Key: "test:" + id, Channel: "test", ID: id, Lang: lang, Session: domain.Session{Step: flows.StepMenu}}
	if edit != nil {
		edit(&u)
	}
	r.UserKey, r.Lang = u.Key, lang
	if r.Name == "" {
		r.Name = "Runner " + id
	}
	if r.Fee == 0 {
		r.Fee = 8990
	}
	if r.Mode == "" {
		r.Mode = event.InPerson
	}
	if r.Distance == "" {
		r.Distance = "5k"
	}
	err := h.store.Update(context.Background(), func(tx domain.Tx) error {
		if err := tx.PutUser(&u); err != nil {
			return err
		}
		if r.Code == "" {
			return nil
		}
		return tx.AddRegistration(&r, 1000)
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func TestStopRemindersFromAnyStep(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.do([]action{
		{say: "/start", want: "Reminders: on"},
		{tap: "Register for the run", step: flows.StepRegName},
		{say: "Aigerim Nurlanova", step: flows.StepRegBirth},
		// The button on a reminder, pressed in the middle of registration.
		{raw: "rem:off", want: "Reminders are off", step: flows.StepRegBirth},
	})
	if !u.state().RemindersOff {
		t.Fatal("reminders still on")
	}
	u.do([]action{
		{say: "/menu", want: "Reminders: off"},
		{tap: "Reminders: off", want: "Reminders are on", step: flows.StepMenu},
		{tap: "Reminders: on", want: "Reminders are off", step: flows.StepMenu},
		{tap: "Reminders: off", want: "Reminders: on"},
	})
	if u.state().RemindersOff {
		t.Fatal("reminders still off after turning them on")
	}
	// On a numbered channel the button's label typed out works too.
	c := h.user("c", "ru")
	c.do([]action{{say: "/start"}})
	c.send(dialog.Message{Text: "отключить напоминания", Numbered: true})
	if !c.state().RemindersOff || !strings.Contains(c.last.Text, "Напоминания отключены") {
		t.Errorf("typed label: reminders off = %v, reply %q", c.state().RemindersOff, c.last.Text)
	}
}

func TestBroadcast(t *testing.T) {
	h := newHarness(t, nil)
	h.admins = []string{"test:org"}
	h.restart()
	h.participant("kk1", "kk", domain.Registration{Code: "RFA-KKK1", Status: domain.StatusPaid}, nil)
	h.participant("ru1", "ru", domain.Registration{Code: "RFA-RUU1", Status: domain.StatusPaid, Mode: event.Online}, nil)
	h.participant("en1", "en", domain.Registration{Code: "RFA-ENN1", Status: domain.StatusAwaitingPayment}, nil)
	h.participant("off", "en", domain.Registration{Code: "RFA-OFF1", Status: domain.StatusPaid}, func(u *domain.User) { u.RemindersOff = true })

	runner := h.user("en1", "en")
	runner.do([]action{{say: "/broadcast", want: "don't know that command"}})

	org := h.user("org", "en")
	org.do([]action{
		{say: "/start"},
		{say: "/admin", want: "/broadcast — send a message to participants\n/broadcast_status — how the last broadcasts went"},
		{say: "/broadcast", want: "Who should receive it?", step: flows.StepBcAudience},
		{tap: "Paid participants", want: "One text for everyone", step: flows.StepBcMode},
		{tap: "Қазақша, Русский, English", want: "Send the text in this language: Қазақша", step: flows.StepBcText},
		{say: "Старт орны өзгерді", want: "Send the text in this language: Русский"},
		{say: "Место старта изменилось", want: "Send the text in this language: English"},
		{say: "The start has moved", step: flows.StepBcPreview,
			want: "Preview. Audience: Paid participants.\nIt will go to 2 people.\n1 more person in this audience turned reminders off or blocked the bot"},
		{tap: "Change the text", want: "One text for everyone", step: flows.StepBcMode},
		{tap: "Қазақша, Русский, English"},
		{say: "Старт орны өзгерді"},
		{say: "Место старта изменилось"},
		{say: "The start has moved", want: "— Русский —\nМесто старта изменилось"},
		{tap: "Send", want: "Broadcast #1 is queued for 2 people", step: flows.StepMenu},
		// A second press on the old Send button queues nothing.
		{raw: "bc:send", want: "earlier message"},
	})
	// No "Stop reminders" button on a broadcast (issue 17, finding 20).
	for id, want := range map[string]string{"kk1": "Старт орны өзгерді", "ru1": "Место старта изменилось"} {
		ps := h.pushes(id)
		if len(ps) != 1 {
			t.Fatalf("%s: %d pushes, want 1", id, len(ps))
		}
		p := ps[0]
		if p.Key != "broadcast:1:test:"+id || p.Kind != "broadcast" || p.Reply.Text != want || len(p.Reply.Choices) != 0 {
			t.Errorf("%s: push %+v", id, p)
		}
	}
	if ps := h.pushes("en1"); len(ps) != 0 {
		t.Errorf("unpaid got the paid broadcast: %+v", ps)
	}
	if ps := h.pushes("off"); len(ps) != 0 {
		t.Errorf("a user with reminders off got it: %+v", ps)
	}

	// Progress, once the worker sent one and found the other blocked.
	ps := append(h.pushes("kk1"), h.pushes("ru1")...)
	ps[0].Status, ps[1].Status = domain.PushSent, domain.PushUnreachable
	err := h.store.Update(context.Background(), func(tx domain.Tx) error {
		if err := tx.SavePush(&ps[0]); err != nil {
			return err
		}
		return tx.SavePush(&ps[1])
	})
	if err != nil {
		t.Fatal(err)
	}
	org.do([]action{{say: "/broadcast_status",
		want: "Paid participants\nqueued 2 · sent 1 · waiting 0 · failed 0 · blocked the bot 1 · skipped 0"}})
	var bs []domain.Broadcast
	h.store.View(context.Background(), func(tx domain.Tx) error {
		bs, _ = tx.Broadcasts(10)
		return nil
	})
	if len(bs) != 1 || bs[0].Admin != "test:org" || bs[0].Count != 2 || bs[0].Texts["en"] != "The start has moved" {
		t.Errorf("stored broadcasts %+v", bs)
	}

	// One text for all, to a language: no question about languages.
	org.do([]action{
		{say: "/broadcast"},
		{tap: "Language: English", want: "Send the text of the broadcast.", step: flows.StepBcText},
		{say: "See you on Saturday", want: "It will go to 2 people."},
		{tap: "Send", want: "Broadcast #2 is queued for 2 people"},
	})
	if ps := h.pushes("en1"); len(ps) != 1 || ps[0].Reply.Text != "See you on Saturday" || len(ps[0].Reply.Choices) != 0 {
		t.Errorf("English broadcast: %+v", ps)
	}
	// The admin writes to the bot in English too: they are in it.
	if ps := h.pushes("org"); len(ps) != 1 {
		t.Errorf("admin got %d pushes, want 1", len(ps))
	}

	// An empty audience cannot be sent; Cancel leaves nothing behind.
	org.do([]action{
		{say: "/broadcast"},
		{tap: "Distance 10 km"},
		{tap: "One text for everyone"},
		{say: "Hello"},
	})
	if _, ok := findChoice(org.last, "Send"); ok || !strings.Contains(org.last.Text, "Nobody in this audience") {
		t.Errorf("empty audience: %q with buttons %v", org.last.Text, labels(org.last))
	}
	org.do([]action{{tap: "Cancel", want: "Broadcast cancelled", step: flows.StepMenu}})
	if org.state().Session.Broadcast != nil {
		t.Error("draft kept after cancel")
	}
	org.do([]action{{say: "/broadcast_status", want: "Broadcast #2"}})
}

func TestBroadcastRecipientsByAudience(t *testing.T) {
	h := newHarness(t, nil)
	h.admins = []string{"test:org"}
	h.restart()
	h.participant("a", "kk", domain.Registration{Code: "RFA-AAA1", Status: domain.StatusPaid, Distance: "10k"}, nil)
	h.participant("b", "ru", domain.Registration{Code: "RFA-BBB1", Status: domain.StatusAwaitingPayment, Mode: event.Online, Distance: "1k"}, nil)
	h.participant("c", "en", domain.Registration{Code: "RFA-CCC1", Status: domain.StatusCancelled, Distance: "10k"}, nil)
	h.participant("d", "en", domain.Registration{}, func(u *domain.User) { u.Unreachable = true })
	h.participant("p", "kk", domain.Registration{}, nil)
	h.participant("q", "ru", domain.Registration{}, nil)
	err := h.store.Update(t.Context(), func(tx domain.Tx) error {
		if err := tx.AddRegistration(&domain.Registration{Kind: domain.KindChild, Distance: domain.FunStartsPlaces, Mode: event.InPerson, Code: "RFA-FS-PPP1", UserKey: "test:p", Name: "Алуа", Status: domain.StatusConfirmed}, 10); err != nil {
			return err
		}
		return tx.AddRegistration(&domain.Registration{Kind: domain.KindChild, Distance: domain.FunStartsPlaces, Mode: event.InPerson, Code: "RFA-FS-QQQ1", UserKey: "test:q", Name: "Тимур", Status: domain.StatusCancelled}, 10)
	})
	if err != nil {
		t.Fatal(err)
	}
	org := h.user("org", "en")
	org.say("/start")
	tests := []struct {
		audience string
		count    string
	}{
		{"Everyone who wrote to the bot", "It will go to 6 people.\n1 more person"},
		{"Paid participants", "It will go to 1 person."},
		{"Awaiting payment", "It will go to 1 person."},
		{"Running in person", "It will go to 1 person."},
		{"Running online", "It will go to 1 person."},
		{"Distance 10 km", "It will go to 1 person."},
		{"Language: Русский", "It will go to 2 people."},
		{"Parents of Fun Starts children", "It will go to 1 person."},
	}
	for _, tt := range tests {
		t.Run(tt.audience, func(t *testing.T) {
			org.do([]action{{say: "/broadcast"}, {tap: tt.audience}})
			if org.state().Session.Step == flows.StepBcMode {
				org.do([]action{{tap: "One text for everyone"}})
			}
			org.do([]action{{say: "Hi", want: tt.count}, {tap: "Cancel"}})
		})
	}
}

func TestQueueReminders(t *testing.T) {
	h := newHarness(t, nil)
	loc := h.ev.Location()
	at := func(month time.Month, day, hour, min int) time.Time {
		return time.Date(2027, month, day, hour, min, 0, 0, loc)
	}
	early := at(3, 1, 10, 0)
	h.participant("a", "ru", domain.Registration{Code: "RFA-AAA1", Name: "Айгерим Нурланова", Status: domain.StatusPaid, CreatedAt: early}, nil)
	h.participant("b", "en", domain.Registration{Code: "RFA-BBB1", Status: domain.StatusPaid, Mode: event.Online, CreatedAt: early}, nil)
	h.participant("c", "kk", domain.Registration{Code: "RFA-CCC1", Status: domain.StatusAwaitingPayment, CreatedAt: early}, nil)
	h.participant("d", "en", domain.Registration{Code: "RFA-DDD1", Status: domain.StatusAwaitingPayment, CreatedAt: at(3, 25, 10, 0)}, nil)
	h.participant("e", "en", domain.Registration{Code: "RFA-EEE1", Status: domain.StatusPaid, CreatedAt: early}, func(u *domain.User) { u.RemindersOff = true })

	conv := flows.New(flows.Config{Store: h.store, Event: h.ev, Catalog: h.cat})
	pass := func(now time.Time) map[string]flows.ReminderRun {
		t.Helper()
		runs, err := conv.QueueReminders(context.Background(), now)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]flows.ReminderRun{}
		for _, r := range runs {
			m[r.ID] = r
		}
		return m
	}
	keys := func(id string) []string {
		var ks []string
		for _, p := range h.pushes(id) {
			ks = append(ks, p.Key)
		}
		return ks
	}

	// Before the first reminder nothing is due.
	if runs := pass(at(3, 20, 11, 59)); len(runs) != 0 {
		t.Fatalf("runs before anything is due: %+v", runs)
	}
	// 28 March: the kit reminder (due 27 March) and the first payment
	// reminder (due 20 March) go out; the second payment reminder is
	// not due yet.
	runs := pass(at(3, 28, 9, 0))
	if r := runs["kit"]; !r.Send || r.Queued != 2 || r.Off != 1 {
		t.Errorf("kit: %+v, want sent to a and b, e has reminders off", r)
	}
	if r := runs["pay-14d"]; !r.Send || r.Queued != 1 {
		t.Errorf("pay-14d: %+v, want sent to c only (d registered after it was due)", r)
	}
	if _, ok := runs["pay-5d"]; ok {
		t.Error("pay-5d listed before it is due")
	}
	kit := h.pushes("a")[0]
	for _, want := range []string{"Стартовый пакет: Айгерим Нурланова, код RFA-AAA1", "1 апреля 2027 г., 11:00–20:00", "На выдаче покажите код регистрации"} {
		if !strings.Contains(kit.Reply.Text, want) {
			t.Errorf("kit reminder lacks %q:\n%s", want, kit.Reply.Text)
		}
	}
	if kit.Key != "reminder:kit:RFA-AAA1" || kit.Kind != "reminder" || !kit.Expires.Equal(at(4, 2, 20, 0)) ||
		len(kit.Reply.Choices) != 1 || kit.Reply.Choices[0].Label != "Отключить напоминания" {
		t.Errorf("kit push %+v", kit)
	}
	if pay := h.pushes("c")[0]; !strings.Contains(pay.Reply.Text, "Тіркеу төлемді күтіп тұр") || !strings.Contains(pay.Reply.Text, "8\u00a0990\u00a0₸") {
		t.Errorf("payment reminder in Kazakh: %q", pay.Reply.Text)
	}
	// A second pass queues nothing more.
	if r := pass(at(3, 28, 9, 1))["kit"]; r.Queued != 0 {
		t.Errorf("second pass queued %d", r.Queued)
	}
	// Someone who pays later still gets the kit reminder while it is
	// useful.
	h.participant("f", "en", domain.Registration{Code: "RFA-FFF1", Status: domain.StatusPaid, CreatedAt: at(3, 30, 9, 0)}, nil)
	runs = pass(at(3, 30, 10, 0))
	if r := runs["kit"]; r.Queued != 1 || !slices.Contains(keys("f"), "reminder:kit:RFA-FFF1") {
		t.Errorf("late payer: %+v, pushes %v", r, keys("f"))
	}
	if r := runs["pay-5d"]; !r.Send || r.Queued != 2 {
		t.Errorf("pay-5d: %+v, want c and d", r)
	}

	// The bot was down from 30 March to race morning, 08:00: the day-
	// before and morning reminders are still useful and go out; kit
	// pickup is over, so the kit reminder is skipped.
	runs = pass(at(4, 3, 8, 0))
	if r := runs["kit"]; r.Send || r.Queued != 0 {
		t.Errorf("kit after pickup ended: %+v, want skipped", r)
	}
	for _, id := range []string{"eve", "morning"} {
		if r := runs[id]; !r.Send || r.Queued != 2 {
			t.Errorf("%s on race morning: %+v, want sent to a and f (paid, in person)", id, r)
		}
	}
	if r := runs["online"]; !r.Send || r.Queued != 1 || !slices.Contains(keys("b"), "reminder:online:RFA-BBB1") {
		t.Errorf("online: %+v", r)
	}
	var eve domain.Push
	for _, p := range h.pushes("a") {
		if p.Key == "reminder:eve:RFA-AAA1" {
			eve = p
		}
	}
	if !strings.Contains(eve.Reply.Text, "Завтра Run for Autism!\nАйгерим Нурланова: 5 км, старт в 09:30.") ||
		!strings.Contains(eve.Reply.Text, "Код регистрации, футболку") {
		t.Errorf("eve reminder:\n%s", eve.Reply.Text)
	}
	var online domain.Push
	for _, p := range h.pushes("b") {
		if p.Key == "reminder:online:RFA-BBB1" {
			online = p
		}
	}
	if !strings.Contains(online.Reply.Text, "between 3 April 2027, 00:00 and 5 April 2027, 23:59 (UTC+5)") {
		t.Errorf("online reminder:\n%s", online.Reply.Text)
	}

	// Down until after the start: only the online run is still useful.
	h.participant("g", "en", domain.Registration{Code: "RFA-GGG1", Status: domain.StatusPaid, CreatedAt: at(4, 3, 8, 30)}, nil)
	runs = pass(at(4, 3, 10, 0))
	for _, id := range []string{"kit", "eve", "morning", "pay-14d", "pay-5d"} {
		if r := runs[id]; r.Send || r.Queued != 0 {
			t.Errorf("%s after the start: %+v, want skipped", id, r)
		}
	}
	if len(h.pushes("g")) != 0 {
		t.Errorf("a runner registered on race morning got %v after the start", keys("g"))
	}
	if r := runs["online"]; !r.Send {
		t.Errorf("online run still open: %+v", r)
	}
}

func TestReminderTextFromTheEventFile(t *testing.T) {
	h := newHarness(t, func(ev *event.Config) {
		ev.Reminders[2].Text = event.Text{KK: "Сәттілік!", RU: "Удачи!", EN: "Good luck!"}
	})
	h.participant("a", "en", domain.Registration{Code: "RFA-AAA1", Name: "Oliver Smith", Status: domain.StatusPaid}, nil)
	conv := flows.New(flows.Config{Store: h.store, Event: h.ev, Catalog: h.cat})
	if _, err := conv.QueueReminders(context.Background(), h.ev.Reminders[2].Due()); err != nil {
		t.Fatal(err)
	}
	for _, p := range h.pushes("a") {
		if p.Key == "reminder:morning:RFA-AAA1" {
			if p.Reply.Text != "Good luck!\n\nOliver Smith, RFA-AAA1" {
				t.Errorf("text %q", p.Reply.Text)
			}
			return
		}
	}
	t.Error("no morning reminder")
}
