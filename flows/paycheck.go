package flows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/runforautism/rfabot/domain"
)

// CheckResult is the answer to a provider asking, before it charges the
// card, whether a payment of an order may go ahead (TipTop Pay's Check;
// Freedom Pay's result callback with pg_can_reject=1).
type CheckResult int

const (
	// CheckOK: the order waits for this payment.
	CheckOK CheckResult = iota
	// CheckUnknownOrder: no order has this id (TipTop code 10).
	CheckUnknownOrder
	// CheckWrongAmount: the amount or currency is not the order's
	// (TipTop code 12).
	CheckWrongAmount
	// CheckNotAccepted: the order takes no payment: paid already,
	// replaced, its registration cancelled (TipTop code 13).
	CheckNotAccepted
	// CheckExpired: the hold lapsed, so its place is gone (TipTop code
	// 20).
	CheckExpired
)

// String names the result for the log.
func (c CheckResult) String() string {
	switch c {
	case CheckOK:
		return "ok"
	case CheckUnknownOrder:
		return "unknown order"
	case CheckWrongAmount:
		return "wrong amount"
	case CheckNotAccepted:
		return "not accepted"
	case CheckExpired:
		return "expired"
	}
	return fmt.Sprintf("CheckResult(%d)", int(c))
}

// CheckPayment says whether the payment p of an order may go ahead: only
// when the order exists, waits for payment of the same amount and
// currency, and its place is still held, so a card is never charged for
// a place that is gone. It records that the provider was heard from.
func (f *Flows) CheckPayment(ctx context.Context, p domain.Payment) (CheckResult, error) {
	var res CheckResult
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		now := f.now()
		o, err := tx.Order(p.OrderID)
		if errors.Is(err, domain.ErrNotFound) {
			res = CheckUnknownOrder
			return nil
		}
		if err != nil {
			return err
		}
		res = checkOrder(tx, o, p, now)
		o.HeardAt = now
		return tx.PutOrder(&o)
	})
	if err != nil {
		return 0, fmt.Errorf("check payment of order %s: %w", p.OrderID, err)
	}
	return res, nil
}

// checkOrder is CheckPayment's answer for order o at now.
func checkOrder(tx domain.Tx, o domain.Order, p domain.Payment, now time.Time) CheckResult {
	if p.Amount != o.Amount || p.Currency != o.Currency {
		return CheckWrongAmount
	}
	due, until, lapsed, ok := waiting(tx, o)
	switch {
	case lapsed:
		return CheckExpired
	case !ok:
		return CheckNotAccepted
	case !now.Before(until):
		return CheckExpired
	case due != o.Amount:
		return CheckWrongAmount
	}
	return CheckOK
}

// waiting reads what o pays for: ok says it waits for o (an entry
// awaiting payment with o as its open order, or a failed order
// retried on its page; a pending upgrade paid by o), with what is due
// and until when its place is held; lapsed says its hold lapsed.
func waiting(tx domain.Tx, o domain.Order) (due int, until time.Time, lapsed, ok bool) {
	open := o.Status == domain.OrderOpen
	retried := o.Status == domain.OrderFailed
	if r, err := tx.Registration(o.Code); err == nil {
		switch {
		case o.Purpose == domain.PurposeUpgrade && open && r.UpgradeOrder == o.ID && r.Status == domain.StatusPaid:
			return o.Amount, r.UpgradeUntil, false, true
		case o.Purpose == domain.PurposeFee && r.Status == domain.StatusAwaitingPayment && (open && r.Order == o.ID || retried):
			return r.Due(), r.HoldUntil, false, true
		}
		return 0, time.Time{}, r.Status == domain.StatusLapsed, false
	}
	return 0, time.Time{}, false, false
}

// Why a payment failed, as providers say it (Payment.Reason): each is
// told to the participant in plain words.
const (
	ReasonInsufficientFunds = "insufficient_funds"
	ReasonDeclined          = "declined"
	ReasonExpiredCard       = "expired_card"
	ReasonAuthentication    = "authentication"
)

// failedText says a payment failed, why when the provider said, and
// that next is the new link.
func (t *turn) failedText(code string, o, next domain.Order) string {
	text := t.T("pay_failed", "Code", code, "Amount", t.formatMoney(next.Amount))
	switch o.FailReason {
	case ReasonInsufficientFunds, ReasonDeclined, ReasonExpiredCard, ReasonAuthentication:
		text = t.T("pay_reason_"+o.FailReason) + " " + text
	}
	return text
}
