package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot"
)

// apiError is a failed Bot API request, its text free of the token. It
// unwraps to bot.ErrUnreachable (403), bot.ErrRejected (400) or a
// *bot.RetryAfterError (429); anything else (5xx, network) is worth
// retrying with backoff.
type apiError struct {
	method string
	code   int
	reason string
	cause  error
}

func (e *apiError) Error() string { return "telegram " + e.method + ": " + e.reason }

func (e *apiError) Unwrap() error { return e.cause }

// ctxClient sends the library's requests under a context, which the
// library itself does not take.
type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (c ctxClient) Do(r *http.Request) (*http.Response, error) { return c.c.Do(r.WithContext(c.ctx)) }

// client is the bot's API bound to ctx for one request.
func (b *Bot) client(ctx context.Context, timeout time.Duration) (*tgbotapi.BotAPI, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	api := *b.api
	api.Client = ctxClient{ctx: ctx, c: b.http}
	return &api, cancel
}

// request makes one Bot API request.
func (b *Bot) request(ctx context.Context, method string, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	api, cancel := b.client(ctx, callTimeout)
	defer cancel()
	resp, err := api.Request(c)
	return resp, b.classify(method, err)
}

// call makes one Bot API request from its parameters, for what the
// library's configs lack.
func (b *Bot) call(ctx context.Context, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	api, cancel := b.client(ctx, callTimeout)
	defer cancel()
	resp, err := api.MakeRequest(method, params)
	return resp, b.classify(method, err)
}

// classify maps a request's error to bot.Sender's contract, with the
// token taken out of its text (the library puts it in URLs).
func (b *Bot) classify(method string, err error) error {
	if err == nil {
		return nil
	}
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return &apiError{method: method, reason: b.redact(err.Error())}
	}
	e := &apiError{method: method, code: te.Code, reason: b.redact(te.Message)}
	switch te.Code {
	case http.StatusForbidden:
		e.cause = bot.ErrUnreachable
	case http.StatusBadRequest:
		e.cause = bot.ErrRejected
	case http.StatusTooManyRequests:
		wait := time.Duration(te.RetryAfter) * time.Second
		if wait <= 0 {
			wait = time.Second
		}
		e.cause = &bot.RetryAfterError{Wait: wait}
	}
	return e
}

func (b *Bot) redact(s string) string {
	for _, t := range []string{b.cfg.Token, url.PathEscape(b.cfg.Token), url.QueryEscape(b.cfg.Token)} {
		if t != "" {
			s = strings.ReplaceAll(s, t, "<token>")
		}
	}
	return s
}

// retry runs op until it succeeds, fails for good (403, 400) or has been
// tried Attempts times: after a 429 it waits retry_after, after anything
// else Backoff, doubled each time.
func (b *Bot) retry(ctx context.Context, op func() error) error {
	wait := b.cfg.Backoff
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || errors.Is(err, bot.ErrUnreachable) || errors.Is(err, bot.ErrRejected) || attempt >= b.cfg.Attempts {
			return err
		}
		pause := wait
		var ra *bot.RetryAfterError
		if errors.As(err, &ra) {
			pause = ra.Wait
		} else {
			wait = min(2*wait, 30*time.Second)
		}
		if bot.Sleep(ctx, pause) != nil {
			return err
		}
	}
}

// once runs op a single time: pushes are retried by the outbox.
func once(_ context.Context, op func() error) error { return op() }
