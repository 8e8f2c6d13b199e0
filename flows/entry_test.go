package flows_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// entryKind is a kind of entry as the tests that are the same for both
// kinds make and see it: a runner's registration for 5 km, or Alua's
// Fun Starts sign-up with a fee. Each waits for its fee after enter.
type entryKind struct {
	name string
	// who is the entry's name.
	who  string
	edit func(*event.Config)
	// enter makes u's entry.
	enter func(u *user) domain.Registration
	// places counts the places of the entry's kind taken.
	places func(h *harness) int
	// reminder and lapsed are what the reminder before the lapse and
	// the lapse notice of e say, in English.
	reminder, lapsed func(e domain.Registration) string
	// again is the lapse notice's button and a new entry after it.
	again func(u *user) domain.Registration
	// confirmed is what the confirmation of a payment says, by language.
	confirmed func(h *harness, e domain.Registration) map[string][]string
	// cancelAsk is the question before the participant's own cancel.
	cancelAsk func(e domain.Registration) string
	// changes are the buttons of the changes of a paid entry, each with
	// an answer to its first question.
	changes map[string]action
	// walk is a change of each kind and the cancel, as a user sends them
	// from the menu, and shown the texts they must show.
	walk  func(e domain.Registration) []dialog.Message
	shown []string
	// walked checks what storage holds after the walk in lang and what
	// the user saw (all).
	walked func(t *testing.T, h *harness, e domain.Registration, lang, all string)
	// settled is the status of a paid entry; paid checks the entry and
	// the confirmation after its fee is paid.
	settled domain.Status
	paid    func(t *testing.T, h *harness, e domain.Registration, confirmation string)
	// refunded and noPlace are what the participant is told of a refund
	// and of a payment after the lapse with no place left; afterRefund
	// checks what a refund leaves for the next entry.
	refunded    func(e domain.Registration) string
	afterRefund func(t *testing.T, h *harness)
	noPlace     string
	// full leaves one place for entries of the kind.
	full func(*event.Config)
	// cancelledByOrganizers is what /cancelreg answers.
	cancelledByOrganizers string
}

