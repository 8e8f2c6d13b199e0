package flows

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/event"
)

// ParseName checks a person's name: letters of one alphabet (Latin or
// Cyrillic, Kazakh letters included), spaces, hyphens and apostrophes
// inside words, 2 to 100 characters. Spaces are collapsed. Digits,
// links, a word that starts with a hyphen or an apostrophe and a name
// that mixes Latin and Cyrillic letters (a Cyrillic «А» typed in a
// Latin name) are refused.
func ParseName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	lower := strings.ToLower(s)
	if strings.Contains(lower, "http") || strings.Contains(lower, "www.") || strings.ContainsAny(s, "/@") {
		return "", invalid("name_link")
	}
	letters, latin, cyrillic := 0, false, false
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			return "", invalid("name_digits")
		case unicode.IsLetter(r) && unicode.In(r, unicode.Latin, unicode.Cyrillic):
			letters++
			latin = latin || unicode.Is(unicode.Latin, r)
			cyrillic = cyrillic || unicode.Is(unicode.Cyrillic, r)
		case r == ' ' || isNameMark(r):
		default:
			return "", invalid("name_letters")
		}
	}
	if n := utf8.RuneCountInString(s); n < 2 || n > 100 || letters < 2 {
		return "", invalid("name_length")
	}
	for _, w := range strings.Fields(s) {
		first, _ := utf8.DecodeRuneInString(w)
		last, _ := utf8.DecodeLastRuneInString(w)
		if isNameMark(first) || last == '-' {
			return "", invalid("name_marks")
		}
	}
	if latin && cyrillic {
		return "", invalid("name_mixed")
	}
	return s, nil
}

// ParseFullName is ParseName for a full name, as a diploma and the
// kit desk need it: at least two words (a surname and a first name).
func ParseFullName(s string) (string, error) {
	name, err := ParseName(s)
	if err != nil {
		return "", err
	}
	if len(strings.Fields(name)) < 2 {
		return "", invalid("name_one_word")
	}
	return name, nil
}

func isNameMark(r rune) bool { return r == '-' || r == '\'' || r == '’' || r == 'ʼ' }

var (
	dayFirst  = regexp.MustCompile(`^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$`)
	yearFirst = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
)

// ParseBirth reads a date of birth written 31.12.1990, 31/12/1990 or
// 1990-12-31 and checks it is a real date, before today and at most
// 110 years before it. Each fault has its own message: a date written
// otherwise, a day the month does not have, a date in the future, a
// year too long ago.
func ParseBirth(s string, today time.Time) (time.Time, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	var y, m, d string
	if p := dayFirst.FindStringSubmatch(s); p != nil {
		d, m, y = p[1], p[2], p[3]
	} else if p := yearFirst.FindStringSubmatch(s); p != nil {
		y, m, d = p[1], p[2], p[3]
	} else {
		return time.Time{}, invalid("birth_format")
	}
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	if mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return time.Time{}, invalid("birth_format")
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Year() != yy || int(t.Month()) != mm || t.Day() != dd {
		return time.Time{}, invalid("birth_no_day", "Date", fmt.Sprintf("%02d.%02d.%04d", dd, mm, yy))
	}
	todayUTC := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if !t.Before(todayUTC) {
		return time.Time{}, invalid("birth_future")
	}
	if event.AgeOn(t, todayUTC) > 110 {
		return time.Time{}, invalid("birth_range")
	}
	return t, nil
}

// phoneRegion is the country of a number written without a country
// code: the event is in Kazakhstan.
const phoneRegion = "KZ"

// parseEmergencyPhone reads an emergency contact's phone, refused when
// it is the participant's own phone (own) unless the participant is a
// minor: a child's registration often gives a parent's number, and the
// parent is the one to call.
func parseEmergencyPhone(text, own string, minor bool) (string, error) {
	phone, err := ParsePhone(text)
	if err != nil {
		return "", err
	}
	if phone == own && !minor {
		return "", invalid("reg_emergency_phone_same")
	}
	return phone, nil
}

// ParsePhone reads a phone number as people type it and returns it in
// E.164. Parsing and validation are libphonenumber's (through
// github.com/nyaruka/phonenumbers), which knows every country's
// numbering plan: +7 123 456 78 90 is no number, +44 20 7946 0958 is.
// Without a country code, a Kazakh number is assumed (8 701 234 56 78,
// 701 234 56 78). Only digits, spaces, + ( ) - . are taken, so words,
// letters for digits and extensions are refused.
func ParsePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' || r == '\u00a0':
		default:
			return "", invalid("phone_format")
		}
	}
	n, err := phonenumbers.Parse(s, phoneRegion)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", invalid("phone_format")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// ParseSharedPhone reads the number of a contact shared through the
// messenger, which is international with or without a leading +.
func ParseSharedPhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "+") {
		s = "+" + s
	}
	return ParsePhone(s)
}

// matchLabel finds the choice a typed answer names, loosely: case,
// spaces of any kind (labels hold non-breaking ones) and the marks
// around a label («, ») do not count. It takes, in order, the label
// itself; the first part of a label of parts ("10 km · 9,990 ₸ · …")
// with the unit optional ("10 км", "10km", "10", "2,5"); and a
// beginning of at least two letters that only one label has.
func matchLabel(choices []dialog.Choice, text string) (string, bool) {
	typed := normLabel(text)
	if typed == "" {
		return "", false
	}
	for _, c := range choices {
		if normLabel(c.Label) == typed {
			return c.Payload, true
		}
	}
	if k := distanceKey(typed); k != "" {
		for _, c := range choices {
			head, _, _ := strings.Cut(c.Label, "·")
			if distanceKey(normLabel(head)) == k {
				return c.Payload, true
			}
		}
	}
	if utf8.RuneCountInString(typed) < 2 {
		return "", false
	}
	found := ""
	for _, c := range choices {
		if strings.HasPrefix(normLabel(c.Label), typed) {
			if found != "" {
				return "", false
			}
			found = c.Payload
		}
	}
	return found, found != ""
}

// normLabel is s in lower case, its spaces made plain and single, the
// marks « » " and a final full stop or exclamation mark dropped.
func normLabel(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case r == '«' || r == '»' || r == '"' || r == '“' || r == '”':
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(s, ".!")
}

// distanceKey is a distance written by a person, "10 км", "2,5 km",
// "10", as "10" or "2.5"; "" when s is not a distance.
func distanceKey(s string) string {
	s = strings.ReplaceAll(s, " ", "")
	for _, unit := range []string{"км", "km"} {
		s = strings.TrimSuffix(s, unit)
	}
	s = strings.ReplaceAll(s, ",", ".")
	if s == "" {
		return ""
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil || s[0] < '0' || s[0] > '9' || strings.ContainsAny(s, "eE+-") {
		return ""
	}
	return s
}

// yesWords are the typed answers that agree, in the bot's languages.
var yesWords = map[string]bool{
	"да": true, "иә": true, "ия": true, "иа": true, "yes": true, "ok": true, "ок": true, "okay": true,
	"согласен": true, "согласна": true, "я согласен": true, "я согласна": true, "да, согласен": true, "да, согласна": true,
	"келісемін": true, "мен келісемін": true, "иә, келісемін": true, "agree": true, "i agree": true, "yes, i agree": true,
}

// agreed reports whether in agrees: the button, or a yes typed out.
func agreed(in input) bool { return in.payload == payAgree || yesWords[normLabel(in.text)] }
