package flows

import (
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// today is the turn's time in the event's time zone: a date of birth
// may be today at the latest.
func (t *turn) today() time.Time { return t.now.In(t.ev.Location()) }

// formatDate writes a date as people write it in the user's language:
// "3 April 2027", "3 апреля 2027 г.", "2027 жылғы 3 сәуір".
func (t *turn) formatDate(d time.Time) string {
	return t.T("date_format", "Day", d.Day(), "Month", t.T("month_"+strconv.Itoa(int(d.Month()))), "Year", d.Year())
}

// formatDay is formatDate for an event-file date "2006-01-02".
func (t *turn) formatDay(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return t.formatDate(d)
}

// formatTime writes a moment as a local date and time of the event:
// "3 April 2027, 14:05".
func (t *turn) formatTime(at time.Time) string {
	at = at.In(t.ev.Location())
	return t.T("datetime_format", "Date", t.formatDate(at), "Time", at.Format("15:04"))
}

// kitWindows lists the kit pickup days and hours, one a line.
func (t *turn) kitWindows() string {
	lines := make([]string, len(t.ev.Kit.Windows))
	for i, w := range t.ev.Kit.Windows {
		lines[i] = t.T("info_kit_window", "Date", t.formatDay(w.Date), "From", w.From, "To", w.To)
	}
	return strings.Join(lines, "\n")
}

// formatKm writes a distance: "2.5 km", "2,5 км".
func (t *turn) formatKm(km float64) string {
	n := strconv.FormatFloat(km, 'f', -1, 64)
	if t.u.Lang != "en" {
		n = strings.Replace(n, ".", ",", 1)
	}
	return t.T("distance_km", "Km", n)
}

// formatMoney writes an amount in the event's currency: "8,990 ₸" in
// English, "8 990 ₸" in Kazakh and Russian.
func (t *turn) formatMoney(amount int) string {
	sep := "\u00a0"
	if t.u.Lang == "en" {
		sep = ","
	}
	digits := strconv.Itoa(amount)
	var b strings.Builder
	if amount < 0 {
		b.WriteByte('-')
		digits = digits[1:]
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	sym := t.ev.Currency
	if sym == "KZT" {
		sym = "₸"
	}
	return b.String() + "\u00a0" + sym
}

// formatPhone writes a number in E.164 as people read it, grouped by
// libphonenumber's international format for its country, with spaces
// only: +44 20 7946 0958, +90 532 123 45 67. Numbers of +7 (Kazakhstan
// and Russia) are grouped as both write them, +7 701 234 56 78 (the
// library writes Kazakh ones +7 701 234 5678). What does not parse stays
// as stored.
func formatPhone(p string) string {
	n, err := phonenumbers.Parse(p, phoneRegion)
	if err != nil {
		return p
	}
	if nat := phonenumbers.GetNationalSignificantNumber(n); n.GetCountryCode() == 7 && len(nat) == 10 {
		return "+7 " + nat[:3] + " " + nat[3:6] + " " + nat[6:8] + " " + nat[8:]
	}
	return strings.ReplaceAll(phonenumbers.Format(n, phonenumbers.INTERNATIONAL), "-", " ")
}
