package telegram_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
)

// frozenOffsets drops offset saves while frozen, as a process that dies
// before writing them would.
type frozenOffsets struct {
	telegram.Offsets
	frozen *atomic.Bool
}

func (f frozenOffsets) SetOffset(ctx context.Context, channel string, next int64) error {
	if f.frozen.Load() {
		return nil
	}
	return f.Offsets.SetOffset(ctx, channel, next)
}

// The bot restarts in the middle of a registration: the conversation
// goes on at the same step and no update is handled twice, also when the
// bot died before saving how far it got and Telegram sends the last
// update again.
func TestRestartMidRegistration(t *testing.T) {
	e := newEnv(t)
	var frozen atomic.Bool
	e.edit = func(c *telegram.Config) { c.Offsets = frozenOffsets{Offsets: c.Offsets, frozen: &frozen} }
	e.start()
	p := e.person(8001, "ru")
	ids := []int{p.say("/start register")}
	p.expect(e.part("ru", "reg_name_ask"))
	ids = append(ids, p.say("Айгерим Нурланова"))
	p.expect(e.part("ru", "reg_birth_ask"))
	last := p.say("15.05.1990")
	ids = append(ids, last)
	p.expect(e.part("ru", "reg_gender_ask"))

	// A graceful restart: the next poll asks for what follows the last
	// update handled.
	polls := len(e.tg.Offsets())
	e.restart()
	e.tg.Wait(t, "a poll after the restart", func() bool { return len(e.tg.Offsets()) > polls })
	if got := e.tg.Offsets()[polls]; got != last+1 {
		t.Errorf("first poll after the restart asks for offset %d, want %d", got, last+1)
	}
	if got := e.user(p.key()).Session.Step; got != flows.StepRegGender {
		t.Fatalf("after the restart at %q", got)
	}
	// The question sent before the restart still takes its answer.
	_, cb := p.tap(e.T("ru", "gender_female"))
	p.expect(e.part("ru", "reg_phone_ask"), e.T("ru", "phone_share_hint"))
	ids = append(ids, cb.UpdateID)

	// A crash: the step is saved, but neither the offset nor Telegram
	// learnt that the update was handled.
	e.tg.Wait(t, "a waiting poll", func() bool { return len(e.tg.Unconfirmed()) == 0 })
	e.tg.SetLatency("getUpdates", time.Hour)
	frozen.Store(true)
	crashed := p.say("8 701 234 56 78")
	ids = append(ids, crashed)
	p.expect(e.part("ru", "reg_mode_ask"))
	e.stop()
	if !slices.Contains(e.tg.Unconfirmed(), crashed) {
		t.Fatalf("the fake forgot update %d: %v", crashed, e.tg.Unconfirmed())
	}
	e.tg.SetLatency("getUpdates", 0)
	frozen.Store(false)
	e.start()
	e.tg.Wait(t, "the update fetched again and confirmed", func() bool { return len(e.tg.Unconfirmed()) == 0 })
	// Handled before the crash: not answered again.
	p.quiet()
	u := e.user(p.key())
	if u.Session.Step != flows.StepRegMode || u.Session.Draft.Phone != "+77012345678" {
		t.Fatalf("after the crash at %q with phone %q", u.Session.Step, u.Session.Draft.Phone)
	}
	_, cb = p.tap(e.T("ru", "mode_choice_inperson"))
	p.expect(e.part("ru", "reg_distance_ask"))
	ids = append(ids, cb.UpdateID)
	u = e.user(p.key())

	var want []string
	for _, id := range ids {
		want = append(want, strconv.Itoa(id))
	}
	if seen := u.Session.Seen; !slices.Equal(seen, want) {
		t.Errorf("updates handled %v, want each of %v once", seen, want)
	}
}

// slowEngine holds one user's messages until released.
type slowEngine struct {
	telegram.Engine
	user    string
	entered chan struct{}
	release chan struct{}
}

func (s *slowEngine) Dispatch(ctx context.Context, msg dialog.Message, deliver func(flows.Answer)) {
	if msg.UserID == s.user {
		close(s.entered)
		<-s.release
	}
	s.Engine.Dispatch(ctx, msg, deliver)
}

// Users are handled in parallel, but the offset only passes an update
// once it and all before it are saved; shutdown finishes what is in
// hand.
func TestOffsetWaitsForSlowerUpdates(t *testing.T) {
	e := newEnv(t)
	slow := &slowEngine{user: "9001", entered: make(chan struct{}), release: make(chan struct{})}
	e.wrap = func(eng telegram.Engine) telegram.Engine { slow.Engine = eng; return slow }
	e.start()
	a, b := e.person(9001, "en"), e.person(9002, "en")
	idA := a.say("/start")
	<-slow.entered
	b.say("/start")
	b.expect(e.part("en", "menu_ask"))
	idB := b.say("/menu")
	b.expect(e.part("en", "menu_ask"))
	for _, off := range e.tg.Offsets() {
		if off > idA {
			t.Fatalf("polled with offset %d while update %d was in hand", off, idA)
		}
	}
	if got, _ := e.store.Offset(t.Context(), telegram.Channel); got > int64(idA) {
		t.Fatalf("saved offset %d while update %d was in hand", got, idA)
	}
	e.cancel()
	select {
	case <-e.done:
		t.Fatal("Run returned with an update in hand")
	default:
	}
	close(slow.release)
	a.expect(e.part("en", "menu_ask"))
	e.stop()
	e.open()
	defer e.store.Close()
	if got, _ := e.store.Offset(t.Context(), telegram.Channel); got != int64(idB+1) {
		t.Errorf("saved offset %d, want %d", got, idB+1)
	}
}

