package flows_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// screenshot is the start of a PNG file, as a phone sends it.
var screenshot = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR screenshot of a run")

// inWindow is during the default event's online run (3 to 5 April).
var inWindow = time.Date(2027, 4, 4, 10, 0, 0, 0, time.FixedZone("Astana", 5*3600))

func (h *harness) file(key string) ([]byte, error) {
	var b []byte
	err := h.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		b, err = tx.File(key)
		return err
	})
	return b, err
}

// TestOnlineRunSubmission takes an online runner through sending their
// result, an organizer rejecting it with a reason, the runner sending
// it again with a link, and the organizer approving it.
func TestOnlineRunSubmission(t *testing.T) {
	h := newHarnessWith(t, nil, func(h *harness) { h.admins = []string{"test:org"} })
	h.participant("o", "en", domain.Registration{Code: "RFA-ONL1", Name: "Dana Lee", Gender: "female", Birth: "1992-09-09",
		Mode: event.Online, Distance: "5k", Bib: 1500, Status: domain.StatusPaid}, nil)
	h.participant("p", "en", domain.Registration{Code: "RFA-INP1", Name: "Sam Park", Birth: "1990-01-01", Bib: 1501, Status: domain.StatusPaid}, nil)
	o := h.user("o", "en")
	h.setNow(time.Date(2027, 4, 2, 10, 0, 0, 0, time.UTC))
	o.do([]action{{say: "/start", not: "Send my online run result"}})
	h.setNow(inWindow)
	o.do([]action{
		{say: "/menu", want: "Send my online run result"},
		{tap: "Send my online run result", want: "Online run: Dana Lee, 5 km. What was your time?", step: flows.StepOnlineTime},
		{say: "half an hour", want: "I could not read that time", step: flows.StepOnlineTime},
		{say: "9:00", want: "0:09:00 for 5 km would beat the world record", step: flows.StepOnlineTime},
		{say: "31:45", want: "Time: 0:31:45. Now send a proof", step: flows.StepOnlineProof},
		{say: "it was a lovely run", want: "Please send a screenshot or photo of your run, or a link", step: flows.StepOnlineProof},
	})
	o.send(dialog.Message{Document: &dialog.Attachment{Name: "run.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4")}})
	if !strings.Contains(o.last.Text, "Here I can only take a picture") {
		t.Errorf("a PDF as proof: %q", o.last.Text)
	}
	o.send(dialog.Message{Photo: &dialog.Attachment{MIME: "image/png", Data: screenshot}})
	if !strings.Contains(o.last.Text, "Thank you! Your result 0:31:45 for 5 km has been sent.") ||
		!strings.Contains(o.last.Text, "Online result 0:31:45: sent, the organizers are checking it") {
		t.Errorf("after the proof: %q", o.last.Text)
	}
	if got := o.state().Session.Step; got != flows.StepMyReg {
		t.Errorf("after the proof at %q, want the registration", got)
	}
	if b, err := h.file("proof:RFA-ONL1"); err != nil || !bytes.Equal(b, screenshot) {
		t.Fatalf("proof kept as %q, %v", b, err)
	}
	// Someone who ran at the venue has nothing to send.
	p := h.user("p", "en")
	p.do([]action{{say: "/start", not: "Send my online run result"}})

	org := h.user("org", "en")
	org.do([]action{{say: "/start"}})
	r := org.say("/review")
	for _, want := range []string{"Online result to check:\nDana Lee (RFA-ONL1), 5 km", "Time: 0:31:45 (pace 6:21 per km)",
		"Sent: 4 April 2027, 10:00", "Proof: the picture sent with this message."} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("review lacks %q:\n%s", want, r.Text)
		}
	}
	if r.Document == nil || !bytes.Equal(r.Document.Data, screenshot) || r.Document.MIME != "image/png" || r.Document.Name != "proof-RFA-ONL1.png" {
		t.Fatalf("review document %+v", r.Document)
	}
	org.do([]action{
		{tap: "Reject", want: "Why is the result of RFA-ONL1 not accepted?", step: flows.StepReviewReason},
		{say: "the screenshot does not show the distance", want: "RFA-ONL1: rejected; the runner was told why."},
	})
	if !strings.Contains(org.last.Text, "No online results are waiting for review.") {
		t.Errorf("after the review: %q", org.last.Text)
	}
	ps := h.pushes("o")
	if len(ps) != 1 || ps[0].Kind != "review" ||
		!strings.Contains(ps[0].Reply.Text, "Dana Lee, the organizers could not accept your online run result (5 km). Their reason: the screenshot does not show the distance") ||
		!strings.Contains(ps[0].Reply.Text, "You can send it again from the menu") {
		t.Fatalf("rejection push: %s", pushTexts(ps))
	}
	if _, err := h.file("proof:RFA-ONL1"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the proof of a reviewed submission is kept: %v", err)
	}

	o.do([]action{
		{say: "/menu"},
		{tap: "My registrations"},
		{tap: "RFA-ONL1", want: "Online result 0:31:45: not accepted (the screenshot does not show the distance)"},
		{tap: "Send my online run result", step: flows.StepOnlineTime},
		{say: "0:31:40", step: flows.StepOnlineProof},
		{say: "here: https://www.strava.com/activities/123456.", want: "Thank you! Your result 0:31:40"},
	})
	r = org.say("/review")
	if len(r.Links) != 1 || r.Links[0].URL != "https://www.strava.com/activities/123456" || r.Document != nil {
		t.Fatalf("review of a link: %+v", r)
	}
	org.do([]action{{tap: "Approve", want: "RFA-ONL1: approved; the runner gets their result and diploma."}})
	// The old button is not taken twice.
	org.do([]action{{raw: "rv:ok:RFA-ONL1", want: "That button is from an earlier message"}})

	ps = h.pushes("o")
	if len(ps) != 2 || ps[1].Kind != "review" || ps[1].Key != "results:RFA-ONL1:1" {
		t.Fatalf("pushes after approval: %s", pushTexts(ps))
	}
	for _, want := range []string{"Dana Lee, congratulations on finishing Run for Autism!", "5 km, online: 0:31:40",
		"Place among online runners: 1 of 1", "Among women: 1 of 1", "Age group 30–39: 1 of 1", "Diploma (PDF) https://bot.test/diploma/RFA-ONL1/"} {
		if !strings.Contains(pushTexts(ps[1:]), want) {
			t.Errorf("approval push lacks %q:\n%s", want, pushTexts(ps[1:]))
		}
	}
	o.do([]action{{say: "/menu", not: "Send my online run result"}})
	var res domain.Result
	h.store.View(context.Background(), func(tx domain.Tx) error { res, _ = tx.Result("RFA-ONL1"); return nil })
	if res.Mode != event.Online || res.Time != 31*time.Minute+40*time.Second || res.Source != "online" {
		t.Errorf("result %+v", res)
	}
	// An online result does not make anyone a winner at the venue.
	o.do([]action{{say: "/results", want: "Dana Lee, 5 km, online: 0:31:40", not: "Winners"}})

	log, _ := h.store.AuditLog()
	if len(log) != 2 || log[0].Action != "review_reject" || log[0].Detail != "the screenshot does not show the distance" ||
		log[1].Action != "review_approve" || log[1].Record != "RFA-ONL1" {
		t.Errorf("audit log %+v", log)
	}
	// A runner still typing when the window closes is told so.
	h.participant("q", "ru", domain.Registration{Code: "RFA-ONL2", Name: "Ерлан Сейткали", Mode: event.Online, Distance: "1k",
		Bib: 6000, Status: domain.StatusPaid}, nil)
	q := h.user("q", "ru")
	q.do([]action{{say: "/menu"}, {tap: "Отправить онлайн-результат", want: "Онлайн-забег: Ерлан Сейткали, 1 км. Какое у вас время?"}})
	h.setNow(time.Date(2027, 4, 6, 10, 0, 0, 0, time.UTC))
	q.do([]action{{say: "7:30", want: "Сейчас отправить результат нельзя", step: flows.StepMyReg}})
}

