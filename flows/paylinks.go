package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
)

// Links made by a provider's API. The test checkout and the custom
// contract compute a link inside the transaction (PaymentLinks.Link). A
// real provider (TipTop Pay, Freedom Pay) makes it with a call to its
// API, which takes a while and may fail, so it never runs inside a
// storage transaction: the order is stored without a link and the
// participant told the link is on its way; RunLinks calls the API,
// retrying with backoff, keeps the link on the order (asking again gives
// the same link, with no second call) and pushes it to the participant.

// ErrLinkByAPI is what PaymentLinks.Link returns for a provider whose
// API makes the link (a LinkMaker).
var ErrLinkByAPI = errors.New("the provider's API makes this link")

// LinkRequest is what a provider's API takes to make the link of an
// order.
type LinkRequest struct {
	Order domain.Order
	// Lang is the participant's language (kk, ru, en).
	Lang string
	// Description names what is paid, in Lang: the distance, the name
	// and the code.
	Description string
	// Phone is the participant's phone (+77011234567), or "".
	Phone string
	// AccountID is the participant's user key.
	AccountID string
	// Until is when the hold lapses: the link is of no use after it.
	Until time.Time
}

// MadeLink is a link a provider's API made.
type MadeLink struct {
	// URL is the provider's payment page.
	URL string
	// Ref is the provider's id of the link (TipTop Pay's order id,
	// Freedom Pay's payment id), or "".
	Ref string
}

// LinkMaker is a payment provider whose API makes the payment link.
type LinkMaker interface {
	// MakeLink asks the provider for the link of req.Order. An error is
	// retried later; its text is for the organizers' log only.
	MakeLink(ctx context.Context, req LinkRequest) (MadeLink, error)
}

// PaymentFinder is a payment provider that says whether it took the
// money for an order: reconciliation of a notification that never came.
type PaymentFinder interface {
	// FindPayment asks the provider about order o: paid is true, with
	// the payment, when it took the money.
	FindPayment(ctx context.Context, o domain.Order) (p domain.Payment, paid bool, err error)
}

// Link backoff: the first retry after linkRetryMin, doubling up to
// linkRetryMax; an order not found (its transaction not committed yet,
// or rolled back) is looked for again after linkRetryMin for
// linkForget.
const (
	linkRetryMin = time.Second
	linkRetryMax = 5 * time.Minute
	linkForget   = time.Minute
	// linkCallTimeout bounds one call to the provider.
	linkCallTimeout = 20 * time.Second
)

// linkQueue is the orders waiting for a link from the provider's API.
// It lives in memory: Reconcile finds the orders left without a link
// after a restart.
type linkQueue struct {
	mu   sync.Mutex
	want map[string]*linkWant
	wake chan struct{}
}

// linkWant is one order waiting for its link.
type linkWant struct {
	since    time.Time
	next     time.Time
	attempts int
}

func newLinkQueue() *linkQueue {
	return &linkQueue{want: map[string]*linkWant{}, wake: make(chan struct{}, 1)}
}