var entryKinds = []entryKind{
	{
		name:   "runner",
		who:    "Aigerim Nurlanova",
		enter:  func(u *user) domain.Registration { return register(u, "5 km") },
		places: func(h *harness) int { return h.places("5k", event.InPerson) },
		reminder: func(r domain.Registration) string {
			return "the place of Aigerim Nurlanova on 5 km (code " + r.Code + ") is held until 17 January 2027, 15:00"
		},
		lapsed: func(r domain.Registration) string {
			return "The registration of Aigerim Nurlanova on 5 km (code " + r.Code + ") was not paid in time"
		},
		again: func(u *user) domain.Registration {
			u.do([]action{{tap: "Register for the run", want: "full name", step: flows.StepRegName}})
			return register(u, "5 km")
		},
		confirmed: func(*harness, domain.Registration) map[string][]string {
			return map[string][]string{
				"kk": {"Төлем қабылданды", "Старттық нөмір: 1000", "2027 жылғы 3 сәуір", "Старттық пакетті беретін жер"},
				"ru": {"Оплата получена", "Стартовый номер: 1000", "3 апреля 2027 г.", "Выдача стартовых пакетов"},
				"en": {"Payment received", "Bib: 1000", "3 April 2027", "Race kit pickup"},
			}
		},
		cancelAsk: func(r domain.Registration) string {
			return "Cancel the registration of Aigerim Nurlanova (" + r.Code + ")? Its place will go to someone else."
		},
		changes: map[string]action{
			"Change the t-shirt size": {tap: "XL"}, "Change the emergency contact": {say: "Ержан Серіков"},
			"Switch distance": {tap: "10 km"}, "Switch to online": {}, "Hand it over to another person": {say: "Әсел Қайратқызы"},
		},
		walk: func(r domain.Registration) []dialog.Message {
			return []dialog.Message{
				{Payload: "menu"}, {Payload: "m:my"}, {Payload: "r:" + r.Code}, {Payload: "ch:dist"}, {Payload: "d:10k"},
				{Payload: "ch:mode"}, {Payload: "ch:transfer"}, {Text: "Әсел Қайратқызы"}, {Text: "01.02.1995"}, {Payload: "g:female"},
			}
		},
		shown:   []string{"my_change_tshirt", "my_change_distance", "my_transfer", "reg_gender_ask"},
		settled: domain.StatusPaid,
		paid: func(t *testing.T, h *harness, r domain.Registration, text string) {
			if got := h.reg(r.Code); got.Bib != 1000 {
				t.Errorf("bib %d, want 1000", got.Bib)
			}
			for _, w := range []string{"Payment received", "Aigerim Nurlanova", "5 km, in person", "Bib: 1000", r.Code,
				"3 April 2027, start at 09:30", "Race kit pickup: Astana", "1 April 2027, 11:00–20:00"} {
				if !strings.Contains(text, w) {
					t.Errorf("confirmation lacks %q:\n%s", w, text)
				}
			}
		},
		refunded: func(r domain.Registration) string {
			return "The fee for Aigerim Nurlanova (" + r.Code + "), 8,990\u00a0₸, has been refunded"
		},
		afterRefund: func(t *testing.T, h *harness) {
			// The next payer gets the next bib: 1000 is never handed out again.
			other := register(h.user("v", "en"), "5 km")
			h.pay(other.Order, "paid")
			if got := h.reg(other.Code).Bib; got != 1001 {
				t.Errorf("next bib = %d, want 1001", got)
			}
		},
		noPlace:               "had already been released and the distance is now full. The organizers will return the money",
		full:                  func(ev *event.Config) { ev.Distances[2].Capacity = 1 },
		cancelledByOrganizers: "is cancelled and its place is free for the waitlist",
		walked: func(t *testing.T, h *harness, r domain.Registration, _, _ string) {
			// Unpaid, the switch is done; paid, the dearer distance waits
			// for the difference.
			if got := h.reg(r.Code); got.Distance != "10k" && got.UpgradeTo != "10k" || got.Name != r.Name {
				t.Errorf("after the walk: %+v", got)
			}
		},
	},
	{
		name:   "child",
		who:    "Alua",
		edit:   withFunFee,
		enter:  func(u *user) domain.Registration { c, _ := signUpAlua(u); return c },
		places: (*harness).funTaken,
		reminder: func(c domain.Registration) string {
			return "the Fun Starts place of Alua (code " + c.Code + ") is held until 17 January 2027, 15:00"
		},
		lapsed: func(c domain.Registration) string {
			return "The Fun Starts sign-up of Alua (code " + c.Code + ") was not paid in time"
		},
		again: func(u *user) domain.Registration {
			u.do([]action{
				{tap: "Fun Starts", want: "A parent or carer stays with the child", step: flows.StepFun},
				{tap: "Sign up a child", step: flows.StepFunChild},
			})
			u.do(with(child("Alua", "01.06.2018", "", "128"), action{tap: "I agree", want: "Alua is signed up"}))
			kids := u.children()
			return kids[len(kids)-1]
		},
		confirmed: func(h *harness, c domain.Registration) map[string][]string {
			want := map[string][]string{
				"kk": {"Төлем қабылданды", "Alua есімді бала «Көңілді старттарға» тіркелді", "2027 жылғы 3 сәуір, 11:00", "Не алып келу керек"},
				"ru": {"Оплата получена", "Ребёнок по имени Alua записан на «Весёлые старты»", "3 апреля 2027 г., 11:00", "Что взять с собой"},
				"en": {"Payment received", "Alua is signed up for Fun Starts", "3 April 2027, 11:00", "What to bring"},
			}
			fs := h.ev.FunStarts
			for lang := range want {
				want[lang] = append(want[lang], c.Code, fs.Place.In(lang), fs.WhatToBring.In(lang))
			}
			return want
		},
		cancelAsk: func(c domain.Registration) string {
			return "Cancel the Fun Starts sign-up of Alua (" + c.Code + ")?"
		},
		changes: map[string]action{
			"Change the name": {say: "Aruzhan"}, "Change the date of birth": {say: "01.06.2016"},
			"Change the notes": {tap: "Nothing to add"}, "Change the t-shirt size": {tap: "140"},
		},
		walk: func(c domain.Registration) []dialog.Message {
			return []dialog.Message{
				{Payload: "menu"}, {Payload: "m:my"}, {Payload: "r:" + c.Code},
				{Payload: "ck:name"}, {Text: "Әсел"},
				{Payload: "ck:birth"}, {Text: "04.04.2022"}, {Text: "01.06.2016"},
				{Payload: "ck:notes"}, {Text: "Қатты дыбыстан қорқады"},
				{Payload: "ch:tshirt"}, {Payload: "size:140"},
				{Payload: "ch:cancel"}, {Payload: "ch:yes"},
			}
		},
		shown:   []string{"my_kid_name", "my_kid_birth", "my_kid_notes", "my_saved", "field_notes"},
		settled: domain.StatusConfirmed,
		paid: func(t *testing.T, h *harness, c domain.Registration, text string) {
			fs := h.ev.FunStarts
			for _, w := range []string{"Payment received", "Alua is signed up for Fun Starts", c.Code, "3 April 2027, " + fs.StartTime,
				fs.Place.In("en"), fs.WhatToBring.In("en")} {
				if !strings.Contains(text, w) {
					t.Errorf("confirmation lacks %q:\n%s", w, text)
				}
			}
		},
		refunded: func(c domain.Registration) string {
			return "The Fun Starts fee for Alua (" + c.Code + "), 3,000\u00a0₸, has been refunded"
		},
		afterRefund:           func(*testing.T, *harness) {},
		noPlace:               "all places are now taken. The organizers will return the money",
		full:                  func(ev *event.Config) { ev.FunStarts.Capacity = 1 },
		cancelledByOrganizers: "is cancelled and the place is free again",
		walked: func(t *testing.T, h *harness, c domain.Registration, lang, all string) {
			if want := h.cat.N(lang, "fun_age_refused", 4, map[string]any{"Name": "Әсел", "Min": 5, "Max": 14}); !strings.Contains(all, want) {
				t.Errorf("age refused %q not shown", want)
			}
			if want := h.cat.T(lang, "my_cancelled", map[string]any{"Name": "Әсел", "Code": c.Code}); !strings.Contains(all, want) {
				t.Errorf("cancel %q not shown", want)
			}
			got := h.reg(c.Code)
			if got.Name != "Әсел" || got.Birth != "2016-06-01" || got.SupportNeeds != "Қатты дыбыстан қорқады" || got.TShirt != "140" ||
				got.Status != domain.StatusCancelled || h.funTaken() != 0 {
				t.Errorf("%+v, places %d", got, h.funTaken())
			}
		},
	},
}

