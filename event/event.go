// Package event reads the event file: the facts of one edition of the run
// (date, distances, fees, capacities, kit pickup, Fun Starts) that
// organizers change without touching Go code. Without a file the bot runs
// on the embedded default for Run for Autism.
package event

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Languages the bot speaks, in the order they are offered.
var Languages = []string{"kk", "ru", "en"}

//go:embed event.example.toml
var defaultFile []byte

// Text is a text shown to users, given in each of the bot's languages.
type Text struct {
	KK string `toml:"kk"`
	RU string `toml:"ru"`
	EN string `toml:"en"`
}

// In returns the text in lang, falling back to Russian and then English.
func (t Text) In(lang string) string {
	switch {
	case lang == "kk" && t.KK != "":
		return t.KK
	case lang == "en" && t.EN != "":
		return t.EN
	case t.RU != "":
		return t.RU
	}
	return t.EN
}

// IsZero reports whether no language has a text.
func (t Text) IsZero() bool { return t.KK == "" && t.RU == "" && t.EN == "" }

// Config is one edition of the event, as read from the event file.
type Config struct {
	Name      Text   `toml:"name"`
	Organizer Text   `toml:"organizer"`
	Date      string `toml:"date"`
	StartTime string `toml:"start_time"`
	TimeZone  string `toml:"time_zone"`
	Venue     Text   `toml:"venue"`
	// Purpose says what the money raised funds.
	Purpose Text `toml:"purpose"`
	// Contacts tells participants how to reach the organizers.
	Contacts Text `toml:"contacts"`
	// Currency of every fee, ISO 4217.
	Currency string `toml:"currency"`
	// CodePrefix starts every registration code, e.g. RFA in RFA-7K2Q.
	CodePrefix string `toml:"code_prefix"`
	// RegistrationCloses is a local date-time "2006-01-02 15:04" in TimeZone.
	RegistrationCloses string `toml:"registration_closes"`
	// RulesURL points at the event rules and the privacy notice.
	RulesURL string `toml:"rules_url"`

	Distances   []Distance `toml:"distances"`
	TShirtSizes []string   `toml:"tshirt_sizes"`
	Kit         Kit        `toml:"kit"`
	FunStarts   FunStarts  `toml:"fun_starts"`
	// WhatToBring on race day, told in the reminder the day before.
	WhatToBring Text `toml:"what_to_bring"`
	// OnlineRun is when online runners run and send their time.
	OnlineRun OnlineRun `toml:"online_run"`
	// Reminders are the pushes sent before the race (reminders.go).
	Reminders []Reminder `toml:"reminders"`
	Delivery  Delivery   `toml:"delivery"`

	loc    *time.Location
	start  time.Time
	closes time.Time
}

// Distance is one race distance.
type Distance struct {
	// ID is short and stable: it travels in button payloads and storage.
	ID       string  `toml:"id"`
	Km       float64 `toml:"km"`
	Fee      int     `toml:"fee"`
	Capacity int     `toml:"capacity"`
	MinAge   int     `toml:"min_age"`
	// StartTime is the local start time of this distance, "09:30".
	StartTime string `toml:"start_time"`
	// Online says the distance is also offered as an online run, with
	// its own capacity.
	Online         bool `toml:"online"`
	OnlineCapacity int  `toml:"online_capacity"`
}

// Kit is the race kit and where and when to pick it up.
type Kit struct {
	Contents Text        `toml:"contents"`
	Place    Text        `toml:"place"`
	Windows  []KitWindow `toml:"windows"`
}

// KitWindow is one pickup period on one day, local time.
type KitWindow struct {
	Date string `toml:"date"`
	From string `toml:"from"`
	To   string `toml:"to"`
}

// FunStarts is the relay for children with autism and other
// developmental disabilities.
type FunStarts struct {
	Description Text   `toml:"description"`
	Place       Text   `toml:"place"`
	StartTime   string `toml:"start_time"`
	WhatToBring Text   `toml:"what_to_bring"`
	AgeMin      int    `toml:"age_min"`
	AgeMax      int    `toml:"age_max"`
	Capacity    int    `toml:"capacity"`
	// Fee is 0 when Fun Starts is free.
	Fee int `toml:"fee"`
}

// Mode is how a person takes part: at the venue or online.
type Mode string

