package flows

import (
	"errors"
	"mime"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/formats/results"
)

// The online run: a participant registered online sends their time and
// a proof (a screenshot or a link to the activity) while the event
// file's window is open; it waits for an organizer's review (review.go).

// Payloads of the online run.
const (
	payOnline       = "m:online"
	payOnlineSubmit = "on:submit"
	payOnlinePick   = "on:r:"
)

// submissionsOpen reports whether online runners can send results now.
func (t *turn) submissionsOpen() bool {
	opens, closes := t.ev.OnlineRun.Window()
	return !opens.IsZero() && !t.now.Before(opens) && t.now.Before(closes)
}

// canSubmit reports whether r may send an online result now: a paid
// online registration, while the window is open, not yet approved.
func (t *turn) canSubmit(r domain.Registration) (bool, error) {
	if r.Mode != event.Online || r.Status != domain.StatusPaid || !t.submissionsOpen() {
		return false, nil
	}
	s, err := t.tx.Submission(r.Code)
	if errors.Is(err, domain.ErrNotFound) {
		return true, nil
	}
	return err == nil && s.Status != domain.SubmissionApproved, err
}

// submittable lists the user's registrations that may send a result.
func (t *turn) submittable() ([]domain.Registration, error) {
	regs, err := t.tx.Registrations(t.u.Key)
	if err != nil {
		return nil, err
	}
	var out []domain.Registration
	for _, r := range regs {
		ok, err := t.canSubmit(r)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// startSubmission is "Send my result" from the menu: straight to the
// time for one registration, else the choice of whose.
func startSubmission(t *turn) error {
	regs, err := t.submittable()
	if err != nil {
		return err
	}
	switch len(regs) {
	case 0:
		t.note("online_closed")
		t.goTo(StepMenu)
	case 1:
		t.submitFor(regs[0].Code)
	default:
		t.goTo(StepOnlinePick)
	}
	return nil
}

// submitFor asks for the time of registration code.
func (t *turn) submitFor(code string) {
	s := t.session()
	s.Reg, s.OnlineTime = code, 0
	t.goTo(StepOnlineTime)
}

func askOnlinePick(t *turn) (dialog.Reply, error) {
	regs, err := t.submittable()
	if err != nil {
		return dialog.Reply{}, err
	}
	r := dialog.Reply{Text: t.T("online_pick")}
	for _, reg := range regs {
		r.Choices = append(r.Choices, dialog.Choice{Label: t.nameLabel("mine_manage", reg.Name, "Code", reg.Code), Payload: payOnlinePick + reg.Code})
	}
	r.Choices = append(r.Choices, t.choice("back_to_menu", payMenu))
	return r, nil
}

func handleOnlinePick(t *turn, in input) error {
	if in.payload == payMenu {
		t.goTo(StepMenu)
		return nil
	}
	code, ok := strings.CutPrefix(in.payload, payOnlinePick)
	if !ok {
		return invalid("pick_button")
	}
	t.submitFor(code)
	return nil
}

// onlineStep is a step of sending a result for the registration the
// session names: it must still be allowed (the window may have closed
// meanwhile); Back returns to the registration.
func onlineStep(ask func(t *turn, r domain.Registration) (dialog.Reply, error), handle func(t *turn, r domain.Registration, in input) error) stepDef {
	return stepDef{
		ask: myStep(func(t *turn, r domain.Registration) (dialog.Reply, error) {
			q, err := ask(t, r)
			q.Choices = append(q.Choices, t.choice("back", payBack))
			return q, err
		}),
		handle: func(t *turn, in input) error {
			r, ok, err := t.myReg()
			if err != nil || !ok {
				return err
			}
			if in.payload == payBack {
				t.session().OnlineTime = 0
				t.goTo(StepMyReg)
				return nil
			}
			if ok, err := t.canSubmit(r); err != nil || !ok {
				if err == nil {
					t.note("online_closed")
					t.goTo(StepMyReg)
				}
				return err
			}
			return handle(t, r, in)
		},
	}
}

// fastestPace is the fastest pace per kilometre taken: faster than the
// world records, so a faster time is a typing mistake.
const fastestPace = 2*time.Minute + 20*time.Second

var onlineSteps = map[domain.Step]stepDef{
	StepOnlineTime: onlineStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("online_time_ask", "Name", r.Name, "Distance", t.distanceName(r.Distance))}, nil
		},
		func(t *turn, r domain.Registration, in input) error {
			d, err := results.ParseTime(in.text)
			if err != nil {
				return invalid("online_time_format")
			}
			dist, _ := t.ev.Distance(r.Distance)
			if d < time.Duration(dist.Km*float64(fastestPace)) {
				return invalid("online_time_fast", "Time", results.FormatTime(d), "Distance", t.distanceName(r.Distance))
			}
			t.session().OnlineTime = d
			t.goTo(StepOnlineProof)
			return nil
		}),
	StepOnlineProof: onlineStep(
		func(t *turn, r domain.Registration) (dialog.Reply, error) {
			return dialog.Reply{Text: t.T("online_proof_ask", "Time", results.FormatTime(t.session().OnlineTime))}, nil
		},
		func(t *turn, r domain.Registration, in input) error {
			if t.session().OnlineTime == 0 {
				t.goTo(StepOnlineTime)
				return nil
			}
			sub := domain.Submission{Code: r.Code, UserKey: t.u.Key, Distance: r.Distance, Time: t.session().OnlineTime,
				Status: domain.SubmissionPending, SubmittedAt: t.now}
			switch {
			case in.file != nil:
				if in.file.Data == nil {
					return invalid("file_not_taken", "MB", MaxAttachment>>20)
				}
				mt := imageType(in.file)
				if mt == "" {
					return invalid("online_proof_not_image")
				}
				sub.ProofFile, sub.ProofMIME = proofKey(r.Code), mt
				if err := t.tx.PutFile(sub.ProofFile, in.file.Data); err != nil {
					return err
				}
			case proofLink(in.text) != "":
				sub.ProofLink = proofLink(in.text)
				if err := t.tx.DeleteFile(proofKey(r.Code)); err != nil {
					return err
				}
			default:
				return invalid("online_proof_needed")
			}
			if err := t.tx.PutSubmission(&sub); err != nil {
				return err
			}
			t.session().OnlineTime = 0
			t.note("online_submitted", "Time", results.FormatTime(sub.Time), "Distance", t.distanceName(r.Distance))
			t.goTo(StepMyReg)
			return nil
		}),
}

