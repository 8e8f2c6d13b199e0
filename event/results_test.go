package event_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/event"
)

func TestDefaultAgeGroups(t *testing.T) {
	c, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Results.WinnersShown(); got != 3 {
		t.Errorf("winners = %d, want 3", got)
	}
	for _, tt := range []struct {
		age  int
		want string
	}{{5, "u18"}, {17, "u18"}, {18, "18-29"}, {39, "30-39"}, {59, "50-59"}, {60, "60plus"}, {97, "60plus"}} {
		g, ok := c.AgeGroup(tt.age)
		if !ok || g.ID != tt.want {
			t.Errorf("age %d: group %q (found %v), want %q", tt.age, g.ID, ok, tt.want)
		}
		if g.Name.In("kk") == "" {
			t.Errorf("group %s has no Kazakh name", g.ID)
		}
	}
}

func TestAgeGroupsOptional(t *testing.T) {
	src := defaultFile(t)
	c, err := event.Parse([]byte(src[:strings.Index(src, "[[age_groups]]")]))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.AgeGroup(30); ok {
		t.Error("a file without age groups puts age 30 in a group")
	}
}

func TestResultsValidationNamesTheField(t *testing.T) {
	tests := []struct {
		name, from, to, wantErr string
	}{
		{"winners", "winners = 3", "winners = 20", "results.winners: must be 1 to 10"},
		{"bad id", `id = "18-29"`, `id = "18 to 29"`, `age_groups[1].id: must be 1 to 16 characters`},
		{"duplicate id", `id = "30-39"`, `id = "18-29"`, `age_groups[2].id: duplicate id "18-29"`},
		{"backwards", "from = 30\nto = 39", "from = 30\nto = 3", "age_groups[2].to: must be >= from"},
		{"overlap", "from = 40\nto = 49", "from = 35\nto = 49", "age_groups[3]: ages 35–49 overlap age_groups[2] (30–39)"},
		{"open end overlaps", "from = 50\nto = 59", "from = 50\nto = 0", "age_groups[5]: ages 60+ overlap age_groups[4] (50+)"},
		{"name missing", `name.ru = "18–29 лет"`, `name.ru = ""`, "age_groups[1].name.ru: must not be empty"},
		{"unknown field", "from = 0\n", "from = 0\nsex = \"f\"\n", "unknown field(s): age_groups.sex"},
	}
	src := defaultFile(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.from) {
				t.Fatalf("default file has no %q", tt.from)
			}
			_, err := event.Parse([]byte(strings.Replace(src, tt.from, tt.to, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}
