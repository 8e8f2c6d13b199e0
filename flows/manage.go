package flows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// My registrations: the list, one registration's screen and the changes
// a participant makes until the lock date of the event file.

// Payloads of My registrations.
const (
	payManage      = "r:"
	payMyBack      = "my:back"
	payChTShirt    = "ch:tshirt"
	payChEmergency = "ch:em"
	payChDistance  = "ch:dist"
	payChMode      = "ch:mode"
	payChTransfer  = "ch:transfer"
	payChCancel    = "ch:cancel"
	payChYes       = "ch:yes"
	payCantCome    = "ch:cantcome"
)

func askMine(t *turn) (dialog.Reply, error) {
	entries, err := t.tx.Registrations(t.u.Key)
	if err != nil {
		return dialog.Reply{}, err
	}
	if len(entries) == 0 {
		return dialog.Reply{Text: t.T("mine_none"), Choices: []dialog.Choice{
			t.choice("menu_register", payRegister),
			t.choice("back_to_menu", payMenu),
		}}, nil
	}
	// The runners first (KindRunner sorts first), then the children,
	// each oldest first.
	slices.SortStableFunc(entries, func(a, b domain.Registration) int { return strings.Compare(string(a.Kind), string(b.Kind)) })
	var b strings.Builder
	b.WriteString(t.N("mine_header", len(entries)))
	var r dialog.Reply
	for _, e := range entries {
		b.WriteString("\n\n" + t.regItem(e))
		if e.Status == domain.StatusAwaitingPayment && e.Order != "" {
			l, err := t.openLink(e.Order)
			if err != nil {
				return dialog.Reply{}, err
			}
			l.Label = t.T("mine_pay_link", "Code", e.Code, "Amount", t.formatMoney(e.Due()))
			r.Links = append(r.Links, l)
		}
		if e.Status.Active() {
			r.Choices = append(r.Choices, dialog.Choice{Label: t.nameLabel("mine_manage", e.Name, "Code", e.Code), Payload: payManage + e.Code})
		}
	}
	r.Text = b.String()
	r.Choices = append(r.Choices, t.choice("register_another", payRegister), t.choice("back_to_menu", payMenu))
	return r, nil
}

// entries lists the user's entries of kind, oldest first.
func (t *turn) entries(kind domain.Kind) ([]domain.Registration, error) {
	all, err := t.tx.Registrations(t.u.Key)
	return slices.DeleteFunc(all, func(r domain.Registration) bool { return r.Kind != kind }), err
}

// sameEntry is the user's entry of kind, still counting, with name and
// birth; ok is false when there is none.
func (t *turn) sameEntry(kind domain.Kind, name, birth string) (domain.Registration, bool, error) {
	list, err := t.entries(kind)
	for _, r := range list {
		if r.Status.Active() && strings.EqualFold(r.Name, name) && r.Birth == birth {
			return r, true, err
		}
	}
	return domain.Registration{}, false, err
}

// regItem is an entry as My registrations lists it: code, name, the
// distance (a child's date of birth), status, and the bib or what is
// left to do.
func (t *turn) regItem(r domain.Registration) string {
	status := t.T("status_" + string(r.Status))
	if r.Kind == domain.KindChild {
		s := t.T("mine_child_item", "Code", r.Code, "Name", r.Name, "Birth", showBirth(r.Birth), "Status", status)
		if r.Status == domain.StatusAwaitingPayment {
			s += "\n" + t.T("mine_pay_until", "Amount", t.formatMoney(r.Due()), "Until", t.formatTime(r.HoldUntil))
		}
		return s
	}
	s := t.T("mine_item",
		"Code", r.Code, "Name", r.Name, "Distance", t.distanceName(r.Distance),
		"Mode", modeName(t, r.Mode), "Status", status,
		"Fee", t.formatMoney(r.Fee-r.Discount))
	switch r.Status {
	case domain.StatusPaid:
		if r.Bib > 0 {
			s += "\n" + t.T("mine_bib", "Bib", r.Bib)
		}
	case domain.StatusAwaitingPayment:
		s += "\n" + t.T("mine_pay_until", "Amount", t.formatMoney(r.Due()), "Until", t.formatTime(r.HoldUntil))
	case domain.StatusWaitlisted:
		if n, err := t.waitPosition(r); err == nil && n > 0 {
			s += "\n" + t.T("mine_waiting", "Position", n)
		}
	}
	if r.UpgradeTo != "" {
		s += "\n" + t.T("mine_upgrade_pending", "Distance", t.distanceName(r.UpgradeTo), "Until", t.formatTime(r.UpgradeUntil))
	}
	return s + t.resultItem(r)
}

