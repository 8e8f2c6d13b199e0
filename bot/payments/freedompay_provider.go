package payments

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
)

// Freedom Pay as the bot's provider (PAYMENT_PROVIDER=freedompay): its
// API makes the links (MakeLink, init_payment.php), answers about an
// order whose result never came (FindPayment, get_status3.php), and
// posts results to POST /payments/freedompay/result.

func newFreedomPay(o Options) (*FreedomPay, error) {
	fo := o.FreedomPay
	switch {
	case fo.MerchantID == "":
		return nil, errors.New("FREEDOMPAY_MERCHANT_ID: must be set for PAYMENT_PROVIDER=freedompay")
	case fo.SecretKey == "":
		return nil, errors.New("FREEDOMPAY_SECRET_KEY: must be set for PAYMENT_PROVIDER=freedompay")
	}
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("PUBLIC_URL: must be the bot's public https URL, where Freedom Pay posts results; got %q", o.BaseURL)
	}
	return &FreedomPay{MerchantID: fo.MerchantID, SecretKey: fo.SecretKey, APIURL: cmp.Or(strings.TrimSuffix(fo.APIURL, "/"), FreedomPayAPI),
		Testing: fo.Testing, ResultURL: strings.TrimSuffix(o.BaseURL, "/") + FreedomPayResultPath,
		Currency: o.Currency, Client: o.client()}, nil
}

// Name is "freedompay".
func (f *FreedomPay) Name() string { return NameFreedomPay }

// Link: Freedom Pay's API makes the links (MakeLink).
func (f *FreedomPay) Link(domain.Order, string) (string, error) { return "", flows.ErrLinkByAPI }

func (f *FreedomPay) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// MakeLink asks init_payment.php for the payment page of req.Order,
// open for as long as its place is held. The link's Ref is
// pg_payment_id, what FindPayment asks about.
func (f *FreedomPay) MakeLink(ctx context.Context, req flows.LinkRequest) (flows.MadeLink, error) {
	in := FreedomPayInit{OrderID: req.Order.ID, Amount: req.Order.Amount, Currency: req.Order.Currency,
		Description: req.Description, Lang: req.Lang, Phone: req.Phone}
	if !req.Until.IsZero() {
		in.Lifetime = max(req.Until.Sub(f.now()), time.Nanosecond)
	}
	link, err := f.InitPayment(ctx, in)
	if err != nil {
		return flows.MadeLink{}, err
	}
	return flows.MadeLink{URL: link.RedirectURL, Ref: link.PaymentID}, nil
}

// FindPayment asks get_status3.php about the payment made through the
// link of o: paid when its pg_payment_status is success. An order with
// no pg_payment_id (no link made) has no payment to ask about.
func (f *FreedomPay) FindPayment(ctx context.Context, o domain.Order) (domain.Payment, bool, error) {
	if o.LinkRef == "" {
		return domain.Payment{}, false, nil
	}
	st, err := f.Status(ctx, o.LinkRef, o.ID)
	if err != nil || !st.Paid() {
		return domain.Payment{}, false, err
	}
	if st.OrderID != "" && st.OrderID != o.ID {
		return domain.Payment{}, false, fmt.Errorf("freedom pay get_status3.php: asked for %s, got pg_order_id %q", o.ID, st.OrderID)
	}
	currency := cmp.Or(st.Currency, f.Currency)
	amount, err := ParseAmount(st.Amount, currency, f.Currency)
	if err != nil {
		return domain.Payment{}, false, fmt.Errorf("freedom pay get_status3.php: %w", err)
	}
	return domain.Payment{OrderID: o.ID, Amount: amount, Currency: currency, Status: domain.PaymentPaid,
		ProviderRef: cmp.Or(st.PaymentID, o.LinkRef), Provider: NameFreedomPay, Test: st.Testing || f.Testing}, true, nil
}

// Register mounts POST /payments/freedompay/result.
func (f *FreedomPay) Register(mux *http.ServeMux, s *Server) {
	mux.HandleFunc("POST "+FreedomPayResultPath, func(w http.ResponseWriter, r *http.Request) { f.result(w, r, s) })
}

