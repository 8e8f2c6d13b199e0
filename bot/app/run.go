// Package app is the bot's runtime: it opens the event file, storage and
// the flows, starts and stops the channels, the outbox workers, the
// clock-driven work and the HTTP server, and runs each subcommand.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/runforautism/rfabot/config"
)

// Run runs cfg's subcommand until it is done or ctx ends. Logs go to
// stderr; chat reads stdin and answers on stdout.
func Run(ctx context.Context, cfg config.Config, stdin io.Reader, stdout, stderr io.Writer) error {
	quiet := newLogger(stderr, cfg.LogLevel, slog.LevelWarn)
	switch cfg.Command {
	case "chat":
		return chat(ctx, cfg, quiet, stdin, stdout)
	case "serve":
		return serve(ctx, cfg, newLogger(stderr, cfg.LogLevel, slog.LevelInfo))
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
