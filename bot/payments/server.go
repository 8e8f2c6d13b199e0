package payments

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/runforautism/rfabot/bot/web"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
)

// MaxBody is the largest webhook body taken; a larger one gets 413.
const MaxBody = 64 << 10

// Flows is what the payment endpoints need from the domain; *flows.Flows
// is one.
type Flows interface {
	ApplyPayment(ctx context.Context, p domain.Payment) (domain.PaymentOutcome, error)
	CheckPayment(ctx context.Context, p domain.Payment) (flows.CheckResult, error)
	Checkout(ctx context.Context, orderID string) (flows.Checkout, error)
}

// Server serves the provider's notification endpoints and, with the
// test provider, the test checkout.
type Server struct {
	Flows    Flows
	Provider Provider
	Catalog  *locales.Catalog
	Log      *slog.Logger
	// Now is the clock of the log's summaries; nil means time.Now.
	Now func() time.Time

	mu sync.Mutex
	// badSigs counts the notifications with a bad signature since the
	// last summary line, loggedAt.
	badSigs  int
	loggedAt time.Time
}

// badSigEvery is how often bad signatures are logged: one summary
// line, not one line each.
const badSigEvery = time.Minute

// BadSignature counts a notification with a bad signature and logs the
// count once a minute: one line, not one per forged call.
func (s *Server) BadSignature() {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.badSigs++
	if now.Sub(s.loggedAt) < badSigEvery {
		return
	}
	s.Log.Warn("payment notifications with a bad signature", "count", s.badSigs, "per", badSigEvery.String())
	s.badSigs, s.loggedAt = 0, now
}

// Register mounts the provider's notification endpoints and the test
// checkout (GET and POST /pay/test/{order}) on mux.
func (s *Server) Register(mux *http.ServeMux) {
	s.Provider.Register(mux, s)
	mux.HandleFunc("GET /pay/test/{order}", s.checkoutPage)
	mux.HandleFunc("POST /pay/test/{order}", s.checkoutSubmit)
}

// webhook answers a provider's notification: 200 when accepted (a
// repeat included), 401 for a bad signature, 400 for a malformed body,
// 404 for an unknown order, 409 when the amount or currency is not the
// order's, 413 for a body over MaxBody.
func (s *Server) webhook(w http.ResponseWriter, r *http.Request) {
	body, ok := s.ReadBody(w, r)
	if !ok {
		return
	}
	code, msg := s.apply(r.Context(), r.Header, body)
	writeJSON(w, code, msg)
}

// ReadBody reads a notification's raw body, to check its signature
// before anything else. It answers itself when it cannot (ok false): 413
// for a body over MaxBody, 400 when the body breaks off.
func (s *Server) ReadBody(w http.ResponseWriter, r *http.Request) (body []byte, ok bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeJSON(w, http.StatusRequestEntityTooLarge, "body over 64 KiB")
		return nil, false
	case err != nil:
		writeJSON(w, http.StatusBadRequest, "cannot read the body")
		return nil, false
	}
	return body, true
}

// standard is a provider that speaks our own contract (test, custom).
type standard interface {
	Notification(h http.Header, body []byte) (domain.Payment, error)
}

// apply runs one notification of the standard contract through the
// provider's check and the domain, and says how to answer it.
func (s *Server) apply(ctx context.Context, h http.Header, body []byte) (int, string) {
	p, err := s.Provider.(standard).Notification(h, body)
	switch {
	case errors.Is(err, ErrSignature):
		s.BadSignature()
		return http.StatusUnauthorized, err.Error()
	case err != nil:
		return http.StatusBadRequest, err.Error()
	}
	out, err := s.Flows.ApplyPayment(ctx, p)
	if err != nil {
		s.Log.Error("payment notification failed", "order", p.OrderID, "status", p.Status, "err", err)
		return http.StatusInternalServerError, "internal error, try again"
	}
	s.Log.Info("payment notification", "order", p.OrderID, "status", p.Status, "outcome", outcomeName[out])
	switch out {
	case domain.PaymentUnknownOrder:
		return http.StatusNotFound, "unknown order"
	case domain.PaymentMismatch:
		return http.StatusConflict, "amount or currency does not match the order"
	}
	return http.StatusOK, "accepted"
}

var outcomeName = map[domain.PaymentOutcome]string{
	domain.PaymentApplied:      "applied",
	domain.PaymentNoChange:     "no change",
	domain.PaymentUnknownOrder: "unknown order",
	domain.PaymentMismatch:     "mismatch",
}

func writeJSON(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	key := "error"
	if code == http.StatusOK {
		key = "status"
	}
	json.NewEncoder(w).Encode(map[string]string{key: msg})
}

//go:embed checkout.html
var pageFS embed.FS

var page = template.Must(template.ParseFS(pageFS, "checkout.html"))