// waitPosition is r's place in line on its waitlist, from 1.
func (t *turn) waitPosition(r domain.Registration) (int, error) {
	waiting, err := t.tx.Waiting(r.Distance, r.Mode)
	if err != nil {
		return 0, err
	}
	for i, w := range waiting {
		if w.Code == r.Code {
			return i + 1, nil
		}
	}
	return 0, nil
}

func handleMine(t *turn, in input) error {
	if code, ok := strings.CutPrefix(in.payload, payManage); ok {
		t.session().Reg = code
		t.goTo(StepMyReg)
		return nil
	}
	return handleMenu(t, in)
}

// myReg is the entry of My registrations the user is looking at, of
// either kind; ok is false (and the user back on the list) when it is
// gone or not theirs.
func (t *turn) myReg() (domain.Registration, bool, error) {
	r, err := t.tx.Registration(t.session().Reg)
	if errors.Is(err, domain.ErrNotFound) || err == nil && r.UserKey != t.u.Key {
		t.goTo(StepMine)
		return domain.Registration{}, false, nil
	}
	return r, err == nil, err
}

// myStep wraps the ask of a step about one entry: without one, the user
// sees the list.
func myStep(ask func(t *turn, r domain.Registration) (dialog.Reply, error)) func(t *turn) (dialog.Reply, error) {
	return func(t *turn) (dialog.Reply, error) {
		r, ok, err := t.myReg()
		if err != nil {
			return dialog.Reply{}, err
		}
		if !ok {
			return askMine(t)
		}
		return ask(t, r)
	}
}

func askMyReg(t *turn, r domain.Registration) (dialog.Reply, error) {
	var b strings.Builder
	b.WriteString(t.regItem(r))
	if r.TShirt != "" {
		b.WriteString("\n" + t.T("summary_line", "Field", t.T("field_tshirt"), "Value", r.TShirt))
	}
	if r.Mode == event.InPerson && r.EmergencyName != "" {
		b.WriteString("\n" + t.T("summary_line", "Field", t.T("field_emergency_name"),
			"Value", r.EmergencyName+", "+formatPhone(r.EmergencyPhone)))
	}
	if r.Kind == domain.KindChild {
		b.WriteString("\n" + t.T("summary_line", "Field", t.T("field_notes"), "Value", t.notesShown(r.SupportNeeds)))
	}
	reply := dialog.Reply{}
	if r.Status == domain.StatusAwaitingPayment && r.Order != "" {
		l, err := t.openLink(r.Order)
		if err != nil {
			return dialog.Reply{}, err
		}
		reply.Links = append(reply.Links, l)
	}
	if r.UpgradeOrder != "" {
		o, err := t.tx.Order(r.UpgradeOrder)
		if err != nil {
			return dialog.Reply{}, err
		}
		l, err := t.payLink(o)
		if err != nil {
			return dialog.Reply{}, err
		}
		reply.Links = append(reply.Links, l)
	}
	if r.Status.HoldsPlace() {
		if t.ev.ChangesOpen(t.now) {
			b.WriteString("\n\n" + t.T("my_changes_until", "Date", t.formatTime(t.ev.ChangesLock())))
		}
		reply.Choices = append(reply.Choices, t.changeChoices(r)...)
	}
	if cancellable(r) {
		reply.Choices = append(reply.Choices, t.choice("my_cancel", payChCancel))
	}
	if r.Status == domain.StatusPaid {
		reply.Choices = append(reply.Choices, t.choice("my_cant_come", payCantCome))
	}
	if t.offersQR(r) {
		reply.Choices = append(reply.Choices, t.choice("my_checkin_qr", payMyQR))
	}
	if ok, err := t.canSubmit(r); err != nil {
		return dialog.Reply{}, err
	} else if ok {
		reply.Choices = append([]dialog.Choice{t.choice("menu_online_result", payOnlineSubmit)}, reply.Choices...)
	}
	reply.Text = b.String()
	reply.Choices = append(reply.Choices, t.choice("back", payMyBack), t.choice("back_to_menu", payMenu))
	return reply, nil
}

