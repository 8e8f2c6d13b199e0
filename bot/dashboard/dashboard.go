// Package dashboard is the organizers' web dashboard at /admin on the
// bot's HTTP server: totals with capacity bars, a searchable, sortable
// table of registrations, a participant's record with its history, mark
// paid and cancel, the race-day check-in view, the Fun Starts children
// with their pages, the results import with its dry run, the review of
// online results, CSV exports and a backup of the database.
// Server-rendered html/template pages with an embedded style sheet and
// no JavaScript, usable on a phone. Everything is behind ADMIN_TOKEN: a
// login sets a signed session cookie, and every change is a POST
// carrying the session's CSRF token.
package dashboard

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/runforautism/rfabot/bot/web"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/formats/export"
	"github.com/runforautism/rfabot/locales"
)

// Flows is what the dashboard needs of the domain; *flows.Flows is one.
// The changes are the same operations the chat commands run.
type Flows interface {
	Event() *event.Config
	Stats(ctx context.Context) (flows.Stats, error)
	// Search and Record serve entries of both kinds (flows.KindChild:
	// Fun Starts), and so do MarkPaid and CancelRegistration.
	Search(ctx context.Context, query string) ([]domain.Registration, error)
	Record(ctx context.Context, code string) (flows.Record, error)
	MarkPaid(ctx context.Context, admin, code, reason string) (domain.Registration, error)
	CancelRegistration(ctx context.Context, admin, code, reason string) (domain.Registration, error)
	CheckIn(ctx context.Context, admin, code string, step domain.Desk) (domain.Registration, error)
	Export(ctx context.Context, admin string, file flows.ExportFile, w io.Writer) error
	// Audit records an organizer's action that changes nothing in the
	// bot (a backup) in the audit log.
	Audit(ctx context.Context, admin, action, record, detail string) error
	Speaker(lang string) flows.Speaker

	// Results: the dry run and the import of a results file, as a file
	// sent in the chat gets them.
	PreviewResults(ctx context.Context, name string, data []byte, o flows.ImportOptions) (flows.ImportReport, error)
	ApplyResults(ctx context.Context, admin, name string, data []byte, o flows.ImportOptions) (flows.ImportReport, error)

	// The review of online runners' results, as /review does it.
	PendingSubmissions(ctx context.Context, limit int) ([]domain.Submission, error)
	Proof(ctx context.Context, code string) (dialog.Document, error)
	ReviewSubmission(ctx context.Context, admin, code string, approve bool, reason string) (bool, error)
}

// Backup writes a consistent copy of the database while the bot runs;
// *storage.Store is one.
type Backup interface {
	WriteBackup(w io.Writer) (int64, error)
}

// Server is the dashboard. Token must not be empty.
type Server struct {
	Flows  Flows
	Backup Backup
	// Token is ADMIN_TOKEN: typed at login, or sent as
	// "Authorization: Bearer <token>" to download exports and backups.
	Token string
	// Secure marks the session cookie Secure: set it when the dashboard
	// is reached over https.
	Secure bool
	// Proxies are the reverse proxies whose X-Forwarded-For names the
	// client (TRUSTED_PROXIES): wrong tokens are counted per client.
	Proxies web.Proxies
	// Backups tells the time of the last good backup for the overview;
	// nil shows none.
	Backups LastBackup
	Log     *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Down, when set, lists the channels that stopped, with why
	// (bot.Health.Down): every page shows them in a banner.
	Down func() map[string]string

	once sync.Once
	// guard limits wrong tokens per client address, against guessing.
	guard   *guard
	mu      sync.Mutex
	revoked map[string]int64
	// uploads are the results files waiting for their organizer's
	// decision, by session (see results.go).
	uploads map[string]*upload
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"pct": func(n, of int) int {
		if of <= 0 {
			return 0
		}
		return min(100, n*100/of)
	},
	"join": strings.Join,
}).ParseFS(templateFS, "templates/*.html"))

// LastBackup is the time and file of the last good backup;
// *storage.Backups is one.
type LastBackup interface {
	Last() (at time.Time, path string)
}

