package flows

import (
	"crypto/rand"
	"errors"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// Registration payloads.
const (
	payBack      = "back"
	payCancel    = "cancel"
	payConfirm   = "reg:ok"
	payEdit      = "reg:edit"
	payEditField = "e:"
	payAgree     = "agree"
	payKnownTel  = "phone:known"
	payYes       = "cancel:yes"
	payNo        = "cancel:no"
	payPromo     = "reg:promo"
	payNoPromo   = "promo:none"
)

// Categories a runner can register in.
var categories = []string{"general", "para", "deaf"}

// adultAge is the age from which a participant consents for themselves.
const adultAge = 18

// field is one question of the registration, in the order asked.
type field struct {
	step domain.Step
	// label is the message id of the field's name in the summary.
	label string
	// applies reports whether the field is asked of this participant;
	// nil means always.
	applies func(t *turn) bool
	// missing reports whether the answer is absent or no longer valid
	// (a distance that the new date of birth does not allow).
	missing func(t *turn) bool
	// show is the answer as the summary shows it.
	show   func(t *turn) string
	ask    func(t *turn) (dialog.Reply, error)
	answer func(t *turn, in input) error
}

var regFields = []field{
	{
		step: StepRegName, label: "field_name",
		missing: func(t *turn) bool { return t.draft().Name == "" },
		show:    func(t *turn) string { return t.draft().Name },
		ask:     textQuestion("reg_name_ask"),
		answer: func(t *turn, in input) error {
			name, err := ParseFullName(in.text)
			if err != nil {
				return err
			}
			if err := t.refuseDuplicate(name, t.draft().Birth); err != nil {
				return err
			}
			t.draft().Name = name
			return nil
		},
	},
	{
		step: StepRegBirth, label: "field_birth",
		missing: func(t *turn) bool { return t.draft().Birth == "" },
		show:    func(t *turn) string { return showBirth(t.draft().Birth) },
		ask:     textQuestion("reg_birth_ask"),
		answer:  answerBirth,
	},
	{
		step: StepRegGender, label: "field_gender",
		missing: func(t *turn) bool { return t.draft().Gender == "" },
		show: func(t *turn) string {
			if g := t.draft().Gender; g != "" {
				return t.T("gender_" + g)
			}
			return ""
		},
		ask: func(t *turn) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("reg_gender_ask"), Choices: []dialog.Choice{
				t.choice("gender_female", "g:female"),
				t.choice("gender_male", "g:male"),
				t.choice("gender_skip", "g:unspecified"),
			}}, nil
		},
		answer: func(t *turn, in input) error {
			g, ok := strings.CutPrefix(in.payload, "g:")
			if !ok {
				return invalid("pick_button")
			}
			t.draft().Gender = g
			return nil
		},
	},
	{
		step: StepRegPhone, label: "field_phone",
		missing: func(t *turn) bool { return t.draft().Phone == "" },
		show:    func(t *turn) string { return formatPhone(t.draft().Phone) },
		ask: func(t *turn) (dialog.Reply, error) {
			return t.askPhone(t.T("reg_phone_ask", "Name", t.draft().Name)), nil
		},
		answer: func(t *turn, in input) error {
			phone, err := t.answerPhone(in)
			if err != nil {
				return err
			}
			t.draft().Phone = phone
			return nil
		},
	},
	{
		step: StepRegMode, label: "field_mode",
		applies: func(t *turn) bool { return t.ev.HasOnline() },
		missing: func(t *turn) bool {
			m := t.draft().Mode
			return m == "" || (m == event.Online && !t.onlineOpen())
		},
		show: func(t *turn) string {
			if m := t.draft().Mode; m != "" {
				return modeName(t, m)
			}
			return ""
		},
		ask: func(t *turn) (dialog.Reply, error) {
			r := dialog.Reply{Text: t.T("reg_mode_ask", "Name", t.draft().Name), Choices: []dialog.Choice{
				t.choice("mode_choice_inperson", "mode:"+string(event.InPerson)),
			}}
			if t.onlineOpen() {
				r.Choices = append(r.Choices, t.choice("mode_choice_online", "mode:"+string(event.Online)))
			}
			return r, nil
		},
		answer: func(t *turn, in input) error {
			m, ok := strings.CutPrefix(in.payload, "mode:")
			if !ok {
				return invalid("pick_button")
			}
			t.draft().Mode = event.Mode(m)
			return nil
		},
	},
	{
		step: StepRegDistance, label: "field_distance",
		missing: func(t *turn) bool {
			d, ok := t.ev.Distance(t.draft().Distance)
			return !ok || !t.allowed(d)
		},
		show: func(t *turn) string {
			d, ok := t.ev.Distance(t.draft().Distance)
			if !ok {
				return ""
			}
			if t.draft().Waitlist {
				return t.T("distance_waitlist", "Distance", t.formatKm(d.Km), "Fee", t.formatMoney(d.Fee))
			}
			return t.T("distance_with_fee", "Distance", t.formatKm(d.Km), "Fee", t.formatMoney(d.Fee))
		},
		ask:    askDistance,
		answer: answerDistance,
	},
	{
		step: StepRegCategory, label: "field_category",
		missing: func(t *turn) bool { return t.draft().Category == "" },
		show: func(t *turn) string {
			if c := t.draft().Category; c != "" {
				return t.T("category_" + c)
			}
			return ""
		},
		ask: func(t *turn) (dialog.Reply, error) {
			r := dialog.Reply{Text: t.T("reg_category_ask")}
			for _, c := range categories {
				r.Choices = append(r.Choices, t.choice("category_"+c, "cat:"+c))
			}
			return r, nil
		},
		answer: func(t *turn, in input) error {
			c, ok := strings.CutPrefix(in.payload, "cat:")
			if !ok {
				return invalid("pick_button")
			}
			t.draft().Category = c
			return nil
		},
	},
	{
		step: StepRegTShirt, label: "field_tshirt",
		missing: func(t *turn) bool { return t.draft().TShirt == "" },
		show:    func(t *turn) string { return t.draft().TShirt },
		ask:     func(t *turn) (dialog.Reply, error) { return askSize(t.T("reg_tshirt_ask"), t.ev.TShirtSizes), nil },
		answer: func(t *turn, in input) error {
			s, err := answerSize(in)
			if err != nil {
				return err
			}
			t.draft().TShirt = s
			return nil
		},
	},
	{
		step: StepRegEmName, label: "field_emergency_name",
		applies: func(t *turn) bool { return t.mode() == event.InPerson },
		missing: func(t *turn) bool { return t.draft().EmergencyName == "" },
		show:    func(t *turn) string { return t.draft().EmergencyName },
		ask:     textQuestion("reg_emergency_name_ask"),
		answer: func(t *turn, in input) error {
			name, err := ParseName(in.text)
			if err != nil {
				return err
			}
			t.draft().EmergencyName = name
			return nil
		},
	},
	{
		step: StepRegEmPhone, label: "field_emergency_phone",
		applies: func(t *turn) bool { return t.mode() == event.InPerson },
		missing: func(t *turn) bool { return t.draft().EmergencyPhone == "" },
		show:    func(t *turn) string { return formatPhone(t.draft().EmergencyPhone) },
		ask:     textQuestion("reg_emergency_phone_ask"),
		answer: func(t *turn, in input) error {
			phone, err := parseEmergencyPhone(in.text, t.draft().Phone, t.minor())
			if err != nil {
				return err
			}
			t.draft().EmergencyPhone = phone
			return nil
		},
	},
	{
		step: StepRegGuardian, label: "field_guardian",
		applies: func(t *turn) bool { return t.minor() },
		missing: func(t *turn) bool { return t.draft().Guardian == "" },
		show:    func(t *turn) string { return t.draft().Guardian },
		ask:     textQuestion("reg_guardian_ask"),
		answer: func(t *turn, in input) error {
			name, err := ParseFullName(in.text)
			if err != nil {
				return err
			}
			d := t.draft()
			if name != d.Guardian {
				d.Consent = false
			}
			d.Guardian = name
			return nil
		},
	},
	{
		step: StepRegConsent, label: "field_consent",
		missing: func(t *turn) bool {
			d := t.draft()
			return !d.Consent || d.ConsentAsGuardian != t.minor()
		},
		show: func(t *turn) string {
			if d := t.draft(); d.Consent {
				return t.T("consent_given")
			}
			return ""
		},
		ask: func(t *turn) (dialog.Reply, error) {
			d := t.draft()
			if t.minor() {
				return t.consentQuestion(t.T("reg_consent_ask_minor", "Name", d.Name, "Guardian", d.Guardian)), nil
			}
			return t.consentQuestion(t.T("reg_consent_ask", "Name", d.Name)), nil
		},
		answer: func(t *turn, in input) error {
			if !agreed(in) {
				return invalid("reg_consent_required")
			}
			d := t.draft()
			d.Consent = true
			d.ConsentAsGuardian = t.minor()
			return nil
		},
	},
}

