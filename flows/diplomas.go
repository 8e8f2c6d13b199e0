package flows

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/formats/diploma"
	"github.com/runforautism/rfabot/formats/results"
)

// Diplomas and the winners' list: /diploma sends a participant their
// diplomas, /results lists the winners and the user's own results, and
// DiplomaFor says what the diploma behind a results push's link says
// (formats/diploma draws and serves it).

// payDiploma starts the payload of a diploma's button: "dp:r:<code>"
// for a runner, "dp:c:<code>" for a Fun Starts child.
const payDiploma = "dp:"

// diplomaItem is one diploma a user can have: whose, and what it says.
type diplomaItem struct {
	payload string
	label   string
	file    string
	d       diploma.Diploma
}

// pendingDiploma is a diploma a turn sends: rendered after the
// transaction commits, so drawing never holds the database.
type pendingDiploma struct {
	file string
	d    diploma.Diploma
}

// diplomas lists the diplomas of the user's registrations and
// children: every finished result, and every child signed up for Fun
// Starts once Fun Starts has begun.
func (t *turn) diplomas() ([]diplomaItem, error) {
	regs, err := t.tx.Registrations(t.u.Key)
	if err != nil {
		return nil, err
	}
	var out []diplomaItem
	for _, reg := range regs {
		res, err := t.tx.Result(reg.Code)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if res.Status != domain.ResultFinished {
			continue
		}
		out = append(out, diplomaItem{payload: payDiploma + "r:" + reg.Code, file: diploma.FileName(reg.Code, "pdf"),
			label: t.nameLabel("diploma_choice", reg.Name, "Distance", t.resultDistance(res)), d: t.runnerDiploma(reg, res)})
	}
	if t.funStarted() {
		kids, err := t.entries(domain.KindChild)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			if k.Status != domain.StatusConfirmed {
				continue
			}
			out = append(out, diplomaItem{payload: payDiploma + "c:" + k.Code, file: diploma.FileName(k.Code, "pdf"),
				label: t.nameLabel("diploma_choice_child", k.Name), d: t.childDiploma(k)})
		}
	}
	return out, nil
}

// funStarted reports whether Fun Starts has begun, after which its
// children get their participation diplomas.
func (t *turn) funStarted() bool {
	at, err := time.ParseInLocation("2006-01-02 15:04", t.ev.Date+" "+t.ev.FunStarts.StartTime, t.ev.Location())
	return err == nil && !t.now.Before(at)
}

// runnerDiploma is a finisher's diploma in the turn's language.
func (t *turn) runnerDiploma(reg domain.Registration, res domain.Result) diploma.Diploma {
	lang := t.u.Lang
	forID := "diploma_for_run"
	if res.Mode == event.Online {
		forID = "diploma_for_online"
	}
	d := diploma.Diploma{
		Event: t.ev.Name.In(lang), Title: t.T("diploma_title"), Awarded: t.T("diploma_awarded"), Name: reg.Name,
		For:    t.T(forID, "Distance", t.distanceName(res.Distance)),
		Result: t.T("diploma_time", "Time", results.FormatTime(res.Time)),
		Places: t.diplomaPlaces(res),
		Date:   t.formatDate(t.ev.Day()), Organizer: t.ev.Organizer.In(lang),
	}
	if res.Chip > 0 {
		d.Chip = t.T("results_push_chip", "Time", results.FormatTime(res.Chip))
	}
	return d
}

// diplomaPlaces is the line of a finisher's places on the diploma: the
// place among all of the distance, then in the age group, as far as the
// results have them.
func (t *turn) diplomaPlaces(res domain.Result) string {
	var places []string
	if res.Place > 0 {
		id := "results_place"
		if res.Mode == event.Online {
			id = "results_place_online"
		}
		places = append(places, t.T(id, "Place", res.Place, "Of", res.Of))
	}
	if g, ok := t.ev.AgeGroupByID(res.Group); ok && res.GroupPlace > 0 {
		places = append(places, t.T("results_place_group", "Group", g.Name.In(t.u.Lang), "Place", res.GroupPlace, "Of", res.GroupOf))
	}
	return strings.Join(places, " · ")
}

// childDiploma is a Fun Starts child's participation diploma: no time.
func (t *turn) childDiploma(k domain.Registration) diploma.Diploma {
	lang := t.u.Lang
	return diploma.Diploma{
		Event: t.ev.Name.In(lang), Title: t.T("diploma_title_fun"), Awarded: t.T("diploma_awarded"), Name: k.Name,
		For: t.T("diploma_for_fun"), Date: t.formatDate(t.ev.Day()), Organizer: t.ev.Organizer.In(lang),
	}
}

// sendDiploma makes the reply the turn ends with carry the diploma.
func (t *turn) sendDiploma(it diplomaItem) {
	t.diploma = &pendingDiploma{file: it.file, d: it.d}
	t.note("diploma_here", "Name", it.d.Name)
}

// diplomaCommand is /diploma: the user's only diploma at once, or the
// list to pick from; before there is any, when to expect it.
func diplomaCommand(t *turn) error {
	items, err := t.diplomas()
	if err != nil {
		return err
	}
	switch len(items) {
	case 0:
		if t.now.Before(t.ev.Start()) {
			t.note("diploma_after_race")
		} else {
			t.note("diploma_none")
		}
	case 1:
		t.sendDiploma(items[0])
	default:
		t.goTo(StepDiploma)
	}
	return nil
}

