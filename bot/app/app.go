package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/console"
	"github.com/runforautism/rfabot/bot/dashboard"
	"github.com/runforautism/rfabot/bot/payments"
	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/web"
	"github.com/runforautism/rfabot/bot/whatsapp"
	"github.com/runforautism/rfabot/bot/whatsappcloud"
	"github.com/runforautism/rfabot/config"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/formats/diploma"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

// deliveryOptions are the sending limits of a channel's outbox worker:
// on Telegram its rate (TELEGRAM_RATE), one message a second per chat,
// and paid broadcasts when the event turns them on, with enough sends at
// once to reach the paid rate over a 100 ms round trip. The WhatsApp
// sender paces every push itself; the console has no limits.
func deliveryOptions(cfg config.Config, ev *event.Config, channel string) bot.WorkerOptions {
	switch channel {
	case console.Channel:
		return bot.WorkerOptions{Poll: 200 * time.Millisecond}
	case "telegram":
		opt := bot.WorkerOptions{Rate: cfg.Rates[channel], PerChat: time.Second, Senders: 8}
		if paid := ev.Delivery.Rate(); paid > 0 {
			opt.PaidRate = float64(paid)
			opt.Senders = max(opt.Senders, paid/10)
		}
		return opt
	}
	return bot.WorkerOptions{PerChat: time.Second}
}

// newLogger writes to w at LOG_LEVEL, or at def.
func newLogger(w io.Writer, v string, def slog.Level) *slog.Logger {
	level := def
	if v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			level = def
		}
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// app is what every channel needs: the event, storage, the flows, the
// engine and the payment provider.
type app struct {
	cfg      config.Config
	ev       *event.Config
	cat      *locales.Catalog
	store    *storage.Store
	conv     *flows.Flows
	engine   *bot.Engine
	provider payments.Provider
	backups  *storage.Backups
}

func open(cfg config.Config, log *slog.Logger) (*app, error) {
	ev, err := event.Load(cfg.EventPath)
	if err != nil {
		return nil, err
	}
	cat, err := locales.Load()
	if err != nil {
		return nil, err
	}
	provider, err := payments.New(cfg.Provider, paymentOptions(cfg, ev))
	if err != nil {
		return nil, err
	}
	store, err := storage.Open(filepath.Join(cfg.DataDir, "bot.db"), storage.Options{BackupDir: cfg.BackupDir()})
	if err != nil {
		return nil, err
	}
	conv := flows.New(flows.Config{Store: store, Event: ev, Catalog: cat, Admins: cfg.Admins, Payments: provider,
		SupportChatID: cfg.SupportChat, DashboardURL: cfg.DashboardURL(), PublicURL: cfg.PublicURL})
	return &app{cfg: cfg, ev: ev, cat: cat, store: store, conv: conv, engine: bot.NewEngine(conv, log), provider: provider,
		backups: &storage.Backups{Store: store, Dir: cfg.BackupDir(), Keep: cfg.BackupKeep}}, nil
}

// paymentOptions are the provider's settings from the environment and
// the event file.
func paymentOptions(cfg config.Config, ev *event.Config) payments.Options {
	return payments.Options{Secret: []byte(cfg.Secret), Template: ev.Payment.LinkTemplate, BaseURL: cfg.PublicURL, Currency: ev.Currency,
		TipTop: payments.TipTopOptions{PublicID: cfg.TipTop.PublicID, APISecret: cfg.TipTop.APISecret, APIURL: cfg.TipTop.APIURL},
		FreedomPay: payments.FreedomPayOptions{MerchantID: cfg.FreedomPay.MerchantID, SecretKey: cfg.FreedomPay.SecretKey,
			APIURL: cfg.FreedomPay.APIURL, Testing: cfg.FreedomPay.Testing}}
}

// routes are the HTTP routes of every server: health, the payment
// webhook, the test checkout, the diploma links and, with ADMIN_TOKEN,
// the organizers' dashboard.
func (a *app) routes(mux *http.ServeMux, health *bot.Health, log *slog.Logger) {
	mux.Handle("GET /healthz", health)
	(&payments.Server{Flows: a.conv, Provider: a.provider, Catalog: a.cat, Log: log}).Register(mux)
	(&diploma.Server{Lookup: diplomaLookup{a.conv}, Log: log, Dir: filepath.Join(a.cfg.DataDir, "diplomas")}).Register(mux)
	if a.cfg.AdminToken != "" {
		(&dashboard.Server{Flows: a.conv, Backup: a.store, Token: a.cfg.AdminToken,
			Secure: secure(a.cfg), Proxies: a.cfg.Proxies, Backups: a.backups, Log: log, Down: health.Down}).Register(mux)
		log.Info("organizers' dashboard on", "url", a.cfg.DashboardURL()+"/")
	} else {
		log.Info("organizers' dashboard off: set ADMIN_TOKEN to open it at /admin")
	}
}

