package flows

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The fee of Fun Starts. When the event file sets fun_starts.fee, a
// child's sign-up is paid the way a runner's registration is: an order
// CODE-N through the same payment links, the place held for
// payment.hold_hours with the reminder before it lapses, and the same
// webhook. Orders reach the child through childPayee; Tick reaches its
// deadline through DueChildren. Promo codes are for runners only.

// payFunAgain is the lapse notice's button back to Fun Starts, labelled
// as the menu's (so typing the label on a numbered channel works as for
// the runner's "Register for the run"); like the other buttons pushes
// carry, it works from any step.
const payFunAgain = "fun:again"

// childPayee is a Fun Starts child as orders and the clock see it.
type childPayee struct {
	t *turn
	c *Child
}

func (p childPayee) item(Order) string {
	return p.t.T("checkout_item_child", "Name", p.c.Name, "Code", p.c.Code)
}

// paid takes a paid order: the fee of an unpaid sign-up confirms it; a
// sign-up whose hold lapsed gets its place back when one is free. Money
// that pays for nothing or comes after a final state (cancelled,
// refunded) is recorded for the organizers to return and the parent
// told; the sign-up stays as it was.
func (p childPayee) paid(o Order) error {
	t, c := p.t, p.c
	switch {
	case c.Status == StatusAwaitingPayment && o.Amount == c.Due():
		if c.Order != o.ID {
			if err := t.voidOrder(c.Order); err != nil {
				return err
			}
		}
		return t.confirmChild(c, o.Amount)
	case c.Status == StatusLapsed && o.Amount == c.Due():
		err := t.tx.TakeFunPlace(t.ev.FunStarts.Capacity)
		if errors.Is(err, ErrFull) {
			return t.childExtra("fun_pay_no_place", c, o)
		}
		if err != nil {
			return err
		}
		return t.confirmChild(c, o.Amount)
	}
	return t.childExtra("pay_extra", c, o)
}

// failed sends a new link when the failed order was the one to pay.
func (p childPayee) failed(o Order) error {
	t, c := p.t, p.c
	if c.Status != StatusAwaitingPayment || c.Order != o.ID {
		return nil
	}
	next, err := t.childOrder(c)
	if err != nil {
		return err
	}
	if err := t.tx.PutChild(c); err != nil {
		return err
	}
	l, err := t.payLink(next)
	if err != nil {
		return err
	}
	return t.push(kindPayment, "link:"+next.ID, Reply{
		Text:  t.failedText(c.Code, o, next),
		Links: []Link{l},
	})
}

// refunded takes money returned: the return of money owed back settles
// the debt; the refund of the fee of a confirmed sign-up releases its
// place.
func (p childPayee) refunded(o Order) error {
	t, c := p.t, p.c
	c.PaidAmount -= o.Amount
	switch {
	case c.RefundDue >= o.Amount:
		c.RefundDue -= o.Amount
	case c.Status == StatusConfirmed:
		if err := t.releaseChild(c, StatusRefunded); err != nil {
			return err
		}
		return t.push(kindPayment, "refund:"+o.ID, Reply{
			Text: t.T("fun_pay_refunded", "Name", c.Name, "Code", c.Code, "Amount", t.formatMoney(o.Amount)),
		})
	}
	return t.tx.PutChild(c)
}

// expire reminds the parent shortly before an unpaid hold lapses, and
// releases the place when it lapsed. Done once: the change is stored
// with the push.
func (p childPayee) expire() error {
	t, c := p.t, p.c
	if c.Status != StatusAwaitingPayment {
		return nil
	}
	switch t.holdStage(c.HoldUntil, c.Reminded) {
	case holdOver:
		if err := t.releaseChild(c, StatusLapsed); err != nil {
			return err
		}
		return t.push(kindLapse, "lapse:"+c.Code, Reply{
			Text:    t.T("fun_lapsed", "Name", c.Name, "Code", c.Code),
			Choices: []Choice{t.choice("menu_funstarts", payFunAgain), t.choice("menu_mine", payMine)},
		})
	case holdRemind:
		c.Reminded = true
		if err := t.tx.PutChild(c); err != nil {
			return err
		}
		l, err := t.openLink(c.Order)
		if err != nil {
			return err
		}
		return t.push(kindLapse, "remind:"+c.Order, Reply{
			Text:  t.T("fun_lapse_reminder", "Name", c.Name, "Code", c.Code, "Until", t.formatTime(c.HoldUntil)),
			Links: []Link{l},
		})
	}
	return nil
}