// changeChoices are the changes of an entry that holds its place: a
// child's name, date of birth, notes and size; a runner's size,
// emergency contact, distance, mode and hand-over.
func (t *turn) changeChoices(r domain.Registration) []dialog.Choice {
	if r.Kind == domain.KindChild {
		return []dialog.Choice{t.choice("my_kid_name", payKidName), t.choice("my_kid_birth", payKidBirth),
			t.choice("my_kid_notes", payKidNotes), t.choice("my_change_tshirt", payChTShirt)}
	}
	c := []dialog.Choice{t.choice("my_change_tshirt", payChTShirt)}
	if r.Mode == event.InPerson {
		c = append(c, t.choice("my_change_emergency", payChEmergency))
	}
	c = append(c, t.choice("my_change_distance", payChDistance))
	if d, ok := t.ev.Distance(r.Distance); ok && d.Offered(otherMode(r.Mode)) && r.UpgradeTo == "" {
		c = append(c, t.choice("my_switch_"+string(otherMode(r.Mode)), payChMode))
	}
	return append(c, t.choice("my_transfer", payChTransfer))
}

// changeButtons are the steps the buttons of changeChoices lead to, by
// kind.
var changeButtons = map[domain.Kind]map[string]domain.Step{
	domain.KindRunner: {payChTShirt: StepMyTShirt, payChEmergency: StepMyEmName, payChDistance: StepMyDistance,
		payChMode: StepMyMode, payChTransfer: StepMyTrName},
	domain.KindChild: {payKidName: StepMyKidName, payKidBirth: StepMyKidBirth, payKidNotes: StepMyKidNotes, payChTShirt: StepMyKidTShirt},
}

// cancellable reports whether the participant may cancel r: a runner's
// registration until it is paid (a paid runner hands it over or runs
// online instead), a child's sign-up while it holds its place.
func cancellable(r domain.Registration) bool {
	if r.Kind == domain.KindChild {
		return r.Status.HoldsPlace()
	}
	return r.Status == domain.StatusAwaitingPayment || r.Status == domain.StatusWaitlisted
}

func otherMode(m event.Mode) event.Mode {
	if m == event.Online {
		return event.InPerson
	}
	return event.Online
}

func handleMyReg(t *turn, in input) error {
	switch in.payload {
	case payMyBack:
		t.goTo(StepMine)
		return nil
	case payMenu:
		t.goTo(StepMenu)
		return nil
	case payChCancel:
		t.goTo(StepMyCancel)
		return nil
	case payMyQR:
		return t.sendQR()
	case payCantCome:
		t.cantCome()
		return nil
	case payOnlineSubmit:
		t.submitFor(t.session().Reg)
		return nil
	}
	r, ok, err := t.myReg()
	if err != nil || !ok {
		return err
	}
	next := changeButtons[r.Kind][in.payload]
	if next == "" {
		return invalid("pick_button")
	}
	if t.changesClosed() {
		return nil
	}
	t.session().Change = domain.Draft{}
	t.goTo(next)
	return nil
}

// cantCome tells a paid runner who cannot come what they can do: hand
// the registration over or run online (while changes are open), and
// whom to ask about the fee.
func (t *turn) cantCome() {
	r, ok, err := t.myReg()
	if err != nil || !ok {
		return
	}
	contact := t.contact()
	id := "my_cant_come_info"
	if d, _ := t.ev.Distance(r.Distance); !d.Offered(otherMode(r.Mode)) || r.Mode == event.Online {
		id = "my_cant_come_transfer"
	}
	if !t.ev.ChangesOpen(t.now) {
		id = "my_cant_come_locked"
	}
	t.note(id, "Name", r.Name, "Contact", contact)
}

// contact is whom a participant asks about what the bot cannot change:
// the event's contacts, else the kit desk.
func (t *turn) contact() string {
	if c := t.ev.Contacts.In(t.u.Lang); c != "" {
		return c
	}
	return t.T("changes_contact_desk")
}

// changesClosed tells the user, after the lock date, why changes are
// closed and whom to contact, and takes them back to the entry.
func (t *turn) changesClosed() bool {
	if t.ev.ChangesOpen(t.now) {
		return false
	}
	t.note("changes_locked", "Date", t.formatTime(t.ev.ChangesLock()), "Contact", t.contact())
	t.goTo(StepMyReg)
	return true
}

// changeRefused applies the rules of every change, a runner's or a
// child's: the entry must still hold its place and changes must be
// open. Refused, the user is told why and taken back to the entry.
func (t *turn) changeRefused(r domain.Registration) bool {
	if !r.Status.HoldsPlace() {
		t.note("my_not_changeable", "Status", t.T("status_"+string(r.Status)))
		t.goTo(StepMyReg)
		return true
	}
	return t.changesClosed()
}

