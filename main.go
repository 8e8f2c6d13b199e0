// Command rfabot is the participant bot of Run for Autism, Astana: it
// wires the event file, storage, flows and channels together.
//
//	rfabot chat [--user NAME]   talk to the bot in this terminal, with a local test checkout
//	rfabot serve                run the messengers and the HTTP server
//	rfabot whatsapp-pair        link the bot's WhatsApp number
//	rfabot export --out DIR     write the organizers' CSV files
//	rfabot backup --out FILE    copy the database
//	rfabot import-results FILE  import the timing company's results (a dry run without --apply)
//
// Common flags (or environment): --event (EVENT_CONFIG), --data (DATA_DIR),
// --http (HTTP_ADDR), --public-url (PUBLIC_URL); payments: PAYMENT_PROVIDER,
// PAYMENT_SECRET; the organizers' dashboard: ADMIN_TOKEN.
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
	"github.com/runforautism/rfabot/bot/dashboard"
	"github.com/runforautism/rfabot/bot/diplomas"
	"github.com/runforautism/rfabot/bot/payments"
	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/whatsapp"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

const usage = `rfabot: the participant bot of Run for Autism.

Usage:
  rfabot chat [flags]     talk to the bot in this terminal (one line = one message)
  rfabot serve [flags]    run the messenger channels and the HTTP server
  rfabot whatsapp-pair [--phone +NUMBER]
                          link the bot's WhatsApp number (QR code, or a pairing code for --phone)
  rfabot export --out DIR write registrations.csv, funstarts.csv and bibs.csv into DIR
  rfabot backup --out FILE
                          write a consistent copy of the database to FILE
                          (export and backup read a running bot over HTTP with ADMIN_TOKEN)
  rfabot import-results FILE [--apply] [--skip-bad]
                          import the timing company's results CSV: shows what changes; with
                          --apply applies it and queues each finisher's result (stop the bot first)

Flags:
  --event FILE    event file (default: the embedded Run for Autism event; env EVENT_CONFIG)
  --data DIR      data directory holding bot.db (default ./data; env DATA_DIR)
  --user NAME        chat: the console user to talk as (default "console")
  --http ADDR        address of the HTTP server: health, payment webhook, test checkout
                     (default 127.0.0.1:8080; env HTTP_ADDR)
  --public-url URL   base URL of that server as people and providers reach it
                     (default http://HTTP_ADDR; env PUBLIC_URL)
  --phone NUMBER     whatsapp-pair: the bot's own number, to link by pairing code instead of QR
  --out PATH         export: the directory to write to; backup: the file to write
  --apply            import-results: apply the file (without it, a dry run)
  --skip-bad         import-results: with --apply, leave out the rows with problems

Environment:
  ADMINS                   organizers: Telegram user ids, WhatsApp +numbers, console:NAME (comma-separated)
  ADMIN_TOKEN              the organizers' dashboard at /admin: the token to log in with (off when unset)
  PAYMENT_PROVIDER         test (default: the bot's own test checkout) or generic
  PAYMENT_SECRET           signs payment links and webhook calls (needed for generic)
  SUPPORT_CHAT_ID          Telegram chat of trained volunteers who call back people from the help flow
                           (with their consent); without it the bot offers no call back
  LOG_LEVEL                debug, info, warn or error (default info; warn for chat)
  TELEGRAM_TOKEN           serve: run the Telegram channel with this bot token (from @BotFather)
  TELEGRAM_WEBHOOK_URL     serve: take Telegram updates on this https URL (its path is served on --http)
                           instead of long polling
  TELEGRAM_WEBHOOK_SECRET  serve: the webhook's secret token (default: a random one at each start)
  TELEGRAM_API_ENDPOINT    serve: another Bot API server, e.g. http://127.0.0.1:8081/bot%s/%s
  TELEGRAM_RATE            pushes per second on Telegram, over all chats (default 28)
  WHATSAPP_PUSH_INTERVAL   least time between two WhatsApp pushes, e.g. 3s (default 3s, at least 1s)
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
	publicURL string
	phone     string
	out       string
	// apply and skipBad are import-results' --apply and --skip-bad.
	apply, skipBad bool
	admins         []string
	// adminToken is ADMIN_TOKEN: the dashboard is on when it is set.
	adminToken string
	// provider and secret are the payment provider and its secret.
	provider string
	secret   string
	// supportChat is the Telegram chat id of the support volunteers.
	supportChat string
	// rates are the push rates (messages per second) by channel, from
	// TELEGRAM_RATE.
	rates    map[string]float64
	telegram telegramConfig
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
	fs.StringVar(&cfg.publicURL, "public-url", os.Getenv("PUBLIC_URL"), "base URL of the HTTP server")
	fs.StringVar(&cfg.phone, "phone", "", "whatsapp-pair: the bot's number for a pairing code")
	fs.StringVar(&cfg.out, "out", "", "export: directory; backup: file")
	fs.BoolVar(&cfg.apply, "apply", false, "import-results: apply the file")
	fs.BoolVar(&cfg.skipBad, "skip-bad", false, "import-results: leave out the rows with problems")
	operands, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	if cfg.publicURL == "" {
		cfg.publicURL = localURL(cfg.httpAddr)
	}
	cfg.provider, cfg.secret = os.Getenv("PAYMENT_PROVIDER"), os.Getenv("PAYMENT_SECRET")
	cfg.adminToken = os.Getenv("ADMIN_TOKEN")
	admins, err := parseAdmins(os.Getenv("ADMINS"))
	if err != nil {
		return err
	}
	cfg.admins = admins
	if cfg.supportChat, err = parseSupportChat(os.Getenv("SUPPORT_CHAT_ID")); err != nil {
		return err
	}
	if cfg.rates, err = parseRates(); err != nil {
		return err
	}
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
	case "whatsapp-pair":
		return pairWhatsApp(ctx, cfg, stdout, newLogger(stderr, slog.LevelWarn))
	case "export":
		return exportCSV(ctx, cfg, stdout, newLogger(stderr, slog.LevelWarn))
	case "backup":
		return backup(ctx, cfg, stdout, newLogger(stderr, slog.LevelWarn))
	case "import-results":
		if len(operands) != 1 {
			io.WriteString(stderr, usage)
			return errors.New("import-results: name one results file")
		}
		return importResults(ctx, cfg, operands[0], stdout, newLogger(stderr, slog.LevelWarn))
	default:
		io.WriteString(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// parseInterleaved parses flags that may come before or after the
// operands ("import-results FILE --apply") and returns the operands.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return operands, nil
		}
		operands = append(operands, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// localURL is the URL of the bot's HTTP server at addr on this machine:
// a server listening on all interfaces is reached at 127.0.0.1.
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
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

// parseSupportChat reads SUPPORT_CHAT_ID: a Telegram chat id, negative
// for groups (-1001234567890); empty means no call backs.
func parseSupportChat(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && !allDigits(strings.TrimPrefix(v, "-")) {
		return "", fmt.Errorf("SUPPORT_CHAT_ID: %q is not a Telegram chat id like -1001234567890", v)
	}
	return v, nil
}

// defaultRates are the push rates of channels with a *_RATE variable:
// Telegram allows about 30 messages a second. WhatsApp paces its pushes
// itself (WHATSAPP_PUSH_INTERVAL), since bursts get a number restricted.
var defaultRates = map[string]float64{"telegram": 28}

// parseRates reads TELEGRAM_RATE.
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
// on Telegram its rate (TELEGRAM_RATE), one message a second per chat,
// and paid broadcasts when the event turns them on, with enough sends at
// once to reach the paid rate over a 100 ms round trip. The WhatsApp
// sender paces every push itself; the console has no limits.
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
	return bot.WorkerOptions{PerChat: time.Second}
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

// app is what every channel needs: the event, storage, the flows, the
// engine and the payment provider.
type app struct {
	cfg      config
	ev       *event.Config
	cat      *locales.Catalog
	store    *storage.Store
	conv     *flows.Flows
	engine   *bot.Engine
	provider payments.Provider
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
	provider, err := payments.New(cfg.provider, ev.Payment.LinkTemplate, []byte(cfg.secret), cfg.publicURL)
	if err != nil {
		return nil, err
	}
	store, err := storage.Open(filepath.Join(cfg.dataDir, "bot.db"), storage.Options{})
	if err != nil {
		return nil, err
	}
	conv := flows.New(flows.Config{Store: store, Event: ev, Catalog: cat, Admins: cfg.admins, Payments: provider,
		SupportChatID: cfg.supportChat, DashboardURL: cfg.dashboardURL(), PublicURL: cfg.publicURL})
	return &app{cfg: cfg, ev: ev, cat: cat, store: store, conv: conv, engine: bot.NewEngine(conv, log), provider: provider}, nil
}

// dashboardURL is the organizers' dashboard, or "" when it is off
// (no ADMIN_TOKEN).
func (c config) dashboardURL() string {
	if c.adminToken == "" {
		return ""
	}
	return strings.TrimRight(c.publicURL, "/") + "/admin"
}

// routes are the HTTP routes of every server: health, the payment
// webhook, the test checkout, the diploma links and, with ADMIN_TOKEN,
// the organizers' dashboard.
func (a *app) routes(health *bot.Health, log *slog.Logger) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", health)
	(&payments.Server{Flows: a.conv, Provider: a.provider, Catalog: a.cat, Log: log}).Register(mux)
	(&diplomas.Server{Flows: a.conv, Log: log}).Register(mux)
	if a.cfg.adminToken != "" {
		(&dashboard.Server{Flows: a.conv, Backup: a.store, Token: a.cfg.adminToken,
			Secure: strings.HasPrefix(a.cfg.publicURL, "https://"), Log: log}).Register(mux)
		log.Info("organizers' dashboard on", "url", a.cfg.dashboardURL()+"/")
	} else {
		log.Info("organizers' dashboard off: set ADMIN_TOKEN to open it at /admin")
	}
	return mux
}

// listen starts an HTTP server at addr. Its errors after the start arrive
// on the channel.
func listen(addr string, h http.Handler) (*http.Server, <-chan error, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	return srv, errc, nil
}

func shutdown(srv *http.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

// background runs the clock-driven work and the outbox workers until ctx
// ends; wait blocks until they have stopped. A worker that cannot read
// the outbox is reported on failed.
type background struct {
	wg     sync.WaitGroup
	failed chan error
}

func newBackground() *background { return &background{failed: make(chan error, 8)} }

func (b *background) wait() { b.wg.Wait() }

// tickEvery is how often payment holds, reminders and waitlist offers
// are checked.
const tickEvery = 30 * time.Second

// schedule starts the clock-driven work: the reminder scheduler, and
// payment holds and waitlist offers.
func (a *app) schedule(ctx context.Context, b *background, log *slog.Logger) {
	s := &bot.Scheduler{Reminders: a.conv, Log: log}
	b.wg.Go(func() { s.Run(ctx) })
	b.wg.Go(func() { bot.Every(ctx, tickEvery, log, "payment holds and waitlists", a.conv.Tick) })
}

// deliver starts the outbox worker of channel, sending through s with
// the channel's limits (deliveryOptions).
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
	ctx, cancel := context.WithCancel(ctx)
	b := newBackground()
	defer func() {
		cancel()
		b.wait()
	}()
	a.schedule(ctx, b, log)
	// The test checkout lets the links printed here be paid in a
	// browser; without the port, the chat still works.
	if srv, _, err := listen(cfg.httpAddr, a.routes(&bot.Health{}, log)); err != nil {
		log.Warn("no HTTP server: payment links cannot be opened", "err", err)
	} else {
		defer shutdown(srv)
	}
	c := &console.Chat{Engine: a.engine, User: cfg.user, In: in, Out: out, FilesDir: filepath.Join(cfg.dataDir, "files")}
	if f, ok := in.(*os.File); ok && isTerminal(f) {
		c.Prompt = "> "
	}
	// Pushes to console users (payment confirmations, reminders,
	// broadcasts) appear in this chat between answers.
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

// serve runs the HTTP server, every configured channel with its outbox
// worker, and the clock-driven work until ctx ends; then it stops taking
// updates, finishes the ones in hand and closes storage.
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	a, err := open(cfg, log)
	if err != nil {
		return err
	}
	defer a.close(log)
	health := &bot.Health{}
	mux := a.routes(health, log)
	ctx, cancel := context.WithCancel(ctx)
	b := newBackground()
	var channels []func()
	// Channels and workers stop before storage closes, also when serve
	// fails.
	defer func() {
		cancel()
		for _, wait := range channels {
			wait()
		}
		b.wait()
	}()
	a.schedule(ctx, b, log)
	tgDone := make(chan error, 1)
	if cfg.telegram.token != "" {
		tg, err := telegram.New(ctx, telegram.Config{
			Token: cfg.telegram.token, Endpoint: cfg.telegram.endpoint,
			WebhookURL: cfg.telegram.webhookURL, WebhookSecret: cfg.telegram.webhookSecret,
			Engine: a.engine, Reach: a.conv, Keyboards: a.conv, Offsets: a.store, Catalog: a.cat, Log: log, Health: health,
		})
		if err != nil {
			return fmt.Errorf("telegram channel (TELEGRAM_* settings): %w", err)
		}
		tg.Register(mux)
		a.deliver(ctx, b, "telegram", tg, log)
		done := make(chan struct{})
		go func() {
			defer close(done)
			tgDone <- tg.Run(ctx)
		}()
		channels = append(channels, func() { <-done })
	}
	waitWhatsApp, err := a.startWhatsApp(ctx, b, health, log)
	if err != nil {
		return err
	}
	channels = append(channels, waitWhatsApp)
	srv, errc, err := listen(cfg.httpAddr, mux)
	if err != nil {
		return err
	}
	provider := cfg.provider
	if provider == "" {
		provider = payments.NameTest
	}
	log.Info("serving", "http", cfg.httpAddr, "public_url", cfg.publicURL, "payments", provider, "channels", health.Up())
	var failed error
	select {
	case <-ctx.Done():
	case err := <-errc:
		failed = fmt.Errorf("http server: %w", err)
	case err := <-tgDone:
		if err != nil {
			failed = fmt.Errorf("telegram: %w", err)
		}
	case failed = <-b.failed:
	}
	log.Info("shutting down")
	// Channels stop taking updates first; a webhook post that arrives
	// meanwhile is refused (503) and redelivered after the restart.
	cancel()
	if err := shutdown(srv); err != nil && failed == nil {
		failed = err
	}
	return failed
}

func whatsAppPath(cfg config) string { return filepath.Join(cfg.dataDir, "whatsapp.db") }

// pairWhatsApp links the bot's WhatsApp number. It holds the database
// meanwhile: a running serve would have its WhatsApp session taken over
// by the check of a stored session, and would not see a new one.
func pairWhatsApp(ctx context.Context, cfg config, out io.Writer, log *slog.Logger) error {
	st, err := storage.Open(filepath.Join(cfg.dataDir, "bot.db"), storage.Options{})
	if err != nil {
		return fmt.Errorf("stop `rfabot serve` before pairing: %w", err)
	}
	defer st.Close()
	return whatsapp.Pair(ctx, whatsapp.PairConfig{Path: whatsAppPath(cfg), Phone: cfg.phone, Out: out, Log: log})
}

// startWhatsApp runs the WhatsApp channel and its outbox worker when a
// paired session exists; wait returns once the channel has stopped
// (after ctx ends).
func (a *app) startWhatsApp(ctx context.Context, b *background, health *bot.Health, log *slog.Logger) (wait func(), err error) {
	interval, err := whatsapp.ParsePushInterval(os.Getenv("WHATSAPP_PUSH_INTERVAL"))
	if err != nil {
		return nil, err
	}
	wa, err := whatsapp.Open(ctx, whatsapp.Config{
		Path: whatsAppPath(a.cfg), Engine: a.engine, Health: health, Log: log, PushInterval: interval,
	})
	if errors.Is(err, whatsapp.ErrNotPaired) {
		log.Info("whatsapp off: no paired session; link a number with `rfabot whatsapp-pair`")
		return func() {}, nil
	}
	if err != nil {
		return nil, err
	}
	a.deliver(ctx, b, "whatsapp", wa.Sender(), log)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := wa.Run(ctx); err != nil {
			log.Error("whatsapp stopped", "err", err)
		}
	}()
	return func() { <-done }, nil
}

// maxResultsFile is the largest results file import-results reads.
const maxResultsFile = 32 << 20

// importResults is import-results: the dry run of a results file, or
// with --apply its import, reported in English. It holds the database,
// so the bot must be stopped; the pushes it queues go out when the bot
// runs. A file that cannot be applied as asked is an error.
func importResults(ctx context.Context, cfg config, path string, out io.Writer, log *slog.Logger) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("results file: %w", err)
	}
	if st.Size() > maxResultsFile {
		return fmt.Errorf("results file %s: over %d MiB", path, maxResultsFile>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("results file: %w", err)
	}
	a, err := open(cfg, log)
	if err != nil {
		return err
	}
	defer a.close(log)
	name := filepath.Base(path)
	var rep flows.ImportReport
	if cfg.apply {
		rep, err = a.conv.ApplyResults(ctx, "cli", name, data, cfg.skipBad)
	} else {
		rep, err = a.conv.PreviewResults(ctx, name, data)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(out, a.conv.ImportReportText("en", rep))
	switch {
	case !cfg.apply && rep.CanApply(cfg.skipBad):
		fmt.Fprintln(out, "\nDry run: nothing was applied. Run again with --apply to apply it.")
	case !cfg.apply && rep.CanApply(true):
		fmt.Fprintln(out, "\nDry run: nothing was applied. Fix the rows, or run again with --apply --skip-bad.")
	case cfg.apply && !rep.Applied && (rep.FileProblem != "" || len(rep.Problems) > 0 && !cfg.skipBad):
		return errors.New("import-results: nothing applied: the file has problems (see above); fix them, or add --skip-bad")
	}
	return nil
}