func (s *Server) init() {
	s.once.Do(func() {
		s.guard = newGuard(func() *slog.Logger { return s.Log }, s.now)
		s.revoked = map[string]int64{}
		s.uploads = map[string]*upload{}
	})
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Register mounts the dashboard under /admin on mux.
func (s *Server) Register(mux *http.ServeMux) {
	s.init()
	static, _ := fs.Sub(staticFS, "static")
	h := func(pattern string, f http.HandlerFunc) { mux.Handle(pattern, s.headers(f)) }
	h("GET /admin/static/", http.StripPrefix("/admin/static/", http.FileServerFS(static)).ServeHTTP)
	h("GET /admin", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/admin/", http.StatusSeeOther) })
	h("GET /admin/login", s.loginPage)
	h("POST /admin/login", s.login)
	h("POST /admin/logout", s.form(s.logout))
	h("POST /admin/lang", s.form(s.setLang))
	h("GET /admin/{$}", s.page(s.overview))
	h("GET /admin/registrations", s.page(s.registrations))
	h("GET /admin/r/{code}", s.page(s.record))
	h("POST /admin/r/{code}/{action}", s.form(s.change))
	h("GET /admin/checkin", s.page(s.checkinSearch))
	h("GET /admin/checkin/{code}", s.page(s.checkin))
	h("GET /admin/funstarts", s.page(s.children))
	h("GET /admin/results", s.page(s.results))
	h("POST /admin/results", s.upload(s.uploadResults))
	h("POST /admin/results/{action}", s.form(s.decideResults))
	h("GET /admin/review", s.page(s.review))
	h("GET /admin/review/{code}/proof", s.download(s.proof))
	h("POST /admin/review/{code}/{action}", s.form(s.decideReview))
	h("GET /admin/export/{file}", s.download(s.export))
	h("GET /admin/backup", s.download(s.backup))
}

// headers sets what every dashboard response needs: no caching of
// participants' data, no framing, no scripts, no referrer (a check-in
// URL stays inside).
func (s *Server) headers(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		web.SecurityHeaders(w.Header())
		if strings.HasPrefix(r.URL.Path, "/admin/static/") {
			w.Header().Del("Cache-Control")
		}
		if s.Secure {
			w.Header().Set("Strict-Transport-Security", web.HSTSValue)
		}
		next(w, r)
	})
}

// view is what every page template gets.
type view struct {
	S     flows.Speaker
	Title string
	// Page names the page for the navigation: overview, registrations,
	// funstarts, results, review, checkin.
	Page string
	Name string
	CSRF string
	// Done and Problem are the outcome of the last change, shown on top.
	Done, Problem string
	Langs         []string
	// Down are the channels that stopped, with why.
	Down map[string]string
	Data any
}

type handler func(w http.ResponseWriter, r *http.Request, sess session) (template string, v *view, err error)

