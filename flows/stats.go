package flows

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// Stats are the organizers' figures: registrations by distance, mode,
// status, language and channel, places left, money, race day, Fun
// Starts and the help-flow counters.
type Stats struct {
	// Total counts registrations in every status.
	Total     int
	ByStatus  map[domain.Status]int
	ByLang    map[string]int
	ByChannel map[string]int
	// Places are the distances offered, each mode on its own.
	Places []Places
	// Received is the money received (PaidAmount summed over the
	// registrations and the Fun Starts children), RefundDue what is owed
	// back of it.
	Received  int
	RefundDue int
	// ByProvider is the money of the paid orders by provider, test
	// payments apart (money marked paid by hand has no order).
	ByProvider []ProviderMoney
	// Race day: paid registrations in person, kits handed out, check-ins.
	PaidInPerson int
	KitCollected int
	CheckedIn    int
	// Fun Starts: children by status and the places.
	Children         int
	ChildrenByStatus map[domain.Status]int
	FunCapacity      int
	FunTaken         int
	// Help-flow answers given, by kind ("crisis", "support"); nothing
	// else of those conversations is kept.
	Help map[string]int
}

// Places are the figures of one distance in one mode.
type Places struct {
	Distance string
	Mode     event.Mode
	Capacity int
	// Taken counts the places held (paid, awaiting payment, a pending
	// switch to this distance).
	Taken      int
	Paid       int
	Awaiting   int
	Waitlisted int
}

// Left is the number of places still free.
func (p Places) Left() int { return max(0, p.Capacity-p.Taken) }

// Stats counts everything in one read transaction, reading every
// registration and child: milliseconds at a few thousand.
func (f *Flows) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := f.store.View(ctx, func(tx domain.Tx) error {
		var err error
		s, err = f.stats(tx)
		return err
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	return s, nil
}

func (f *Flows) stats(tx domain.Tx) (Stats, error) {
	s := Stats{ByStatus: map[domain.Status]int{}, ByLang: map[string]int{}, ByChannel: map[string]int{},
		ChildrenByStatus: map[domain.Status]int{}, Help: map[string]int{}, FunCapacity: f.ev.FunStarts.Capacity}
	index := map[string]int{}
	for _, d := range f.ev.Distances {
		for _, m := range []event.Mode{event.InPerson, event.Online} {
			if !d.Offered(m) {
				continue
			}
			taken, err := tx.PlacesTaken(d.ID, m)
			if err != nil {
				return s, err
			}
			index[d.ID+"|"+string(m)] = len(s.Places)
			s.Places = append(s.Places, Places{Distance: d.ID, Mode: m, Capacity: d.CapacityFor(m), Taken: taken})
		}
	}
	money := moneyTally{}
	err := tx.EachRegistration(func(r domain.Registration) error {
		if err := money.add(tx, r.Code, r.Orders); err != nil {
			return err
		}
		if r.Kind == domain.KindChild {
			s.Children++
			s.ChildrenByStatus[r.Status]++
			s.Received += r.PaidAmount
			s.RefundDue += r.RefundDue
			return nil
		}
		s.Total++
		s.ByStatus[r.Status]++
		s.ByLang[r.Lang]++
		s.ByChannel[channelOf(r.UserKey)]++
		s.Received += r.PaidAmount
		s.RefundDue += r.RefundDue
		if i, ok := index[r.Distance+"|"+string(r.Mode)]; ok {
			switch r.Status {
			case domain.StatusPaid:
				s.Places[i].Paid++
			case domain.StatusAwaitingPayment:
				s.Places[i].Awaiting++
			case domain.StatusWaitlisted:
				s.Places[i].Waitlisted++
			}
		}
		if r.Status == domain.StatusPaid && r.Mode == event.InPerson {
			s.PaidInPerson++
		}
		if !r.KitCollectedAt.IsZero() {
			s.KitCollected++
		}
		if !r.CheckedInAt.IsZero() {
			s.CheckedIn++
		}
		return nil
	})
	if err != nil {
		return s, err
	}
	s.ByProvider = money.list()
	if s.FunTaken, err = tx.PlacesTaken(domain.FunStartsPlaces, event.InPerson); err != nil {
		return s, err
	}
	counts, err := tx.SupportCounts()
	for _, c := range counts {
		s.Help[c.Kind] += c.Count
	}
	return s, err
}

// adminStats is /stats: the figures of Stats, as text.
func adminStats(t *turn, _ string) error {
	s, err := t.stats(t.tx)
	if err != nil {
		return err
	}
	lines := []string{t.T("stats_total", "Total", s.Total, "Statuses", t.statusList(s.ByStatus))}
	for _, p := range s.Places {
		lines = append(lines, t.T("stats_places", "Distance", t.distanceName(p.Distance), "Mode", modeName(t, p.Mode),
			"Taken", p.Taken, "Capacity", p.Capacity, "Left", p.Left(), "Paid", p.Paid, "Awaiting", p.Awaiting, "Waitlisted", p.Waitlisted))
	}
	langs := make([]string, 0, len(s.ByLang))
	for _, l := range sortedKeys(s.ByLang) {
		langs = append(langs, fmt.Sprintf("%s %d", t.label("language_", l), s.ByLang[l]))
	}
	channels := make([]string, 0, len(s.ByChannel))
	for _, c := range sortedKeys(s.ByChannel) {
		channels = append(channels, fmt.Sprintf("%s %d", t.label("channel_", c), s.ByChannel[c]))
	}
	lines = append(lines,
		t.T("stats_langs", "Langs", strings.Join(langs, ", "), "Channels", strings.Join(channels, ", ")),
		t.T("stats_money", "Received", t.formatMoney(s.Received), "RefundDue", t.formatMoney(s.RefundDue)),
		t.providerLine(s.ByProvider),
		t.T("stats_desk", "Kit", s.KitCollected, "CheckedIn", s.CheckedIn, "Paid", s.PaidInPerson),
		t.T("stats_fun", "Children", s.Children, "Statuses", t.statusList(s.ChildrenByStatus),
			"Left", max(0, s.FunCapacity-s.FunTaken), "Capacity", s.FunCapacity),
		t.T("stats_help", "Crisis", s.Help["crisis"], "Support", s.Help["support"]),
	)
	t.notes = append(t.notes, strings.Join(lines, "\n"))
	return nil
}

// label is the name of a language or a messenger for people: the text
// id prefix+code, or the code itself when there is none (a messenger of
// tests).
func (t *turn) label(prefix, code string) string {
	if slices.Contains(knownLabels, prefix+code) {
		return t.T(prefix + code)
	}
	return code
}

// knownLabels are the text ids label knows.
var knownLabels = []string{"language_kk", "language_ru", "language_en", "channel_telegram", "channel_whatsapp", "channel_console"}

// statusList writes counts by status: "paid 12, awaiting payment 3".
func (t *turn) statusList(m map[domain.Status]int) string {
	var parts []string
	for _, st := range []domain.Status{domain.StatusPaid, domain.StatusConfirmed, domain.StatusAwaitingPayment, domain.StatusWaitlisted, domain.StatusCancelled, domain.StatusLapsed, domain.StatusRefunded} {
		if m[st] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", t.T("status_"+string(st)), m[st]))
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}
