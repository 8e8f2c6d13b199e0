package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

func (e *env) funTaken() int {
	e.t.Helper()
	var n int
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		n, err = tx.PlacesTaken(domain.FunStartsPlaces, event.InPerson)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// The children's list searches like /find; a child's page shows the
// parent's notes to organizers and runs what /markpaid and /cancelreg
// do with a child's code.
func TestFunStartsChildren(t *testing.T) {
	e := newEnv(t)
	alua := e.addChild("ALUA", "Alua", "Динара Садыкова", "+77011112233", domain.StatusAwaitingPayment, "non-verbal,\nneeds a companion")
	bota := e.addChild("BOTA", "Бота", "Ержан Қасымов", "+77015556677", domain.StatusConfirmed, "")
	b := e.browser()
	csrf := b.login("Aigul", "en")
	if page := b.get("/admin/"); !strings.Contains(page.body, `<a href="/admin/funstarts">List of children</a>`) {
		t.Errorf("overview has no link to the children")
	}
	for _, c := range []struct {
		query string
		want  []string
		not   string
	}{
		{"", []string{alua, bota, "Found: 2 of 2.", "Динара Садыкова", "&#43;7 701 111 22 33", "01.06.2018"}, ""},
		{"q=alua", []string{alua, "Found: 1 of 2."}, bota},
		{"q=%D2%9B%D0%B0%D1%81%D1%8B%D0%BC", []string{bota, "Found: 1 of 2."}, alua},
		{"q=2233", []string{alua}, bota},
		{"status=confirmed", []string{bota}, alua},
	} {
		page := b.get("/admin/funstarts?" + c.query)
		for _, w := range c.want {
			if !strings.Contains(page.body, w) {
				t.Errorf("%q: no %q", c.query, w)
			}
		}
		if c.not != "" && strings.Contains(page.body, `href="/admin/r/`+c.not+`"`) {
			t.Errorf("%q lists %s", c.query, c.not)
		}
		if strings.Contains(page.body, "non-verbal") {
			t.Errorf("%q: the list shows the notes", c.query)
		}
	}
	page := b.get("/admin/r/" + alua)
	for _, want := range []string{
		`<p class="prewrap">non-verbal,` + "\n" + `needs a companion</p>`, "do not forward or post it",
		"Динара Садыкова", "&#43;7 701 111 22 33", "awaiting payment", "3,000\u00a0₸", `id="markpaid"`, `id="cancel"`,
		`<td class="nowrap">RFA-FS-ALUA-1</td><td>Fee</td>`, "No organizer has changed this sign-up.",
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("child page lacks %q", want)
		}
	}
	places := e.funTaken()
	// Mark paid needs a reason.
	if r := b.post("/admin/r/"+alua+"/markpaid", url.Values{"csrf": {csrf}}); r.location != "/admin/r/"+alua+"?problem=dash_problem_reason" {
		t.Errorf("no reason: %d %q", r.code, r.location)
	}
	r := b.post("/admin/r/"+strings.ToLower(alua)+"/markpaid", url.Values{"csrf": {csrf}, "reason": {"cash at the desk"}})
	if r.code != http.StatusSeeOther || r.location != "/admin/r/rfa-fs-alua?done=dash_done_child_markpaid" {
		t.Fatalf("mark paid: %d %q", r.code, r.location)
	}
	c := e.child(alua)
	if c.Status != domain.StatusConfirmed || c.PaidAmount != 3000 || e.funTaken() != places || !e.queued("paid:"+alua) {
		t.Errorf("marked paid: %+v, places %d", c, e.funTaken())
	}
	page = b.get(r.location)
	if !strings.Contains(page.body, "Marked paid. The parent gets a confirmation.") ||
		!strings.Contains(page.body, "<td>dashboard:Aigul</td><td>Marked paid</td><td>cash at the desk</td>") ||
		!strings.Contains(page.body, `<td class="nowrap">RFA-FS-ALUA-1</td><td>Fee</td><td class="n">3,000`+"\u00a0"+`₸</td><td>void</td>`) ||
		strings.Contains(page.body, `id="markpaid"`) {
		t.Errorf("after mark paid:\n%s", page.body)
	}
	if r := b.post("/admin/r/"+alua+"/markpaid", url.Values{"csrf": {csrf}, "reason": {"again"}}); !strings.HasSuffix(r.location, "problem=dash_problem_already") {
		t.Errorf("mark paid twice: %q", r.location)
	}
	// Cancel frees the place and tells the parent.
	r = b.post("/admin/r/"+alua+"/cancel", url.Values{"csrf": {csrf}, "reason": {"the parent asked"}})
	if r.location != "/admin/r/"+alua+"?done=dash_done_child_cancel" {
		t.Fatalf("cancel: %d %q", r.code, r.location)
	}
	if c := e.child(alua); c.Status != domain.StatusCancelled || e.funTaken() != places-1 || !e.queued("cancel:"+alua) {
		t.Errorf("cancelled: %+v, places %d", c, e.funTaken())
	}
	if r := b.post("/admin/r/"+alua+"/cancel", url.Values{"csrf": {csrf}, "reason": {"again"}}); !strings.HasSuffix(r.location, "problem=dash_problem_already") {
		t.Errorf("cancel twice: %q", r.location)
	}
	r = b.post("/admin/r/"+alua+"/markpaid", url.Values{"csrf": {csrf}, "reason": {"cash"}})
	if !strings.HasSuffix(r.location, "problem=dash_problem_child_status") {
		t.Errorf("mark a cancelled child paid: %q", r.location)
	}
	if page := b.get(r.location); !strings.Contains(page.body, "Not possible in this sign-up&#39;s status; nothing changed.") ||
		strings.Contains(page.body, `id="cancel"`) {
		t.Errorf("cancelled child's page:\n%s", page.body)
	}
	var got []string
	for _, a := range e.audit() {
		got = append(got, a.Admin+" "+a.Action+" "+a.Record+" "+a.Detail)
	}
	if strings.Join(got, "|") != "dashboard:Aigul markpaid RFA-FS-ALUA cash at the desk|dashboard:Aigul cancelreg RFA-FS-ALUA the parent asked" {
		t.Errorf("audit %q", got)
	}
	// A free, confirmed child can be cancelled but not marked paid.
	if page := b.get("/admin/r/" + bota); strings.Contains(page.body, `id="markpaid"`) || !strings.Contains(page.body, `id="cancel"`) ||
		!strings.Contains(page.body, "The parent wrote no notes.") {
		t.Errorf("free child's page:\n%s", page.body)
	}
	if r := b.post("/admin/r/RFA-FS-ZZZZ/cancel", url.Values{"csrf": {csrf}, "reason": {"x"}}); r.code != http.StatusNotFound {
		t.Errorf("unknown child: %d", r.code)
	}
	if r := b.post("/admin/r/"+bota+"/delete", url.Values{"csrf": {csrf}}); r.code != http.StatusNotFound {
		t.Errorf("unknown action: %d", r.code)
	}
}
