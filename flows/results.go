package flows

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/formats/results"
)

// Push kinds of results: the results themselves and their corrections
// go as bulk pushes (one import tells thousands at once); the answer to
// an online runner's submission goes directly.
const (
	kindResults = "results"
	kindReview  = "review"
)

// newToken is the unguessable part of a diploma's link.
func newToken() string {
	var b [16]byte
	rand.Read(b[:]) // never fails since Go 1.24
	return hex.EncodeToString(b[:])
}

// rank counts every result's places again: among the finishers of the
// same distance and mode by Time, equal times sharing a place (1, 2, 2,
// 4); then among those of the same gender (female or male; someone who
// did not say gets no gender place) and of the same gender and age
// group (age on race day, groups from the event file). Results whose
// places changed are saved.
func (t *turn) rank() error {
	var all []domain.Result
	if err := t.tx.EachResult(func(r domain.Result) error { all = append(all, r); return nil }); err != nil {
		return err
	}
	type field struct {
		distance string
		mode     event.Mode
		gender   string
		group    string
	}
	overall, byGender, byGroup := map[field][]int{}, map[field][]int{}, map[field][]int{}
	before := make([]domain.Result, len(all))
	copy(before, all)
	for i := range all {
		r := &all[i]
		r.Place, r.Of, r.GenderPlace, r.GenderOf, r.GroupPlace, r.GroupOf, r.Group = 0, 0, 0, 0, 0, 0, ""
		reg, err := t.tx.Registration(r.Code)
		if err != nil {
			return fmt.Errorf("registration of result %s: %w", r.Code, err)
		}
		if b, err := time.Parse("2006-01-02", reg.Birth); err == nil {
			if g, ok := t.ev.AgeGroup(event.AgeOn(b, t.ev.Day())); ok {
				r.Group = g.ID
			}
		}
		if r.Status != domain.ResultFinished {
			continue
		}
		f := field{distance: r.Distance, mode: r.Mode}
		overall[f] = append(overall[f], i)
		if reg.Gender != "female" && reg.Gender != "male" {
			continue
		}
		f.gender = reg.Gender
		byGender[f] = append(byGender[f], i)
		if r.Group != "" {
			f.group = r.Group
			byGroup[f] = append(byGroup[f], i)
		}
	}
	for _, idx := range overall {
		places(all, idx, func(r *domain.Result, place, of int) { r.Place, r.Of = place, of })
	}
	for _, idx := range byGender {
		places(all, idx, func(r *domain.Result, place, of int) { r.GenderPlace, r.GenderOf = place, of })
	}
	for _, idx := range byGroup {
		places(all, idx, func(r *domain.Result, place, of int) { r.GroupPlace, r.GroupOf = place, of })
	}
	for i := range all {
		if all[i] != before[i] {
			if err := t.tx.PutResult(&all[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// places ranks the results at idx by time (then code, for a stable
// order); equal times share a place.
func places(all []domain.Result, idx []int, set func(r *domain.Result, place, of int)) {
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(all[a].Time, all[b].Time); c != 0 {
			return c
		}
		return strings.Compare(all[a].Code, all[b].Code)
	})
	place := 0
	for n, i := range idx {
		if n == 0 || all[i].Time != all[idx[n-1]].Time {
			place = n + 1
		}
		set(&all[i], place, len(idx))
	}
}

// tellResult pushes the result of registration code to the person who
// registered, in their language, unless they know it already: the
// first time they finished, their time, places and diploma; after that,
// when their time or status changed, a short correction. Each version
// of a result is pushed at most once (key results:<code>:<version>). A
// result that is not a finish is not told until it changes.
func (t *turn) tellResult(code, kind string) (told, correction bool, err error) {
	res, err := t.tx.Result(code)
	if err != nil {
		return false, false, err
	}
	if res.Notified == res.Version || res.Notified == 0 && res.Status != domain.ResultFinished {
		return false, false, nil
	}
	reg, err := t.tx.Registration(code)
	if err != nil {
		return false, false, err
	}
	o, err := t.owner(reg)
	if err != nil {
		return false, false, err
	}
	correction = res.Notified > 0
	msg := o.resultMessage(reg, res)
	if correction {
		msg = o.correctionMessage(reg, res)
	}
	if err := o.push(kind, fmt.Sprintf("results:%s:%d", code, res.Version), msg); err != nil {
		return false, false, err
	}
	res.Notified = res.Version
	return true, correction, t.tx.PutResult(&res)
}

// resultDistance names a result's distance, marking an online run.
func (t *turn) resultDistance(res domain.Result) string {
	if res.Mode == event.Online {
		return t.T("result_distance_online", "Distance", t.distanceName(res.Distance))
	}
	return t.distanceName(res.Distance)
}

// placeLines are a finisher's places: overall (among online runners for
// an online run), by gender, by age group.
func (t *turn) placeLines(reg domain.Registration, res domain.Result) []string {
	var lines []string
	if res.Place > 0 {
		id := "results_place"
		if res.Mode == event.Online {
			id = "results_place_online"
		}
		lines = append(lines, t.T(id, "Place", res.Place, "Of", res.Of))
	}
	if res.GenderPlace > 0 {
		lines = append(lines, t.T("results_place_"+reg.Gender, "Place", res.GenderPlace, "Of", res.GenderOf))
	}
	if g, ok := t.ev.AgeGroupByID(res.Group); ok && res.GroupPlace > 0 {
		lines = append(lines, t.T("results_place_group", "Group", g.Name.In(t.u.Lang), "Place", res.GroupPlace, "Of", res.GroupOf))
	}
	return lines
}

// resultMessage is the push of a finisher's result: time, places and
// the links to the diploma.
func (t *turn) resultMessage(reg domain.Registration, res domain.Result) dialog.Reply {
	lines := []string{
		t.T("results_push_head", "Name", reg.Name, "Event", t.ev.Name.In(t.u.Lang)),
		t.T("results_push_time", "Distance", t.resultDistance(res), "Time", results.FormatTime(res.Time)),
	}
	if res.Chip > 0 {
		lines = append(lines, t.T("results_push_chip", "Time", results.FormatTime(res.Chip)))
	}
	lines = append(lines, t.placeLines(reg, res)...)
	r := dialog.Reply{Links: t.diplomaLinks(res)}
	if len(r.Links) > 0 {
		lines = append(lines, "", t.T("results_push_diploma"))
	} else {
		lines = append(lines, "", t.T("results_push_diploma_cmd"))
	}
	r.Text = strings.Join(lines, "\n")
	return r
}

// correctionMessage is the short push of a result that changed after
// the participant was told.
func (t *turn) correctionMessage(reg domain.Registration, res domain.Result) dialog.Reply {
	args := []any{"Event", t.ev.Name.In(t.u.Lang), "Distance", t.resultDistance(res), "Name", reg.Name}
	if res.Status != domain.ResultFinished {
		return dialog.Reply{Text: t.T("results_correction_status", append(args, "Status", t.T("result_status_"+string(res.Status)))...) +
			"\n" + t.contacts()}
	}
	text := t.T("results_correction", append(args, "Time", results.FormatTime(res.Time), "Place", res.Place, "Of", res.Of)...)
	return dialog.Reply{Text: text, Links: t.diplomaLinks(res)}
}

// diplomaLinks are the links to a finisher's diploma on the bot's HTTP
// server; none without a public URL.
func (t *turn) diplomaLinks(res domain.Result) []dialog.Link {
	if t.publicURL == "" || res.Status != domain.ResultFinished {
		return nil
	}
	base := t.publicURL + "/diploma/" + res.Code + "/" + res.Token
	return []dialog.Link{
		{Label: t.T("diploma_link_pdf"), URL: base + ".pdf"},
		{Label: t.T("diploma_link_png"), URL: base + ".png"},
	}
}
