// Package bottest drives the engine as a channel adapter does, for the
// tests of the flows and the channels: a message goes in through the
// engine's one entry point, and the test waits for its answer.
package bottest

import (
	"context"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

// Dispatcher is the engine's entry point; *bot.Engine is one.
type Dispatcher interface {
	Dispatch(ctx context.Context, msg dialog.Message, deliver func(flows.Answer))
}

// Answer dispatches msg and waits for its answer.
func Answer(ctx context.Context, e Dispatcher, msg dialog.Message) flows.Answer {
	done := make(chan flows.Answer, 1)
	e.Dispatch(ctx, msg, func(a flows.Answer) { done <- a })
	return <-done
}

// Handle dispatches msg and waits for its replies.
func Handle(ctx context.Context, e Dispatcher, msg dialog.Message) []dialog.Reply {
	return Answer(ctx, e, msg).Replies
}
