package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/flows"
)

// fakeConv is a Conversation whose behaviour a test sets.
type fakeConv struct {
	handle func(ctx context.Context, msg flows.Message) ([]flows.Reply, error)
}

func (f *fakeConv) Handle(ctx context.Context, msg flows.Message) ([]flows.Reply, error) {
	return f.handle(ctx, msg)
}

func (f *fakeConv) Apology(context.Context, flows.Message) flows.Reply {
	return flows.Reply{Text: "sorry"}
}

func (f *fakeConv) Current(context.Context, string, string) (flows.Reply, error) {
	return flows.Reply{}, nil
}

func TestPanicIsRecovered(t *testing.T) {
	var logs bytes.Buffer
	conv := &fakeConv{handle: func(_ context.Context, msg flows.Message) ([]flows.Reply, error) {
		if msg.Text == "boom" {
			panic("index out of range")
		}
		return []flows.Reply{{Text: "echo " + msg.Text}}, nil
	}}
	e := bot.NewEngine(conv, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := context.Background()
	got := e.Handle(ctx, flows.Message{Channel: "c", UserID: "a", Text: "boom"})
	if len(got) != 1 || got[0].Text != "sorry" {
		t.Fatalf("after panic got %+v, want the apology", got)
	}
	if !strings.Contains(logs.String(), "index out of range") || !strings.Contains(logs.String(), "engine.go") {
		t.Errorf("panic not logged with a stack: %s", logs.String())
	}
	if strings.Contains(logs.String(), "boom") {
		t.Error("the user's text reached the log")
	}
	if got := e.Handle(ctx, flows.Message{Channel: "c", UserID: "a", Text: "hi"}); got[0].Text != "echo hi" {
		t.Errorf("after a panic the bot answered %+v", got)
	}
}

func TestErrorBecomesApology(t *testing.T) {
	var logs bytes.Buffer
	conv := &fakeConv{handle: func(context.Context, flows.Message) ([]flows.Reply, error) {
		return nil, errors.New("disk full")
	}}
	e := bot.NewEngine(conv, slog.New(slog.NewTextHandler(&logs, nil)))
	got := e.Handle(context.Background(), flows.Message{Channel: "c", UserID: "a", Text: "не хочу жить"})
	if len(got) != 1 || got[0].Text != "sorry" {
		t.Fatalf("got %+v, want the apology", got)
	}
	if !strings.Contains(logs.String(), "disk full") {
		t.Errorf("error not logged: %s", logs.String())
	}
	if strings.Contains(logs.String(), "жить") {
		t.Error("the user's text reached the log")
	}
}

func TestOneUserInOrderManyInParallel(t *testing.T) {
	var mu sync.Mutex
	seen := map[string][]int{}
	var inFlight, maxInFlight atomic.Int32
	conv := &fakeConv{handle: func(_ context.Context, msg flows.Message) ([]flows.Reply, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		var i int
		fmt.Sscan(msg.Text, &i)
		mu.Lock()
		seen[msg.UserID] = append(seen[msg.UserID], i)
		mu.Unlock()
		return []flows.Reply{{Text: msg.Text}}, nil
	}}
	e := bot.NewEngine(conv, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	const users, msgs = 20, 30
	var delivered sync.WaitGroup
	var orderErr atomic.Value
	for m := range msgs {
		for u := range users {
			delivered.Add(1)
			uid := fmt.Sprintf("u%d", u)
			want := m
			e.Dispatch(context.Background(), flows.Message{Channel: "c", UserID: uid, Text: fmt.Sprint(m)}, func(r []flows.Reply) {
				defer delivered.Done()
				if r[0].Text != fmt.Sprint(want) {
					orderErr.Store(fmt.Sprintf("%s got reply %q for message %d", uid, r[0].Text, want))
				}
			})
		}
	}
	delivered.Wait()
	e.Wait()
	if v := orderErr.Load(); v != nil {
		t.Fatal(v)
	}
	for u, got := range seen {
		for i, v := range got {
			if v != i {
				t.Fatalf("%s: handled %v, want 0..%d in order", u, got, msgs-1)
			}
		}
	}
	if maxInFlight.Load() < 2 {
		t.Errorf("at most %d users handled at once, want parallel handling", maxInFlight.Load())
	}
}