// add asks for the link of order id; asking again changes nothing.
func (q *linkQueue) add(id string, now time.Time) {
	q.mu.Lock()
	if _, ok := q.want[id]; !ok {
		q.want[id] = &linkWant{since: now, next: now}
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// due lists the orders whose next try is due at now, and when the next
// one after them is (zero: none waits).
func (q *linkQueue) due(now time.Time) (ids []string, next time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for id, w := range q.want {
		if !w.next.After(now) {
			ids = append(ids, id)
		} else if next.IsZero() || w.next.Before(next) {
			next = w.next
		}
	}
	return ids, next
}

// done takes id off the queue.
func (q *linkQueue) done(id string) {
	q.mu.Lock()
	delete(q.want, id)
	q.mu.Unlock()
}

// retry puts id's next try after the backoff; missing says the order
// was not found, which is given up after linkForget.
func (q *linkQueue) retry(id string, now time.Time, missing bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	w, ok := q.want[id]
	if !ok {
		return
	}
	if missing {
		if now.Sub(w.since) >= linkForget {
			delete(q.want, id)
			return
		}
		w.next = now.Add(linkRetryMin)
		return
	}
	w.attempts++
	d := linkRetryMin << min(w.attempts-1, 16)
	w.next = now.Add(min(d, linkRetryMax))
}

// linkMaker is the provider when its API makes the links.
func (f *Flows) linkMaker() (LinkMaker, bool) {
	m, ok := f.payments.(LinkMaker)
	return m, ok
}

// apiLink is the link of o when the provider's API makes it: the one
// kept on the order or, while it is on its way, "" with o queued for
// RunLinks and the user told it is coming.
func (t *turn) apiLink(o domain.Order) string {
	if o.LinkURL != "" {
		return o.LinkURL
	}
	t.linkQ.add(o.ID, t.now)
	t.notePending()
	return ""
}

// notePending tells the user, once a turn, that a link is on its way.
func (t *turn) notePending() {
	text := t.T("pay_link_coming")
	for _, n := range t.notes {
		if n == text {
			return
		}
	}
	t.notes = append(t.notes, text)
}

// withoutPending turns the links still on their way in a push into a
// sentence saying so: the link itself comes in a push of its own.
func (t *turn) withoutPending(r dialog.Reply) dialog.Reply {
	var links []dialog.Link
	pending := false
	for _, l := range r.Links {
		if l.URL == "" {
			pending = true
			continue
		}
		links = append(links, l)
	}
	if pending {
		r.Links = links
		r.Text = strings.TrimSpace(r.Text + "\n\n" + t.T("pay_link_coming"))
	}
	return r
}

// RunLinks makes the links of the orders waiting for one until ctx
// ends, when the provider's API makes them; report gets each failed
// call (for the organizers' log: participants only hear the link is on
// its way).
func (f *Flows) RunLinks(ctx context.Context, report func(orderID string, err error)) {
	if _, ok := f.linkMaker(); !ok {
		return
	}
	for {
		next := f.MakeLinks(ctx, report)
		wait := time.Hour
		if !next.IsZero() {
			wait = max(next.Sub(f.now()), 10*time.Millisecond)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-f.linkQ.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// MakeLinks makes every link due now, one call each, and says when the
// next try is due (zero: nothing waits).
func (f *Flows) MakeLinks(ctx context.Context, report func(orderID string, err error)) time.Time {
	maker, ok := f.linkMaker()
	if !ok {
		return time.Time{}
	}
	ids, _ := f.linkQ.due(f.now())
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		req, ok, err := f.linkRequest(ctx, id)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			f.linkQ.retry(id, f.now(), true)
			continue
		case err != nil:
			report(id, err)
			f.linkQ.retry(id, f.now(), false)
			continue
		case !ok:
			f.linkQ.done(id)
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, linkCallTimeout)
		made, err := maker.MakeLink(cctx, req)
		cancel()
		if err == nil && made.URL == "" {
			err = errors.New("the provider answered without a link")
		}
		if err != nil {
			report(id, err)
			f.linkQ.retry(id, f.now(), false)
			continue
		}
		if err := f.keepLink(ctx, id, made); err != nil {
			report(id, err)
			f.linkQ.retry(id, f.now(), false)
			continue
		}
		f.linkQ.done(id)
	}
	_, next := f.linkQ.due(f.now())
	return next
}

// linkRequest is what the provider needs to make the link of order id;
// ok is false when the order needs no link any more (paid, void, or its
// link made already).
func (f *Flows) linkRequest(ctx context.Context, id string) (req LinkRequest, ok bool, err error) {
	err = f.store.View(ctx, func(tx domain.Tx) error {
		o, err := tx.Order(id)
		if err != nil {
			return err
		}
		if o.Status != domain.OrderOpen || o.LinkURL != "" {
			return nil
		}
		t, r, err := f.entryOf(tx, o.Code, f.now())
		if err != nil {
			return fmt.Errorf("what order %s pays for: %w", id, err)
		}
		phone, until := payerOf(tx, o)
		if phone == "" {
			phone = t.u.Phone
		}
		req = LinkRequest{Order: o, Lang: t.u.Lang, Description: t.orderItem(r, o), Phone: phone, AccountID: t.u.Key, Until: until}
		ok = true
		return nil
	})
	return req, ok, err
}

// payerOf is the phone of whoever pays o and when its hold lapses, read
// from the entry it pays for.
func payerOf(tx domain.Tx, o domain.Order) (phone string, until time.Time) {
	r, err := tx.Registration(o.Code)
	if err != nil {
		return "", time.Time{}
	}
	if o.Purpose == domain.PurposeUpgrade {
		return r.Phone, r.UpgradeUntil
	}
	return r.Phone, r.HoldUntil
}

// keepLink stores a made link on its order and pushes it to the
// participant, once.
func (f *Flows) keepLink(ctx context.Context, id string, made MadeLink) error {
	return f.store.Update(ctx, func(tx domain.Tx) error {
		o, err := tx.Order(id)
		if err != nil {
			return err
		}
		if o.LinkURL != "" {
			return nil
		}
		now := f.now()
		o.LinkURL, o.LinkRef, o.LinkAt = made.URL, made.Ref, now
		if err := tx.PutOrder(&o); err != nil {
			return err
		}
		if o.Status != domain.OrderOpen {
			return nil
		}
		t, _, err := f.entryOf(tx, o.Code, now)
		if err != nil {
			return err
		}
		l, err := t.payLink(o)
		if err != nil {
			return err
		}
		return t.push(kindPayment, "paylink:"+o.ID, dialog.Reply{
			Text:  t.T("pay_link_ready", "Code", o.Code, "Amount", t.formatMoney(o.Amount)),
			Links: []dialog.Link{l},
		})
	})
}
