package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/formats/results"
)

// Organizers' results work in the chat: /review checks online runners'
// submissions one at a time, /import (or a CSV sent as a file) imports
// the timing company's results after a dry run.

// Payloads of the review and the import.
const (
	payReviewOK     = "rv:ok:"
	payReviewNo     = "rv:no:"
	payImportApply  = "im:apply"
	payImportSkip   = "im:skip"
	payImportAccept = "im:accept"
	payImportCancel = "im:cancel"
)

// reviewCommand is /review: the next submission waiting.
func reviewCommand(t *turn, _ string) error {
	t.goTo(StepReview)
	return nil
}

// ReviewSubmission approves or rejects the online-run submission of
// registration code for admin, in one transaction, and queues what the
// runner is told: approved, their result ranked among online runners
// and their diploma; rejected, the reason. It reports false, changing
// nothing, when the submission is no longer pending. A rejection needs
// a reason (ErrReasonNeeded), as the chat asks for one. The dashboard
// calls it; the chat's /review does the same.
func (f *Flows) ReviewSubmission(ctx context.Context, admin, code string, approve bool, reason string) (bool, error) {
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return false, fmt.Errorf("reject submission %s: %w", code, domain.ErrReasonNeeded)
	}
	var done bool
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		t := &turn{Flows: f, tx: tx, u: &domain.User{Key: admin}, now: f.now()}
		var err error
		done, err = t.review(code, approve, reason)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("review submission %s: %w", code, err)
	}
	return done, nil
}