func proofKey(code string) string { return "proof:" + code }

// proofLink is the first http(s) link in text, or "".
func proofLink(text string) string {
	for _, w := range strings.Fields(text) {
		u, err := url.Parse(strings.Trim(w, "<>()\"'.,"))
		if err == nil && (u.Scheme == "https" || u.Scheme == "http") && strings.Contains(u.Host, ".") {
			return u.String()
		}
	}
	return ""
}

// imageType is the type of a picture the bot keeps as a proof (JPEG,
// PNG or WebP, as most phones save screenshots), from the content
// itself; "" for anything else.
func imageType(a *dialog.Attachment) string {
	b := a.Data
	switch {
	case len(b) > 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "image/jpeg"
	case len(b) > 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n":
		return "image/png"
	case len(b) > 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

// proofName is the file name a proof is shown to organizers under.
func proofName(code, mimeType string) string {
	ext := ".jpg"
	if exts, _ := mime.ExtensionsByType(mimeType); len(exts) > 0 && mimeType != "image/jpeg" {
		ext = exts[0]
	}
	return "proof-" + code + ext
}

// isResultsFile reports whether a document looks like a results file
// (a CSV or an XLSX workbook) by its name or type.
func isResultsFile(a *dialog.Attachment) bool {
	switch strings.ToLower(path.Ext(a.Name)) {
	case ".csv", ".txt", ".tsv", ".xlsx":
		return true
	}
	mt, _, _ := mime.ParseMediaType(a.MIME)
	return mt == "text/csv" || mt == "text/plain" || mt == "text/tab-separated-values" ||
		mt == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// isSpreadsheet reports whether a document is a workbook the results
// reader does not read, which has to be saved as XLSX or CSV first.
func isSpreadsheet(a *dialog.Attachment) bool {
	switch strings.ToLower(path.Ext(a.Name)) {
	case ".xls", ".ods", ".numbers":
		return true
	}
	return false
}

// resultItem is what My registrations shows of a registration's result
// and online submission, one line each, each after a line break; "" when
// there is neither.
func (t *turn) resultItem(r domain.Registration) string {
	var s string
	res, err := t.tx.Result(r.Code)
	if err == nil {
		s += "\n" + t.T("mine_result", "Result", t.resultValue(res.Status, res.Time))
		if res.Place > 0 {
			s += " · " + t.T("results_place", "Place", res.Place, "Of", res.Of)
		}
	}
	sub, err := t.tx.Submission(r.Code)
	if err != nil || sub.Status == domain.SubmissionApproved {
		return s
	}
	if sub.Status == domain.SubmissionRejected {
		return s + "\n" + t.T("mine_submission_rejected", "Time", results.FormatTime(sub.Time), "Reason", sub.Reason)
	}
	return s + "\n" + t.T("mine_submission_pending", "Time", results.FormatTime(sub.Time))
}

// registerOnline adds an online runner's result: picking the
// registration, then the time, the proof and the check.
func registerOnline(r *registry) {
	r.addSteps(map[domain.Step]stepDef{StepOnlinePick: {ask: askOnlinePick, handle: handleOnlinePick}})
	r.addSteps(onlineSteps)
}
