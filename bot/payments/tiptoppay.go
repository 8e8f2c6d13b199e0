package payments

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// TipTop Pay Kazakhstan, the former CloudPayments Kazakhstan
// (../shared/PAYMENTS.md, docs/PAYMENTS.md). The link comes from
// POST /orders/create with HTTP Basic auth (Public ID, API secret); the
// notifications Check, Pay, Fail and Refund are form-urlencoded posts
// signed in Content-HMAC; a lost one is found with POST /payments/find.

// TipTopDefaultURL is TIPTOPPAY_API_URL when it is not set.
const TipTopDefaultURL = "https://api.tiptoppay.kz"

// TipTop Pay's notification replies (its "code").
const (
	tipTopOK           = 0
	tipTopUnknownOrder = 10
	tipTopWrongAmount  = 12
	tipTopNotAccepted  = 13
	tipTopExpired      = 20
)

// TipTop is the TipTop Pay provider.
type TipTop struct {
	PublicID string
	// Secret is the API secret: the password of the API calls and the
	// key of the notifications' signature. Never logged.
	Secret   string
	APIURL   string
	Currency string
	Client   *http.Client
}

func newTipTop(o Options) (*TipTop, error) {
	t := o.TipTop
	switch {
	case t.PublicID == "":
		return nil, errors.New("TIPTOPPAY_PUBLIC_ID: must be set for PAYMENT_PROVIDER=tiptoppay")
	case t.APISecret == "":
		return nil, errors.New("TIPTOPPAY_API_SECRET: must be set for PAYMENT_PROVIDER=tiptoppay")
	}
	api := strings.TrimSuffix(t.APIURL, "/")
	if api == "" {
		api = TipTopDefaultURL
	}
	return &TipTop{PublicID: t.PublicID, Secret: t.APISecret, APIURL: api, Currency: o.Currency, Client: o.client()}, nil
}

// Name is "tiptoppay".
func (p *TipTop) Name() string { return NameTipTop }

// Link: TipTop Pay's API makes the links (MakeLink).
func (p *TipTop) Link(domain.Order, string) (string, error) { return "", flows.ErrLinkByAPI }

// tipTopAnswer is every answer of the API.
type tipTopAnswer struct {
	Success bool            `json:"Success"`
	Message *string         `json:"Message"`
	Model   json.RawMessage `json:"Model"`
}

// call posts body to the API method path and decodes its answer. Only
// the HTTP status and the provider's message go into an error: never
// the credentials.
func (p *TipTop) call(ctx context.Context, path string, body any) (tipTopAnswer, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return tipTopAnswer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.APIURL+path, bytes.NewReader(b))
	if err != nil {
		return tipTopAnswer{}, fmt.Errorf("tiptoppay %s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(p.PublicID, p.Secret)
	resp, err := p.Client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return tipTopAnswer{}, fmt.Errorf("tiptoppay %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return tipTopAnswer{}, fmt.Errorf("tiptoppay %s: read the answer: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return tipTopAnswer{}, fmt.Errorf("tiptoppay %s: HTTP %d", path, resp.StatusCode)
	}
	var a tipTopAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		return tipTopAnswer{}, fmt.Errorf("tiptoppay %s: the answer is not JSON: %w", path, err)
	}
	return a, nil
}

// message is the provider's message of an answer, for the log.
func (a tipTopAnswer) message() string {
	if a.Message == nil || *a.Message == "" {
		return "no message"
	}
	return *a.Message
}

// cultureNames are TipTop Pay's CultureName of the bot's languages.
var cultureNames = map[string]string{"kk": "kk-KZ", "ru": "ru-RU", "en": "en-US"}

// MakeLink creates the order's payment page: POST /orders/create.
func (p *TipTop) MakeLink(ctx context.Context, req flows.LinkRequest) (flows.MadeLink, error) {
	o := req.Order
	body := map[string]any{
		"Amount":      o.Amount,
		"Currency":    o.Currency,
		"Description": req.Description,
		"InvoiceId":   o.ID,
		"AccountId":   req.AccountID,
	}
	if c, ok := cultureNames[req.Lang]; ok {
		body["CultureName"] = c
	}
	if req.Phone != "" {
		body["Phone"] = req.Phone
	}
	a, err := p.call(ctx, "/orders/create", body)
	if err != nil {
		return flows.MadeLink{}, err
	}
	if !a.Success {
		return flows.MadeLink{}, fmt.Errorf("tiptoppay /orders/create: refused: %s", a.message())
	}
	var m struct {
		ID  string `json:"Id"`
		URL string `json:"Url"`
	}
	if err := json.Unmarshal(a.Model, &m); err != nil || m.URL == "" {
		return flows.MadeLink{}, errors.New("tiptoppay /orders/create: the answer has no Model.Url")
	}
	return flows.MadeLink{URL: m.URL, Ref: m.ID}, nil
}

