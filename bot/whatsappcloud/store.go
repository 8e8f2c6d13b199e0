package whatsappcloud

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/runforautism/rfabot/flows"
)

// store keeps what the transport must remember across restarts: when
// each user last wrote (the 24-hour window) and the pushes held until
// they write again. It is DATA_DIR/whatsappcloud.db.
type store struct{ db *bolt.DB }

var (
	bucketSeen = []byte("seen")
	bucketHeld = []byte("held")
)

func openStore(path string) (*store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketSeen, bucketHeld} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &store{db: db}, nil
}

func (s *store) Close() error { return s.db.Close() }

// wrote records that userID wrote at at (a later time only).
func (s *store) wrote(userID string, at time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSeen)
		if old, err := time.Parse(time.RFC3339, string(b.Get([]byte(userID)))); err == nil && !at.After(old) {
			return nil
		}
		return b.Put([]byte(userID), []byte(at.UTC().Format(time.RFC3339)))
	})
}

// lastWrote is when userID last wrote; zero when never or forgotten.
func (s *store) lastWrote(userID string) (time.Time, error) {
	var at time.Time
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSeen).Get([]byte(userID))
		if v == nil {
			return nil
		}
		var err error
		at, err = time.Parse(time.RFC3339, string(v))
		return err
	})
	return at, err
}

// closeWindow forgets when userID wrote: WhatsApp said the window is
// closed (error 131047).
func (s *store) closeWindow(userID string) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSeen).Delete([]byte(userID)) })
}

// hold keeps r for userID, after the replies held before.
func (s *store) hold(userID string, r flows.Reply) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHeld)
		var held []flows.Reply
		if v := b.Get([]byte(userID)); v != nil {
			if err := json.Unmarshal(v, &held); err != nil {
				return fmt.Errorf("held pushes of %s: %w", userID, err)
			}
		}
		v, err := json.Marshal(append(held, r))
		if err != nil {
			return err
		}
		return b.Put([]byte(userID), v)
	})
}

// held lists the replies held for userID, oldest first.
func (s *store) held(userID string) ([]flows.Reply, error) {
	var held []flows.Reply
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketHeld).Get([]byte(userID))
		if v == nil {
			return nil
		}
		return json.Unmarshal(v, &held)
	})
	return held, err
}

// release drops the first n held replies of userID, once sent.
func (s *store) release(userID string, n int) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHeld)
		var held []flows.Reply
		v := b.Get([]byte(userID))
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &held); err != nil {
			return err
		}
		if n >= len(held) {
			return b.Delete([]byte(userID))
		}
		nv, err := json.Marshal(held[n:])
		if err != nil {
			return err
		}
		return b.Put([]byte(userID), nv)
	})
}