// TestLapseReleasesThePlaceOnceAcrossRestarts: the reminder before an
// unpaid hold lapses, then the lapse, for either kind of entry: the
// place released once however many ticks run, before and after a
// restart, the participant told once, and the notice's button leads to
// a new entry.
func TestLapseReleasesThePlaceOnceAcrossRestarts(t *testing.T) {
	for _, k := range entryKinds {
		t.Run(k.name, func(t *testing.T) {
			h := newHarness(t, k.edit)
			u := h.user("u", "en")
			e := k.enter(u)
			// Someone else's entry, paid, keeps a place all along.
			other := k.enter(h.user("v", "en"))
			h.pay(other.Order, "paid")
			if n := k.places(h); n != 2 {
				t.Fatalf("places taken = %d, want 2", n)
			}
			// 35 hours later nothing is due; at 36 hours (12 before the
			// lapse) the reminder goes, once.
			h.setNow(testNow.Add(35 * time.Hour))
			h.tick()
			if n := len(h.pushes("u")); n != 0 {
				t.Fatalf("%d pushes before the reminder time", n)
			}
			h.setNow(testNow.Add(36 * time.Hour))
			h.tick()
			h.tick()
			ps := h.pushes("u")
			if len(ps) != 1 || ps[0].Kind != "lapse" || ps[0].Key != "remind:"+e.Order || !strings.Contains(ps[0].Reply.Text, k.reminder(e)) ||
				len(ps[0].Reply.Links) != 1 || !strings.Contains(ps[0].Reply.Links[0].URL, fmt.Sprintf("%s?amount=%d", e.Order, e.Due())) {
				t.Fatalf("reminder:\n%s", pushTexts(ps))
			}
			if !h.reg(e.Code).Reminded {
				t.Errorf("the reminder is not recorded")
			}
			h.setNow(testNow.Add(48 * time.Hour))
			var wg sync.WaitGroup
			for range 5 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := h.conv.Tick(t.Context()); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			h.restart()
			h.tick()
			h.restart()
			h.tick()
			got := h.reg(e.Code)
			if got.Status != domain.StatusLapsed || got.Order != "" || !got.HoldUntil.IsZero() || h.order(e.Order).Status != domain.OrderVoid {
				t.Errorf("after the lapse: %+v, order %+v", got, h.order(e.Order))
			}
			if n := k.places(h); n != 1 {
				t.Errorf("places taken = %d, want 1 (the other entry's)", n)
			}
			ps = h.pushes("u")
			if len(ps) != 2 || ps[1].Key != "lapse:"+e.Code || !strings.Contains(ps[1].Reply.Text, k.lapsed(e)) {
				t.Fatalf("lapse notice:\n%s", pushTexts(ps))
			}
			// The notice's button works from wherever the user is, and
			// the lapsed entry is no duplicate: a new one gets a new code.
			u.do([]action{{say: "/lang", step: flows.StepLang}})
			u.last = ps[1].Reply
			again := k.again(u)
			if again.Code == e.Code || again.Status != domain.StatusAwaitingPayment || k.places(h) != 2 {
				t.Errorf("entering again: %+v, places %d", again, k.places(h))
			}
			u.do([]action{{tap: "My registrations", want: "not paid in time, place released"}})
		})
	}
}

