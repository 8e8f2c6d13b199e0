package dashboard

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/runforautism/rfabot/bot/web"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/formats/results"
)

// The results import: an organizer uploads the timing company's CSV or
// XLSX, sees the dry run (flows.PreviewResults, what a file sent in the
// chat gets), picks the columns the bot did not find from the file's
// own headers, and applies it (flows.ApplyResults) with or without the
// rows that have problems, and with or without the flagged rows. Between the two steps the file waits here, in
// memory, under the organizer's session: the Apply form names it by
// its hash, so a page left open on another file never applies the one
// uploaded since, and no other session can reach it.

// upload is a session's results file: waiting for a decision, or
// applied (Data dropped, Applied the outcome to show once more).
type upload struct {
	Name string
	Data []byte
	Hash string
	At   time.Time
	// Map are the columns the organizer chose on the page.
	Map     results.Mapping
	Applied *flows.ImportReport
}

// Uploads are kept for uploadTTL, and at most maxUploads at once (the
// oldest goes first): a file the organizer walked away from does not
// stay in memory.
const (
	uploadTTL  = time.Hour
	maxUploads = 16
)

// maxUploadBody is the largest upload request read: the file at its
// limit and the rest of the form.
const maxUploadBody = flows.MaxAttachment + 64<<10

// maxReport is how many rows of each kind the dry run lists.
const maxReport = 500

func fileHash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// keep stores a session's file, replacing the one it had.
func (s *Server) keep(sess session, u *upload) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireUploads()
	delete(s.uploads, sess.Nonce)
	if len(s.uploads) >= maxUploads {
		var oldest string
		for n, up := range s.uploads {
			if oldest == "" || up.At.Before(s.uploads[oldest].At) {
				oldest = n
			}
		}
		delete(s.uploads, oldest)
	}
	s.uploads[sess.Nonce] = u
}

// expireUploads drops the uploads older than uploadTTL; s.mu is held.
func (s *Server) expireUploads() {
	now := s.now()
	for n, up := range s.uploads {
		if now.Sub(up.At) >= uploadTTL {
			delete(s.uploads, n)
		}
	}
}

// uploaded is the session's file; nil when it has none.
func (s *Server) uploaded(sess session) *upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireUploads()
	if u := s.uploads[sess.Nonce]; u != nil {
		c := *u
		return &c
	}
	return nil
}

func (s *Server) dropUpload(sess session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.uploads, sess.Nonce)
}

// upload takes a multipart POST (a file and the CSRF token) from a
// logged-in organizer, up to maxUploadBody; anything else is refused
// as form refuses it. A file too large is explained on the page.
// uploadTimeout is how long a results upload and its answer may take.
const uploadTimeout = 5 * time.Minute

func (s *Server) upload(h func(w http.ResponseWriter, r *http.Request, sess session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.session(r)
		if !ok {
			http.Error(w, "log in first: /admin/login", http.StatusForbidden)
			return
		}
		// A results file over a slow phone connection takes longer
		// than the server's ReadTimeout.
		web.Extend(w, uploadTimeout)
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
		err := r.ParseMultipartForm(maxUploadBody)
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			s.showResults(w, r, sess, http.StatusRequestEntityTooLarge, "dash_problem_file_big")
			return
		case err != nil:
			http.Error(w, "send the form as multipart/form-data", http.StatusBadRequest)
			return
		}
		defer r.MultipartForm.RemoveAll()
		if !s.csrfOK(sess, r.PostFormValue("csrf")) {
			http.Error(w, "missing or wrong CSRF token: reload the page and try again", http.StatusForbidden)
			return
		}
		h(w, r, sess)
	}
}

