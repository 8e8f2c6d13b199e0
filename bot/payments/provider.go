// Package payments connects the bot to payment providers: the link a
// participant pays through, the signed notifications where a provider
// tells the bot an order may be charged, was paid, failed or was
// refunded, the look-up of an order whose notification never came, and
// a test checkout served by the bot itself so the whole journey runs on
// one machine.
//
// A provider is one file: test (the bot's own checkout), custom (our own
// contract, for a provider the bot does not support yet), tiptoppay
// (TipTop Pay, the former CloudPayments Kazakhstan) and freedompay. A
// provider whose API makes the links is also a flows.LinkMaker, and one
// that can be asked about an order a flows.PaymentFinder.
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
	"time"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// Provider is one payment service.
type Provider interface {
	// Link is the URL where the participant pays order o, in lang, for
	// a provider whose links are computed; flows.ErrLinkByAPI for one
	// whose API makes them (a flows.LinkMaker).
	flows.PaymentLinks
	// Name is the provider's name, as PAYMENT_PROVIDER sets it.
	Name() string
	// Register mounts the provider's notification endpoints on mux;
	// they reach the domain through s (s.Flows, s.ReadBody,
	// s.BadSignature, s.Log).
	Register(mux *http.ServeMux, s *Server)
}

var (
	// ErrSignature: the notification is not signed with our secret.
	ErrSignature = errors.New("bad or missing signature")
	// ErrMalformed: the body is not a valid notification.
	ErrMalformed = errors.New("malformed notification")
)

// Provider names for PAYMENT_PROVIDER.
const (
	NameTest       = "test"
	NameCustom     = "custom"
	NameTipTop     = "tiptoppay"
	NameFreedomPay = "freedompay"
)

// Options are what New needs to make a provider.
type Options struct {
	// Secret is PAYMENT_SECRET: it signs the links and notifications of
	// the test and custom providers; the test provider makes a random
	// one when it is empty.
	Secret []byte
	// Template is payment.link_template of the event file, the custom
	// provider's hosted page.
	Template string
	// BaseURL is PUBLIC_URL: the test checkout is under it, and the
	// providers' callbacks come to it.
	BaseURL string
	// Currency is the event's currency: a notification in another one
	// is refused.
	Currency string
	TipTop   TipTopOptions
	// FreedomPay holds FREEDOMPAY_*.
	FreedomPay FreedomPayOptions
	// Client calls the providers' APIs; nil means a client with a
	// timeout of 30 seconds.
	Client *http.Client
}

// TipTopOptions are TIPTOPPAY_PUBLIC_ID, TIPTOPPAY_API_SECRET and
// TIPTOPPAY_API_URL.
type TipTopOptions struct {
	PublicID, APISecret, APIURL string
}

// FreedomPayOptions are FREEDOMPAY_MERCHANT_ID, FREEDOMPAY_SECRET_KEY,
// FREEDOMPAY_API_URL and FREEDOMPAY_TESTING.
type FreedomPayOptions struct {
	MerchantID, SecretKey, APIURL string
	Testing                       bool
}