// TestConfirmationInEveryLanguage: the confirmation of a payment is in
// the participant's language at the time of payment, not at the entry.
func TestConfirmationInEveryLanguage(t *testing.T) {
	for _, k := range entryKinds {
		for _, lang := range []string{"kk", "ru", "en"} {
			t.Run(k.name+"/"+lang, func(t *testing.T) {
				h := newHarness(t, k.edit)
				u := h.user("u", "en")
				e := k.enter(u)
				u.do([]action{{say: "/lang"}, {tap: map[string]string{"kk": "Қазақша", "ru": "Русский", "en": "English"}[lang]}})
				h.pay(e.Order, "paid")
				ps := h.pushes("u")
				if len(ps) != 1 {
					t.Fatalf("pushes:\n%s", pushTexts(ps))
				}
				for _, w := range k.confirmed(h, e)[lang] {
					if !strings.Contains(ps[0].Reply.Text, w) {
						t.Errorf("lacks %q:\n%s", w, ps[0].Reply.Text)
					}
				}
			})
		}
	}
}

// TestChangesClosedAfterTheLock: after the lock date of the event file
// every change of a paid entry is refused, with whom to contact, and a
// change opened before the lock and answered after it too.
func TestChangesClosedAfterTheLock(t *testing.T) {
	for _, k := range entryKinds {
		for option, answer := range k.changes {
			t.Run(k.name+"/"+option, func(t *testing.T) {
				h := newHarness(t, k.edit)
				u := h.user("u", "en")
				e := k.enter(u)
				h.pay(e.Order, "paid")
				before := h.reg(e.Code)
				u.do(manage(u, e.Code))
				if !strings.Contains(u.last.Text, "You can change the details until 25 March 2027, 23:59.") {
					t.Errorf("no lock date on the entry:\n%s", u.last.Text)
				}
				if answer != (action{}) {
					answer.want, answer.step = "Changes closed on 25 March 2027, 23:59", flows.StepMyReg
					u.do([]action{{tap: option}})
					h.setNow(afterLock)
					u.do([]action{answer})
				}
				h.setNow(afterLock)
				u.do([]action{{tap: option, want: "Changes closed on 25 March 2027, 23:59: the participant list has gone to the timing company and the t-shirt maker. To change something, contact the organizers at the kit pickup desk.", step: flows.StepMyReg}})
				if after := h.reg(e.Code); after != before {
					t.Errorf("changed after the lock:\n%+v\n%+v", before, after)
				}
			})
		}
	}
	t.Run("with the event's contacts", func(t *testing.T) {
		h := newHarness(t, func(ev *event.Config) {
			ev.Contacts = event.Text{KK: "+7 700 000 00 00", RU: "+7 700 000 00 00", EN: "+7 700 000 00 00 (WhatsApp)"}
		})
		u := h.user("u", "en")
		r := register(u, "5 km")
		h.setNow(afterLock)
		u.do(manage(u, r.Code))
		u.do([]action{{tap: "Switch distance", want: "contact +7 700 000 00 00 (WhatsApp)."}})
	})
}

