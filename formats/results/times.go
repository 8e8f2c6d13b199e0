package results

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A race time as timing companies and spreadsheets write it: h:mm:ss or
// mm:ss, a fraction after '.' or ',', "12:24:05 AM" (a time of day
// Excel made of 0:24:05), and what a spreadsheet makes of mm:ss it took
// for hours and minutes ("48:00" saved as 48:00:00, "7:30" as 07:30:00).

var raceTime = regexp.MustCompile(`^(?:(\d{1,3}):)?(\d{1,3}):(\d{2})(?:[.,](\d{1,3}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?$`)

// maxHours bounds a time read from a file: four days, beyond the
// longest ultra a file of ours could hold.
const maxHours = 96

// errRaceTime is a time that is not h:mm:ss or mm:ss.
var errRaceTime = errors.New("not a time like 1:02:03 or 25:13")

// Reading is a time cell as read: its text and the durations it can
// mean. Resolve picks one.
type Reading struct {
	// Text is the cell as the file shows it.
	Text string
	// As is the time as written, h:mm:ss or mm:ss; 0 when the cell is
	// not a time.
	As time.Duration
	// Minutes is the other reading of a cell written h:mm:00: the mm:ss
	// a spreadsheet took for hours and minutes, 48:00:00 read as 48:00;
	// 0 when the cell has no such reading.
	Minutes time.Duration
	// day says the hours of Minutes were 24 or more: no time of day, so
	// a spreadsheet's duration made of mm:ss.
	day bool
}

// Verdict says how Resolve read a time.
type Verdict string

const (
	// TimeOK is the time as written, and plausible.
	TimeOK Verdict = ""
	// TimeMinutes is a cell like 48:00:00 read as 48:00: as written it
	// is implausible for the distance, and no clock writes 48 hours
	// that way, so the spreadsheet took mm:ss for hours.
	TimeMinutes Verdict = "minutes"
	// TimeReread is a cell like 07:30:00 read as 7:30 because 7½ hours
	// is implausible for the distance; it needs a person's eye.
	TimeReread Verdict = "reread"
	// TimeImplausible is a time no reading of which is plausible for
	// the distance: faster than a world record or slower than a walk.
	TimeImplausible Verdict = "implausible"
	// TimeBad is a cell that is not a time.
	TimeBad Verdict = "bad"
)

// Resolve picks the reading of the time that plausible accepts (nil
// accepts any), and says how it chose.
func (r Reading) Resolve(plausible func(time.Duration) bool) (time.Duration, Verdict) {
	ok := func(d time.Duration) bool { return d > 0 && (plausible == nil || plausible(d)) }
	switch {
	case ok(r.As):
		return r.As, TimeOK
	case ok(r.Minutes) && r.day:
		return r.Minutes, TimeMinutes
	case ok(r.Minutes):
		return r.Minutes, TimeReread
	case r.As > 0:
		return r.As, TimeImplausible
	case r.Minutes > 0:
		return r.Minutes, TimeImplausible
	}
	return 0, TimeBad
}

// readTime reads a time cell's text.
func readTime(s string) Reading {
	s = strings.TrimSpace(s)
	r := Reading{Text: s}
	m := raceTime.FindStringSubmatch(s)
	if m == nil {
		return r
	}
	h, _ := strconv.Atoi(m[1])
	mins, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	hasHours := m[1] != ""
	switch ampm := strings.ToLower(m[5]); {
	case ampm == "":
	case !hasHours:
		// "7:30 AM" is hours and minutes.
		h, mins, sec, hasHours = mins, sec, 0, true
		fallthrough
	default:
		if h < 1 || h > 12 {
			return r
		}
		h %= 12
		if ampm == "p" {
			h += 12
		}
	}
	if sec > 59 || hasHours && mins > 59 || h >= maxHours {
		return r
	}
	d := time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute + time.Duration(sec)*time.Second
	if strings.Trim(m[4], "0") != "" {
		// As World Athletics rules do for road races, a fraction of a
		// second rounds up to the next whole second.
		d += time.Second
	}
	r.As = d
	if hasHours && sec == 0 && m[4] == "" && mins < 60 {
		r.Minutes = time.Duration(h)*time.Minute + time.Duration(mins)*time.Second
		r.day = h >= 24
	}
	return r
}

// readDayFraction reads a spreadsheet's number of days (a time of day
// or a duration cell holds one), shown as text: 0.0167245 is 0:24:05.
// ok is false for a cell that is not such a number.
func readDayFraction(raw, text string) (Reading, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || v <= 0 || v >= maxHours/24.0 || math.IsNaN(v) {
		return Reading{}, false
	}
	ms := int64(math.Round(v * 86400 * 1000))
	s, frac := ms/1000, ms%1000
	written := strconv.FormatInt(s/3600, 10) + ":" + twoDigits(int(s/60%60)) + ":" + twoDigits(int(s%60))
	if frac != 0 {
		written += "." + strconv.FormatInt(1000+frac, 10)[1:]
	}
	r := readTime(written)
	if text = strings.TrimSpace(text); text != "" {
		r.Text = text
	}
	return r, r.As > 0
}

// ParseTime reads a race time typed as h:mm:ss or mm:ss, optionally
// with tenths, hundredths or thousandths (0:25:13.4, 25:13,45), which
// round up to the next whole second. It must be more than zero and
// less than a day.
func ParseTime(s string) (time.Duration, error) {
	r := readTime(s)
	if r.As <= 0 || r.As >= 24*time.Hour || strings.ContainsAny(s, "AaPp") {
		return 0, errRaceTime
	}
	return r.As, nil
}

// FormatTime writes a race time as h:mm:ss: 0:25:13, 1:02:03.
func FormatTime(d time.Duration) string {
	s := int(d / time.Second)
	return strconv.Itoa(s/3600) + ":" + twoDigits(s/60%60) + ":" + twoDigits(s%60)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Pace is the plausible range of the time per kilometre on a distance:
// no faster than the world record, no slower than a walk.
type Pace struct {
	Fastest, Slowest time.Duration
}

// Plausible reports whether a time over km kilometres is within the
// pace; a pace with no limits, or a distance of no length, takes any.
func (p Pace) Plausible(km float64) func(time.Duration) bool {
	if km <= 0 || p.Fastest <= 0 && p.Slowest <= 0 {
		return nil
	}
	return func(d time.Duration) bool {
		per := time.Duration(float64(d) / km)
		return (p.Fastest <= 0 || per >= p.Fastest) && (p.Slowest <= 0 || per <= p.Slowest)
	}
}
