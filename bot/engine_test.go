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
	"github.com/runforautism/rfabot/bot/bottest"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

// fakeConv is a Conversation whose behaviour a test sets.
type fakeConv struct {
	handle func(ctx context.Context, msg dialog.Message) ([]dialog.Reply, error)
}

func (f *fakeConv) Handle(ctx context.Context, msg dialog.Message) (flows.Answer, error) {
	r, err := f.handle(ctx, msg)
	return flows.Answer{Replies: r}, err
}

func (f *fakeConv) Apology(context.Context, dialog.Message) dialog.Reply {
	return dialog.Reply{Text: "sorry"}
}

func TestPanicIsRecovered(t *testing.T) {
	var logs bytes.Buffer
	conv := &fakeConv{handle: func(_ context.Context, msg dialog.Message) ([]dialog.Reply, error) {
		if msg.Text == "boom" {
			panic("index out of range")
		}
		return []dialog.Reply{{Text: "echo " + msg.Text}}, nil
	}}
	e := bot.NewEngine(conv, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := context.Background()
	got := bottest.Handle(ctx, e, dialog.Message{Channel: "c", UserID: "a", Text: "boom"})
	if len(got) != 1 || got[0].Text != "sorry" {
		t.Fatalf("after panic got %+v, want the apology", got)
	}
	if !strings.Contains(logs.String(), "index out of range") || !strings.Contains(logs.String(), "engine.go") {
		t.Errorf("panic not logged with a stack: %s", logs.String())
	}
	if strings.Contains(logs.String(), "boom") {
		t.Error("the user's text reached the log")
	}
	if got := bottest.Handle(ctx, e, dialog.Message{Channel: "c", UserID: "a", Text: "hi"}); got[0].Text != "echo hi" {
		t.Errorf("after a panic the bot answered %+v", got)
	}
}

func TestErrorBecomesApology(t *testing.T) {
	var logs bytes.Buffer
	conv := &fakeConv{handle: func(context.Context, dialog.Message) ([]dialog.Reply, error) {
		return nil, errors.New("disk full")
	}}
	e := bot.NewEngine(conv, slog.New(slog.NewTextHandler(&logs, nil)))
	got := bottest.Handle(context.Background(), e, dialog.Message{Channel: "c", UserID: "a", Text: "не хочу жить"})
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
	conv := &fakeConv{handle: func(_ context.Context, msg dialog.Message) ([]dialog.Reply, error) {
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
		return []dialog.Reply{{Text: msg.Text}}, nil
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
			e.Dispatch(context.Background(), dialog.Message{Channel: "c", UserID: uid, Text: fmt.Sprint(m)}, func(a flows.Answer) {
				defer delivered.Done()
				if r := a.Replies; r[0].Text != fmt.Sprint(want) {
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

// A panic while an answer is delivered (in a channel's sending) is
// logged and stays with that message: the user's next message is
// answered.
func TestPanicInDeliveryIsRecovered(t *testing.T) {
	var logs bytes.Buffer
	conv := &fakeConv{handle: func(_ context.Context, msg dialog.Message) ([]dialog.Reply, error) {
		return []dialog.Reply{{Text: "echo " + msg.Text}}, nil
	}}
	e := bot.NewEngine(conv, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := context.Background()
	e.Dispatch(ctx, dialog.Message{Channel: "c", UserID: "a", Text: "one"}, func(flows.Answer) { panic("nil map") })
	if got := bottest.Handle(ctx, e, dialog.Message{Channel: "c", UserID: "a", Text: "two"}); len(got) != 1 || got[0].Text != "echo two" {
		t.Fatalf("after a panic in delivery got %+v", got)
	}
	e.Wait()
	if !strings.Contains(logs.String(), "panic while delivering an answer") || !strings.Contains(logs.String(), "nil map") {
		t.Errorf("panic not logged: %s", logs.String())
	}
}
