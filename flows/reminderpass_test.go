package flows_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// afterRead changes the database once, right after the first read: what
// a participant does while a pass of the scheduler runs.
type afterRead struct {
	domain.Store
	once   sync.Once
	change func()
}

func (a *afterRead) View(ctx context.Context, fn func(domain.Tx) error) error {
	err := a.Store.View(ctx, fn)
	a.once.Do(a.change)
	return err
}

// A reminder to more people than one write queues reaches each of them
// once, over several writes; a registration cancelled between the read
// that finds the audience and the writes is not reminded.
func TestReminderToManyInSeveralWrites(t *testing.T) {
	h := newHarness(t, nil)
	early := time.Date(2027, 3, 1, 10, 0, 0, 0, h.ev.Location())
	const n = 1201
	distances := []string{"1k", "2.5k", "5k", "10k"}
	for i := range n {
		h.participant(fmt.Sprintf("p%d", i), "ru", domain.Registration{Code: fmt.Sprintf("RFA-%04d", i), Status: domain.StatusPaid,
			Distance: distances[i%4], CreatedAt: early}, nil)
	}
	store := &afterRead{Store: h.store, change: func() {
		err := h.store.Update(context.Background(), func(tx domain.Tx) error {
			r, err := tx.Registration("RFA-0007")
			if err != nil {
				return err
			}
			r.Status = domain.StatusCancelled
			return tx.PutRegistration(&r)
		})
		if err != nil {
			t.Fatal(err)
		}
	}}
	conv := flows.New(flows.Config{Store: store, Event: h.ev, Catalog: h.cat})
	kitDue := time.Date(2027, 3, 28, 9, 0, 0, 0, h.ev.Location())
	runs, err := conv.QueueReminders(context.Background(), kitDue)
	if err != nil {
		t.Fatal(err)
	}
	var kit flows.ReminderRun
	for _, r := range runs {
		if r.ID == "kit" {
			kit = r
		}
	}
	if kit.Queued != n-1 {
		t.Errorf("kit reminder queued %d, want %d", kit.Queued, n-1)
	}
	for _, id := range []string{"p0", "p600", "p1200"} {
		if ps := h.pushes(id); len(ps) != 1 || ps[0].Kind != "reminder" {
			t.Errorf("%s: pushes %+v", id, ps)
		}
	}
	if ps := h.pushes("p7"); len(ps) != 0 {
		t.Errorf("cancelled meanwhile, yet reminded: %+v", ps)
	}
	again, err := conv.QueueReminders(context.Background(), kitDue.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if r.Queued != 0 {
			t.Errorf("second pass queued %d of %s", r.Queued, r.ID)
		}
	}
}
