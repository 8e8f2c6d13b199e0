// Command rfabot is the participant bot of Run for Autism, Astana: it
// wires the event file, storage, flows and channels together.
//
//	rfabot chat [--user NAME]   talk to the bot in this terminal
//	rfabot serve                run the messengers and the HTTP server
//
// Common flags (or environment): --event (EVENT_CONFIG), --data (DATA_DIR).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/console"
	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

const usage = `rfabot: the participant bot of Run for Autism.

Usage:
  rfabot chat [flags]     talk to the bot in this terminal (one line = one message)
  rfabot serve [flags]    run the messenger channels and the HTTP server

Flags:
  --event FILE    event file (default: the embedded Run for Autism event; env EVENT_CONFIG)
  --data DIR      data directory holding bot.db (default ./data; env DATA_DIR)
  --user NAME     chat: the console user to talk as (default "console")
  --http ADDR     serve: address of the HTTP server (default 127.0.0.1:8080; env HTTP_ADDR)

Environment:
  ADMINS                   organizers: Telegram user ids, WhatsApp +numbers, console:NAME (comma-separated)
  LOG_LEVEL                debug, info, warn or error (default info; warn for chat)
  TELEGRAM_TOKEN           serve: run the Telegram channel with this bot token (from @BotFather)
  TELEGRAM_WEBHOOK_URL     serve: take Telegram updates on this https URL (its path is served on --http)
                           instead of long polling
  TELEGRAM_WEBHOOK_SECRET  serve: the webhook's secret token (default: a random one at each start)
  TELEGRAM_API_ENDPOINT    serve: another Bot API server, e.g. http://127.0.0.1:8081/bot%s/%s
`

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "rfabot:", err)
		os.Exit(1)
	}
}

// config is what every subcommand reads from flags and environment.
type config struct {
	eventPath string
	dataDir   string
	user      string
	httpAddr  string
	admins    []string
	telegram  telegramConfig
}

// telegramConfig is the Telegram channel's part of the environment.
type telegramConfig struct {
	token, webhookURL, webhookSecret, endpoint string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		io.WriteString(stdout, usage)
		return nil
	}
	cmd := args[0]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.eventPath, "event", os.Getenv("EVENT_CONFIG"), "event file")
	fs.StringVar(&cfg.dataDir, "data", envOr("DATA_DIR", "data"), "data directory")
	fs.StringVar(&cfg.user, "user", "console", "console user")
	fs.StringVar(&cfg.httpAddr, "http", envOr("HTTP_ADDR", "127.0.0.1:8080"), "HTTP server address")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	admins, err := parseAdmins(os.Getenv("ADMINS"))
	if err != nil {
		return err
	}
	cfg.admins = admins
	cfg.telegram = telegramConfig{
		token:         os.Getenv("TELEGRAM_TOKEN"),
		webhookURL:    os.Getenv("TELEGRAM_WEBHOOK_URL"),
		webhookSecret: os.Getenv("TELEGRAM_WEBHOOK_SECRET"),
		endpoint:      os.Getenv("TELEGRAM_API_ENDPOINT"),
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "chat":
		log := newLogger(stderr, slog.LevelWarn)
		return chat(ctx, cfg, log, stdin, stdout)
	case "serve":
		return serve(ctx, cfg, newLogger(stderr, slog.LevelInfo))
	default:
		io.WriteString(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// parseAdmins reads ADMINS: comma-separated Telegram user ids (123456789),
// WhatsApp numbers (+77011234567) and console users (console:NAME), as the
// user keys the flows know them by.
func parseAdmins(v string) ([]string, error) {
	var keys []string
	for _, a := range strings.Split(v, ",") {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
		case strings.HasPrefix(a, "console:") && len(a) > len("console:"):
			keys = append(keys, a)
		case strings.HasPrefix(a, "+") && allDigits(a[1:]):
			keys = append(keys, "whatsapp:"+a[1:])
		case allDigits(a):
			keys = append(keys, "telegram:"+a)
		default:
			return nil, fmt.Errorf("ADMINS: %q is neither a Telegram user id, a +number nor console:NAME", a)
		}
	}
	return keys, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func newLogger(w io.Writer, def slog.Level) *slog.Logger {
	level := def
	if v := os.Getenv("LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			level = def
		}
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// app is what every channel needs: the event, the texts, storage, the
// conversation and the engine.
type app struct {
	ev     *event.Config
	cat    *locales.Catalog
	store  *storage.Store
	conv   *flows.Flows
	engine *bot.Engine
}

func open(cfg config, log *slog.Logger) (*app, error) {
	ev, err := event.Load(cfg.eventPath)
	if err != nil {
		return nil, err
	}
	cat, err := locales.Load()
	if err != nil {
		return nil, err
	}
	store, err := storage.Open(filepath.Join(cfg.dataDir, "bot.db"), storage.Options{})
	if err != nil {
		return nil, err
	}
	conv := flows.New(flows.Config{Store: store, Event: ev, Catalog: cat, Admins: cfg.admins})
	return &app{ev: ev, cat: cat, store: store, conv: conv, engine: bot.NewEngine(conv, log)}, nil
}

func (a *app) close(log *slog.Logger) {
	a.engine.Wait()
	if err := a.store.Close(); err != nil {
		log.Error("close storage", "err", err)
	}
}

func chat(ctx context.Context, cfg config, log *slog.Logger, in io.Reader, out io.Writer) error {
	if strings.TrimSpace(cfg.user) == "" {
		return errors.New("--user must not be empty")
	}
	a, err := open(cfg, log)
	if err != nil {
		return err
	}
	defer a.close(log)
	c := &console.Chat{Engine: a.engine, User: cfg.user, In: in, Out: out}
	if f, ok := in.(*os.File); ok && isTerminal(f) {
		c.Prompt = "> "
	}
	return c.Run(ctx)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// serve runs the HTTP server and every configured channel until ctx ends,
// then stops taking updates, finishes the ones in hand and closes storage.
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	a, err := open(cfg, log)
	if err != nil {
		return err
	}
	defer a.close(log)
	health := &bot.Health{}
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", health)
	var tg *telegram.Bot
	if cfg.telegram.token != "" {
		tg, err = telegram.New(ctx, telegram.Config{
			Token: cfg.telegram.token, Endpoint: cfg.telegram.endpoint,
			WebhookURL: cfg.telegram.webhookURL, WebhookSecret: cfg.telegram.webhookSecret,
			Engine: a.engine, Reach: a.conv, Offsets: a.store, Catalog: a.cat, Log: log, Health: health,
		})
		if err != nil {
			return fmt.Errorf("telegram channel (TELEGRAM_* settings): %w", err)
		}
		tg.Register(mux)
	}
	ln, err := net.Listen("tcp", cfg.httpAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.httpAddr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	channels, stopChannels := context.WithCancel(ctx)
	defer stopChannels()
	tgDone, tgRunning := make(chan error, 1), tg != nil
	if tgRunning {
		go func() { tgDone <- tg.Run(channels) }()
	}
	log.Info("serving", "http", ln.Addr().String())
	var failed error
	select {
	case <-ctx.Done():
	case err := <-errc:
		failed = fmt.Errorf("http server: %w", err)
	case err := <-tgDone:
		if err != nil {
			failed = fmt.Errorf("telegram: %w", err)
		}
		tgRunning = false
	}
	log.Info("shutting down")
	stopChannels()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && failed == nil {
		failed = fmt.Errorf("http shutdown: %w", err)
	}
	if tgRunning {
		if err := <-tgDone; err != nil && failed == nil {
			failed = fmt.Errorf("telegram: %w", err)
		}
	}
	return failed
}
