package flows

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// Fun Starts payloads.
const (
	payFunSignup = "fun:go"
	payNoNotes   = "notes:none"
	// payFunAgain is the lapse notice's button back to Fun Starts,
	// labelled as the menu's (so typing the label on a numbered channel
	// works as for the runner's "Register for the run"); like the other
	// buttons pushes carry, it works from any step.
	payFunAgain = "fun:again"
)

// A child's entry is a runner's in all but what this file decides: the
// questions (funFields), the fee and capacity of Fun Starts, the age
// rules, no bib, and its texts (childTexts). Its fee, when Fun Starts
// has one, is paid through orders as a runner's is (payment.go); promo
// codes are for runners only.

// childTexts are the texts of a child's entry where a runner's has the
// key: the same message, about Fun Starts.
var childTexts = map[string]string{
	"checkout_item":           "checkout_item_child",
	"pay_confirmed":           "fun_paid",
	"pay_no_place":            "fun_pay_no_place",
	"pay_refunded":            "fun_pay_refunded",
	"lapse_reminder":          "fun_lapse_reminder",
	"my_cancel_ask":           "fun_cancel_ask",
	"cancelled_by_organizers": "fun_cancelled_by_organizers",
	"admin_markpaid_done":     "admin_markpaid_child_done",
	"admin_markpaid_already":  "admin_markpaid_child_already",
	"admin_cancel_done":       "admin_cancel_child_done",
}

// textOf is the id of the text id for r's kind.
func textOf(r domain.Registration, id string) string {
	if c, ok := childTexts[id]; ok && r.Kind == domain.KindChild {
		return c
	}
	return id
}

// capacity is how many places there are for entries like r: of its
// distance in its mode, or of Fun Starts.
func (t *turn) capacity(r domain.Registration) int {
	if r.Kind == domain.KindChild {
		return t.ev.FunStarts.Capacity
	}
	d, _ := t.ev.Distance(r.Distance)
	return d.CapacityFor(r.Mode)
}

// maxNotes is the longest note on a child's support needs.
const maxNotes = 1000

// askFun tells what Fun Starts is, when and where, what to bring, that a
// parent stays with the child, the fee and the places left, and offers
// the sign-up.
func askFun(t *turn) (dialog.Reply, error) {
	ev, lang := t.ev, t.u.Lang
	fs := ev.FunStarts
	var b strings.Builder
	b.WriteString(t.T("fun_info",
		"Description", fs.Description.In(lang), "AgeMin", fs.AgeMin, "AgeMax", fs.AgeMax,
		"Date", t.formatDate(ev.Day()), "Time", fs.StartTime,
		"Place", fs.Place.In(lang), "Bring", fs.WhatToBring.In(lang)))
	if fs.Fee > 0 {
		b.WriteString("\n" + t.T("fun_fee", "Fee", t.formatMoney(fs.Fee)))
	} else {
		b.WriteString("\n" + t.T("fun_free"))
	}
	left, err := t.funPlacesLeft()
	if err != nil {
		return dialog.Reply{}, err
	}
	r := dialog.Reply{}
	switch {
	case !ev.RegistrationOpen(t.now):
		b.WriteString("\n\n" + t.T("reg_closed", "Date", t.formatDate(ev.Closes())))
	case left <= 0:
		b.WriteString("\n\n" + t.T("fun_full"))
	default:
		b.WriteString("\n" + t.N("places_left", left))
		r.Choices = append(r.Choices, t.choice("fun_signup", payFunSignup))
	}
	kids, err := t.entries(domain.KindChild)
	if err != nil {
		return dialog.Reply{}, err
	}
	if len(kids) > 0 {
		r.Choices = append(r.Choices, t.choice("menu_mine", payMine))
	}
	r.Choices = append(r.Choices, t.choice("back_to_menu", payMenu))
	r.Text = b.String()
	return r, nil
}

func (t *turn) funPlacesLeft() (int, error) {
	taken, err := t.tx.PlacesTaken(domain.FunStartsPlaces, event.InPerson)
	if err != nil {
		return 0, err
	}
	return t.ev.FunStarts.Capacity - taken, nil
}

