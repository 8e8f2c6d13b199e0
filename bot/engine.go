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

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

// Conversation is what the engine asks for answers; *flows.Flows is one.
type Conversation interface {
	// Handle answers one message and saves the step.
	Handle(ctx context.Context, msg dialog.Message) (flows.Answer, error)
	// Apology is the reply when Handle failed.
	Apology(ctx context.Context, msg dialog.Message) dialog.Reply
}

// Engine routes messages to per-user queues. It is the only way a
// message reaches the flows: every channel adapter calls Dispatch.
type Engine struct {
	conv Conversation
	log  *slog.Logger

	mu     sync.Mutex
	queues map[string]*queue
	wg     sync.WaitGroup
}

type job struct {
	ctx     context.Context
	msg     dialog.Message
	deliver func(flows.Answer)
}

type queue struct {
	jobs []job
}

// NewEngine returns an engine answering through conv.
func NewEngine(conv Conversation, log *slog.Logger) *Engine {
	return &Engine{conv: conv, log: log, queues: map[string]*queue{}}
}

// Dispatch queues msg behind the earlier messages of the same user and
// returns at once. Messages of one user are handled one at a time, in
// the order Dispatch was called, each in one transaction; deliver gets
// the answer once its step is saved, in the user's queue, so that the
// user's next message waits until deliver returns. A failure or a panic
// while handling becomes an apology; a panic in deliver is logged.
func (e *Engine) Dispatch(ctx context.Context, msg dialog.Message, deliver func(flows.Answer)) {
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

// Wait blocks until every dispatched message has been handled and its
// answer delivered.
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
		e.serve(j)
	}
}

// serve answers one message and delivers the answer. An error while
// handling becomes a log entry and an apology, as does a panic. What the
// user wrote is never logged.
func (e *Engine) serve(j job) {
	var a flows.Answer
	var err error
	if !e.safely("handling a message", j.msg, func() { a, err = e.conv.Handle(j.ctx, j.msg) }) {
		a = flows.Answer{Replies: []dialog.Reply{e.conv.Apology(j.ctx, j.msg)}}
	} else if err != nil {
		e.log.Error("handling a message failed", "channel", j.msg.Channel, "user", j.msg.UserID, "err", err)
		a = flows.Answer{Replies: []dialog.Reply{e.conv.Apology(j.ctx, j.msg)}}
	}
	e.safely("delivering an answer", j.msg, func() { j.deliver(a) })
}

// safely runs f and reports whether it returned; a panic in it is
// logged with its stack. This is the runtime's one recover: a panic
// anywhere in one message's handling or delivery stays with that
// message.
func (e *Engine) safely(doing string, msg dialog.Message, f func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			e.log.Error("panic while "+doing, "channel", msg.Channel, "user", msg.UserID,
				"panic", r, "stack", string(debug.Stack()))
		}
	}()
	f()
	return true
}