// emergencyNameStep asks an emergency contact's name, in a change or a
// hand-over, and goes on to next, the contact's phone.
func emergencyNameStep(next domain.Step) stepDef {
	return changeStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("reg_emergency_name_ask")}, nil
		},
		func(t *turn, r *domain.Registration, in input) error {
			name, err := ParseName(in.text)
			if err != nil {
				return err
			}
			t.change().EmergencyName = name
			t.goTo(next)
			return nil
		})
}

// askEmergencyPhone asks for the phone of the emergency contact a change
// names.
func askEmergencyPhone(t *turn, _ domain.Registration) (dialog.Reply, error) {
	return dialog.Reply{Text: t.T("reg_emergency_phone_ask", "Contact", t.change().EmergencyName)}, nil
}

// changeStep is a step of a change to one entry, of either kind: Back
// returns to the entry; the change applies only while the entry holds
// its place and changes are open.
func changeStep(ask func(t *turn, r domain.Registration) (dialog.Reply, error), handle func(t *turn, r *domain.Registration, in input) error) stepDef {
	return stepDef{
		ask: myStep(func(t *turn, r domain.Registration) (dialog.Reply, error) {
			q, err := ask(t, r)
			q.Choices = append(q.Choices, t.choice("back", payBack))
			return q, err
		}),
		handle: func(t *turn, in input) error {
			r, ok, err := t.myReg()
			if err != nil || !ok {
				return err
			}
			if in.payload == payBack {
				t.goTo(StepMyReg)
				return nil
			}
			if t.changeRefused(r) {
				return nil
			}
			return handle(t, &r, in)
		},
	}
}

// saved ends a change: the registration is stored and the user sees it
// with text id above.
func (t *turn) saved(r *domain.Registration, id string, args ...any) error {
	return t.save(r, t.T(id, args...))
}

func (t *turn) save(r *domain.Registration, text string) error {
	if err := t.tx.PutRegistration(r); err != nil {
		return err
	}
	t.notes = append(t.notes, text)
	t.session().Change = domain.Draft{}
	t.goTo(StepMyReg)
	return nil
}

func (t *turn) change() *domain.Draft { return &t.u.Session.Change }

