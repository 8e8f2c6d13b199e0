package payments

// Freedom Pay (formerly PayBox.money): the protocol of its form API as
// ../shared/PAYMENTS.md and the provider's pages at
// freedompay.kz/docs-en/merchant-api describe it. Requests are form
// posts, answers are XML, and both directions are signed with pg_sig:
// the MD5 of the called script's name, the values of every other field
// sorted by name, and the secret key, joined with ";".

import (
	"bytes"
	"cmp"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FreedomPay protocol constants.
const (
	// FreedomPayAPI is the default API base; the provider's test host
	// is https://test-api.freedompay.kz.
	FreedomPayAPI = "https://api.freedompay.kz"
	// FreedomPayResultPath is where the bot takes result callbacks; its
	// last segment, "result", is the script name their pg_sig is made
	// with.
	FreedomPayResultPath = "/payments/freedompay/result"
	// FreedomPayMinLifetime and FreedomPayMaxLifetime bound pg_lifetime.
	FreedomPayMinLifetime = 300 * time.Second
	FreedomPayMaxLifetime = 604800 * time.Second
)

// Replies to a result callback (pg_status of the answer).
const (
	FreedomPayOK       = "ok"
	FreedomPayRejected = "rejected"
	FreedomPayError    = "error"
)

// FreedomPayField is one field of a signed message. An XML element with
// elements inside has Children and no Value.
type FreedomPayField struct {
	Name     string
	Value    string
	Children []FreedomPayField
}

// FreedomPaySign is the pg_sig of a message to or from the script
// called script: the MD5, as 32 lower-case hex characters, of the script
// name, the values of the fields sorted by name (pg_sig left out; fields
// of the same name in the order they came; nested fields flattened the
// same way), and the secret, joined with ";".
func FreedomPaySign(script string, fields []FreedomPayField, secret string) string {
	parts := []string{script}
	parts = appendSigValues(parts, fields, true)
	parts = append(parts, secret)
	sum := md5.Sum([]byte(strings.Join(parts, ";")))
	return hex.EncodeToString(sum[:])
}

func appendSigValues(parts []string, fields []FreedomPayField, top bool) []string {
	sorted := slices.Clone(fields)
	slices.SortStableFunc(sorted, func(a, b FreedomPayField) int { return strings.Compare(a.Name, b.Name) })
	for _, f := range sorted {
		switch {
		case top && f.Name == "pg_sig":
		case f.Children != nil:
			parts = appendSigValues(parts, f.Children, false)
		default:
			parts = append(parts, f.Value)
		}
	}
	return parts
}

// FreedomPayFormFields are the fields of a form in the order
// FreedomPaySign needs them: names sorted, values of one name in order.
func FreedomPayFormFields(form url.Values) []FreedomPayField {
	var fields []FreedomPayField
	for _, name := range slices.Sorted(maps.Keys(form)) {
		for _, v := range form[name] {
			fields = append(fields, FreedomPayField{Name: name, Value: v})
		}
	}
	return fields
}

// freedomPaySigOK checks got against the signature of fields in constant
// time.
func freedomPaySigOK(script string, fields []FreedomPayField, secret, got string) bool {
	want := FreedomPaySign(script, fields, secret)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// freedomPayScript is the script name of a URL: its last path segment.
func freedomPayScript(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Path == "" || strings.HasSuffix(u.Path, "/") {
		return ""
	}
	return path.Base(u.Path)
}

// FreedomPayParseXML reads an answer of the API: the elements inside its
// root element, in order.
func FreedomPayParseXML(body []byte) ([]FreedomPayField, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("read the XML answer: %w", err)
		}
		if start, ok := tok.(xml.StartElement); ok {
			f, err := readXMLField(dec, start)
			if err != nil {
				return nil, err
			}
			if f.Children == nil {
				return nil, errors.New("read the XML answer: the root element holds no fields")
			}
			return f.Children, nil
		}
	}
}

// readXMLField reads the element start has opened, up to its end.
func readXMLField(dec *xml.Decoder, start xml.StartElement) (FreedomPayField, error) {
	f := FreedomPayField{Name: start.Name.Local}
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return f, fmt.Errorf("read the XML answer: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			c, err := readXMLField(dec, t)
			if err != nil {
				return f, err
			}
			f.Children = append(f.Children, c)
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if f.Children == nil {
				f.Value = text.String()
			}
			return f, nil
		}
	}
}