func askDiploma(t *turn) (dialog.Reply, error) {
	items, err := t.diplomas()
	if err != nil {
		return dialog.Reply{}, err
	}
	r := dialog.Reply{Text: t.T("diploma_pick")}
	for _, it := range items {
		r.Choices = append(r.Choices, dialog.Choice{Label: it.label, Payload: it.payload})
	}
	r.Choices = append(r.Choices, t.choice("back_to_menu", payMenu))
	return r, nil
}

func handleDiploma(t *turn, in input) error {
	if in.payload == payMenu {
		t.goTo(StepMenu)
		return nil
	}
	items, err := t.diplomas()
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.payload == in.payload {
			t.sendDiploma(it)
			return nil
		}
	}
	return invalid("pick_button")
}

// renderDiploma draws a diploma as a PDF document.
func renderDiploma(p *pendingDiploma) (*dialog.Document, error) {
	b, err := diploma.PDF(p.d)
	if err != nil {
		return nil, err
	}
	return &dialog.Document{Name: p.file, MIME: diploma.MIME("pdf"), Data: b}, nil
}

// DiplomaFor is what the diploma of registration code behind a link of
// a results push says, in the language of the person who registered.
// It returns ErrNotFound when the code has no finished result or the
// token is not the result's.
func (f *Flows) DiplomaFor(ctx context.Context, code, token string) (diploma.Diploma, error) {
	var d diploma.Diploma
	err := f.store.View(ctx, func(tx domain.Tx) error {
		res, err := tx.Result(code)
		if err != nil {
			return err
		}
		if res.Status != domain.ResultFinished || res.Token == "" || subtle.ConstantTimeCompare([]byte(res.Token), []byte(token)) != 1 {
			return domain.ErrNotFound
		}
		reg, err := tx.Registration(code)
		if err != nil {
			return err
		}
		t, err := f.ownerTurn(tx, reg, f.now())
		if err != nil {
			return err
		}
		d = t.runnerDiploma(reg, res)
		return nil
	})
	if err != nil {
		return diploma.Diploma{}, fmt.Errorf("diploma of %s: %w", code, err)
	}
	return d, nil
}

// resultsCommand is /results: the user's own results, then the first
// places of each distance by gender at the venue.
func resultsCommand(t *turn) error {
	var parts []string
	regs, err := t.tx.Registrations(t.u.Key)
	if err != nil {
		return err
	}
	var own []string
	for _, reg := range regs {
		res, err := t.tx.Result(reg.Code)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		line := t.T("results_own_line", "Name", reg.Name, "Distance", t.resultDistance(res), "Result", t.resultValue(res.Status, res.Time))
		if pl := t.placeLines(reg, res); len(pl) > 0 {
			line += "\n" + strings.Join(pl, "\n")
		}
		own = append(own, line)
	}
	if len(own) > 0 {
		parts = append(parts, t.T("results_own")+"\n"+strings.Join(own, "\n\n"))
	}
	winners, err := t.winners()
	if err != nil {
		return err
	}
	if winners == "" {
		parts = append(parts, t.T("results_none"))
	} else {
		parts = append(parts, winners)
	}
	t.notes = append(t.notes, strings.Join(parts, "\n\n"))
	return nil
}

// winners lists the first places per distance and gender among the
// finishers at the venue, as many as the event file says; "" before
// any.
func (t *turn) winners() (string, error) {
	type entry struct {
		name string
		res  domain.Result
	}
	top := map[string][]entry{}
	n := t.ev.Results.WinnersShown()
	err := t.tx.EachResult(func(res domain.Result) error {
		if res.Mode != event.InPerson || res.GenderPlace == 0 || res.GenderPlace > n {
			return nil
		}
		reg, err := t.tx.Registration(res.Code)
		if err != nil {
			return err
		}
		k := res.Distance + "|" + reg.Gender
		top[k] = append(top[k], entry{reg.Name, res})
		return nil
	})
	if err != nil || len(top) == 0 {
		return "", err
	}
	var b strings.Builder
	b.WriteString(t.T("results_winners", "Event", t.ev.Name.In(t.u.Lang)))
	for _, d := range t.ev.Distances {
		for _, g := range []string{"female", "male"} {
			list := top[d.ID+"|"+g]
			if len(list) == 0 {
				continue
			}
			slices.SortFunc(list, func(a, b entry) int {
				if a.res.GenderPlace != b.res.GenderPlace {
					return a.res.GenderPlace - b.res.GenderPlace
				}
				return strings.Compare(a.name, b.name)
			})
			b.WriteString("\n\n" + t.T("results_winners_"+g, "Distance", t.distanceName(d.ID)))
			for _, e := range list {
				b.WriteString("\n" + t.T("results_winner", "Place", e.res.GenderPlace, "Name", e.name, "Time", results.FormatTime(e.res.Time)))
			}
		}
	}
	return b.String(), nil
}

// registerDiplomas adds results and diplomas: /results, /diploma and the
// choice of a diploma.
func registerDiplomas(r *registry) {
	r.addSteps(map[domain.Step]stepDef{StepDiploma: {ask: askDiploma, handle: handleDiploma}})
	r.addCommands(map[string]chatCommand{
		"results": func(t *turn, _ string) error { return resultsCommand(t) },
		"diploma": func(t *turn, _ string) error { return diplomaCommand(t) },
	})
}
