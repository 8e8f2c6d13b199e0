package event_test

import (
	"strings"
	"testing"
	"time"

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

func TestResultsImportSettings(t *testing.T) {
	c, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	kids, _ := c.Distance("1k")
	ten, _ := c.Distance("10k")
	if p := c.PaceOf(kids); p.Fastest != 2*time.Minute+10*time.Second || p.Slowest != 30*time.Minute {
		t.Errorf("1k pace %+v, want the default fastest and the file's slowest", p)
	}
	if p := c.PaceOf(ten); p.Fastest != 2*time.Minute+35*time.Second || p.Slowest != 20*time.Minute {
		t.Errorf("10k pace %+v, want the defaults", p)
	}
	src := defaultFile(t)
	c, err = event.Parse([]byte(strings.Replace(src, "winners = 3\n", "winners = 3\n[results.columns]\nbib = \"Stnr\"\ntime = \"Zeit\"\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Results.Mapping().String(); got != "bib=Stnr,time=Zeit" {
		t.Errorf("mapping %q", got)
	}
	for _, tt := range []struct{ from, to, wantErr string }{
		{"winners = 3\n", "winners = 3\n[results.columns]\npace = \"Tempo\"\n", `results.columns: unknown field "pace"`},
		{"[results.pace.1k]\n", "[results.pace.20k]\n", `results.pace.20k: no distance has id "20k"`},
		{`slowest = "30:00"`, `slowest = "slow"`, `results.pace.1k.slowest: must be a time per km like 2:30, got "slow"`},
		{`slowest = "30:00"`, `slowest = "2:00"`, "results.pace.1k: fastest 0:02:10 must be faster than slowest 0:02:00"},
	} {
		if !strings.Contains(src, tt.from) {
			t.Fatalf("default file has no %q", tt.from)
		}
		_, err := event.Parse([]byte(strings.Replace(src, tt.from, tt.to, 1)))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
		}
	}
}