// FindPayment asks for the payment of order o by its InvoiceId: POST
// /payments/find. It counts as paid when its status is Completed or
// Authorized.
func (p *TipTop) FindPayment(ctx context.Context, o domain.Order) (domain.Payment, bool, error) {
	a, err := p.call(ctx, "/payments/find", map[string]string{"InvoiceId": o.ID})
	if err != nil {
		return domain.Payment{}, false, err
	}
	if !a.Success {
		// "Not found", or a payment that never went through.
		return domain.Payment{}, false, nil
	}
	var m struct {
		TransactionID int64       `json:"TransactionId"`
		Amount        json.Number `json:"Amount"`
		Currency      string      `json:"Currency"`
		InvoiceID     string      `json:"InvoiceId"`
		Status        string      `json:"Status"`
		TestMode      bool        `json:"TestMode"`
	}
	if err := json.Unmarshal(a.Model, &m); err != nil {
		return domain.Payment{}, false, fmt.Errorf("tiptoppay /payments/find: the answer's Model: %w", err)
	}
	if m.Status != "Completed" && m.Status != "Authorized" {
		return domain.Payment{}, false, nil
	}
	if m.InvoiceID != o.ID {
		return domain.Payment{}, false, fmt.Errorf("tiptoppay /payments/find: asked for %s, got InvoiceId %q", o.ID, m.InvoiceID)
	}
	amount, err := ParseAmount(m.Amount.String(), m.Currency, p.Currency)
	if err != nil {
		return domain.Payment{}, false, fmt.Errorf("tiptoppay /payments/find: %w", err)
	}
	return domain.Payment{OrderID: o.ID, Amount: amount, Currency: m.Currency, Status: domain.PaymentPaid,
		ProviderRef: strconv.FormatInt(m.TransactionID, 10), Provider: NameTipTop, Test: m.TestMode}, true, nil
}

// TipTopSignature is the Content-HMAC of a notification body: base64 of
// HMAC-SHA256 of the raw bytes with the API secret.
func TipTopSignature(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// signed checks Content-HMAC over the raw body, in constant time.
func (p *TipTop) signed(h http.Header, body []byte) bool {
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h.Get("Content-HMAC")))
	want, _ := base64.StdEncoding.DecodeString(TipTopSignature(p.Secret, body))
	return err == nil && hmac.Equal(got, want)
}

// Notification kinds, the last segment of their URL.
const (
	tipTopCheck  = "check"
	tipTopPay    = "pay"
	tipTopFail   = "fail"
	tipTopRefund = "refund"
)

// Register mounts POST /payments/tiptoppay/{check,pay,fail,refund}.
func (p *TipTop) Register(mux *http.ServeMux, s *Server) {
	for _, kind := range []string{tipTopCheck, tipTopPay, tipTopFail, tipTopRefund} {
		mux.HandleFunc("POST /payments/tiptoppay/"+kind, func(w http.ResponseWriter, r *http.Request) { p.notified(w, r, s, kind) })
	}
}

// notified answers one notification: the signature over the raw bytes
// first (401, nothing read or applied, when it is wrong or missing),
// then the fields (400 with the reason), then the domain; {"code":N}.
func (p *TipTop) notified(w http.ResponseWriter, r *http.Request, s *Server, kind string) {
	body, ok := s.ReadBody(w, r)
	if !ok {
		return
	}
	if !p.signed(r.Header, body) {
		s.BadSignature()
		writeJSON(w, http.StatusUnauthorized, ErrSignature.Error())
		return
	}
	pay, err := p.decode(kind, body)
	var money *moneyError
	if errors.As(err, &money) && kind == tipTopCheck {
		// An amount the order cannot take refuses the charge.
		s.Log.Info("tiptoppay check", "order", pay.OrderID, "transaction", pay.ProviderRef, "result", money.Error())
		writeCode(w, tipTopWrongAmount)
		return
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx := r.Context()
	if kind == tipTopCheck {
		res, err := s.Flows.CheckPayment(ctx, pay)
		if err != nil {
			s.Log.Error("tiptoppay check failed", "order", pay.OrderID, "err", err)
			writeJSON(w, http.StatusInternalServerError, "internal error, try again")
			return
		}
		s.Log.Info("tiptoppay check", "order", pay.OrderID, "transaction", pay.ProviderRef, "result", res.String())
		writeCode(w, checkCodes[res])
		return
	}
	out, err := s.Flows.ApplyPayment(ctx, pay)
	if err != nil {
		s.Log.Error("tiptoppay notification failed", "kind", kind, "order", pay.OrderID, "err", err)
		writeJSON(w, http.StatusInternalServerError, "internal error, try again")
		return
	}
	switch out {
	case domain.PaymentUnknownOrder, domain.PaymentMismatch:
		// Answered as accepted (asking again would not help): the
		// organizers find it in the log by its transaction.
		s.Log.Error("tiptoppay notification applies to no order", "kind", kind, "order", pay.OrderID,
			"transaction", pay.ProviderRef, "amount", pay.Amount, "currency", pay.Currency, "outcome", outcomeName[out])
	default:
		s.Log.Info("tiptoppay notification", "kind", kind, "order", pay.OrderID, "transaction", pay.ProviderRef,
			"test", pay.Test, "outcome", outcomeName[out])
	}
	writeCode(w, tipTopOK)
}

var checkCodes = map[flows.CheckResult]int{
	flows.CheckOK:           tipTopOK,
	flows.CheckUnknownOrder: tipTopUnknownOrder,
	flows.CheckWrongAmount:  tipTopWrongAmount,
	flows.CheckNotAccepted:  tipTopNotAccepted,
	flows.CheckExpired:      tipTopExpired,
}

func writeCode(w http.ResponseWriter, code int) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]int{"code": code})
}

