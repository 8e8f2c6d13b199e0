package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/locales"
)

// Riders are simulated participants who register through the built
// binary on Telegram (the fake Bot API), for the crash test and the load
// benchmark. A rider reads the bot's newest message and answers whatever
// it asks, the way a person does, so it also finds its way after a reply
// was lost in a crash: it waits, then answers the question on screen
// again or sends /start.

// rider is one participant and their answers.
type rider struct {
	tg   *tgfake.Server
	cat  *locales.Catalog
	user tgfake.User
	lang string

	name, birth, phone      string
	distance, size          string
	emergency, emergencyTel string

	// updates counts what the rider sent: messages and presses; first
	// is the first of them; retries counts those sent again after an
	// answer was lost.
	updates, first, retries int
	// echoes counts the answers to a press sent again that the rider
	// read past (echo).
	echoes int
	// seen is the newest bot message acted on or passed over; answered
	// is the newest acted on.
	seen     int
	answered tgfake.Message
	// sent is the update the rider is waiting to be answered.
	sent int
	// confirmed is set once the rider pressed Confirm.
	confirmed bool
	// order is the order of the payment link, once shown.
	order string
	// sentAt is when the rider sent it.
	sentAt time.Time
	// think is how long the rider reads a question before answering:
	// half to one and a half times it, at random.
	think time.Duration
	// latencies are the times from an update handed to the bot to the
	// question that answers it, and waits from the rider sending it to
	// that answer, when measured.
	latencies, waits []time.Duration
}

var riderNames = map[string][]string{
	"kk": {"Әсел Қайратқызы", "Нұрлан Әбенов", "Гүлнұр Сейітова", "Ерлан Қасымов", "Айгерім Нұрланқызы"},
	"ru": {"Айгерим Нурланова", "Дмитрий Ёлкин", "Анна-Мария Петрова", "Тимур Ахметов", "Ольга Соколова"},
	"en": {"Oliver Smith", "Emma O'Brien", "Hiroaki Funata", "Sean Murphy", "Grace Lee"},
}

var riderDistances = []string{"1k", "2.5k", "5k", "10k"}

// newRider is participant i: a language in turn, a name in it, a date of
// birth that makes an adult on race day in 2099, distinct phone numbers.
func newRider(tg *tgfake.Server, cat *locales.Catalog, i int) *rider {
	lang := locales.Languages[i%len(locales.Languages)]
	names := riderNames[lang]
	return &rider{
		tg: tg, cat: cat, lang: lang,
		user:         tgfake.User{ID: int64(500000 + i), FirstName: "Rider", LanguageCode: lang},
		name:         names[i%len(names)],
		birth:        fmt.Sprintf("%02d.%02d.%d", 1+i%28, 1+i%12, 1990+i%20),
		phone:        fmt.Sprintf("+7701%07d", i),
		distance:     riderDistances[i%len(riderDistances)],
		size:         []string{"S", "M", "L", "XL"}[i%4],
		emergency:    names[(i+1)%len(names)],
		emergencyTel: fmt.Sprintf("8 702 %07d", i),
	}
}

func (r *rider) key() string { return fmt.Sprintf("telegram:%d", r.user.ID) }

// text is a question the rider knows, as the bot words it for them.
func (r *rider) text(id string) string {
	return r.cat.T(r.lang, id, map[string]any{"Name": r.name, "Contact": r.emergency})
}

// actionable reports whether m asks something: it has buttons, a
// keyboard or a link. A message whose buttons a press removed asks
// nothing.
func actionable(m tgfake.Message) bool {
	return m.FromBot && (len(m.Inline) > 0 || len(m.Keyboard) > 0)
}

// newest is the bot's newest message that asks something.
func newest(msgs []tgfake.Message) (tgfake.Message, bool) {
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if !m.FromBot {
			continue
		}
		return m, actionable(m)
	}
	return tgfake.Message{}, false
}