// askSize asks for a t-shirt size, one button per size.
// consentQuestion asks for the consent that makes an entry, a runner's
// or a child's: text, the rules' link when the event file has one, and
// the button to agree.
func (t *turn) consentQuestion(text string) dialog.Reply {
	r := dialog.Reply{Text: text, Choices: []dialog.Choice{t.choice("consent_agree", payAgree)}}
	if t.ev.RulesURL != "" {
		r.Links = []dialog.Link{{Label: t.T("rules_link"), URL: t.ev.RulesURL}}
	}
	return r
}

func askSize(text string, sizes []string) dialog.Reply {
	r := dialog.Reply{Text: text}
	for _, s := range sizes {
		r.Choices = append(r.Choices, dialog.Choice{Label: s, Payload: "size:" + s})
	}
	return r
}

// answerSize reads the size pressed in answer to askSize; nothing else
// is one.
func answerSize(in input) (string, error) {
	s, ok := strings.CutPrefix(in.payload, "size:")
	if !ok {
		return "", invalid("pick_button")
	}
	return s, nil
}

// askPhone asks for a phone number with the messenger's "share my
// contact" button and, when the bot knows the user's number, a button to
// use it.
func (t *turn) askPhone(text string) dialog.Reply {
	r := dialog.Reply{Text: text, AskPhone: true, ShareLabel: t.T("phone_share"), ShareHint: t.T("phone_share_hint")}
	if t.u.Phone != "" {
		r.Choices = append(r.Choices, dialog.Choice{Label: t.T("phone_use_known", "Phone", formatPhone(t.u.Phone)), Payload: payKnownTel})
	}
	return r
}