// TestDiplomaCommand sends diplomas: before the race it says when; a
// finisher gets theirs at once; a parent who also ran picks between
// theirs and their child's participation diploma.
func TestDiplomaCommand(t *testing.T) {
	h := resultsHarness(t)
	h.setNow(time.Date(2027, 4, 1, 10, 0, 0, 0, time.UTC))
	b := h.user("b", "kk")
	b.do([]action{{say: "/start"}, {say: "/diploma", want: "Дипломдар жүгірістен кейін"}})
	h.setNow(afterRace)
	err := h.store.Update(context.Background(), func(tx domain.Tx) error {
		return tx.AddRegistration(&domain.Registration{Kind: domain.KindChild, Distance: domain.FunStartsPlaces, Mode: event.InPerson, Code: "RFA-FS-KIDS", UserKey: "test:b", Lang: "kk", Guardian: "Әсел Қайратқызы",
			Name: "Нұрлы", Birth: "2019-05-05", Status: domain.StatusConfirmed}, 200)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.conv.ApplyResults(context.Background(), "cli", "r.csv", resultFiles[0].data, flows.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	c := h.user("c", "en")
	r := c.say("/diploma")
	if !strings.Contains(r.Text, "Here is the diploma of Oliver Smith. Congratulations!") || r.Document == nil ||
		r.Document.Name != "diploma-"+code("c")+".pdf" || r.Document.MIME != "application/pdf" || !bytes.HasPrefix(r.Document.Data, []byte("%PDF-")) {
		t.Fatalf("diploma reply %q, document %v", r.Text, r.Document != nil)
	}
	b.do([]action{
		{say: "/diploma", want: "Кімнің дипломын жіберейін?", step: flows.StepDiploma},
	})
	if got := labels(b.last); len(got) != 3 || got[0] != "Әсел Қайратқызы · 5 км" || got[1] != "Нұрлы · Көңілді старттар" {
		t.Fatalf("diploma choices %v", got)
	}
	r = b.tap("Нұрлы")
	if r.Document == nil || r.Document.Name != "diploma-RFA-FS-KIDS.pdf" || !strings.Contains(r.Text, "Міне, диплом: Нұрлы") {
		t.Fatalf("child's diploma: %q, %+v", r.Text, r.Document)
	}
	if got := b.state().Session.Step; got != flows.StepDiploma {
		t.Errorf("after a diploma at %q, want the list again", got)
	}
	// A runner who did not finish has none.
	e := h.user("e", "en")
	e.do([]action{{say: "/diploma", want: "I have no diploma for you yet"}})
	if e.last.Document != nil {
		t.Error("a diploma for a runner who did not finish")
	}
}

// TestDiplomaFor is what the links of results pushes serve: the
// diploma for the right token only, drawn as PDF or PNG.
func TestDiplomaFor(t *testing.T) {
	h := resultsHarness(t)
	if _, err := h.conv.ApplyResults(context.Background(), "cli", "r.csv", resultFiles[0].data, flows.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	res, _ := h.result("a")
	ctx := context.Background()
	d, err := h.conv.DiplomaFor(ctx, code("a"), res.Token)
	if err != nil {
		t.Fatal(err)
	}
	// The places and the chip time are on the diploma; a result without
	// a chip time has no chip line.
	if d.Name != "Айгерим Нурланова" || d.Result != "Время: 0:24:31" || d.Places != "Место: 2 из 4 · Возрастная группа 30–39 лет: 1 из 2" ||
		d.Chip != "Чистое время (по чипу): 0:24:20" {
		t.Errorf("diploma %+v", d)
	}
	f, _ := h.result("f")
	if d, err := h.conv.DiplomaFor(ctx, code("f"), f.Token); err != nil || d.Places != "Место: 1 из 1 · Возрастная группа 50–59 лет: 1 из 1" || d.Chip != "" {
		t.Errorf("diploma without a chip time %+v, %v", d, err)
	}
	e, _ := h.result("e")
	for _, tt := range []struct{ name, code, token string }{
		{"wrong token", code("a"), strings.Repeat("0", 32)},
		{"another's token", code("b"), res.Token},
		{"no token", code("a"), ""},
		{"did not finish", code("e"), e.Token},
		{"no result", code("g"), res.Token},
	} {
		if _, err := h.conv.DiplomaFor(ctx, tt.code, tt.token); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", tt.name, err)
		}
	}
}

// TestHowToSubmitNamesTheButton: the online reminder's instructions in
// the default event file name the menu button as each language labels
// it.
func TestHowToSubmitNamesTheButton(t *testing.T) {
	h := newHarness(t, nil)
	for _, l := range event.Languages {
		label := h.cat.T(l, "menu_online_result", nil)
		if !strings.Contains(h.ev.OnlineRun.HowToSubmit.In(l), label) {
			t.Errorf("%s: how_to_submit does not name the button %q", l, label)
		}
	}
}

// TestReviewThroughTheAPI is what a dashboard does: list the waiting
// submissions, show the screenshot, approve or reject.
func TestReviewThroughTheAPI(t *testing.T) {
	h := newHarness(t, nil)
	h.setNow(inWindow)
	for _, id := range []string{"x", "y"} {
		h.participant(id, "ru", domain.Registration{Code: "RFA-ONL" + strings.ToUpper(id), Name: "Бегун " + id, Birth: "1990-01-01",
			Mode: event.Online, Distance: "5k", Bib: 1500 + len(id), Status: domain.StatusPaid}, nil)
		u := h.user(id, "ru")
		u.do([]action{{say: "/menu"}, {tap: "Отправить онлайн-результат"}, {say: "28:00"}})
		if id == "x" {
			u.send(dialog.Message{Document: &dialog.Attachment{Name: "run.jpg", MIME: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0 jpeg")}})
		} else {
			u.say("https://connect.garmin.com/modern/activity/42")
		}
	}
	ctx := context.Background()
	subs, err := h.conv.PendingSubmissions(ctx, 10)
	if err != nil || len(subs) != 2 || subs[0].Code != "RFA-ONLX" || subs[1].ProofLink != "https://connect.garmin.com/modern/activity/42" {
		t.Fatalf("pending: %+v, %v", subs, err)
	}
	doc, err := h.conv.Proof(ctx, "RFA-ONLX")
	if err != nil || doc.MIME != "image/jpeg" || doc.Name != "proof-RFA-ONLX.jpg" || string(doc.Data) != "\xff\xd8\xff\xe0 jpeg" {
		t.Fatalf("proof: %+v, %v", doc, err)
	}
	if _, err := h.conv.Proof(ctx, "RFA-ONLY"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("proof of a link: %v", err)
	}
	if done, err := h.conv.ReviewSubmission(ctx, "dashboard:anna", "RFA-ONLX", true, ""); err != nil || !done {
		t.Fatalf("approve: %v, %v", done, err)
	}
	if done, err := h.conv.ReviewSubmission(ctx, "dashboard:anna", "RFA-ONLX", false, "late"); err != nil || done {
		t.Fatalf("a second review changed something: %v, %v", done, err)
	}
	if done, err := h.conv.ReviewSubmission(ctx, "dashboard:anna", "RFA-ONLY", false, "  "); !errors.Is(err, domain.ErrReasonNeeded) || done {
		t.Fatalf("reject without a reason: %v, %v", done, err)
	}
	if done, err := h.conv.ReviewSubmission(ctx, "dashboard:anna", "RFA-ONLY", false, "the link does not open"); err != nil || !done {
		t.Fatalf("reject: %v, %v", done, err)
	}
	if subs, _ := h.conv.PendingSubmissions(ctx, 10); len(subs) != 0 {
		t.Errorf("still pending: %+v", subs)
	}
	if _, err := h.conv.Proof(ctx, "RFA-ONLX"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the proof outlived the review: %v", err)
	}
	if ps := h.pushes("x"); len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "Место среди онлайн-участников: 1 из 1") {
		t.Errorf("approved runner: %s", pushTexts(ps))
	}
	if ps := h.pushes("y"); len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "Причина: the link does not open") {
		t.Errorf("rejected runner: %s", pushTexts(ps))
	}
	log, _ := h.store.AuditLog()
	if len(log) != 2 || log[0].Admin != "dashboard:anna" {
		t.Errorf("audit log %+v", log)
	}
}