// secure says whether the bot is reached over https (PUBLIC_URL).
func secure(cfg config.Config) bool { return strings.HasPrefix(cfg.PublicURL, "https://") }

// bind opens HTTP_ADDR for a server of h with the limits of
// web.Defaults; it serves once started (serveHTTP). Port 0 takes a free
// port: cfg comes back with it in HTTP_ADDR, and in PUBLIC_URL when that
// is the default, so that links name the port.
func bind(cfg config.Config, h http.Handler) (*web.Server, config.Config, error) {
	srv, err := web.Listen(cfg.HTTPAddr, h, web.Defaults, cfg.Proxies, secure(cfg))
	if err != nil {
		return nil, cfg, err
	}
	if _, port, err := net.SplitHostPort(cfg.HTTPAddr); err == nil && port == "0" {
		bound := srv.Addr().String()
		if cfg.PublicURL == config.LocalURL(cfg.HTTPAddr) {
			cfg.PublicURL = config.LocalURL(bound)
		}
		cfg.HTTPAddr = bound
	}
	return srv, cfg, nil
}

// serveHTTP serves srv until shutdown; its errors after the start
// arrive on the channel.
func serveHTTP(srv *web.Server) <-chan error {
	errc := make(chan error, 1)
	go func() {
		if err := srv.Serve(); err != nil {
			errc <- err
		}
	}()
	return errc
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
	b.wg.Go(func() { bot.Every(ctx, tickEvery, log, "payment holds and waitlists", a.tick(log)) })
	b.wg.Go(func() { a.conv.RunLinks(ctx, paymentTrouble(log, "payment link not made yet")) })
}

// tick is the clock-driven payment work: holds, reminders and
// waitlists, then the reconciliation of orders whose notification never
// came.
func (a *app) tick(log *slog.Logger) func(context.Context) error {
	report := paymentTrouble(log, "payment look-up failed")
	return func(ctx context.Context) error {
		return errors.Join(a.conv.Tick(ctx), a.conv.Reconcile(ctx, report))
	}
}

