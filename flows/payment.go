package flows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// PaymentLinks builds the link where a participant pays an order: a
// provider's hosted payment page, or the bot's own test checkout. Link
// runs inside storage transactions, so it must only compute.
type PaymentLinks interface {
	Link(o domain.Order, lang string) (string, error)
}

// Push kinds of this file.
const (
	kindPayment  = "payment"
	kindLapse    = "lapse"
	kindWaitlist = "waitlist"
)

// ApplyPayment applies a provider's notification about an order in one
// transaction: paid settles the entry (a runner gets a bib) and queues
// the confirmation, failed sends a new link, refunded releases the
// place. A notification applied before
// changes nothing, however often it comes.
func (f *Flows) ApplyPayment(ctx context.Context, p domain.Payment) (domain.PaymentOutcome, error) {
	var out domain.PaymentOutcome
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		out = domain.PaymentNoChange
		o, err := tx.Order(p.OrderID)
		if errors.Is(err, domain.ErrNotFound) {
			out = domain.PaymentUnknownOrder
			return nil
		}
		if err != nil {
			return err
		}
		if p.Amount != o.Amount || p.Currency != o.Currency {
			out = domain.PaymentMismatch
			return nil
		}
		t, r, err := f.entryOf(tx, o.Code, f.now())
		if err != nil {
			return fmt.Errorf("what order %s pays for: %w", o.ID, err)
		}
		applied, err := t.applyPayment(&o, &r, p)
		if applied {
			out = domain.PaymentApplied
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("apply %s notification of order %s: %w", p.Status, p.OrderID, err)
	}
	return out, nil
}

// Checkout is what the test checkout page shows about an order.
type Checkout struct {
	Order domain.Order
	// Lang is the participant's language.
	Lang string
	// Item names what is paid: the distance and the registration code,
	// or Fun Starts and the child's code.
	Item string
	// Amount is the amount written for people.
	Amount string
}

// Checkout describes order id for a payment page; ErrNotFound when there
// is no such order.
func (f *Flows) Checkout(ctx context.Context, id string) (Checkout, error) {
	var c Checkout
	err := f.store.View(ctx, func(tx domain.Tx) error {
		o, err := tx.Order(id)
		if err != nil {
			return err
		}
		t, r, err := f.entryOf(tx, o.Code, f.now())
		if err != nil {
			return err
		}
		c = Checkout{Order: o, Lang: t.u.Lang, Amount: t.formatMoney(o.Amount), Item: t.orderItem(r, o)}
		return nil
	})
	if err != nil {
		return Checkout{}, fmt.Errorf("order %s: %w", id, err)
	}
	return c, nil
}