// PendingSubmissions lists up to limit online-run submissions waiting
// for review, the earliest first.
func (f *Flows) PendingSubmissions(ctx context.Context, limit int) ([]domain.Submission, error) {
	var out []domain.Submission
	err := f.store.View(ctx, func(tx domain.Tx) error {
		var err error
		out, err = tx.PendingSubmissions(limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pending submissions: %w", err)
	}
	return out, nil
}

// Proof returns the screenshot kept for the pending submission of
// registration code; ErrNotFound when it has none (a link, or
// reviewed).
func (f *Flows) Proof(ctx context.Context, code string) (dialog.Document, error) {
	var doc dialog.Document
	err := f.store.View(ctx, func(tx domain.Tx) error {
		s, err := tx.Submission(code)
		if err != nil {
			return err
		}
		if s.ProofFile == "" || s.Status != domain.SubmissionPending {
			return domain.ErrNotFound
		}
		data, err := tx.File(s.ProofFile)
		doc = dialog.Document{Name: proofName(code, s.ProofMIME), MIME: s.ProofMIME, Data: data}
		return err
	})
	if err != nil {
		return dialog.Document{}, fmt.Errorf("proof of %s: %w", code, err)
	}
	return doc, nil
}

// review approves or rejects a pending submission (see
// ReviewSubmission). The proof's bytes are dropped either way: only
// pending submissions keep one, which bounds what the database holds.
func (t *turn) review(code string, approve bool, reason string) (bool, error) {
	s, err := t.tx.Submission(code)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil || s.Status != domain.SubmissionPending {
		return false, err
	}
	reg, err := t.tx.Registration(code)
	if err != nil {
		return false, err
	}
	s.ReviewedBy, s.ReviewedAt = t.u.Key, t.now
	if s.ProofFile != "" {
		if err := t.tx.DeleteFile(s.ProofFile); err != nil {
			return false, err
		}
		s.ProofFile = ""
	}
	if !approve {
		s.Status, s.Reason = domain.SubmissionRejected, reason
		if err := t.tx.PutSubmission(&s); err != nil {
			return false, err
		}
		o, err := t.owner(reg)
		if err != nil {
			return false, err
		}
		msg := dialog.Reply{Text: o.T("online_rejected", "Name", reg.Name, "Distance", o.distanceName(s.Distance), "Reason", reason)}
		if o.submissionsOpen() {
			msg.Text += "\n\n" + o.T("online_rejected_again")
		}
		if err := o.push(kindReview, fmt.Sprintf("online:%s:%d:rejected", code, s.SubmittedAt.UnixNano()), msg); err != nil {
			return false, err
		}
		return true, t.audit("review_reject", code, reason)
	}
	s.Status = domain.SubmissionApproved
	if err := t.tx.PutSubmission(&s); err != nil {
		return false, err
	}
	res, err := t.tx.Result(code)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		res = domain.Result{Code: code, Token: newToken()}
	case err != nil:
		return false, err
	}
	res.Bib, res.Distance, res.Mode, res.Status, res.Time, res.Chip = 0, s.Distance, event.Online, domain.ResultFinished, s.Time, 0
	res.Version++
	res.Source, res.UpdatedAt = "online", t.now
	if err := t.tx.PutResult(&res); err != nil {
		return false, err
	}
	if err := t.rank(); err != nil {
		return false, err
	}
	if _, _, err := t.tellResult(code, kindReview); err != nil {
		return false, err
	}
	return true, t.audit("review_approve", code, results.FormatTime(s.Time))
}

func askReview(t *turn) (dialog.Reply, error) {
	subs, err := t.tx.PendingSubmissions(maxPending)
	if err != nil {
		return dialog.Reply{}, err
	}
	if len(subs) == 0 {
		return dialog.Reply{Text: t.T("review_none"), Choices: []dialog.Choice{t.choice("back_to_menu", payMenu)}}, nil
	}
	s := subs[0]
	reg, err := t.tx.Registration(s.Code)
	if err != nil {
		return dialog.Reply{}, err
	}
	var b strings.Builder
	if len(subs) > 1 {
		b.WriteString(t.N("review_waiting", len(subs)) + "\n\n")
	}
	b.WriteString(t.T("review_item", "Name", reg.Name, "Code", s.Code, "Distance", t.distanceName(s.Distance),
		"Time", results.FormatTime(s.Time), "Pace", t.pace(s.Distance, s.Time), "Date", t.formatTime(s.SubmittedAt)))
	r := dialog.Reply{Choices: []dialog.Choice{
		{Label: t.T("review_approve"), Payload: payReviewOK + s.Code},
		{Label: t.T("review_reject"), Payload: payReviewNo + s.Code},
		t.choice("back_to_menu", payMenu),
	}}
	switch {
	case s.ProofLink != "":
		b.WriteString("\n" + t.T("review_proof_link"))
		r.Links = []dialog.Link{{Label: t.T("review_proof_open"), URL: s.ProofLink}}
	case s.ProofFile != "":
		data, err := t.tx.File(s.ProofFile)
		if err != nil {
			return dialog.Reply{}, err
		}
		b.WriteString("\n" + t.T("review_proof_file"))
		r.Document = &dialog.Document{Name: proofName(s.Code, s.ProofMIME), MIME: s.ProofMIME, Data: data}
	}
	r.Text = b.String()
	return r, nil
}

// maxPending is how many waiting submissions /review counts.
const maxPending = 1000

// pace is the time per kilometre of a run, m:ss.
func (t *turn) pace(distance string, d time.Duration) string {
	dist, _ := t.ev.Distance(distance)
	p := time.Duration(float64(d) / dist.Km).Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(p/time.Minute), int(p%time.Minute/time.Second))
}

func handleReview(t *turn, in input) error {
	if in.payload == payMenu {
		t.goTo(StepMenu)
		return nil
	}
	if code, ok := strings.CutPrefix(in.payload, payReviewOK); ok {
		done, err := t.review(code, true, "")
		if err != nil {
			return err
		}
		if done {
			t.note("review_approved", "Code", code)
		} else {
			t.note("review_gone", "Code", code)
		}
		return nil
	}
	if code, ok := strings.CutPrefix(in.payload, payReviewNo); ok {
		t.session().Review = code
		t.goTo(StepReviewReason)
		return nil
	}
	return invalid("pick_button")
}

func askReviewReason(t *turn) (dialog.Reply, error) {
	return dialog.Reply{Text: t.T("review_reason_ask", "Code", t.session().Review), Choices: []dialog.Choice{t.choice("back", payBack)}}, nil
}

