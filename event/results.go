package event

import (
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/runforautism/rfabot/formats/results"
)

// Results are the settings of the results, their import and the
// winners' list.
type Results struct {
	// Winners is how many places per distance and gender /results
	// lists; 0 means 3.
	Winners int `toml:"winners"`
	// Columns name the columns of the timing company's file that the
	// known header names miss, field = "Header": bib = "Stnr".
	Columns map[string]string `toml:"columns"`
	// Pace bounds a plausible result on a distance, by its id; a
	// distance left out gets DefaultPace.
	Pace map[string]PaceLimit `toml:"pace"`
}

// PaceLimit is the fastest and the slowest plausible time per
// kilometre on a distance, "m:ss"; one left empty is the default.
type PaceLimit struct {
	Fastest string `toml:"fastest"`
	Slowest string `toml:"slowest"`
}

// Mapping is Columns as the results reader takes it.
func (r Results) Mapping() results.Mapping { return results.Mapping(r.Columns) }

// paceRecords are the fastest plausible paces per kilometre up to a
// length: a little under the men's world records over 1000 m (2:11.96),
// the mile, 3000 m, 5 km, 10 km, the half marathon (57:30) and the
// marathon (2:00:35).
var paceRecords = []struct {
	km   float64
	pace time.Duration
}{
	{1, 2*time.Minute + 10*time.Second},
	{1.61, 2*time.Minute + 15*time.Second},
	{3, 2*time.Minute + 25*time.Second},
	{5, 2*time.Minute + 30*time.Second},
	{10, 2*time.Minute + 35*time.Second},
	{21.1, 2*time.Minute + 40*time.Second},
	{42.2, 2*time.Minute + 50*time.Second},
}

// slowestPace is the default slowest plausible pace: a slow walk with a
// child, 3 km/h.
const slowestPace = 20 * time.Minute

// DefaultPace is the plausible pace on a distance of km kilometres:
// no faster than the world record, no slower than a slow walk.
func DefaultPace(km float64) results.Pace {
	for _, r := range paceRecords {
		if km <= r.km {
			return results.Pace{Fastest: r.pace, Slowest: slowestPace}
		}
	}
	return results.Pace{Fastest: 3 * time.Minute, Slowest: slowestPace}
}

// PaceOf is the plausible pace on distance d: the event file's, else
// the default.
func (c *Config) PaceOf(d Distance) results.Pace {
	p := DefaultPace(d.Km)
	lim := c.Results.Pace[d.ID]
	if v, err := results.ParseTime(lim.Fastest); err == nil {
		p.Fastest = v
	}
	if v, err := results.ParseTime(lim.Slowest); err == nil {
		p.Slowest = v
	}
	return p
}

// WinnersShown is how many places per distance and gender are listed.
func (r Results) WinnersShown() int {
	if r.Winners == 0 {
		return 3
	}
	return r.Winners
}

// AgeGroup is a band of ages (in whole years on race day) in which
// finishers get a place of their own, within their distance and gender.
type AgeGroup struct {
	// ID is short and stable: a-z, 0-9, '_' and '-'.
	ID string `toml:"id"`
	// From and To are the ages it takes, inclusive; To 0 means no upper
	// limit ("60 and older").
	From int `toml:"from"`
	To   int `toml:"to"`
	// Name is how results name the group: "30–39", "до 18 лет".
	Name Text `toml:"name"`
}

// Takes reports whether age falls into the group.
func (g AgeGroup) Takes(age int) bool { return age >= g.From && (g.To == 0 || age <= g.To) }

// AgeGroup returns the group an age belongs to; ok is false when no
// group takes it.
func (c *Config) AgeGroup(age int) (AgeGroup, bool) {
	for _, g := range c.AgeGroups {
		if g.Takes(age) {
			return g, true
		}
	}
	return AgeGroup{}, false
}

// AgeGroupByID returns the group with id.
func (c *Config) AgeGroupByID(id string) (AgeGroup, bool) {
	for _, g := range c.AgeGroups {
		if g.ID == id {
			return g, true
		}
	}
	return AgeGroup{}, false
}

var groupID = regexp.MustCompile(`^[a-z0-9_-]{1,16}$`)

func (c *Config) validateResults(errs *fieldErrs) {
	if w := c.Results.Winners; w < 0 || w > 10 {
		errs.add("results.winners", "must be 1 to 10 (0 means 3), got %d", w)
	}
	if err := c.Results.Mapping().Check(); err != nil {
		errs.add("results.columns", "%v", err)
	}
	ids := make([]string, 0, len(c.Results.Pace))
	for id := range c.Results.Pace {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		f, lim := "results.pace."+id, c.Results.Pace[id]
		d, ok := c.Distance(id)
		if !ok {
			errs.add(f, "no distance has id %q", id)
			continue
		}
		for _, v := range []struct{ name, value string }{{"fastest", lim.Fastest}, {"slowest", lim.Slowest}} {
			if _, err := results.ParseTime(v.value); v.value != "" && err != nil {
				errs.add(f+"."+v.name, "must be a time per km like 2:30, got %q", v.value)
			}
		}
		if p := c.PaceOf(d); p.Fastest >= p.Slowest {
			errs.add(f, "fastest %s must be faster than slowest %s", results.FormatTime(p.Fastest), results.FormatTime(p.Slowest))
		}
	}
	seen := map[string]bool{}
	for i, g := range c.AgeGroups {
		f := fmt.Sprintf("age_groups[%d]", i)
		switch {
		case !groupID.MatchString(g.ID):
			errs.add(f+".id", "must be 1 to 16 characters of a-z, 0-9, '_', '-', got %q", g.ID)
		case seen[g.ID]:
			errs.add(f+".id", "duplicate id %q", g.ID)
		}
		seen[g.ID] = true
		if g.From < 0 || g.From > 120 {
			errs.add(f+".from", "must be an age from 0 to 120, got %d", g.From)
		}
		if g.To != 0 && g.To < g.From {
			errs.add(f+".to", "must be >= from (or 0 for no upper limit), got %d", g.To)
		}
		errs.text(f+".name", g.Name)
		for j, o := range c.AgeGroups[:i] {
			if overlaps(g, o) {
				errs.add(f, "ages %s overlap age_groups[%d] (%s)", span(g), j, span(o))
			}
		}
	}
}

func overlaps(a, b AgeGroup) bool {
	upper := func(g AgeGroup) int {
		if g.To == 0 {
			return 1 << 30
		}
		return g.To
	}
	return a.From <= upper(b) && b.From <= upper(a)
}

func span(g AgeGroup) string {
	if g.To == 0 {
		return fmt.Sprintf("%d+", g.From)
	}
	return fmt.Sprintf("%d–%d", g.From, g.To)
}
