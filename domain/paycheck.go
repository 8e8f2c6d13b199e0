package domain

import "time"

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
