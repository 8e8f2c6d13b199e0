package dashboard

import (
	"net/http"
	"slices"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// Fun Starts children: a searchable list. A child's page is an entry's
// (record), with Mark paid and Cancel as for a runner.

// childStatuses are the statuses a child's sign-up can have, for the
// filter.
var childStatuses = []domain.Status{domain.StatusConfirmed, domain.StatusAwaitingPayment,
	domain.StatusCancelled, domain.StatusLapsed, domain.StatusRefunded}

// childrenData is the list of children.
type childrenData struct {
	Query, Status     string
	Rows              []domain.Registration
	Shown, Found, All int
	Statuses          []domain.Status
	Stats             flows.Stats
	Left              int
}

func (s *Server) children(_ http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	q := r.URL.Query()
	d := childrenData{Query: q.Get("q"), Status: q.Get("status"), Statuses: childStatuses}
	kids, err := s.search(r.Context(), d.Query, domain.KindChild)
	if err != nil {
		return "", nil, err
	}
	if d.Stats, err = s.Flows.Stats(r.Context()); err != nil {
		return "", nil, err
	}
	d.All, d.Left = d.Stats.Children, max(0, d.Stats.FunCapacity-d.Stats.FunTaken)
	for _, c := range kids {
		if d.Status == "" || string(c.Status) == d.Status {
			d.Rows = append(d.Rows, c)
		}
	}
	// In the order they were signed up: codes are random.
	slices.SortStableFunc(d.Rows, func(a, b domain.Registration) int { return a.CreatedAt.Compare(b.CreatedAt) })
	d.Found = len(d.Rows)
	if len(d.Rows) > maxRows {
		d.Rows = d.Rows[:maxRows]
	}
	d.Shown = len(d.Rows)
	return "funstarts.html", &view{Title: s.Flows.Speaker(sess.Lang).T("dash_funstarts"), Page: "funstarts", Data: d}, nil
}
