package flows

import (
	"strings"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/locales"
)

// regAudience is the test of a reminder audience (event.ReminderAudiences
// and "distance:<id>") on one entry: only runners' registrations belong
// (Fun Starts children are the "funstarts" audience of broadcasts); ok
// is false for an unknown audience.
func regAudience(aud string) (match func(domain.Registration) bool, ok bool) {
	paid := func(r domain.Registration) bool { return r.Status == domain.StatusPaid }
	unpaid := func(r domain.Registration) bool {
		return r.Kind == domain.KindRunner && r.Status == domain.StatusAwaitingPayment
	}
	live := func(r domain.Registration) bool { return paid(r) || unpaid(r) }
	if id, found := strings.CutPrefix(aud, "distance:"); found {
		return func(r domain.Registration) bool { return live(r) && r.Distance == id }, true
	}
	switch aud {
	case "registered":
		return live, true
	case "paid":
		return paid, true
	case "unpaid":
		return unpaid, true
	case "paid_inperson":
		return func(r domain.Registration) bool { return paid(r) && r.Mode == event.InPerson }, true
	case "paid_online":
		return func(r domain.Registration) bool { return paid(r) && r.Mode == event.Online }, true
	case "inperson":
		return func(r domain.Registration) bool { return live(r) && r.Mode == event.InPerson }, true
	case "online":
		return func(r domain.Registration) bool { return live(r) && r.Mode == event.Online }, true
	}
	return nil, false
}

// broadcastAudiences are the audiences an organizer can pick for a
// broadcast, in the order offered: everyone who wrote to the bot, a
// registration audience (a user belongs when one of their registrations
// does), the parents of Fun Starts children, or a language.
func (f *Flows) broadcastAudiences() []string {
	auds := []string{"all", "paid", "unpaid", "inperson"}
	if f.ev.HasOnline() {
		auds = append(auds, "online")
	}
	auds = append(auds, "funstarts")
	for _, d := range f.ev.Distances {
		auds = append(auds, "distance:"+d.ID)
	}
	for _, l := range locales.Languages {
		auds = append(auds, "lang:"+l)
	}
	return auds
}

// audienceLabel names an audience for organizers.
func (t *turn) audienceLabel(aud string) string {
	switch {
	case strings.HasPrefix(aud, "distance:"):
		return t.T("audience_distance", "Distance", t.distanceName(strings.TrimPrefix(aud, "distance:")))
	case strings.HasPrefix(aud, "lang:"):
		return t.T("audience_lang", "Lang", t.cat.T(strings.TrimPrefix(aud, "lang:"), "lang_name", nil))
	}
	return t.T("audience_" + aud)
}

// recipients lists the users in a broadcast audience who take
// broadcasts, and counts those who turned reminders off or blocked the
// bot.
func (t *turn) recipients(aud string) (to []domain.User, excluded int, err error) {
	member := func(domain.User) (bool, error) { return true, nil }
	if l, ok := strings.CutPrefix(aud, "lang:"); ok {
		member = func(u domain.User) (bool, error) { return u.Lang == l, nil }
	} else if aud == "funstarts" {
		member = func(u domain.User) (bool, error) {
			entries, err := t.tx.Registrations(u.Key)
			for _, k := range entries {
				if k.Kind == domain.KindChild && k.Status.HoldsPlace() {
					return true, err
				}
			}
			return false, err
		}
	} else if aud != "all" {
		match, ok := regAudience(aud)
		if !ok {
			return nil, 0, invalid("pick_button")
		}
		in := map[string]bool{}
		err := t.tx.EachRegistration(func(r domain.Registration) error {
			if match(r) {
				in[r.UserKey] = true
			}
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
		member = func(u domain.User) (bool, error) { return in[u.Key], nil }
	}
	err = t.tx.EachUser(func(u domain.User) error {
		in, err := member(u)
		switch {
		case err != nil:
			return err
		case !in:
		case u.RemindersOff || u.Unreachable:
			excluded++
		default:
			to = append(to, u)
		}
		return nil
	})
	return to, excluded, err
}