// moneyError is an amount or currency the bot does not take.
type moneyError struct{ err error }

func (e *moneyError) Error() string { return e.err.Error() }
func (e *moneyError) Unwrap() error { return e.err }

// tipTopTime is the layout of DateTime, in UTC.
const tipTopTime = "2006-01-02 15:04:05"

// decode reads a notification's form fields into a payment. The
// payment carries the order and transaction also with a moneyError, so
// it can be logged.
func (p *TipTop) decode(kind string, body []byte) (domain.Payment, error) {
	f, err := url.ParseQuery(string(body))
	if err != nil {
		return domain.Payment{}, fmt.Errorf("%w: the body is not form-urlencoded: %v", ErrMalformed, err)
	}
	pay := domain.Payment{OrderID: f.Get("InvoiceId"), Provider: NameTipTop}
	if pay.OrderID == "" || len(pay.OrderID) > 64 {
		return domain.Payment{}, fmt.Errorf("%w: InvoiceId must be 1 to 64 characters", ErrMalformed)
	}
	idField := "TransactionId"
	if kind == tipTopRefund {
		// A refund's own TransactionId is the refund's; the payment it
		// returns is PaymentTransactionId.
		idField = "PaymentTransactionId"
	}
	tx, err := strconv.ParseInt(f.Get(idField), 10, 64)
	if err != nil || tx <= 0 {
		return domain.Payment{}, fmt.Errorf("%w: %s must be a positive whole number", ErrMalformed, idField)
	}
	pay.ProviderRef = strconv.FormatInt(tx, 10)
	switch v := f.Get("TestMode"); v {
	case "1":
		pay.Test = true
	case "0", "":
	default:
		return domain.Payment{}, fmt.Errorf("%w: TestMode must be 1 or 0", ErrMalformed)
	}
	if v := f.Get("DateTime"); v != "" {
		if pay.At, err = time.Parse(tipTopTime, v); err != nil {
			return domain.Payment{}, fmt.Errorf("%w: DateTime must be like 2026-03-01 09:30:00", ErrMalformed)
		}
	}
	switch kind {
	case tipTopCheck, tipTopPay:
		pay.Status = domain.PaymentPaid
	case tipTopFail:
		pay.Status = domain.PaymentFailed
		pay.Reason = tipTopReason(f.Get("ReasonCode"))
	case tipTopRefund:
		pay.Status = domain.PaymentRefunded
	}
	currency := f.Get("Currency")
	if kind == tipTopRefund && currency == "" {
		// A refund names no currency: it returns the payment's.
		currency = p.Currency
	}
	pay.Currency = currency
	pay.Amount, err = ParseAmount(f.Get("Amount"), currency, p.Currency)
	if err != nil {
		return pay, &moneyError{fmt.Errorf("%w: %v", ErrMalformed, err)}
	}
	return pay, nil
}

// tipTopReason is the plain reason of a Fail's ReasonCode; "" when it
// names none the participant can act on. The codes are CloudPayments'
// published ones; TipTop Pay is said to keep them.
func tipTopReason(code string) string {
	switch code {
	case "5051":
		return flows.ReasonInsufficientFunds
	case "5054":
		return flows.ReasonExpiredCard
	case "5206", "5207":
		return flows.ReasonAuthentication
	case "5001", "5003", "5004", "5005", "5007", "5012", "5014", "5041", "5043", "5057", "5062", "5065":
		return flows.ReasonDeclined
	}
	return ""
}