// answerPhone reads the answer to askPhone: the known number, a shared
// contact, or a number typed out.
func (t *turn) answerPhone(in input) (string, error) {
	switch {
	case in.payload == payKnownTel:
		return t.u.Phone, nil
	case in.phone != "":
		return ParseSharedPhone(in.phone)
	}
	return ParsePhone(in.text)
}

// textQuestion asks for typed text; the question names the participant.
func textQuestion(id string) func(t *turn) (dialog.Reply, error) {
	return func(t *turn) (dialog.Reply, error) {
		d := t.draft()
		return dialog.Reply{Text: t.T(id, "Name", d.Name, "Contact", d.EmergencyName)}, nil
	}
}

// question asks fd with the answer given so far, if it still holds,
// and the Back and Cancel buttons.
func (fd field) question(t *turn) (dialog.Reply, error) {
	r, err := fd.ask(t)
	if err != nil {
		return dialog.Reply{}, err
	}
	if v := fd.show(t); v != "" && !fd.missing(t) {
		r.Text += "\n" + t.T("reg_current", "Value", v)
	}
	r.Choices = append(r.Choices, t.choice("back", payBack), t.choice("cancel", payCancel))
	return r, nil
}

// fieldStep makes a registration field into a step with Back and Cancel.
func fieldStep(fd field) stepDef {
	return stepDef{
		ask: fd.question,
		handle: func(t *turn, in input) error {
			switch in.payload {
			case payBack:
				t.back(fd.step)
				return nil
			case payCancel:
				t.session().Return = fd.step
				t.goTo(StepRegCancel)
				return nil
			}
			if in.text == "" && in.payload == "" && in.phone == "" {
				return invalid("pick_button")
			}
			if err := fd.answer(t, in); err != nil {
				return err
			}
			t.forward(fd.step)
			return nil
		},
	}
}

func (t *turn) draft() *domain.Draft { return &t.u.Session.Draft }

// mode is how the participant takes part; in person when the event has
// no online run.
func (t *turn) mode() event.Mode {
	if !t.ev.HasOnline() {
		return event.InPerson
	}
	return t.draft().Mode
}

