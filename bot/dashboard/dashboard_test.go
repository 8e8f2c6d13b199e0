package dashboard_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/dashboard"
	"github.com/runforautism/rfabot/bot/web"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

const token = "correct horse battery staple"

// testNow is a day in registration time, before the default event.
var testNow = time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)

// env is the dashboard on a real HTTP server over real flows and a
// bbolt file, with three participants: Aigerim (5 km, awaiting
// payment), Әсел (10 km, paid, bib 1) and Oliver (5 km, awaiting
// payment).
type env struct {
	t     *testing.T
	srv   *httptest.Server
	store *storage.Store
	conv  *flows.Flows
	dash  *dashboard.Server
	codes map[string]string

	mu  sync.Mutex
	now time.Time
}

type fakeLinks struct{}

func (fakeLinks) Link(o domain.Order, lang string) (string, error) {
	return "https://pay.test/" + o.ID, nil
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ev, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(filepath.Join(t.TempDir(), "bot.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, store: st, now: testNow, codes: map[string]string{}}
	e.conv = flows.New(flows.Config{Store: st, Event: ev, Catalog: cat, Now: e.clock, Payments: fakeLinks{}})
	e.dash = &dashboard.Server{Flows: e.conv, Backup: st, Token: token, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: e.clock}
	mux := http.NewServeMux()
	e.dash.Register(mux)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.add("AIGE", "Aigerim Nurlanova", "+77012345678", "5k", domain.StatusAwaitingPayment, 0)
	e.add("ASEL", "Әсел Қайратқызы", "+77019875678", "10k", domain.StatusPaid, 1)
	e.add("OLIV", "Oliver Smith", "+447700900123", "5k", domain.StatusAwaitingPayment, 0)
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) setNow(t time.Time) {
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

// add stores a user and a registration as the registration and
// payment flows leave them.
func (e *env) add(id, name, phone, distance string, status domain.Status, bib int) {
	e.t.Helper()
	code := "RFA-" + id
	e.codes[id] = code
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		u := domain.User{Key: "telegram:" + id, Channel: "telegram", ID: id, Lang: "en", Session: domain.Session{Step: flows.StepMenu}}
		if err := tx.PutUser(&u); err != nil {
			return err
		}
		r := domain.Registration{Code: code, UserKey: u.Key, Lang: "en", Name: name, Birth: "1990-05-15", Gender: "female",
			Phone: phone, Mode: event.InPerson, Distance: distance, Category: "general", TShirt: "M", Fee: 8990, Currency: "KZT",
			Status: status, Bib: bib, CreatedAt: testNow, ConsentAt: testNow}
		if status == domain.StatusPaid {
			r.PaidAmount, r.PaidAt = r.Fee, testNow
		} else {
			r.Orders, r.Order, r.HoldUntil = 1, code+"-1", testNow.Add(48*time.Hour)
			if err := tx.PutOrder(&domain.Order{ID: r.Order, Code: code, Purpose: domain.PurposeFee, Amount: r.Fee, Currency: "KZT",
				Status: domain.OrderOpen, CreatedAt: testNow}); err != nil {
				return err
			}
		}
		return tx.AddRegistration(&r, 1000)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// addChild stores a Fun Starts child signed up by a Russian-speaking
// parent, as the sign-up leaves it: confirmed (free), or awaiting its
// fee of 3,000 ₸ with an open order.
func (e *env) addChild(id, name, parent, phone string, status domain.Status, needs string) string {
	e.t.Helper()
	code := "RFA-FS-" + id
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		u := domain.User{Key: "telegram:P" + id, Channel: "telegram", ID: "P" + id, Lang: "ru", Session: domain.Session{Step: flows.StepMenu}}
		if err := tx.PutUser(&u); err != nil {
			return err
		}
		c := domain.Registration{Code: code, Kind: domain.KindChild, Distance: domain.FunStartsPlaces, Mode: event.InPerson,
			UserKey: u.Key, Lang: "ru", Guardian: parent, Phone: phone, Name: name,
			Birth: "2018-06-01", TShirt: "128", SupportNeeds: needs, Currency: "KZT", Status: status, CreatedAt: testNow, ConsentAt: testNow}
		if status == domain.StatusAwaitingPayment {
			c.Fee, c.Orders, c.Order, c.HoldUntil = 3000, 1, code+"-1", testNow.Add(48*time.Hour)
			if err := tx.PutOrder(&domain.Order{ID: c.Order, Code: code, Purpose: domain.PurposeFee, Amount: c.Fee, Currency: "KZT",
				Status: domain.OrderOpen, CreatedAt: testNow}); err != nil {
				return err
			}
		}
		return tx.AddRegistration(&c, 200)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return code
}

func (e *env) child(code string) domain.Registration {
	e.t.Helper()
	rec, err := e.conv.Record(context.Background(), code)
	if err != nil {
		e.t.Fatal(err)
	}
	return rec.Registration
}

// addSubmission stores a paid online registration for 5 km whose
// runner sent 28:00 with a picture (proof) or a link, waiting for
// review.
func (e *env) addSubmission(id, name string, proof []byte, link string) string {
	e.t.Helper()
	code := "RFA-" + id
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		u := domain.User{Key: "telegram:" + id, Channel: "telegram", ID: id, Lang: "en", Session: domain.Session{Step: flows.StepMenu}}
		if err := tx.PutUser(&u); err != nil {
			return err
		}
		r := domain.Registration{Code: code, UserKey: u.Key, Lang: "en", Name: name, Birth: "1990-05-15", Gender: "female",
			Phone: "+77010000000", Mode: event.Online, Distance: "5k", Category: "general", TShirt: "M", Fee: 8990, Currency: "KZT",
			Status: domain.StatusPaid, PaidAmount: 8990, PaidAt: testNow, CreatedAt: testNow, ConsentAt: testNow}
		if err := tx.AddRegistration(&r, 1000); err != nil {
			return err
		}
		sub := domain.Submission{Code: code, UserKey: u.Key, Distance: "5k", Time: 28 * time.Minute,
			Status: domain.SubmissionPending, SubmittedAt: testNow, ProofLink: link}
		if proof != nil {
			sub.ProofFile, sub.ProofMIME = "proof:"+code, "image/png"
			if err := tx.PutFile(sub.ProofFile, proof); err != nil {
				return err
			}
		}
		return tx.PutSubmission(&sub)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return code
}

// queued reports whether a push with key was queued.
func (e *env) queued(key string) bool {
	e.t.Helper()
	var ok bool
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		ok, err = tx.Queued(key)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return ok
}

func (e *env) reg(id string) domain.Registration {
	e.t.Helper()
	rec, err := e.conv.Record(context.Background(), e.codes[id])
	if err != nil {
		e.t.Fatal(err)
	}
	return rec.Registration
}

func (e *env) audit() []domain.AuditEntry {
	e.t.Helper()
	log, err := e.store.AuditLog()
	if err != nil {
		e.t.Fatal(err)
	}
	return log
}

// browser is a client with its own cookies that does not follow
// redirects, so tests see them.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// response is what came back: status, Location, body.
type response struct {
	code     int
	location string
	body     string
	header   http.Header
}

func (b *browser) do(req *http.Request) response {
	b.e.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{code: resp.StatusCode, location: resp.Header.Get("Location"), body: string(body), header: resp.Header}
}

func (b *browser) get(path string) response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload posts a multipart form: the fields, and data as the file
// "file" named name (no file when name is "").
func (b *browser) upload(path string, fields url.Values, name string, data []byte) response {
	b.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			b.e.t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// login logs in as name and returns the session's CSRF token.
func (b *browser) login(name, lang string) string {
	b.e.t.Helper()
	r := b.post("/admin/login", url.Values{"token": {token}, "name": {name}, "lang": {lang}})
	if r.code != http.StatusSeeOther || r.location != "/admin/" {
		b.e.t.Fatalf("login: %d %q\n%s", r.code, r.location, r.body)
	}
	return b.csrf("/admin/")
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page's forms.
func (b *browser) csrf(path string) string {
	b.e.t.Helper()
	r := b.get(path)
	m := csrfField.FindStringSubmatch(r.body)
	if r.code != http.StatusOK || m == nil {
		b.e.t.Fatalf("%s: %d, no CSRF token\n%s", path, r.code, r.body)
	}
	return m[1]
}

// secrets are what an anonymous visitor must never see.
var secrets = []string{"Aigerim", "Әсел", "Oliver", "701", "RFA-AIGE", "code,status", "Alua", "non-verbal", "Runner", "\x89PNG"}

// proofPNG is the start of a PNG file: what a proof picture begins with.
var proofPNG = []byte("\x89PNG\r\n\x1a\n picture")

func noSecrets(t *testing.T, what string, r response) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(r.body, s) {
			t.Errorf("%s shows %q to a visitor who is not logged in", what, s)
		}
	}
}

// Without a session nothing shows and nothing changes: pages send the
// visitor to the login form, downloads answer 401, changes 403.
func TestRefusedWithoutLogin(t *testing.T) {
	e := newEnv(t)
	kid := e.addChild("ALUA", "Alua", "Динара Садыкова", "+77011112233", domain.StatusAwaitingPayment, "non-verbal, needs a companion")
	sub := e.addSubmission("ONLX", "Runner X", proofPNG, "")
	b := e.browser()
	for _, path := range []string{"/admin/", "/admin/registrations?q=Aigerim", "/admin/r/RFA-AIGE", "/admin/checkin", "/admin/checkin/RFA-AIGE", "/admin/checkin?q=1",
		"/admin/funstarts", "/admin/funstarts?q=Alua", "/admin/r/" + kid, "/admin/results", "/admin/review"} {
		r := b.get(path)
		if r.code != http.StatusSeeOther || r.location != "/admin/login?next="+url.QueryEscape(path) {
			t.Errorf("GET %s: %d %q", path, r.code, r.location)
		}
		noSecrets(t, path, r)
	}
	for _, path := range []string{"/admin/export/registrations.csv", "/admin/export/funstarts.csv", "/admin/export/bibs.csv", "/admin/backup",
		"/admin/review/" + sub + "/proof"} {
		r := b.get(path)
		if r.code != http.StatusUnauthorized {
			t.Errorf("GET %s: %d", path, r.code)
		}
		noSecrets(t, path, r)
	}
	before := e.reg("AIGE")
	for _, action := range []string{"markpaid", "cancel", "kit", "checkin"} {
		r := b.post("/admin/r/RFA-AIGE/"+action, url.Values{"reason": {"cash"}, "csrf": {"x"}})
		if r.code != http.StatusForbidden {
			t.Errorf("POST %s: %d", action, r.code)
		}
	}
	for _, path := range []string{"/admin/r/" + kid + "/markpaid", "/admin/r/" + kid + "/cancel", "/admin/review/" + sub + "/approve",
		"/admin/review/" + sub + "/reject", "/admin/results/apply", "/admin/results/discard"} {
		if r := b.post(path, url.Values{"reason": {"cash"}, "csrf": {"x"}}); r.code != http.StatusForbidden {
			t.Errorf("POST %s: %d", path, r.code)
		}
	}
	if r := b.upload("/admin/results", url.Values{"csrf": {"x"}}, "results.csv", []byte(goodResults)); r.code != http.StatusForbidden {
		t.Errorf("upload: %d", r.code)
	}
	if after := e.reg("AIGE"); after.Status != before.Status || len(e.audit()) != 0 {
		t.Errorf("changed without a login: %+v, audit %+v", after, e.audit())
	}
	if c := e.child(kid); c.Status != domain.StatusAwaitingPayment {
		t.Errorf("child changed without a login: %+v", c)
	}
	if subs, _ := e.conv.PendingSubmissions(context.Background(), 10); len(subs) != 1 {
		t.Errorf("reviewed without a login: %+v", subs)
	}
	// The login form itself is open, in the browser's language.
	r := b.get("/admin/login")
	if r.code != http.StatusOK || !strings.Contains(r.body, "Панель организаторов") {
		t.Errorf("login form: %d\n%s", r.code, r.body)
	}
}

func TestWrongTokenAndForgedCookies(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.post("/admin/login", url.Values{"token": {"correct horse battery"}, "name": {"Mallory"}, "lang": {"en"}})
	if r.code != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong token.") || r.header.Get("Set-Cookie") != "" {
		t.Fatalf("wrong token: %d, cookie %q\n%s", r.code, r.header.Get("Set-Cookie"), r.body)
	}
	if r := b.get("/admin/"); r.code != http.StatusSeeOther {
		t.Errorf("after a wrong token: %d", r.code)
	}
	// A session signed with another token is refused.
	other := &dashboard.Server{Flows: e.conv, Backup: e.store, Token: "another token", Log: e.dash.Log, Now: e.clock}
	mux := http.NewServeMux()
	other.Register(mux)
	otherSrv := httptest.NewServer(mux)
	defer otherSrv.Close()
	req, _ := http.NewRequest(http.MethodPost, otherSrv.URL+"/admin/login", strings.NewReader("token=another+token&name=M"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := b.do(req)
	var forged string
	for _, c := range strings.Split(resp.header.Get("Set-Cookie"), ";") {
		if v, ok := strings.CutPrefix(c, "rfa_admin="); ok {
			forged = v
		}
	}
	if forged == "" {
		t.Fatalf("no cookie from the other server: %v", resp.header)
	}
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/admin/", nil)
	req.AddCookie(&http.Cookie{Name: "rfa_admin", Value: forged})
	if r := e.browser().do(req); r.code != http.StatusSeeOther {
		t.Errorf("a cookie of another token: %d", r.code)
	}
	for _, v := range []string{"x", forged + "x", "e30." + strings.SplitN(forged, ".", 2)[1]} {
		req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/admin/export/registrations.csv", nil)
		req.AddCookie(&http.Cookie{Name: "rfa_admin", Value: v})
		if r := e.browser().do(req); r.code != http.StatusUnauthorized {
			t.Errorf("cookie %q: %d", v, r.code)
		}
	}
	// Bearer tokens work for downloads only, and only the right one.
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/admin/export/bibs.csv", nil)
	req.Header.Set("Authorization", "Bearer another token")
	if r := e.browser().do(req); r.code != http.StatusUnauthorized {
		t.Errorf("wrong bearer: %d", r.code)
	}
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/admin/", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if r := e.browser().do(req); r.code != http.StatusSeeOther {
		t.Errorf("bearer on a page: %d", r.code)
	}
	// A session ends after 16 hours.
	b2 := e.browser()
	b2.login("Aigul", "en")
	e.setNow(testNow.Add(17 * time.Hour))
	if r := b2.get("/admin/"); r.code != http.StatusSeeOther {
		t.Errorf("expired session: %d", r.code)
	}
}

// from is a browser whose connections come from the loopback address
// ip (127.0.0.0/8 is all loopback on Linux).
func (e *env) from(ip string) *browser {
	b := e.browser()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	b.c.Transport = &http.Transport{DialContext: d.DialContext}
	return b
}

// logLines counts the lines of a log that hold text.
type logLines struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logLines) count(text string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.buf.String(), text)
}

func TestWrongTokensShutOutOnlyTheirAddress(t *testing.T) {
	e := newEnv(t)
	var logs logLines
	e.dash.Log = slog.New(slog.NewTextHandler(&logs, nil))
	attacker := e.from("127.0.0.2")
	codes := map[int]int{}
	for range 1000 {
		codes[attacker.post("/admin/login", url.Values{"token": {"guess"}}).code]++
	}
	if codes[http.StatusUnauthorized] != 5 || codes[http.StatusTooManyRequests] != 995 {
		t.Errorf("1,000 wrong logins: %v, want 5×401 then 429", codes)
	}
	// The organizer, elsewhere, is let in at once.
	organizer := e.from("127.0.0.1")
	if r := organizer.post("/admin/login", url.Values{"token": {token}, "name": {"Aigul"}}); r.code != http.StatusSeeOther {
		t.Fatalf("the organizer's login after the attack: %d", r.code)
	}
	if r := organizer.get("/admin/"); r.code != http.StatusOK {
		t.Errorf("the organizer's overview: %d", r.code)
	}
	// The blocked address waits even with the right token, and is told
	// how long.
	r := attacker.post("/admin/login", url.Values{"token": {token}})
	if r.code != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Errorf("the right token while blocked: %d, Retry-After %q", r.code, r.header.Get("Retry-After"))
	}
	// Each wrong token after the wait doubles it: 1 s, 2 s, 4 s.
	for i, want := range []string{"2", "4", "8"} {
		e.setNow(e.clock().Add(time.Duration(1<<i) * time.Second))
		if r := attacker.post("/admin/login", url.Values{"token": {"guess"}}); r.code != http.StatusUnauthorized {
			t.Fatalf("wrong token %d after the wait: %d", i, r.code)
		}
		if r := attacker.post("/admin/login", url.Values{"token": {token}}); r.header.Get("Retry-After") != want {
			t.Errorf("wait after wrong token %d: Retry-After %q, want %s", i, r.header.Get("Retry-After"), want)
		}
	}
	// Once the wait is over, the right token is taken.
	e.setNow(e.clock().Add(8 * time.Second))
	if r := attacker.post("/admin/login", url.Values{"token": {token}}); r.code != http.StatusSeeOther {
		t.Errorf("the right token after the wait: %d", r.code)
	}
	// One summary line per address and minute, not one a try.
	if n := logs.count("wrong admin tokens"); n < 1 || n > 2 {
		t.Errorf("%d log lines for the wrong tokens, want at most 2:\n%s", n, logs.buf.String())
	}
	if strings.Contains(logs.buf.String(), "guess") {
		t.Error("the log holds a guessed token")
	}
}

func TestBearerGuessesAreThrottled(t *testing.T) {
	e := newEnv(t)
	attacker := e.from("127.0.0.3")
	codes := map[int]int{}
	for i := range 2000 {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/admin/export/registrations.csv", nil)
		req.Header.Set("Authorization", "Bearer guess-"+strconv.Itoa(i))
		codes[attacker.do(req).code]++
	}
	if codes[http.StatusUnauthorized] != 5 || codes[http.StatusTooManyRequests] != 1995 {
		t.Errorf("2,000 Bearer guesses: %v, want 5×401 then 429", codes)
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/admin/export/registrations.csv", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if r := e.from("127.0.0.1").do(req); r.code != http.StatusOK || !strings.Contains(r.body, "Aigerim") {
		t.Errorf("the organizer's script after the guesses: %d", r.code)
	}
}

func TestTrustedProxyNamesTheClient(t *testing.T) {
	e := newEnv(t)
	e.dash.Proxies = mustProxies(t, "127.0.0.1")
	b := e.from("127.0.0.1")
	login := func(client, tok string) int {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/admin/login", strings.NewReader(url.Values{"token": {tok}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", client)
		return b.do(req).code
	}
	for range 10 {
		login("198.51.100.7, 127.0.0.1", "guess")
	}
	if c := login("198.51.100.7", "guess"); c != http.StatusTooManyRequests {
		t.Errorf("the guesser behind the proxy: %d", c)
	}
	if c := login("203.0.113.9", token); c != http.StatusSeeOther {
		t.Errorf("the organizer behind the same proxy: %d", c)
	}
	// A client that is not the proxy cannot pick its address.
	other := e.from("127.0.0.4")
	codes := map[int]int{}
	for i := range 10 {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/admin/login", strings.NewReader("token=guess"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "192.0.2."+strconv.Itoa(i))
		codes[other.do(req).code]++
	}
	if codes[http.StatusTooManyRequests] != 5 {
		t.Errorf("spoofed X-Forwarded-For: %v", codes)
	}
}

