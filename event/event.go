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
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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

	Distances   []Distance  `toml:"distances"`
	TShirtSizes []string    `toml:"tshirt_sizes"`
	Kit         Kit         `toml:"kit"`
	FunStarts   FunStarts   `toml:"fun_starts"`
	Payment     Payment     `toml:"payment"`
	Changes     Changes     `toml:"changes"`
	PromoCodes  []PromoCode `toml:"promo_codes"`
	// FAQ are the questions people often ask, shown as buttons in the
	// event info and found from typed questions by their keywords.
	FAQ []FAQ `toml:"faq"`
	// Support lists the crisis lines and the places to find help that
	// the help flow shows. A file without resources gets the embedded
	// default's.
	Support Support `toml:"support"`
	// WhatToBring on race day, told in the reminder the day before.
	WhatToBring Text `toml:"what_to_bring"`
	// OnlineRun is when online runners run and send their time.
	OnlineRun OnlineRun `toml:"online_run"`
	// Reminders are the pushes sent before the race (reminders.go).
	Reminders []Reminder `toml:"reminders"`
	Delivery  Delivery   `toml:"delivery"`
	// WhatsApp are the Cloud API's message templates (whatsapp.go).
	WhatsApp WhatsApp `toml:"whatsapp"`
	// Results set the winners' list (results.go).
	Results Results `toml:"results"`
	// AgeGroups are the bands of age in which finishers get a place of
	// their own.
	AgeGroups []AgeGroup `toml:"age_groups"`

	loc    *time.Location
	start  time.Time
	closes time.Time
	lock   time.Time
}

// Payment is how registrations are paid for. The provider itself and its
// secret come from the environment (PAYMENT_PROVIDER, PAYMENT_SECRET),
// never from this file.
type Payment struct {
	// LinkTemplate is the hosted payment page of the "custom" provider,
	// with {order}, {amount}, {currency}, {lang} and {sig} filled in.
	LinkTemplate string `toml:"link_template"`
	// HoldHours is how long an unpaid registration holds its place;
	// 0 means 48.
	HoldHours int `toml:"hold_hours"`
	// ReminderHours is how long before the hold lapses the participant
	// is reminded; 0 means 12.
	ReminderHours int `toml:"reminder_hours"`
	// WaitlistHoldHours is how long a place offered to the first person
	// on a waitlist is held for them; 0 means 24.
	WaitlistHoldHours int `toml:"waitlist_hold_hours"`
	// ReconcileMinutes is how long an order awaiting payment may hear
	// nothing from the provider before the bot asks the provider about
	// it (a lost notification); 0 means 30.
	ReconcileMinutes int `toml:"reconcile_minutes"`
}

// Changes says until when participants change their registrations.
type Changes struct {
	// Lock is a local date-time "2006-01-02 15:04" in TimeZone: the data
	// goes to the timing company and the t-shirt maker, and changes close.
	Lock string `toml:"lock"`
	// RefundOnDowngrade says the difference is returned when a paid
	// participant switches to a cheaper distance.
	RefundOnDowngrade bool `toml:"refund_on_downgrade"`
}

// PromoCode is a discount on the registration fee.
type PromoCode struct {
	// Code is what people type, matched without regard to case.
	Code string `toml:"code"`
	// Percent off the fee (1 to 100), or Amount off in currency units:
	// exactly one of them.
	Percent int `toml:"percent"`
	Amount  int `toml:"amount"`
	// Limit is how many registrations may use the code.
	Limit int `toml:"limit"`
	// ValidUntil is the last local date "2006-01-02" the code is taken.
	ValidUntil string `toml:"valid_until"`

	until time.Time
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
	// BibFrom and BibTo are the bib numbers of this distance, inclusive;
	// ranges of distances do not overlap.
	BibFrom int `toml:"bib_from"`
	BibTo   int `toml:"bib_to"`
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
	// TShirtSizes are the children's sizes offered; empty means the
	// run's sizes.
	TShirtSizes []string `toml:"tshirt_sizes"`
}

// FunSizes are the t-shirt sizes offered to the children of Fun Starts.
func (c *Config) FunSizes() []string {
	if len(c.FunStarts.TShirtSizes) > 0 {
		return c.FunStarts.TShirtSizes
	}
	return c.TShirtSizes
}

// Words are keywords in each of the bot's languages.
type Words struct {
	KK []string `toml:"kk"`
	RU []string `toml:"ru"`
	EN []string `toml:"en"`
}