// age is the participant's age on race day; ok is false before the date
// of birth is known.
func (t *turn) age() (int, bool) {
	b, err := time.Parse("2006-01-02", t.draft().Birth)
	if err != nil {
		return 0, false
	}
	return event.AgeOn(b, t.ev.Day()), true
}

func (t *turn) minor() bool {
	a, ok := t.age()
	return ok && a < adultAge
}

// allowed reports whether the participant may run distance d in their
// mode at their age.
func (t *turn) allowed(d event.Distance) bool {
	a, ok := t.age()
	return ok && a >= d.MinAge && d.Offered(t.mode())
}

func (t *turn) onlineOpen() bool {
	a, ok := t.age()
	for _, d := range t.ev.Distances {
		if d.Online && (!ok || a >= d.MinAge) {
			return true
		}
	}
	return false
}

func (t *turn) applies(fd field) bool { return fd.applies == nil || fd.applies(t) }

func fieldIndex(s domain.Step) int {
	for i, fd := range regFields {
		if fd.step == s {
			return i
		}
	}
	return len(regFields)
}

// forward moves on after a field was answered: to the next field, or,
// when the user came from the summary, to whatever still needs an answer
// and then back to the summary.
func (t *turn) forward(from domain.Step) {
	if t.session().Editing {
		t.goTo(t.resumeStep())
		return
	}
	for _, fd := range regFields[fieldIndex(from)+1:] {
		if t.applies(fd) {
			t.goTo(fd.step)
			return
		}
	}
	t.goTo(StepRegSummary)
}

// back goes to the previous field, to the summary when editing, and to
// the menu from the first field. Answers are kept.
func (t *turn) back(from domain.Step) {
	s := t.session()
	if s.Editing {
		t.goTo(StepRegSummary)
		return
	}
	for i := fieldIndex(from) - 1; i >= 0; i-- {
		if t.applies(regFields[i]) {
			t.goTo(regFields[i].step)
			return
		}
	}
	t.goTo(StepMenu)
}

// resumeStep is the first field still to answer, or the summary.
func (t *turn) resumeStep() domain.Step {
	for _, fd := range regFields {
		if t.applies(fd) && fd.missing(t) {
			return fd.step
		}
	}
	return StepRegSummary
}

func showBirth(s string) string {
	b, err := time.Parse("2006-01-02", s)
	if err != nil {
		return ""
	}
	return b.Format("02.01.2006")
}

func answerBirth(t *turn, in input) error {
	b, err := ParseBirth(in.text, t.today())
	if err != nil {
		return err
	}
	if event.AgeOn(b, t.ev.Day()) < t.ev.MinAge() {
		return invalidN("reg_too_young", t.ev.MinAge(),
			"FunMin", t.ev.FunStarts.AgeMin, "FunMax", t.ev.FunStarts.AgeMax)
	}
	d := t.draft()
	if err := t.refuseDuplicate(d.Name, b.Format("2006-01-02")); err != nil {
		return err
	}
	d.Birth = b.Format("2006-01-02")
	// A new date of birth may rule out the distance chosen: say why it
	// is asked again.
	if dist, ok := t.ev.Distance(d.Distance); ok && event.AgeOn(b, t.ev.Day()) < dist.MinAge {
		t.notes = append(t.notes, t.N("reg_distance_age", dist.MinAge, "Distance", t.formatKm(dist.Km)))
	}
	return nil
}

// refuseDuplicate refuses a name and date of birth that one of the
// user's registrations still counting already has: found as soon as
// both are known, not after the whole form.
func (t *turn) refuseDuplicate(name, birth string) error {
	if name == "" || birth == "" {
		return nil
	}
	r, ok, err := t.sameEntry(domain.KindRunner, name, birth)
	if ok {
		return invalid("reg_duplicate_early", "Name", r.Name, "Code", r.Code)
	}
	return err
}

