package storage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/storage"
)

// schema2Children copies testdata/schema2-children.db, written by the
// code before entries had kinds (testdata/schema2-children.md), to a
// temporary file.
func schema2Children(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "schema2-children.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bot.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMigrateChildren opens a database of schema 2, with Fun Starts
// children in every status: each comes through as an entry of kind
// child with its code, status, order, payment and parent, the places
// of Fun Starts are counted as before, the unpaid one's deadline is
// due, its orders and audit entries are where they were, and the
// buckets of schema 2 are gone.
func TestMigrateChildren(t *testing.T) {
	path := schema2Children(t)
	if rep, err := storage.Check(path, ""); err != nil || !rep.OK() || rep.Count("children") != 5 {
		t.Fatalf("the schema 2 file checks: %+v, %v", rep, err)
	}
	s := MustOpenPath(t, path)
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	type want struct {
		status              domain.Status
		user, parent, phone string
		order               string
		orders, paid, due   int
		paidAt, holdUntil   time.Time
		reminded            bool
		notes               string
	}
	tg, wa := "telegram:1", "whatsapp:77020000000"
	aigerim, marat := "Айгерим Серикова", "Марат Ахметов"
	children := map[string]want{
		"RFA-FS-PAID": {status: domain.StatusConfirmed, user: tg, parent: aigerim, phone: "+77011234567", orders: 1, paid: 2000,
			paidAt: at.Add(2 * time.Hour), notes: "не любит громкие звуки"},
		"RFA-FS-OPEN": {status: domain.StatusAwaitingPayment, user: tg, parent: aigerim, phone: "+77011234567", order: "RFA-FS-OPEN-2",
			orders: 2, holdUntil: at.Add(48 * time.Hour), reminded: true},
		"RFA-FS-LAPS": {status: domain.StatusLapsed, user: wa, parent: marat, phone: "+77020000000", orders: 1},
		"RFA-FS-CANC": {status: domain.StatusCancelled, user: wa, parent: marat, phone: "+77020000000", orders: 1, paid: 2000, due: 2000,
			paidAt: at.Add(3 * time.Hour)},
		"RFA-FS-REFD": {status: domain.StatusRefunded, user: tg, parent: aigerim, phone: "+77011234567", orders: 1},
	}
	err := s.View(t.Context(), func(tx domain.Tx) error {
		for code, w := range children {
			c, err := tx.Registration(code)
			if err != nil {
				t.Errorf("%s: %v", code, err)
				continue
			}
			if c.Kind != domain.KindChild || c.Status != w.status || c.UserKey != w.user || c.Guardian != w.parent || c.Phone != w.phone ||
				c.Order != w.order || c.Orders != w.orders || c.PaidAmount != w.paid || c.RefundDue != w.due ||
				!c.PaidAt.Equal(w.paidAt) || !c.HoldUntil.Equal(w.holdUntil) || c.Reminded != w.reminded || c.SupportNeeds != w.notes ||
				c.Fee != 2000 || c.Currency != "KZT" || c.TShirt != "110" || !strings.HasPrefix(c.Birth, "2019-06-0") ||
				c.Distance != domain.FunStartsPlaces || c.Mode != event.InPerson || c.Bib != 0 {
				t.Errorf("%s migrated as %+v, want %+v", code, c, w)
			}
			for i := 1; i <= w.orders; i++ {
				if o, err := tx.Order(code + "-" + string(rune('0'+i))); err != nil || o.Code != code {
					t.Errorf("order %d of %s: %+v, %v", i, code, o, err)
				}
			}
		}
		if n, _ := tx.PlacesTaken(domain.FunStartsPlaces, event.InPerson); n != 2 {
			t.Errorf("Fun Starts places taken = %d, want 2 (paid and unpaid)", n)
		}
		if n, _ := tx.PlacesTaken("5k", event.InPerson); n != 1 {
			t.Errorf("runners' places taken = %d, want 1", n)
		}
		var got []string
		for _, user := range []string{tg, wa} {
			all, err := tx.Registrations(user)
			if err != nil {
				return err
			}
			for _, r := range all {
				got = append(got, r.Code)
			}
		}
		if strings.Join(got, " ") != "RFA-AAAA RFA-FS-PAID RFA-FS-OPEN RFA-FS-REFD RFA-FS-LAPS RFA-FS-CANC" {
			t.Errorf("entries by user, oldest first: %q", got)
		}
		due, err := tx.Due(at.Add(100 * time.Hour))
		if len(due) != 1 || due[0].Code != "RFA-FS-OPEN" {
			t.Errorf("due %+v", due)
		}
		if run, _ := tx.Registration("RFA-AAAA"); run.Kind != domain.KindRunner || run.Bib != 101 || run.Status != domain.StatusPaid {
			t.Errorf("the runner: %+v", run)
		}
		if log, _ := tx.AuditOf("RFA-FS-CANC"); len(log) != 1 || log[0].Detail != "asked by phone" {
			t.Errorf("audit %+v", log)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bolt.Tx) error {
		for _, b := range []string{"children", "children_by_user", "fun_places", "fun_deadlines"} {
			if tx.Bucket([]byte(b)) != nil {
				t.Errorf("bucket %s of schema 2 is still there", b)
			}
		}
		if v := tx.Bucket([]byte("meta")).Get([]byte("schema")); len(v) != 8 || int(v[7]) != storage.SchemaVersion || storage.SchemaVersion != 3 {
			t.Errorf("schema %v, want 3", v)
		}
		return nil
	})
	db.Close()
	// Opened again, nothing moves twice.
	s = MustOpenPath(t, path)
	s.View(t.Context(), func(tx domain.Tx) error {
		if n, _ := tx.PlacesTaken(domain.FunStartsPlaces, event.InPerson); n != 2 {
			t.Errorf("reopened: Fun Starts places taken = %d", n)
		}
		return nil
	})
}