// handleFun takes the Fun Starts screens' buttons; the rest are the
// menu's.
func handleFun(t *turn, in input) error {
	if in.payload != payFunSignup {
		return handleMenu(t, in)
	}
	left, err := t.funPlacesLeft()
	if err != nil {
		return err
	}
	switch {
	case !t.ev.RegistrationOpen(t.now):
		t.note("reg_closed", "Date", t.formatDate(t.ev.Closes()))
		t.goTo(StepFun)
		return nil
	case left <= 0:
		t.note("fun_full")
		t.goTo(StepFun)
		return nil
	}
	d := t.fun()
	if d.ParentName == "" {
		// The parent of an earlier child is the likely parent of this one.
		kids, err := t.entries(domain.KindChild)
		if err != nil {
			return err
		}
		if n := len(kids); n > 0 {
			d.ParentName, d.ParentPhone = kids[n-1].Guardian, kids[n-1].Phone
		}
	}
	t.goTo(t.funNext())
	return nil
}

func askFunDone(t *turn) (dialog.Reply, error) {
	return dialog.Reply{Text: t.T("done_next"), Choices: []dialog.Choice{
		t.choice("fun_signup_another", payFunSignup),
		t.choice("menu_mine", payMine),
		t.choice("back_to_menu", payMenu),
	}}, nil
}

func (t *turn) fun() *domain.FunDraft { return &t.u.Session.Fun }

// funFields are the questions of the Fun Starts sign-up, in order: the
// parent, then the child. The consent comes last and signs the child
// up.
var funFields = []field{
	{
		step:    StepFunParent,
		missing: func(t *turn) bool { return t.fun().ParentName == "" },
		show:    func(t *turn) string { return t.fun().ParentName },
		ask:     func(t *turn) (dialog.Reply, error) { return dialog.Reply{Text: t.T("fun_parent_ask")}, nil },
		answer: func(t *turn, in input) error {
			name, err := ParseFullName(in.text)
			if err != nil {
				return err
			}
			t.fun().ParentName = name
			return nil
		},
	},
	{
		step:    StepFunPhone,
		missing: func(t *turn) bool { return t.fun().ParentPhone == "" },
		show:    func(t *turn) string { return formatPhone(t.fun().ParentPhone) },
		ask:     func(t *turn) (dialog.Reply, error) { return t.askPhone(t.T("fun_phone_ask")), nil },
		answer: func(t *turn, in input) error {
			phone, err := t.answerPhone(in)
			if err != nil {
				return err
			}
			t.fun().ParentPhone = phone
			return nil
		},
	},
	{
		step:    StepFunChild,
		missing: func(t *turn) bool { return t.fun().Child == "" },
		show:    func(t *turn) string { return t.fun().Child },
		ask:     func(t *turn) (dialog.Reply, error) { return dialog.Reply{Text: t.T("fun_child_ask")}, nil },
		answer: func(t *turn, in input) error {
			name, err := ParseName(in.text)
			if err != nil {
				return err
			}
			t.fun().Child = name
			return nil
		},
	},
	{
		step:    StepFunBirth,
		missing: func(t *turn) bool { return t.fun().Birth == "" },
		show:    func(t *turn) string { return showBirth(t.fun().Birth) },
		ask: func(t *turn) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("fun_birth_ask", "Name", t.fun().Child)}, nil
		},
		answer: func(t *turn, in input) error {
			b, err := ParseBirth(in.text, t.today())
			if err != nil {
				return err
			}
			fs := t.ev.FunStarts
			if age := event.AgeOn(b, t.ev.Day()); age < fs.AgeMin || age > fs.AgeMax {
				return invalidN("fun_age_refused", age, "Name", t.fun().Child, "Min", fs.AgeMin, "Max", fs.AgeMax)
			}
			t.fun().Birth = b.Format("2006-01-02")
			return nil
		},
	},
	{
		step:    StepFunNotes,
		missing: func(t *turn) bool { return !t.fun().NotesDone },
		// The notes are never shown back: only that they are saved.
		show: func(t *turn) string { return t.notesShown(t.fun().Notes) },
		ask: func(t *turn) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("fun_notes_ask", "Name", t.fun().Child), Choices: []dialog.Choice{
				t.choice("fun_notes_none", payNoNotes),
			}}, nil
		},
		answer: func(t *turn, in input) error {
			d := t.fun()
			if in.payload == payNoNotes {
				d.Notes, d.NotesDone = "", true
				return nil
			}
			if in.text == "" {
				return invalid("pick_button")
			}
			if utf8.RuneCountInString(in.text) > maxNotes {
				return invalid("fun_notes_long", "Max", maxNotes)
			}
			d.Notes, d.NotesDone = in.text, true
			return nil
		},
	},
	{
		step:    StepFunTShirt,
		missing: func(t *turn) bool { return t.fun().TShirt == "" },
		show:    func(t *turn) string { return t.fun().TShirt },
		ask: func(t *turn) (dialog.Reply, error) {
			return askSize(t.T("fun_tshirt_ask", "Name", t.fun().Child), t.ev.FunSizes()), nil
		},
		answer: func(t *turn, in input) error {
			s, err := answerSize(in)
			if err != nil {
				return err
			}
			t.fun().TShirt = s
			return nil
		},
	},
	{
		step: StepFunConsent,
		// Consent is given by signing up, so it is always to be asked.
		missing: func(*turn) bool { return true },
		show:    func(*turn) string { return "" },
		ask: func(t *turn) (dialog.Reply, error) {
			d := t.fun()
			return t.consentQuestion(t.T("fun_consent_ask",
				"Parent", d.ParentName, "Phone", formatPhone(d.ParentPhone), "Name", d.Child,
				"Birth", showBirth(d.Birth), "TShirt", d.TShirt, "Notes", t.notesShown(d.Notes))), nil
		},
		answer: func(t *turn, in input) error {
			if !agreed(in) {
				return invalid("fun_consent_required")
			}
			return nil
		},
	},
}

