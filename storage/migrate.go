package storage

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// The buckets of Fun Starts before schema 3: children by code, an index
// by user, the places taken (one counter, "taken") and the deadlines of
// unpaid sign-ups. Only the check of an old file and the migration read
// them.
var (
	bucketChildrenV2       = []byte("children")
	bucketChildrenByUserV2 = []byte("children_by_user")
	bucketFunPlacesV2      = []byte("fun_places")
	bucketFunDeadlinesV2   = []byte("fun_deadlines")
)

// childV2 is a Fun Starts child as schema 2 stored it.
type childV2 struct {
	Code         string
	UserKey      string
	Lang         string
	ParentName   string
	ParentPhone  string
	Name         string
	Birth        string
	TShirt       string
	SupportNeeds string
	Fee          int
	Currency     string
	Status       domain.Status
	CreatedAt    time.Time
	ConsentAt    time.Time
	Order        string
	Orders       int
	HoldUntil    time.Time
	Reminded     bool
	PaidAmount   int
	RefundDue    int
	PaidAt       time.Time
}

// entry is the child as an entry of kind child: the parent is its
// guardian, the parent's phone its phone, its place one of Fun Starts.
func (c childV2) entry() domain.Registration {
	return domain.Registration{
		Code: c.Code, Kind: domain.KindChild, UserKey: c.UserKey, Lang: c.Lang,
		Name: c.Name, Birth: c.Birth, Phone: c.ParentPhone, Guardian: c.ParentName,
		Mode: event.InPerson, Distance: domain.FunStartsPlaces, TShirt: c.TShirt, SupportNeeds: c.SupportNeeds,
		Fee: c.Fee, Currency: c.Currency, Status: c.Status, CreatedAt: c.CreatedAt, ConsentAt: c.ConsentAt,
		Order: c.Order, Orders: c.Orders, HoldUntil: c.HoldUntil, Reminded: c.Reminded,
		PaidAmount: c.PaidAmount, RefundDue: c.RefundDue, PaidAt: c.PaidAt,
	}
}

// childrenToEntries is migration 3: every Fun Starts child becomes an
// entry of kind child in the registrations bucket, with its index by
// user and its deadline; the count of Fun Starts places taken becomes
// the place counter of FunStartsPlaces in person. The buckets of
// schema 2 are then dropped. Orders and the audit log are keyed by code
// and stay as they are.
func childrenToEntries(btx *bolt.Tx) error {
	kids := btx.Bucket(bucketChildrenV2)
	if kids == nil {
		return nil
	}
	t := &tx{btx: btx}
	err := kids.ForEach(func(k, v []byte) error {
		var c childV2
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("decode child %s: %w", k, err)
		}
		if btx.Bucket(bucketRegs).Get([]byte(c.Code)) != nil {
			return fmt.Errorf("child %s: the code is a registration's too", c.Code)
		}
		r := c.entry()
		if err := t.PutRegistration(&r); err != nil {
			return err
		}
		if err := btx.Bucket(bucketRegsByUser).Put(userIndexKey(r.UserKey, r.Code), nil); err != nil {
			return fmt.Errorf("index child %s: %w", r.Code, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if places := btx.Bucket(bucketFunPlacesV2); places != nil {
		taken := count(places, []byte("taken"))
		if err := btx.Bucket(bucketPlaces).Put(placesKey(domain.FunStartsPlaces, event.InPerson), u64(uint64(taken))); err != nil {
			return fmt.Errorf("Fun Starts places: %w", err)
		}
	}
	for _, b := range [][]byte{bucketChildrenV2, bucketChildrenByUserV2, bucketFunPlacesV2, bucketFunDeadlinesV2} {
		if btx.Bucket(b) == nil {
			continue
		}
		if err := btx.DeleteBucket(b); err != nil {
			return fmt.Errorf("drop bucket %s: %w", b, err)
		}
	}
	return nil
}
