package dashboard

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/runforautism/rfabot/flows"
)

// Fun Starts children: a searchable list, and a child's page with the
// parent's notes on the child's support needs (organizers only), the
// payments and the history, with Mark paid and Cancel: the operations
// /markpaid and /cancelreg run with a child's code.

// childStatuses are the statuses a child's sign-up can have, for the
// filter.
var childStatuses = []flows.Status{flows.StatusConfirmed, flows.StatusAwaitingPayment,
	flows.StatusCancelled, flows.StatusLapsed, flows.StatusRefunded}

// childrenData is the list of children.
type childrenData struct {
	Query, Status     string
	Rows              []flows.Child
	Shown, Found, All int
	Statuses          []flows.Status
	Stats             flows.Stats
	Left              int
}

func (s *Server) children(_ http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	q := r.URL.Query()
	d := childrenData{Query: q.Get("q"), Status: q.Get("status"), Statuses: childStatuses}
	_, kids, err := s.Flows.Search(r.Context(), d.Query)
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
	slices.SortStableFunc(d.Rows, func(a, b flows.Child) int { return a.CreatedAt.Compare(b.CreatedAt) })
	d.Found = len(d.Rows)
	if len(d.Rows) > maxRows {
		d.Rows = d.Rows[:maxRows]
	}
	d.Shown = len(d.Rows)
	return "funstarts.html", &view{Title: s.Flows.Speaker(sess.Lang).T("dash_funstarts"), Page: "funstarts", Data: d}, nil
}

// childData is a child's page.
type childData struct {
	flows.ChildRecord
	C flows.Child
	// CanPay and CanCancel say which forms to show.
	CanPay, CanCancel bool
}

func (s *Server) child(_ http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	rec, err := s.Flows.ChildRecord(r.Context(), r.PathValue("code"))
	if err != nil {
		return "", nil, err
	}
	c := rec.Child
	d := childData{ChildRecord: rec, C: c, CanPay: c.Status == flows.StatusAwaitingPayment, CanCancel: c.HoldsPlace()}
	return "child.html", &view{Title: c.Code + " · " + c.Name, Page: "funstarts", Data: d}, nil
}

// changeChild runs a mark paid or a cancel of a child from a form and
// sends the organizer back to the child's page with the outcome.
func (s *Server) changeChild(w http.ResponseWriter, r *http.Request, sess session) {
	code, action := r.PathValue("code"), r.PathValue("action")
	reason := r.PostFormValue("reason")
	var err error
	switch action {
	case "markpaid":
		_, err = s.Flows.MarkChildPaid(r.Context(), sess.admin(), code, reason)
	case "cancel":
		_, err = s.Flows.CancelChild(r.Context(), sess.admin(), code, reason)
	default:
		http.NotFound(w, r)
		return
	}
	s.changed(w, r, sess, changeOutcome{action: action, code: code, err: err, back: "/admin/child/" + url.PathEscape(code),
		missing: "no such child", done: "dash_done_child_" + action, wrongStatus: "dash_problem_child_status"})
}