// page serves a page to a logged-in organizer; anyone else is sent to
// the login form, which brings them back after.
func (s *Server) page(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.session(r)
		if !ok {
			// No body: not even the visitor's own URL is echoed.
			w.Header().Set("Location", "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()))
			w.WriteHeader(http.StatusSeeOther)
			return
		}
		name, v, err := h(w, r, sess)
		if errors.Is(err, domain.ErrNotFound) {
			http.Error(w, "no such registration", http.StatusNotFound)
			return
		}
		if err != nil {
			s.Log.Error("dashboard page", "path", r.URL.Path, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		if name == "" {
			return
		}
		s.fill(v, sess, r)
		s.render(w, http.StatusOK, name, v)
	}
}

func (s *Server) fill(v *view, sess session, r *http.Request) {
	v.S = s.Flows.Speaker(sess.Lang)
	v.Name, v.CSRF, v.Langs = sess.Name, s.csrf(sess), locales.Languages
	if s.Down != nil {
		v.Down = s.Down()
	}
	if d := r.URL.Query().Get("done"); d != "" && strings.HasPrefix(d, "dash_done_") {
		v.Done = v.S.T(d)
	}
	if p := r.URL.Query().Get("problem"); p != "" && strings.HasPrefix(p, "dash_problem_") {
		v.Problem = v.S.T(p)
	}
}

func (s *Server) render(w http.ResponseWriter, code int, name string, v *view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	if err := pages.ExecuteTemplate(w, name, v); err != nil {
		s.Log.Error("render dashboard page", "page", name, "err", err)
	}
}

// form takes a POST from a logged-in organizer whose form carries the
// session's CSRF token; anything else is refused with 403 and changes
// nothing.
func (s *Server) form(h func(w http.ResponseWriter, r *http.Request, sess session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.session(r)
		if !ok {
			http.Error(w, "log in first: /admin/login", http.StatusForbidden)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		if !s.csrfOK(sess, r.PostFormValue("csrf")) {
			http.Error(w, "missing or wrong CSRF token: reload the page and try again", http.StatusForbidden)
			return
		}
		h(w, r, sess)
	}
}

// downloadTimeout is how long sending a download (a backup, an
// export, a proof file) may take, over the server's WriteTimeout.
const downloadTimeout = 10 * time.Minute

// download serves a file to a logged-in organizer or to a client that
// sends "Authorization: Bearer <ADMIN_TOKEN>" (scripts, the backup
// subcommand); anyone else gets 401. Bearer tokens go through the same
// guard as logins: a client shut out for wrong tokens gets 429.
func (s *Server) download(h func(w http.ResponseWriter, r *http.Request, admin string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if sess, ok := s.session(r); ok {
			web.Extend(w, downloadTimeout)
			h(w, r, sess.admin())
			return
		}
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			client := s.Proxies.Client(r)
			if d := s.guard.wait(client); d > 0 {
				retryAfter(w, d)
				http.Error(w, "too many wrong tokens from this address: wait and try again", http.StatusTooManyRequests)
				return
			}
			if s.tokenOK(tok) {
				s.guard.ok(client)
				web.Extend(w, downloadTimeout)
				h(w, r, "dashboard:token")
				return
			}
			s.guard.fail(client)
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="rfabot"`)
		http.Error(w, "log in at /admin/login or send Authorization: Bearer ADMIN_TOKEN", http.StatusUnauthorized)
	}
}

// retryAfter tells a client shut out for d when to come back.
func retryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
}

// loginData is what the login form shows.
type loginData struct {
	Next    string
	Lang    string
	Problem string
}

// pickLang is the language asked for in ?lang or the form, else the
// first of the browser's languages the bot speaks, else Russian.
func pickLang(r *http.Request) string {
	if l := r.FormValue("lang"); locales.Supported(l) {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if locales.Supported(base) {
			return base
		}
	}
	return "ru"
}

// safeNext is where to go after login: a dashboard path, never another
// site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "/admin/login") || strings.ContainsAny(next, "\\\r\n") || strings.Contains(next, "//") {
		return "/admin/"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.session(r); ok {
		http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
		return
	}
	s.showLogin(w, r, http.StatusOK, "")
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, code int, problem string) {
	lang := pickLang(r)
	v := &view{S: s.Flows.Speaker(lang), Langs: locales.Languages,
		Data: loginData{Next: safeNext(r.FormValue("next")), Lang: lang}}
	if problem != "" {
		v.Problem = v.S.T(problem)
	}
	v.Title = v.S.T("dash_login_title")
	s.render(w, code, "login.html", v)
}

// login checks the token typed in constant time and starts a session.
// Wrong tokens are counted per client address (see guard.go): a wrong
// token gets 401, a client shut out for them 429.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	client := s.Proxies.Client(r)
	if d := s.guard.wait(client); d > 0 {
		retryAfter(w, d)
		s.showLogin(w, r, http.StatusTooManyRequests, "dash_login_wait")
		return
	}
	if !s.tokenOK(r.PostFormValue("token")) {
		s.guard.fail(client)
		s.showLogin(w, r, http.StatusUnauthorized, "dash_login_wrong")
		return
	}
	s.guard.ok(client)
	sess := s.newSession(cleanName(r.PostFormValue("name")), pickLang(r))
	s.setCookie(w, sess)
	s.Log.Info("dashboard: login", "admin", sess.admin())
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, sess session) {
	s.revoke(sess)
	s.dropUpload(sess)
	s.clearCookie(w)
	http.Redirect(w, r, "/admin/login?lang="+sess.Lang, http.StatusSeeOther)
}

func (s *Server) setLang(w http.ResponseWriter, r *http.Request, sess session) {
	if l := r.PostFormValue("lang"); locales.Supported(l) {
		sess.Lang = l
		s.setCookie(w, sess)
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// overviewData is the overview page: the figures and, per distance,
// the bars.
type overviewData struct {
	Stats     flows.Stats
	Statuses  []count
	Langs     []count
	Channels  []count
	Exports   []string
	FunLeft   int
	Registers int
	// Pending counts the online results waiting for review.
	Pending int
	// LastBackup is when the last good automatic backup was written,
	// zero when there is none.
	LastBackup time.Time
}

type count struct {
	Label string
	N     int
}

func (s *Server) overview(_ http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	st, err := s.Flows.Stats(r.Context())
	if err != nil {
		return "", nil, err
	}
	pending, err := s.Flows.PendingSubmissions(r.Context(), maxPending)
	if err != nil {
		return "", nil, err
	}
	sp := s.Flows.Speaker(sess.Lang)
	d := overviewData{Stats: st, Exports: flows.ExportKinds, FunLeft: max(0, st.FunCapacity-st.FunTaken), Pending: len(pending)}
	for _, status := range allStatuses {
		if n := st.ByStatus[status]; n > 0 {
			d.Statuses = append(d.Statuses, count{sp.Status(status), n})
		}
	}
	d.Langs = counts(st.ByLang, func(l string) string {
		if !locales.Supported(l) {
			return l
		}
		return s.Flows.Speaker(l).T("lang_name")
	})
	d.Channels = counts(st.ByChannel, func(c string) string { return c })
	if s.Backups != nil {
		d.LastBackup, _ = s.Backups.Last()
	}
	return "overview.html", &view{Title: sp.T("dash_overview"), Page: "overview", Data: d}, nil
}

var allStatuses = []domain.Status{domain.StatusPaid, domain.StatusAwaitingPayment, domain.StatusWaitlisted,
	domain.StatusCancelled, domain.StatusLapsed, domain.StatusRefunded, domain.StatusConfirmed}

func counts(m map[string]int, label func(string) string) []count {
	var out []count
	for k, n := range m {
		out = append(out, count{label(k), n})
	}
	slices.SortFunc(out, func(a, b count) int { return cmp.Or(b.N-a.N, strings.Compare(a.Label, b.Label)) })
	return out
}

// maxRows is how many rows the registrations table shows; a search
// narrows it down.
const maxRows = 500

// listData is the registrations table.
type listData struct {
	Query, Status, Distance string
	Sort                    string
	Desc                    bool
	Rows                    []domain.Registration
	Shown, Found, All       int
	Columns                 []column
	Statuses                []domain.Status
	Distances               []string
}

// column is a sortable column header: a link that sorts by it, and
// back the other way when it is the current one.
type column struct {
	Label, URL string
	// Arrow shows the current order: "▲", "▼" or "".
	Arrow string
}

// sorts are the table's sort keys.
var sorts = map[string]func(a, b domain.Registration) int{
	"code": func(a, b domain.Registration) int { return strings.Compare(a.Code, b.Code) },
	"name": func(a, b domain.Registration) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	},
	"distance": func(a, b domain.Registration) int {
		return strings.Compare(a.Distance+string(a.Mode), b.Distance+string(b.Mode))
	},
	"status":  func(a, b domain.Registration) int { return strings.Compare(string(a.Status), string(b.Status)) },
	"bib":     func(a, b domain.Registration) int { return a.Bib - b.Bib },
	"created": func(a, b domain.Registration) int { return a.CreatedAt.Compare(b.CreatedAt) },
}

var columnOrder = []string{"code", "name", "distance", "status", "bib", "created"}

func (s *Server) registrations(_ http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	q := r.URL.Query()
	d := listData{Query: q.Get("q"), Status: q.Get("status"), Distance: q.Get("distance"), Sort: q.Get("sort"),
		Desc: q.Get("dir") == "desc", Statuses: allStatuses}
	if _, ok := sorts[d.Sort]; !ok {
		d.Sort = "created"
	}
	for _, dist := range s.Flows.Event().Distances {
		d.Distances = append(d.Distances, dist.ID)
	}
	regs, err := s.search(r.Context(), d.Query, domain.KindRunner)
	if err != nil {
		return "", nil, err
	}
	d.All = len(regs)
	if d.Query != "" {
		all, err := s.search(r.Context(), "", domain.KindRunner)
		if err != nil {
			return "", nil, err
		}
		d.All = len(all)
	}
	for _, reg := range regs {
		if (d.Status == "" || string(reg.Status) == d.Status) && (d.Distance == "" || reg.Distance == d.Distance) {
			d.Rows = append(d.Rows, reg)
		}
	}
	slices.SortStableFunc(d.Rows, func(a, b domain.Registration) int {
		c := sorts[d.Sort](a, b)
		if d.Desc {
			return -c
		}
		return c
	})
	d.Found = len(d.Rows)
	if len(d.Rows) > maxRows {
		d.Rows = d.Rows[:maxRows]
	}
	d.Shown = len(d.Rows)
	sp := s.Flows.Speaker(sess.Lang)
	for _, c := range columnOrder {
		v := url.Values{"q": {d.Query}, "status": {d.Status}, "distance": {d.Distance}, "sort": {c}}
		col := column{Label: sp.T("dash_col_" + c)}
		if c == d.Sort {
			col.Arrow = "▲"
			if d.Desc {
				col.Arrow = "▼"
			} else {
				v.Set("dir", "desc")
			}
		}
		col.URL = "/admin/registrations?" + v.Encode()
		d.Columns = append(d.Columns, col)
	}
	return "registrations.html", &view{Title: sp.T("dash_registrations"), Page: "registrations", Data: d}, nil
}

// search is the entries of kind that match query.
func (s *Server) search(ctx context.Context, query string, kind domain.Kind) ([]domain.Registration, error) {
	found, err := s.Flows.Search(ctx, query)
	return slices.DeleteFunc(found, func(r domain.Registration) bool { return r.Kind != kind }), err
}

// recordData is an entry's page: a runner's, or a Fun Starts child's
// with the parent's notes on the child's support needs (organizers
// only).
type recordData struct {
	flows.Record
	R domain.Registration
	// Child says the entry is a Fun Starts child's.
	Child bool
	// CanPay, CanCancel and CanDesk say which forms to show.
	CanPay, CanCancel, CanDesk bool
}

func (s *Server) record(_ http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	rec, err := s.Flows.Record(r.Context(), r.PathValue("code"))
	if err != nil {
		return "", nil, err
	}
	reg := rec.Registration
	d := recordData{Record: rec, R: reg, Child: reg.Kind == domain.KindChild,
		CanPay:    reg.Status == domain.StatusAwaitingPayment || reg.UpgradeTo != "",
		CanCancel: reg.Status.Active(),
		CanDesk:   reg.Status == domain.StatusPaid,
	}
	page := "registrations"
	if d.Child {
		page = "funstarts"
	}
	return "record.html", &view{Title: reg.Code + " · " + reg.Name, Page: page, Data: d}, nil
}

// change runs a mark paid, cancel, kit or check-in from a form and
// sends the organizer back to the page they came from with the outcome.
func (s *Server) change(w http.ResponseWriter, r *http.Request, sess session) {
	code, action := r.PathValue("code"), r.PathValue("action")
	reason := r.PostFormValue("reason")
	var reg domain.Registration
	var err error
	ctx := r.Context()
	switch action {
	case "markpaid":
		reg, err = s.Flows.MarkPaid(ctx, sess.admin(), code, reason)
	case "cancel":
		reg, err = s.Flows.CancelRegistration(ctx, sess.admin(), code, reason)
	case "kit":
		_, err = s.Flows.CheckIn(ctx, sess.admin(), code, domain.DeskKit)
	case "checkin":
		_, err = s.Flows.CheckIn(ctx, sess.admin(), code, domain.DeskCheckIn)
	default:
		http.NotFound(w, r)
		return
	}
	back := "/admin/r/" + url.PathEscape(code)
	if r.PostFormValue("back") == "checkin" {
		back = "/admin/checkin/" + url.PathEscape(code)
	}
	if err != nil {
		// A refused change returns no entry: read its kind for the texts.
		if rec, rerr := s.Flows.Record(ctx, code); rerr == nil {
			reg = rec.Registration
		}
	}
	done, wrongStatus := "dash_done_"+action, "dash_problem_status"
	if reg.Kind == domain.KindChild {
		done, wrongStatus = "dash_done_child_"+action, "dash_problem_child_status"
	}
	s.changed(w, r, sess, changeOutcome{action: action, code: code, err: err, back: back, done: done, wrongStatus: wrongStatus})
}

// changeOutcome is what a change from a form did and where its page is.
type changeOutcome struct {
	action, code string
	err          error
	// back is the page the organizer returns to; done and wrongStatus
	// name the texts the page shows.
	back, done, wrongStatus string
}

// changed sends the organizer back to the page with the outcome of a
// change, or answers 404 for a missing record and 500 for a failure.
func (s *Server) changed(w http.ResponseWriter, r *http.Request, sess session, c changeOutcome) {
	outcome := "done=" + c.done
	switch {
	case errors.Is(c.err, domain.ErrNotFound):
		http.Error(w, "no such registration", http.StatusNotFound)
		return
	case errors.Is(c.err, domain.ErrReasonNeeded):
		outcome = "problem=dash_problem_reason"
	case errors.Is(c.err, domain.ErrAlreadyDone):
		outcome = "problem=dash_problem_already"
	case errors.Is(c.err, domain.ErrWrongStatus):
		outcome = "problem=" + c.wrongStatus
	case c.err != nil:
		s.Log.Error("dashboard change", "action", c.action, "code", c.code, "err", c.err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	default:
		s.Log.Info("dashboard change", "action", c.action, "code", c.code, "admin", sess.admin())
	}
	http.Redirect(w, r, c.back+"?"+outcome, http.StatusSeeOther)
}

// checkinData is the race-day view: the counts, a search and its
// matches, or one participant.
type checkinData struct {
	Stats   flows.Stats
	Query   string
	Matches []domain.Registration
	R       *domain.Registration
}

// maxMatches is how many matches the check-in search lists.
const maxMatches = 20

func (s *Server) checkinSearch(w http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	st, err := s.Flows.Stats(r.Context())
	if err != nil {
		return "", nil, err
	}
	d := checkinData{Stats: st, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if d.Query != "" {
		regs, err := s.search(r.Context(), d.Query, domain.KindRunner)
		if err != nil {
			return "", nil, err
		}
		for _, reg := range regs {
			if reg.Status.Active() && len(d.Matches) < maxMatches {
				d.Matches = append(d.Matches, reg)
			}
		}
		if len(d.Matches) == 1 {
			http.Redirect(w, r, "/admin/checkin/"+url.PathEscape(d.Matches[0].Code), http.StatusSeeOther)
			return "", nil, nil
		}
	}
	return "checkin.html", &view{Title: s.Flows.Speaker(sess.Lang).T("dash_checkin"), Page: "checkin", Data: d}, nil
}

func (s *Server) checkin(_ http.ResponseWriter, r *http.Request, sess session) (string, *view, error) {
	rec, err := s.Flows.Record(r.Context(), r.PathValue("code"))
	if err != nil {
		return "", nil, err
	}
	if rec.Registration.Kind != domain.KindRunner {
		// A Fun Starts child has no kit or check-in: its page is the record.
		return "", nil, fmt.Errorf("check-in of %s: %w", rec.Registration.Code, domain.ErrNotFound)
	}
	st, err := s.Flows.Stats(r.Context())
	if err != nil {
		return "", nil, err
	}
	d := checkinData{Stats: st, R: &rec.Registration}
	return "checkin.html", &view{Title: rec.Registration.Code + " · " + rec.Registration.Name, Page: "checkin", Data: d}, nil
}

// export sends one of the export files: /admin/export/registrations.csv
// or .xlsx, an XLSX file's headers in the session's language (for a
// download with the token, ?lang or the browser's).
func (s *Server) export(w http.ResponseWriter, r *http.Request, admin string) {
	kind, ext, _ := strings.Cut(r.PathValue("file"), ".")
	format, err := export.ParseFormat(ext)
	if err != nil || ext == "" || !slices.Contains(flows.ExportKinds, kind) {
		http.NotFound(w, r)
		return
	}
	lang := pickLang(r)
	if sess, ok := s.session(r); ok {
		lang = sess.Lang
	}
	file := flows.ExportFile{Kind: kind, Format: format, Lang: lang}
	// The file is made whole before its first byte goes out: a read
	// error is a 500 with its reason, never a short file with 200.
	var buf bytes.Buffer
	if err := s.Flows.Export(r.Context(), admin, file, &buf); err != nil {
		s.Log.Error("dashboard export", "kind", kind, "format", format, "err", err)
		http.Error(w, "the export failed, nothing was sent: "+err.Error(), http.StatusInternalServerError)
		return
	}
	ct := format.MIME()
	if format == export.CSV {
		ct += "; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.%s"`, kind, s.now().Format("2006-01-02-1504"), format))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	buf.WriteTo(w)
	s.Log.Info("dashboard export", "kind", kind, "format", format, "admin", admin)
}

// backup sends a consistent copy of the database file, taken in one
// read transaction while the bot goes on.
func (s *Server) backup(w http.ResponseWriter, r *http.Request, admin string) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bot-%s.db"`, s.now().Format("2006-01-02-1504")))
	n, err := s.Backup.WriteBackup(w)
	if err != nil {
		s.Log.Error("dashboard backup", "err", err)
		return
	}
	if err := s.Flows.Audit(context.WithoutCancel(r.Context()), admin, "backup", "database", strconv.FormatInt(n, 10)+" bytes"); err != nil {
		s.Log.Error("dashboard backup: audit", "err", err)
	}
	s.Log.Info("dashboard backup", "bytes", n, "admin", admin)
}
