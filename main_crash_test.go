package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/payments"
	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

// TestCrashRecovery registers and pays 500 participants on Telegram
// while the bot is killed (SIGKILL) at random moments and started again
// on the same data, then checks the database after a clean stop: every
// registration is there once with what the participant entered, every
// payment gave exactly one bib and the bibs of a distance follow each
// other without a gap or a repeat, every place is counted once, every
// payment confirmation was queued once and sent, and no update got more
// answers than were sent.
//
// RFA_CRASH_SEED repeats the kill schedule of a failed run (printed);
// RFA_CRASH_USERS and RFA_CRASH_KILLS change the size.
func TestCrashRecovery(t *testing.T) {
	users, kills := envInt(t, "RFA_CRASH_USERS", 500), envInt(t, "RFA_CRASH_KILLS", 6)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("RFA_CRASH_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("RFA_CRASH_SEED: %v", err)
		}
		seed = s
	}
	t.Logf("RFA_CRASH_SEED=%d RFA_CRASH_USERS=%d RFA_CRASH_KILLS=%d", seed, users, kills)
	rng := rand.New(rand.NewPCG(seed, seed))

	tg := tgfake.New(t)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	eventPath := futureEvent(t)
	ev, err := event.Load(eventPath)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "crash-test-secret"
	p := newBotProcess(t, tg, eventPath, "PAYMENT_PROVIDER=test", "PAYMENT_SECRET="+secret, "TELEGRAM_RATE=1000")
	// up is when the running bot came up (UnixNano), 0 while it is down.
	var up atomic.Int64
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	up.Store(time.Now().UnixNano())

	// killedAt is when the bot was last killed (UnixNano).
	var killedAt atomic.Int64
	// An answer is lost only in a crash: to an update that a bot killed
	// since had got. Its rider waits 3 s of the bot being up again, then
	// asks again, as a person would. An update the running bot got is
	// answered however long the machine makes it wait: asking again
	// then would only have the bot answer twice.
	stall := func(update int, last time.Time) bool {
		u := up.Load()
		at, handed := tg.HandedAt(update)
		return u != 0 && handed && at.UnixNano() < killedAt.Load() &&
			time.Since(last) > 3*time.Second && time.Since(time.Unix(0, u)) > 3*time.Second
	}
	riders := make([]*rider, users)
	for i := range riders {
		riders[i] = newRider(tg, cat, i)
	}
	payer := func(i int) bool { return i%5 != 0 }

	// The riders have until a minute before go test's -timeout: on a
	// loaded machine, with -race, 500 registrations take over 5 minutes.
	// A rider stuck for good still fails the test, naming its question.
	deadline, ok := t.Deadline()
	if !ok {
		deadline = time.Now().Add(30 * time.Minute)
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline.Add(-time.Minute))
	defer cancel()
	var remaining atomic.Int64
	remaining.Store(int64(users))
	var killed []time.Duration
	killerDone := make(chan error, 1)
	go func() {
		// Kill at random moments while riders are at work.
		var err error
		for range kills {
			wait := time.Duration(200+rng.IntN(1800)) * time.Millisecond
			select {
			case <-time.After(wait):
			case <-ctx.Done():
			}
			if remaining.Load() == 0 || ctx.Err() != nil {
				break
			}
			up.Store(0)
			p.kill()
			killedAt.Store(time.Now().UnixNano())
			killed = append(killed, wait)
			if err = p.start(); err != nil {
				break
			}
			up.Store(time.Now().UnixNano())
		}
		killerDone <- err
	}()

	errs := make([]error, users)
	var wg sync.WaitGroup
	for i, r := range riders {
		wg.Go(func() {
			defer remaining.Add(-1)
			// People arrive over the first two seconds.
			time.Sleep(time.Duration(i) * 2 * time.Second / time.Duration(users))
			if err := r.register(ctx, stall, false); err != nil {
				errs[i] = err
				return
			}
			if payer(i) {
				d, _ := ev.Distance(r.distance)
				errs[i] = pay(ctx, p.addr, secret, r.order, d.Fee)
			}
		})
	}
	wg.Wait()
	if err := <-killerDone; err != nil {
		t.Fatal(err)
	}
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			if failed <= 5 {
				t.Errorf("rider %d: %v", i, err)
			}
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d riders did not finish; kills after %v", failed, users, killed)
	}

	// Every confirmation arrives, through the last restart.
	confirmations := func(r *rider) int {
		n := 0
		code := strings.TrimSuffix(r.order, "-1")
		prefix := textBefore(cat, r.lang, "pay_confirmed")
		for _, m := range tg.BotMessages(r.user.ID) {
			if strings.HasPrefix(m.Text, prefix) && strings.Contains(m.Text, code) {
				n++
			}
		}
		return n
	}
	confirmed := time.NewTimer(time.Minute)
	defer confirmed.Stop()
	for i, r := range riders {
		for payer(i) {
			changed := tg.Changed(r.user.ID)
			if confirmations(r) > 0 {
				break
			}
			select {
			case <-changed:
			case <-confirmed.C:
				t.Fatalf("rider %d got no payment confirmation", i)
			}
		}
	}
	if _, err := p.stop(); err != nil {
		t.Fatal(err)
	}
	if u := tg.Unconfirmed(); len(u) > 0 {
		t.Errorf("updates never confirmed to Telegram: %v", u)
	}

	st, err := storage.Open(p.dbPath(), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	bibs := map[string][]int{}
	held := map[string]int{}
	paid, sent, twice, updates, retries, echoes := 0, 0, 0, 0, 0, 0
	err = st.View(ctx, func(tx domain.Tx) error {
		for i, r := range riders {
			updates += r.updates
			retries += r.retries
			echoes += r.echoes
			regs, err := tx.Registrations(r.key())
			if err != nil {
				return err
			}
			if len(regs) != 1 {
				t.Errorf("rider %d: %d registrations, want 1", i, len(regs))
				continue
			}
			reg := regs[0]
			if err := r.check(reg); err != nil {
				t.Errorf("rider %d: %v", i, err)
			}
			held[reg.Distance]++
			o, err := tx.Order(r.order)
			if err != nil || o.Code != reg.Code {
				t.Errorf("rider %d: order %s %+v: %v", i, r.order, o, err)
				continue
			}
			want, wantOrder := domain.StatusAwaitingPayment, domain.OrderOpen
			if payer(i) {
				want, wantOrder = domain.StatusPaid, domain.OrderPaid
				paid++
				bibs[reg.Distance] = append(bibs[reg.Distance], reg.Bib)
			}
			if reg.Status != want || o.Status != wantOrder {
				t.Errorf("rider %d: registration %s, order %s; want %s, %s", i, reg.Status, o.Status, want, wantOrder)
			}
			pushes, err := st.PushesTo(r.key())
			if err != nil {
				return err
			}
			switch {
			case !payer(i) && len(pushes) != 0:
				t.Errorf("rider %d: unpaid, yet pushes %+v", i, pushes)
			case payer(i) && (len(pushes) != 1 || pushes[0].Key != "paid:"+reg.Code || pushes[0].Status != domain.PushSent):
				t.Errorf("rider %d: pushes %+v, want the confirmation once, sent", i, pushes)
			case payer(i):
				sent++
				n := confirmations(r)
				twice += n - 1
				if c := lastConfirmation(tg, r); !strings.Contains(c, ": "+strconv.Itoa(reg.Bib)+"\n") {
					t.Errorf("rider %d: the confirmation does not name bib %d: %q", i, reg.Bib, c)
				}
			}
			if answers := replies(tg, r); answers > r.updates {
				t.Errorf("rider %d: %d answers to %d updates", i, answers, r.updates)
			}
		}
		for _, d := range ev.Distances {
			taken, err := tx.PlacesTaken(d.ID, event.InPerson)
			if err != nil {
				return err
			}
			if taken != held[d.ID] {
				t.Errorf("%s: %d places counted, %d registrations", d.ID, taken, held[d.ID])
			}
			got := slices.Sorted(slices.Values(bibs[d.ID]))
			for k, b := range got {
				if b != d.BibFrom+k {
					t.Errorf("%s: bibs %v, want %d.. without gaps or repeats", d.ID, got, d.BibFrom)
					break
				}
			}
		}
		due, err := tx.DuePushes("telegram", time.Now().Add(24*365*time.Hour), 10)
		if err != nil {
			return err
		}
		if len(due) > 0 {
			t.Errorf("pushes still pending: %+v", due)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	nbibs, places := 0, 0
	for _, d := range ev.Distances {
		nbibs += len(bibs[d.ID])
		places += held[d.ID]
	}
	t.Logf("%d kills (after %v of uptime each); %d participants registered, each once; %d paid, %d bibs, none twice, none skipped; %d places counted",
		len(killed), killed, users, paid, nbibs, places)
	t.Logf("%d updates sent (%d asked again after a kill; %d answers to those read past, the first answer having come), none answered more than once; %d confirmations queued once and sent, %d sent twice by a kill mid-send; no push pending",
		updates, retries, echoes, sent, twice)
}

// check compares a stored registration with what the rider entered.
func (r *rider) check(reg domain.Registration) error {
	birth, err := time.Parse("02.01.2006", r.birth)
	if err != nil {
		return err
	}
	em, err := flows.ParsePhone(r.emergencyTel)
	if err != nil {
		return err
	}
	want := domain.Registration{Name: r.name, Birth: birth.Format("2006-01-02"), Phone: r.phone, Distance: r.distance,
		TShirt: r.size, EmergencyName: r.emergency, EmergencyPhone: em, Mode: event.InPerson, Category: "general", UserKey: r.key()}
	got := domain.Registration{Name: reg.Name, Birth: reg.Birth, Phone: reg.Phone, Distance: reg.Distance,
		TShirt: reg.TShirt, EmergencyName: reg.EmergencyName, EmergencyPhone: reg.EmergencyPhone, Mode: reg.Mode, Category: reg.Category, UserKey: reg.UserKey}
	if got != want || reg.Code+"-1" != r.order {
		return fmt.Errorf("stored %+v with order %s, want %+v with order %s", got, reg.Code+"-1", want, r.order)
	}
	return nil
}

// pay notifies the bot that order was paid, as a provider does: signed,
// and again until the bot answers 200 (it may be down or killed
// meanwhile).
func pay(ctx context.Context, addr, secret, order string, amount int) error {
	body, sig := payments.Encode([]byte(secret), domain.Payment{OrderID: order, Amount: amount, Currency: "KZT",
		Status: domain.PaymentPaid, ProviderRef: "crash-" + order})
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/payments/webhook", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set(payments.SignatureHeader, sig)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusOK:
				return nil
			case resp.StatusCode < 500:
				return fmt.Errorf("payment of %s: %s", order, resp.Status)
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("payment of %s: %w", order, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// textBefore is a text of the catalog up to its first placeholder.
func textBefore(cat *locales.Catalog, lang, id string) string {
	const mark = "\x00"
	data := map[string]any{}
	for _, k := range []string{"Name", "Code", "Distance", "Mode", "Bib", "Date", "Time", "Kit"} {
		data[k] = mark
	}
	s, _, _ := strings.Cut(cat.T(lang, id, data), mark)
	return s
}

func lastConfirmation(tg *tgfake.Server, r *rider) string {
	code := strings.TrimSuffix(r.order, "-1")
	msgs := tg.BotMessages(r.user.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.Contains(msgs[i].Text, code) {
			return msgs[i].Text
		}
	}
	return ""
}

// replies counts the bot's answers in a rider's chat: its messages but
// the payment confirmations and the second message of an answer sent in
// two: the share button after the phone question, the notes that take
// its keyboard away before a question.
func replies(tg *tgfake.Server, r *rider) int {
	n := 0
	code := strings.TrimSuffix(r.order, "-1")
	for _, m := range tg.BotMessages(r.user.ID) {
		if m.Keyboard == nil && !m.RemoveKeyboard && !(strings.Contains(m.Text, code) && len(m.Inline) == 1 && m.Inline[0][0].CallbackData == "m:my") {
			n++
		}
	}
	return n
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s: %q is not a count", name, v)
	}
	return n
}