// checkoutCSP is the dashboard's Content-Security-Policy with the
// checkout page's own style sheet allowed by its hash.
var checkoutCSP = func() string {
	b, _ := pageFS.ReadFile("checkout.html")
	_, css, _ := strings.Cut(string(b), "<style>")
	css, _, _ = strings.Cut(css, "</style>")
	sum := sha256.Sum256([]byte(css))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}()

// pageData is what checkout.html shows.
type pageData struct {
	Lang, Title, Note string
	Item, Amount      string
	Pay, Fail         string
	Message, Back     string
	Open              bool
}

// test is the test provider, when it is the one in use.
func (s *Server) test() bool {
	_, ok := s.Provider.(*Test)
	return ok
}

// checkoutPage shows an order with Pay and Fail buttons.
func (s *Server) checkoutPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.checkout(w, r)
	if !ok {
		return
	}
	d := s.pageData(c)
	d.Open = c.Order.Status == domain.OrderOpen
	if !d.Open {
		d.Message = s.closed(c)
	}
	s.render(w, http.StatusOK, d)
}

// closed says why an order that is not open takes no payment: a paid
// one is paid already.
func (s *Server) closed(c flows.Checkout) string {
	if c.Order.Status == domain.OrderPaid {
		return s.Catalog.T(c.Lang, "checkout_already_paid", nil)
	}
	return s.Catalog.T(c.Lang, "checkout_closed", nil)
}

// checkoutSubmit takes a press of Pay or Fail and calls the webhook the
// way a provider would: a signed notification through the same checks.
func (s *Server) checkoutSubmit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.checkout(w, r)
	if !ok {
		return
	}
	status := r.FormValue("result")
	if status != domain.PaymentPaid && status != domain.PaymentFailed {
		http.Error(w, "result must be paid or failed", http.StatusBadRequest)
		return
	}
	if c.Order.Status != domain.OrderOpen {
		d := s.pageData(c)
		d.Message = s.closed(c)
		s.render(w, http.StatusOK, d)
		return
	}
	secret := s.Provider.(*Test).Secret
	body, sig := Encode(secret, domain.Payment{OrderID: c.Order.ID, Amount: c.Order.Amount, Currency: c.Order.Currency,
		Status: status, ProviderRef: "test-" + c.Order.ID})
	code, _ := s.apply(r.Context(), http.Header{SignatureHeader: {sig}}, body)
	if code != http.StatusOK {
		http.Error(w, http.StatusText(code), code)
		return
	}
	d := s.pageData(c)
	d.Message = s.Catalog.T(c.Lang, "checkout_paid", nil)
	if status == domain.PaymentFailed {
		d.Message = s.Catalog.T(c.Lang, "checkout_failed", nil)
	}
	d.Back = s.Catalog.T(c.Lang, "checkout_back", nil)
	s.render(w, http.StatusOK, d)
}

// checkout finds the order of a test checkout request; it answers 404
// itself when the test provider is not in use, the link's signature is
// missing or wrong, or there is no such order. Every answer carries the
// dashboard's security headers; a POST from another site is refused.
func (s *Server) checkout(w http.ResponseWriter, r *http.Request) (flows.Checkout, bool) {
	web.SecurityHeaders(w.Header())
	w.Header().Set("Content-Security-Policy", checkoutCSP)
	if !s.test() {
		http.Error(w, "the test checkout works only with PAYMENT_PROVIDER=test", http.StatusNotFound)
		return flows.Checkout{}, false
	}
	if r.Method == http.MethodPost && r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		http.Error(w, "the test checkout takes presses of its own buttons only", http.StatusForbidden)
		return flows.Checkout{}, false
	}
	id := r.PathValue("order")
	c, err := s.Flows.Checkout(r.Context(), id)
	if err == nil && !s.Provider.(*Test).linkOK(id, r.URL.Query().Get("sig")) {
		err = domain.ErrNotFound
	}
	if errors.Is(err, domain.ErrNotFound) {
		var texts []string
		for _, l := range locales.Languages {
			texts = append(texts, s.Catalog.T(l, "checkout_unknown", nil))
		}
		http.Error(w, strings.Join(texts, "\n"), http.StatusNotFound)
		return flows.Checkout{}, false
	}
	if err != nil {
		s.Log.Error("test checkout", "order", r.PathValue("order"), "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return flows.Checkout{}, false
	}
	return c, true
}

func (s *Server) pageData(c flows.Checkout) pageData {
	return pageData{
		Lang:   c.Lang,
		Title:  s.Catalog.T(c.Lang, "checkout_title", nil),
		Note:   s.Catalog.T(c.Lang, "checkout_note", nil),
		Item:   c.Item,
		Amount: s.Catalog.T(c.Lang, "checkout_amount", map[string]any{"Amount": c.Amount}),
		Pay:    s.Catalog.T(c.Lang, "checkout_pay", nil),
		Fail:   s.Catalog.T(c.Lang, "checkout_fail", nil),
	}
}

func (s *Server) render(w http.ResponseWriter, code int, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	if err := page.Execute(w, d); err != nil {
		s.Log.Error("render the test checkout", "err", err)
	}
}