// notesShown is how a child's notes are shown back: never the text,
// only that they are saved.
func (t *turn) notesShown(notes string) string {
	if notes != "" {
		return t.T("fun_notes_saved")
	}
	return t.T("fun_notes_empty")
}

// funStep makes a Fun Starts question into a step with Back and Cancel.
func funStep(fd field) stepDef {
	return stepDef{
		ask: fd.question,
		handle: func(t *turn, in input) error {
			switch in.payload {
			case payBack:
				t.funBack(fd.step)
				return nil
			case payCancel:
				t.fun().ForgetChild()
				t.note("fun_cancelled")
				t.goTo(StepFun)
				return nil
			}
			if in.text == "" && in.payload == "" && in.phone == "" {
				return invalid("pick_button")
			}
			if err := fd.answer(t, in); err != nil {
				return err
			}
			if fd.step == StepFunConsent {
				if t.repeated() {
					return nil
				}
				return signUpChild(t)
			}
			t.goTo(t.funNext())
			return nil
		},
	}
}

// funNext is the first question still to answer; the consent last.
func (t *turn) funNext() domain.Step {
	for _, fd := range funFields {
		if fd.missing(t) {
			return fd.step
		}
	}
	return StepFunConsent
}

// funBack goes to the previous question, keeping the answers; from the
// first, back to Fun Starts.
func (t *turn) funBack(from domain.Step) {
	for i, fd := range funFields {
		if fd.step == from && i > 0 {
			t.goTo(funFields[i-1].step)
			return
		}
	}
	t.goTo(StepFun)
}

// signUpChild stores the child's entry with the consent just given, as
// confirm stores a runner's: the place is taken in the same
// transaction, so Fun Starts is never overfilled. With a fee, the place
// is held for payment and the parent gets the link to pay.
func signUpChild(t *turn) error {
	if !t.ev.RegistrationOpen(t.now) {
		t.note("reg_closed", "Date", t.formatDate(t.ev.Closes()))
		t.goTo(StepFun)
		return nil
	}
	if next := t.funNext(); next != StepFunConsent {
		t.goTo(next)
		return nil
	}
	d := t.fun()
	if k, ok, err := t.sameEntry(domain.KindChild, d.Child, d.Birth); err != nil || ok {
		if ok {
			d.ForgetChild()
			t.note("fun_duplicate", "Name", k.Name, "Code", k.Code)
			t.goTo(StepMine)
		}
		return err
	}
	fs := t.ev.FunStarts
	c := domain.Registration{
		Kind: domain.KindChild, UserKey: t.u.Key, Lang: t.u.Lang,
		Guardian: d.ParentName, Phone: d.ParentPhone,
		Name: d.Child, Birth: d.Birth, TShirt: d.TShirt, SupportNeeds: d.Notes,
		Mode: event.InPerson, Distance: domain.FunStartsPlaces,
		Fee: fs.Fee, Currency: t.ev.Currency, Status: domain.StatusConfirmed,
		CreatedAt: t.now, ConsentAt: t.now,
	}
	if fs.Fee > 0 {
		c.Status, c.HoldUntil = domain.StatusAwaitingPayment, t.now.Add(t.ev.Payment.Hold())
	}
	if err := t.addRegistration(&c, fs.Capacity, false); errors.Is(err, domain.ErrFull) {
		d.ForgetChild()
		t.note("fun_full_now")
		t.goTo(StepFun)
		return nil
	} else if err != nil {
		return err
	}
	if c.Status == domain.StatusAwaitingPayment {
		if _, err := t.askFee(&c); err != nil {
			return err
		}
	}
	if t.u.Phone == "" {
		t.u.Phone = d.ParentPhone
	}
	d.ForgetChild()
	t.note("fun_done", "Name", c.Name, "Code", c.Code)
	if c.SupportNeeds != "" {
		t.note("fun_done_notes")
	}
	if c.Status == domain.StatusAwaitingPayment {
		t.note("fun_done_fee", "Fee", t.formatMoney(c.Fee), "Until", t.formatTime(c.HoldUntil))
	} else {
		t.note("fun_done_when", "Date", t.formatDate(t.ev.Day()), "Time", fs.StartTime,
			"Place", fs.Place.In(t.u.Lang), "Bring", fs.WhatToBring.In(t.u.Lang))
	}
	t.goTo(StepFunDone)
	return nil
}