func mustProxies(t *testing.T, v string) web.Proxies {
	t.Helper()
	p, err := web.ParseProxies(v)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCSRFAndMethods(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	csrf := b.login("Aigul", "en")
	other := e.browser().login("Bolat", "en")
	if other == csrf {
		t.Fatal("two sessions share a CSRF token")
	}
	for _, form := range []url.Values{
		{"reason": {"cash"}},
		{"reason": {"cash"}, "csrf": {""}},
		{"reason": {"cash"}, "csrf": {"forged"}},
		{"reason": {"cash"}, "csrf": {other}},
	} {
		if r := b.post("/admin/r/RFA-AIGE/markpaid", form); r.code != http.StatusForbidden {
			t.Errorf("POST with %v: %d", form, r.code)
		}
	}
	kid := e.addChild("ALUA", "Alua", "Динара Садыкова", "+77011112233", domain.StatusAwaitingPayment, "")
	sub := e.addSubmission("ONLX", "Runner X", proofPNG, "")
	for _, path := range []string{"/admin/r/" + kid + "/markpaid", "/admin/r/" + kid + "/cancel",
		"/admin/review/" + sub + "/approve", "/admin/review/" + sub + "/reject"} {
		for _, form := range []url.Values{{"reason": {"cash"}}, {"reason": {"cash"}, "csrf": {"forged"}}, {"reason": {"cash"}, "csrf": {other}}} {
			if r := b.post(path, form); r.code != http.StatusForbidden {
				t.Errorf("POST %s with %v: %d", path, form, r.code)
			}
		}
	}
	// The results file: its upload and its Apply need the token too.
	for _, token := range []string{"", "forged", other} {
		if r := b.upload("/admin/results", url.Values{"csrf": {token}}, "results.csv", []byte(goodResults)); r.code != http.StatusForbidden {
			t.Errorf("upload with CSRF %q: %d", token, r.code)
		}
	}
	if r := b.upload("/admin/results", url.Values{"csrf": {csrf}}, "results.csv", []byte(goodResults)); r.code != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", r.code, r.body)
	}
	hash := hashField.FindStringSubmatch(b.get("/admin/results").body)
	if hash == nil {
		t.Fatal("no Apply form after the upload")
	}
	for _, token := range []string{"", "forged", other} {
		if r := b.post("/admin/results/apply", url.Values{"csrf": {token}, "file": {hash[1]}}); r.code != http.StatusForbidden {
			t.Errorf("apply with CSRF %q: %d", token, r.code)
		}
	}
	// A GET never changes anything, whatever it carries.
	for _, path := range []string{"/admin/r/RFA-AIGE/markpaid?reason=cash&csrf=" + csrf, "/admin/r/RFA-AIGE/cancel?reason=x&csrf=" + csrf,
		"/admin/r/RFA-ASEL/kit?csrf=" + csrf, "/admin/logout?csrf=" + csrf,
		"/admin/r/" + kid + "/markpaid?reason=cash&csrf=" + csrf, "/admin/r/" + kid + "/cancel?reason=x&csrf=" + csrf,
		"/admin/review/" + sub + "/approve?csrf=" + csrf, "/admin/review/" + sub + "/reject?reason=x&csrf=" + csrf,
		"/admin/results/apply?csrf=" + csrf + "&file=" + hash[1], "/admin/results/discard?csrf=" + csrf} {
		if r := b.get(path); r.code != http.StatusMethodNotAllowed {
			t.Errorf("GET %s: %d", path, r.code)
		}
	}
	if got := e.reg("AIGE"); got.Status != domain.StatusAwaitingPayment || len(e.audit()) != 0 || !e.reg("ASEL").KitCollectedAt.IsZero() {
		t.Fatalf("changed by a refused request: %+v, audit %+v", got, e.audit())
	}
	if c := e.child(kid); c.Status != domain.StatusAwaitingPayment {
		t.Errorf("child changed by a refused request: %+v", c)
	}
	if subs, _ := e.conv.PendingSubmissions(context.Background(), 10); len(subs) != 1 {
		t.Errorf("reviewed by a refused request: %+v", subs)
	}
	if e.result("ASEL") != nil {
		t.Errorf("results applied by a refused request: %+v", e.result("ASEL"))
	}
	if r := b.get("/admin/"); r.code != http.StatusOK {
		t.Errorf("a GET /admin/logout logged out: %d", r.code)
	}
	r := b.post("/admin/r/RFA-AIGE/markpaid", url.Values{"reason": {"cash at the kit desk"}, "csrf": {csrf}})
	if r.code != http.StatusSeeOther || r.location != "/admin/r/RFA-AIGE?done=dash_done_markpaid" {
		t.Fatalf("mark paid: %d %q", r.code, r.location)
	}
	if got := e.reg("AIGE"); got.Status != domain.StatusPaid || got.Bib != 1000 {
		t.Errorf("after mark paid: %+v", got)
	}
	log := e.audit()
	if len(log) != 1 || log[0].Admin != "dashboard:Aigul" || log[0].Action != "markpaid" || log[0].Detail != "cash at the kit desk" {
		t.Errorf("audit %+v", log)
	}
	page := b.get(r.location)
	if !strings.Contains(page.body, "Marked paid. The participant gets a confirmation with the bib.") ||
		!strings.Contains(page.body, "<td>dashboard:Aigul</td><td>Marked paid</td><td>cash at the kit desk</td>") ||
		!strings.Contains(page.body, "<td>Fee</td><td class=\"n\">8,990\u00a0₸</td><td>void</td>") {
		t.Errorf("record after the change:\n%s", page.body)
	}
	// Outcomes the page explains.
	for _, c := range []struct {
		path, reason, want string
	}{
		{"/admin/r/RFA-AIGE/markpaid", "again", "problem=dash_problem_already"},
		{"/admin/r/RFA-OLIV/markpaid", "", "problem=dash_problem_reason"},
		{"/admin/r/RFA-OLIV/kit", "", "problem=dash_problem_status"},
	} {
		if r := b.post(c.path, url.Values{"reason": {c.reason}, "csrf": {csrf}}); r.code != http.StatusSeeOther || !strings.HasSuffix(r.location, c.want) {
			t.Errorf("%s %q: %d %q", c.path, c.reason, r.code, r.location)
		}
	}
	if r := b.post("/admin/r/RFA-ZZZZ/markpaid", url.Values{"reason": {"x"}, "csrf": {csrf}}); r.code != http.StatusNotFound {
		t.Errorf("unknown code: %d", r.code)
	}
	if r := b.post("/admin/r/RFA-OLIV/delete", url.Values{"csrf": {csrf}}); r.code != http.StatusNotFound {
		t.Errorf("unknown action: %d", r.code)
	}
	// Cancel releases the place, with the reason in the log.
	r = b.post("/admin/r/RFA-OLIV/cancel", url.Values{"reason": {"duplicate"}, "csrf": {csrf}})
	if r.code != http.StatusSeeOther || e.reg("OLIV").Status != domain.StatusCancelled {
		t.Errorf("cancel: %d %q %+v", r.code, r.location, e.reg("OLIV"))
	}
}