func askDistance(t *turn) (dialog.Reply, error) {
	mode := t.mode()
	r := dialog.Reply{}
	var full []string
	var waitlist []dialog.Choice
	for _, d := range t.ev.Distances {
		if !t.allowed(d) {
			continue
		}
		taken, err := t.tx.PlacesTaken(d.ID, mode)
		if err != nil {
			return dialog.Reply{}, err
		}
		left := d.CapacityFor(mode) - taken
		if left <= 0 {
			full = append(full, t.formatKm(d.Km))
			waitlist = append(waitlist, dialog.Choice{
				Label:   t.T("reg_distance_waitlist", "Distance", t.formatKm(d.Km), "Fee", t.formatMoney(d.Fee)),
				Payload: "w:" + d.ID,
			})
			continue
		}
		r.Choices = append(r.Choices, dialog.Choice{
			Label:   t.T("reg_distance_choice", "Distance", t.formatKm(d.Km), "Fee", t.formatMoney(d.Fee), "Left", t.T("places_left_label", "Count", left)),
			Payload: "d:" + d.ID,
		})
	}
	switch {
	case len(r.Choices) == 0:
		r.Text = t.T("reg_distance_none")
	default:
		r.Text = t.T("reg_distance_ask", "Name", t.draft().Name, "Mode", modeName(t, mode))
	}
	if len(full) > 0 {
		r.Text += "\n" + t.T("reg_distance_full", "Distances", strings.Join(full, ", "))
		r.Choices = append(r.Choices, waitlist...)
	}
	return r, nil
}

func answerDistance(t *turn, in input) error {
	if id, ok := strings.CutPrefix(in.payload, "w:"); ok {
		t.draft().Distance, t.draft().Waitlist = id, true
		return nil
	}
	id, ok := strings.CutPrefix(in.payload, "d:")
	if !ok {
		return invalid("pick_button")
	}
	t.draft().Distance, t.draft().Waitlist = id, false
	return nil
}

func askSummary(t *turn) (dialog.Reply, error) {
	var b strings.Builder
	b.WriteString(t.T("reg_summary_header"))
	for _, fd := range regFields {
		if !t.applies(fd) {
			continue
		}
		b.WriteString("\n" + t.T("summary_line", "Field", t.T(fd.label), "Value", fd.show(t)))
	}
	if fee, discount, ok := t.draftPrice(); ok {
		if discount > 0 {
			b.WriteString("\n" + t.T("summary_promo", "Code", t.draft().Promo, "Discount", t.formatMoney(discount)))
		}
		b.WriteString("\n" + t.T("summary_to_pay", "Amount", t.formatMoney(fee-discount)))
	}
	promo := t.choice("reg_promo", payPromo)
	if t.draft().Promo != "" {
		promo = t.choice("reg_promo_change", payPromo)
	}
	return dialog.Reply{Text: b.String(), Choices: []dialog.Choice{
		t.choice("reg_confirm", payConfirm),
		t.choice("reg_edit", payEdit),
		promo,
		t.choice("back", payBack),
		t.choice("cancel", payCancel),
	}}, nil
}

// draftPrice is the fee of the chosen distance and the discount of the
// promo code entered.
func (t *turn) draftPrice() (fee, discount int, ok bool) {
	d, ok := t.ev.Distance(t.draft().Distance)
	if !ok {
		return 0, 0, false
	}
	if p, found := t.ev.Promo(t.draft().Promo); found {
		discount = p.Discount(d.Fee)
	}
	return d.Fee, discount, true
}

func askPromo(t *turn) (dialog.Reply, error) {
	r := dialog.Reply{Text: t.T("reg_promo_ask")}
	if t.draft().Promo != "" {
		r.Choices = append(r.Choices, t.choice("reg_promo_remove", payNoPromo))
	}
	r.Choices = append(r.Choices, t.choice("back", payBack))
	return r, nil
}

func handlePromo(t *turn, in input) error {
	switch in.payload {
	case payBack:
		t.goTo(StepRegSummary)
		return nil
	case payNoPromo:
		t.draft().Promo = ""
		t.goTo(StepRegSummary)
		return nil
	}
	if in.text == "" {
		return invalid("reg_promo_ask")
	}
	p, ok := t.ev.Promo(in.text)
	if !ok {
		return invalid("promo_unknown")
	}
	if !p.ValidAt(t.now) {
		return invalid("promo_expired")
	}
	used, err := t.tx.PromoUses(p.Code)
	if err != nil {
		return err
	}
	if used >= p.Limit {
		return invalid("promo_no_uses", "Code", p.Code)
	}
	t.draft().Promo = p.Code
	t.goTo(StepRegSummary)
	return nil
}