var changeSteps = map[domain.Step]stepDef{
	StepMyTShirt: changeStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			return askSize(t.T("reg_tshirt_ask")+"\n"+t.T("reg_current", "Value", r.TShirt), t.ev.TShirtSizes), nil
		},
		func(t *turn, r *domain.Registration, in input) error {
			s, err := answerSize(in)
			if err != nil {
				return err
			}
			r.TShirt = s
			return t.saved(r, "my_saved")
		}),
	StepMyEmName: emergencyNameStep(StepMyEmPhone),
	StepMyEmPhone: changeStep(
		askEmergencyPhone,
		func(t *turn, r *domain.Registration, in input) error {
			phone, err := parseEmergencyPhone(in.text, r.Phone, t.regMinor(*r))
			if err != nil {
				return err
			}
			c := t.change()
			if c.EmergencyName == "" {
				t.goTo(StepMyEmName)
				return nil
			}
			if c.Mode == event.InPerson {
				return t.switchMode(r, event.InPerson, c.EmergencyName, phone)
			}
			r.EmergencyName, r.EmergencyPhone = c.EmergencyName, phone
			return t.saved(r, "my_saved")
		}),
	StepMyDistance: changeStep(askMyDistance, func(t *turn, r *domain.Registration, in input) error {
		id, ok := strings.CutPrefix(in.payload, "d:")
		if !ok {
			return invalid("pick_button")
		}
		return t.chooseDistance(r, id)
	}),
	StepMyDistanceOK: changeStep(askMyDistanceOK, handleMyDistanceOK),
	StepMyMode: changeStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			to := otherMode(r.Mode)
			return dialog.Reply{Text: t.T("my_mode_ask", "Name", r.Name, "Code", r.Code, "Mode", modeName(t, to),
				"Distance", t.distanceName(r.Distance)), Choices: []dialog.Choice{t.choice("my_switch_"+string(to), payChYes)}}, nil
		},
		func(t *turn, r *domain.Registration, in input) error {
			if in.payload != payChYes {
				return invalid("pick_button")
			}
			if t.repeated() {
				return nil
			}
			to := otherMode(r.Mode)
			if to == event.InPerson && r.EmergencyName == "" {
				t.change().Mode = event.InPerson
				t.note("my_mode_needs_contact")
				t.goTo(StepMyEmName)
				return nil
			}
			return t.switchMode(r, to, r.EmergencyName, r.EmergencyPhone)
		}),
	StepMyTrName: changeStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("my_transfer_ask", "Name", r.Name, "Code", r.Code)}, nil
		},
		func(t *turn, r *domain.Registration, in input) error {
			name, err := ParseFullName(in.text)
			if err != nil {
				return err
			}
			t.change().Name = name
			t.goTo(StepMyTrBirth)
			return nil
		}),
	StepMyTrBirth: changeStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("reg_birth_ask")}, nil
		},
		func(t *turn, r *domain.Registration, in input) error {
			b, err := ParseBirth(in.text, t.today())
			if err != nil {
				return err
			}
			d, _ := t.ev.Distance(r.Distance)
			if event.AgeOn(b, t.ev.Day()) < d.MinAge {
				return invalidN("my_transfer_too_young", d.MinAge, "Distance", t.distanceName(r.Distance))
			}
			t.change().Birth = b.Format("2006-01-02")
			t.goTo(StepMyTrGender)
			return nil
		}),
	StepMyTrGender: changeStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("reg_gender_ask"), Choices: []dialog.Choice{
				t.choice("gender_female", "g:female"),
				t.choice("gender_male", "g:male"),
				t.choice("gender_skip", "g:unspecified"),
			}}, nil
		},
		func(t *turn, r *domain.Registration, in input) error {
			g, ok := strings.CutPrefix(in.payload, "g:")
			if !ok {
				return invalid("pick_button")
			}
			c := t.change()
			c.Gender = g
			c.Guardian = ""
			t.goTo(t.transferNext(*r))
			return nil
		}),
	StepMyTrPhone: changeStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			return t.askPhone(t.T("reg_phone_ask", "Name", t.change().Name)), nil
		},
		func(t *turn, r *domain.Registration, in input) error {
			phone, err := t.answerPhone(in)
			if err != nil {
				return err
			}
			t.change().Phone = phone
			t.goTo(t.transferNext(*r))
			return nil
		}),
	StepMyTrEmName: emergencyNameStep(StepMyTrEmPhone),
	StepMyTrEmPhone: changeStep(
		askEmergencyPhone,
		func(t *turn, r *domain.Registration, in input) error {
			c := t.change()
			phone, err := parseEmergencyPhone(in.text, c.Phone, t.changeMinor())
			if err != nil {
				return err
			}
			c.EmergencyPhone = phone
			t.goTo(t.transferNext(*r))
			return nil
		}),
	StepMyTrGuardian: changeStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("reg_guardian_ask", "Name", t.change().Name)}, nil
		},
		func(t *turn, r *domain.Registration, in input) error {
			name, err := ParseFullName(in.text)
			if err != nil {
				return err
			}
			t.change().Guardian = name
			t.goTo(StepMyTrConsent)
			return nil
		}),
	StepMyTrConsent: changeStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			c := t.change()
			if t.changeMinor() {
				return t.consentQuestion(t.T("reg_consent_ask_minor", "Name", c.Name, "Guardian", c.Guardian)), nil
			}
			return t.consentQuestion(t.T("reg_consent_ask", "Name", c.Name)), nil
		},
		func(t *turn, r *domain.Registration, in input) error {
			if !agreed(in) {
				return invalid("reg_consent_required")
			}
			if t.repeated() {
				return nil
			}
			c := t.change()
			if next := t.transferNext(*r); next != StepMyTrConsent {
				t.goTo(next)
				return nil
			}
			from := r.Name
			r.Name, r.Birth, r.Gender, r.Guardian, r.ConsentAt = c.Name, c.Birth, c.Gender, c.Guardian, t.now
			r.Phone = c.Phone
			if r.Mode == event.InPerson {
				r.EmergencyName, r.EmergencyPhone = c.EmergencyName, c.EmergencyPhone
			}
			return t.saved(r, "my_transferred", "From", from, "Name", r.Name, "Code", r.Code)
		}),
}

// transferNext is the first question of a hand-over still to answer:
// the new person's name, date of birth, gender, phone, their emergency
// contact at the venue, their guardian when under 18, then the consent.
// Nothing of the person before is kept.
func (t *turn) transferNext(r domain.Registration) domain.Step {
	c := t.change()
	switch {
	case c.Name == "":
		return StepMyTrName
	case c.Birth == "":
		return StepMyTrBirth
	case c.Gender == "":
		return StepMyTrGender
	case c.Phone == "":
		return StepMyTrPhone
	case r.Mode == event.InPerson && c.EmergencyName == "":
		return StepMyTrEmName
	case r.Mode == event.InPerson && c.EmergencyPhone == "":
		return StepMyTrEmPhone
	case t.changeMinor() && c.Guardian == "":
		return StepMyTrGuardian
	}
	return StepMyTrConsent
}

