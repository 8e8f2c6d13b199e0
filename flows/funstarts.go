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
		show: func(t *turn) string { return t.notesShown(t.fun().Notes) },
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
			r := Reply{Text: t.T("fun_consent_ask",
				"Parent", d.ParentName, "Phone", formatPhone(d.ParentPhone), "Name", d.Child,
				"Birth", showBirth(d.Birth), "TShirt", d.TShirt, "Notes", t.notesShown(d.Notes))}
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

// A child's sign-up in My registrations: its card, the changes a parent
// makes under the rules of a runner's (changeRefused: while the sign-up
// holds its place and changes are open), each with the sign-up's own
// question and check, and the cancel, which releases the place once
// (releaseChild).

// Payloads of a child's sign-up in My registrations.
const (
	payManageChild = "k:"
	payKidName     = "ck:name"
	payKidBirth    = "ck:birth"
	payKidNotes    = "ck:notes"
)

// kidChanges are the sign-up's questions a parent answers again to
// change a child's sign-up, with the step of the change.
var kidChanges = map[Step]Step{
	StepFunChild: StepMyKidName, StepFunBirth: StepMyKidBirth, StepFunNotes: StepMyKidNotes, StepFunTShirt: StepMyKidTShirt,
}

// myChild is the child the user is looking at; ok is false (and the
// user back on the list) when it is gone or not theirs.
func (t *turn) myChild() (Child, bool, error) {
	return myEntry(t, t.tx.Child, func(c Child) string { return c.UserKey })
}

// childStep wraps the ask of a step about the child the user looks at:
// without one, the user sees the list.
func childStep(ask func(t *turn, c Child) (Reply, error)) func(t *turn) (Reply, error) {
	return entryStep((*turn).myChild, ask)
}

func askMyChild(t *turn, c Child) (Reply, error) {
	var b strings.Builder
	b.WriteString(t.T("mine_child_item", "Code", c.Code, "Name", c.Name, "Birth", showBirth(c.Birth), "Status", t.T("status_"+string(c.Status))))
	b.WriteString("\n" + t.T("summary_line", "Field", t.T("field_tshirt"), "Value", c.TShirt))
	b.WriteString("\n" + t.T("summary_line", "Field", t.T("field_notes"), "Value", t.notesShown(c.SupportNeeds)))
	reply := Reply{}
	if c.Status == StatusAwaitingPayment && c.Order != "" {
		b.WriteString("\n" + t.T("mine_pay_until", "Amount", t.formatMoney(c.Due()), "Until", t.formatTime(c.HoldUntil)))
		l, err := t.openLink(c.Order)
		if err != nil {
			return Reply{}, err
		}
		reply.Links = append(reply.Links, l)
	}
	if c.HoldsPlace() {
		if t.ev.ChangesOpen(t.now) {
			b.WriteString("\n\n" + t.T("my_changes_until", "Date", t.formatTime(t.ev.ChangesLock())))
		}
		reply.Choices = append(reply.Choices,
			t.choice("my_kid_name", payKidName), t.choice("my_kid_birth", payKidBirth),
			t.choice("my_kid_notes", payKidNotes), t.choice("my_change_tshirt", payChTShirt),
			t.choice("my_cancel", payChCancel))
	}
	reply.Text = b.String()
	reply.Choices = append(reply.Choices, t.choice("back", payMyBack), t.choice("back_to_menu", payMenu))
	return reply, nil
}

func handleMyChild(t *turn, in input) error {
	switch in.payload {
	case payMyBack:
		t.goTo(StepMine)
		return nil
	case payMenu:
		t.goTo(StepMenu)
		return nil
	case payChCancel:
		t.goTo(StepMyKidCancel)
		return nil
	}
	next := map[string]Step{
		payKidName: StepMyKidName, payKidBirth: StepMyKidBirth, payKidNotes: StepMyKidNotes, payChTShirt: StepMyKidTShirt,
	}[in.payload]
	if next == "" {
		return invalid("pick_button")
	}
	if t.changesClosed(StepMyChild) {
		return nil
	}
	t.goTo(next)
	return nil
}

