package whatsapp

import (
	"context"
	"fmt"
	"log/slog"

	"go.mau.fi/whatsmeow/store/sqlstore"
	waLog "go.mau.fi/whatsmeow/util/log"

	// The pure-Go SQLite driver, registered as "sqlite": building needs
	// no cgo.
	_ "modernc.org/sqlite"
)

// OpenStore opens (creating it if needed) whatsmeow's session store in
// the SQLite file path and brings its schema up to date. whatsmeow
// needs foreign keys on; WAL and a busy timeout let the store's
// concurrent writers wait for each other instead of failing.
func OpenStore(ctx context.Context, path string, log *slog.Logger) (*sqlstore.Container, error) {
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)"
	c, err := sqlstore.New(ctx, "sqlite", dsn, waLogger(log, "store"))
	if err != nil {
		return nil, fmt.Errorf("open whatsapp session store %s: %w", path, err)
	}
	return c, nil
}

// slogger passes whatsmeow's logs to slog. whatsmeow's debug logs
// (every frame, every QR code) are dropped and its info logs become
// debug ones; warnings and errors stay what they are.
type slogger struct {
	log *slog.Logger
}

func waLogger(log *slog.Logger, module string) waLog.Logger {
	return slogger{log: log.With("whatsmeow", module)}
}

func (l slogger) Debugf(string, ...any) {}

func (l slogger) Infof(msg string, args ...any) { l.log.Debug(fmt.Sprintf(msg, args...)) }

func (l slogger) Warnf(msg string, args ...any) { l.log.Warn(fmt.Sprintf(msg, args...)) }

func (l slogger) Errorf(msg string, args ...any) { l.log.Error(fmt.Sprintf(msg, args...)) }

func (l slogger) Sub(module string) waLog.Logger {
	return slogger{log: l.log.With("whatsmeow_sub", module)}
}
