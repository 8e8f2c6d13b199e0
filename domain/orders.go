package domain

import "time"

// OrderStatus is where an order stands.
type OrderStatus string

// Order is one payment asked of a participant, paid through a link.
type Order struct {
	// ID is the registration code and a number: RFA-7K2Q-1.
	ID       string
	Code     string
	Purpose  string
	Amount   int
	Currency string
	Status   OrderStatus
	// ProviderRef is the provider's transaction id of the payment
	// (TipTop Pay's TransactionId, Freedom Pay's pg_payment_id, the
	// custom contract's provider_ref): a notification repeating it
	// changes nothing.
	ProviderRef string `json:",omitempty"`
	CreatedAt   time.Time
	UpdatedAt   time.Time `json:",omitzero"`
	// Provider is the payment provider that took the money (test,
	// custom, tiptoppay, freedompay); PaidAmount what it took, PaidAt
	// when, and Test that it was a test payment (no money moved).
	Provider   string    `json:",omitempty"`
	PaidAmount int       `json:",omitempty"`
	PaidAt     time.Time `json:",omitzero"`
	Test       bool      `json:",omitempty"`
	// FailReason is why its payment failed (one of the Reason constants).
	FailReason string `json:",omitempty"`
	// LinkURL is the payment page a provider's API made for the order,
	// LinkRef the provider's id of it and LinkAt when it was made
	// (paylinks.go); empty for links computed on the spot.
	LinkURL string    `json:",omitempty"`
	LinkRef string    `json:",omitempty"`
	LinkAt  time.Time `json:",omitzero"`
	// HeardAt is when the provider last said anything about the order
	// (a notification, a look-up): reconciliation asks about an open
	// order that has heard nothing for payment.reconcile_minutes.
	HeardAt time.Time `json:",omitzero"`
}

const (
	OrderOpen     OrderStatus = "open"
	OrderPaid     OrderStatus = "paid"
	OrderFailed   OrderStatus = "failed"
	OrderRefunded OrderStatus = "refunded"
	// OrderVoid was replaced (a new distance, a payment by hand) or its
	// hold lapsed.
	OrderVoid OrderStatus = "void"
)

// Order purposes.
const (
	// PurposeFee pays the registration fee.
	PurposeFee = "fee"
	// PurposeUpgrade pays the difference to a dearer distance.
	PurposeUpgrade = "upgrade"
)

// Payment statuses a provider notifies.
const (
	PaymentPaid     = "paid"
	PaymentFailed   = "failed"
	PaymentRefunded = "refunded"
)

// Payment is a provider's notification about an order.
type Payment struct {
	OrderID     string
	Amount      int
	Currency    string
	Status      string
	ProviderRef string
	// Provider names the provider; Test marks a test payment; At is the
	// provider's time of it (zero: when it arrived); Reason is why a
	// payment failed, one of the Reason constants (paycheck.go).
	Provider string
	Test     bool
	At       time.Time
	Reason   string
}

// PaymentOutcome is what a notification did; the webhook maps it to an
// HTTP status.
type PaymentOutcome int

const (
	// PaymentApplied: the notification changed the order.
	PaymentApplied PaymentOutcome = iota
	// PaymentNoChange: nothing to do, e.g. a repeat of a notification
	// already applied.
	PaymentNoChange
	// PaymentUnknownOrder: no order has this id.
	PaymentUnknownOrder
	// PaymentMismatch: the amount or currency is not the order's.
	PaymentMismatch
)

// Record keeps on the order what an organizer needs to find payment p:
// the provider, its transaction id, the amount and time, the test flag
// or why it failed.
func (o *Order) Record(p Payment, now time.Time) {
	o.ProviderRef, o.Provider, o.Test, o.HeardAt = p.ProviderRef, p.Provider, p.Test, now
	switch p.Status {
	case PaymentPaid:
		o.PaidAmount, o.PaidAt, o.FailReason = p.Amount, p.At, ""
		if o.PaidAt.IsZero() {
			o.PaidAt = now
		}
	case PaymentFailed:
		o.FailReason = p.Reason
	}
}
