package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/flows"
)

func TestParseName(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Айгерім Нұрланқызы", "Айгерім Нұрланқызы", true},
		{"  Әлия   Қасымқызы ", "Әлия Қасымқызы", true},
		{"ӘҒҚҢӨҰҮҺІ әғқңөұүһі", "ӘҒҚҢӨҰҮҺІ әғқңөұүһі", true},
		{"Анна-Мария Петрова", "Анна-Мария Петрова", true},
		{"Артём Ёлкин", "Артём Ёлкин", true},
		{"Sean O'Brien", "Sean O'Brien", true},
		{"D’Artagnan", "D’Artagnan", true},
		{"Hiroaki Funata", "Hiroaki Funata", true},
		{"Ян", "Ян", true},
		{"Aigerim 2", "", false},
		{"A", "", false},
		{"--", "", false},
		{"http://example.com", "", false},
		{"www.example.kz", "", false},
		{"t.me/somebody", "", false},
		{"a@b.kz", "", false},
		{"Aigerim!", "", false},
		{"Aigerim 🏃", "", false},
		{"王小明", "", false},
		{"", "", false},
		// A Cyrillic А in a Latin name, a Latin a in a Cyrillic one.
		{"Аigerim Nurlanova", "", false},
		{"Айгерим Нурлaнова", "", false},
		{"-Aigerim Nurlanova", "", false},
		{"'Aigerim Nurlanova", "", false},
		{"Aigerim Nurlanova-", "", false},
	}
	for _, tt := range tests {
		got, err := flows.ParseName(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseName(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseFullName(t *testing.T) {
	for in, want := range map[string]string{
		"Айгерим Нурланова": "ok", "Aigerim": "name_one_word", "Ян": "name_one_word",
		"Aiгerim Nurlanova": "name_mixed", "-Dana Abenova": "name_marks", "Dana 'Abenova": "name_marks",
	} {
		_, err := flows.ParseFullName(in)
		got := "ok"
		if err != nil {
			got = strings.TrimPrefix(err.Error(), "invalid input: ")
		}
		if got != want {
			t.Errorf("ParseFullName(%q): %s, want %s", in, got, want)
		}
	}
}

func TestParseBirth(t *testing.T) {
	day := time.Date(2027, 4, 3, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in, want string
	}{
		{"31.12.1990", "1990-12-31"},
		{"31/12/1990", "1990-12-31"},
		{"1990-12-31", "1990-12-31"},
		{"1.2.1990", "1990-02-01"},
		{" 01.02.1990 ", "1990-02-01"},
		{"29.02.2008", "2008-02-29"},
		{"29.02.2009", ""},
		{"32.01.1990", ""},
		{"12.13.1990", ""},
		{"1990/12/31", ""},
		{"31.12.90", ""},
		{"03.04.2027", ""},
		{"01.01.1910", ""},
		{"yesterday", ""},
		{"31.02.2010", ""},
	}
	for _, tt := range tests {
		got, err := flows.ParseBirth(tt.in, day)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseBirth(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got.Format("2006-01-02") != tt.want {
			t.Errorf("ParseBirth(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

// TestBirthFaults checks that each fault of a date of birth has its own
// message.
func TestBirthFaults(t *testing.T) {
	today := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{
		"31.02.2010": "birth_no_day", "31.04.2010": "birth_no_day", "29.02.2009": "birth_no_day",
		"32.01.2010": "birth_format", "12.13.2010": "birth_format", "2010": "birth_format",
		"16.01.2027": "birth_future", "01.03.2027": "birth_future", "15.01.2027": "birth_future",
		"01.01.1910": "birth_range",
	} {
		_, err := flows.ParseBirth(in, today)
		if err == nil || err.Error() != "invalid input: "+want {
			t.Errorf("ParseBirth(%q): %v, want %s", in, err, want)
		}
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"+7 701 234 56 78", "+77012345678"},
		{"+7 (701) 234-56-78", "+77012345678"},
		{"87012345678", "+77012345678"},
		{"8 701 234 56 78", "+77012345678"},
		{"77012345678", "+77012345678"},
		{"7012345678", "+77012345678"},
		{"+44 20 7946 0958", "+442079460958"},
		{"+44 7911 123456", "+447911123456"},
		{"+90 212 555 12 34", "+902125551234"},
		{"+90 532 123 45 67", "+905321234567"},
		{"+7 912 345-67-89", "+79123456789"},
		{"8 912 345 67 89", "+79123456789"},
		{"+7 727 258 00 00", "+77272580000"},
		// No such numbers: +7 1…, too short for the UK, Turkey's 0….
		{"+7 123 456 78 90", ""},
		{"+44 20 7946", ""},
		{"+90 032 123 45 67", ""},
		{"020 7946 0958", ""},
		{"12345", ""},
		{"+123", ""},
		{"+0 123 456 789", ""},
		{"+1234567890123456", ""},
		{"call me", ""},
		{"7012345678 ext 2", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := flows.ParsePhone(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParsePhone(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for in, want := range map[string]string{"77012345678": "+77012345678", "+447911123456": "+447911123456", "447911123456": "+447911123456"} {
		if got, err := flows.ParseSharedPhone(in); err != nil || got != want {
			t.Errorf("ParseSharedPhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// Finding 14: what a participant sees for names, dates and numbers, and
// numbers of four countries as the summary shows them.
func TestRegistrationChecksAnswers(t *testing.T) {
	tests := []struct {
		name  string
		at    int // the index of toSummary's step replaced
		steps []action
	}{
		{"one-word name", 2, []action{{say: "Aigerim", want: "write both the surname and the first name", step: flows.StepRegName}}},
		{"mixed scripts", 2, []action{{say: "\u0410igerim Nurlanova", want: "mixes Latin and Cyrillic letters", step: flows.StepRegName}}},
		{"leading hyphen", 2, []action{{say: "-Aigerim Nurlanova", want: "can only stand inside a word", step: flows.StepRegName}}},
		{"31 February", 3, []action{{say: "31.02.2010", want: "There is no 31.02.2010 in the calendar", step: flows.StepRegBirth}}},
		{"a date before race day but to come", 3, []action{{say: "01.03.2027", want: "A date of birth must be in the past", not: "young", step: flows.StepRegBirth}}},
		{"no such number", 5, []action{{say: "+7 123 456 78 90", want: "could not read that number", step: flows.StepRegPhone}}},
		{"a UK number", 5, []action{{say: "+44 7911 123456", step: flows.StepRegMode}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", "en")
			u.do(toSummary()[:tt.at])
			u.do(tt.steps)
		})
	}
	for in, want := range map[string]string{
		"8 701 234 56 78":   "+7 701 234 56 78",
		"+7 912 345-67-89":  "+7 912 345 67 89",
		"+44 20 7946 0958":  "+44 20 7946 0958",
		"+90 532 123 45 67": "+90 532 123 45 67",
	} {
		t.Run(in, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", "en")
			steps := toSummary()
			steps[5] = action{say: in}
			u.do(steps)
			if !strings.Contains(u.last.Text, "Phone: "+want+"\n") {
				t.Errorf("summary:\n%s", u.last.Text)
			}
		})
	}
}