// regMinor reports whether r's participant is under 18 on race day.
func (t *turn) regMinor(r domain.Registration) bool {
	b, err := time.Parse("2006-01-02", r.Birth)
	return err == nil && event.AgeOn(b, t.ev.Day()) < adultAge
}

// changeMinor reports whether the person a registration is handed to is
// under 18 on race day.
func (t *turn) changeMinor() bool {
	b, err := time.Parse("2006-01-02", t.change().Birth)
	return err == nil && event.AgeOn(b, t.ev.Day()) < adultAge
}

func askMyDistance(t *turn, r domain.Registration) (dialog.Reply, error) {
	b, _ := time.Parse("2006-01-02", r.Birth)
	age := event.AgeOn(b, t.ev.Day())
	q := dialog.Reply{Text: t.T("my_distance_ask", "Name", r.Name, "Distance", t.distanceName(r.Distance))}
	for _, d := range t.ev.Distances {
		if d.ID == r.Distance || age < d.MinAge || !d.Offered(r.Mode) {
			continue
		}
		taken, err := t.tx.PlacesTaken(d.ID, r.Mode)
		if err != nil {
			return dialog.Reply{}, err
		}
		left := d.CapacityFor(r.Mode) - taken
		if r.UpgradeTo == d.ID {
			left++
		}
		if left <= 0 {
			continue
		}
		q.Choices = append(q.Choices, dialog.Choice{
			Label:   t.T("reg_distance_choice", "Distance", t.formatKm(d.Km), "Fee", t.formatMoney(d.Fee), "Left", t.priceChange(r, d)),
			Payload: "d:" + d.ID,
		})
	}
	if len(q.Choices) == 0 {
		q.Text = t.T("my_distance_none")
	}
	return q, nil
}

// priceChange says what switching r to d costs.
func (t *turn) priceChange(r domain.Registration, d event.Distance) string {
	if r.Status != domain.StatusPaid {
		return t.T("my_diff_unpaid", "Amount", t.formatMoney(t.price(r, d.Fee)))
	}
	diff := t.price(r, d.Fee) - t.credit(r)
	switch {
	case diff > 0:
		return t.T("my_diff_more", "Amount", t.formatMoney(diff))
	case diff < 0 && t.ev.Changes.RefundOnDowngrade:
		return t.T("my_diff_back", "Amount", t.formatMoney(-diff))
	case diff < 0:
		return t.T("my_diff_norefund")
	}
	return t.T("my_diff_same")
}

// discount is what r's promo code takes off fee: a percent code is
// worked out anew on every fee.
func (t *turn) discount(r domain.Registration, fee int) int {
	if p, ok := t.ev.Promo(r.Promo); ok {
		return p.Discount(fee)
	}
	return min(r.Discount, fee)
}

// price is what r costs on a distance with fee, its promo code applied.
func (t *turn) price(r domain.Registration, fee int) int { return fee - t.discount(r, fee) }

// credit is the money paid for r that counts towards its entry. When a
// cheaper distance gets the difference back, all of it counts (what is
// beyond the price is owed back); otherwise what is already owed back
// for another reason does not.
func (t *turn) credit(r domain.Registration) int {
	if t.ev.Changes.RefundOnDowngrade {
		return r.PaidAmount
	}
	return r.PaidAmount - r.RefundDue
}

// chooseDistance takes the distance picked on the list: a paid
// registration moving to a distance that costs less than what was paid
// is asked to confirm first, since the difference may not come back.
func (t *turn) chooseDistance(r *domain.Registration, id string) error {
	d, ok := t.ev.Distance(id)
	if ok && r.Status == domain.StatusPaid && t.price(*r, d.Fee) < t.credit(*r) {
		t.change().Distance = id
		t.goTo(StepMyDistanceOK)
		return nil
	}
	return t.switchDistance(r, id)
}