func hasPayload(m tgfake.Message, payload string) bool {
	for _, row := range m.Inline {
		for _, b := range row {
			if b.CallbackData == payload {
				return true
			}
		}
	}
	return false
}

// payOrder is the order of a payment link on m: RFA-7K2Q-1 in
// http://.../pay/test/RFA-7K2Q-1.
func payOrder(m tgfake.Message) string {
	for _, row := range m.Inline {
		for _, b := range row {
			if u, err := url.Parse(b.URL); err == nil && strings.Contains(u.Path, "/pay/test/") {
				return path.Base(u.Path)
			}
		}
	}
	return ""
}

// errUnknownQuestion: the rider does not know what the message asks.
var errUnknownQuestion = errors.New("a message the rider cannot answer")

// act answers m; done is true once m shows the payment link.
func (r *rider) act(m tgfake.Message) (done bool, err error) {
	if o := payOrder(m); o != "" {
		r.order = o
		return true, nil
	}
	press := func(payload string) (bool, error) {
		cb, err := r.tg.PressData(r.user, m.ID, payload)
		if err != nil {
			return false, err
		}
		r.sent, r.sentAt = cb.UpdateID, time.Now()
		r.updates++
		return false, nil
	}
	say := func(text string) (bool, error) {
		r.sentAt = time.Now()
		r.sent = r.tg.Text(r.user, text)
		r.updates++
		return false, nil
	}
	for _, p := range []string{"resume:go", "g:female", "mode:inperson", "d:" + r.distance, "cat:general", "size:" + r.size, "agree"} {
		if hasPayload(m, p) {
			return press(p)
		}
	}
	switch {
	case hasPayload(m, "reg:ok"):
		r.confirmed = true
		return press("reg:ok")
	case r.confirmed && hasPayload(m, "m:my"):
		return press("m:my")
	case !r.confirmed && hasPayload(m, "m:reg"):
		return press("m:reg")
	case len(m.Keyboard) > 0 && m.Keyboard[0][0].RequestContact:
		r.sentAt = time.Now()
		r.sent = r.tg.Contact(r.user, r.phone, r.user.ID)
		r.updates++
		return false, nil
	case !hasPayload(m, "back"):
	case strings.Contains(m.Text, r.text("reg_emergency_phone_ask")):
		return say(r.emergencyTel)
	case strings.Contains(m.Text, r.text("reg_emergency_name_ask")):
		return say(r.emergency)
	case strings.Contains(m.Text, r.text("reg_birth_ask")):
		return say(r.birth)
	case strings.Contains(m.Text, r.text("reg_name_ask")):
		return say(r.name)
	}
	return false, fmt.Errorf("%w: %q %v", errUnknownQuestion, m.Text, m.Buttons())
}

// stalled tells a rider whose update got no answer since it was sent
// what to do: keep waiting (false), or ask again (true). The load
// benchmark has no crashes, so it never asks again; the crash test does
// for an update that a bot killed since had got.
type stalled func(update int, since time.Time) bool

// question is the bot's newest message when it asks something. The
// phone question's share button comes on the message after the
// question.
func (r *rider) question() (tgfake.Message, bool) {
	m, ok := newest(r.tg.BotMessages(r.user.ID))
	return m, ok && (len(m.Keyboard) > 0 || !strings.Contains(m.Text, r.text("reg_phone_ask")))
}

// echo reports whether m repeats, below the note on a stale button, the
// question the rider answered last. That is the answer to a press sent
// again while the first one's answer was on its way: a person who has
// answered that question already reads on instead of answering it
// twice.
func (r *rider) echo(m tgfake.Message) bool {
	q, ok := strings.CutPrefix(m.Text, r.text("button_stale"))
	return ok && r.answered.ID != 0 && slices.Equal(payloads(m), payloads(r.answered)) &&
		strings.HasSuffix(strings.TrimSpace(r.answered.Text), strings.TrimSpace(q))
}

