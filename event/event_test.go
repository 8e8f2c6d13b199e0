package event_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/event"
)

func defaultFile(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("event.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDefault(t *testing.T) {
	c, err := event.Default()
	if err != nil {
		t.Fatalf("default event does not validate: %v", err)
	}
	if got := len(c.Distances); got != 4 {
		t.Fatalf("distances = %d, want 4", got)
	}
	wantKm := []float64{1, 2.5, 5, 10}
	online := 0
	for i, d := range c.Distances {
		if d.Km != wantKm[i] {
			t.Errorf("distance %d km = %v, want %v", i, d.Km, wantKm[i])
		}
		if d.Fee < 6990 || d.Fee > 9990 {
			t.Errorf("distance %s fee %d outside the reported 6,990–9,990", d.ID, d.Fee)
		}
		if d.Online {
			online++
		}
	}
	if online != 2 {
		t.Errorf("online distances = %d, want 2", online)
	}
	if c.FunStarts.AgeMin != 5 || c.FunStarts.AgeMax != 14 {
		t.Errorf("fun starts ages %d–%d, want 5–14", c.FunStarts.AgeMin, c.FunStarts.AgeMax)
	}
	want := time.Date(2027, 4, 3, 9, 0, 0, 0, c.Location())
	if !c.Start().Equal(want) {
		t.Errorf("start = %v, want %v", c.Start(), want)
	}
	if _, off := c.Start().Zone(); off != 5*3600 {
		t.Errorf("Astana offset = %d s, want UTC+5", off)
	}
	if c.Name.In("kk") == "" || c.Venue.In("ru") == "" || c.Kit.Place.In("en") == "" {
		t.Error("user-facing texts missing")
	}
}

func TestValidationNamesTheField(t *testing.T) {
	tests := []struct {
		name    string
		from    string
		to      string
		wantErr string
	}{
		{"fee zero", "fee = 8990", "fee = 0", "distances[2].fee: must be > 0"},
		{"capacity negative", "capacity = 700", "capacity = -1", "distances[3].capacity: must be > 0"},
		{"online without capacity", "online_capacity = 1000\n# Bib", "# Bib", "distances[0].online_capacity: must be > 0 when online = true"},
		{"bib range missing", "bib_from = 1\nbib_to = 999\n", "", "distances[3].bib_from: must be > 0"},
		{"bib range backwards", "bib_to = 999", "bib_to = 0", "distances[3].bib_to: must be >= bib_from"},
		{"bib range smaller than places", "bib_to = 5999", "bib_to = 4500", "distances[1].bib_to: the range 4000–4500 has fewer numbers than places (1000)"},
		{"bib ranges overlap, end", "bib_from = 1\nbib_to = 999", "bib_from = 5000\nbib_to = 5999", "distances[3].bib_from: range 5000–5999 overlaps distances[1] (4000–5999)"},
		{"link template not a URL", `link_template = "https://pay.example.kz/`, `link_template = "pay.example.kz/`, "payment.link_template: must be an http(s) URL"},
		{"link template without order", `checkout?order={order}&`, `checkout?`, "payment.link_template: must contain {order}"},
		{"negative hold", "hold_hours = 48", "hold_hours = -1", "payment.hold_hours: must be >= 0"},
		{"reminder after the hold", "reminder_hours = 12", "reminder_hours = 30", "payment.reminder_hours: must be less than hold_hours and waitlist_hold_hours"},
		{"bad lock", `lock = "2027-03-25 23:59"`, `lock = "25.03.2027"`, "changes.lock: must look like 2027-03-25 23:59"},
		{"lock after the start", `lock = "2027-03-25 23:59"`, `lock = "2027-04-03 12:00"`, "changes.lock: must not be after the start"},
		{"promo bad code", "# The race kit", promo(`code = "A B"`, "percent = 10", "limit = 1", `valid_until = "2027-03-31"`), `promo_codes[0].code: must be 3 to 20 Latin letters and digits, got "A B"`},
		{"promo both kinds", "# The race kit", promo(`code = "ABC"`, "percent = 10", "amount = 100", "limit = 1", `valid_until = "2027-03-31"`), "promo_codes[0]: give percent or amount, not both"},
		{"promo no discount", "# The race kit", promo(`code = "ABC"`, "limit = 1", `valid_until = "2027-03-31"`), "promo_codes[0]: give percent (1 to 100) or amount (> 0)"},
		{"promo over 100%", "# The race kit", promo(`code = "ABC"`, "percent = 150", "limit = 1", `valid_until = "2027-03-31"`), "promo_codes[0].percent: must be 1 to 100"},
		{"promo no limit", "# The race kit", promo(`code = "ABC"`, "amount = 500", `valid_until = "2027-03-31"`), "promo_codes[0].limit: must be > 0"},
		{"promo bad date", "# The race kit", promo(`code = "ABC"`, "amount = 500", "limit = 3", `valid_until = "31.03.2027"`), "promo_codes[0].valid_until: must look like 2027-03-31"},
		{"promo duplicate", "# The race kit", "[[promo_codes]]\ncode = \"ABC\"\namount = 1\nlimit = 1\nvalid_until = \"2027-03-31\"\n\n" + promo(`code = "abc"`, "amount = 5", "limit = 3", `valid_until = "2027-03-31"`), `promo_codes[1].code: duplicate code "abc"`},
		{"duplicate id", `id = "10k"`, `id = "5k"`, `distances[3].id: duplicate id "5k"`},
		{"bad id", `id = "10k"`, `id = "10 km"`, `distances[3].id: must be 1 to 8 characters`},
		{"bad time zone", `time_zone = "Asia/Almaty"`, `time_zone = "Asia/Astana-City"`, `time_zone: unknown time zone`},
		{"bad date", `date = "2027-04-03"`, `date = "03.04.2027"`, `date: date and start_time must look like`},
		{"closes after start", `registration_closes = "2027-03-31 23:59"`, `registration_closes = "2027-04-04 10:00"`, `registration_closes: must not be after the start`},
		{"missing kazakh venue", `kk = "Астана. Старт орнын кейінірек хабарлаймыз."`, ``, `venue.kk: must not be empty`},
		{"bad currency", `currency = "KZT"`, `currency = "tenge"`, `currency: must be a three-letter code`},
		{"bad kit window", `from = "11:00"`, `from = "11h"`, `kit.windows[0].from: must be a time like 09:30`},
		{"fun starts ages", `age_max = 14`, `age_max = 3`, `fun_starts.age_max: must be >= age_min`},
		{"no sizes", `tshirt_sizes = ["XS", "S", "M", "L", "XL", "XXL", "3XL"]`, `tshirt_sizes = []`, `tshirt_sizes: must list at least one size`},
		{"unknown field", `fee = 6990`, "fee = 6990\nprice = 1", `unknown field(s): distances.price`},
		{"fun starts size", `tshirt_sizes = ["104"`, `tshirt_sizes = ["104", "104"`, `fun_starts.tshirt_sizes[1]: duplicate size "104"`},
		{"faq duplicate id", `id = "route"`, `id = "kit"`, `faq[2].id: duplicate id "kit"`},
		{"faq bad id", `id = "route"`, `id = "Route!"`, `faq[2].id: must be 1 to 8 characters`},
		{"faq question missing", `question.ru = "Какой маршрут?"`, ``, `faq[2].question.ru: must not be empty`},
		{"faq question too long", `question.en = "What is the route?"`, `question.en = "` + strings.Repeat("Where exactly ", 5) + `"`, `faq[2].question.en: must be at most 60 characters`},
		{"faq answer needed without include", `answer.en = "We will announce the route and the start location closer to race day."`, ``, `faq[2].answer.en: must not be empty`},
		{"faq unknown include", `include = "purpose"`, `include = "weather"`, `faq[5].include: must be one of kit, start_times, fees, purpose, contacts, got "weather"`},
		{"faq keywords missing", `keywords.en = ["route", "map"]`, `keywords.en = []`, `faq[2].keywords.en: must list at least one keyword`},
		{"faq empty keyword", `keywords.en = ["route", "map"]`, `keywords.en = ["route", " "]`, `faq[2].keywords.en[1]: must not be empty`},
		{"resource kind", `kind = "autism"`, `kind = "other"`, `support.resources[4].kind: must be one of crisis, helpline, support, autism, got "other"`},
		{"resource phone", `phone = "150"`, `phone = "one-five-zero"`, `support.resources[2].phone: must be digits`},
		{"resource link", `phone = "111"`, `link = "www.example.org"`, `support.resources[3].link: must start with https://`},
		{"resource language", `languages = ["kk", "ru"]`, `languages = ["kk", "de"]`, `support.resources[2].languages[1]: must be kk, ru or en, got "de"`},
		{"resource name missing", `name.kk = "Жедел жәрдем"`, ``, `support.resources[1].name.kk: must not be empty`},
		{"resource what missing", `what.en = "urgent medical help"`, ``, `support.resources[1].what.en: must not be empty`},
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

// TestBadTimeZoneIsTheOnlyError: a time_zone that does not load is
// reported alone, not with errors of the fields read in it.
func TestBadTimeZoneIsTheOnlyError(t *testing.T) {
	src := strings.Replace(defaultFile(t), `time_zone = "Asia/Almaty"`, `time_zone = "Asia/Astana-City"`, 1)
	_, err := event.Parse([]byte(src))
	if err == nil || strings.TrimSpace(err.Error()) != `time_zone: unknown time zone "Asia/Astana-City"` {
		t.Errorf("err = %v, want only the time_zone", err)
	}
}

// promo is a [[promo_codes]] table with the given lines, placed before
// the kit table.
func promo(lines ...string) string {
	return "[[promo_codes]]\n" + strings.Join(lines, "\n") + "\n\n# The race kit"
}

func TestPaymentDefaults(t *testing.T) {
	c, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	p := c.Payment
	if p.Hold() != 48*time.Hour || p.Reminder() != 12*time.Hour || p.WaitlistHold() != 24*time.Hour {
		t.Errorf("holds %v %v %v, want 48h 12h 24h", p.Hold(), p.Reminder(), p.WaitlistHold())
	}
	if (event.Payment{}).Hold() != 48*time.Hour {
		t.Error("hold_hours left out is not 48 hours")
	}
	lock := time.Date(2027, 3, 25, 23, 59, 0, 0, c.Location())
	if !c.ChangesLock().Equal(lock) || !c.ChangesOpen(lock.Add(-time.Minute)) || c.ChangesOpen(lock) {
		t.Errorf("lock %v, want %v", c.ChangesLock(), lock)
	}
	if len(c.PromoCodes) != 0 {
		t.Errorf("the default ships promo codes: %+v", c.PromoCodes)
	}
}

func TestPromoCodes(t *testing.T) {
	src := strings.Replace(defaultFile(t), "# The race kit",
		"[[promo_codes]]\ncode = \"Volunteer27\"\npercent = 100\nlimit = 2\nvalid_until = \"2027-03-31\"\n\n"+
			promo(`code = "MINUS2000"`, "amount = 2000", "limit = 1", `valid_until = "2027-02-01"`), 1)
	c, err := event.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	v, ok := c.Promo(" volunteer27 ")
	if !ok || v.Discount(8990) != 8990 {
		t.Fatalf("volunteer code: %+v %v", v, ok)
	}
	m, _ := c.Promo("minus2000")
	if m.Discount(8990) != 2000 || m.Discount(1500) != 1500 {
		t.Errorf("fixed discount: %d %d", m.Discount(8990), m.Discount(1500))
	}
	lastDay := time.Date(2027, 2, 1, 23, 59, 0, 0, c.Location())
	if !m.ValidAt(lastDay) || m.ValidAt(lastDay.Add(time.Minute)) {
		t.Error("a code must be taken through the whole of its last local day")
	}
	if _, ok := c.Promo("NOPE"); ok {
		t.Error("unknown code found")
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "event.toml")
	src := strings.Replace(defaultFile(t), "fee = 9990", "fee = 12000", 1)
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := event.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := c.Distance("10k"); d.Fee != 12000 {
		t.Errorf("10k fee = %d, want 12000 from the file", d.Fee)
	}
	if _, err := event.Load(filepath.Join(dir, "missing.toml")); err == nil {
		t.Error("missing file: no error")
	}
	bad := strings.Replace(src, "fee = 12000", "fee = 0", 1)
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := event.Load(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "distances[3].fee") {
		t.Errorf("err = %v, want the path and the field", err)
	}
}

func TestAgeOn(t *testing.T) {
	day := time.Date(2027, 4, 3, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		birth string
		want  int
	}{
		{"2009-04-03", 18},
		{"2009-04-04", 17},
		{"1990-12-31", 36},
		{"2022-04-02", 5},
		{"2008-02-29", 19},
	}
	for _, tt := range tests {
		b, _ := time.Parse("2006-01-02", tt.birth)
		if got := event.AgeOn(b, day); got != tt.want {
			t.Errorf("AgeOn(%s) = %d, want %d", tt.birth, got, tt.want)
		}
	}
}

func TestTextFallback(t *testing.T) {
	tx := event.Text{RU: "привет", EN: "hello"}
	if tx.In("kk") != "привет" || tx.In("en") != "hello" || tx.In("ru") != "привет" {
		t.Errorf("fallback wrong: %q %q %q", tx.In("kk"), tx.In("en"), tx.In("ru"))
	}
}

// TestDefaultSupportLines checks the shipped lines against SUPPORT.md:
// 112, 103, 150 and 111, and no other number.
func TestDefaultSupportLines(t *testing.T) {
	c, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, r := range c.Support.Resources {
		if r.Phone != "" {
			kinds[r.Phone] = r.Kind
		}
		if r.Link != "" {
			t.Errorf("default resource %q has a link %q: none is known", r.Name.EN, r.Link)
		}
	}
	want := map[string]string{"112": "crisis", "103": "crisis", "150": "helpline", "111": "helpline"}
	if len(kinds) != len(want) {
		t.Errorf("default numbers %v, want exactly %v", kinds, want)
	}
	for phone, kind := range want {
		if kinds[phone] != kind {
			t.Errorf("%s: kind %q, want %q", phone, kinds[phone], kind)
		}
	}
	if got := c.Support.Of(event.KindCrisis, event.KindHelpline); len(got) != 4 || got[0].Phone != "112" || got[2].Phone != "150" {
		t.Errorf("crisis answer lines %+v, want 112, 103, 150, 111", got)
	}
	if got := c.Support.Of(event.KindAutism); len(got) != 1 || got[0].Phone != "" {
		t.Errorf("autism resources %+v, want the foundation without a number", got)
	}
}

// TestSupportDefaultsWhenLeftOut: an event file without resources still
// gets the crisis lines; one with its own list gets exactly that.
func TestSupportDefaultsWhenLeftOut(t *testing.T) {
	src := defaultFile(t)
	cut := strings.Index(src, "# The help flow")
	end := strings.Index(src, "# What runners bring")
	if cut < 0 || end < cut {
		t.Fatal("no support section in the default file")
	}
	bare := src[:cut] + src[end:]
	c, err := event.Parse([]byte(bare))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Support.Resources); n != 5 || c.Support.Resources[0].Phone != "112" {
		t.Errorf("resources without a section: %d, first %+v; want the 5 defaults", n, c.Support.Resources[0])
	}
	regional := bare + `
[[support.resources]]
kind = "crisis"
phone = "+7 (7172) 00-00-00"
name.kk = "Аймақтық желі"
name.ru = "Региональная линия"
name.en = "Regional line"
what.kk = "тест"
what.ru = "тест"
what.en = "test"
`
	noCrisis := strings.ReplaceAll(src, `kind = "crisis"`, `kind = "support"`)
	if _, err := event.Parse([]byte(noCrisis)); err == nil || !strings.Contains(err.Error(), `support.resources: must list at least one line of kind "crisis"`) {
		t.Errorf("without a crisis line: err = %v", err)
	}
	c, err = event.Parse([]byte(regional))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Support.Resources) != 1 || c.Support.Resources[0].Phone != "+7 (7172) 00-00-00" {
		t.Errorf("resources = %+v, want the file's own line", c.Support.Resources)
	}
}

func TestFAQIncludesWhatIsSet(t *testing.T) {
	src := defaultFile(t)
	start := strings.Index(src, "[purpose]")
	end := start + strings.Index(src[start:], "\n\n")
	if start < 0 || end < start {
		t.Fatal("no [purpose] table in the default file")
	}
	_, err := event.Parse([]byte(src[:start] + src[end:]))
	if err == nil || !strings.Contains(err.Error(), "faq[5].include: purpose is not set") {
		t.Fatalf("err = %v, want the FAQ that shows the purpose named", err)
	}
}

func TestDefaultFAQ(t *testing.T) {
	c, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, q := range c.FAQ {
		ids[q.ID] = true
	}
	for _, id := range []string{"kit", "starts", "route", "parking", "access", "money", "contacts"} {
		if !ids[id] {
			t.Errorf("default FAQ lacks %q", id)
		}
	}
	if got := c.FunSizes(); len(got) == 0 || got[0] != "104" {
		t.Errorf("children's sizes = %v", got)
	}
}
