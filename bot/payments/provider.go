// Package payments connects the bot to payment providers: the link a
// participant pays through, the signed webhook where a provider tells the
// bot an order was paid, failed or refunded, and a test checkout served
// by the bot itself so the whole journey runs on one machine.
//
// A provider is one type implementing Provider. A real one (Kaspi Pay,
// Halyk ePay, CloudPayments...) is added in one file: its Link builds the
// URL of its hosted page, its Notification checks its signature and
// decodes its webhook body into a flows.Payment.
package payments

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/runforautism/rfabot/flows"
)

// Provider is one payment service.
type Provider interface {
	// Link is the URL where the participant pays order o, in lang.
	Link(o flows.Order, lang string) (string, error)
	// Notification checks a webhook call's signature and decodes its
	// body. It returns ErrSignature when the signature is missing or
	// wrong, and an error wrapping ErrMalformed when the body is not a
	// notification.
	Notification(h http.Header, body []byte) (flows.Payment, error)
}

var (
	// ErrSignature: the notification is not signed with our secret.
	ErrSignature = errors.New("bad or missing signature")
	// ErrMalformed: the body is not a valid notification.
	ErrMalformed = errors.New("malformed notification")
)

// Provider names for PAYMENT_PROVIDER.
const (
	NameTest    = "test"
	NameGeneric = "generic"
)

// New returns the provider called name: "test" (also for an empty name)
// links to the bot's own checkout at baseURL; "generic" fills in the
// event file's link template. secret signs links and notifications;
// the test provider makes a random one when it is empty.
func New(name, template string, secret []byte, baseURL string) (Provider, error) {
	switch name {
	case "", NameTest:
		if len(secret) == 0 {
			secret = make([]byte, 32)
			rand.Read(secret)
		}
		u, err := url.Parse(baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("PUBLIC_URL: must be an http(s) URL like http://127.0.0.1:8080, got %q", baseURL)
		}
		return &Test{BaseURL: strings.TrimSuffix(baseURL, "/"), Secret: secret}, nil
	case NameGeneric:
		if len(secret) == 0 {
			return nil, errors.New("PAYMENT_SECRET: must be set for the generic provider")
		}
		if template == "" {
			return nil, errors.New("payment.link_template in the event file: must be set for the generic provider")
		}
		return &Generic{Template: template, Secret: secret}, nil
	}
	return nil, fmt.Errorf("PAYMENT_PROVIDER: unknown provider %q (known: test, generic)", name)
}

// linkLabel is the HKDF label of the key that signs payment links.
const linkLabel = "rfabot payment link v1"

// LinkKey is the key that signs payment links: HKDF-SHA256 of
// PAYMENT_SECRET with no salt and the label "rfabot payment link v1",
// 32 bytes. Webhooks are signed with PAYMENT_SECRET itself, so a link's
// signature never passes as a webhook's.
func LinkKey(secret []byte) []byte {
	k, err := hkdf.Key(sha256.New, secret, nil, linkLabel, 32)
	if err != nil {
		// Only a key length over 255×32 bytes fails.
		panic(err)
	}
	return k
}

// Sign is the hex HMAC-SHA256 of msg with secret.
func Sign(secret, msg []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil))
}

// SignatureHeader carries the signature of a notification's raw body.
const SignatureHeader = "X-Signature"

// notification is the webhook body of the standard contract.
type notification struct {
	OrderID     string `json:"order_id"`
	Amount      int    `json:"amount"`
	Currency    string `json:"currency"`
	Status      string `json:"status"`
	ProviderRef string `json:"provider_ref"`
}

// Encode is the standard notification body of p and its signature: what
// a provider sends.
func Encode(secret []byte, p flows.Payment) (body []byte, signature string) {
	body, _ = json.Marshal(notification{OrderID: p.OrderID, Amount: p.Amount, Currency: p.Currency, Status: p.Status, ProviderRef: p.ProviderRef})
	return body, Sign(secret, body)
}

