package paytest

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FreedomPay is a fake Freedom Pay form API for one merchant:
// init_payment.php and get_status3.php check pg_sig and answer signed
// XML as the provider documents them, and Pay posts signed result
// callbacks to the pg_result_url a payment was made with. Its signing
// code is its own, not the bot's, so the two check each other.
type FreedomPay struct {
	MerchantID, SecretKey string

	srv      *httptest.Server
	mu       sync.Mutex
	payments []*FreedomPayPayment
	// initFails is how many init_payment.php calls are still to
	// answer an error.
	initFails int
	calls     map[string]int
}

// FreedomPayPayment is one payment made through init_payment.php.
type FreedomPayPayment struct {
	ID string
	// Form is the init_payment.php request as received.
	Form url.Values
	// Status is pg_payment_status: "process" until Pay or MarkPaid,
	// then "success" or "error".
	Status string
}

// OrderID is the payment's pg_order_id.
func (p FreedomPayPayment) OrderID() string { return p.Form.Get("pg_order_id") }

// RedirectURL is the page of the payment the fake hands out.
func (f *FreedomPay) RedirectURL(p FreedomPayPayment) string {
	return f.srv.URL + "/pay.html?customer=" + p.ID
}

// NewFreedomPay starts a fake for merchantID and secretKey; Close stops
// it.
func NewFreedomPay(merchantID, secretKey string) *FreedomPay {
	f := &FreedomPay{MerchantID: merchantID, SecretKey: secretKey, calls: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /init_payment.php", f.initPayment)
	mux.HandleFunc("POST /get_status3.php", f.getStatus)
	mux.HandleFunc("GET /pay.html", f.page)
	f.srv = httptest.NewServer(mux)
	return f
}

// URL is the fake API's base: FREEDOMPAY_API_URL.
func (f *FreedomPay) URL() string { return f.srv.URL }

// Close stops the fake.
func (f *FreedomPay) Close() { f.srv.Close() }

// FailInits makes the next n init_payment.php calls answer an error.
func (f *FreedomPay) FailInits(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.initFails = n
}

// Calls is how many calls of script the fake has answered.
func (f *FreedomPay) Calls(script string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[script]
}

// Payments are the payments made so far, oldest first.
func (f *FreedomPay) Payments() []FreedomPayPayment {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []FreedomPayPayment
	for _, p := range f.payments {
		out = append(out, *p)
	}
	return out
}

// Payment is the latest payment of an order.
func (f *FreedomPay) Payment(orderID string) (FreedomPayPayment, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range slices.Backward(f.payments) {
		if p.OrderID() == orderID {
			return *p, true
		}
	}
	return FreedomPayPayment{}, false
}

// PaymentByURL is the payment whose page link is link.
func (f *FreedomPay) PaymentByURL(link string) (FreedomPayPayment, bool) {
	u, err := url.Parse(link)
	if err != nil {
		return FreedomPayPayment{}, false
	}
	return f.byID(u.Query().Get("customer"))
}

func (f *FreedomPay) byID(id string) (FreedomPayPayment, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.payments {
		if p.ID == id {
			return *p, true
		}
	}
	return FreedomPayPayment{}, false
}

// MarkPaid records the payment of an order as paid without telling the
// merchant: a lost result callback, which only get_status3.php reveals.
func (f *FreedomPay) MarkPaid(orderID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range slices.Backward(f.payments) {
		if p.OrderID() == orderID {
			p.Status = "success"
			return true
		}
	}
	return false
}

// FreedomPayReply is the merchant's answer to a result callback.
type FreedomPayReply struct {
	// HTTPStatus is the HTTP status of the answer.
	HTTPStatus int
	// Status and Description are pg_status and pg_description.
	Status, Description string
	// SigOK says whether the answer's pg_sig is right.
	SigOK bool
	Body  string
}

// FreedomPayResult says how a payment ends in Pay.
type FreedomPayResult struct {
	// Paid sends pg_result=1, else pg_result=0 with a failure reason.
	Paid bool
	// CanReject sends pg_can_reject=1.
	CanReject bool
}

// Pay ends the latest payment of an order as r says and posts the
// signed result callback to its pg_result_url, as Freedom Pay does
// after the payer has been on the payment page.
func (f *FreedomPay) Pay(ctx context.Context, orderID string, r FreedomPayResult) (FreedomPayReply, error) {
	p, ok := f.Payment(orderID)
	if !ok {
		return FreedomPayReply{}, fmt.Errorf("fake freedom pay: no payment of order %s", orderID)
	}
	status := "error"
	if r.Paid {
		status = "success"
	}
	f.mu.Lock()
	for _, q := range f.payments {
		if q.ID == p.ID {
			q.Status = status
		}
	}
	f.mu.Unlock()
	return f.PostResult(ctx, p.Form.Get("pg_result_url"), f.ResultForm(p, r), f.SecretKey)
}

// ResultForm is the result callback of payment p ended as r, without
// pg_salt and pg_sig.
func (f *FreedomPay) ResultForm(p FreedomPayPayment, r FreedomPayResult) url.Values {
	amount := p.Form.Get("pg_amount")
	if !strings.Contains(amount, ".") {
		amount += ".00"
	}
	form := url.Values{
		"pg_order_id":       {p.OrderID()},
		"pg_payment_id":     {p.ID},
		"pg_amount":         {amount},
		"pg_currency":       {p.Form.Get("pg_currency")},
		"pg_net_amount":     {amount},
		"pg_ps_amount":      {amount},
		"pg_ps_currency":    {p.Form.Get("pg_currency")},
		"pg_payment_system": {"EPAYWEBKZT"},
		"pg_description":    {p.Form.Get("pg_description")},
		"pg_result":         {"0"},
		"pg_payment_date":   {time.Now().UTC().Format("2006-01-02 15:04:05")},
		"pg_can_reject":     {"0"},
		"pg_user_phone":     {p.Form.Get("pg_user_phone")},
		"pg_testing_mode":   {"0"},
		"pg_captured":       {"0"},
		"pg_card_pan":       {"4405-64XX-XXXX-6150"},
	}
	if r.Paid {
		form.Set("pg_result", "1")
		form.Set("pg_captured", "1")
	} else {
		form.Set("pg_failure_code", "1")
		form.Set("pg_failure_description", "Insufficient funds")
	}
	if r.CanReject {
		form.Set("pg_can_reject", "1")
	}
	if p.Form.Get("pg_testing_mode") == "1" {
		form.Set("pg_testing_mode", "1")
	}
	return form
}

// PostResult signs form with secret and the script name of resultURL
// (its last path segment), posts it there form-urlencoded, and reads the
// answer. A test forges a callback by giving another secret.
func (f *FreedomPay) PostResult(ctx context.Context, resultURL string, form url.Values, secret string) (FreedomPayReply, error) {
	form = cloneForm(form)
	form.Set("pg_salt", freedomSalt())
	form.Set("pg_sig", FreedomSign(scriptOf(resultURL), form, secret))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, resultURL, strings.NewReader(form.Encode()))
	if err != nil {
		return FreedomPayReply{}, fmt.Errorf("fake freedom pay: result callback: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return FreedomPayReply{}, fmt.Errorf("fake freedom pay: result callback: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return FreedomPayReply{}, fmt.Errorf("fake freedom pay: result callback: %w", err)
	}
	reply := FreedomPayReply{HTTPStatus: resp.StatusCode, Body: string(body)}
	if fields, err := parseFlatXML(body); err == nil {
		reply.Status, reply.Description = fields.Get("pg_status"), fields.Get("pg_description")
		reply.SigOK = fields.Get("pg_sig") != "" && fields.Get("pg_sig") == FreedomSign(scriptOf(resultURL), fields, f.SecretKey)
	}
	return reply, nil
}

// initPayment answers init_payment.php.
func (f *FreedomPay) initPayment(w http.ResponseWriter, r *http.Request) {
	form, ok := f.request(w, r, "init_payment.php")
	if !ok {
		return
	}
	for _, k := range []string{"pg_amount", "pg_description"} {
		if form.Get(k) == "" {
			f.answerError(w, "init_payment.php", "1", k+" is required")
			return
		}
	}
	if a, err := strconv.ParseFloat(form.Get("pg_amount"), 64); err != nil || a < 0.01 {
		f.answerError(w, "init_payment.php", "1", "pg_amount must be a number of at least 0.01")
		return
	}
	if len(form.Get("pg_order_id")) > 50 {
		f.answerError(w, "init_payment.php", "1", "pg_order_id is longer than 50 characters")
		return
	}
	if l := form.Get("pg_lifetime"); l != "" {
		if n, err := strconv.Atoi(l); err != nil || n < 300 || n > 604800 {
			f.answerError(w, "init_payment.php", "1", "pg_lifetime must be 300 to 604800 seconds")
			return
		}
	}
	f.mu.Lock()
	if f.initFails > 0 {
		f.initFails--
		f.mu.Unlock()
		f.answerError(w, "init_payment.php", "1000", "internal error, try again")
		return
	}
	p := &FreedomPayPayment{ID: strconv.Itoa(4567788 + len(f.payments)), Form: form, Status: "process"}
	f.payments = append(f.payments, p)
	f.mu.Unlock()
	f.answer(w, "init_payment.php", [][2]string{
		{"pg_status", "ok"},
		{"pg_payment_id", p.ID},
		{"pg_redirect_url", f.RedirectURL(*p)},
		{"pg_redirect_url_type", "need data"},
	})
}

// getStatus answers get_status3.php.
func (f *FreedomPay) getStatus(w http.ResponseWriter, r *http.Request) {
	form, ok := f.request(w, r, "get_status3.php")
	if !ok {
		return
	}
	p, found := f.byID(form.Get("pg_payment_id"))
	if !found {
		f.answerError(w, "get_status3.php", "340", "payment not found")
		return
	}
	canReject := "0"
	if p.Status == "success" {
		canReject = "1"
	}
	f.answer(w, "get_status3.php", [][2]string{
		{"pg_status", "ok"},
		{"pg_payment_id", p.ID},
		{"pg_order_id", p.OrderID()},
		{"pg_can_reject", canReject},
		{"pg_payment_method", "bankcard"},
		{"pg_amount", p.Form.Get("pg_amount")},
		{"pg_currency", p.Form.Get("pg_currency")},
		{"pg_payment_status", p.Status},
		{"pg_card_pan", "5483-18XX-XXXX-0293"},
		{"pg_create_date", time.Now().UTC().Format("2006-01-02 15:04:05")},
	})
}

// page is the payment page a redirect URL opens.
func (f *FreedomPay) page(w http.ResponseWriter, r *http.Request) {
	p, ok := f.byID(r.URL.Query().Get("customer"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "Fake Freedom Pay: order %s, %s %s\n", p.OrderID(), p.Form.Get("pg_amount"), p.Form.Get("pg_currency"))
}

// request reads and checks a signed request to script; it answers the
// error itself.
func (f *FreedomPay) request(w http.ResponseWriter, r *http.Request, script string) (url.Values, bool) {
	f.mu.Lock()
	f.calls[script]++
	f.mu.Unlock()
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		f.answerError(w, script, "1", "cannot read the form")
		return nil, false
	}
	form := r.PostForm
	if form.Get("pg_merchant_id") != f.MerchantID {
		// The provider does not know the merchant, so cannot sign.
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		fmt.Fprint(w, `<?xml version="1.0" encoding="utf-8"?><response><pg_status>error</pg_status><pg_error_code>101</pg_error_code><pg_error_description>Unknown merchant</pg_error_description></response>`)
		return nil, false
	}
	if form.Get("pg_salt") == "" || form.Get("pg_sig") != FreedomSign(script, form, f.SecretKey) {
		f.answerError(w, script, "9998", "Incorrect signature")
		return nil, false
	}
	return cloneForm(form), true
}

func (f *FreedomPay) answerError(w http.ResponseWriter, script, code, description string) {
	f.answer(w, script, [][2]string{{"pg_status", "error"}, {"pg_error_code", code}, {"pg_error_description", description}})
}

// answer writes fields as a signed XML answer of script.
func (f *FreedomPay) answer(w http.ResponseWriter, script string, fields [][2]string) {
	fields = append(fields, [2]string{"pg_salt", freedomSalt()})
	vals := url.Values{}
	for _, kv := range fields {
		vals.Add(kv[0], kv[1])
	}
	fields = append(fields, [2]string{"pg_sig", FreedomSign(script, vals, f.SecretKey)})
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n<response>\n")
	for _, kv := range fields {
		b.WriteString("    <" + kv[0] + ">")
		xml.EscapeText(&b, []byte(kv[1]))
		b.WriteString("</" + kv[0] + ">\n")
	}
	b.WriteString("</response>\n")
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	w.Write(b.Bytes())
}

// FreedomSign is the fake's own pg_sig of a flat message: MD5 hex of
// the script name, the values sorted by field name (pg_sig left out),
// and the secret, joined with ";".
func FreedomSign(script string, form url.Values, secret string) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		if k != "pg_sig" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	parts := []string{script}
	for _, k := range keys {
		parts = append(parts, form[k]...)
	}
	parts = append(parts, secret)
	sum := md5.Sum([]byte(strings.Join(parts, ";")))
	return hex.EncodeToString(sum[:])
}

func scriptOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return path.Base(u.Path)
}

// freedomSalt is a random pg_salt of digits and Latin letters.
func freedomSalt() string { return rand.Text() }

// parseFlatXML reads a <response> of flat fields.
func parseFlatXML(body []byte) (url.Values, error) {
	var doc struct {
		Fields []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	vals := url.Values{}
	for _, f := range doc.Fields {
		vals.Add(f.XMLName.Local, f.Value)
	}
	return vals, nil
}

func cloneForm(form url.Values) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = slices.Clone(v)
	}
	return out
}