// client is o.Client or the default one.
func (o Options) client() *http.Client {
	if o.Client != nil {
		return o.Client
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// New returns the provider called name: "test" (also for an empty name)
// links to the bot's own checkout at BaseURL; "custom" fills in the
// event file's link template; "tiptoppay" calls TipTop Pay's API.
func New(name string, o Options) (Provider, error) {
	switch name {
	case "", NameTest:
		secret := o.Secret
		if len(secret) == 0 {
			secret = make([]byte, 32)
			rand.Read(secret)
		}
		u, err := url.Parse(o.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("PUBLIC_URL: must be an http(s) URL like http://127.0.0.1:8080, got %q", o.BaseURL)
		}
		return &Test{BaseURL: strings.TrimSuffix(o.BaseURL, "/"), Secret: secret}, nil
	case NameCustom:
		if len(o.Secret) == 0 {
			return nil, errors.New("PAYMENT_SECRET: must be set for the custom provider")
		}
		if o.Template == "" {
			return nil, errors.New("payment.link_template in the event file: must be set for the custom provider")
		}
		return &Custom{Template: o.Template, Secret: o.Secret}, nil
	case NameTipTop:
		return newTipTop(o)
	case NameFreedomPay:
		return newFreedomPay(o)
	case "generic":
		return nil, errors.New("PAYMENT_PROVIDER: the generic provider is now called custom (our own contract, docs/PAYMENTS.md)")
	}
	return nil, fmt.Errorf("PAYMENT_PROVIDER: unknown provider %q (known: test, custom, tiptoppay, freedompay)", name)
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
func Encode(secret []byte, p domain.Payment) (body []byte, signature string) {
	body, _ = json.Marshal(notification{OrderID: p.OrderID, Amount: p.Amount, Currency: p.Currency, Status: p.Status, ProviderRef: p.ProviderRef})
	return body, Sign(secret, body)
}

// decodeStandard checks and decodes the standard contract: a JSON body
// signed in X-Signature.
func decodeStandard(secret []byte, h http.Header, body []byte) (domain.Payment, error) {
	got, err := hex.DecodeString(strings.TrimSpace(h.Get(SignatureHeader)))
	want, _ := hex.DecodeString(Sign(secret, body))
	if err != nil || !hmac.Equal(got, want) {
		return domain.Payment{}, ErrSignature
	}
	var n notification
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&n); err != nil {
		return domain.Payment{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return domain.Payment{}, fmt.Errorf("%w: data after the JSON object", ErrMalformed)
	}
	switch {
	case n.OrderID == "" || len(n.OrderID) > 64:
		return domain.Payment{}, fmt.Errorf("%w: order_id must be 1 to 64 characters", ErrMalformed)
	case n.Amount <= 0:
		return domain.Payment{}, fmt.Errorf("%w: amount must be a whole number > 0", ErrMalformed)
	case len(n.Currency) != 3 || strings.ToUpper(n.Currency) != n.Currency:
		return domain.Payment{}, fmt.Errorf("%w: currency must be a code like KZT", ErrMalformed)
	case n.Status != domain.PaymentPaid && n.Status != domain.PaymentFailed && n.Status != domain.PaymentRefunded:
		return domain.Payment{}, fmt.Errorf("%w: status must be paid, failed or refunded", ErrMalformed)
	case len(n.ProviderRef) > 256:
		return domain.Payment{}, fmt.Errorf("%w: provider_ref is longer than 256 characters", ErrMalformed)
	}
	return domain.Payment{OrderID: n.OrderID, Amount: n.Amount, Currency: n.Currency, Status: n.Status, ProviderRef: n.ProviderRef}, nil
}

// Custom is our own contract, for a provider the bot does not support
// yet: its hosted page takes the order in its URL, the event file's
// link_template with {order}, {amount}, {currency}, {lang} and {sig}
// (hex HMAC-SHA256 of "order|amount|currency"), and it calls the
// standard webhook (POST /payments/webhook, a JSON body signed in
// X-Signature). No provider in Kazakhstan speaks it as it is: a bridge
// of the provider's own, or a new file in this package, translates.
type Custom struct {
	Template string
	Secret   []byte
}

// Link fills in the template.
func (g *Custom) Link(o domain.Order, lang string) (string, error) {
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

// Name is "custom".
func (g *Custom) Name() string { return NameCustom }

// Register mounts the standard webhook.
func (g *Custom) Register(mux *http.ServeMux, s *Server) {
	mux.HandleFunc("POST /payments/webhook", s.webhook)
}

// Notification reads the standard webhook.
func (g *Custom) Notification(h http.Header, body []byte) (domain.Payment, error) {
	p, err := decodeStandard(g.Secret, h, body)
	p.Provider = NameCustom
	return p, err
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
func (p *Test) Link(o domain.Order, _ string) (string, error) {
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

// Name is "test".
func (p *Test) Name() string { return NameTest }

// Register mounts the standard webhook; the test checkout is mounted by
// the Server.
func (p *Test) Register(mux *http.ServeMux, s *Server) {
	mux.HandleFunc("POST /payments/webhook", s.webhook)
}

// Notification reads the standard webhook: every payment of the test
// checkout is a test payment.
func (p *Test) Notification(h http.Header, body []byte) (domain.Payment, error) {
	n, err := decodeStandard(p.Secret, h, body)
	n.Provider, n.Test = NameTest, true
	return n, err
}
