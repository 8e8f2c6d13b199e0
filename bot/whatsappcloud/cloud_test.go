package whatsappcloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/chattest"
	"github.com/runforautism/rfabot/bot/whatsappcloud/cloudtest"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

// testNow is a day in registration time, before the default event.
var testNow = time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)

const parent = "77011234567"

// env is the Cloud API transport as a test sees it: the bot's webhook
// on an httptest server, the fake Graph API, and the real engine, flows
// and bbolt files.
type env struct {
	t      *testing.T
	fake   *cloudtest.Fake
	bot    *Bot
	hook   string
	conv   *flows.Flows
	store  *storage.Store
	cat    *locales.Catalog
	health *bot.Health
	ev     *event.Config

	mu     sync.Mutex
	now    time.Time
	slept  []time.Duration
	alerts []string
}

type fakeLinks struct{}

func (fakeLinks) Link(o domain.Order, lang string) (string, error) {
	return "https://pay.test/" + o.ID + "?lang=" + lang, nil
}

// newEnv starts the transport; before, opts may change it.
func newEnv(t *testing.T, engine func(*flows.Flows) Engine, opts ...func(*env)) *env {
	t.Helper()
	ev, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	st, err := storage.Open(filepath.Join(dir, "bot.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	conv := flows.New(flows.Config{Store: st, Event: ev, Catalog: cat, Now: func() time.Time { return testNow },
		Payments: fakeLinks{}, Admins: []string{"telegram:42"}})
	e := &env{t: t, fake: cloudtest.New(t, "TOKEN", "PNID", "APPSECRET"), conv: conv, store: st, cat: cat,
		health: &bot.Health{}, ev: ev, now: time.Now().Truncate(time.Second)}
	var eng Engine = bot.NewEngine(conv, log)
	if engine != nil {
		eng = engine(conv)
	}
	e.bot, err = New(Config{APIURL: e.fake.URL(), Token: "TOKEN", PhoneNumberID: "PNID", AppSecret: "APPSECRET",
		VerifyToken: "VERIFY", Engine: eng, Users: conv, Catalog: cat,
		Templates: ev.WhatsApp, Health: e.health, Log: log, Now: e.clock,
		Alert: func(key, reason string) {
			e.mu.Lock()
			e.alerts = append(e.alerts, key+" "+reason)
			e.mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.bot.api.sleep = func(ctx context.Context, d time.Duration) error {
		e.mu.Lock()
		e.slept = append(e.slept, d)
		e.mu.Unlock()
		return ctx.Err()
	}
	mux := http.NewServeMux()
	e.bot.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e.hook = srv.URL + WebhookPath
	for _, o := range opts {
		o(e)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.bot.Run(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// say posts messages in one signed webhook and waits until they are
// answered; it returns what the bot sent.
func (e *env) say(msgs ...map[string]any) []cloudtest.Message {
	e.t.Helper()
	if code := e.fake.Post(e.hook, msgs, nil); code != http.StatusOK {
		e.t.Fatalf("webhook: %d", code)
	}
	e.bot.inFlight.Wait()
	return e.fake.Take()
}

func (e *env) user(key string) domain.User {
	e.t.Helper()
	var u domain.User
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		u, err = tx.User(key)
		return err
	})
	if err != nil {
		e.t.Fatalf("user %s: %v", key, err)
	}
	return u
}

// lead is the start of text id in lang, before any placeholder.
func (e *env) lead(lang, id string) string {
	s := e.cat.T(lang, id, nil)
	if i := strings.Index(s, "<no value>"); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 18 {
		s = string(r[:18])
	}
	return s
}

// pick answers the last message with choices by its i-th choice (from
// 1): a tap on the button or the list row, or the number typed for a
// numbered list.
func pick(sent []cloudtest.Message, i int) map[string]any { return pickFrom(parent, sent, i) }

// pickFrom is pick by the user from.
func pickFrom(from string, sent []cloudtest.Message, i int) map[string]any {
	if len(sent) > 0 {
		switch m := sent[len(sent)-1]; {
		case len(m.Buttons) > 0:
			return cloudtest.ButtonReply(from, m.Buttons[i-1].ID, m.Buttons[i-1].Title)
		case len(m.Rows) > 0:
			return cloudtest.ListReply(from, m.Rows[i-1].ID, m.Rows[i-1].Title)
		}
	}
	return cloudtest.Text(from, strconv.Itoa(i))
}

func texts(sent []cloudtest.Message) string {
	var b strings.Builder
	for _, m := range sent {
		b.WriteString(m.Text)
		b.WriteString("\n")
	}
	return b.String()
}

// Registration through the Cloud API in each language: the language and
// the consent as reply buttons, the gender and the T-shirt size as list
// messages, the participant's number from a shared contact card (in
// Kazakh) or the "use this number" choice. Every message the bot sends
// passes the fake's checks of shape and limits.
func TestRegistrationInThreeLanguages(t *testing.T) {
	for _, tt := range []struct {
		lang    string
		langIdx int
		contact bool
	}{{"ru", 1, false}, {"kk", 2, true}, {"en", 3, false}} {
		t.Run(tt.lang, func(t *testing.T) {
			e := newEnv(t, nil)
			L := tt.lang
			type step struct {
				say  func(last []cloudtest.Message) map[string]any
				want string
				kind string // "button", "list" or "" for any
			}
			text := func(s string) func([]cloudtest.Message) map[string]any {
				return func([]cloudtest.Message) map[string]any { return cloudtest.Text(parent, s) }
			}
			choose := func(i int) func([]cloudtest.Message) map[string]any {
				return func(last []cloudtest.Message) map[string]any { return pick(last, i) }
			}
			phone := choose(1)
			if tt.contact {
				phone = func([]cloudtest.Message) map[string]any { return cloudtest.Contact(parent, "+7 701 123 45 67", parent) }
			}
			steps := []step{
				{text("Сәлем"), e.lead("ru", "lang_ask"), "button"},
				{choose(tt.langIdx), e.lead(L, "welcome"), ""},
				{choose(1), e.lead(L, "reg_name_ask"), ""},
				{text("Aigerim Nurlanova"), e.lead(L, "reg_birth_ask"), ""},
				{text("15.05.1990"), e.lead(L, "reg_gender_ask"), "list"},
				{choose(1), e.lead(L, "reg_phone_ask"), ""},
				{phone, e.lead(L, "reg_mode_ask"), ""},
				{choose(1), e.lead(L, "reg_distance_ask"), ""},
				{choose(3), e.lead(L, "reg_category_ask"), ""},
				{choose(1), e.lead(L, "reg_tshirt_ask"), "list"},
				{choose(3), e.lead(L, "reg_emergency_name_ask"), ""},
				{text("Nurlan Abenov"), e.lead(L, "reg_emergency_phone_ask"), ""},
				{text("+7 701 765 43 21"), e.lead(L, "reg_consent_ask"), "button"},
				{choose(1), e.lead(L, "reg_summary_header"), ""},
				{choose(1), e.lead(L, "reg_done"), ""},
			}
			var last []cloudtest.Message
			for i, s := range steps {
				last = e.say(s.say(last))
				if len(last) == 0 || !strings.Contains(texts(last), s.want) {
					t.Fatalf("step %d: sent %+v, want %q", i, last, s.want)
				}
				m := last[len(last)-1]
				switch {
				case s.kind == "button" && len(m.Buttons) == 0,
					s.kind == "list" && (len(m.Rows) == 0 || m.ListButton != e.cat.T(L, "wa_list_button", nil) && i > 0):
					t.Fatalf("step %d: sent %+v, want a %s message", i, m, s.kind)
				}
			}
			if r := e.fake.Refused(); len(r) != 0 {
				t.Fatalf("the fake refused %q", r)
			}
			var regs []domain.Registration
			err := e.store.View(context.Background(), func(tx domain.Tx) error {
				var err error
				regs, err = tx.Registrations("whatsapp:" + parent)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(regs) != 1 || regs[0].Lang != L || regs[0].Phone != "+77011234567" || regs[0].EmergencyPhone != "+77017654321" ||
				regs[0].Distance != "5k" {
				t.Fatalf("registrations %+v", regs)
			}
			if reads := e.fake.Reads(); len(reads) != len(steps) {
				t.Errorf("%d messages marked read, want %d", len(reads), len(steps))
			}
		})
	}
}

// recorder is an Engine that keeps the messages and answers each with
// a text.
type recorder struct {
	mu   sync.Mutex
	msgs []dialog.Message
}

func (r *recorder) Dispatch(_ context.Context, m dialog.Message, deliver func(flows.Answer)) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	deliver(flows.Answer{Replies: []dialog.Reply{{Text: "ok"}}})
}

// A photo (an online runner's proof) is downloaded through the media
// endpoint with the token and reaches the flows as the message's Photo,
// with its caption; a button and a list pick come as payloads.
func TestIncomingMessages(t *testing.T) {
	rec := &recorder{}
	e := newEnv(t, func(*flows.Flows) Engine { return rec })
	png := []byte("\x89PNG proof of a 5 km run")
	e.fake.AddMedia("MEDIA-PROOF", "image/png", png)
	e.say(cloudtest.Image(parent, "MEDIA-PROOF", "image/png", "my 5k: 31:20"),
		cloudtest.ButtonReply(parent, "lang:kk", "Қазақша"), cloudtest.ListReply(parent, "menu:register", "Register"),
		cloudtest.Contact(parent, "+7 701 000 00 00", "77010000000"))
	if len(rec.msgs) != 4 {
		t.Fatalf("engine got %d messages", len(rec.msgs))
	}
	if f := e.fake.Fetched(); fmt.Sprint(f) != "[MEDIA-PROOF]" {
		t.Errorf("fetched %q", f)
	}
	photo := rec.msgs[0]
	if photo.Photo == nil || string(photo.Photo.Data) != string(png) || photo.Photo.MIME != "image/png" || photo.Text != "my 5k: 31:20" ||
		photo.UserID != parent || photo.SenderPhone != "+"+parent || photo.Channel != "whatsapp" {
		t.Errorf("photo %+v", photo)
	}
	if rec.msgs[1].Payload != "lang:kk" || rec.msgs[2].Payload != "menu:register" {
		t.Errorf("payloads %q %q", rec.msgs[1].Payload, rec.msgs[2].Payload)
	}
	if c := rec.msgs[3]; c.Phone != "" || !c.NonText {
		t.Errorf("someone else's contact %+v, want no phone", c)
	}
}

// A webhook whose signature does not match the body is refused with
// 401 and nothing reaches the flows; so is one without a signature.
func TestForgedWebhookRefused(t *testing.T) {
	rec := &recorder{}
	e := newEnv(t, func(*flows.Flows) Engine { return rec })
	body := e.fake.Body([]map[string]any{cloudtest.Text(parent, "/markpaid RFA-7K2Q")}, nil)
	other := cloudtest.New(t, "TOKEN", "PNID", "not the app secret")
	for _, sig := range []string{other.Sign(body), "sha256=", "sha1=" + strings.TrimPrefix(e.fake.Sign(body), "sha256=")} {
		if code := e.fake.PostRaw(e.hook, body, sig); code != http.StatusUnauthorized {
			t.Errorf("signature %q: %d, want 401", sig, code)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, e.hook, strings.NewReader(string(body)))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no signature: %v %v", resp.StatusCode, err)
	}
	e.bot.inFlight.Wait()
	if len(rec.msgs) != 0 || len(e.fake.Take()) != 0 {
		t.Fatalf("a forged webhook was handled: %+v", rec.msgs)
	}
	if code := e.fake.PostRaw(e.hook, body, ""); code != http.StatusOK {
		t.Fatalf("signed: %d", code)
	}
	e.bot.inFlight.Wait()
	if len(rec.msgs) != 1 {
		t.Fatalf("the signed webhook was not handled")
	}
}

// Meta's verification of the callback URL gets the challenge back only
// with the right verify token.
func TestVerificationHandshake(t *testing.T) {
	e := newEnv(t, func(*flows.Flows) Engine { return &recorder{} })
	get := func(token string) (int, string) {
		q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {token}, "hub.challenge": {"1158201444"}}
		resp, err := http.Get(e.hook + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("VERIFY"); code != http.StatusOK || body != "1158201444" {
		t.Errorf("right token: %d %q", code, body)
	}
	if code, body := get("guess"); code != http.StatusForbidden || strings.Contains(body, "1158201444") {
		t.Errorf("wrong token: %d %q", code, body)
	}
}

// pushCtx is the context the outbox worker sends a push with.
func pushCtx(kind string) context.Context {
	return bot.WithPush(context.Background(), domain.Push{Key: kind + ":test", Kind: kind})
}

// Pushes through the real outbox worker: inside the 24-hour window a
// push goes as a message with its buttons; outside, a reminder goes as
// its template in the user's language; a payment message, which has no
// template, stays pending in the outbox and goes when the user next
// writes.
func TestPushesAndTheWindow(t *testing.T) {
	e := newEnv(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	w := bot.NewWorker(e.conv, "whatsapp", e.bot, bot.WorkerOptions{Poll: 5 * time.Millisecond}, e.bot.log)
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	queue := func(key, kind string, r dialog.Reply) {
		t.Helper()
		p := domain.Push{Key: key, UserKey: "whatsapp:" + parent, Kind: kind, Reply: r, Created: testNow}
		if err := e.store.Update(context.Background(), func(tx domain.Tx) error { _, err := tx.Enqueue(&p); return err }); err != nil {
			t.Fatal(err)
		}
	}
	push := func(key string) domain.Push {
		t.Helper()
		var p domain.Push
		if err := e.store.View(context.Background(), func(tx domain.Tx) error { var err error; p, err = tx.Push(key); return err }); err != nil {
			t.Fatal(err)
		}
		return p
	}
	e.say(cloudtest.Text(parent, "Сәлем"))
	e.say(pick(nil, 2)) // Қазақша
	reminder := dialog.Reply{Text: "Ертең старт!\nҚұжатыңызды алыңыз.", Choices: []dialog.Choice{{Label: "Еске салмау", Payload: "reminders:off"}}}
	queue("reminder:1", "reminder", reminder)
	sent := e.fake.WaitSent(1)
	if sent[0].Type != "interactive" || sent[0].Text != reminder.Text || sent[0].Buttons[0].ID != "reminders:off" {
		t.Fatalf("inside the window: sent %+v", sent)
	}
	e.advance(25 * time.Hour)
	queue("reminder:2", "reminder", reminder)
	sent = e.fake.WaitSent(1)
	if sent[0].Template != "rfa_reminder" || sent[0].Language != "kk" || sent[0].TemplateArg != "Ертең старт! Құжатыңызды алыңыз." {
		t.Fatalf("outside the window: sent %+v, want template rfa_reminder in kk", sent)
	}
	paid := dialog.Reply{Text: "Төлем қабылданды. Нөміріңіз: 1042."}
	queue("paid:1", "payment", paid)
	waitFor(t, "the payment push held", func() bool { return strings.Contains(push("paid:1").LastError, "held until they write") })
	if p := push("paid:1"); p.Status != domain.PushPending || p.Attempts != 0 || time.Until(p.Due) < HoldFor-time.Minute {
		t.Fatalf("held push %+v, want pending, due in %s, no attempt counted", p, HoldFor)
	}
	if sent := e.fake.Take(); len(sent) != 0 {
		t.Fatalf("a push without a template was sent outside the window: %+v", sent)
	}
	e.fake.Post(e.hook, []map[string]any{cloudtest.TextAt(parent, "/menu", e.clock())}, nil)
	sent = e.fake.WaitSent(2)
	if txt := texts(sent); !strings.Contains(txt, paid.Text) || !strings.Contains(txt, e.lead("kk", "menu_ask")) {
		t.Fatalf("after the user wrote: sent %+v, want the menu and the held push", sent)
	}
	waitFor(t, "the held push sent", func() bool { return push("paid:1").Status == domain.PushSent })
	// WhatsApp saying the window closed (131047) sends the template instead.
	e.fake.FailNext(cloudtest.Fail{To: parent, Code: CodeReengagement, Status: http.StatusBadRequest, Times: 1})
	queue("results:1", "results", dialog.Reply{Text: "5 км: 31:20"})
	if sent := e.fake.WaitSent(1); sent[0].Template != "rfa_results" {
		t.Fatalf("after 131047: sent %+v, want the results template", sent)
	}
}

// The Cloud API's errors map to the outbox's contract: 429 is retried
// with backoff, a number not on WhatsApp is unreachable (also when a
// status webhook says so), a bad request is rejected, a refused token
// puts the channel down and alerts the organizers.
func TestSendErrors(t *testing.T) {
	e := newEnv(t, nil)
	e.say(cloudtest.Text(parent, "Сәлем"))
	r := dialog.Reply{Text: "Сәлем"}
	e.fake.FailNext(cloudtest.Fail{To: parent, Code: CodeTooManyCalls, Status: http.StatusTooManyRequests, Times: 2})
	if err := e.bot.Send(pushCtx("broadcast"), parent, r); err != nil {
		t.Fatalf("after two 429s: %v", err)
	}
	if fmt.Sprint(e.slept) != "[1s 2s]" {
		t.Errorf("waited %v between tries, want [1s 2s]", e.slept)
	}
	e.fake.FailNext(cloudtest.Fail{To: parent, Code: 1, Status: http.StatusInternalServerError, Times: retries})
	var ra *bot.RetryAfterError
	if err := e.bot.Send(pushCtx("broadcast"), parent, r); !errors.As(err, &ra) {
		t.Errorf("5xx on every try: %v, want a RetryAfterError", err)
	}
	e.fake.FailNext(cloudtest.Fail{To: parent, Code: 100, Status: http.StatusBadRequest, Times: 1})
	if err := e.bot.Send(pushCtx("broadcast"), parent, r); !errors.Is(err, bot.ErrRejected) {
		t.Errorf("400: %v, want ErrRejected", err)
	}
	e.fake.FailNext(cloudtest.Fail{To: parent, Code: CodeUndeliverable, Status: http.StatusBadRequest, Times: 1})
	if err := e.bot.Send(pushCtx("broadcast"), parent, r); !errors.Is(err, bot.ErrUnreachable) {
		t.Errorf("131026: %v, want ErrUnreachable", err)
	}
	if err := e.bot.Send(pushCtx("broadcast"), "not-a-number", r); !errors.Is(err, bot.ErrRejected) {
		t.Errorf("bad user id: %v, want ErrRejected", err)
	}
	// A status webhook: the message could not be delivered.
	other := "77019998877"
	e.say(cloudtest.Text(other, "Сәлем"))
	if code := e.fake.Post(e.hook, nil, []map[string]any{cloudtest.Status("wamid.X", "failed", other, CodeUndeliverable)}); code != http.StatusOK {
		t.Fatalf("status webhook: %d", code)
	}
	if u := e.user("whatsapp:" + other); !u.Unreachable {
		t.Errorf("user %+v: not marked unreachable after 131026", u)
	}
	// The token expires.
	e.fake.SetToken("NEW TOKEN")
	if err := e.bot.Send(pushCtx("broadcast"), parent, r); err == nil || errors.Is(err, bot.ErrRejected) || strings.Contains(err.Error(), "TOKEN") {
		t.Errorf("refused token: %v, want a retryable error without the token", err)
	}
	if why := e.health.Down()["whatsapp"]; !strings.Contains(why, "WHATSAPP_CLOUD_TOKEN") {
		t.Errorf("health down %q", why)
	}
	if len(e.alerts) == 0 || !strings.HasPrefix(e.alerts[0], "whatsapp:cloud-token:") {
		t.Errorf("alerts %q", e.alerts)
	}
}

// Choices become reply buttons (up to 3 of 20 characters), a list (up
// to 10 of 24) or, beyond, a numbered list; links go into the text.
func TestRender(t *testing.T) {
	ch := func(labels ...string) []dialog.Choice {
		var cs []dialog.Choice
		for i, l := range labels {
			cs = append(cs, dialog.Choice{Label: l, Payload: fmt.Sprintf("p%d", i)})
		}
		return cs
	}
	many := func(n int) []string {
		var s []string
		for i := range n {
			s = append(s, fmt.Sprintf("Choice %d", i+1))
		}
		return s
	}
	for _, tt := range []struct {
		name  string
		r     dialog.Reply
		typ   string
		kind  string
		inTxt string
	}{
		{"text", dialog.Reply{Text: "Hi", Links: []dialog.Link{{Label: "Pay", URL: "https://pay.test/1"}}}, "text", "", "Pay: https://pay.test/1"},
		{"3 buttons", dialog.Reply{Text: "Q", Choices: ch("Yes", "No", "Back")}, "interactive", "button", ""},
		{"4 to a list", dialog.Reply{Text: "Q", Choices: ch(many(4)...)}, "interactive", "list", ""},
		{"10 to a list", dialog.Reply{Text: "Q", Choices: ch(many(10)...)}, "interactive", "list", ""},
		{"11 numbered", dialog.Reply{Text: "Q", Choices: ch(many(11)...)}, "text", "", "11) Choice 11"},
		{"a 21-character label to a list", dialog.Reply{Text: "Q", Choices: ch("Use +7 701 123 45 678", "Back")}, "interactive", "list", ""},
		{"a 25-character label numbered", dialog.Reply{Text: "Q", Choices: ch("Use +7 (701) 123 45 67890", "Back")}, "text", "", "1) Use +7 (701) 123 45 67890"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := render(parent, tt.r, "Choose")
			if m.Type != tt.typ || (tt.kind != "" && m.Interactive.Type != tt.kind) ||
				(tt.inTxt != "" && !strings.Contains(m.Text.Body, tt.inTxt)) {
				t.Errorf("%+v", m)
			}
		})
	}
}

// The webhook's delivered and read statuses are recorded on the push
// whose message they are about.
func TestStatusesAsReceipts(t *testing.T) {
	e := newEnv(t, nil)
	e.bot.cfg.Receipts = &bot.Tracker{Store: e.conv, Log: e.bot.log}
	e.say(cloudtest.Text(parent, "Сәлем"))
	p := domain.Push{Key: "broadcast:2:whatsapp:" + parent, UserKey: "whatsapp:" + parent, Kind: "broadcast", Reply: dialog.Reply{Text: "Ертең старт!"}}
	if err := e.store.Update(context.Background(), func(tx domain.Tx) error { _, err := tx.Enqueue(&p); return err }); err != nil {
		t.Fatal(err)
	}
	if err := e.bot.Send(bot.WithPush(context.Background(), p), parent, p.Reply); err != nil {
		t.Fatal(err)
	}
	id := e.fake.Take()[0].ID
	for _, st := range []string{"sent", "delivered", "read"} {
		if code := e.fake.Post(e.hook, nil, []map[string]any{cloudtest.Status(id, st, parent, 0)}); code != http.StatusOK {
			t.Fatalf("status %s: %d", st, code)
		}
	}
	var got domain.PushStats
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		got, err = tx.PushStats("broadcast:2:")
		return err
	})
	if err != nil || got.Delivered != 1 || got.Read != 1 {
		t.Errorf("stats %+v (%v), want delivered and read", got, err)
	}
}

// The conversations every WhatsApp transport runs, through the Cloud
// API's fake: choices are picked by tapping their reply button or list
// row, or by typing their number when they came as a numbered list.
func TestConversations(t *testing.T) {
	for _, c := range chattest.Conversations {
		t.Run(c.Name, func(t *testing.T) {
			e := newEnv(t, nil)
			var last []cloudtest.Message
			for i, s := range c.Steps {
				if s.Typed {
					continue
				}
				msg := cloudtest.Text(c.From, s.Say)
				if s.Say == "" {
					msg = pickFrom(c.From, last, s.Pick)
				}
				last = e.say(msg)
				if want := chattest.Lead(e.cat, c.Lang, s.Want); !strings.Contains(texts(last), want) {
					t.Fatalf("step %d: sent %+v, want %q", i, last, want)
				}
			}
			if r := e.fake.Refused(); len(r) != 0 {
				t.Fatalf("the fake refused %q", r)
			}
		})
	}
}

// A file over the flows' limit is not fetched: the message comes
// without its bytes.
func TestFileOverTheLimit(t *testing.T) {
	rec := &recorder{}
	e := newEnv(t, func(*flows.Flows) Engine { return rec })
	e.fake.AddMedia("MEDIA-BIG", "application/pdf", make([]byte, flows.MaxAttachment+1))
	doc := map[string]any{"from": parent, "id": "wamid.BIG", "timestamp": "1700000000", "type": "document",
		"document": map[string]string{"id": "MEDIA-BIG", "mime_type": "application/pdf", "filename": "results.pdf"}}
	e.say(doc)
	if len(rec.msgs) != 1 || rec.msgs[0].Document == nil || rec.msgs[0].Document.Name != "results.pdf" || rec.msgs[0].Document.Data != nil {
		t.Fatalf("messages %+v", rec.msgs)
	}
	if f := e.fake.Fetched(); len(f) != 0 {
		t.Errorf("fetched %q", f)
	}
}

// diplomaEngine answers every message with a diploma.
type diplomaEngine struct{}

func (diplomaEngine) Dispatch(_ context.Context, _ dialog.Message, deliver func(flows.Answer)) {
	deliver(flows.Answer{Replies: []dialog.Reply{{Text: "Here is your diploma", Document: &dialog.Document{Name: "diploma-RFA-7K2Q.pdf",
		MIME: "application/pdf", Data: []byte("%PDF-1.4 diploma")}}}})
}

// A reply's file is uploaded to the media endpoint and sent as a
// document after the reply's text.
func TestFileOut(t *testing.T) {
	e := newEnv(t, func(*flows.Flows) Engine { return diplomaEngine{} })
	sent := e.say(cloudtest.Text(parent, "/diploma"))
	if len(sent) != 2 || sent[0].Text != "Here is your diploma" || sent[1].Type != "document" ||
		sent[1].Filename != "diploma-RFA-7K2Q.pdf" || sent[1].MediaID == "" {
		t.Fatalf("sent %+v", sent)
	}
	if up := e.fake.Uploads(); fmt.Sprint(up) != "[diploma-RFA-7K2Q.pdf application/pdf 16]" {
		t.Errorf("uploads %q", up)
	}
}

// A token refused at start puts the channel down with why and alerts
// the organizers; the check is repeated, and the channel comes up once
// the token works.
func TestTokenRefusedAtStart(t *testing.T) {
	e := newEnv(t, nil, func(e *env) {
		e.fake.SetToken("ANOTHER")
		e.bot.checkEvery = 5 * time.Millisecond
	})
	waitFor(t, "the channel down", func() bool { return strings.Contains(e.health.Down()["whatsapp"], "WHATSAPP_CLOUD_TOKEN") })
	e.mu.Lock()
	alerts := append([]string(nil), e.alerts...)
	e.mu.Unlock()
	if len(alerts) == 0 || !strings.HasPrefix(alerts[0], "whatsapp:cloud-token:") {
		t.Errorf("alerts %q", alerts)
	}
	e.fake.SetToken("TOKEN")
	waitFor(t, "the channel up", func() bool { return len(e.health.Up()) == 1 && len(e.health.Down()) == 0 })
}

// waitFor polls cond until it holds, for at most 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
