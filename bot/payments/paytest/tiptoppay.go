// Package paytest holds fake payment providers that speak the real
// protocols (../shared/PAYMENTS.md), for the tests of bot/payments and of
// main: their APIs on a real port, their notifications posted to the bot
// as the provider posts them.
package paytest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/runforautism/rfabot/bot/payments"
)

// TipTop is a fake TipTop Pay API: POST /orders/create and POST
// /payments/find with HTTP Basic auth, answering the documented JSON,
// and a hosted payment page per order whose payment the test drives
// (Pay, PayLost, Decline), posting the signed form-urlencoded Check,
// Pay and Fail notifications to the bot at NotifyURL.
type TipTop struct {
	PublicID, Secret string
	// NotifyURL is the bot's base URL (PUBLIC_URL): notifications go to
	// NotifyURL/payments/tiptoppay/{check,pay,fail,refund}.
	NotifyURL string
	// FailCreates makes the next n calls of /orders/create answer
	// Success:false.
	FailCreates int

	srv *httptest.Server
	mu  sync.Mutex
	// orders by InvoiceId, in the order they were created.
	orders  map[string]*Order
	created []string
	nextTx  int64
	changed chan struct{}
}

// Order is an order the bot created, as the fake keeps it.
type Order struct {
	ID, InvoiceID, AccountID, Description, Phone, CultureName, Currency, URL string
	Amount                                                                   json.Number
	// Paid is the payment's TransactionId once it went through.
	Paid int64
}

// NewTipTop starts a fake TipTop Pay API; Close stops it.
func NewTipTop(publicID, secret string) *TipTop {
	f := &TipTop{PublicID: publicID, Secret: secret, orders: map[string]*Order{}, nextTx: 1000, changed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders/create", f.create)
	mux.HandleFunc("POST /payments/find", f.find)
	mux.HandleFunc("GET /pay/{id}", f.page)
	f.srv = httptest.NewServer(mux)
	return f
}

// URL is the API's base URL, for TIPTOPPAY_API_URL.
func (f *TipTop) URL() string { return f.srv.URL }

// Close stops the fake.
func (f *TipTop) Close() { f.srv.Close() }

// Orders lists the orders created so far, oldest first.
func (f *TipTop) Orders() []Order {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Order
	for _, id := range f.created {
		out = append(out, *f.orders[id])
	}
	return out
}

// WaitOrder waits up to 20 seconds for the order with invoiceID.
func (f *TipTop) WaitOrder(invoiceID string) (Order, error) {
	deadline := time.After(20 * time.Second)
	for {
		f.mu.Lock()
		o, ok := f.orders[invoiceID]
		ch := f.changed
		f.mu.Unlock()
		if ok {
			return *o, nil
		}
		select {
		case <-ch:
		case <-deadline:
			return Order{}, fmt.Errorf("no order %s created within 20 s", invoiceID)
		}
	}
}

// answer writes the API's answer: {"Success", "Message", "Model"}.
func answer(w http.ResponseWriter, ok bool, msg string, model any) {
	w.Header().Set("Content-Type", "application/json")
	var m *string
	if msg != "" {
		m = &msg
	}
	json.NewEncoder(w).Encode(map[string]any{"Success": ok, "Message": m, "Model": model})
}

// authorized checks the Basic auth of an API call: the Public ID and
// the API secret.
func (f *TipTop) authorized(w http.ResponseWriter, r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok || user != f.PublicID || pass != f.Secret {
		w.WriteHeader(http.StatusUnauthorized)
		return false
	}
	return true
}

func (f *TipTop) create(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r) {
		return
	}
	var req struct {
		Amount      json.Number
		Currency    string
		Description string
		InvoiceID   string `json:"InvoiceId"`
		AccountID   string `json:"AccountId"`
		Phone       string
		CultureName string
	}
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		answer(w, false, "Invalid JSON: "+err.Error(), nil)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.FailCreates > 0 {
		f.FailCreates--
		answer(w, false, "Service temporarily unavailable", nil)
		return
	}
	if req.Amount == "" || req.Description == "" {
		answer(w, false, "Amount and Description are required", nil)
		return
	}
	id := randomID()
	o := &Order{ID: id, InvoiceID: req.InvoiceID, AccountID: req.AccountID, Description: req.Description, Phone: req.Phone,
		CultureName: req.CultureName, Currency: req.Currency, Amount: req.Amount, URL: f.srv.URL + "/pay/" + id}
	if _, dup := f.orders[req.InvoiceID]; !dup {
		f.created = append(f.created, req.InvoiceID)
	}
	f.orders[req.InvoiceID] = o
	close(f.changed)
	f.changed = make(chan struct{})
	answer(w, true, "", map[string]any{"Id": o.ID, "Number": len(f.created), "Amount": o.Amount, "Currency": o.Currency,
		"Description": o.Description, "Url": o.URL, "CultureName": o.CultureName, "Status": "Created", "StatusCode": 0})
}