func handleReviewReason(t *turn, in input) error {
	code := t.session().Review
	if in.payload == payBack {
		t.session().Review = ""
		t.goTo(StepReview)
		return nil
	}
	if in.text == "" {
		return invalid("review_reason_needed")
	}
	done, err := t.review(code, false, in.text)
	if err != nil {
		return err
	}
	if done {
		t.note("review_rejected", "Code", code)
	} else {
		t.note("review_gone", "Code", code)
	}
	t.session().Review = ""
	t.goTo(StepReview)
	return nil
}

// importCommand is /import: how to send a results file.
func importCommand(t *turn, _ string) error {
	t.note("import_how")
	return nil
}

// importFileKey is where an organizer's results file waits for their
// decision.
func importFileKey(userKey string) string { return "import:" + userKey }

// takeResultsFile keeps a results file an organizer sent and shows its
// dry run.
func (t *turn) takeResultsFile(a *dialog.Attachment) error {
	if a.Data == nil {
		t.note("file_not_taken", "MB", MaxAttachment>>20)
		return nil
	}
	if err := t.tx.PutFile(importFileKey(t.u.Key), a.Data); err != nil {
		return err
	}
	name := a.Name
	if name == "" {
		name = "results.csv"
	}
	t.session().Import = &domain.ImportDraft{Name: name, Hash: fileHash(a.Data)}
	t.goTo(StepImport)
	return nil
}

// importDraft is the file waiting for the organizer's decision; ok is
// false (and the organizer back on the menu) when there is none.
func (t *turn) importDraft() (d *domain.ImportDraft, data []byte, ok bool, err error) {
	d = t.session().Import
	if d != nil {
		data, err = t.tx.File(importFileKey(t.u.Key))
		if err == nil && fileHash(data) == d.Hash {
			return d, data, true, nil
		}
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return nil, nil, false, err
		}
	}
	t.session().Import = nil
	t.goTo(StepMenu)
	return nil, nil, false, nil
}

func askImport(t *turn) (dialog.Reply, error) {
	d, data, ok, err := t.importDraft()
	if err != nil || !ok {
		if err != nil {
			return dialog.Reply{}, err
		}
		return askMenu(t)
	}
	rep, err := t.importReport(d.Name, data, nil)
	if err != nil {
		return dialog.Reply{}, err
	}
	r := dialog.Reply{Text: t.importReportText(rep, maxReportLines)}
	if rep.CanApply(ImportOptions{}) {
		r.Choices = append(r.Choices, t.choice("import_apply", payImportApply))
	}
	if !rep.CanApply(ImportOptions{}) && rep.CanApply(ImportOptions{SkipBad: true}) {
		r.Choices = append(r.Choices, dialog.Choice{Label: t.N("import_apply_skip", len(rep.Problems)+rep.Flagged), Payload: payImportSkip})
	}
	if rep.Flagged > 0 && rep.CanApply(ImportOptions{SkipBad: true, AcceptFlagged: true}) {
		r.Choices = append(r.Choices, dialog.Choice{Label: t.N("import_apply_flagged", rep.Flagged), Payload: payImportAccept})
	}
	r.Choices = append(r.Choices, t.choice("cancel", payImportCancel))
	return r, nil
}

func handleImport(t *turn, in input) error {
	d, data, ok, err := t.importDraft()
	if err != nil || !ok {
		return err
	}
	switch in.payload {
	case payImportCancel:
		t.note("import_cancelled")
	case payImportApply, payImportSkip, payImportAccept:
		o := ImportOptions{SkipBad: in.payload != payImportApply, AcceptFlagged: in.payload == payImportAccept}
		rep, err := t.applyImport(d.Name, data, o)
		if err != nil {
			return err
		}
		if !rep.Applied {
			return invalid("pick_button")
		}
		t.notes = append(t.notes, t.importReportText(rep, maxReportLines))
	default:
		return invalid("pick_button")
	}
	if err := t.tx.DeleteFile(importFileKey(t.u.Key)); err != nil {
		return err
	}
	t.session().Import = nil
	t.goTo(StepMenu)
	return nil
}

// registerReview adds the organizers' review of online results and the
// import of a results file.
func registerReview(r *registry) {
	r.addSteps(map[domain.Step]stepDef{
		StepReview:       adminStep(askReview, handleReview),
		StepReviewReason: adminStep(askReviewReason, handleReviewReason),
		StepImport:       adminStep(askImport, handleImport),
	})
}