// decodeStandard checks and decodes the standard contract: a JSON body
// signed in X-Signature.
func decodeStandard(secret []byte, h http.Header, body []byte) (flows.Payment, error) {
	got, err := hex.DecodeString(strings.TrimSpace(h.Get(SignatureHeader)))
	want, _ := hex.DecodeString(Sign(secret, body))
	if err != nil || !hmac.Equal(got, want) {
		return flows.Payment{}, ErrSignature
	}
	var n notification
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&n); err != nil {
		return flows.Payment{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return flows.Payment{}, fmt.Errorf("%w: data after the JSON object", ErrMalformed)
	}
	switch {
	case n.OrderID == "" || len(n.OrderID) > 64:
		return flows.Payment{}, fmt.Errorf("%w: order_id must be 1 to 64 characters", ErrMalformed)
	case n.Amount <= 0:
		return flows.Payment{}, fmt.Errorf("%w: amount must be a whole number > 0", ErrMalformed)
	case len(n.Currency) != 3 || strings.ToUpper(n.Currency) != n.Currency:
		return flows.Payment{}, fmt.Errorf("%w: currency must be a code like KZT", ErrMalformed)
	case n.Status != flows.PaymentPaid && n.Status != flows.PaymentFailed && n.Status != flows.PaymentRefunded:
		return flows.Payment{}, fmt.Errorf("%w: status must be paid, failed or refunded", ErrMalformed)
	case len(n.ProviderRef) > 256:
		return flows.Payment{}, fmt.Errorf("%w: provider_ref is longer than 256 characters", ErrMalformed)
	}
	return flows.Payment{OrderID: n.OrderID, Amount: n.Amount, Currency: n.Currency, Status: n.Status, ProviderRef: n.ProviderRef}, nil
}

// Generic is a provider whose hosted page takes the order in its URL: the
// event file's link_template with {order}, {amount}, {currency}, {lang}
// and {sig} (hex HMAC-SHA256 of "order|amount|currency"), and which calls
// the standard webhook.
type Generic struct {
	Template string
	Secret   []byte
}

// Link fills in the template.
func (g *Generic) Link(o flows.Order, lang string) (string, error) {
	amount := strconv.Itoa(o.Amount)
	sig := Sign(LinkKey(g.Secret), []byte(o.ID+"|"+amount+"|"+o.Currency))
	return strings.NewReplacer(
		"{order}", url.QueryEscape(o.ID),
		"{amount}", amount,
		"{currency}", url.QueryEscape(o.Currency),
		"{lang}", url.QueryEscape(lang),
		"{sig}", sig,
	).Replace(g.Template), nil
}

// Notification reads the standard webhook.
func (g *Generic) Notification(h http.Header, body []byte) (flows.Payment, error) {
	return decodeStandard(g.Secret, h, body)
}

// Test is the bot's own checkout: links point at
// /pay/test/{order}?sig=... on the bot's HTTP server, whose Pay and Fail
// buttons call the standard webhook as a provider would. The page opens
// only with the link's signature (LinkSignature), so an order id alone
// is not enough.
type Test struct {
	BaseURL string
	Secret  []byte
}

// Link points at the test checkout page of o.
func (p *Test) Link(o flows.Order, _ string) (string, error) {
	return p.BaseURL + "/pay/test/" + url.PathEscape(o.ID) + "?sig=" + p.LinkSignature(o.ID), nil
}

// LinkSignature is the sig of the test checkout link of an order: hex
// HMAC-SHA256 of "test-checkout|" and the order id with LinkKey.
func (p *Test) LinkSignature(orderID string) string {
	return Sign(LinkKey(p.Secret), []byte("test-checkout|"+orderID))
}

// linkOK checks a test checkout link's signature in constant time.
func (p *Test) linkOK(orderID, sig string) bool {
	got, err := hex.DecodeString(sig)
	want, _ := hex.DecodeString(p.LinkSignature(orderID))
	return err == nil && hmac.Equal(got, want)
}

// Notification reads the standard webhook.
func (p *Test) Notification(h http.Header, body []byte) (flows.Payment, error) {
	return decodeStandard(p.Secret, h, body)
}