func askMyDistanceOK(t *turn, r domain.Registration) (dialog.Reply, error) {
	d, ok := t.ev.Distance(t.change().Distance)
	if !ok {
		return askMyDistance(t, r)
	}
	price := t.price(r, d.Fee)
	id := "my_downgrade_norefund"
	if t.ev.Changes.RefundOnDowngrade {
		id = "my_downgrade_refund"
	}
	return dialog.Reply{Text: t.T("my_downgrade_ask", "Name", r.Name, "From", t.distanceName(r.Distance), "To", t.distanceName(d.ID),
		"Paid", t.formatMoney(t.credit(r)), "Price", t.formatMoney(price)) + "\n" +
		t.T(id, "Amount", t.formatMoney(t.credit(r)-price)),
		Choices: []dialog.Choice{t.choice("my_downgrade_yes", payChYes)}}, nil
}

func handleMyDistanceOK(t *turn, r *domain.Registration, in input) error {
	if in.payload != payChYes {
		return invalid("pick_button")
	}
	if t.repeated() {
		return nil
	}
	return t.switchDistance(r, t.change().Distance)
}

// switchDistance moves r to distance id, which must have a place. An
// unpaid registration gets a new link for the new price. A paid one pays
// what its new price is above what was paid through a new link (the new
// place is held meanwhile); a distance that what was paid covers is
// switched to at once, and what was paid beyond its price is owed back
// only when the event file says so (else it stays as credit, so
// switching back costs nothing).
func (t *turn) switchDistance(r *domain.Registration, id string) error {
	d, ok := t.ev.Distance(id)
	b, _ := time.Parse("2006-01-02", r.Birth)
	if !ok || id == r.Distance || !d.Offered(r.Mode) || event.AgeOn(b, t.ev.Day()) < d.MinAge {
		return invalid("pick_button")
	}
	if err := t.dropUpgrade(r); err != nil {
		return err
	}
	err := t.tx.TakePlace(id, r.Mode, d.CapacityFor(r.Mode))
	if errors.Is(err, domain.ErrFull) {
		t.note("reg_full_now", "Distance", t.distanceName(id))
		t.session().Change = domain.Draft{}
		t.goTo(StepMyReg)
		return t.tx.PutRegistration(r)
	}
	if err != nil {
		return err
	}
	from := r.Distance
	price := t.price(*r, d.Fee)
	if r.Status == domain.StatusPaid && price > t.credit(*r) {
		r.UpgradeTo, r.UpgradeUntil = id, t.now.Add(t.ev.Payment.Hold())
		o, err := t.newOrder(r, domain.PurposeUpgrade, price-t.credit(*r))
		if err != nil {
			return err
		}
		l, err := t.payLink(o)
		if err != nil {
			return err
		}
		t.link(l)
		return t.saved(r, "my_upgrade_started", "Distance", t.distanceName(id),
			"Amount", t.formatMoney(o.Amount), "Until", t.formatTime(r.UpgradeUntil))
	}
	var msg []string
	switch r.Status {
	case domain.StatusPaid:
		left := t.credit(*r) - price
		if err := t.moveBib(r, id); err != nil {
			return err
		}
		r.Distance, r.Fee, r.Discount = id, d.Fee, t.discount(*r, d.Fee)
		msg = append(msg, t.T("my_switched_paid", "Distance", t.distanceName(id), "Bib", t.bibText(r.Bib)))
		switch {
		case left > 0 && t.ev.Changes.RefundOnDowngrade:
			r.RefundDue = r.PaidAmount - price
			msg = append(msg, t.T("my_refund_due", "Amount", t.formatMoney(r.RefundDue)))
		case left > 0:
			msg = append(msg, t.T("my_no_refund", "Amount", t.formatMoney(left)))
		case t.ev.Changes.RefundOnDowngrade:
			r.RefundDue = 0
		}
	default:
		if err := t.voidOrder(r.Order); err != nil {
			return err
		}
		r.Distance, r.Fee, r.Discount, r.Order = id, d.Fee, t.discount(*r, d.Fee), ""
		if r.Due() == 0 {
			if err := t.settle(r, 0); err != nil {
				return err
			}
			msg = append(msg, t.T("my_switched_paid", "Distance", t.distanceName(id), "Bib", t.bibText(r.Bib)))
			break
		}
		o, err := t.newOrder(r, domain.PurposeFee, r.Due())
		if err != nil {
			return err
		}
		l, err := t.payLink(o)
		if err != nil {
			return err
		}
		t.link(l)
		msg = append(msg, t.T("my_switched_unpaid", "Distance", t.distanceName(id), "Amount", t.formatMoney(o.Amount)))
	}
	if err := t.save(r, strings.Join(msg, "\n")); err != nil {
		return err
	}
	if err := t.tx.ReleasePlace(from, r.Mode); err != nil {
		return err
	}
	return t.offerPlaces(from, r.Mode)
}

