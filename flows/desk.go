package flows

import (
	"errors"
	"strconv"
	"strings"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
)

// Race day in the chat, for volunteers without the dashboard: /checkin
// CODE|BIB shows the participant as the dashboard's check-in page does,
// with the same two buttons (hand out the kit, check in), recorded and
// audited by the same operation (checkIn). The next code or bib can be
// typed right away.

// Payloads of the desk.
const (
	payDeskKit = "desk:kit"
	payDeskIn  = "desk:in"
)

// checkinCommand is /checkin CODE|BIB.
func checkinCommand(t *turn, arg string) error {
	if strings.TrimSpace(arg) == "" {
		t.note("admin_checkin_usage")
		return nil
	}
	return t.openDesk(arg)
}

// openDesk shows the registration a code or bib names.
func (t *turn) openDesk(arg string) error {
	r, err := t.deskFind(arg)
	if errors.Is(err, domain.ErrNotFound) {
		t.note("admin_checkin_unknown", "Query", strings.TrimSpace(arg))
		return nil
	}
	if err != nil {
		return err
	}
	t.session().Desk = r.Code
	t.goTo(StepDesk)
	return nil
}

// deskFind is the registration with a code (RFA-7K2Q, or 7K2Q without
// the prefix) or the paid one with a bib (1042).
func (t *turn) deskFind(arg string) (domain.Registration, error) {
	arg = strings.TrimSpace(arg)
	if n, err := strconv.Atoi(arg); err == nil && n > 0 {
		var found *domain.Registration
		err := t.tx.EachRegistration(func(r domain.Registration) error {
			if r.Bib == n && r.Status == domain.StatusPaid {
				found = &r
			}
			return nil
		})
		if err != nil {
			return domain.Registration{}, err
		}
		if found == nil {
			return domain.Registration{}, domain.ErrNotFound
		}
		return *found, nil
	}
	code := normCode(arg)
	if !strings.Contains(code, "-") {
		code = t.ev.CodePrefix + "-" + code
	}
	return runner(t.tx, code)
}

func askDesk(t *turn) (dialog.Reply, error) {
	r, err := t.tx.Registration(t.session().Desk)
	if errors.Is(err, domain.ErrNotFound) {
		t.goTo(StepMenu)
		return askMenu(t)
	}
	if err != nil {
		return dialog.Reply{}, err
	}
	lines := []string{t.T("desk_card", "Name", r.Name, "Bib", t.bibText(r.Bib), "Code", r.Code,
		"Distance", t.distanceName(r.Distance), "Mode", modeName(t, r.Mode), "TShirt", r.TShirt,
		"Status", t.T("status_"+string(r.Status)))}
	q := dialog.Reply{}
	if r.Status != domain.StatusPaid {
		lines = append(lines, t.T("dash_not_paid"))
	} else {
		if r.KitCollectedAt.IsZero() {
			q.Choices = append(q.Choices, t.choice("dash_kit_give", payDeskKit))
		} else {
			lines = append(lines, "✓ "+t.T("dash_kit")+": "+t.formatTime(r.KitCollectedAt))
		}
		if r.CheckedInAt.IsZero() {
			q.Choices = append(q.Choices, t.choice("dash_checkin_do", payDeskIn))
		} else {
			lines = append(lines, "✓ "+t.T("dash_checked")+": "+t.formatTime(r.CheckedInAt))
		}
	}
	lines = append(lines, "", t.T("desk_next"))
	q.Text = strings.Join(lines, "\n")
	q.Choices = append(q.Choices, t.choice("back_to_menu", payMenu))
	return q, nil
}

func handleDesk(t *turn, in input) error {
	step := map[string]domain.Desk{payDeskKit: domain.DeskKit, payDeskIn: domain.DeskCheckIn}[in.payload]
	switch {
	case in.payload == payMenu:
		t.session().Desk = ""
		t.goTo(StepMenu)
		return nil
	case step != "":
		_, err := t.checkIn(t.session().Desk, step)
		switch {
		case errors.Is(err, domain.ErrAlreadyDone):
			t.note("dash_problem_already")
		case errors.Is(err, domain.ErrWrongStatus):
			t.note("dash_not_paid")
		case err != nil:
			return err
		default:
			t.note("dash_done_" + string(step))
		}
		return nil
	case in.text != "":
		return t.openDesk(in.text)
	}
	return invalid("pick_button")
}

// registerDesk adds the kit desk's screen.
func registerDesk(r *registry) {
	r.addSteps(map[domain.Step]stepDef{StepDesk: adminStep(askDesk, handleDesk)})
}