// holdChild makes a new sign-up wait for its fee: the place is held for
// payment.hold_hours. The order comes once the child has its code
// (childOrder).
func (t *turn) holdChild(c *Child) {
	c.Status, c.HoldUntil, c.Reminded = StatusAwaitingPayment, t.now.Add(t.ev.Payment.Hold()), false
}

// childOrder opens an order for what is due for c and makes it c's open
// order.
func (t *turn) childOrder(c *Child) (Order, error) {
	o, err := t.issueOrder(c.Code, c.Currency, &c.Orders, PurposeFee, c.Due())
	if err != nil {
		return Order{}, err
	}
	c.Order = o.ID
	return o, nil
}

// confirmChild makes c's sign-up paid with amount and queues the
// confirmation in the parent's language.
func (t *turn) confirmChild(c *Child, amount int) error {
	c.Status, c.PaidAt = StatusConfirmed, t.now
	c.PaidAmount += amount
	c.Order, c.HoldUntil, c.Reminded = "", time.Time{}, false
	if err := t.tx.PutChild(c); err != nil {
		return err
	}
	fs := t.ev.FunStarts
	return t.push(kindPayment, "paid:"+c.Code, Reply{
		Text: t.T("fun_paid", "Name", c.Name, "Code", c.Code, "Date", t.formatDate(t.ev.Day()), "Time", fs.StartTime,
			"Place", fs.Place.In(t.u.Lang), "Bring", fs.WhatToBring.In(t.u.Lang)),
		Choices: []Choice{t.choice("menu_mine", payMine)},
	})
}

// childExtra records money that pays for nothing.
func (t *turn) childExtra(id string, c *Child, o Order) error {
	c.PaidAmount += o.Amount
	c.RefundDue += o.Amount
	if err := t.tx.PutChild(c); err != nil {
		return err
	}
	if err := t.refundDue(c.Code, c.Status, o); err != nil {
		return err
	}
	return t.push(kindPayment, extraKey(o), Reply{
		Text: t.T(id, "Code", c.Code, "Amount", t.formatMoney(o.Amount)),
	})
}

// releaseChild moves c from a status holding a Fun Starts place to one
// that holds none, exactly once: the place goes back, and an unpaid
// sign-up's open order is void.
func (t *turn) releaseChild(c *Child, to Status) error {
	if !c.HoldsPlace() {
		return fmt.Errorf("release %s: status %s holds no place", c.Code, c.Status)
	}
	if err := t.voidOrder(c.Order); err != nil {
		return err
	}
	c.Status, c.Order, c.HoldUntil, c.Reminded = to, "", time.Time{}, false
	if err := t.tx.PutChild(c); err != nil {
		return err
	}
	return t.tx.ReleaseFunPlace()
}

// markChildPaid confirms a Fun Starts sign-up paid by hand (cash at the
// desk), for the organizers: the parent gets the same confirmation as
// after an online payment. Errors as markPaid (ErrAlreadyDone:
// confirmed already).
func (t *turn) markChildPaid(code, reason string) (Child, error) {
	code, reason = normCode(code), strings.TrimSpace(reason)
	if reason == "" {
		return Child{}, ErrReasonNeeded
	}
	c, err := t.tx.Child(code)
	if err != nil {
		return Child{}, err
	}
	switch c.Status {
	case StatusConfirmed:
		return c, ErrAlreadyDone
	case StatusAwaitingPayment:
	default:
		return c, ErrWrongStatus
	}
	o, err := t.parentTurn(t.tx, c, t.now)
	if err != nil {
		return c, err
	}
	if err := o.voidOrder(c.Order); err != nil {
		return c, err
	}
	if err := o.confirmChild(&c, c.Due()); err != nil {
		return c, err
	}
	return c, t.audit("markpaid", c.Code, reason)
}