func payloads(m tgfake.Message) []string {
	var out []string
	for _, row := range m.Inline {
		for _, b := range row {
			out = append(out, b.CallbackData)
		}
	}
	return out
}

// register takes the rider from /start to the payment link. It measures
// each answer's time when measure is set.
func (r *rider) register(ctx context.Context, retry stalled, measure bool) error {
	r.sentAt = time.Now()
	r.sent = r.tg.Text(r.user, "/start")
	r.first = r.sent
	r.updates++
	last := time.Now()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		changed := r.tg.Changed(r.user.ID)
		m, ok := r.question()
		if ok && m.ID > r.seen && r.echo(m) {
			r.seen = m.ID
			r.echoes++
			continue
		}
		if ok && m.ID > r.seen {
			r.seen, r.answered = m.ID, m
			if at, handed := r.tg.HandedAt(r.sent); measure && handed {
				r.latencies = append(r.latencies, m.Sent.Sub(at))
				r.waits = append(r.waits, m.Sent.Sub(r.sentAt))
			}
			if r.think > 0 && payOrder(m) == "" {
				time.Sleep(r.think/2 + rand.N(r.think))
			}
			done, err := r.act(m)
			if done || err != nil {
				return err
			}
			last = time.Now()
			continue
		}
		select {
		case <-changed:
		case <-tick.C:
			if !retry(r.sent, last) {
				continue
			}
			if now, ok := r.question(); ok && now.ID > r.seen {
				// The answer came meanwhile.
				continue
			}
			// Lost in a crash: answer the question on screen again, or
			// start over when none is.
			r.retries++
			if ok {
				if done, err := r.act(m); done || err != nil {
					return err
				}
			} else {
				r.sentAt = time.Now()
				r.sent = r.tg.Text(r.user, "/start")
				r.updates++
			}
			last = time.Now()
		case <-ctx.Done():
			return fmt.Errorf("rider %d stuck at %q: %w", r.user.ID, m.Text, ctx.Err())
		}
	}
}

// botProcess is "rfabot serve" as a child process on the Telegram fake,
// started again after each kill on the same data directory.
type botProcess struct {
	bin, data, addr, event string
	env                    []string
	// channel is the channel /healthz must list before the bot counts as
	// up; empty: any answer.
	channel string
	// log holds the standard error of every run.
	log syncBuffer
	cmd *exec.Cmd
	// exited is closed when the running process has exited; err is how.
	exited chan struct{}
	err    error
}

func newBotProcess(t *testing.T, tg *tgfake.Server, eventPath string, env ...string) *botProcess {
	t.Helper()
	p := &botProcess{bin: binary(t), data: t.TempDir(), addr: freeAddr(t), event: eventPath, channel: "telegram"}
	p.env = append(os.Environ(), "TELEGRAM_TOKEN="+tg.Token, "TELEGRAM_API_ENDPOINT="+tg.Endpoint(),
		"TELEGRAM_WEBHOOK_URL=", "TELEGRAM_WEBHOOK_SECRET=", "ADMINS=", "SUPPORT_CHAT_ID=", "PUBLIC_URL=", "LOG_LEVEL=warn",
		"PAYMENT_PROVIDER=test")
	p.env = append(p.env, env...)
	t.Cleanup(func() {
		if p.cmd != nil {
			p.kill()
		}
	})
	return p
}

func (p *botProcess) dbPath() string { return filepath.Join(p.data, "bot.db") }