// A child's entry in My registrations is a runner's screen (askMyReg)
// with the child's changes: the sign-up's own questions, each with its
// check, under the rules of a runner's change (changeStep).

// Payloads of a child's entry in My registrations.
const (
	payKidName  = "ck:name"
	payKidBirth = "ck:birth"
	payKidNotes = "ck:notes"
)

// kidChanges are the sign-up's questions a parent answers again to
// change a child's entry, with the step of the change.
var kidChanges = map[domain.Step]domain.Step{
	StepFunChild: StepMyKidName, StepFunBirth: StepMyKidBirth, StepFunNotes: StepMyKidNotes, StepFunTShirt: StepMyKidTShirt,
}

// kidChangeStep makes the sign-up's question fd a change to the child's
// entry: asked with the answer now and Back, checked as at the sign-up
// (a new date of birth within fun_starts.age_min–age_max on race day),
// saved, and the parent back on the entry's screen.
func kidChangeStep(fd field) stepDef {
	return changeStep(
		func(t *turn, c domain.Registration) (dialog.Reply, error) {
			var q dialog.Reply
			err := t.asDraft(&c, func() error {
				var err error
				q, err = fd.ask(t)
				if v := fd.show(t); v != "" {
					q.Text += "\n" + t.T("reg_current", "Value", v)
				}
				return err
			})
			return q, err
		},
		func(t *turn, c *domain.Registration, in input) error {
			if in.text == "" && in.payload == "" {
				return invalid("pick_button")
			}
			if err := t.asDraft(c, func() error { return fd.answer(t, in) }); err != nil {
				return err
			}
			return t.saved(c, "my_saved")
		})
}

// asDraft runs f, a question of the sign-up, on c: c is put in the Fun
// Starts draft the questions read and write, and what they answered goes
// back to c. A sign-up in progress keeps its draft.
func (t *turn) asDraft(c *domain.Registration, f func() error) error {
	s := t.session()
	kept := s.Fun
	s.Fun = domain.FunDraft{ParentName: c.Guardian, ParentPhone: c.Phone,
		Child: c.Name, Birth: c.Birth, Notes: c.SupportNeeds, NotesDone: true, TShirt: c.TShirt}
	err := f()
	d := s.Fun
	s.Fun = kept
	c.Name, c.Birth, c.SupportNeeds, c.TShirt = d.Child, d.Birth, d.Notes, d.TShirt
	return err
}

// registerFunStarts adds the Fun Starts sign-up of a child and, in My
// registrations, a child's sign-up with its changes and cancelling.
func registerFunStarts(r *registry) {
	r.addSteps(map[domain.Step]stepDef{
		StepFun:     {ask: askFun, handle: handleFun},
		StepFunDone: {ask: askFunDone, handle: handleFun},
	})
	for _, fd := range funFields {
		r.addSteps(map[domain.Step]stepDef{fd.step: funStep(fd)})
		if s, ok := kidChanges[fd.step]; ok {
			r.addSteps(map[domain.Step]stepDef{s: kidChangeStep(fd)})
		}
	}
}