// paymentTrouble logs a failed call to the provider's API for the
// organizers: participants only hear that their link is on its way.
func paymentTrouble(log *slog.Logger, msg string) func(orderID string, err error) {
	return func(orderID string, err error) { log.Warn(msg, "order", orderID, "err", err) }
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

func chat(ctx context.Context, cfg config.Config, log *slog.Logger, in io.Reader, out io.Writer, ready func(addr string)) error {
	// The test checkout lets the links printed here be paid in a
	// browser; without the port, the chat still works.
	mux := http.NewServeMux()
	srv, cfg, err := bind(cfg, mux)
	if err != nil {
		log.Warn("no HTTP server: payment links cannot be opened", "err", err)
	} else {
		defer srv.Close()
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
	addr := ""
	if srv != nil {
		a.routes(mux, &bot.Health{Payments: testPayments(cfg)}, log)
		serveHTTP(srv)
		defer shutdown(srv.HTTP)
		addr = cfg.HTTPAddr
	}
	ready(addr)
	c := &console.Chat{Engine: a.engine, Questions: a.conv, User: cfg.User, In: in, Out: out, FilesDir: filepath.Join(cfg.DataDir, "files")}
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
func serve(ctx context.Context, cfg config.Config, log *slog.Logger, ready func(addr string)) error {
	if cfg.Provider == "" {
		return errors.New("PAYMENT_PROVIDER: set it to tiptoppay or freedompay for real payments (custom for our own contract), or to test to run the test checkout, where anyone with a link can mark an order paid")
	}
	mux := http.NewServeMux()
	srv, cfg, err := bind(cfg, mux)
	if err != nil {
		return err
	}
	defer srv.Close()
	a, err := open(cfg, log)
	if err != nil {
		return err
	}
	defer a.close(log)
	health := &bot.Health{Payments: testPayments(cfg)}
	a.routes(mux, health, log)
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
	a.guard(ctx, b, log)
	tgDone := make(chan error, 1)
	if cfg.Telegram.Token != "" {
		tg, err := telegram.New(ctx, telegram.Config{
			Token: cfg.Telegram.Token, Endpoint: cfg.Telegram.Endpoint,
			WebhookURL: cfg.Telegram.WebhookURL, WebhookSecret: cfg.Telegram.WebhookSecret,
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
	waitWhatsApp, err := a.startWhatsApp(ctx, b, mux, health, log)
	if err != nil {
		return err
	}
	channels = append(channels, waitWhatsApp)
	errc := serveHTTP(srv)
	log.Info("serving", "http", cfg.HTTPAddr, "public_url", cfg.PublicURL, "payments", cfg.Provider, "channels", health.Up())
	ready(cfg.HTTPAddr)
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
	if err := shutdown(srv.HTTP); err != nil && failed == nil {
		failed = err
	}
	return failed
}

// testPayments is "test" when the test checkout takes the payments,
// for /healthz.
func testPayments(cfg config.Config) string {
	if cfg.Provider == "" || cfg.Provider == payments.NameTest {
		return payments.NameTest
	}
	return ""
}

// testWarningEvery is how often serve repeats that the test checkout
// is on.
const testWarningEvery = time.Hour

// guard starts what serve runs for the data's and the payments' sake:
// the backups every BACKUP_INTERVAL, and with the test checkout a
// warning at the start and every hour.
func (a *app) guard(ctx context.Context, b *background, log *slog.Logger) {
	if a.cfg.BackupInterval > 0 {
		b.wg.Go(func() { a.backups.Run(ctx, a.cfg.BackupInterval, log) })
	}
	if testPayments(a.cfg) != "" {
		b.wg.Go(func() {
			bot.Every(ctx, testWarningEvery, log, "test checkout warning", func(context.Context) error {
				log.Warn("PAYMENT_PROVIDER=test: the test checkout is on; anyone with a payment link can mark it paid, and no money moves")
				return nil
			})
		})
	}
}

func whatsAppPath(cfg config.Config) string { return filepath.Join(cfg.DataDir, "whatsapp.db") }

// pairWhatsApp links the bot's WhatsApp number. It holds the database
// meanwhile: a running serve would have its WhatsApp session taken over
// by the check of a stored session, and would not see a new one.
func pairWhatsApp(ctx context.Context, cfg config.Config, out io.Writer, log *slog.Logger) error {
	st, err := storage.Open(filepath.Join(cfg.DataDir, "bot.db"), storage.Options{})
	if err != nil {
		return fmt.Errorf("stop `rfabot serve` before pairing: %w", err)
	}
	defer st.Close()
	return whatsapp.Pair(ctx, whatsapp.PairConfig{Path: whatsAppPath(cfg), Phone: cfg.Phone, Out: out, Log: log})
}

// startWhatsApp runs the WhatsApp channel and its outbox worker over
// WHATSAPP_TRANSPORT: whatsmeow (the default) when a paired session
// exists, or the Cloud API; wait returns once the channel has stopped
// (after ctx ends).
func (a *app) startWhatsApp(ctx context.Context, b *background, mux *http.ServeMux, health *bot.Health, log *slog.Logger) (wait func(), err error) {
	var run func(context.Context) error
	receipts := &bot.Tracker{Store: a.conv, Log: log}
	if w := a.cfg.WhatsApp; w.Transport == "cloud" {
		wc, err := whatsappcloud.New(whatsappcloud.Config{APIURL: w.APIURL, Token: w.CloudToken, PhoneNumberID: w.PhoneNumberID,
			AppSecret: w.AppSecret, VerifyToken: w.VerifyToken, Engine: a.engine, Users: a.conv, Catalog: a.cat, Templates: a.ev.WhatsApp, Health: health,
			Alert: a.alert(ctx, log), Receipts: receipts, Log: log})
		if err != nil {
			return nil, err
		}
		wc.Register(mux)
		a.deliver(ctx, b, "whatsapp", wc, log)
		run = wc.Run
	} else {
		interval, err := whatsapp.ParsePushInterval(a.cfg.WhatsAppPushInterval)
		if err != nil {
			return nil, err
		}
		wa, err := whatsapp.Open(ctx, whatsapp.Config{
			Path: whatsAppPath(a.cfg), Engine: a.engine, Health: health, Log: log, PushInterval: interval,
			Notices: a.conv, Alert: a.alert(ctx, log), Receipts: receipts,
		})
		if errors.Is(err, whatsapp.ErrNotPaired) {
			log.Info("whatsapp off: no paired session; link a number with `rfabot whatsapp-pair`")
			return func() {}, nil
		}
		if err != nil {
			return nil, err
		}
		a.deliver(ctx, b, "whatsapp", wa.Sender(), log)
		run = wa.Run
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := run(ctx); err != nil {
			log.Error("whatsapp stopped", "err", err)
		}
	}()
	return func() { <-done }, nil
}

// alert tells the organizers on Telegram that a channel stopped, and why.
func (a *app) alert(ctx context.Context, log *slog.Logger) func(key, reason string) {
	ctx = context.WithoutCancel(ctx)
	return func(key, reason string) {
		if err := a.conv.AlertAdmins(ctx, key, "alert_channel_down", map[string]any{"Channel": "WhatsApp", "Reason": reason}); err != nil {
			log.Error("alert the organizers", "err", err)
		}
	}
}