func TestSessionCookieAndLogout(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.post("/admin/login", url.Values{"token": {token}, "name": {"  Aigul <script>  "}, "next": {"/admin/checkin/RFA-ASEL"}})
	if r.code != http.StatusSeeOther || r.location != "/admin/checkin/RFA-ASEL" {
		t.Fatalf("login with next: %d %q", r.code, r.location)
	}
	cookie := r.header.Get("Set-Cookie")
	for _, w := range []string{"rfa_admin=", "Path=/admin", "HttpOnly", "SameSite=Strict"} {
		if !strings.Contains(cookie, w) {
			t.Errorf("cookie %q lacks %s", cookie, w)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie %q is Secure on http", cookie)
	}
	csrf := b.csrf("/admin/")
	if page := b.get("/admin/"); !strings.Contains(page.body, "Aigul script") {
		t.Errorf("name not cleaned:\n%s", page.body)
	}
	// Logging out revokes the session: its cookie, kept elsewhere, no
	// longer works.
	jarCookies := b.c.Jar.Cookies(mustURL(e.srv.URL + "/admin/"))
	r = b.post("/admin/logout", url.Values{"csrf": {csrf}})
	if r.code != http.StatusSeeOther || !strings.HasPrefix(r.location, "/admin/login") || !strings.Contains(r.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("logout: %d %q %q", r.code, r.location, r.header.Get("Set-Cookie"))
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/admin/", nil)
	for _, c := range jarCookies {
		req.AddCookie(c)
	}
	if r := e.browser().do(req); r.code != http.StatusSeeOther {
		t.Errorf("the cookie works after logout: %d", r.code)
	}
	// Never back to another site after login.
	for _, next := range []string{"https://evil.example/", "//evil.example/admin/", "/admin//evil", "/elsewhere"} {
		r := e.browser().post("/admin/login", url.Values{"token": {token}, "next": {next}})
		if r.location != "/admin/" {
			t.Errorf("next %q: to %q", next, r.location)
		}
	}
	// Behind https the cookie is Secure.
	secure := &dashboard.Server{Flows: e.conv, Backup: e.store, Token: token, Secure: true, Log: e.dash.Log, Now: e.clock}
	mux := http.NewServeMux()
	secure.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/admin/login", strings.NewReader("token="+url.QueryEscape(token)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := e.browser().do(req)
	if c := resp.header.Get("Set-Cookie"); !strings.Contains(c, "Secure") {
		t.Errorf("cookie %q not Secure", c)
	}
	if h := resp.header.Get("Strict-Transport-Security"); h != web.HSTSValue {
		t.Errorf("behind https: Strict-Transport-Security %q", h)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

var rawID = regexp.MustCompile(`\b(dash|stats|status|field|mode|lang|import|review|result)_[a-z_]+\b`)

// Every page renders in every language, with no message id left
// untranslated, and the headers that keep it private.
func TestPagesInEveryLanguage(t *testing.T) {
	e := newEnv(t)
	want := map[string]string{"kk": "Тіркеулер", "ru": "Регистрации", "en": "Registrations"}
	e.addChild("ALUA", "Alua", "Динара Садыкова", "+77011112233", domain.StatusAwaitingPayment, "non-verbal, needs a companion")
	e.addChild("BOTA", "Бота", "Ержан Қасымов", "+77015556677", domain.StatusConfirmed, "")
	e.addSubmission("ONLX", "Runner X", proofPNG, "")
	e.addSubmission("ONLY", "Runner Y", nil, "https://www.strava.com/activities/42")
	for _, lang := range locales.Languages {
		b := e.browser()
		csrf := b.login("Aigul", "en")
		if r := b.post("/admin/lang", url.Values{"lang": {lang}, "csrf": {csrf}, "next": {"/admin/registrations"}}); r.code != http.StatusSeeOther || r.location != "/admin/registrations" {
			t.Fatalf("lang: %d %q", r.code, r.location)
		}
		// A results file with problems, so that the dry run shows every
		// part of its report.
		if r := b.upload("/admin/results", url.Values{"csrf": {csrf}}, "results.csv", []byte(badResults)); r.code != http.StatusSeeOther {
			t.Fatalf("upload: %d", r.code)
		}
		for _, path := range []string{"/admin/", "/admin/registrations", "/admin/registrations?q=5678&sort=name&dir=desc&status=paid&distance=10k",
			"/admin/r/RFA-AIGE", "/admin/r/RFA-ASEL", "/admin/checkin", "/admin/checkin?q=nobody", "/admin/checkin?q=5678", "/admin/checkin/RFA-ASEL", "/admin/checkin/RFA-AIGE",
			"/admin/funstarts", "/admin/funstarts?q=Alua&status=awaiting_payment", "/admin/r/RFA-FS-ALUA", "/admin/r/RFA-FS-BOTA",
			"/admin/results", "/admin/review", "/admin/review?done=dash_done_reject", "/admin/r/RFA-FS-ALUA?problem=dash_problem_child_status"} {
			r := b.get(path)
			if r.code != http.StatusOK {
				t.Errorf("%s %s: %d", lang, path, r.code)
				continue
			}
			if m := rawID.FindString(r.body); m != "" {
				t.Errorf("%s %s shows the id %q", lang, path, m)
			}
			if !strings.Contains(r.body, `<html lang="`+lang+`">`) || !strings.Contains(r.body, want[lang]) {
				t.Errorf("%s %s: not in %s", lang, path, lang)
			}
			for h, v := range map[string]string{"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
				if r.header.Get(h) != v {
					t.Errorf("%s: %s = %q", path, h, r.header.Get(h))
				}
			}
			if !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("%s: CSP %q", path, r.header.Get("Content-Security-Policy"))
			}
		}
		r := e.browser().get("/admin/login?lang=" + lang)
		if rawID.MatchString(r.body) || !strings.Contains(r.body, `lang="`+lang+`"`) {
			t.Errorf("login page in %s:\n%s", lang, r.body)
		}
	}
	if r := e.browser().get("/admin/static/style.css"); r.code != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "text/css") {
		t.Errorf("style sheet: %d %q", r.code, r.header.Get("Content-Type"))
	}
	b := e.browser()
	b.login("Aigul", "en")
	if r := b.get("/admin/r/RFA-ZZZZ"); r.code != http.StatusNotFound {
		t.Errorf("unknown record: %d", r.code)
	}
	if r := b.get("/admin/r/RFA-FS-ZZZZ"); r.code != http.StatusNotFound {
		t.Errorf("unknown child: %d", r.code)
	}
}

func TestRegistrationsTable(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("Aigul", "en")
	order := func(r response) []string {
		var out []string
		for _, m := range regexp.MustCompile(`href="/admin/r/(RFA-[A-Z]+)"`).FindAllStringSubmatch(r.body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	for _, c := range []struct {
		query string
		want  string
		found string
	}{
		{"sort=name", "RFA-AIGE RFA-OLIV RFA-ASEL", "Found: 3 of 3."},
		{"sort=name&dir=desc", "RFA-ASEL RFA-OLIV RFA-AIGE", "Found: 3 of 3."},
		{"sort=bib&dir=desc", "RFA-ASEL RFA-AIGE RFA-OLIV", "Found: 3 of 3."},
		{"q=%D3%99%D1%81%D0%B5%D0%BB", "RFA-ASEL", "Found: 1 of 3."},
		{"q=5678&sort=code", "RFA-AIGE RFA-ASEL", "Found: 2 of 3."},
		{"status=awaiting_payment&sort=code", "RFA-AIGE RFA-OLIV", "Found: 2 of 3."},
		{"distance=10k", "RFA-ASEL", "Found: 1 of 3."},
		{"q=nobody", "", "Found: 0 of 3."},
	} {
		r := b.get("/admin/registrations?" + c.query)
		if got := strings.Join(order(r), " "); got != c.want || !strings.Contains(r.body, c.found) {
			t.Errorf("%s: rows %q, want %q; %s", c.query, got, c.want, regexp.MustCompile(`Found[^<]*`).FindString(r.body))
		}
	}
	// The current column's header sorts the other way.
	r := b.get("/admin/registrations?sort=name")
	if !strings.Contains(r.body, `href="/admin/registrations?dir=desc&amp;distance=&amp;q=&amp;sort=name&amp;status="`) {
		t.Errorf("no link to sort by name descending:\n%s", r.body)
	}
}

func TestCheckinView(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	csrf := b.login("Aigul", "en")
	// One match goes straight to the participant.
	r := b.get("/admin/checkin?q=1")
	if r.code != http.StatusSeeOther || r.location != "/admin/checkin/RFA-ASEL" {
		t.Fatalf("search by bib: %d %q", r.code, r.location)
	}
	page := b.get(r.location)
	count := func(page response, id string) string {
		return regexp.MustCompile(`id="` + id + `">(\d+)<`).FindStringSubmatch(page.body)[1]
	}
	if count(page, "kits") != "0" || count(page, "checkins") != "0" || !strings.Contains(page.body, "Hand out the kit") {
		t.Fatalf("check-in page:\n%s", page.body)
	}
	e.setNow(testNow.Add(time.Hour))
	for _, step := range []string{"kit", "checkin"} {
		r := b.post("/admin/r/RFA-ASEL/"+step, url.Values{"csrf": {csrf}, "back": {"checkin"}})
		if r.code != http.StatusSeeOther || r.location != "/admin/checkin/RFA-ASEL?done=dash_done_"+step {
			t.Fatalf("%s: %d %q", step, r.code, r.location)
		}
	}
	page = b.get("/admin/checkin/RFA-ASEL?done=dash_done_checkin")
	if count(page, "kits") != "1" || count(page, "checkins") != "1" || !strings.Contains(page.body, "✓ Kit handed out") ||
		!strings.Contains(page.body, "Checked in.") || strings.Contains(page.body, "Hand out the kit") {
		t.Errorf("after the desk:\n%s", page.body)
	}
	got := e.reg("ASEL")
	if got.KitCollectedBy != "dashboard:Aigul" || !got.CheckedInAt.Equal(testNow.Add(time.Hour)) {
		t.Errorf("registration %+v", got)
	}
	// An unpaid participant gets no kit.
	if page := b.get("/admin/checkin/RFA-AIGE"); !strings.Contains(page.body, "Not paid") || strings.Contains(page.body, "Hand out the kit") {
		t.Errorf("unpaid:\n%s", page.body)
	}
	// Several matches are listed; a phone finds them.
	page = b.get("/admin/checkin?q=5678")
	if page.code != http.StatusOK || !strings.Contains(page.body, `href="/admin/checkin/RFA-AIGE"`) || !strings.Contains(page.body, `href="/admin/checkin/RFA-ASEL"`) {
		t.Errorf("two matches:\n%s", page.body)
	}
}

func TestDownloads(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("Aigul", "en")
	r := b.get("/admin/export/registrations.csv")
	if r.code != http.StatusOK || r.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(r.body, "\uFEFFcode,status,name") || !strings.Contains(r.body, "Әсел Қайратқызы") ||
		!strings.Contains(r.header.Get("Content-Disposition"), `attachment; filename="registrations-`) {
		t.Errorf("registrations.csv: %d %v\n%s", r.code, r.header, r.body)
	}
	if r := b.get("/admin/export/passwords.csv"); r.code != http.StatusNotFound {
		t.Errorf("unknown export: %d", r.code)
	}
	// A script downloads with the token.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/admin/backup", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	r = e.browser().do(req)
	if r.code != http.StatusOK || r.header.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("backup: %d %v", r.code, r.header)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, []byte(r.body), 0o600); err != nil {
		t.Fatal(err)
	}
	copyStore, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer copyStore.Close()
	err = copyStore.View(context.Background(), func(tx domain.Tx) error {
		r, err := tx.Registration("RFA-ASEL")
		if err == nil && r.Name != "Әсел Қайратқызы" {
			err = fmt.Errorf("name %q", r.Name)
		}
		return err
	})
	if err != nil {
		t.Errorf("the backup does not hold the data: %v", err)
	}
	var got []string
	for _, a := range e.audit() {
		got = append(got, a.Admin+" "+a.Action+" "+a.Record)
	}
	if strings.Join(got, "|") != "dashboard:Aigul export registrations|dashboard:token backup database" {
		t.Errorf("audit %q", got)
	}
}

// brokenExport is the flows with an export that fails after writing
// half a file, as a damaged record would make it.
type brokenExport struct{ *flows.Flows }

func (b brokenExport) Export(ctx context.Context, admin string, file flows.ExportFile, w io.Writer) error {
	io.WriteString(w, "code,name\nRFA-AIGE,Aigerim\n")
	return errors.New("decode registration RFA-OLIV: unexpected end of JSON input")
}

type lastBackup struct{ at time.Time }

func (l lastBackup) Last() (time.Time, string) { return l.at, "data/backups/bot.db" }

func TestExportFailsLoudlyAndOverviewShowsTheLastBackup(t *testing.T) {
	e := newEnv(t)
	d := &dashboard.Server{Flows: brokenExport{e.conv}, Backup: e.store, Token: token, Log: e.dash.Log, Now: e.clock,
		Backups: lastBackup{testNow.Add(-30 * time.Minute)}}
	mux := http.NewServeMux()
	d.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/admin/export/registrations.csv", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	r := e.browser().do(req)
	if r.code != http.StatusInternalServerError || strings.Contains(r.body, "Aigerim") || !strings.Contains(r.body, "decode registration RFA-OLIV") {
		t.Errorf("a failing export: %d %q", r.code, r.body)
	}
	if cd := r.header.Get("Content-Disposition"); cd != "" {
		t.Errorf("a failing export is offered as a file: %q", cd)
	}
	b := e.browser()
	b.e = &env{t: t, srv: srv}
	b.login("Aigul", "en")
	if page := b.get("/admin/"); !strings.Contains(page.body, "Last good backup: ") {
		t.Errorf("overview without the last backup:\n%s", page.body)
	}
	plain := e.browser()
	plain.login("Aigul", "en")
	if body := plain.get("/admin/").body; !strings.Contains(body, "No automatic backup yet") {
		t.Errorf("overview with no backups:\n%s", body)
	}
}