// uploadResults keeps the file sent and shows its dry run.
func (s *Server) uploadResults(w http.ResponseWriter, r *http.Request, sess session) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.showResults(w, r, sess, http.StatusBadRequest, "dash_problem_no_file")
		return
	}
	defer f.Close()
	if hdr.Size > flows.MaxAttachment {
		s.showResults(w, r, sess, http.StatusRequestEntityTooLarge, "dash_problem_file_big")
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, flows.MaxAttachment+1))
	if err != nil {
		s.Log.Error("dashboard: read an uploaded file", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if len(data) > flows.MaxAttachment {
		s.showResults(w, r, sess, http.StatusRequestEntityTooLarge, "dash_problem_file_big")
		return
	}
	u := &upload{Name: fileName(hdr.Filename), Data: data, Hash: fileHash(data), At: s.now()}
	s.keep(sess, u)
	s.Log.Info("dashboard: results file uploaded", "admin", sess.admin(), "bytes", len(data), "sha256", u.Hash[:12])
	http.Redirect(w, r, "/admin/results", http.StatusSeeOther)
}

// maxFileName is the longest file name kept, in characters.
const maxFileName = 80

// fileName is the base name of an uploaded file, as the report and the
// audit log name it; "results.csv" when it has none.
func fileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if n := []rune(name); len(n) > maxFileName {
		name = string(n[:maxFileName])
	}
	if name == "" {
		return "results.csv"
	}
	return name
}

