package event

import (
	"fmt"
	"regexp"
)

// Results are the settings of the results and the winners' list.
type Results struct {
	// Winners is how many places per distance and gender /results
	// lists; 0 means 3.
	Winners int `toml:"winners"`
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
