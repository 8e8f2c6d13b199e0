package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/storage"
)

func TestResults(t *testing.T) {
	s := MustOpen(t)
	update(t, s, func(tx domain.Tx) error {
		if _, err := tx.Result("RFA-AAAA"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("missing result: err = %v, want ErrNotFound", err)
		}
		for _, r := range []domain.Result{
			{Code: "RFA-BBBB", Bib: 1002, Distance: "5k", Mode: event.InPerson, Status: domain.ResultFinished, Time: 25*time.Minute + 13*time.Second, Version: 1, Token: "t2"},
			{Code: "RFA-AAAA", Bib: 1001, Distance: "5k", Mode: event.InPerson, Status: domain.ResultDNF, Version: 1, Token: "t1"},
		} {
			if err := tx.PutResult(&r); err != nil {
				return err
			}
		}
		return nil
	})
	var codes []string
	err := s.View(context.Background(), func(tx domain.Tx) error {
		r, err := tx.Result("RFA-BBBB")
		if err != nil {
			return err
		}
		if r.Time != 25*time.Minute+13*time.Second || r.Token != "t2" || r.Status != domain.ResultFinished {
			t.Errorf("result read back as %+v", r)
		}
		return tx.EachResult(func(r domain.Result) error {
			codes = append(codes, r.Code)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 2 || codes[0] != "RFA-AAAA" || codes[1] != "RFA-BBBB" {
		t.Errorf("EachResult gave %v, want code order", codes)
	}
}

func TestImports(t *testing.T) {
	s := MustOpen(t)
	update(t, s, func(tx domain.Tx) error {
		if _, err := tx.Import("abc"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("missing import: err = %v", err)
		}
		return tx.AddImport(&domain.Import{Hash: "abc", Name: "results.csv", Admin: "console:org", Rows: 3, New: 2, Skipped: 1})
	})
	err := s.View(context.Background(), func(tx domain.Tx) error {
		im, err := tx.Import("abc")
		if err == nil && (im.Name != "results.csv" || im.New != 2 || im.Skipped != 1) {
			t.Errorf("import read back as %+v", im)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPendingSubmissions checks the review queue: earliest first, a
// resubmission moves to its new time, a reviewed one leaves the queue,
// and the queue survives a reopen.
func TestPendingSubmissions(t *testing.T) {
	s := MustOpen(t)
	at := time.Date(2027, 4, 3, 12, 0, 0, 0, time.UTC)
	sub := func(code string, minutes int) *domain.Submission {
		return &domain.Submission{Code: code, UserKey: "test:" + code, Distance: "5k", Time: 30 * time.Minute,
			ProofLink: "https://strava.com/activities/1", Status: domain.SubmissionPending, SubmittedAt: at.Add(time.Duration(minutes) * time.Minute)}
	}
	pending := func() []string {
		t.Helper()
		var out []string
		err := s.View(context.Background(), func(tx domain.Tx) error {
			subs, err := tx.PendingSubmissions(10)
			for _, s := range subs {
				out = append(out, s.Code)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	update(t, s, func(tx domain.Tx) error {
		for _, x := range []*domain.Submission{sub("RFA-CCCC", 3), sub("RFA-AAAA", 1), sub("RFA-BBBB", 2)} {
			if err := tx.PutSubmission(x); err != nil {
				return err
			}
		}
		return nil
	})
	if got := pending(); len(got) != 3 || got[0] != "RFA-AAAA" || got[1] != "RFA-BBBB" || got[2] != "RFA-CCCC" {
		t.Fatalf("pending = %v, want by time submitted", got)
	}
	update(t, s, func(tx domain.Tx) error {
		// RFA-AAAA sends again later; RFA-BBBB is approved.
		if err := tx.PutSubmission(sub("RFA-AAAA", 10)); err != nil {
			return err
		}
		b := sub("RFA-BBBB", 2)
		b.Status, b.ReviewedBy, b.ReviewedAt = domain.SubmissionApproved, "console:org", at.Add(time.Hour)
		return tx.PutSubmission(b)
	})
	if got := pending(); len(got) != 2 || got[0] != "RFA-CCCC" || got[1] != "RFA-AAAA" {
		t.Fatalf("pending = %v, want RFA-CCCC then the resubmitted RFA-AAAA", got)
	}
	path := s.Path()
	s.Close()
	s2, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	s = s2
	if got := pending(); len(got) != 2 {
		t.Fatalf("after reopen pending = %v", got)
	}
	err = s.View(context.Background(), func(tx domain.Tx) error {
		b, err := tx.Submission("RFA-BBBB")
		if err == nil && (b.Status != domain.SubmissionApproved || b.ReviewedBy != "console:org") {
			t.Errorf("reviewed submission read back as %+v", b)
		}
		if subs, err := tx.PendingSubmissions(1); err != nil || len(subs) != 1 {
			t.Errorf("limit 1 gave %d, %v", len(subs), err)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFiles(t *testing.T) {
	s := MustOpen(t)
	data := []byte("bib;time\n1001;0:25:13\n")
	update(t, s, func(tx domain.Tx) error { return tx.PutFile("import:console:org", data) })
	var got []byte
	err := s.View(context.Background(), func(tx domain.Tx) error {
		var err error
		got, err = tx.File("import:console:org")
		return err
	})
	if err != nil || string(got) != string(data) {
		t.Fatalf("file read back as %q, %v", got, err)
	}
	// The bytes outlive the transaction that read them.
	update(t, s, func(tx domain.Tx) error { return tx.PutFile("other", make([]byte, 64<<10)) })
	if string(got) != string(data) {
		t.Fatalf("file bytes changed after the transaction: %q", got)
	}
	update(t, s, func(tx domain.Tx) error {
		if err := tx.DeleteFile("import:console:org"); err != nil {
			return err
		}
		return tx.DeleteFile("never-there")
	})
	err = s.View(context.Background(), func(tx domain.Tx) error {
		_, err := tx.File("import:console:org")
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("deleted file: err = %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
