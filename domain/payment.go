package domain

import "time"

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