func handleSummary(t *turn, in input) error {
	s := t.session()
	switch in.payload {
	case payConfirm:
		if t.repeated() {
			return nil
		}
		return confirm(t)
	case payEdit:
		t.goTo(StepRegEdit)
	case payPromo:
		t.goTo(StepRegPromo)
	case payBack:
		s.Editing = false
		t.back(StepRegSummary)
	case payCancel:
		s.Return = StepRegSummary
		t.goTo(StepRegCancel)
	default:
		return invalid("pick_button")
	}
	return nil
}

func askEdit(t *turn) (dialog.Reply, error) {
	r := dialog.Reply{Text: t.T("reg_edit_ask")}
	for _, fd := range regFields {
		if t.applies(fd) && fd.step != StepRegConsent {
			r.Choices = append(r.Choices, t.choice(fd.label, payEditField+string(fd.step)))
		}
	}
	r.Choices = append(r.Choices, t.choice("back", payBack))
	return r, nil
}

func handleEdit(t *turn, in input) error {
	if in.payload == payBack {
		t.goTo(StepRegSummary)
		return nil
	}
	step, ok := strings.CutPrefix(in.payload, payEditField)
	if !ok {
		return invalid("pick_button")
	}
	t.session().Editing = true
	t.goTo(domain.Step(step))
	return nil
}

func askCancel(t *turn) (dialog.Reply, error) {
	return dialog.Reply{Text: t.T("reg_cancel_ask"), Choices: []dialog.Choice{
		t.choice("reg_cancel_yes", payYes),
		t.choice("reg_cancel_no", payNo),
	}}, nil
}

func handleCancel(t *turn, in input) error {
	s := t.session()
	switch in.payload {
	case payYes:
		if t.repeated() {
			return nil
		}
		s.Draft = domain.Draft{}
		s.Editing = false
		t.note("reg_cancelled")
		t.goTo(StepMenu)
	case payNo:
		t.goTo(s.Return)
	default:
		return invalid("pick_button")
	}
	s.Return = ""
	return nil
}

// confirm creates the registration. The place is taken in the same
// transaction, so two people racing for the last place never both get it.
// A full distance chosen for its waitlist takes a place if one has freed
// up, and joins the waitlist otherwise.
func confirm(t *turn) error {
	s := t.session()
	if !t.ev.RegistrationOpen(t.now) {
		t.note("reg_closed", "Date", t.formatDate(t.ev.Closes()))
		t.goTo(StepMenu)
		return nil
	}
	if next := t.resumeStep(); next != StepRegSummary {
		t.goTo(next)
		return nil
	}
	d := s.Draft
	mode := t.mode()
	dist, _ := t.ev.Distance(d.Distance)
	if r, ok, err := t.sameEntry(domain.KindRunner, d.Name, d.Birth); err != nil || ok {
		if ok {
			s.Draft = domain.Draft{}
			s.Editing = false
			t.note("reg_duplicate", "Name", r.Name, "Code", r.Code)
			t.goTo(StepMine)
		}
		return err
	}
	r := domain.Registration{
		UserKey: t.u.Key, Lang: t.u.Lang,
		Name: d.Name, Birth: d.Birth, Gender: d.Gender, Phone: d.Phone,
		Mode: mode, Distance: d.Distance, Category: d.Category, TShirt: d.TShirt,
		Guardian: d.Guardian, Fee: dist.Fee, Currency: t.ev.Currency,
		Status: domain.StatusAwaitingPayment, CreatedAt: t.now, ConsentAt: t.now,
		HoldUntil: t.now.Add(t.ev.Payment.Hold()),
	}
	if mode == event.InPerson {
		r.EmergencyName, r.EmergencyPhone = d.EmergencyName, d.EmergencyPhone
	}
	if !t.minor() {
		r.Guardian = ""
	}
	if d.Promo != "" {
		p, ok := t.ev.Promo(d.Promo)
		var err error
		if ok && p.ValidAt(t.now) {
			err = t.tx.UsePromo(p.Code, p.Limit)
		}
		if !ok || !p.ValidAt(t.now) || errors.Is(err, domain.ErrPromoUsedUp) {
			s.Draft.Promo = ""
			t.note("promo_used_up", "Code", d.Promo)
			t.goTo(StepRegSummary)
			return nil
		}
		if err != nil {
			return err
		}
		r.Promo, r.Discount = p.Code, p.Discount(dist.Fee)
	}
	if err := t.addRegistration(&r, dist.CapacityFor(mode), d.Waitlist); err != nil {
		if !errors.Is(err, domain.ErrFull) {
			return err
		}
		if r.Promo != "" {
			if err := t.tx.ReleasePromo(r.Promo); err != nil {
				return err
			}
		}
		s.Draft.Distance = ""
		s.Editing = true
		t.note("reg_full_now", "Distance", t.formatKm(dist.Km))
		t.goTo(StepRegDistance)
		return nil
	}
	if t.u.Phone == "" {
		t.u.Phone = d.Phone
	}
	s.Draft = domain.Draft{}
	s.Editing = false
	t.goTo(StepRegDone)
	keep := t.T("reg_keep_kit")
	if mode == event.Online {
		keep = t.T("reg_keep_online")
	}
	args := []any{"Code", r.Code, "Name", r.Name, "Distance", t.formatKm(dist.Km), "Mode", modeName(t, mode), "Keep", keep}
	switch {
	case r.Status == domain.StatusWaitlisted:
		waiting, err := t.tx.Waiting(r.Distance, r.Mode)
		if err != nil {
			return err
		}
		t.note("reg_waitlisted", append(args, "Position", len(waiting),
			"Hours", int(t.ev.Payment.WaitlistHold().Hours()))...)
	case r.Due() == 0:
		if err := t.settle(&r, 0); err != nil {
			return err
		}
		if err := t.tx.PutRegistration(&r); err != nil {
			return err
		}
		t.notes = append(t.notes, t.confirmation(r, "reg_done_free").Text)
	default:
		o, err := t.askFee(&r)
		if err != nil {
			return err
		}
		t.note("reg_done", append(args, "Fee", t.formatMoney(o.Amount), "Until", t.formatTime(r.HoldUntil))...)
	}
	return nil
}

