// Package app is the bot's runtime: it opens the event file, storage and
// the flows, starts and stops the channels, the outbox workers, the
// clock-driven work and the HTTP server, and runs each subcommand.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/runforautism/rfabot/config"
)

// Run runs cfg's subcommand until it is done or ctx ends. Logs go to
// stderr; chat reads stdin and answers on stdout.
func Run(ctx context.Context, cfg config.Config, stdin io.Reader, stdout, stderr io.Writer) error {
	return run(ctx, cfg, stdin, stdout, stderr, func(string) {})
}

// run is Run; serve and chat call ready with the HTTP server's address
// once it serves ("" for a chat without one).
func run(ctx context.Context, cfg config.Config, stdin io.Reader, stdout, stderr io.Writer, ready func(addr string)) error {
	quiet := newLogger(stderr, cfg.LogLevel, slog.LevelWarn)
	switch cfg.Command {
	case "chat":
		return chat(ctx, cfg, quiet, stdin, stdout, ready)
	case "serve":
		return serve(ctx, cfg, newLogger(stderr, cfg.LogLevel, slog.LevelInfo), ready)
	case "whatsapp-pair":
		return pairWhatsApp(ctx, cfg, stdout, quiet)
	case "export":
		return exportFiles(ctx, cfg, stdout, quiet)
	case "backup":
		return backup(ctx, cfg, stdout, quiet)
	case "import-results":
		return importResults(ctx, cfg, cfg.Operands[0], stdout, quiet)
	case "check":
		return checkData(cfg, cfg.Operands, stdout)
	case "restore":
		return restore(cfg, cfg.Operands[0], stdout)
	}
	return fmt.Errorf("unknown command %q", cfg.Command)
}

// Started is serve or chat running in this process (Start).
type Started struct {
	// Addr is where its HTTP server listens, with the port the system
	// chose for HTTP_ADDR's port 0; "" for a chat that could not open
	// one.
	Addr   string
	cancel context.CancelFunc
	done   chan struct{}
	err    error
}

// Start runs serve or chat as Run does, in the background, and returns
// once the HTTP server serves; serve's channels come up in the
// background after (GET /healthz lists them). A subcommand that fails
// before is the error.
func Start(ctx context.Context, cfg config.Config, stdin io.Reader, stdout, stderr io.Writer) (*Started, error) {
	if cfg.Command != "serve" && cfg.Command != "chat" {
		return nil, fmt.Errorf("start %q: only serve and chat run in the background", cfg.Command)
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Started{cancel: cancel, done: make(chan struct{})}
	ready := make(chan string, 1)
	go func() {
		defer close(s.done)
		s.err = run(ctx, cfg, stdin, stdout, stderr, func(addr string) { ready <- addr })
	}()
	select {
	case s.Addr = <-ready:
		return s, nil
	case <-s.done:
		cancel()
		if s.err == nil {
			s.err = errors.New("stopped before it served")
		}
		return nil, s.err
	}
}

// Done is closed once the subcommand has ended: after Stop, or a chat
// at the end of its input.
func (s *Started) Done() <-chan struct{} { return s.done }

// Wait waits until the subcommand ends by itself and returns its error.
func (s *Started) Wait() error {
	<-s.done
	s.cancel()
	return s.err
}

// Stop ends the subcommand as SIGTERM does and returns its error.
func (s *Started) Stop() error {
	s.cancel()
	<-s.done
	return s.err
}
