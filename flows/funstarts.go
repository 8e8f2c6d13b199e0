package flows

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/runforautism/rfabot/event"
)

// Fun Starts payloads.
const (
	payFunSignup = "fun:go"
	payNoNotes   = "notes:none"
)

// maxNotes is the longest note on a child's support needs.
const maxNotes = 1000

// askFun tells what Fun Starts is, when and where, what to bring, that a
// parent stays with the child, the fee and the places left, and offers
// the sign-up.
func askFun(t *turn) (Reply, error) {
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
		return Reply{}, err
	}
	r := Reply{}
	switch {
	case !ev.RegistrationOpen(t.now):
		b.WriteString("\n\n" + t.T("reg_closed", "Date", t.formatDate(ev.Closes())))
	case left <= 0:
		b.WriteString("\n\n" + t.T("fun_full"))
	default:
		b.WriteString("\n" + t.N("places_left", left))
		r.Choices = append(r.Choices, t.choice("fun_signup", payFunSignup))
	}
	kids, err := t.tx.Children(t.u.Key)
	if err != nil {
		return Reply{}, err
	}
	if len(kids) > 0 {
		r.Choices = append(r.Choices, t.choice("menu_mine", payMine))
	}
	r.Choices = append(r.Choices, t.choice("back_to_menu", payMenu))
	r.Text = b.String()
	return r, nil
}

func (t *turn) funPlacesLeft() (int, error) {
	taken, err := t.tx.FunPlacesTaken()
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
		kids, err := t.tx.Children(t.u.Key)
		if err != nil {
			return err
		}
		if n := len(kids); n > 0 {
			d.ParentName, d.ParentPhone = kids[n-1].ParentName, kids[n-1].ParentPhone
		}
	}
	t.goTo(t.funNext())
	return nil
}

func askFunDone(t *turn) (Reply, error) {
	return Reply{Text: t.T("done_next"), Choices: []Choice{
		t.choice("fun_signup_another", payFunSignup),
		t.choice("menu_mine", payMine),
		t.choice("back_to_menu", payMenu),
	}}, nil
}

func (t *turn) fun() *FunDraft { return &t.u.Session.Fun }

// funFields are the questions of the Fun Starts sign-up, in order: the
// parent, then the child. The consent comes last and signs the child
// up.
var funFields = []field{
	{
		step:    StepFunParent,
		missing: func(t *turn) bool { return t.fun().ParentName == "" },
		show:    func(t *turn) string { return t.fun().ParentName },
		ask:     func(t *turn) (Reply, error) { return Reply{Text: t.T("fun_parent_ask")}, nil },
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
		ask:     func(t *turn) (Reply, error) { return t.askPhone(t.T("fun_phone_ask")), nil },
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
		ask:     func(t *turn) (Reply, error) { return Reply{Text: t.T("fun_child_ask")}, nil },
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
		ask: func(t *turn) (Reply, error) {
			return Reply{Text: t.T("fun_birth_ask", "Name", t.fun().Child)}, nil
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
		show: func(t *turn) string {
			if t.fun().Notes != "" {
				return t.T("fun_notes_saved")
			}
			return t.T("fun_notes_empty")
		},
		ask: func(t *turn) (Reply, error) {
			return Reply{Text: t.T("fun_notes_ask", "Name", t.fun().Child), Choices: []Choice{
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
		ask: func(t *turn) (Reply, error) {
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
		ask: func(t *turn) (Reply, error) {
			d := t.fun()
			notes := t.T("fun_notes_empty")
			if d.Notes != "" {
				notes = t.T("fun_notes_saved")
			}
			r := Reply{Text: t.T("fun_consent_ask",
				"Parent", d.ParentName, "Phone", formatPhone(d.ParentPhone), "Name", d.Child,
				"Birth", showBirth(d.Birth), "TShirt", d.TShirt, "Notes", notes)}
			if t.ev.RulesURL != "" {
				r.Links = []Link{{Label: t.T("rules_link"), URL: t.ev.RulesURL}}
			}
			r.Choices = []Choice{t.choice("consent_agree", payAgree)}
			return r, nil
		},
		answer: func(t *turn, in input) error {
			if !agreed(in) {
				return invalid("fun_consent_required")
			}
			return nil
		},
	},
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
				t.fun().forgetChild()
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
func (t *turn) funNext() Step {
	for _, fd := range funFields {
		if fd.missing(t) {
			return fd.step
		}
	}
	return StepFunConsent
}

// funBack goes to the previous question, keeping the answers; from the
// first, back to Fun Starts.
func (t *turn) funBack(from Step) {
	for i, fd := range funFields {
		if fd.step == from && i > 0 {
			t.goTo(funFields[i-1].step)
			return
		}
	}
	t.goTo(StepFun)
}

// signUpChild stores the child's sign-up with the consent just given.
// The place is taken in the same transaction, so Fun Starts is never
// overfilled. With a fee, the place is held for payment and the parent
// gets the link to pay.
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
	kids, err := t.tx.Children(t.u.Key)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if k.HoldsPlace() && strings.EqualFold(k.Name, d.Child) && k.Birth == d.Birth {
			d.forgetChild()
			t.note("fun_duplicate", "Name", k.Name, "Code", k.Code)
			t.goTo(StepMine)
			return nil
		}
	}
	fs := t.ev.FunStarts
	c := Child{
		UserKey: t.u.Key, Lang: t.u.Lang,
		ParentName: d.ParentName, ParentPhone: d.ParentPhone,
		Name: d.Child, Birth: d.Birth, TShirt: d.TShirt, SupportNeeds: d.Notes,
		Fee: fs.Fee, Currency: t.ev.Currency, Status: StatusConfirmed,
		CreatedAt: t.now, ConsentAt: t.now,
	}
	if fs.Fee > 0 {
		t.holdChild(&c)
	}
	for attempt := 0; ; attempt++ {
		c.Code = newCode(t.ev.CodePrefix + "-FS")
		err := t.tx.AddChild(&c, fs.Capacity)
		if err == nil {
			break
		}
		if errors.Is(err, ErrCodeTaken) && attempt < 20 {
			continue
		}
		if errors.Is(err, ErrFull) {
			d.forgetChild()
			t.note("fun_full_now")
			t.goTo(StepFun)
			return nil
		}
		return err
	}
	if c.Status == StatusAwaitingPayment {
		o, err := t.childOrder(&c)
		if err != nil {
			return err
		}
		if err := t.tx.PutChild(&c); err != nil {
			return err
		}
		l, err := t.payLink(o)
		if err != nil {
			return err
		}
		t.link(l)
	}
	if t.u.Phone == "" {
		t.u.Phone = d.ParentPhone
	}
	d.forgetChild()
	t.note("fun_done", "Name", c.Name, "Code", c.Code)
	if c.SupportNeeds != "" {
		t.note("fun_done_notes")
	}
	if c.Status == StatusAwaitingPayment {
		t.note("fun_done_fee", "Fee", t.formatMoney(c.Fee), "Until", t.formatTime(c.HoldUntil))
	} else {
		fs := t.ev.FunStarts
		t.note("fun_done_when", "Date", t.formatDate(t.ev.Day()), "Time", fs.StartTime,
			"Place", fs.Place.In(t.u.Lang), "Bring", fs.WhatToBring.In(t.u.Lang))
	}
	t.goTo(StepFunDone)
	return nil
}