// addRegistration stores the new entry r under a new code (a child's
// is RFA-FS-…). On a full distance, with waitlist set, r joins its
// waitlist instead of failing with ErrFull.
func (t *turn) addRegistration(r *domain.Registration, capacity int, waitlist bool) error {
	prefix := t.ev.CodePrefix
	if r.Kind == domain.KindChild {
		prefix += "-FS"
	}
	for attempt := 0; ; attempt++ {
		r.Code = newCode(prefix)
		err := t.tx.AddRegistration(r, capacity)
		if errors.Is(err, domain.ErrFull) && waitlist && r.Status != domain.StatusWaitlisted {
			r.Status, r.HoldUntil, r.WaitlistedAt = domain.StatusWaitlisted, time.Time{}, t.now
			err = t.tx.AddRegistration(r, capacity)
		}
		if errors.Is(err, domain.ErrCodeTaken) && attempt < 20 {
			continue
		}
		return err
	}
}

// askFee opens the order of what the new entry r owes, saves r with it
// and adds the link to pay to the turn's reply.
func (t *turn) askFee(r *domain.Registration) (domain.Order, error) {
	o, err := t.newOrder(r, domain.PurposeFee, r.Due())
	if err != nil {
		return domain.Order{}, err
	}
	if err := t.tx.PutRegistration(r); err != nil {
		return domain.Order{}, err
	}
	l, err := t.payLink(o)
	if err != nil {
		return domain.Order{}, err
	}
	t.link(l)
	return o, nil
}

// codeAlphabet has no 0/O or 1/I, which people confuse when they read a
// code aloud at the kit desk.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// newCode returns a short human code like RFA-7K2Q.
func newCode(prefix string) string {
	var b [4]byte
	rand.Read(b[:]) // never fails since Go 1.24
	out := []byte(prefix + "-")
	for _, c := range b {
		out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return string(out)
}

// registerRegistration adds the runner's registration: its fields, the
// summary, changes to the draft, the promo code and cancelling.
func registerRegistration(r *registry) {
	r.addSteps(map[domain.Step]stepDef{
		StepRegSummary: {ask: askSummary, handle: handleSummary},
		StepRegEdit:    {ask: askEdit, handle: handleEdit},
		StepRegCancel:  {ask: askCancel, handle: handleCancel},
		StepRegPromo:   {ask: askPromo, handle: handlePromo},
	})
	for _, fd := range regFields {
		r.addSteps(map[domain.Step]stepDef{fd.step: fieldStep(fd)})
	}
}
