package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/runforautism/rfabot/domain"
)

// Results, imports, online-run submissions and files.
//
// results holds each registration's result by its code, imports each
// applied results file by its hash, submissions each online-run
// submission by its registration code. submissions_pending indexes the
// pending ones, "submitted-at code" (big-endian nanoseconds), so the
// next to review is the first key. files keeps bytes callers delete
// when done with them: an organizer's upload until it is applied, a
// proof until it is reviewed.

func (t *tx) Result(code string) (domain.Result, error) {
	var r domain.Result
	err := t.get(bucketResults, code, &r)
	return r, err
}

func (t *tx) PutResult(r *domain.Result) error { return t.put(bucketResults, r.Code, r) }

func (t *tx) EachResult(fn func(domain.Result) error) error {
	return t.btx.Bucket(bucketResults).ForEach(func(k, v []byte) error {
		var r domain.Result
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode result %s: %w", k, err)
		}
		return fn(r)
	})
}

func (t *tx) Import(hash string) (domain.Import, error) {
	var im domain.Import
	err := t.get(bucketImports, hash, &im)
	return im, err
}

func (t *tx) AddImport(im *domain.Import) error { return t.put(bucketImports, im.Hash, im) }

func (t *tx) Submission(code string) (domain.Submission, error) {
	var s domain.Submission
	err := t.get(bucketSubmissions, code, &s)
	return s, err
}

func pendingKey(s *domain.Submission) []byte { return timeKey(nil, s.SubmittedAt, s.Code) }

func (t *tx) PutSubmission(s *domain.Submission) error {
	pending := t.btx.Bucket(bucketSubmissionsPending)
	old, err := t.Submission(s.Code)
	switch {
	case err == nil:
		if old.Status == domain.SubmissionPending {
			if err := pending.Delete(pendingKey(&old)); err != nil {
				return fmt.Errorf("unindex submission %s: %w", s.Code, err)
			}
		}
	case !errors.Is(err, domain.ErrNotFound):
		return err
	}
	if err := t.put(bucketSubmissions, s.Code, s); err != nil {
		return err
	}
	if s.Status == domain.SubmissionPending {
		if err := pending.Put(pendingKey(s), nil); err != nil {
			return fmt.Errorf("index submission %s: %w", s.Code, err)
		}
	}
	return nil
}

func (t *tx) PendingSubmissions(limit int) ([]domain.Submission, error) {
	var out []domain.Submission
	c := t.btx.Bucket(bucketSubmissionsPending).Cursor()
	for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
		s, err := t.Submission(string(k[8:]))
		if err != nil {
			return nil, fmt.Errorf("pending submission %s: %w", k[8:], err)
		}
		out = append(out, s)
	}
	return out, nil
}

func (t *tx) PutFile(key string, data []byte) error {
	if err := t.btx.Bucket(bucketFiles).Put([]byte(key), data); err != nil {
		return fmt.Errorf("put file %s: %w", key, err)
	}
	return nil
}

func (t *tx) File(key string) ([]byte, error) {
	v := t.btx.Bucket(bucketFiles).Get([]byte(key))
	if v == nil {
		return nil, domain.ErrNotFound
	}
	return bytes.Clone(v), nil
}

func (t *tx) DeleteFile(key string) error {
	if err := t.btx.Bucket(bucketFiles).Delete([]byte(key)); err != nil {
		return fmt.Errorf("delete file %s: %w", key, err)
	}
	return nil
}