// In returns the keywords of lang.
func (w Words) In(lang string) []string {
	switch lang {
	case "kk":
		return w.KK
	case "ru":
		return w.RU
	case "en":
		return w.EN
	}
	return nil
}

// All returns the keywords of every language.
func (w Words) All() []string {
	var out []string
	for _, l := range Languages {
		out = append(out, w.In(l)...)
	}
	return out
}

// FAQ includes: facts kept elsewhere in the event file that an answer
// shows below its own text, so they are written once.
const (
	IncludeKit        = "kit"
	IncludeStartTimes = "start_times"
	IncludeFees       = "fees"
	IncludePurpose    = "purpose"
	IncludeContacts   = "contacts"
)

var includes = []string{IncludeKit, IncludeStartTimes, IncludeFees, IncludePurpose, IncludeContacts}

// FAQ is one question people often ask, with its answer.
type FAQ struct {
	// ID is short and stable: it travels in button payloads.
	ID string `toml:"id"`
	// Question is the button's label.
	Question Text `toml:"question"`
	// Answer is the answer; it may be left out when Include shows the
	// facts.
	Answer Text `toml:"answer"`
	// Include names facts from elsewhere in the file shown below the
	// answer: kit, start_times, fees, purpose or contacts.
	Include string `toml:"include"`
	// Keywords find the entry from a typed question in any language.
	// Each word of a keyword matches the words that start with it.
	Keywords Words `toml:"keywords"`
}

// Resource kinds: where the help flow lists a resource.
const (
	// KindCrisis is an emergency line: listed first in the crisis
	// answer.
	KindCrisis = "crisis"
	// KindHelpline is a helpline for people in distress: listed in the
	// crisis answer after the emergency lines, and first in the support
	// answer.
	KindHelpline = "helpline"
	// KindSupport is psychological help: listed in the support answer.
	KindSupport = "support"
	// KindAutism is autism support for families: listed in the support
	// answer, last.
	KindAutism = "autism"
)

var kinds = []string{KindCrisis, KindHelpline, KindSupport, KindAutism}

// Support is what the help flow offers.
type Support struct {
	Resources []Resource `toml:"resources"`
}

// Resource is a line to call or a place to find help.
type Resource struct {
	// Kind is crisis, helpline, support or autism.
	Kind string `toml:"kind"`
	Name Text   `toml:"name"`
	// Phone is the number to call as people dial it, e.g. "150" or
	// "+7 717 200 00 00". Phone or Link may be empty, or both when the
	// resource is an organization people ask at the event.
	Phone string `toml:"phone"`
	// Link is a web address, https://...
	Link string `toml:"link"`
	// Hours says when it answers, e.g. "24/7"; optional.
	Hours Text `toml:"hours"`
	// Languages it answers in: kk, ru, en; optional.
	Languages []string `toml:"languages"`
	// What it is for.
	What Text `toml:"what"`
}