// TestChangesInEveryLanguage walks an entry's screen, its changes and
// (a child's) the cancel, unpaid and paid, in each language: every text
// is the catalog's, no message id leaks.
func TestChangesInEveryLanguage(t *testing.T) {
	for _, k := range entryKinds {
		for _, lang := range []string{"kk", "ru", "en"} {
			for _, paid := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/paid=%v", k.name, lang, paid), func(t *testing.T) {
					h := newHarness(t, k.edit)
					u := h.user("u", "en")
					e := k.enter(u)
					if paid {
						h.pay(e.Order, "paid")
					}
					u.do([]action{{say: "/lang"}})
					u.send(dialog.Message{Payload: "lang:" + lang})
					var seen []string
					for _, m := range k.walk(e) {
						rep := u.send(m)
						seen = append(seen, rep.Text)
						seen = append(seen, labels(rep)...)
						for _, l := range rep.Links {
							seen = append(seen, l.Label)
						}
					}
					for _, s := range seen {
						if m := idPattern.FindString(s); m != "" {
							t.Errorf("message id %q shown in %q", m, s)
						}
					}
					all := strings.Join(seen, "\n")
					for _, id := range k.shown {
						if want := h.cat.T(lang, id, nil); !strings.Contains(all, want) {
							t.Errorf("%s: %q (%s) not shown", lang, want, id)
						}
					}
					k.walked(t, h, e, lang, all)
				})
			}
		}
	}
}

// TestCancelFromMyRegistrations: a participant cancels an entry from My
// registrations, a runner's until it is paid, a child's paid or not;
// the place is released exactly once. An unpaid entry's order is void;
// a paid child's keeps its money recorded, as the organizers' cancel of
// a paid runner does (cancelReg: PaidAmount stays, nothing is added to
// RefundDue), and the parent is told whom to ask about the fee.
func TestCancelFromMyRegistrations(t *testing.T) {
	runner, kid := entryKinds[0], entryKinds[1]
	for _, tt := range []struct {
		name string
		k    entryKind
		free bool
		paid bool
	}{
		{name: "runner unpaid", k: runner},
		{name: "child free", k: kid, free: true},
		{name: "child unpaid", k: kid},
		{name: "child paid", k: kid, paid: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			edit := tt.k.edit
			if tt.free {
				edit = nil
			}
			h := newHarness(t, edit)
			u := h.user("u", "en")
			e := tt.k.enter(u)
			if tt.paid {
				h.pay(e.Order, "paid")
			}
			order := h.reg(e.Code).Order
			u.do(manage(u, e.Code))
			u.do([]action{{tap: "Cancel the registration", want: tt.k.cancelAsk(e), step: flows.StepMyCancel}})
			if paidNote := strings.Contains(u.last.Text, "The fee paid (3,000\u00a0₸) is not returned automatically: please ask the organizers at the kit pickup desk about it."); paidNote != tt.paid {
				t.Errorf("fee note %v, want %v:\n%s", paidNote, tt.paid, u.last.Text)
			}
			u.do([]action{
				{tap: "Back", step: flows.StepMyReg},
				{tap: "Cancel the registration"},
				{say: "maybe", want: "choose one of the options", step: flows.StepMyCancel},
				{tap: "Yes, cancel it", want: "The registration of " + tt.k.who + " (" + e.Code + ") is cancelled.", step: flows.StepMine},
			})
			if strings.Contains(strings.Join(labels(u.last), "\n"), e.Code) {
				t.Errorf("a cancelled entry still offers its buttons: %v", labels(u.last))
			}
			if n := tt.k.places(h); n != 0 {
				t.Fatalf("places %d after the cancel", n)
			}
			// The place is free for another entry. Pressed again (an old
			// message), and the lapse deadline passing, the cancel does
			// not release a place twice: the other entry's stays taken.
			tt.k.enter(h.user("other", "en"))
			u.do([]action{{raw: "r:" + e.Code, want: "That button is from an earlier message", step: flows.StepMine}, {raw: "ch:yes", step: flows.StepMine}})
			h.setNow(testNow.Add(49 * time.Hour))
			h.tick()
			got := h.reg(e.Code)
			if got.Status != domain.StatusCancelled || got.Order != "" {
				t.Fatalf("after cancel: %+v", got)
			}
			if want := map[bool]int{true: 1, false: 0}[tt.free]; tt.k.places(h) != want {
				t.Errorf("places %d, want %d (the other entry's, unless its hold lapsed)", tt.k.places(h), want)
			}
			if order != "" && h.order(order).Status != domain.OrderVoid {
				t.Errorf("order %+v not void", h.order(order))
			}
			wantPaid := 0
			if tt.paid {
				wantPaid = 3000
			}
			if got.PaidAmount != wantPaid || got.RefundDue != 0 {
				t.Errorf("money: paid %d, owed back %d", got.PaidAmount, got.RefundDue)
			}
		})
	}
}

