package flows_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// funFee is the Fun Starts fee of the tests below.
const funFee = 3000

func withFunFee(ev *event.Config) { ev.FunStarts.Fee = funFee }

func (h *harness) child(code string) flows.Child {
	h.t.Helper()
	var c flows.Child
	err := h.store.View(h.t.(*testing.T).Context(), func(tx flows.Tx) error {
		var err error
		c, err = tx.Child(code)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func (h *harness) funTaken() int {
	h.t.Helper()
	var n int
	err := h.store.View(h.t.(*testing.T).Context(), func(tx flows.Tx) error {
		var err error
		n, err = tx.FunPlacesTaken()
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// signUpAlua signs up Alua, born 01.06.2018, as parent u (in English)
// and returns the child and the reply to the consent.
func signUpAlua(u *user) (flows.Child, flows.Reply) {
	u.h.t.Helper()
	u.do(with(toFunChild(), with(child("Alua", "01.06.2018", "", "128"), action{tap: "I agree", want: "Alua is signed up"})...))
	kids := u.children()
	return kids[len(kids)-1], u.last
}

// TestFunStartsFeeSignUp: with a fee, the consent gives the child an
// order CODE-1 for the fee and a link to pay it, and the place is held
// for payment.hold_hours, as for a runner.
func TestFunStartsFeeSignUp(t *testing.T) {
	h := newHarness(t, withFunFee)
	u := h.user("u", "en")
	c, reply := signUpAlua(u)
	hold := testNow.Add(48 * time.Hour)
	if c.Status != flows.StatusAwaitingPayment || c.Fee != funFee || c.Order != c.Code+"-1" || c.Orders != 1 ||
		!c.HoldUntil.Equal(hold) || c.PaidAmount != 0 || c.Due() != funFee {
		t.Fatalf("child %+v", c)
	}
	o := h.order(c.Code + "-1")
	if o.Code != c.Code || o.Amount != funFee || o.Currency != "KZT" || o.Status != flows.OrderOpen || o.Purpose != flows.PurposeFee {
		t.Errorf("order %+v", o)
	}
	if len(reply.Links) != 1 || reply.Links[0].URL != "https://pay.test/"+c.Code+"-1?amount=3000&currency=KZT&lang=en" ||
		reply.Links[0].Label != "Pay 3,000\u00a0₸" {
		t.Errorf("links %+v", reply.Links)
	}
	for _, w := range []string{"Fee: 3,000\u00a0₸", "until you pay, up to 17 January 2027, 15:00", "pay with the link below"} {
		if !strings.Contains(reply.Text, w) {
			t.Errorf("reply lacks %q:\n%s", w, reply.Text)
		}
	}
	if strings.Contains(reply.Text, "payment details will follow") {
		t.Errorf("still promises details later:\n%s", reply.Text)
	}
	if h.funTaken() != 1 || len(h.pushes("u")) != 0 {
		t.Errorf("places %d, pushes %d", h.funTaken(), len(h.pushes("u")))
	}
	// My registrations: the status, what to pay by when, and the link.
	r := u.tap("My registrations")
	for _, w := range []string{"Status: awaiting payment", "To pay: 3,000\u00a0₸ by 17 January 2027, 15:00"} {
		if !strings.Contains(r.Text, w) {
			t.Errorf("My registrations lacks %q:\n%s", w, r.Text)
		}
	}
	if len(r.Links) != 1 || r.Links[0].Label != "Pay "+c.Code+" (3,000\u00a0₸)" || !strings.HasPrefix(r.Links[0].URL, "https://pay.test/"+c.Code+"-1?") {
		t.Errorf("My registrations links %+v", r.Links)
	}
	// The same child again is still a duplicate while the place is held.
	u.do([]action{{say: "/menu"}, {tap: "Fun Starts"}, {tap: "Sign up a child", step: flows.StepFunChild}})
	u.do(with(child("Alua", "01.06.2018", "", "128"), action{tap: "I agree", want: "Alua is already signed up", step: flows.StepMine}))
	if len(u.children()) != 1 || h.funTaken() != 1 {
		t.Errorf("a duplicate took a place")
	}
}

// TestFunStartsFeePayments drives a child's order through the
// provider's notifications, as the webhook does.
func TestFunStartsFeePayments(t *testing.T) {
	tests := []struct {
		name string
		edit func(*event.Config)
		run  func(t *testing.T, h *harness, u *user, c flows.Child)
	}{
		{
			name: "paid: confirmed, pushed once, no link left",
			run: func(t *testing.T, h *harness, u *user, c flows.Child) {
				if got := h.pay(c.Order, "paid"); got != flows.PaymentApplied {
					t.Fatalf("paid: %v", got)
				}
				if got := h.pay(c.Order, "paid"); got != flows.PaymentNoChange {
					t.Errorf("paid twice: %v", got)
				}
				got := h.child(c.Code)
				if got.Status != flows.StatusConfirmed || got.PaidAmount != funFee || !got.PaidAt.Equal(testNow) || got.Order != "" ||
					!got.HoldUntil.IsZero() || got.RefundDue != 0 || got.Due() != 0 {
					t.Fatalf("after payment: %+v", got)
				}
				if o := h.order(c.Order); o.Status != flows.OrderPaid || o.ProviderRef != "ref-"+c.Order {
					t.Errorf("order %+v", o)
				}
				ps := h.pushes("u")
				if len(ps) != 1 || ps[0].Kind != "payment" || ps[0].Key != "paid:"+c.Code {
					t.Fatalf("pushes:\n%s", pushTexts(ps))
				}
				fs := h.ev.FunStarts
				for _, w := range []string{"Payment received", "Alua is signed up for Fun Starts", c.Code, "3 April 2027, " + fs.StartTime,
					fs.Place.In("en"), fs.WhatToBring.In("en")} {
					if !strings.Contains(ps[0].Reply.Text, w) {
						t.Errorf("confirmation lacks %q:\n%s", w, ps[0].Reply.Text)
					}
				}
				if len(ps[0].Reply.Choices) != 1 || ps[0].Reply.Choices[0].Label != "My registrations" {
					t.Errorf("confirmation buttons %+v", ps[0].Reply.Choices)
				}
				u.do([]action{{say: "/menu"}})
				if r := u.tap("My registrations"); !strings.Contains(r.Text, "Status: confirmed") || strings.Contains(r.Text, "To pay") || len(r.Links) != 0 {
					t.Errorf("My registrations after payment: %q %+v", r.Text, r.Links)
				}
				// Nothing lapses any more.
				h.setNow(testNow.Add(72 * time.Hour))
				h.tick()
				if got := h.child(c.Code); got.Status != flows.StatusConfirmed || h.funTaken() != 1 || len(h.pushes("u")) != 1 {
					t.Errorf("after the hold time: %+v", got)
				}
			},
		},
		{
			name: "failed: a new link; the other paid too is money to return",
			run: func(t *testing.T, h *harness, u *user, c flows.Child) {
				if got := h.pay(c.Order, "failed"); got != flows.PaymentApplied {
					t.Fatalf("failed: %v", got)
				}
				if got := h.pay(c.Order, "failed"); got != flows.PaymentNoChange {
					t.Errorf("failed twice: %v", got)
				}
				got := h.child(c.Code)
				if got.Order != c.Code+"-2" || got.Status != flows.StatusAwaitingPayment || h.order(c.Order).Status != flows.OrderFailed {
					t.Fatalf("after failure: %+v", got)
				}
				ps := h.pushes("u")
				if len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "The payment for "+c.Code+" did not go through") ||
					len(ps[0].Reply.Links) != 1 || !strings.Contains(ps[0].Reply.Links[0].URL, c.Code+"-2?amount=3000") {
					t.Fatalf("pushes:\n%s", pushTexts(ps))
				}
				if r := u.tap("My registrations"); len(r.Links) != 1 || !strings.Contains(r.Links[0].URL, c.Code+"-2?") {
					t.Errorf("My registrations links %+v", r.Links)
				}
				h.pay(c.Code+"-2", "paid")
				if got := h.child(c.Code); got.Status != flows.StatusConfirmed || got.PaidAmount != funFee {
					t.Fatalf("paid the new link: %+v", got)
				}
				// The failed order paid after all: nothing was due.
				h.pay(c.Order, "paid")
				if got := h.child(c.Code); got.RefundDue != funFee || got.PaidAmount != 2*funFee || got.Status != flows.StatusConfirmed {
					t.Errorf("a second payment: %+v", got)
				}
				if ps := h.pushes("u"); !strings.Contains(ps[len(ps)-1].Reply.Text, "nothing was due") {
					t.Errorf("pushes:\n%s", pushTexts(ps))
				}
				// Its refund settles the debt; the sign-up stays.
				h.pay(c.Order, "refunded")
				if got := h.child(c.Code); got.RefundDue != 0 || got.PaidAmount != funFee || got.Status != flows.StatusConfirmed || h.funTaken() != 1 {
					t.Errorf("after returning the extra: %+v", got)
				}
			},
		},
		{
			name: "refunded: the place is released once",
			run: func(t *testing.T, h *harness, u *user, c flows.Child) {
				h.pay(c.Order, "paid")
				if got := h.pay(c.Order, "refunded"); got != flows.PaymentApplied {
					t.Fatalf("refund: %v", got)
				}
				if got := h.pay(c.Order, "refunded"); got != flows.PaymentNoChange {
					t.Errorf("refund twice: %v", got)
				}
				got := h.child(c.Code)
				if got.Status != flows.StatusRefunded || got.PaidAmount != 0 || h.funTaken() != 0 {
					t.Errorf("after refund: %+v, places %d", got, h.funTaken())
				}
				if ps := h.pushes("u"); len(ps) != 2 || !strings.Contains(ps[1].Reply.Text, "The Fun Starts fee for Alua ("+c.Code+"), 3,000\u00a0₸, has been refunded") {
					t.Errorf("pushes:\n%s", pushTexts(ps))
				}
				// Paid after the refund is money to return, once.
				if got := h.pay(c.Order, "paid"); got != flows.PaymentApplied {
					t.Errorf("paid after the refund: %v", got)
				}
				if got := h.pay(c.Order, "paid"); got != flows.PaymentNoChange {
					t.Errorf("paid after the refund, again: %v", got)
				}
				if got := h.child(c.Code); got.Status != flows.StatusRefunded || got.RefundDue != funFee || h.funTaken() != 0 {
					t.Errorf("after a payment after the refund: %+v, places %d", got, h.funTaken())
				}
				if a := h.auditOf(c.Code, "refund_due"); len(a) != 1 {
					t.Errorf("audit of the money to return: %+v", a)
				}
			},
		},
		{
			name: "wrong amount or currency changes nothing",
			run: func(t *testing.T, h *harness, u *user, c flows.Child) {
				for _, p := range []flows.Payment{
					{OrderID: c.Order, Amount: funFee - 1, Currency: "KZT", Status: "paid"},
					{OrderID: c.Order, Amount: funFee, Currency: "USD", Status: "paid"},
				} {
					if got, err := h.conv.ApplyPayment(t.Context(), p); err != nil || got != flows.PaymentMismatch {
						t.Errorf("%+v: %v, %v", p, got, err)
					}
				}
				if got := h.child(c.Code); got.Status != flows.StatusAwaitingPayment || len(h.pushes("u")) != 0 {
					t.Errorf("after mismatches: %+v", got)
				}
			},
		},
		{
			name: "paid after the lapse: the place back while one is free",
			run: func(t *testing.T, h *harness, u *user, c flows.Child) {
				h.setNow(testNow.Add(49 * time.Hour))
				h.tick()
				if got := h.child(c.Code); got.Status != flows.StatusLapsed || h.funTaken() != 0 {
					t.Fatalf("lapse: %+v", got)
				}
				h.pay(c.Order, "paid")
				if got := h.child(c.Code); got.Status != flows.StatusConfirmed || got.PaidAmount != funFee || h.funTaken() != 1 {
					t.Errorf("late payment with a free place: %+v", got)
				}
			},
		},
		{
			name: "paid after the lapse, the place gone: money to return",
			edit: func(ev *event.Config) { ev.FunStarts.Capacity = 1 },
			run: func(t *testing.T, h *harness, u *user, c flows.Child) {
				h.setNow(testNow.Add(49 * time.Hour))
				h.tick()
				other, _ := signUpAlua(h.user("v", "en"))
				h.pay(c.Order, "paid")
				got := h.child(c.Code)
				if got.Status != flows.StatusLapsed || got.RefundDue != funFee || got.PaidAmount != funFee || h.funTaken() != 1 {
					t.Errorf("late payment without a place: %+v", got)
				}
				if ps := h.pushes("u"); !strings.Contains(ps[len(ps)-1].Reply.Text, "all places are now taken. The organizers will return the money") {
					t.Errorf("pushes:\n%s", pushTexts(ps))
				}
				if h.child(other.Code).Status != flows.StatusAwaitingPayment {
					t.Errorf("the other child lost the place")
				}
			},
		},
		{
			name: "cancelled by the organizers: the order is void",
			run: func(t *testing.T, h *harness, u *user, c flows.Child) {
				org := h.user("org", "en")
				org.do([]action{{say: "/start"}, {say: "/cancelreg " + c.Code + " parents asked", want: "is cancelled and the place is free again"}})
				got := h.child(c.Code)
				if got.Status != flows.StatusCancelled || got.Order != "" || !got.HoldUntil.IsZero() || h.order(c.Order).Status != flows.OrderVoid || h.funTaken() != 0 {
					t.Errorf("after cancel: %+v, order %+v", got, h.order(c.Order))
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
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarnessWith(t, func(ev *event.Config) {
				withFunFee(ev)
				if tt.edit != nil {
					tt.edit(ev)
				}
			}, func(h *harness) { h.admins = []string{"test:org"} })
			u := h.user("u", "en")
			c, _ := signUpAlua(u)
			tt.run(t, h, u, c)
		})
	}
}

// TestFunStartsFeeLapseReleasesThePlaceOnceAcrossRestarts: the reminder
// before the hold lapses, then the lapse: place released once however
// many ticks run, before and after a restart, and the parent told once.
func TestFunStartsFeeLapseReleasesThePlaceOnceAcrossRestarts(t *testing.T) {
	h := newHarness(t, withFunFee)
	u := h.user("u", "en")
	c, _ := signUpAlua(u)
	// Someone else's child, paid, keeps a place all along.
	other, _ := signUpAlua(h.user("v", "en"))
	h.pay(other.Order, "paid")
	h.setNow(testNow.Add(35 * time.Hour))
	h.tick()
	if n := len(h.pushes("u")); n != 0 {
		t.Fatalf("%d pushes before the reminder time", n)
	}
	h.setNow(testNow.Add(36 * time.Hour))
	h.tick()
	h.tick()
	ps := h.pushes("u")
	if len(ps) != 1 || ps[0].Kind != "lapse" || ps[0].Key != "remind:"+c.Order ||
		!strings.Contains(ps[0].Reply.Text, "the Fun Starts place of Alua (code "+c.Code+") is held until 17 January 2027, 15:00") ||
		len(ps[0].Reply.Links) != 1 || !strings.Contains(ps[0].Reply.Links[0].URL, c.Order+"?amount=3000") {
		t.Fatalf("reminder:\n%s", pushTexts(ps))
	}
	if !h.child(c.Code).Reminded {
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
	got := h.child(c.Code)
	if got.Status != flows.StatusLapsed || got.Order != "" || !got.HoldUntil.IsZero() || h.order(c.Order).Status != flows.OrderVoid {
		t.Errorf("after the lapse: %+v, order %+v", got, h.order(c.Order))
	}
	if n := h.funTaken(); n != 1 {
		t.Errorf("places taken = %d, want 1 (the other child's)", n)
	}
	ps = h.pushes("u")
	if len(ps) != 2 || ps[1].Key != "lapse:"+c.Code ||
		!strings.Contains(ps[1].Reply.Text, "The Fun Starts sign-up of Alua (code "+c.Code+") was not paid in time") {
		t.Fatalf("lapse notice:\n%s", pushTexts(ps))
	}
	// The notice's button opens Fun Starts from wherever the parent is,
	// and the lapsed child is signed up again, with a new code.
	u.do([]action{{say: "/lang", step: flows.StepLang}})
	u.last = ps[1].Reply
	u.do([]action{
		{tap: "Fun Starts", want: "A parent or carer stays with the child", step: flows.StepFun},
		{tap: "Sign up a child", step: flows.StepFunChild},
	})
	u.do(with(child("Alua", "01.06.2018", "", "128"), action{tap: "I agree", want: "Alua is signed up"}))
	kids := u.children()
	if len(kids) != 2 || kids[1].Code == c.Code || kids[1].Status != flows.StatusAwaitingPayment || h.funTaken() != 2 {
		t.Errorf("signing up again: %+v", kids)
	}
	u.do([]action{{tap: "My registrations", want: "not paid in time, place released"}})
}

// TestFunStartsConfirmationInEveryLanguage: the confirmation is in the
// parent's language at the time of payment.
func TestFunStartsConfirmationInEveryLanguage(t *testing.T) {
	for lang, want := range map[string][]string{
		"kk": {"Төлем қабылданды", "Alua есімді бала «Көңілді старттарға» тіркелді", "2027 жылғы 3 сәуір, 11:00", "Не алып келу керек"},
		"ru": {"Оплата получена", "Ребёнок по имени Alua записан на «Весёлые старты»", "3 апреля 2027 г., 11:00", "Что взять с собой"},
		"en": {"Payment received", "Alua is signed up for Fun Starts", "3 April 2027, 11:00", "What to bring"},
	} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, withFunFee)
			u := h.user("u", "en")
			c, _ := signUpAlua(u)
			u.do([]action{{say: "/lang"}, {tap: map[string]string{"kk": "Қазақша", "ru": "Русский", "en": "English"}[lang]}})
			h.pay(c.Order, "paid")
			ps := h.pushes("u")
			if len(ps) != 1 {
				t.Fatalf("pushes:\n%s", pushTexts(ps))
			}
			fs := h.ev.FunStarts
			for _, w := range append(want, c.Code, fs.Place.In(lang), fs.WhatToBring.In(lang)) {
				if !strings.Contains(ps[0].Reply.Text, w) {
					t.Errorf("lacks %q:\n%s", w, ps[0].Reply.Text)
				}
			}
		})
	}
}

// TestFunStartsFeeOrganizers: /markpaid takes a child's code, /stats
// counts children's money, funstarts.csv shows what was paid.
func TestFunStartsFeeOrganizers(t *testing.T) {
	h := newHarnessWith(t, withFunFee, func(h *harness) { h.admins = []string{"test:org"} })
	u := h.user("u", "en")
	c, _ := signUpAlua(u)
	paid, _ := signUpAlua(h.user("v", "en"))
	h.pay(paid.Order, "paid")
	org := h.user("org", "en")
	org.do([]action{
		{say: "/start"},
		{say: "/markpaid " + c.Code, want: "Usage: /markpaid"},
		{say: "/markpaid RFA-FS-ZZZZ cash", want: "There is no registration RFA-FS-ZZZZ"},
		{say: "/markpaid " + strings.ToLower(c.Code) + " cash at the desk", want: c.Code + " (Alua, Fun Starts) is marked paid. The parent gets a confirmation."},
		{say: "/markpaid " + c.Code + " again", want: c.Code + " (Alua, Fun Starts) is confirmed already"},
		{say: "/stats", want: "Money received: 6,000\u00a0₸"},
	})
	got := h.child(c.Code)
	if got.Status != flows.StatusConfirmed || got.PaidAmount != funFee || h.order(c.Order).Status != flows.OrderVoid {
		t.Errorf("marked paid: %+v, order %+v", got, h.order(c.Order))
	}
	if ps := h.pushes("u"); len(ps) != 1 || ps[0].Key != "paid:"+c.Code || !strings.Contains(ps[0].Reply.Text, "Alua is signed up for Fun Starts") {
		t.Errorf("pushes:\n%s", pushTexts(ps))
	}
	audit := h.audit()
	if n := len(audit); n == 0 || audit[n-1].Action != "markpaid" || audit[n-1].Record != c.Code || audit[n-1].Detail != "cash at the desk" {
		t.Errorf("audit %+v", audit)
	}
	// A lapsed sign-up cannot be marked paid.
	late, _ := signUpAlua(h.user("w", "en"))
	h.setNow(testNow.Add(49 * time.Hour))
	h.tick()
	org.do([]action{{say: "/markpaid " + late.Code + " cash", want: "cannot be marked paid: it is not paid in time, place released"}})

	var b strings.Builder
	if err := h.conv.Export(t.Context(), "cli", flows.ExportFile{Kind: flows.ExportFunStarts}, &b); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, []byte(b.String()))
	cells := map[string]map[string]string{}
	for _, r := range rows[1:] {
		row := map[string]string{}
		for i, name := range rows[0] {
			row[name] = r[i]
		}
		cells[r[0]] = row
	}
	for code, want := range map[string][3]string{
		c.Code:    {"confirmed", "3000", "2027-01-15 15:00"},
		paid.Code: {"confirmed", "3000", "2027-01-15 15:00"},
		late.Code: {"lapsed", "0", ""},
	} {
		row := cells[code]
		if row["status"] != want[0] || row["paid_amount"] != want[1] || row["paid_at"] != want[2] || row["fee"] != "3000" || row["refund_due"] != "" {
			t.Errorf("%s row %v, want status, paid_amount, paid_at %v", code, row, want)
		}
	}
	s, err := h.conv.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if s.Received != 2*funFee || s.ChildrenByStatus[flows.StatusConfirmed] != 2 || s.ChildrenByStatus[flows.StatusLapsed] != 1 || s.FunTaken != 2 {
		t.Errorf("stats %+v", s)
	}
}

// TestFunStartsFreeUnchanged: without a fee, a sign-up is confirmed at
// once, with no order, no link, no deadline and nothing pushed.
func TestFunStartsFreeUnchanged(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	c, reply := signUpAlua(u)
	if c.Status != flows.StatusConfirmed || c.Order != "" || c.Orders != 0 || !c.HoldUntil.IsZero() || len(reply.Links) != 0 ||
		strings.Contains(reply.Text, "Fee") {
		t.Fatalf("free sign-up %+v, reply %+v", c, reply)
	}
	err := h.store.View(t.Context(), func(tx flows.Tx) error {
		if _, err := tx.Order(c.Code + "-1"); !errors.Is(err, flows.ErrNotFound) {
			t.Errorf("an order for a free child: %v", err)
		}
		due, err := tx.DueChildren(testNow.Add(365 * 24 * time.Hour))
		if len(due) != 0 {
			t.Errorf("a free child has a deadline: %+v", due)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h.setNow(testNow.Add(72 * time.Hour))
	h.tick()
	if got := h.child(c.Code); got.Status != flows.StatusConfirmed || h.funTaken() != 1 || len(h.pushes("u")) != 0 {
		t.Errorf("after the hold time: %+v, pushes %d", got, len(h.pushes("u")))
	}
	if r := u.tap("My registrations"); !strings.Contains(r.Text, "Status: confirmed") || strings.Contains(r.Text, "To pay") || len(r.Links) != 0 {
		t.Errorf("My registrations: %q %+v", r.Text, r.Links)
	}
}
