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
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/console"
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
  ADMINS          organizers: Telegram user ids, WhatsApp +numbers, console:NAME (comma-separated)
  LOG_LEVEL       debug, info, warn or error (default info; warn for chat)
  TELEGRAM_RATE   pushes per second on Telegram, over all chats (default 28)
  WHATSAPP_RATE   pushes per second on WhatsApp, over all chats (default 1)
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
	// rates are the push rates (messages per second) by channel, from
	// TELEGRAM_RATE and WHATSAPP_RATE.
	rates map[string]float64
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
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
	if cfg.rates, err = parseRates(); err != nil {
		return err
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
		fmt.Fprint(stderr, usage)
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

// defaultRates are the push rates of channels without a *_RATE variable:
// Telegram allows about 30 messages a second; a WhatsApp account that
// bursts to many chats gets restricted.
var defaultRates = map[string]float64{"telegram": 28, "whatsapp": 1}

// parseRates reads TELEGRAM_RATE and WHATSAPP_RATE.
func parseRates() (map[string]float64, error) {
	rates := map[string]float64{}
	for channel, def := range defaultRates {
		name := strings.ToUpper(channel) + "_RATE"
		rates[channel] = def
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r <= 0 || r > 1000 {
			return nil, fmt.Errorf("%s: must be messages per second between 0 and 1000, got %q", name, v)
		}
		rates[channel] = r
	}
	return rates, nil
}

// deliveryOptions are the sending limits of a channel's outbox worker:
// its rate (TELEGRAM_RATE, WHATSAPP_RATE), one message a second per chat,
// and on Telegram paid broadcasts when the event turns them on, with
// enough sends at once to reach the paid rate over a 100 ms round trip.
// The console has no limits.
func deliveryOptions(cfg config, ev *event.Config, channel string) bot.WorkerOptions {
	switch channel {
	case console.Channel:
		return bot.WorkerOptions{Poll: 200 * time.Millisecond}
	case "telegram":
		opt := bot.WorkerOptions{Rate: cfg.rates[channel], PerChat: time.Second, Senders: 8}
		if paid := ev.Delivery.Rate(); paid > 0 {
			opt.PaidRate = float64(paid)
			opt.Senders = max(opt.Senders, paid/10)
		}
		return opt
	}
	return bot.WorkerOptions{Rate: cfg.rates[channel], PerChat: time.Second}
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

// app is what every channel needs: the event, storage, the flows and
// the engine.
type app struct {
	cfg    config
	ev     *event.Config
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
	return &app{cfg: cfg, ev: ev, store: store, conv: conv, engine: bot.NewEngine(conv, log)}, nil
}

// background runs the reminder scheduler and the outbox workers until
// ctx ends; wait blocks until they have stopped. A worker that cannot read
// the outbox is reported on failed.
type background struct {
	wg     sync.WaitGroup
	failed chan error
}

func newBackground() *background { return &background{failed: make(chan error, 8)} }

func (b *background) wait() { b.wg.Wait() }

// schedule starts the reminder scheduler.
func (a *app) schedule(ctx context.Context, b *background, log *slog.Logger) {
	s := &bot.Scheduler{Reminders: a.conv, Log: log}
	b.wg.Go(func() { s.Run(ctx) })
}

// deliver starts the outbox worker of channel, sending through s with
// the channel's limits (deliveryOptions). serve calls it for every
// messenger it starts, e.g. a.deliver(ctx, b, "telegram", tg, log).
func (a *app) deliver(ctx context.Context, b *background, channel string, s bot.Sender, log *slog.Logger) {
	w := bot.NewWorker(a.conv, channel, s, deliveryOptions(a.cfg, a.ev, channel), log)
	b.wg.Go(func() {
		if err := w.Run(ctx); err != nil {
			b.failed <- fmt.Errorf("outbox worker %s: %w", channel, err)
		}
	})
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
	// Pushes to console users (payment confirmations, reminders,
	// broadcasts) appear in this chat between answers.
	ctx, cancel := context.WithCancel(ctx)
	b := newBackground()
	a.schedule(ctx, b, log)
	a.deliver(ctx, b, console.Channel, console.Sender{Chat: c}, log)
	err = c.Run(ctx)
	cancel()
	b.wait()
	select {
	case werr := <-b.failed:
		return errors.Join(err, werr)
	default:
		return err
	}
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
	b := newBackground()
	defer b.wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.schedule(ctx, b, log)
	health := &bot.Health{}
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", health)
	ln, err := net.Listen("tcp", cfg.httpAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.httpAddr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "http", ln.Addr().String(), "channels", health.Up())
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case err := <-b.failed:
		log.Error("stopping", "err", err)
		cancel()
		srv.Close()
		return err
	}
	log.Info("shutting down")
	shutdownCtx, stopWaiting := context.WithTimeout(context.Background(), 10*time.Second)
	defer stopWaiting()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}