// Of returns the resources of the given kinds, kinds in the order
// asked, resources in file order within a kind.
func (s Support) Of(kinds ...string) []Resource {
	var out []Resource
	for _, k := range kinds {
		for _, r := range s.Resources {
			if r.Kind == k {
				out = append(out, r)
			}
		}
	}
	return out
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
	if len(c.Support.Resources) == 0 {
		var def Config
		if _, err := toml.NewDecoder(bytes.NewReader(defaultFile)).Decode(&def); err != nil {
			return nil, fmt.Errorf("embedded default support resources: %w", err)
		}
		c.Support.Resources = def.Support.Resources
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

// ChangesLock is when participants can no longer change their
// registrations.
func (c *Config) ChangesLock() time.Time { return c.lock }

// ChangesOpen reports whether participants may still change their
// registrations at now.
func (c *Config) ChangesOpen(now time.Time) bool { return now.Before(c.lock) }

// Hold is how long an unpaid registration holds its place.
func (p Payment) Hold() time.Duration { return hours(p.HoldHours, 48) }

// Reminder is how long before a hold lapses the participant is reminded.
func (p Payment) Reminder() time.Duration { return hours(p.ReminderHours, 12) }

// WaitlistHold is how long a place offered from a waitlist is held.
func (p Payment) WaitlistHold() time.Duration { return hours(p.WaitlistHoldHours, 24) }

// Reconcile is how long an order awaiting payment hears nothing before
// the provider is asked about it.
func (p Payment) Reconcile() time.Duration {
	if p.ReconcileMinutes == 0 {
		return 30 * time.Minute
	}
	return time.Duration(p.ReconcileMinutes) * time.Minute
}

func hours(n, def int) time.Duration {
	if n == 0 {
		n = def
	}
	return time.Duration(n) * time.Hour
}

// Promo returns the promo code matching code, in any case.
func (c *Config) Promo(code string) (PromoCode, bool) {
	for _, p := range c.PromoCodes {
		if strings.EqualFold(p.Code, strings.TrimSpace(code)) {
			return p, true
		}
	}
	return PromoCode{}, false
}

// ValidAt reports whether the code is still taken at now (through the
// whole of its last day, in the event's time zone).
func (p PromoCode) ValidAt(now time.Time) bool { return now.Before(p.until) }

// Discount is what the code takes off fee, never more than the fee.
func (p PromoCode) Discount(fee int) int {
	d := p.Amount
	if p.Percent > 0 {
		d = fee * p.Percent / 100
	}
	return min(d, fee)
}

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
	c.validatePayment(&errs)
	if len(c.TShirtSizes) == 0 {
		errs.add("tshirt_sizes", "must list at least one size")
	}
	sizes(&errs, "tshirt_sizes", c.TShirtSizes)
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
	sizes(&errs, "fun_starts.tshirt_sizes", fs.TShirtSizes)
	c.validateFAQ(&errs)
	c.validateSupport(&errs)
	c.validateDelivery(&errs)
	c.validateWhatsApp(&errs)
	c.validateResults(&errs)
	return errors.Join(errs...)
}

// maxQuestion is the longest FAQ question: it is a button's label.
const maxQuestion = 60

func (c *Config) validateFAQ(errs *fieldErrs) {
	seen := map[string]bool{}
	for i, q := range c.FAQ {
		f := fmt.Sprintf("faq[%d]", i)
		switch {
		case !validID(q.ID):
			errs.add(f+".id", "must be 1 to 8 characters of a-z, 0-9, '.', got %q", q.ID)
		case seen[q.ID]:
			errs.add(f+".id", "duplicate id %q", q.ID)
		}
		seen[q.ID] = true
		errs.text(f+".question", q.Question)
		for _, l := range Languages {
			if n := utf8.RuneCountInString(q.Question.In(l)); n > maxQuestion {
				errs.add(f+".question."+l, "must be at most %d characters (it is a button), got %d", maxQuestion, n)
			}
		}
		switch {
		case q.Include != "" && !slices.Contains(includes, q.Include):
			errs.add(f+".include", "must be one of %s, got %q", strings.Join(includes, ", "), q.Include)
		case q.Include == IncludePurpose && c.Purpose.IsZero():
			errs.add(f+".include", "purpose is not set")
		}
		if q.Include == "" {
			errs.text(f+".answer", q.Answer)
		} else {
			errs.optionalText(f+".answer", q.Answer)
		}
		for _, l := range Languages {
			words := q.Keywords.In(l)
			if len(words) == 0 {
				errs.add(f+".keywords."+l, "must list at least one keyword")
			}
			for j, w := range words {
				if strings.TrimSpace(w) == "" {
					errs.add(fmt.Sprintf("%s.keywords.%s[%d]", f, l, j), "must not be empty")
				}
			}
		}
	}
}

func (c *Config) validateSupport(errs *fieldErrs) {
	crisis := 0
	for i, r := range c.Support.Resources {
		f := fmt.Sprintf("support.resources[%d]", i)
		if !slices.Contains(kinds, r.Kind) {
			errs.add(f+".kind", "must be one of %s, got %q", strings.Join(kinds, ", "), r.Kind)
		}
		if r.Kind == KindCrisis {
			crisis++
		}
		errs.text(f+".name", r.Name)
		errs.text(f+".what", r.What)
		errs.optionalText(f+".hours", r.Hours)
		if r.Phone != "" && !validPhone(r.Phone) {
			errs.add(f+".phone", "must be digits as people dial them (spaces, '-', '(', ')' and a leading + allowed), got %q", r.Phone)
		}
		if r.Link != "" && !strings.HasPrefix(r.Link, "https://") && !strings.HasPrefix(r.Link, "http://") {
			errs.add(f+".link", "must start with https:// or http://, got %q", r.Link)
		}
		seen := map[string]bool{}
		for j, l := range r.Languages {
			switch {
			case !slices.Contains(Languages, l):
				errs.add(fmt.Sprintf("%s.languages[%d]", f, j), "must be kk, ru or en, got %q", l)
			case seen[l]:
				errs.add(fmt.Sprintf("%s.languages[%d]", f, j), "duplicate language %q", l)
			}
			seen[l] = true
		}
	}
	if crisis == 0 {
		errs.add("support.resources", "must list at least one line of kind \"crisis\" (e.g. 112)")
	}
}

func validPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= 2 && digits <= 15
}

