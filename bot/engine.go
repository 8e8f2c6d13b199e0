// Package bot is the runtime between the messengers and the flows: it
// keeps each user's messages in order, handles different users in
// parallel, and turns a failure inside one update into a logged error and
// a kind apology instead of a crash. Channel adapters live in its
// subpackages and never import each other.
package bot

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync"

	"github.com/runforautism/rfabot/flows"
)

// Conversation is what the engine asks for answers; *flows.Flows is one.
type Conversation interface {
	// Handle answers one message and saves the step.
	Handle(ctx context.Context, msg flows.Message) ([]flows.Reply, error)
	// Apology is the reply when Handle failed.
	Apology(ctx context.Context, msg flows.Message) flows.Reply
	// Current is the question a user is on, without changing anything.
	Current(ctx context.Context, channel, userID string) (flows.Reply, error)
}

// Engine routes messages to per-user queues.
type Engine struct {
	conv Conversation
	log  *slog.Logger

	mu     sync.Mutex
	queues map[string]*queue
	wg     sync.WaitGroup
}

type job struct {
	ctx     context.Context
	msg     flows.Message
	deliver func([]flows.Reply)
}

type queue struct {
	jobs []job
}

// NewEngine returns an engine answering through conv.
func NewEngine(conv Conversation, log *slog.Logger) *Engine {
	return &Engine{conv: conv, log: log, queues: map[string]*queue{}}
}

// Dispatch queues msg behind the earlier messages of the same user and
// returns at once; deliver gets the replies. Messages of one user are
// handled one at a time, in the order Dispatch was called.
func (e *Engine) Dispatch(ctx context.Context, msg flows.Message, deliver func([]flows.Reply)) {
	key := msg.UserKey()
	e.mu.Lock()
	q, running := e.queues[key]
	if !running {
		q = &queue{}
		e.queues[key] = q
	}
	q.jobs = append(q.jobs, job{ctx: ctx, msg: msg, deliver: deliver})
	e.mu.Unlock()
	if !running {
		e.wg.Add(1)
		go e.drain(key, q)
	}
}

// Handle answers msg and waits for the replies.
func (e *Engine) Handle(ctx context.Context, msg flows.Message) []flows.Reply {
	done := make(chan []flows.Reply, 1)
	e.Dispatch(ctx, msg, func(r []flows.Reply) { done <- r })
	return <-done
}

// Current is the question the user is on.
func (e *Engine) Current(ctx context.Context, channel, userID string) (flows.Reply, error) {
	return e.conv.Current(ctx, channel, userID)
}

// Wait blocks until every dispatched message has been handled.
func (e *Engine) Wait() { e.wg.Wait() }

func (e *Engine) drain(key string, q *queue) {
	defer e.wg.Done()
	for {
		e.mu.Lock()
		if len(q.jobs) == 0 {
			delete(e.queues, key)
			e.mu.Unlock()
			return
		}
		j := q.jobs[0]
		q.jobs = q.jobs[1:]
		e.mu.Unlock()
		j.deliver(e.handle(j.ctx, j.msg))
	}
}

// handle answers one message; a panic or an error inside becomes a log
// entry and an apology. What the user wrote is never logged.
func (e *Engine) handle(ctx context.Context, msg flows.Message) (out []flows.Reply) {
	defer func() {
		if r := recover(); r != nil {
			e.log.Error("panic while handling a message", "channel", msg.Channel, "user", msg.UserID,
				"panic", r, "stack", string(debug.Stack()))
			out = []flows.Reply{e.conv.Apology(ctx, msg)}
		}
	}()
	out, err := e.conv.Handle(ctx, msg)
	if err != nil {
		e.log.Error("handling a message failed", "channel", msg.Channel, "user", msg.UserID, "err", err)
		return []flows.Reply{e.conv.Apology(ctx, msg)}
	}
	return out
}
