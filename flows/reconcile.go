package flows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/runforautism/rfabot/domain"
)

// farFuture lists every deadline of the deadline indexes: each order
// awaiting payment belongs to a registration or child with a deadline.
const farFuture = 100 * 365 * 24 * time.Hour

// reconcileBatch is how many orders one tick asks the provider about,
// the longest silent first: a provider that is down slows one tick by
// at most this many timeouts, and the rest wait for the next.
const reconcileBatch = 20

// Reconcile runs from the same clock as the holds (Tick). It finds the
// open orders still without a link from the provider's API (after a
// restart) and queues them for RunLinks, and it asks the provider about
// every open order that has heard nothing for payment.reconcile_minutes:
// one it took the money for is applied as its notification would have
// been, so a lost notification costs nobody their place. report gets
// each failed look-up, for the organizers' log.
func (f *Flows) Reconcile(ctx context.Context, report func(orderID string, err error)) error {
	_, makes := f.linkMaker()
	finder, finds := f.payments.(PaymentFinder)
	if !makes && !finds {
		return nil
	}
	now := f.now()
	var ask []domain.Order
	err := f.store.View(ctx, func(tx domain.Tx) error {
		open, err := openOrders(tx, now)
		if err != nil {
			return err
		}
		for _, o := range open {
			if makes && o.LinkURL == "" {
				f.linkQ.add(o.ID, now)
				continue
			}
			if finds && !now.Before(lastHeard(o).Add(f.ev.Payment.Reconcile())) {
				ask = append(ask, o)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list orders awaiting payment: %w", err)
	}
	slices.SortStableFunc(ask, func(a, b domain.Order) int { return lastHeard(a).Compare(lastHeard(b)) })
	for _, o := range ask[:min(len(ask), reconcileBatch)] {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		cctx, cancel := context.WithTimeout(ctx, linkCallTimeout)
		p, paid, err := finder.FindPayment(cctx, o)
		cancel()
		if err != nil {
			report(o.ID, fmt.Errorf("look up: %w", err))
			continue
		}
		if paid {
			p.OrderID, p.Status = o.ID, domain.PaymentPaid
			if _, err := f.ApplyPayment(ctx, p); err != nil {
				return err
			}
		}
		if err := f.heard(ctx, o.ID); err != nil {
			return err
		}
	}
	return nil
}

// lastHeard is the last time anything happened to o: made, its link
// made, a word from the provider.
func lastHeard(o domain.Order) time.Time {
	t := o.CreatedAt
	for _, u := range []time.Time{o.LinkAt, o.HeardAt} {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// heard records that the provider was asked about order id now, so the
// next look-up waits reconcile_minutes again.
func (f *Flows) heard(ctx context.Context, id string) error {
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		o, err := tx.Order(id)
		if err != nil {
			return err
		}
		o.HeardAt = f.now()
		return tx.PutOrder(&o)
	})
	if err != nil {
		return fmt.Errorf("order %s heard: %w", id, err)
	}
	return nil
}

// openOrders lists the open orders of entries (runners' and children's)
// that wait for payment: fees and upgrades.
func openOrders(tx domain.Tx, now time.Time) ([]domain.Order, error) {
	var ids []string
	regs, err := tx.Due(now.Add(farFuture))
	if err != nil {
		return nil, err
	}
	for _, r := range regs {
		if r.Status == domain.StatusAwaitingPayment && r.Order != "" {
			ids = append(ids, r.Order)
		}
		if r.UpgradeOrder != "" {
			ids = append(ids, r.UpgradeOrder)
		}
	}
	var open []domain.Order
	for _, id := range ids {
		o, err := tx.Order(id)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if o.Status == domain.OrderOpen {
			open = append(open, o)
		}
	}
	return open, nil
}
