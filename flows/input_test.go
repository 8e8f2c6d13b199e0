package flows_test

import (
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
	}
	for _, tt := range tests {
		got, err := flows.ParseName(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseName(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
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
		{"+90 212 555 12 34", "+902125551234"},
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