func sizes(errs *fieldErrs, field string, list []string) {
	seen := map[string]bool{}
	for i, s := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case s == "" || len(s) > 8:
			errs.add(f, "must be 1 to 8 characters, got %q", s)
		case seen[s]:
			errs.add(f, "duplicate size %q", s)
		}
		seen[s] = true
	}
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
		switch {
		case d.BibFrom <= 0:
			errs.add(f+".bib_from", "must be > 0")
		case d.BibTo < d.BibFrom:
			errs.add(f+".bib_to", "must be >= bib_from")
		case d.BibTo-d.BibFrom+1 < d.Capacity+d.OnlineCapacity:
			errs.add(f+".bib_to", "the range %d–%d has fewer numbers than places (%d)", d.BibFrom, d.BibTo, d.Capacity+d.OnlineCapacity)
		}
		for j, o := range c.Distances[:i] {
			if o.BibFrom > 0 && d.BibFrom > 0 && d.BibFrom <= o.BibTo && o.BibFrom <= d.BibTo {
				errs.add(f+".bib_from", "range %d–%d overlaps distances[%d] (%d–%d)", d.BibFrom, d.BibTo, j, o.BibFrom, o.BibTo)
			}
		}
	}
}

func (c *Config) validatePayment(errs *fieldErrs) {
	p := c.Payment
	if p.LinkTemplate != "" {
		u, err := url.Parse(p.LinkTemplate)
		switch {
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			errs.add("payment.link_template", "must be an http(s) URL, got %q", p.LinkTemplate)
		case !strings.Contains(p.LinkTemplate, "{order}"):
			errs.add("payment.link_template", "must contain {order}")
		}
	}
	for _, h := range []struct {
		field string
		v     int
	}{{"payment.hold_hours", p.HoldHours}, {"payment.reminder_hours", p.ReminderHours}, {"payment.waitlist_hold_hours", p.WaitlistHoldHours}, {"payment.reconcile_minutes", p.ReconcileMinutes}} {
		if h.v < 0 {
			errs.add(h.field, "must be >= 0 (0 means the default)")
		}
	}
	if p.Reminder() >= p.Hold() || p.Reminder() >= p.WaitlistHold() {
		errs.add("payment.reminder_hours", "must be less than hold_hours and waitlist_hold_hours")
	}
	if c.loc != nil {
		if t, err := time.ParseInLocation("2006-01-02 15:04", c.Changes.Lock, c.loc); err != nil {
			errs.add("changes.lock", "must look like 2027-03-25 23:59, got %q", c.Changes.Lock)
		} else if !c.start.IsZero() && t.After(c.start) {
			errs.add("changes.lock", "must not be after the start")
		} else {
			c.lock = t
		}
	}
	seen := map[string]bool{}
	for i := range c.PromoCodes {
		pc := &c.PromoCodes[i]
		f := fmt.Sprintf("promo_codes[%d]", i)
		switch {
		case !validPromo(pc.Code):
			errs.add(f+".code", "must be 3 to 20 Latin letters and digits, got %q", pc.Code)
		case seen[strings.ToUpper(pc.Code)]:
			errs.add(f+".code", "duplicate code %q", pc.Code)
		}
		seen[strings.ToUpper(pc.Code)] = true
		switch {
		case pc.Percent != 0 && pc.Amount != 0:
			errs.add(f, "give percent or amount, not both")
		case pc.Percent == 0 && pc.Amount == 0:
			errs.add(f, "give percent (1 to 100) or amount (> 0)")
		case pc.Percent < 0 || pc.Percent > 100:
			errs.add(f+".percent", "must be 1 to 100")
		case pc.Amount < 0:
			errs.add(f+".amount", "must be > 0")
		}
		if pc.Limit <= 0 {
			errs.add(f+".limit", "must be > 0")
		}
		if c.loc != nil {
			if d, err := time.ParseInLocation("2006-01-02", pc.ValidUntil, c.loc); err != nil {
				errs.add(f+".valid_until", "must look like 2027-03-31, got %q", pc.ValidUntil)
			} else {
				pc.until = d.AddDate(0, 0, 1)
			}
		}
	}
}

func validPromo(s string) bool {
	if len(s) < 3 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
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