// Tick does what is due by the clock, each in its own transaction:
// reminds people whose unpaid hold (of an entry of either kind) lapses
// soon, releases the places of holds that lapsed and of
// upgrades not paid in time, and offers free places to the waitlists.
// Everything it does is recorded in the same transaction, so running it
// again, concurrently or after a restart, does nothing twice.
func (f *Flows) Tick(ctx context.Context) error {
	now := f.now()
	var due []string
	err := f.store.View(ctx, func(tx domain.Tx) error {
		entries, err := tx.Due(now.Add(f.ev.Payment.Reminder()))
		for _, r := range entries {
			due = append(due, r.Code)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("list due registrations: %w", err)
	}
	for _, code := range due {
		err := f.store.Update(ctx, func(tx domain.Tx) error {
			t, r, err := f.entryOf(tx, code, now)
			if err != nil {
				return err
			}
			return t.expire(&r)
		})
		if err != nil {
			return fmt.Errorf("deadline of %s: %w", code, err)
		}
	}
	err = f.store.Update(ctx, func(tx domain.Tx) error {
		t := &turn{Flows: f, tx: tx, u: &domain.User{}, now: now}
		for _, d := range f.ev.Distances {
			for _, m := range []event.Mode{event.InPerson, event.Online} {
				if !d.Offered(m) {
					continue
				}
				if err := t.offerPlaces(d.ID, m); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("offer free places: %w", err)
	}
	return nil
}

// ownerTurn is a turn speaking to the person who made r, in their
// language, for work not started by their message.
func (f *Flows) ownerTurn(tx domain.Tx, r domain.Registration, now time.Time) (*turn, error) {
	u, err := tx.User(r.UserKey)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		u = domain.User{Key: r.UserKey}
	case err != nil:
		return nil, err
	}
	if u.Lang == "" {
		u.Lang = r.Lang
	}
	return &turn{Flows: f, tx: tx, u: &u, now: now}, nil
}

// entryOf reads the entry with code and a turn speaking to the person
// who made it; ErrNotFound when no entry has code.
func (f *Flows) entryOf(tx domain.Tx, code string, now time.Time) (*turn, domain.Registration, error) {
	r, err := tx.Registration(code)
	if err != nil {
		return nil, r, err
	}
	t, err := f.ownerTurn(tx, r, now)
	return t, r, err
}

// orderItem names what o pays for, for the payment page.
func (t *turn) orderItem(r domain.Registration, o domain.Order) string {
	dist := r.Distance
	if o.Purpose == domain.PurposeUpgrade && r.UpgradeTo != "" {
		dist = r.UpgradeTo
	}
	return t.T(textOf(r, "checkout_item"), "Name", r.Name, "Code", r.Code, "Distance", t.distanceName(dist), "Mode", modeName(t, r.Mode))
}

// owner is ownerTurn within a turn.
func (t *turn) owner(r domain.Registration) (*turn, error) {
	if r.UserKey == t.u.Key {
		return t, nil
	}
	return t.ownerTurn(t.tx, r, t.now)
}

// push queues a message to the turn's user.
func (t *turn) push(kind, key string, r dialog.Reply) error {
	_, err := t.tx.Enqueue(&domain.Push{Key: key, UserKey: t.u.Key, Kind: kind, Reply: t.withoutPending(r), Created: t.now})
	return err
}

// link adds a link to the reply the turn ends with.
// A link still on its way (no URL) is left out: the turn says it is
// coming.
func (t *turn) link(l dialog.Link) {
	if l.URL != "" {
		t.links = append(t.links, l)
	}
}

// issueOrder opens the next order of a registration or a child, code:
// issued counts the orders issued so far and goes up by one, which
// numbers the order CODE-N.
func (t *turn) issueOrder(code, currency string, issued *int, purpose string, amount int) (domain.Order, error) {
	*issued++
	o := domain.Order{ID: fmt.Sprintf("%s-%d", code, *issued), Code: code, Purpose: purpose,
		Amount: amount, Currency: currency, Status: domain.OrderOpen, CreatedAt: t.now}
	if err := t.tx.PutOrder(&o); err != nil {
		return domain.Order{}, err
	}
	return o, nil
}

// newOrder opens an order for amount and makes it the registration's
// open order for its purpose.
func (t *turn) newOrder(r *domain.Registration, purpose string, amount int) (domain.Order, error) {
	o, err := t.issueOrder(r.Code, r.Currency, &r.Orders, purpose, amount)
	if err != nil {
		return domain.Order{}, err
	}
	if purpose == domain.PurposeUpgrade {
		r.UpgradeOrder = o.ID
	} else {
		r.Order = o.ID
	}
	return o, nil
}

// voidOrder closes an open order nobody should pay any more.
func (t *turn) voidOrder(id string) error {
	if id == "" {
		return nil
	}
	o, err := t.tx.Order(id)
	if err != nil {
		return fmt.Errorf("order %s: %w", id, err)
	}
	if o.Status != domain.OrderOpen {
		return nil
	}
	o.Status, o.UpdatedAt = domain.OrderVoid, t.now
	return t.tx.PutOrder(&o)
}

// payLink is the link to pay o, labelled with its amount.
func (t *turn) payLink(o domain.Order) (dialog.Link, error) {
	if t.payments == nil {
		return dialog.Link{}, errors.New("no payment provider configured (flows.Config.Payments)")
	}
	url, err := t.payments.Link(o, t.u.Lang)
	if errors.Is(err, ErrLinkByAPI) {
		url, err = t.apiLink(o), nil
	}
	if err != nil {
		return dialog.Link{}, fmt.Errorf("payment link of %s: %w", o.ID, err)
	}
	return dialog.Link{Label: t.T("pay_link", "Amount", t.formatMoney(o.Amount)), URL: url}, nil
}

// openLink is the link to pay the open order id (an entry's fee).
func (t *turn) openLink(id string) (dialog.Link, error) {
	o, err := t.tx.Order(id)
	if err != nil {
		return dialog.Link{}, fmt.Errorf("order %s: %w", id, err)
	}
	return t.payLink(o)
}

// hold makes r wait for payment for d: a new order for what is due.
func (t *turn) hold(r *domain.Registration, d time.Duration) (domain.Order, error) {
	r.Status, r.HoldUntil, r.Reminded = domain.StatusAwaitingPayment, t.now.Add(d), false
	return t.newOrder(r, domain.PurposeFee, r.Due())
}

// settle makes r paid with amount. A runner gets the next bib of the
// distance (a used-up bib range leaves the bib to the kit desk rather
// than refuse money already taken); a child's sign-up is confirmed,
// with no bib.
func (t *turn) settle(r *domain.Registration, amount int) error {
	status, bib := domain.StatusConfirmed, 0
	if r.Kind == domain.KindRunner {
		d, _ := t.ev.Distance(r.Distance)
		var err error
		bib, err = t.tx.NextBib(r.Distance, d.BibFrom, d.BibTo)
		if err != nil && !errors.Is(err, domain.ErrNoBibs) {
			return err
		}
		status = domain.StatusPaid
	}
	r.Status, r.Bib, r.PaidAt = status, bib, t.now
	r.PaidAmount += amount
	r.HoldUntil, r.Reminded, r.Order = time.Time{}, false, ""
	return nil
}

// release moves r from a status holding a place to one that holds none,
// exactly once: the place goes back and is offered to the waitlist. An
// unpaid registration also gives its order and promo code use back.
func (t *turn) release(r *domain.Registration, to domain.Status) error {
	if !r.Status.HoldsPlace() {
		return fmt.Errorf("release %s: status %s holds no place", r.Code, r.Status)
	}
	if r.Status == domain.StatusAwaitingPayment {
		if err := t.voidOrder(r.Order); err != nil {
			return err
		}
		r.Order = ""
		if r.Promo != "" {
			if err := t.tx.ReleasePromo(r.Promo); err != nil {
				return err
			}
		}
	}
	if err := t.dropUpgrade(r); err != nil {
		return err
	}
	r.Status, r.HoldUntil, r.Reminded = to, time.Time{}, false
	if err := t.tx.PutRegistration(r); err != nil {
		return err
	}
	if err := t.tx.ReleasePlace(r.Distance, r.Mode); err != nil {
		return err
	}
	return t.offerPlaces(r.Distance, r.Mode)
}

// dropUpgrade gives up a pending switch to a dearer distance: its order
// and the place held on it.
func (t *turn) dropUpgrade(r *domain.Registration) error {
	if r.UpgradeTo == "" {
		return nil
	}
	if err := t.voidOrder(r.UpgradeOrder); err != nil {
		return err
	}
	to := r.UpgradeTo
	r.UpgradeTo, r.UpgradeOrder, r.UpgradeUntil = "", "", time.Time{}
	if err := t.tx.PutRegistration(r); err != nil {
		return err
	}
	if err := t.tx.ReleasePlace(to, r.Mode); err != nil {
		return err
	}
	return t.offerPlaces(to, r.Mode)
}

// offerPlaces gives the free places of a distance to the first people
// on its waitlist who can still be reached: each gets a payment link and
// the place is held for them for the waitlist hold.
func (t *turn) offerPlaces(distance string, mode event.Mode) error {
	d, ok := t.ev.Distance(distance)
	if !ok {
		return nil
	}
	waiting, err := t.tx.Waiting(distance, mode)
	if err != nil {
		return err
	}
	for _, w := range waiting {
		taken, err := t.tx.PlacesTaken(distance, mode)
		if err != nil {
			return err
		}
		if taken >= d.CapacityFor(mode) {
			return nil
		}
		o, err := t.owner(w)
		if err != nil {
			return err
		}
		if o.u.Unreachable {
			continue
		}
		if err := o.offer(&w, d.CapacityFor(mode)); err != nil {
			return err
		}
	}
	return nil
}

// offer gives a waitlisted registration a place.
func (t *turn) offer(r *domain.Registration, capacity int) error {
	if err := t.tx.TakePlace(r.Distance, r.Mode, capacity); err != nil {
		return err
	}
	r.Offered, r.WaitlistedAt = true, time.Time{}
	if r.Due() == 0 {
		if err := t.settle(r, 0); err != nil {
			return err
		}
		if err := t.tx.PutRegistration(r); err != nil {
			return err
		}
		return t.push(kindWaitlist, "paid:"+r.Code, t.confirmation(*r, "pay_confirmed"))
	}
	o, err := t.hold(r, t.ev.Payment.WaitlistHold())
	if err != nil {
		return err
	}
	if err := t.tx.PutRegistration(r); err != nil {
		return err
	}
	l, err := t.payLink(o)
	if err != nil {
		return err
	}
	return t.push(kindWaitlist, "offer:"+o.ID, dialog.Reply{
		Text: t.T("waitlist_offer", "Name", r.Name, "Code", r.Code, "Distance", t.distanceName(r.Distance),
			"Mode", modeName(t, r.Mode), "Amount", t.formatMoney(o.Amount), "Until", t.formatTime(r.HoldUntil)),
		Links: []dialog.Link{l},
	})
}

// holdStage is where an unpaid hold stands.
type holdStage int

const (
	// holdRunning: nothing to do yet.
	holdRunning holdStage = iota
	// holdRemind: the hold lapses within payment.reminder_hours and the
	// reminder has not gone.
	holdRemind
	// holdOver: the hold lapsed; the place is to be released.
	holdOver
)

// holdStage says what r's unpaid hold calls for at the turn's time.
func (t *turn) holdStage(r domain.Registration) holdStage {
	switch {
	case r.Status != domain.StatusAwaitingPayment || r.HoldUntil.IsZero():
		return holdRunning
	case !t.now.Before(r.HoldUntil):
		return holdOver
	case !r.Reminded && !t.now.Before(r.HoldUntil.Add(-t.ev.Payment.Reminder())):
		return holdRemind
	}
	return holdRunning
}

// expire does what r's deadline calls for at the turn's time: a
// reminder shortly before an unpaid hold lapses, the lapse itself, or the
// end of a pending upgrade. Done once: the change is stored with it.
func (t *turn) expire(r *domain.Registration) error {
	stage := t.holdStage(*r)
	switch {
	case stage == holdOver:
		return t.lapse(r)
	case stage == holdRemind:
		r.Reminded = true
		if err := t.tx.PutRegistration(r); err != nil {
			return err
		}
		l, err := t.openLink(r.Order)
		if err != nil {
			return err
		}
		return t.push(kindLapse, "remind:"+r.Order, dialog.Reply{
			Text: t.T(textOf(*r, "lapse_reminder"), "Name", r.Name, "Code", r.Code, "Distance", t.distanceName(r.Distance),
				"Until", t.formatTime(r.HoldUntil)),
			Links: []dialog.Link{l},
		})
	case r.UpgradeTo != "" && !t.now.Before(r.UpgradeUntil):
		to := r.UpgradeTo
		if err := t.dropUpgrade(r); err != nil {
			return err
		}
		return t.push(kindLapse, "upgrade-lapse:"+r.Code+":"+to, dialog.Reply{
			Text: t.T("upgrade_lapsed", "Code", r.Code, "To", t.distanceName(to), "Distance", t.distanceName(r.Distance)),
		})
	}
	return nil
}

// lapse releases the place of an entry not paid in time and tells the
// participant how to register (or sign the child up) again.
func (t *turn) lapse(r *domain.Registration) error {
	id, again := "lapsed", t.choice("menu_register", payRegister)
	switch {
	case r.Kind == domain.KindChild:
		id, again = "fun_lapsed", t.choice("menu_funstarts", payFunAgain)
	case r.Offered:
		id = "offer_lapsed"
	}
	text := t.T(id, "Name", r.Name, "Code", r.Code, "Distance", t.distanceName(r.Distance))
	if err := t.release(r, domain.StatusLapsed); err != nil {
		return err
	}
	return t.push(kindLapse, "lapse:"+r.Code, dialog.Reply{Text: text, Choices: []dialog.Choice{again, t.choice("menu_mine", payMine)}})
}

// applyPayment applies one notification to order o of the entry r;
// applied is false when it changes nothing. The order's status makes a
// repeat a no-op: paid once, failed only while open, refunded only when
// paid.
func (t *turn) applyPayment(o *domain.Order, r *domain.Registration, p domain.Payment) (applied bool, err error) {
	switch p.Status {
	case domain.PaymentPaid:
		if o.Status == domain.OrderPaid {
			return false, nil
		}
		if o.Status == domain.OrderRefunded {
			// Money after a final state is recorded as owed back, once
			// per order (its push key), and applies to nothing.
			if done, err := t.tx.Queued(extraKey(*o)); err != nil || done {
				return false, err
			}
			return true, t.paid(r, *o)
		}
		o.Status, o.UpdatedAt = domain.OrderPaid, t.now
		o.Record(p, t.now)
		if err := t.tx.PutOrder(o); err != nil {
			return false, err
		}
		return true, t.paid(r, *o)
	case domain.PaymentFailed:
		if o.Status != domain.OrderOpen {
			return false, nil
		}
		o.Status, o.UpdatedAt = domain.OrderFailed, t.now
		o.Record(p, t.now)
		if err := t.tx.PutOrder(o); err != nil {
			return false, err
		}
		return true, t.failed(r, *o)
	case domain.PaymentRefunded:
		if o.Status != domain.OrderPaid {
			return false, nil
		}
		o.Status, o.UpdatedAt = domain.OrderRefunded, t.now
		if err := t.tx.PutOrder(o); err != nil {
			return false, err
		}
		return true, t.refunded(r, *o)
	}
	return false, fmt.Errorf("unknown payment status %q", p.Status)
}

// paid takes a paid order. The fee of an unpaid entry settles it; an
// entry whose hold lapsed gets its place back when one is free. Money
// that pays for nothing, or comes after a final state (a cancelled or
// refunded entry, a refunded order), is recorded for the organizers to
// return and the participant told; the entry stays as it was.
func (t *turn) paid(r *domain.Registration, o domain.Order) error {
	switch {
	case o.Purpose == domain.PurposeFee && r.Status == domain.StatusAwaitingPayment && o.Amount == r.Due():
		if r.Order != o.ID {
			if err := t.voidOrder(r.Order); err != nil {
				return err
			}
		}
		return t.confirm(r, o.Amount)
	case o.Purpose == domain.PurposeFee && r.Status == domain.StatusLapsed && o.Amount == r.Due():
		err := t.tx.TakePlace(r.Distance, r.Mode, t.capacity(*r))
		if errors.Is(err, domain.ErrFull) {
			return t.extra(textOf(*r, "pay_no_place"), r, o)
		}
		if err != nil {
			return err
		}
		return t.confirm(r, o.Amount)
	case o.Purpose == domain.PurposeUpgrade && r.Status == domain.StatusPaid && r.UpgradeOrder == o.ID:
		from := r.Distance
		if err := t.completeUpgrade(r, o.Amount); err != nil {
			return err
		}
		return t.push(kindPayment, "upgrade:"+o.ID, t.confirmation(*r, "upgrade_done", "From", t.distanceName(from)))
	}
	return t.extra("pay_extra", r, o)
}

// confirm makes r paid and queues its confirmation.
func (t *turn) confirm(r *domain.Registration, amount int) error {
	if err := t.settle(r, amount); err != nil {
		return err
	}
	if err := t.tx.PutRegistration(r); err != nil {
		return err
	}
	return t.push(kindPayment, "paid:"+r.Code, t.confirmation(*r, "pay_confirmed"))
}

// extra records money that pays for nothing, in the audit log too.
func (t *turn) extra(id string, r *domain.Registration, o domain.Order) error {
	r.PaidAmount += o.Amount
	r.RefundDue += o.Amount
	if err := t.tx.PutRegistration(r); err != nil {
		return err
	}
	if err := t.refundDue(r.Code, r.Status, o); err != nil {
		return err
	}
	return t.push(kindPayment, extraKey(o), dialog.Reply{
		Text: t.T(id, "Code", r.Code, "Amount", t.formatMoney(o.Amount), "Distance", t.distanceName(r.Distance)),
	})
}

// extraKey is the push key of the message about money owed back for o.
func extraKey(o domain.Order) string { return "extra:" + o.ID }

// refundDue writes money owed back for o to the audit log, where
// organizers see it on the record's page.
func (t *turn) refundDue(code string, status domain.Status, o domain.Order) error {
	return t.tx.Audit(&domain.AuditEntry{At: t.now, Admin: "payments", Action: "refund_due", Record: code,
		Detail: fmt.Sprintf("%s %d %s paid on order %s (%s), registration %s: to return", o.Purpose, o.Amount, o.Currency, o.ID, o.Status, status)})
}

// failed sends a new link when the failed order was the one to pay.
func (t *turn) failed(r *domain.Registration, o domain.Order) error {
	var next domain.Order
	var err error
	switch {
	case o.Purpose == domain.PurposeFee && r.Status == domain.StatusAwaitingPayment && r.Order == o.ID:
		next, err = t.newOrder(r, domain.PurposeFee, r.Due())
	case o.Purpose == domain.PurposeUpgrade && r.UpgradeOrder == o.ID:
		next, err = t.newOrder(r, domain.PurposeUpgrade, o.Amount)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	if err := t.tx.PutRegistration(r); err != nil {
		return err
	}
	l, err := t.payLink(next)
	if err != nil {
		return err
	}
	return t.push(kindPayment, "link:"+next.ID, dialog.Reply{
		Text:  t.failedText(r.Code, o, next),
		Links: []dialog.Link{l},
	})
}

// refunded takes money returned: the return of money owed back settles
// the debt; the refund of the fee of a settled entry releases its
// place.
func (t *turn) refunded(r *domain.Registration, o domain.Order) error {
	r.PaidAmount -= o.Amount
	switch {
	case r.RefundDue >= o.Amount:
		r.RefundDue -= o.Amount
	case o.Purpose == domain.PurposeFee && r.Status.Settled():
		if err := t.release(r, domain.StatusRefunded); err != nil {
			return err
		}
		return t.push(kindPayment, "refund:"+o.ID, dialog.Reply{
			Text: t.T(textOf(*r, "pay_refunded"), "Code", r.Code, "Name", r.Name, "Amount", t.formatMoney(o.Amount)),
		})
	}
	return t.tx.PutRegistration(r)
}

// completeUpgrade moves a paid registration to the dearer distance it
// paid the difference for: a bib of the new distance (the old one is
// retired) and the old place back to its waitlist.
func (t *turn) completeUpgrade(r *domain.Registration, amount int) error {
	from, to := r.Distance, r.UpgradeTo
	d, _ := t.ev.Distance(to)
	if err := t.moveBib(r, to); err != nil {
		return err
	}
	r.Distance, r.Fee, r.Discount = to, d.Fee, t.discount(*r, d.Fee)
	r.PaidAmount += amount
	if t.ev.Changes.RefundOnDowngrade {
		r.RefundDue = max(0, r.PaidAmount-t.price(*r, d.Fee))
	}
	r.UpgradeTo, r.UpgradeOrder, r.UpgradeUntil = "", "", time.Time{}
	if err := t.tx.PutRegistration(r); err != nil {
		return err
	}
	if err := t.tx.ReleasePlace(from, r.Mode); err != nil {
		return err
	}
	return t.offerPlaces(from, r.Mode)
}

// onlineWhen is when the online run is: its window, for days, or race
// day when the event file sets none. It has no start time.
func (t *turn) onlineWhen() string {
	if opens, closes := t.ev.OnlineRun.Window(); !opens.IsZero() {
		return t.T("confirm_online_window", "From", t.formatTime(opens), "To", t.formatTime(closes))
	}
	return t.T("confirm_online_day", "Date", t.formatDate(t.ev.Day()))
}

// confirmation is the message of a paid entry: for a runner the
// distance, bib, date and, at the venue, where to pick the kit up; for
// a child when and where Fun Starts is and what to bring.
func (t *turn) confirmation(r domain.Registration, id string, args ...any) dialog.Reply {
	if r.Kind == domain.KindChild {
		fs := t.ev.FunStarts
		args = append(args, "Name", r.Name, "Code", r.Code, "Date", t.formatDate(t.ev.Day()), "Time", fs.StartTime,
			"Place", fs.Place.In(t.u.Lang), "Bring", fs.WhatToBring.In(t.u.Lang))
		return dialog.Reply{Text: t.T(textOf(r, id), args...), Choices: []dialog.Choice{t.choice("menu_mine", payMine)}}
	}
	d, _ := t.ev.Distance(r.Distance)
	bib := t.T("bib_at_pickup")
	if r.Bib > 0 {
		bib = fmt.Sprint(r.Bib)
	}
	when := t.T("confirm_when", "Date", t.formatDate(t.ev.Day()), "Time", d.StartTime)
	kit := t.T("confirm_kit", "Place", t.ev.Kit.Place.In(t.u.Lang), "Windows", t.kitWindows())
	if r.Mode == event.Online {
		when, kit = t.onlineWhen(), t.T("confirm_online")
	}
	args = append(args, "Name", r.Name, "Code", r.Code, "Distance", t.distanceName(r.Distance),
		"Mode", modeName(t, r.Mode), "Bib", bib, "When", when, "Kit", kit)
	return dialog.Reply{Text: t.T(id, args...), Choices: []dialog.Choice{t.choice("menu_mine", payMine)}}
}
