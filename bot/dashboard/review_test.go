package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/domain"
)

// The review page lists what waits with its proof, approves and
// rejects through the same operation as /review, and the proof is
// gone once reviewed.
func TestReviewOnlineResults(t *testing.T) {
	e := newEnv(t)
	x := e.addSubmission("ONLX", "Runner X", proofPNG, "")
	y := e.addSubmission("ONLY", "Runner Y", nil, "https://www.strava.com/activities/42")
	b := e.browser()
	csrf := b.login("Aigul", "en")
	if page := b.get("/admin/"); !strings.Contains(page.body, `<a href="/admin/review">2 online results waiting for review</a>`) {
		t.Errorf("overview:\n%s", page.body)
	}
	page := b.get("/admin/review")
	for _, want := range []string{
		"2 results are waiting.",
		`<h2>Runner X <a class="code" href="/admin/r/RFA-ONLX">RFA-ONLX</a></h2>`,
		"<dd><b>0:28:00</b> · 5:36 per km</dd>",
		`<img class="proof" src="/admin/review/RFA-ONLX/proof" alt="Screenshot sent as proof by RFA-ONLX">`,
		`<a href="https://www.strava.com/activities/42" rel="noopener noreferrer" target="_blank">Open the activity</a>`,
		`action="/admin/review/RFA-ONLY/reject"`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("review page lacks %q", want)
		}
	}
	proof := b.get("/admin/review/" + x + "/proof")
	if proof.code != http.StatusOK || proof.header.Get("Content-Type") != "image/png" || proof.body != string(proofPNG) ||
		proof.header.Get("Cache-Control") != "no-store" || proof.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("proof: %d %v %q", proof.code, proof.header, proof.body)
	}
	if r := b.get("/admin/review/" + y + "/proof"); r.code != http.StatusNotFound {
		t.Errorf("proof of a link: %d", r.code)
	}
	// A rejection needs a reason.
	r := b.post("/admin/review/"+y+"/reject", url.Values{"csrf": {csrf}, "reason": {"  "}})
	if r.location != "/admin/review?problem=dash_problem_reason" {
		t.Errorf("reject without a reason: %d %q", r.code, r.location)
	}
	if subs, _ := e.conv.PendingSubmissions(context.Background(), 10); len(subs) != 2 {
		t.Fatalf("changed by a refused rejection: %+v", subs)
	}
	r = b.post("/admin/review/"+x+"/approve", url.Values{"csrf": {csrf}})
	if r.code != http.StatusSeeOther || r.location != "/admin/review?done=dash_done_approve" {
		t.Fatalf("approve: %d %q", r.code, r.location)
	}
	res := e.result("ONLX")
	if res == nil || res.Status != domain.ResultFinished || res.Mode != "online" || res.Place != 1 || !e.queued("results:RFA-ONLX:1") {
		t.Errorf("approved: %+v", res)
	}
	if r := b.get("/admin/review/" + x + "/proof"); r.code != http.StatusNotFound {
		t.Errorf("the proof outlived the review: %d", r.code)
	}
	if r := b.post("/admin/review/"+x+"/approve", url.Values{"csrf": {csrf}}); r.location != "/admin/review?problem=dash_problem_reviewed" {
		t.Errorf("approve twice: %d %q", r.code, r.location)
	}
	r = b.post("/admin/review/"+y+"/reject", url.Values{"csrf": {csrf}, "reason": {"the link does not open"}})
	if r.location != "/admin/review?done=dash_done_reject" || e.result("ONLY") != nil {
		t.Fatalf("reject: %d %q", r.code, r.location)
	}
	page = b.get(r.location)
	if !strings.Contains(page.body, "Rejected: the runner was told why.") || !strings.Contains(page.body, "No online results are waiting for review.") {
		t.Errorf("after the review:\n%s", page.body)
	}
	var sub domain.Submission
	e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		sub, err = tx.Submission(y)
		return err
	})
	if sub.Status != domain.SubmissionRejected || sub.Reason != "the link does not open" || sub.ReviewedBy != "dashboard:Aigul" {
		t.Errorf("rejected submission %+v", sub)
	}
	var got []string
	for _, a := range e.audit() {
		got = append(got, a.Admin+" "+a.Action+" "+a.Record+" "+a.Detail)
	}
	if strings.Join(got, "|") != "dashboard:Aigul review_approve RFA-ONLX 0:28:00|dashboard:Aigul review_reject RFA-ONLY the link does not open" {
		t.Errorf("audit %q", got)
	}
	// The runner's page tells the story.
	if page := b.get("/admin/r/" + x); !strings.Contains(page.body, "<td>dashboard:Aigul</td><td>Online result approved</td><td>0:28:00</td>") {
		t.Errorf("history:\n%s", page.body)
	}
	if r := b.post("/admin/review/"+x+"/delete", url.Values{"csrf": {csrf}}); r.code != http.StatusNotFound {
		t.Errorf("unknown action: %d", r.code)
	}
}
