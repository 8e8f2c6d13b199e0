package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEvery(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var logs bytes.Buffer
	var mu sync.Mutex
	calls := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		Every(ctx, time.Millisecond, slog.New(slog.NewTextHandler(&logs, nil)), "holds", func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 3 {
				cancel()
			}
			return errors.New("storage busy")
		})
	}()
	<-done
	if calls != 3 {
		t.Errorf("calls = %d, want 3 (it goes on after errors and stops with ctx)", calls)
	}
	if !strings.Contains(logs.String(), "work=holds") || !strings.Contains(logs.String(), "storage busy") {
		t.Errorf("log: %s", logs.String())
	}
}