// kidChangeStep makes the sign-up's question fd a change to the child's
// sign-up: asked with the answer now and Back, checked as at the
// sign-up (a new date of birth within fun_starts.age_min–age_max on race
// day), saved, and the parent back on the child's card.
func kidChangeStep(fd field) stepDef {
	return stepDef{
		ask: childStep(func(t *turn, c Child) (Reply, error) {
			var q Reply
			err := t.asDraft(&c, func() error {
				var err error
				q, err = fd.ask(t)
				if v := fd.show(t); v != "" {
					q.Text += "\n" + t.T("reg_current", "Value", v)
				}
				return err
			})
			q.Choices = append(q.Choices, t.choice("back", payBack))
			return q, err
		}),
		handle: func(t *turn, in input) error {
			c, ok, err := t.myChild()
			if err != nil || !ok {
				return err
			}
			if in.payload == payBack {
				t.goTo(StepMyChild)
				return nil
			}
			if t.changeRefused(c.Status, c.HoldsPlace(), StepMyChild) {
				return nil
			}
			if in.text == "" && in.payload == "" {
				return invalid("pick_button")
			}
			if err := t.asDraft(&c, func() error { return fd.answer(t, in) }); err != nil {
				return err
			}
			if err := t.tx.PutChild(&c); err != nil {
				return err
			}
			t.note("my_saved")
			t.goTo(StepMyChild)
			return nil
		},
	}
}

// asDraft runs f, a question of the sign-up, on c: c is put in the Fun
// Starts draft the questions read and write, and what they answered goes
// back to c. A sign-up in progress keeps its draft.
func (t *turn) asDraft(c *Child, f func() error) error {
	s := t.session()
	kept := s.Fun
	s.Fun = FunDraft{ParentName: c.ParentName, ParentPhone: c.ParentPhone,
		Child: c.Name, Birth: c.Birth, Notes: c.SupportNeeds, NotesDone: true, TShirt: c.TShirt}
	err := f()
	d := s.Fun
	s.Fun = kept
	c.Name, c.Birth, c.SupportNeeds, c.TShirt = d.Child, d.Birth, d.Notes, d.TShirt
	return err
}

// askMyKidCancel asks before a child's sign-up is cancelled. A paid fee
// is not returned by the bot, as for a runner: the parent is told whom
// to ask.
func askMyKidCancel(t *turn, c Child) (Reply, error) {
	text := t.T("fun_cancel_ask", "Name", c.Name, "Code", c.Code)
	if paid := c.PaidAmount - c.RefundDue; paid > 0 && c.HoldsPlace() {
		text += "\n" + t.T("fun_cancel_paid", "Amount", t.formatMoney(paid), "Contact", t.contact())
	}
	return Reply{Text: text, Choices: t.cancelChoices()}, nil
}

// handleMyKidCancel cancels a child's sign-up, paid or not, as
// cancelChild does for the organizers: the place is released once and
// an unpaid one's order is void; money paid stays recorded
// (PaidAmount), for the organizers to return through the provider.
func handleMyKidCancel(t *turn, in input) error {
	c, ok, err := t.myChild()
	if err != nil || !ok {
		return err
	}
	return t.handleCancel(in, cancelEntry{
		back: StepMyChild, name: c.Name, code: c.Code, status: c.Status,
		cancellable: c.HoldsPlace(),
		cancel:      func() error { return t.releaseChild(&c, StatusCancelled) },
	})
}

// registerFunStarts adds the Fun Starts sign-up of a child and, in My
// registrations, a child's sign-up with its changes and cancelling.
func registerFunStarts(r *registry) {
	r.addSteps(map[Step]stepDef{
		StepFun:         {ask: askFun, handle: handleFun},
		StepFunDone:     {ask: askFunDone, handle: handleFun},
		StepMyChild:     {ask: childStep(askMyChild), handle: handleMyChild},
		StepMyKidCancel: {ask: childStep(askMyKidCancel), handle: handleMyKidCancel},
	})
	for _, fd := range funFields {
		r.addSteps(map[Step]stepDef{fd.step: funStep(fd)})
		if s, ok := kidChanges[fd.step]; ok {
			r.addSteps(map[Step]stepDef{s: kidChangeStep(fd)})
		}
	}
}