const (
	InPerson Mode = "inperson"
	Online   Mode = "online"
)

// Default returns the embedded Run for Autism configuration.
func Default() (*Config, error) {
	c, err := Parse(defaultFile)
	if err != nil {
		return nil, fmt.Errorf("embedded default event: %w", err)
	}
	return c, nil
}

// Load reads and validates the event file at path; an empty path means
// the embedded default.
func Load(path string) (*Config, error) {
	if path == "" {
		return Default()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read event file: %w", err)
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("event file %s: %w", path, err)
	}
	return c, nil
}

// Parse decodes and validates an event file. Unknown keys are an error, so
// a misspelt field is not silently ignored.
func Parse(b []byte) (*Config, error) {
	var c Config
	md, err := toml.NewDecoder(bytes.NewReader(b)).Decode(&c)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		keys := make([]string, len(un))
		for i, k := range un {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("unknown field(s): %s", strings.Join(keys, ", "))
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Location is the event's time zone.
func (c *Config) Location() *time.Location { return c.loc }

// Start is the moment the race starts.
func (c *Config) Start() time.Time { return c.start }

// Day is the race day at midnight in the event's time zone.
func (c *Config) Day() time.Time {
	y, m, d := c.start.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
}

// RegistrationOpen reports whether registration still takes people at now.
func (c *Config) RegistrationOpen(now time.Time) bool { return now.Before(c.closes) }

// Closes is when registration closes.
func (c *Config) Closes() time.Time { return c.closes }

// Distance returns the distance with id.
func (c *Config) Distance(id string) (Distance, bool) {
	for _, d := range c.Distances {
		if d.ID == id {
			return d, true
		}
	}
	return Distance{}, false
}

// HasOnline reports whether any distance is offered online.
func (c *Config) HasOnline() bool {
	for _, d := range c.Distances {
		if d.Online {
			return true
		}
	}
	return false
}

// MinAge is the lowest minimum age over all distances.
func (c *Config) MinAge() int {
	m := 0
	for i, d := range c.Distances {
		if i == 0 || d.MinAge < m {
			m = d.MinAge
		}
	}
	return m
}

// Offered reports whether the distance is offered in mode.
func (d Distance) Offered(m Mode) bool {
	switch m {
	case InPerson:
		return true
	case Online:
		return d.Online
	}
	return false
}

// CapacityFor is the number of places in mode.
func (d Distance) CapacityFor(m Mode) int {
	if m == Online {
		return d.OnlineCapacity
	}
	return d.Capacity
}

// AgeOn returns the age in whole years on day of a person born on birth.
func AgeOn(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age
}

// fieldErrs collects validation problems as "field: problem".
type fieldErrs []error

func (e *fieldErrs) add(field, format string, args ...any) {
	*e = append(*e, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
}

func (e *fieldErrs) text(field string, t Text) {
	if t.KK == "" {
		e.add(field+".kk", "must not be empty")
	}
	if t.RU == "" {
		e.add(field+".ru", "must not be empty")
	}
	if t.EN == "" {
		e.add(field+".en", "must not be empty")
	}
}

func (e *fieldErrs) optionalText(field string, t Text) {
	if !t.IsZero() {
		e.text(field, t)
	}
}

func (e *fieldErrs) clock(field, v string) {
	if _, err := time.Parse("15:04", v); err != nil {
		e.add(field, "must be a time like 09:30, got %q", v)
	}
}

func (c *Config) validate() error {
	var errs fieldErrs
	errs.text("name", c.Name)
	errs.text("organizer", c.Organizer)
	errs.text("venue", c.Venue)
	errs.optionalText("purpose", c.Purpose)
	errs.optionalText("contacts", c.Contacts)
	if c.TimeZone == "" {
		errs.add("time_zone", "must not be empty")
	} else if loc, err := time.LoadLocation(c.TimeZone); err != nil {
		errs.add("time_zone", "unknown time zone %q", c.TimeZone)
	} else {
		c.loc = loc
	}
	if c.loc != nil {
		start, err := time.ParseInLocation("2006-01-02 15:04", c.Date+" "+c.StartTime, c.loc)
		if err != nil {
			errs.add("date", "date and start_time must look like 2027-04-03 and 09:00, got %q and %q", c.Date, c.StartTime)
		} else {
			c.start = start
		}
		if c.RegistrationCloses == "" {
			errs.add("registration_closes", "must not be empty")
		} else if t, err := time.ParseInLocation("2006-01-02 15:04", c.RegistrationCloses, c.loc); err != nil {
			errs.add("registration_closes", "must look like 2027-04-01 23:59, got %q", c.RegistrationCloses)
		} else if !c.start.IsZero() && t.After(c.start) {
			errs.add("registration_closes", "must not be after the start")
		} else {
			c.closes = t
		}
	}
	if len(c.Currency) != 3 || strings.ToUpper(c.Currency) != c.Currency {
		errs.add("currency", "must be a three-letter code like KZT, got %q", c.Currency)
	}
	if !validCodePrefix(c.CodePrefix) {
		errs.add("code_prefix", "must be 1 to 5 capital Latin letters, got %q", c.CodePrefix)
	}
	c.validateDistances(&errs)
	if len(c.TShirtSizes) == 0 {
		errs.add("tshirt_sizes", "must list at least one size")
	}
	seenSize := map[string]bool{}
	for i, s := range c.TShirtSizes {
		f := fmt.Sprintf("tshirt_sizes[%d]", i)
		switch {
		case s == "" || len(s) > 8:
			errs.add(f, "must be 1 to 8 characters, got %q", s)
		case seenSize[s]:
			errs.add(f, "duplicate size %q", s)
		}
		seenSize[s] = true
	}
	errs.text("kit.contents", c.Kit.Contents)
	errs.text("kit.place", c.Kit.Place)
	if len(c.Kit.Windows) == 0 {
		errs.add("kit.windows", "must list at least one pickup window")
	}
	for i, w := range c.Kit.Windows {
		f := fmt.Sprintf("kit.windows[%d]", i)
		if _, err := time.Parse("2006-01-02", w.Date); err != nil {
			errs.add(f+".date", "must look like 2027-04-01, got %q", w.Date)
		}
		errs.clock(f+".from", w.From)
		errs.clock(f+".to", w.To)
		if w.From >= w.To {
			errs.add(f, "from must be before to")
		}
	}
	fs := c.FunStarts
	errs.text("fun_starts.description", fs.Description)
	errs.text("fun_starts.place", fs.Place)
	errs.text("fun_starts.what_to_bring", fs.WhatToBring)
	errs.clock("fun_starts.start_time", fs.StartTime)
	if fs.AgeMin <= 0 {
		errs.add("fun_starts.age_min", "must be > 0")
	}
	if fs.AgeMax < fs.AgeMin {
		errs.add("fun_starts.age_max", "must be >= age_min")
	}
	if fs.Capacity <= 0 {
		errs.add("fun_starts.capacity", "must be > 0")
	}
	if fs.Fee < 0 {
		errs.add("fun_starts.fee", "must be >= 0")
	}
	c.validateDelivery(&errs)
	return errors.Join(errs...)
}

func (c *Config) validateDistances(errs *fieldErrs) {
	if len(c.Distances) == 0 {
		errs.add("distances", "must list at least one distance")
	}
	seen := map[string]bool{}
	for i, d := range c.Distances {
		f := fmt.Sprintf("distances[%d]", i)
		switch {
		case !validID(d.ID):
			errs.add(f+".id", "must be 1 to 8 characters of a-z, 0-9, '.', got %q", d.ID)
		case seen[d.ID]:
			errs.add(f+".id", "duplicate id %q", d.ID)
		}
		seen[d.ID] = true
		if d.Km <= 0 {
			errs.add(f+".km", "must be > 0")
		}
		if d.Fee <= 0 {
			errs.add(f+".fee", "must be > 0")
		}
		if d.Capacity <= 0 {
			errs.add(f+".capacity", "must be > 0")
		}
		if d.MinAge <= 0 {
			errs.add(f+".min_age", "must be > 0")
		}
		errs.clock(f+".start_time", d.StartTime)
		if d.Online && d.OnlineCapacity <= 0 {
			errs.add(f+".online_capacity", "must be > 0 when online = true")
		}
		if !d.Online && d.OnlineCapacity != 0 {
			errs.add(f+".online_capacity", "must be 0 when online = false")
		}
	}
}

func validID(s string) bool {
	if s == "" || len(s) > 8 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.') {
			return false
		}
	}
	return true
}

func validCodePrefix(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
