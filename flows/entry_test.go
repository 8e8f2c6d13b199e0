package flows_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// entryKind is a kind of entry as the tests that are the same for both
// kinds make and see it: a runner's registration for 5 km, or Alua's
// Fun Starts sign-up with a fee. Each waits for its fee after enter.
type entryKind struct {
	name string
	edit func(*event.Config)
	// enter makes u's entry.
	enter func(u *user) flows.Registration
	// places counts the places of the entry's kind taken.
	places func(h *harness) int
	// reminder and lapsed are what the reminder before the lapse and
	// the lapse notice of e say, in English.
	reminder, lapsed func(e flows.Registration) string
	// again is the lapse notice's button and a new entry after it.
	again func(u *user) flows.Registration
	// confirmed is what the confirmation of a payment says, by language.
	confirmed func(h *harness, e flows.Registration) map[string][]string
}

var entryKinds = []entryKind{
	{
		name:   "runner",
		enter:  func(u *user) flows.Registration { return register(u, "5 km") },
		places: func(h *harness) int { return h.places("5k", event.InPerson) },
		reminder: func(r flows.Registration) string {
			return "the place of Aigerim Nurlanova on 5 km (code " + r.Code + ") is held until 17 January 2027, 15:00"
		},
		lapsed: func(r flows.Registration) string {
			return "The registration of Aigerim Nurlanova on 5 km (code " + r.Code + ") was not paid in time"
		},
		again: func(u *user) flows.Registration {
			u.do([]action{{tap: "Register for the run", want: "full name", step: flows.StepRegName}})
			return register(u, "5 km")
		},
		confirmed: func(*harness, flows.Registration) map[string][]string {
			return map[string][]string{
				"kk": {"Төлем қабылданды", "Старттық нөмір: 1000", "2027 жылғы 3 сәуір", "Старттық пакетті беретін жер"},
				"ru": {"Оплата получена", "Стартовый номер: 1000", "3 апреля 2027 г.", "Выдача стартовых пакетов"},
				"en": {"Payment received", "Bib: 1000", "3 April 2027", "Race kit pickup"},
			}
		},
	},
	{
		name:   "child",
		edit:   withFunFee,
		enter:  func(u *user) flows.Registration { c, _ := signUpAlua(u); return c },
		places: (*harness).funTaken,
		reminder: func(c flows.Registration) string {
			return "the Fun Starts place of Alua (code " + c.Code + ") is held until 17 January 2027, 15:00"
		},
		lapsed: func(c flows.Registration) string {
			return "The Fun Starts sign-up of Alua (code " + c.Code + ") was not paid in time"
		},
		again: func(u *user) flows.Registration {
			u.do([]action{
				{tap: "Fun Starts", want: "A parent or carer stays with the child", step: flows.StepFun},
				{tap: "Sign up a child", step: flows.StepFunChild},
			})
			u.do(with(child("Alua", "01.06.2018", "", "128"), action{tap: "I agree", want: "Alua is signed up"}))
			kids := u.children()
			return kids[len(kids)-1]
		},
		confirmed: func(h *harness, c flows.Registration) map[string][]string {
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
			if got.Status != flows.StatusLapsed || got.Order != "" || !got.HoldUntil.IsZero() || h.order(e.Order).Status != flows.OrderVoid {
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
			if again.Code == e.Code || again.Status != flows.StatusAwaitingPayment || k.places(h) != 2 {
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
