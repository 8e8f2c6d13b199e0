package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/runforautism/rfabot/domain"
)

// The review of online runners' results, as /review does it in the
// chat: every submission waiting, with its proof (the screenshot shown
// through a route behind the session, or the link), and Approve or
// Reject with a reason, through flows.ReviewSubmission.

// maxPending is how many waiting submissions the page counts; the
// first maxReviews of them are shown.
const (
	maxPending = 1000
	maxReviews = 50
)

// reviewData is the review page.
type reviewData struct {
	Items   []reviewItem
	Waiting int
}

// reviewItem is one submission with the registration it is for.
type reviewItem struct {
	domain.Submission
	Name string
}

func (s *Server) review(_ http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	subs, err := s.Flows.PendingSubmissions(r.Context(), maxPending)
	if err != nil {
		return "", nil, err
	}
	d := reviewData{Waiting: len(subs)}
	if len(subs) > maxReviews {
		subs = subs[:maxReviews]
	}
	if len(subs) > 0 {
		regs, err := s.search(r.Context(), "", domain.KindRunner)
		if err != nil {
			return "", nil, err
		}
		names := make(map[string]string, len(regs))
		for _, reg := range regs {
			names[reg.Code] = reg.Name
		}
		for _, sub := range subs {
			d.Items = append(d.Items, reviewItem{Submission: sub, Name: names[sub.Code]})
		}
	}
	return "review.html", &view{Title: s.Flows.Speaker(sess.Lang).T("dash_review_title"), Page: "review", Data: d}, nil
}

// proof sends the screenshot of a submission waiting for review, to
// be shown inline on the review page.
func (s *Server) proof(w http.ResponseWriter, r *http.Request, _ string) {
	doc, err := s.Flows.Proof(r.Context(), r.PathValue("code"))
	switch {
	case errors.Is(err, domain.ErrNotFound):
		http.NotFound(w, r)
		return
	case err != nil:
		s.Log.Error("dashboard: proof", "code", r.PathValue("code"), "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", doc.MIME)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc.Data)))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s"`, doc.Name))
	w.Write(doc.Data)
}

// decideReview approves or rejects a submission (a rejection needs a
// reason, which the runner is sent) and goes back to the list.
func (s *Server) decideReview(w http.ResponseWriter, r *http.Request, sess session) {
	code, action := r.PathValue("code"), r.PathValue("action")
	if action != "approve" && action != "reject" {
		http.NotFound(w, r)
		return
	}
	done, err := s.Flows.ReviewSubmission(r.Context(), sess.admin(), code, action == "approve", r.PostFormValue("reason"))
	outcome := "done=dash_done_" + action
	switch {
	case errors.Is(err, domain.ErrReasonNeeded):
		outcome = "problem=dash_problem_reason"
	case err != nil:
		s.Log.Error("dashboard review", "action", action, "code", code, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	case !done:
		outcome = "problem=dash_problem_reviewed"
	default:
		s.Log.Info("dashboard review", "action", action, "code", code, "admin", sess.admin())
	}
	http.Redirect(w, r, "/admin/review?"+outcome, http.StatusSeeOther)
}