// payOnce notifies status for order twice: applied the first time, no
// change the second.
func (h *harness) payOnce(t *testing.T, order, status string) {
	t.Helper()
	if got := h.pay(order, status); got != domain.PaymentApplied {
		t.Fatalf("%s: %v", status, got)
	}
	if got := h.pay(order, status); got != domain.PaymentNoChange {
		t.Errorf("%s twice: %v", status, got)
	}
}

// TestFeePayments drives an entry's order, of either kind, through the
// provider's notifications, as the webhook does.
func TestFeePayments(t *testing.T) {
	tests := []struct {
		name string
		full bool
		run  func(t *testing.T, h *harness, k entryKind, u *user, e domain.Registration)
	}{
		{
			name: "unknown order, wrong amount or currency: nothing changes",
			run: func(t *testing.T, h *harness, k entryKind, u *user, e domain.Registration) {
				for _, p := range []domain.Payment{
					{OrderID: "RFA-NONE-1", Amount: e.Due(), Currency: "KZT", Status: "paid"},
					{OrderID: e.Order, Amount: e.Due() - 1, Currency: "KZT", Status: "paid"},
					{OrderID: e.Order, Amount: e.Due(), Currency: "USD", Status: "paid"},
				} {
					want := domain.PaymentMismatch
					if p.OrderID == "RFA-NONE-1" {
						want = domain.PaymentUnknownOrder
					}
					if got, err := h.conv.ApplyPayment(t.Context(), p); err != nil || got != want {
						t.Errorf("%+v: %v, %v", p, got, err)
					}
				}
				if got := h.reg(e.Code); got.Status != domain.StatusAwaitingPayment || len(h.pushes("u")) != 0 {
					t.Errorf("after refused notifications: %+v", got)
				}
			},
		},
		{
			name: "paid: settled, pushed once, no link left",
			run: func(t *testing.T, h *harness, k entryKind, u *user, e domain.Registration) {
				h.payOnce(t, e.Order, "paid")
				got := h.reg(e.Code)
				if got.Status != k.settled || got.PaidAmount != e.Due() || !got.PaidAt.Equal(testNow) || got.Order != "" ||
					!got.HoldUntil.IsZero() || got.RefundDue != 0 || got.Due() != 0 {
					t.Fatalf("after payment: %+v", got)
				}
				if o := h.order(e.Order); o.Status != domain.OrderPaid || o.ProviderRef != "ref-"+e.Order {
					t.Errorf("order %+v", o)
				}
				ps := h.pushes("u")
				if len(ps) != 1 || ps[0].Kind != "payment" || ps[0].Key != "paid:"+e.Code {
					t.Fatalf("pushes:\n%s", pushTexts(ps))
				}
				k.paid(t, h, e, ps[0].Reply.Text)
				if len(ps[0].Reply.Choices) != 1 || ps[0].Reply.Choices[0].Label != "My registrations" {
					t.Errorf("confirmation buttons %+v", ps[0].Reply.Choices)
				}
				u.do([]action{{say: "/menu"}})
				if r := u.tap("My registrations"); !strings.Contains(r.Text, "Status: "+string(k.settled)) || strings.Contains(r.Text, "To pay") || len(r.Links) != 0 {
					t.Errorf("My registrations after payment: %q %+v", r.Text, r.Links)
				}
				// Nothing lapses any more.
				h.setNow(testNow.Add(72 * time.Hour))
				h.tick()
				if got := h.reg(e.Code); got.Status != k.settled || k.places(h) != 1 || len(h.pushes("u")) != 1 {
					t.Errorf("after the hold time: %+v", got)
				}
			},
		},
		{
			name: "failed: a new link; the other paid too is money to return",
			run: func(t *testing.T, h *harness, k entryKind, u *user, e domain.Registration) {
				h.payOnce(t, e.Order, "failed")
				got := h.reg(e.Code)
				if got.Order != e.Code+"-2" || got.Status != domain.StatusAwaitingPayment || h.order(e.Order).Status != domain.OrderFailed {
					t.Fatalf("after failure: %+v", got)
				}
				ps := h.pushes("u")
				if len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "The payment for "+e.Code+" did not go through") ||
					len(ps[0].Reply.Links) != 1 || !strings.Contains(ps[0].Reply.Links[0].URL, fmt.Sprintf("%s-2?amount=%d", e.Code, e.Due())) {
					t.Fatalf("pushes:\n%s", pushTexts(ps))
				}
				if r := u.tap("My registrations"); len(r.Links) != 1 || !strings.Contains(r.Links[0].URL, e.Code+"-2?") {
					t.Errorf("My registrations links %+v", r.Links)
				}
				// The failed order can still be paid (providers let
				// people retry on the same page): the new link is void.
				h.pay(e.Order, "paid")
				if got := h.reg(e.Code); got.Status != k.settled || got.PaidAmount != e.Due() || h.order(e.Code+"-2").Status != domain.OrderVoid {
					t.Fatalf("paid the failed order: %+v, new link %+v", got, h.order(e.Code+"-2"))
				}
				// The new link paid after all: nothing was due.
				h.pay(e.Code+"-2", "paid")
				if got := h.reg(e.Code); got.RefundDue != e.Due() || got.PaidAmount != 2*e.Due() || got.Status != k.settled {
					t.Errorf("a second payment: %+v", got)
				}
				if ps := h.pushes("u"); !strings.Contains(ps[len(ps)-1].Reply.Text, "nothing was due") {
					t.Errorf("pushes:\n%s", pushTexts(ps))
				}
				// Its refund settles the debt; the entry stays.
				h.pay(e.Code+"-2", "refunded")
				if got := h.reg(e.Code); got.RefundDue != 0 || got.PaidAmount != e.Due() || got.Status != k.settled || k.places(h) != 1 {
					t.Errorf("after returning the extra: %+v", got)
				}
			},
		},
		{
			name: "refunded: the place is released once",
			run: func(t *testing.T, h *harness, k entryKind, u *user, e domain.Registration) {
				h.pay(e.Order, "paid")
				h.payOnce(t, e.Order, "refunded")
				got := h.reg(e.Code)
				if got.Status != domain.StatusRefunded || got.PaidAmount != 0 || k.places(h) != 0 {
					t.Errorf("after refund: %+v, places %d", got, k.places(h))
				}
				if ps := h.pushes("u"); len(ps) != 2 || !strings.Contains(ps[1].Reply.Text, k.refunded(e)) {
					t.Errorf("pushes:\n%s", pushTexts(ps))
				}
				// Paid after the refund is money to return, once.
				h.payOnce(t, e.Order, "paid")
				if got := h.reg(e.Code); got.Status != domain.StatusRefunded || got.RefundDue != e.Due() || k.places(h) != 0 {
					t.Errorf("after a payment after the refund: %+v, places %d", got, k.places(h))
				}
				if ps := h.pushes("u"); !strings.Contains(ps[len(ps)-1].Reply.Text, "nothing was due") {
					t.Errorf("no word about the extra payment:\n%s", pushTexts(ps))
				}
				if a := h.auditOf(e.Code, "refund_due"); len(a) != 1 || !strings.Contains(a[0].Detail, "order "+e.Order+" (refunded)") {
					t.Errorf("audit of the money to return: %+v", a)
				}
				u.do([]action{{say: "/menu"}, {tap: "My registrations", want: "Status: refunded"}})
				k.afterRefund(t, h)
			},
		},
		{
			name: "paid after the lapse: the place back while one is free",
			run: func(t *testing.T, h *harness, k entryKind, u *user, e domain.Registration) {
				h.setNow(testNow.Add(49 * time.Hour))
				h.tick()
				if got := h.reg(e.Code); got.Status != domain.StatusLapsed || k.places(h) != 0 {
					t.Fatalf("lapse: %+v", got)
				}
				h.pay(e.Order, "paid")
				if got := h.reg(e.Code); got.Status != k.settled || got.PaidAmount != e.Due() || k.places(h) != 1 {
					t.Errorf("late payment with a free place: %+v", got)
				}
			},
		},
		{
			name: "paid after the lapse, the place gone: money to return",
			full: true,
			run: func(t *testing.T, h *harness, k entryKind, u *user, e domain.Registration) {
				h.setNow(testNow.Add(49 * time.Hour))
				h.tick()
				other := k.enter(h.user("v", "en"))
				h.pay(e.Order, "paid")
				got := h.reg(e.Code)
				if got.Status != domain.StatusLapsed || got.RefundDue != e.Due() || got.PaidAmount != e.Due() || got.Bib != 0 || k.places(h) != 1 {
					t.Errorf("late payment without a place: %+v", got)
				}
				if ps := h.pushes("u"); !strings.Contains(ps[len(ps)-1].Reply.Text, k.noPlace) {
					t.Errorf("pushes:\n%s", pushTexts(ps))
				}
				if h.reg(other.Code).Status != domain.StatusAwaitingPayment {
					t.Errorf("the other entry lost the place")
				}
			},
		},
		{
			name: "cancelled by the organizers: the order is void",
			run: func(t *testing.T, h *harness, k entryKind, u *user, e domain.Registration) {
				org := h.user("org", "en")
				org.do([]action{{say: "/start"}, {say: "/cancelreg " + e.Code + " asked by phone", want: k.cancelledByOrganizers}})
				got := h.reg(e.Code)
				if got.Status != domain.StatusCancelled || got.Order != "" || !got.HoldUntil.IsZero() || h.order(e.Order).Status != domain.OrderVoid || k.places(h) != 0 {
					t.Errorf("after cancel: %+v, order %+v", got, h.order(e.Order))
				}
				// Nothing of the hold is left to lapse.
				h.setNow(testNow.Add(72 * time.Hour))
				h.tick()
				if ps := h.pushes("u"); len(ps) != 1 || ps[0].Kind != "cancel" {
					t.Errorf("pushes:\n%s", pushTexts(ps))
				}
			},
		},
	}
	for _, k := range entryKinds {
		for _, tt := range tests {
			t.Run(k.name+"/"+tt.name, func(t *testing.T) {
				h := newHarnessWith(t, func(ev *event.Config) {
					if k.edit != nil {
						k.edit(ev)
					}
					if tt.full {
						k.full(ev)
					}
				}, func(h *harness) { h.admins = []string{"test:org"} })
				u := h.user("u", "en")
				tt.run(t, h, k, u, k.enter(u))
			})
		}
	}
}