// moveBib gives a paid registration moving to distance id its bib
// there: the one it had before when it comes back to the distance it
// left last, else the next free one. The bib it leaves is kept for the
// way back, so switching back and forth uses up no bibs.
func (t *turn) moveBib(r *domain.Registration, id string) error {
	bib, from := r.Bib, r.Distance
	if r.PrevDistance == id && r.PrevBib > 0 {
		r.Bib = r.PrevBib
	} else {
		d, _ := t.ev.Distance(id)
		next, err := t.tx.NextBib(id, d.BibFrom, d.BibTo)
		if err != nil && !errors.Is(err, domain.ErrNoBibs) {
			return err
		}
		r.Bib = next
	}
	r.PrevBib, r.PrevDistance = bib, from
	return nil
}

func (t *turn) bibText(bib int) string {
	if bib == 0 {
		return t.T("bib_at_pickup")
	}
	return fmt.Sprint(bib)
}

// switchMode moves r between in person and online on the same distance,
// keeping its bib and fee; the new mode must have a place.
func (t *turn) switchMode(r *domain.Registration, to event.Mode, emName, emPhone string) error {
	d, _ := t.ev.Distance(r.Distance)
	if !d.Offered(to) || r.UpgradeTo != "" || r.Mode == to {
		t.goTo(StepMyReg)
		return nil
	}
	err := t.tx.TakePlace(r.Distance, to, d.CapacityFor(to))
	if errors.Is(err, domain.ErrFull) {
		t.note("my_mode_full", "Mode", modeName(t, to), "Distance", t.distanceName(r.Distance))
		t.session().Change = domain.Draft{}
		t.goTo(StepMyReg)
		return nil
	}
	if err != nil {
		return err
	}
	from := r.Mode
	r.Mode, r.EmergencyName, r.EmergencyPhone = to, "", ""
	if to == event.InPerson {
		r.EmergencyName, r.EmergencyPhone = emName, emPhone
	}
	if err := t.saved(r, "my_mode_switched", "Mode", modeName(t, to), "Distance", t.distanceName(r.Distance)); err != nil {
		return err
	}
	if err := t.tx.ReleasePlace(r.Distance, from); err != nil {
		return err
	}
	return t.offerPlaces(r.Distance, from)
}

// askMyCancel asks before an entry is cancelled. A paid fee is not
// returned by the bot: the participant is told whom to ask.
func askMyCancel(t *turn, r domain.Registration) (dialog.Reply, error) {
	text := t.T(textOf(r, "my_cancel_ask"), "Name", r.Name, "Code", r.Code)
	if paid := r.PaidAmount - r.RefundDue; paid > 0 && r.Status.Settled() {
		text += "\n" + t.T("fun_cancel_paid", "Amount", t.formatMoney(paid), "Contact", t.contact())
	}
	return dialog.Reply{Text: text, Choices: []dialog.Choice{t.choice("my_cancel_yes", payChYes), t.choice("back", payBack)}}, nil
}

// handleMyCancel gives up an entry the participant may cancel
// (cancellable): its place goes to the waitlist, an unpaid order is
// void; money paid stays recorded (PaidAmount), for the organizers to
// return through the provider.
func handleMyCancel(t *turn, in input) error {
	r, ok, err := t.myReg()
	if err != nil || !ok {
		return err
	}
	switch {
	case in.payload == payBack:
		t.goTo(StepMyReg)
		return nil
	case in.payload != payChYes:
		return invalid("pick_button")
	case t.repeated():
		return nil
	}
	if !cancellable(r) {
		t.note("my_not_cancellable", "Status", t.T("status_"+string(r.Status)))
		t.goTo(StepMyReg)
		return nil
	}
	if err := t.cancel(&r); err != nil {
		return err
	}
	t.note("my_cancelled", "Name", r.Name, "Code", r.Code)
	t.goTo(StepMine)
	return nil
}

// registerManage adds My registrations: the list, one registration, its
// changes and its cancelling.
func registerManage(r *registry) {
	r.addSteps(map[domain.Step]stepDef{
		StepMine:     {ask: askMine, handle: handleMine},
		StepMyReg:    {ask: myStep(askMyReg), handle: handleMyReg},
		StepMyCancel: {ask: myStep(askMyCancel), handle: handleMyCancel},
	})
	r.addSteps(changeSteps)
}