// decideResults applies the session's file (action "apply", with
// skip=1 to leave out the rows with problems and the flagged rows,
// accept=1 to apply the flagged rows), reads it with the columns chosen
// ("map", a map_FIELD per field naming a header, "" for the bot's
// choice) or discards it ("discard"). The form names the file by its
// hash.
func (s *Server) decideResults(w http.ResponseWriter, r *http.Request, sess session) {
	action := r.PathValue("action")
	switch action {
	case "discard":
		s.dropUpload(sess)
		http.Redirect(w, r, "/admin/results?done=dash_done_import_discard", http.StatusSeeOther)
		return
	case "apply", "map":
	default:
		http.NotFound(w, r)
		return
	}
	u := s.uploaded(sess)
	hash := r.PostFormValue("file")
	switch {
	case u == nil || subtle.ConstantTimeCompare([]byte(u.Hash), []byte(hash)) != 1:
		http.Redirect(w, r, "/admin/results?problem=dash_problem_upload_gone", http.StatusSeeOther)
		return
	case u.Applied != nil:
		// A second press of Apply: the first one did it.
		http.Redirect(w, r, "/admin/results", http.StatusSeeOther)
		return
	}
	if action == "map" {
		m := results.Mapping{}
		for _, f := range results.Fields {
			if h := strings.TrimSpace(r.PostFormValue("map_" + f)); h != "" {
				m[f] = h
			}
		}
		if m.Check() != nil {
			http.Error(w, "choose a column of the file for each field", http.StatusBadRequest)
			return
		}
		u.Map = m
		s.keep(sess, u)
		http.Redirect(w, r, "/admin/results", http.StatusSeeOther)
		return
	}
	o := flows.ImportOptions{Map: u.Map, SkipBad: r.PostFormValue("skip") == "1", AcceptFlagged: r.PostFormValue("accept") == "1"}
	rep, err := s.Flows.ApplyResults(r.Context(), sess.admin(), u.Name, u.Data, o)
	if err != nil {
		s.Log.Error("dashboard: apply results", "sha256", u.Hash[:12], "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if !rep.Applied {
		http.Redirect(w, r, "/admin/results?problem=dash_problem_import_changed", http.StatusSeeOther)
		return
	}
	s.keep(sess, &upload{Name: u.Name, Hash: u.Hash, At: s.now(), Applied: &rep})
	s.Log.Info("dashboard: results applied", "admin", sess.admin(), "sha256", u.Hash[:12],
		"new", len(rep.New), "changed", len(rep.Changed), "skipped", rep.Skipped, "accepted", o.AcceptFlagged)
	http.Redirect(w, r, "/admin/results", http.StatusSeeOther)
}

// resultsData is the results page: the upload form and the session's
// file, checked (Report) or applied (Applied).
type resultsData struct {
	MB      int
	Hash    string
	Report  *flows.ImportReport
	Applied *flows.ImportReport
	// Flagged, New, Changed and Problems are the report's rows as
	// listed, up to maxReport each (New and Changed without the flagged
	// ones); More* count the rest.
	Flagged, New, Changed                           []flows.ResultChange
	Problems                                        []flows.RowProblem
	MoreFlagged, MoreNew, MoreChanged, MoreProblems int
	// Fields are the choices of a column per field, from the file's
	// headers; Remember the event file's lines that keep the choice.
	Fields                       []fieldChoice
	Remember                     string
	CanApply, CanSkip, CanAccept bool
	// AcceptSkips says accepting the flagged rows leaves out the rows
	// with problems; Bad counts those rows and the flagged ones.
	AcceptSkips                        bool
	Bad                                int
	Nothing, FixRows, FixOrSkip, Ready bool
}

// fieldChoice is a field and the headers of the file to read it from:
// Chosen the one chosen on the page, Used the one read.
type fieldChoice struct {
	Field, Chosen, Used string
	Headers             []string
}

func (s *Server) results(_ http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	d, err := s.resultsData(r, sess)
	if err != nil {
		return "", nil, err
	}
	return "results.html", &view{Title: s.Flows.Speaker(sess.Lang).T("dash_results_title"), Page: "results", Data: d}, nil
}

// showResults answers an upload that was not taken with the page and
// the problem.
func (s *Server) showResults(w http.ResponseWriter, r *http.Request, sess session, code int, problem string) {
	d, err := s.resultsData(r, sess)
	if err != nil {
		s.Log.Error("dashboard page", "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := &view{Title: s.Flows.Speaker(sess.Lang).T("dash_results_title"), Page: "results", Data: d}
	s.fill(v, sess, r)
	v.Problem = v.S.T(problem, "MB", flows.MaxAttachment>>20)
	s.render(w, code, "results.html", v)
}

func (s *Server) resultsData(r *http.Request, sess session) (resultsData, error) {
	d := resultsData{MB: flows.MaxAttachment >> 20}
	u := s.uploaded(sess)
	switch {
	case u == nil:
		return d, nil
	case u.Applied != nil:
		d.Applied = u.Applied
		return d, nil
	}
	rep, err := s.Flows.PreviewResults(r.Context(), u.Name, u.Data, flows.ImportOptions{Map: u.Map})
	if err != nil {
		return d, err
	}
	d.Report, d.Hash = &rep, u.Hash
	var flagged, fresh, changed []flows.ResultChange
	for _, ch := range rep.New {
		if ch.Flagged() {
			flagged = append(flagged, ch)
		} else {
			fresh = append(fresh, ch)
		}
	}
	for _, ch := range rep.Changed {
		if ch.Flagged() {
			flagged = append(flagged, ch)
		} else {
			changed = append(changed, ch)
		}
	}
	d.Flagged, d.MoreFlagged = capped(flagged)
	d.New, d.MoreNew = capped(fresh)
	d.Changed, d.MoreChanged = capped(changed)
	d.Problems, d.MoreProblems = capped(rep.Problems)
	if rep.Previous == nil && (rep.FileProblem == "" || rep.FileProblem == results.FileNoBib || rep.FileProblem == results.FileNoTime) {
		for _, f := range results.Fields {
			c := fieldChoice{Field: f, Chosen: u.Map[f], Headers: nonEmpty(rep.File.Headers)}
			if col, ok := rep.File.Column(f); ok {
				c.Used = col.Header
			}
			d.Fields = append(d.Fields, c)
		}
	}
	if len(rep.Remember) > 0 && rep.FileProblem == "" {
		d.Remember = flows.RememberLines(rep.Remember)
	}
	d.CanApply = rep.CanApply(flows.ImportOptions{})
	d.CanSkip = !d.CanApply && rep.CanApply(flows.ImportOptions{SkipBad: true})
	d.AcceptSkips, d.Bad = len(rep.Problems) > 0, len(rep.Problems)+rep.Flagged
	d.CanAccept = rep.Flagged > 0 && rep.CanApply(flows.ImportOptions{AcceptFlagged: true, SkipBad: d.AcceptSkips})
	if good := len(rep.New) + len(rep.Changed) - rep.Flagged; rep.FileProblem == "" && rep.Previous == nil {
		d.Nothing = good == 0 && len(rep.Problems)+rep.Flagged == 0
		d.FixRows = good == 0 && len(rep.Problems)+rep.Flagged > 0
		d.FixOrSkip = good > 0 && len(rep.Problems)+rep.Flagged > 0
		d.Ready = good > 0 && len(rep.Problems)+rep.Flagged == 0
	}
	return d, nil
}

func nonEmpty(headers []string) []string {
	var out []string
	for _, h := range headers {
		if h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// capped is the first maxReport of rows and how many more there are.
func capped[T any](rows []T) ([]T, int) {
	if len(rows) > maxReport {
		return rows[:maxReport], len(rows) - maxReport
	}
	return rows, 0
}