// start runs the bot and waits until /healthz answers, listing the
// channel.
func (p *botProcess) start() error {
	cmd := exec.Command(p.bin, "serve", "--data", p.data, "--http", p.addr, "--event", p.event)
	cmd.Env = p.env
	cmd.Stderr = &p.log
	if err := cmd.Start(); err != nil {
		return err
	}
	p.cmd, p.exited = cmd, make(chan struct{})
	go func(exited chan struct{}) {
		p.err = cmd.Wait()
		close(exited)
	}(p.exited)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if healthy(p.addr, p.channel) {
			return nil
		}
		select {
		case <-p.exited:
			p.cmd = nil
			return fmt.Errorf("the bot exited at start (%v):\n%s", p.err, tail(p.log.String(), 2000))
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("the bot did not come up in 30 s:\n%s", tail(p.log.String(), 2000))
}

// kill stops the bot with SIGKILL, as a power cut would.
func (p *botProcess) kill() {
	p.cmd.Process.Kill()
	<-p.exited
	p.cmd = nil
}

// stop stops the bot with SIGTERM and reports how it exited.
func (p *botProcess) stop() (*os.ProcessState, error) {
	cmd := p.cmd
	p.cmd = nil
	cmd.Process.Signal(syscall.SIGTERM)
	<-p.exited
	if p.err != nil {
		return cmd.ProcessState, fmt.Errorf("serve did not stop cleanly: %v\n%s", p.err, tail(p.log.String(), 2000))
	}
	return cmd.ProcessState, nil
}

// healthy reports whether /healthz on addr answers and lists channel
// (any, when empty).
func healthy(addr, channel string) bool {
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK && (channel == "" || strings.Contains(string(body), `"`+channel+`"`))
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// scaledEvent writes the default event moved to 2099 with room for n
// runners on each distance: capacity n at the venue and online, and bib
// ranges of 2n that do not overlap.
func scaledEvent(t testing.TB, n int) string {
	t.Helper()
	return eventOn(t, n, time.Date(2099, 4, 3, 0, 0, 0, 0, time.UTC))
}

var isoDate = regexp.MustCompile(`"(\d{4}-\d{2}-\d{2})`)

// eventOn is scaledEvent with race day on day: every date of the
// default event moves with it.
func eventOn(t testing.TB, n int, day time.Time) string {
	t.Helper()
	b, err := os.ReadFile("event/event.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	shift := day.Sub(time.Date(2027, 4, 3, 0, 0, 0, 0, time.UTC))
	src := isoDate.ReplaceAllStringFunc(string(b), func(m string) string {
		d, err := time.Parse("2006-01-02", m[1:])
		if err != nil {
			t.Fatal(err)
		}
		return `"` + d.Add(shift).Format("2006-01-02")
	})
	bibs := map[string]int{"1k": 0, "2.5k": 1, "5k": 2, "10k": 3}
	var out []string
	var blocks = strings.Split(src, "[[distances]]")
	out = append(out, blocks[0])
	for _, blk := range blocks[1:] {
		lines := strings.Split(blk, "\n")
		var id string
		for i, l := range lines {
			switch {
			case strings.HasPrefix(l, "id = "):
				id = strings.Trim(strings.TrimPrefix(l, "id = "), `"`)
			case strings.HasPrefix(l, "capacity = "):
				lines[i] = fmt.Sprintf("capacity = %d", n)
			case strings.HasPrefix(l, "online_capacity = "):
				lines[i] = fmt.Sprintf("online_capacity = %d", n)
			case strings.HasPrefix(l, "bib_from = "):
				lines[i] = fmt.Sprintf("bib_from = %d", 1+2*n*bibs[id])
			case strings.HasPrefix(l, "bib_to = "):
				lines[i] = fmt.Sprintf("bib_to = %d", 2*n*(bibs[id]+1))
			}
			if strings.HasPrefix(l, "[") && !strings.HasPrefix(l, "[[distances") {
				break
			}
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	path := filepath.Join(t.TempDir(), "event.toml")
	if err := os.WriteFile(path, []byte(strings.Join(out, "[[distances]]")), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// riders runs f for each rider, at most n at once, and returns the
// errors.
func runRiders(rs []*rider, n int, f func(r *rider) error) []error {
	var mu sync.Mutex
	var errs []error
	next := make(chan *rider)
	var wg sync.WaitGroup
	for range min(n, len(rs)) {
		wg.Go(func() {
			for r := range next {
				if err := f(r); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, r := range rs {
		next <- r
	}
	close(next)
	wg.Wait()
	return errs
}