// In webhook mode the bot registers its URL with a secret token and
// takes only posts that carry it.
func TestWebhook(t *testing.T) {
	e := newEnv(t)
	mux := http.NewServeMux()
	hook := httptest.NewServer(mux)
	defer hook.Close()
	e.edit = func(c *telegram.Config) {
		c.WebhookURL = hook.URL + "/tg/hook"
		c.WebhookSecret = "s3cret_-Token"
		c.Offsets = nil
	}
	e.open()
	e.bot.Register(mux)
	e.run()
	e.tg.Wait(t, "the webhook set", func() bool { u, _ := e.tg.Webhook(); return u != "" })
	if u, s := e.tg.Webhook(); u != hook.URL+"/tg/hook" || s != "s3cret_-Token" {
		t.Errorf("webhook %q with secret %q", u, s)
	}
	p := e.person(9101, "kk")
	p.say("/start")
	p.expect(e.part("kk", "menu_ask"))
	p.tap(e.T("kk", "menu_info"))
	p.expect("Run for Autism")
	for _, d := range e.tg.Deliveries() {
		if d.Status != http.StatusOK {
			t.Errorf("delivery %+v", d)
		}
	}
	post := func(secret string) int {
		body := `{"update_id":1,"message":{"message_id":1,"date":1,"text":"/start","chat":{"id":9102,"type":"private"},"from":{"id":9102,"is_bot":false,"first_name":"M"}}}`
		req, _ := http.NewRequest(http.MethodPost, hook.URL+"/tg/hook", strings.NewReader(body))
		if secret != "" {
			req.Header.Set(tgfake.SecretHeader, secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, secret := range []string{"", "wrong", "s3cret_-Token2"} {
		if got := post(secret); got != http.StatusUnauthorized {
			t.Errorf("post with secret %q: %d, want 401", secret, got)
		}
	}
	if n := len(e.tg.Calls("getUpdates")); n != 0 {
		t.Errorf("polled %d times in webhook mode", n)
	}
	e.stop()
	if got := post("s3cret_-Token"); got != http.StatusServiceUnavailable {
		t.Errorf("post after shutdown: %d, want 503", got)
	}
	e.open()
	defer e.store.Close()
	err := e.store.View(t.Context(), func(tx domain.Tx) error { _, err := tx.User("telegram:9102"); return err })
	if err != domain.ErrNotFound {
		t.Errorf("a post without the secret was handled: %v", err)
	}
}

// The command menu is set in each language and in all three for
// everyone else.
func TestCommandsInEachLanguage(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.tg.Wait(t, "four command lists", func() bool { return len(e.tg.Calls("setMyCommands")) == 4 })
	names := []string{"start", "menu", "lang", "help", "cancel", "support", "results", "diploma"}
	for _, lang := range append(append([]string{}, locales.Languages...), "") {
		cmds := e.tg.Commands(lang)
		if len(cmds) != len(names) {
			t.Fatalf("%q: commands %+v", lang, cmds)
		}
		for i, c := range cmds {
			if c.Command != names[i] {
				t.Errorf("%q: command %d is %q, want %q", lang, i, c.Command, names[i])
			}
			for _, l := range locales.Languages {
				want := e.T(l, "cmd_"+names[i])
				if (lang == l || lang == "") && !strings.Contains(c.Description, want) {
					t.Errorf("%q: /%s described %q, want %q", lang, c.Command, c.Description, want)
				}
			}
		}
	}
	if got := e.tg.Commands("ru")[1].Description; got != "Главное меню" {
		t.Errorf("ru /menu: %q", got)
	}
}

// The token is in every URL the library builds; no log line or error
// shows it.
func TestTokenStaysOutOfLogsAndErrors(t *testing.T) {
	e := newEnv(t)
	e.edit = func(c *telegram.Config) { c.Attempts = 2 }
	e.start()
	e.tg.Fail("sendMessage", 2, tgfake.Failure{Drop: true})
	p := e.person(9201, "en")
	p.say("/start")
	e.tg.Wait(t, "the failure logged", func() bool { return strings.Contains(e.logs.String(), "sending to telegram failed") })
	logs := e.logs.String()
	if strings.Contains(logs, e.tg.Token) || !strings.Contains(logs, "/bot<token>/sendMessage") {
		t.Errorf("logs:\n%s", logs)
	}
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	cfg := e.config()
	cfg.Endpoint = down.URL + "/bot%s/%s"
	_, err := telegram.New(t.Context(), cfg)
	if err == nil || strings.Contains(err.Error(), e.tg.Token) || !strings.Contains(err.Error(), "<token>") {
		t.Errorf("New against a server that is down: %v", err)
	}
	cfg = e.config()
	cfg.Token = "1:wrong"
	if _, err := telegram.New(t.Context(), cfg); err == nil || !strings.Contains(err.Error(), "Unauthorized") {
		t.Errorf("New with a wrong token: %v", err)
	}
}

func TestHealth(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.tg.Wait(t, "telegram up", func() bool { return slices.Contains(e.health.Up(), "telegram") })
	e.stop()
	if slices.Contains(e.health.Up(), "telegram") {
		t.Error("telegram still up after shutdown")
	}
}