func (f *TipTop) find(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r) {
		return
	}
	var req struct {
		InvoiceID string `json:"InvoiceId"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		answer(w, false, "Invalid JSON", nil)
		return
	}
	f.mu.Lock()
	o, ok := f.orders[req.InvoiceID]
	f.mu.Unlock()
	if !ok || o.Paid == 0 {
		answer(w, false, "Not found", nil)
		return
	}
	answer(w, true, "", map[string]any{"TransactionId": o.Paid, "Amount": o.Amount, "Currency": o.Currency,
		"InvoiceId": o.InvoiceID, "AccountId": o.AccountID, "Status": "Completed", "StatusCode": 3, "TestMode": true,
		"CardFirstSix": "411111", "CardLastFour": "1111", "CardType": "Visa"})
}

func (f *TipTop) page(w http.ResponseWriter, r *http.Request) {
	o, ok := f.byLink(f.srv.URL + "/pay/" + r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	fmt.Fprintf(w, "<!doctype html><title>TipTop Pay</title><p>%s: %s %s</p>", o.Description, o.Amount, o.Currency)
}

// byLink finds the order of a payment page.
func (f *TipTop) byLink(link string) (*Order, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, o := range f.orders {
		if o.URL == link {
			return o, true
		}
	}
	return nil, false
}

// Result is what the bot answered the notifications of one payment.
type Result struct {
	// CheckCode is the Check's {"code"}: anything but 0 refused the
	// payment, and the card was not charged.
	CheckCode int
	// Status and Body are the HTTP answer to the last notification.
	Status int
	Body   string
	// TransactionID is the payment's, when it was charged.
	TransactionID int64
}

// Pay pays the order of a payment page as a participant would: Check,
// then, when the bot accepts, the card is charged and Pay posted.
func (f *TipTop) Pay(link string) (Result, error) { return f.pay(link, true) }

// PayLost pays like Pay, but the Pay notification is lost: only
// /payments/find knows the order was paid.
func (f *TipTop) PayLost(link string) (Result, error) { return f.pay(link, false) }

func (f *TipTop) pay(link string, notify bool) (Result, error) {
	o, tx, fields, err := f.payment(link)
	if err != nil {
		return Result{}, err
	}
	res, err := f.Notify("check", fields)
	if err != nil || res.Status != http.StatusOK {
		return res, err
	}
	var code struct{ Code *int }
	if err := json.Unmarshal([]byte(res.Body), &code); err != nil || code.Code == nil {
		return res, fmt.Errorf("check answer %q is not {\"code\":N}", res.Body)
	}
	res.CheckCode = *code.Code
	if res.CheckCode != 0 {
		return res, nil
	}
	f.mu.Lock()
	o.Paid = tx
	f.mu.Unlock()
	res.TransactionID = tx
	if !notify {
		return res, nil
	}
	pay, err := f.Notify("pay", fields)
	pay.CheckCode, pay.TransactionID = res.CheckCode, tx
	return pay, err
}

// Decline fails a payment of the order of a payment page with a
// ReasonCode (5051: insufficient funds) and posts Fail.
func (f *TipTop) Decline(link string, reasonCode int) (Result, error) {
	_, _, fields, err := f.payment(link)
	if err != nil {
		return Result{}, err
	}
	fields = append(fields, [2]string{"Reason", "InsufficientFunds"}, [2]string{"ReasonCode", strconv.Itoa(reasonCode)})
	return f.Notify("fail", fields)
}

// Fields are the fields of a payment of the order of a payment page,
// by a new transaction: for a test that sends a notification of its
// own (a changed amount, a repeat).
func (f *TipTop) Fields(link string) (Form, error) {
	_, _, fields, err := f.payment(link)
	return fields, err
}

// payment starts a payment of the order of a payment page: the order, a
// new transaction id and the notification's fields.
func (f *TipTop) payment(link string) (*Order, int64, Form, error) {
	o, ok := f.byLink(link)
	if !ok {
		return nil, 0, nil, fmt.Errorf("no payment page %s", link)
	}
	f.mu.Lock()
	f.nextTx++
	tx := f.nextTx
	f.mu.Unlock()
	return o, tx, f.fields(*o, tx), nil
}

// Charged reports whether the order of a payment page was paid.
func (f *TipTop) Charged(link string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, o := range f.orders {
		if o.URL == link {
			return o.Paid != 0
		}
	}
	return false
}

// Set is the form with field name set to value.
func (fm Form) Set(name, value string) Form {
	out := make(Form, 0, len(fm))
	for _, kv := range fm {
		if kv[0] == name {
			kv[1] = value
		}
		out = append(out, kv)
	}
	return out
}

// Form is form fields in the order they are sent.
type Form [][2]string

// fields are the fields of a Check, Pay or Fail of o by transaction tx.
func (f *TipTop) fields(o Order, tx int64) Form {
	amount := string(o.Amount)
	if !strings.Contains(amount, ".") {
		amount += ".00"
	}
	return Form{
		{"TransactionId", strconv.FormatInt(tx, 10)}, {"Amount", amount}, {"Currency", o.Currency},
		{"PaymentAmount", amount}, {"PaymentCurrency", o.Currency}, {"InvoiceId", o.InvoiceID},
		{"AccountId", o.AccountID}, {"DateTime", time.Now().UTC().Format("2006-01-02 15:04:05")},
		{"CardFirstSix", "411111"}, {"CardLastFour", "1111"}, {"CardType", "Visa"},
		{"Description", o.Description}, {"TestMode", "1"}, {"Status", "Completed"}, {"OperationType", "Payment"},
	}
}

// Notify posts a notification of kind (check, pay, fail, refund) with
// fields to the bot, form-urlencoded with lower-case escapes and signed
// in Content-HMAC, as TipTop Pay does.
func (f *TipTop) Notify(kind string, fields Form) (Result, error) {
	body := Encode(fields)
	req, err := http.NewRequest(http.MethodPost, strings.TrimSuffix(f.NotifyURL, "/")+"/payments/tiptoppay/"+kind, strings.NewReader(body))
	if err != nil {
		return Result{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Content-HMAC", payments.TipTopSignature(f.Secret, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Result{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Result{Status: resp.StatusCode, Body: strings.TrimSpace(string(b))}, nil
}

// Encode is fields form-urlencoded as TipTop Pay writes them: spaces as
// "+", every other byte outside A-Z a-z 0-9 - _ . ~ as a lower-case
// percent escape (%d0%a1).
func Encode(fields Form) string {
	var b strings.Builder
	for i, kv := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		escape(&b, kv[0])
		b.WriteByte('=')
		escape(&b, kv[1])
	}
	return b.String()
}

func escape(b *strings.Builder, s string) {
	const hexDigits = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
}

func randomID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