// xmlValue is the value of the first top-level field called name.
func xmlValue(fields []FreedomPayField, name string) string {
	for _, f := range fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// FreedomPayXML is a signed XML message: <response> with the fields, a
// fresh pg_salt and the pg_sig for script.
func FreedomPayXML(script string, fields []FreedomPayField, secret string) []byte {
	fields = append(slices.Clone(fields), FreedomPayField{Name: "pg_salt", Value: freedomPaySalt()})
	fields = append(fields, FreedomPayField{Name: "pg_sig", Value: FreedomPaySign(script, fields, secret)})
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n<response>")
	writeXMLFields(&b, fields)
	b.WriteString("</response>\n")
	return b.Bytes()
}

func writeXMLFields(b *bytes.Buffer, fields []FreedomPayField) {
	for _, f := range fields {
		b.WriteString("<" + f.Name + ">")
		if f.Children != nil {
			writeXMLFields(b, f.Children)
		} else {
			xml.EscapeText(b, []byte(f.Value))
		}
		b.WriteString("</" + f.Name + ">")
	}
}

// freedomPaySalt is a random pg_salt: 26 digits and Latin letters.
func freedomPaySalt() string { return rand.Text() }

// FreedomPayAPIError is an answer with pg_status "error": what the
// provider said, for an organizer's eyes.
type FreedomPayAPIError struct {
	Script, Code, Description string
}

func (e *FreedomPayAPIError) Error() string {
	return fmt.Sprintf("freedom pay %s: error %s: %s", e.Script, e.Code, e.Description)
}

// FreedomPay is a client of the Freedom Pay API for one merchant.
type FreedomPay struct {
	MerchantID string
	// SecretKey is the merchant's payment secret key; it signs every
	// message and is never logged.
	SecretKey string
	// APIURL is the API base, FreedomPayAPI when empty.
	APIURL string
	// Testing sends pg_testing_mode=1 (FREEDOMPAY_TESTING=1).
	Testing bool
	// ResultURL is where Freedom Pay posts results:
	// PUBLIC_URL + FreedomPayResultPath.
	ResultURL string
	// Currency is the event's currency: a result in another one is
	// refused.
	Currency string
	// Client makes the calls; nil means one with a 20 s timeout.
	Client *http.Client
	// Now is the clock pg_lifetime is counted on; nil means time.Now.
	Now func() time.Time
}

// FreedomPayInit is what a payment link is made from.
type FreedomPayInit struct {
	OrderID string
	// Amount is in whole units of Currency (tenge).
	Amount int
	// Currency is pg_currency; KZT when empty.
	Currency    string
	Description string
	// Lang is the participant's language: kk, ru or en.
	Lang  string
	Phone string
	// Lifetime is the time left on the hold; pg_lifetime is it in
	// seconds, clamped to 300–604800. Zero leaves pg_lifetime out.
	Lifetime time.Duration
}

// FreedomPayLink is the answer of init_payment.php.
type FreedomPayLink struct {
	// PaymentID is pg_payment_id, the provider's id of the payment: what
	// get_status3.php asks about.
	PaymentID string
	// RedirectURL is pg_redirect_url, the page the participant pays on.
	RedirectURL string
}

// freedomPayLang is pg_language of a language of ours.
func freedomPayLang(lang string) string {
	switch lang {
	case "kk":
		return "kz"
	case "en":
		return "en"
	}
	return "ru"
}

// FreedomPayLifetime is pg_lifetime for the time left on a hold: whole
// seconds, rounded up, clamped to 300–604800.
func FreedomPayLifetime(left time.Duration) int {
	s := int((left + time.Second - 1) / time.Second)
	return min(max(s, int(FreedomPayMinLifetime/time.Second)), int(FreedomPayMaxLifetime/time.Second))
}

// freedomPayPhone is pg_user_phone: the digits of a phone, country code
// first (77011234567).
func freedomPayPhone(phone string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
}

// InitPayment calls init_payment.php and returns the link of the
// payment, after checking the answer's signature. An answer with
// pg_status "error" is a *FreedomPayAPIError.
func (f *FreedomPay) InitPayment(ctx context.Context, in FreedomPayInit) (FreedomPayLink, error) {
	form := url.Values{
		"pg_merchant_id":    {f.MerchantID},
		"pg_amount":         {strconv.Itoa(in.Amount)},
		"pg_description":    {in.Description},
		"pg_order_id":       {in.OrderID},
		"pg_currency":       {cmp.Or(in.Currency, "KZT")},
		"pg_language":       {freedomPayLang(in.Lang)},
		"pg_result_url":     {f.ResultURL},
		"pg_request_method": {http.MethodPost},
	}
	if in.Lifetime != 0 {
		form.Set("pg_lifetime", strconv.Itoa(FreedomPayLifetime(in.Lifetime)))
	}
	if f.Testing {
		form.Set("pg_testing_mode", "1")
	}
	if p := freedomPayPhone(in.Phone); p != "" {
		form.Set("pg_user_phone", p)
	}
	fields, err := f.call(ctx, "init_payment.php", form)
	if err != nil {
		return FreedomPayLink{}, err
	}
	link := FreedomPayLink{PaymentID: xmlValue(fields, "pg_payment_id"), RedirectURL: xmlValue(fields, "pg_redirect_url")}
	u, err := url.Parse(link.RedirectURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return FreedomPayLink{}, fmt.Errorf("freedom pay init_payment.php: pg_redirect_url %q is not a link", link.RedirectURL)
	}
	return link, nil
}

// FreedomPayStatus is the answer of get_status3.php.
type FreedomPayStatus struct {
	PaymentID, OrderID string
	// Amount is pg_amount as sent (a decimal such as 8990 or 8990.00).
	Amount, Currency string
	// PaymentStatus is pg_payment_status: "success" is paid, "error"
	// failed; anything else ("process", "waiting"...) not yet known.
	PaymentStatus string
	// Testing is pg_testing_mode=1, when the answer has it.
	Testing bool
}

// Paid says whether the payment went through.
func (s FreedomPayStatus) Paid() bool { return s.PaymentStatus == "success" }

// Status calls get_status3.php about the payment paymentID of order
// orderID and checks the answer's signature.
func (f *FreedomPay) Status(ctx context.Context, paymentID, orderID string) (FreedomPayStatus, error) {
	form := url.Values{"pg_merchant_id": {f.MerchantID}, "pg_payment_id": {paymentID}}
	if orderID != "" {
		form.Set("pg_order_id", orderID)
	}
	fields, err := f.call(ctx, "get_status3.php", form)
	if err != nil {
		return FreedomPayStatus{}, err
	}
	return FreedomPayStatus{
		PaymentID:     xmlValue(fields, "pg_payment_id"),
		OrderID:       xmlValue(fields, "pg_order_id"),
		Amount:        xmlValue(fields, "pg_amount"),
		Currency:      xmlValue(fields, "pg_currency"),
		PaymentStatus: xmlValue(fields, "pg_payment_status"),
		Testing:       xmlValue(fields, "pg_testing_mode") == "1",
	}, nil
}

// freedomPayMaxAnswer is the largest API answer read.
const freedomPayMaxAnswer = 64 << 10

// call posts form, salted and signed, to script and returns the fields
// of its XML answer once their signature is checked.
func (f *FreedomPay) call(ctx context.Context, script string, form url.Values) ([]FreedomPayField, error) {
	form.Set("pg_salt", freedomPaySalt())
	form.Set("pg_sig", FreedomPaySign(script, FreedomPayFormFields(form), f.SecretKey))
	base := f.APIURL
	if base == "" {
		base = FreedomPayAPI
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(base, "/")+"/"+script, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("freedom pay %s: %w", script, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := f.Client
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("freedom pay %s: %w", script, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, freedomPayMaxAnswer))
	if err != nil {
		return nil, fmt.Errorf("freedom pay %s: read the answer: %w", script, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("freedom pay %s: HTTP %d", script, resp.StatusCode)
	}
	fields, err := FreedomPayParseXML(body)
	if err != nil {
		return nil, fmt.Errorf("freedom pay %s: %w", script, err)
	}
	// An error answer may come unsigned (when the provider does not
	// know the merchant); it is a failure either way.
	if xmlValue(fields, "pg_status") == "error" {
		return nil, &FreedomPayAPIError{Script: script, Code: xmlValue(fields, "pg_error_code"), Description: xmlValue(fields, "pg_error_description")}
	}
	if !freedomPaySigOK(script, fields, f.SecretKey, xmlValue(fields, "pg_sig")) {
		return nil, fmt.Errorf("freedom pay %s: %w on the answer", script, ErrSignature)
	}
	if s := xmlValue(fields, "pg_status"); s != "ok" {
		return nil, fmt.Errorf("freedom pay %s: pg_status %q", script, s)
	}
	return fields, nil
}

// FreedomPayResult is a result callback.
type FreedomPayResult struct {
	OrderID, PaymentID string
	// Amount is pg_amount as sent (8990 or 8990.00).
	Amount string
	// Currency is pg_currency; KZT when the callback leaves it out (the
	// only currency allowed in Kazakhstan).
	Currency string
	// Paid is pg_result=1; anything else is a failed payment.
	Paid bool
	// CanReject is pg_can_reject=1: a "rejected" reply sends the money
	// back.
	CanReject bool
	// Testing is pg_testing_mode=1.
	Testing bool
	// PaymentDate is pg_payment_date as sent.
	PaymentDate string
	// Failure is pg_failure_description of a failed payment.
	Failure string
}

// ParseResult checks and reads a result callback: its body, form
// urlencoded or multipart as contentType says. Its pg_sig is made with
// the script name of ResultURL. It returns ErrSignature when the
// signature is missing or wrong, and an error wrapping ErrMalformed when
// the body is not a result.
func (f *FreedomPay) ParseResult(contentType string, body []byte) (FreedomPayResult, error) {
	form, err := freedomPayParseForm(contentType, body)
	if err != nil {
		return FreedomPayResult{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if !freedomPaySigOK(freedomPayScript(f.ResultURL), FreedomPayFormFields(form), f.SecretKey, form.Get("pg_sig")) {
		return FreedomPayResult{}, ErrSignature
	}
	r := FreedomPayResult{
		OrderID:     form.Get("pg_order_id"),
		PaymentID:   form.Get("pg_payment_id"),
		Amount:      form.Get("pg_amount"),
		Currency:    form.Get("pg_currency"),
		Paid:        form.Get("pg_result") == "1",
		CanReject:   form.Get("pg_can_reject") == "1",
		Testing:     form.Get("pg_testing_mode") == "1",
		PaymentDate: form.Get("pg_payment_date"),
		Failure:     form.Get("pg_failure_description"),
	}
	if r.Currency == "" {
		r.Currency = "KZT"
	}
	switch {
	case r.OrderID == "" || len(r.OrderID) > 50:
		return FreedomPayResult{}, fmt.Errorf("%w: pg_order_id must be 1 to 50 characters", ErrMalformed)
	case r.PaymentID == "" || len(r.PaymentID) > 64:
		return FreedomPayResult{}, fmt.Errorf("%w: pg_payment_id must be 1 to 64 characters", ErrMalformed)
	case r.Amount == "":
		return FreedomPayResult{}, fmt.Errorf("%w: pg_amount is missing", ErrMalformed)
	case form.Get("pg_result") == "":
		return FreedomPayResult{}, fmt.Errorf("%w: pg_result is missing", ErrMalformed)
	}
	return r, nil
}

// freedomPayParseForm reads a form body, urlencoded or multipart as
// contentType says. A field given twice is refused: no Freedom Pay
// message has one.
func freedomPayParseForm(contentType string, body []byte) (url.Values, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = "application/x-www-form-urlencoded"
	}
	var form url.Values
	switch mt {
	case "application/x-www-form-urlencoded":
		form, err = url.ParseQuery(string(body))
		if err != nil {
			return nil, fmt.Errorf("the form: %w", err)
		}
	case "multipart/form-data":
		mf, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(int64(len(body)) + 1)
		if err != nil {
			return nil, fmt.Errorf("the form: %w", err)
		}
		defer mf.RemoveAll()
		if len(mf.File) > 0 {
			return nil, errors.New("the form: a file where fields were expected")
		}
		form = mf.Value
	default:
		return nil, fmt.Errorf("the form: content type %q", mt)
	}
	for k, v := range form {
		if len(v) > 1 {
			return nil, fmt.Errorf("the form: %s given %d times", k, len(v))
		}
	}
	return form, nil
}

// ResultReply is the signed XML answer to a result callback: status is
// FreedomPayOK, FreedomPayRejected (only when the callback had
// pg_can_reject=1; description is then shown to the payer as the
// reason) or FreedomPayError.
func (f *FreedomPay) ResultReply(status, description string) []byte {
	return FreedomPayXML(freedomPayScript(f.ResultURL), []FreedomPayField{
		{Name: "pg_status", Value: status},
		{Name: "pg_description", Value: description},
	}, f.SecretKey)
}