// result answers a result callback. The signature comes first: 401 and
// nothing applied when it is missing or wrong. A payment Freedom Pay
// lets the bot refuse (pg_can_reject=1) is refused ("rejected", the
// money goes back) when its order no longer takes it; any other is
// applied once, by its pg_payment_id, money for a place that is gone
// recorded as owed back, and answered "ok". Every answer after the
// signature check is the signed XML the provider expects.
func (f *FreedomPay) result(w http.ResponseWriter, r *http.Request, s *Server) {
	body, ok := s.ReadBody(w, r)
	if !ok {
		return
	}
	res, err := f.ParseResult(r.Header.Get("Content-Type"), body)
	switch {
	case errors.Is(err, ErrSignature):
		// Not from Freedom Pay: the answer is not signed either, so it
		// signs nothing a forger chose.
		s.BadSignature()
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `<?xml version="1.0" encoding="utf-8"?>`+"\n<response><pg_status>error</pg_status><pg_description>bad or missing signature</pg_description></response>\n")
		return
	case err != nil:
		f.reply(w, http.StatusBadRequest, FreedomPayError, err.Error())
		return
	}
	ctx := r.Context()
	pay := domain.Payment{OrderID: res.OrderID, Currency: res.Currency, Status: domain.PaymentFailed,
		ProviderRef: res.PaymentID, Provider: NameFreedomPay, Test: res.Testing || f.Testing}
	if res.Paid {
		pay.Status = domain.PaymentPaid
	}
	pay.Amount, err = ParseAmount(res.Amount, res.Currency, f.Currency)
	switch {
	case err != nil && !res.Paid:
		f.reply(w, http.StatusBadRequest, FreedomPayError, err.Error())
		return
	case err != nil && res.CanReject:
		s.Log.Info("freedompay result refused", "order", res.OrderID, "payment", res.PaymentID, "reason", err.Error())
		f.reply(w, http.StatusOK, FreedomPayRejected, f.closedText(ctx, s, res.OrderID))
		return
	case err != nil:
		s.Log.Error("freedompay payment in an amount no order takes", "order", res.OrderID, "payment", res.PaymentID,
			"amount", res.Amount, "currency", res.Currency, "err", err)
		f.reply(w, http.StatusOK, FreedomPayError, err.Error())
		return
	}
	if res.Paid && res.CanReject {
		refuse, err := f.refuse(ctx, s, pay)
		if err != nil {
			s.Log.Error("freedompay result failed", "order", pay.OrderID, "payment", pay.ProviderRef, "err", err)
			f.reply(w, http.StatusInternalServerError, FreedomPayError, "internal error, try again")
			return
		}
		if refuse != "" {
			s.Log.Info("freedompay result refused", "order", pay.OrderID, "payment", pay.ProviderRef, "test", pay.Test)
			f.reply(w, http.StatusOK, FreedomPayRejected, refuse)
			return
		}
	}
	out, err := s.Flows.ApplyPayment(ctx, pay)
	if err != nil {
		s.Log.Error("freedompay result failed", "order", pay.OrderID, "payment", pay.ProviderRef, "err", err)
		f.reply(w, http.StatusInternalServerError, FreedomPayError, "internal error, try again")
		return
	}
	switch {
	case (out == domain.PaymentUnknownOrder || out == domain.PaymentMismatch) && res.Paid:
		// Money Freedom Pay would not let the bot refuse, for no order
		// of ours: the organizers find it in the log by its payment id.
		s.Log.Error("freedompay payment applies to no order", "order", pay.OrderID, "payment", pay.ProviderRef,
			"amount", pay.Amount, "currency", pay.Currency, "outcome", outcomeName[out])
		f.reply(w, http.StatusOK, FreedomPayError, outcomeName[out])
		return
	case out == domain.PaymentNoChange && res.Paid && f.otherPayment(ctx, s, pay):
		// A second payment of an order paid already, which Freedom Pay
		// would not let the bot refuse: nothing applies it.
		s.Log.Error("freedompay: a second payment of a paid order, to return by hand", "order", pay.OrderID,
			"payment", pay.ProviderRef, "amount", pay.Amount, "currency", pay.Currency)
	default:
		s.Log.Info("freedompay result", "order", pay.OrderID, "payment", pay.ProviderRef, "status", pay.Status,
			"test", pay.Test, "outcome", outcomeName[out])
	}
	f.reply(w, http.StatusOK, FreedomPayOK, "")
}

// refuse says why a payment Freedom Pay lets the bot refuse is to be
// refused, in the payer's words (pg_description is shown to them); ""
// when its order takes it, or has taken this very payment already.
func (f *FreedomPay) refuse(ctx context.Context, s *Server, pay domain.Payment) (string, error) {
	check, err := s.Flows.CheckPayment(ctx, pay)
	if err != nil || check == flows.CheckOK {
		return "", err
	}
	c, err := s.Flows.Checkout(ctx, pay.OrderID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return f.closedText(ctx, s, pay.OrderID), nil
	case err != nil:
		return "", err
	case c.Order.Status == domain.OrderPaid && c.Order.ProviderRef == pay.ProviderRef:
		// A repeat of the payment applied before: refusing it would
		// send back money that paid for the place.
		return "", nil
	}
	return s.Catalog.T(c.Lang, "checkout_closed", nil), nil
}

// otherPayment says whether the order of pay was paid by another
// payment than pay.
func (f *FreedomPay) otherPayment(ctx context.Context, s *Server, pay domain.Payment) bool {
	c, err := s.Flows.Checkout(ctx, pay.OrderID)
	return err == nil && c.Order.Status == domain.OrderPaid && c.Order.ProviderRef != pay.ProviderRef
}

// closedText says, in the payer's language, that the order takes no
// payment; in every language when the order is unknown.
func (f *FreedomPay) closedText(ctx context.Context, s *Server, orderID string) string {
	if c, err := s.Flows.Checkout(ctx, orderID); err == nil {
		return s.Catalog.T(c.Lang, "checkout_closed", nil)
	}
	var texts []string
	for _, l := range locales.Languages {
		texts = append(texts, s.Catalog.T(l, "checkout_unknown", nil))
	}
	return strings.Join(texts, " / ")
}

// reply writes the signed XML answer to a result callback.
func (f *FreedomPay) reply(w http.ResponseWriter, code int, status, description string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(code)
	w.Write(f.ResultReply(status, description))
}
