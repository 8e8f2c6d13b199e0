//go:build loadtest

package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

// The registration benchmark: simulated participants register through
// the built binary ("rfabot serve") on the real Telegram adapter, which
// long-polls the fake Bot API over loopback HTTP, with bbolt syncing to
// disk as in production. Not part of `go test ./...`:
//
//	go test -tags loadtest -run TestRegistrationLoad -v -timeout 60m .
//	go test -tags loadtest -run TestRegistrationLoad -v -timeout 60m . -think 300ms
//	go test -tags loadtest -run TestRegistrationLoad -v -timeout 60m . -users 35000
//
// Without -think every participant answers at once: the bot runs flat
// out and the figures are its most updates a second. With -think 300ms,
// 500 participants send about 1,500 updates a second.
var (
	loadUsers       = flag.Int("users", 3500, "participants who register")
	loadConcurrency = flag.Int("concurrency", 500, "participants registering at the same time")
	loadThink       = flag.Duration("think", 0, "how long a participant reads each question before answering (half to 1.5 times, at random); 0: at once")
)

func TestRegistrationLoad(t *testing.T) {
	loadBefore := loadAverage()
	tg := tgfake.New(t)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := newBotProcess(t, tg, scaledEvent(t, *loadUsers))
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	peak := watchRSS(p.cmd.Process.Pid)
	riders := make([]*rider, *loadUsers)
	for i := range riders {
		riders[i] = newRider(tg, cat, i)
		riders[i].think = *loadThink
	}
	never := func(int, time.Time) bool { return false }
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Minute)
	defer cancel()
	began, harnessCPU := time.Now(), cpuTime()
	errs := runRiders(riders, *loadConcurrency, func(r *rider) error {
		// One rider at a time per worker: a rider stuck for a minute is
		// a failure, not a slow answer.
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		return r.register(ctx, never, true)
	})
	wall := time.Since(began)
	harnessCPU = cpuTime() - harnessCPU
	for i, err := range errs {
		if i < 5 {
			t.Error(err)
		}
	}
	if len(errs) > 0 {
		t.Fatalf("%d of %d riders failed", len(errs), len(riders))
	}
	rssPeak := peak()
	state, err := p.stop()
	if err != nil {
		t.Fatal(err)
	}

	var lat, waits []time.Duration
	updates := 0
	var first, last time.Time
	for _, r := range riders {
		lat = append(lat, r.latencies...)
		waits = append(waits, r.waits...)
		updates += r.updates
		if at, ok := tg.HandedAt(r.first); ok && (first.IsZero() || at.Before(first)) {
			first = at
		}
	}
	for _, r := range riders {
		for _, m := range tg.BotMessages(r.user.ID) {
			if m.Sent.After(last) {
				last = m.Sent
			}
		}
	}
	slices.Sort(lat)
	slices.Sort(waits)
	pct := func(p float64) time.Duration { return at(lat, p) }
	ru := state.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	st, err := os.Stat(p.dbPath())
	if err != nil {
		t.Fatal(err)
	}
	busy := last.Sub(first)
	t.Logf("machine: %d CPUs, Go %s", runtime.NumCPU(), runtime.Version())
	t.Logf("load average before: %s", loadBefore)
	t.Logf("%d participants, %d at once, think %s: %d updates in %s (%s from the first update handed out to the last reply)",
		len(riders), *loadConcurrency, *loadThink, updates, wall.Round(time.Millisecond), busy.Round(time.Millisecond))
	t.Logf("updates/s: %.0f", float64(updates)/busy.Seconds())
	t.Logf("update → reply (%d measured): p50 %s, p95 %s, p99 %s, max %s",
		len(lat), pct(0.50).Round(100*time.Microsecond), pct(0.95).Round(100*time.Microsecond),
		pct(0.99).Round(100*time.Microsecond), lat[len(lat)-1].Round(100*time.Microsecond))
	t.Logf("sent → reply, as the participant waits (the update queued at the fake Bot API included): p50 %s, p95 %s, p99 %s",
		ms(at(waits, 0.5)), ms(at(waits, 0.95)), ms(at(waits, 0.99)))
	t.Logf("bot process: peak RSS %.1f MB (rusage), %.1f MB (sampled); CPU %s, %.2f ms per update",
		float64(ru.Maxrss)/1024, float64(rssPeak)/1024, cpu.Round(time.Millisecond), float64(cpu.Microseconds())/1000/float64(updates))
	t.Logf("getUpdates calls: %d", len(tg.Calls("getUpdates")))
	t.Logf("this test process (the fake Bot API and the riders): CPU %s, peak RSS %.0f MB", harnessCPU.Round(time.Millisecond),
		float64(statusKB(os.Getpid(), "VmHWM"))/1024)
	t.Logf("database: %.1f MB, %.0f bytes per participant", float64(st.Size())/1e6, float64(st.Size())/float64(len(riders)))
	t.Logf("| %d | %d | %d | %.0f | %s | %s | %s | %.0f MB | %.1f MB |", len(riders), *loadConcurrency, updates,
		float64(updates)/busy.Seconds(), ms(pct(0.5)), ms(pct(0.95)), ms(pct(0.99)), float64(ru.Maxrss)/1024, float64(st.Size())/1e6)
}

// at is the p-quantile of sorted durations.
func at(sorted []time.Duration, p float64) time.Duration {
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// loadAverage is the machine's load over the last 1, 5 and 15 minutes:
// other work on it skews the figures.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// cpuTime is the CPU time this process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// watchRSS samples the resident memory of process pid every 100 ms and
// returns a function that stops and reports the peak in KB.
func watchRSS(pid int) func() int {
	var mu sync.Mutex
	peak := 0
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			if kb := statusKB(pid, "VmRSS"); kb > 0 {
				mu.Lock()
				peak = max(peak, kb)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	return func() int {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// statusKB reads a field of /proc/<pid>/status in KB ("VmRSS"), 0 when
// it cannot.
func statusKB(pid int, field string) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

var largeRegs = flag.Int("registrations", 100000, "TestLargeDatabase: registrations in the database")

// TestLargeDatabase fills a database with 100,000 registrations (each
// with its user and conversation, its order, and for the paid ones a
// bib and the confirmation in the outbox), then measures what start-up
// costs: storage.Open in this process, and the built binary's `serve`
// (no messenger configured) from exec to /healthz answering, and its
// memory once idle.
//
//	go test -tags loadtest -run TestLargeDatabase -v -timeout 60m .
func TestLargeDatabase(t *testing.T) {
	tg := tgfake.New(t)
	eventPath := scaledEvent(t, *largeRegs)
	ev, err := event.Load(eventPath)
	if err != nil {
		t.Fatal(err)
	}
	p := newBotProcess(t, tg, eventPath, "TELEGRAM_TOKEN=")
	p.channel = ""
	began := time.Now()
	generate(t, p.dbPath(), ev, *largeRegs)
	st, err := os.Stat(p.dbPath())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d registrations in %s: database %.1f MB", *largeRegs, time.Since(began).Round(time.Millisecond), float64(st.Size())/1e6)

	var opens []time.Duration
	for range 5 {
		start := time.Now()
		s, err := storage.Open(p.dbPath(), storage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		opens = append(opens, time.Since(start))
		s.Close()
	}
	slices.Sort(opens)
	t.Logf("storage.Open (schema check and migrations): median %s of 5", opens[2].Round(time.Microsecond))

	var ready []time.Duration
	var rss, anon, file, hwm int
	for i := range 3 {
		start := time.Now()
		if err := p.start(); err != nil {
			t.Fatal(err)
		}
		ready = append(ready, time.Since(start))
		if i == 2 {
			// At rest: the first passes of the clock-driven work are over.
			time.Sleep(5 * time.Second)
			pid := p.cmd.Process.Pid
			rss, anon, file, hwm = statusKB(pid, "VmRSS"), statusKB(pid, "RssAnon"), statusKB(pid, "RssFile"), statusKB(pid, "VmHWM")
		}
		if _, err := p.stop(); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(ready)
	t.Logf("serve, exec to /healthz answering: %s (median of 3; %v)", ready[1].Round(time.Millisecond), ready)
	t.Logf("serve at rest: RSS %.1f MB (anonymous %.1f MB, the database file mapped %.1f MB); peak %.1f MB",
		float64(rss)/1024, float64(anon)/1024, float64(file)/1024, float64(hwm)/1024)
	t.Logf("| registration open | %d | %.0f MB | %s | %s | %.0f MB | %.0f MB |", *largeRegs, float64(st.Size())/1e6, opens[2].Round(time.Microsecond),
		ready[1].Round(time.Millisecond), float64(rss)/1024, float64(hwm)/1024)

	// Race week: the race in three days, so the kit and payment
	// reminders are due at start-up, and every pass of the scheduler
	// (each minute) reads every registration.
	p.event = eventOn(t, *largeRegs, time.Now().Add(72*time.Hour).Truncate(24*time.Hour))
	week, err := event.Load(p.event)
	if err != nil {
		t.Fatal(err)
	}
	due := 0
	for _, r := range week.Reminders {
		if !r.Due().After(time.Now()) {
			due++
		}
	}
	p.env = append(p.env, "LOG_LEVEL=info")
	logged := len(p.log.String())
	start := time.Now()
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	up := time.Since(start)
	deadline := time.After(10 * time.Minute)
	for {
		next := p.log.next()
		if strings.Count(p.log.String()[logged:], "msg=\"reminder s") >= due {
			break
		}
		select {
		case <-next:
		case <-deadline:
			t.Fatalf("the first pass of %d reminders did not end:\n%s", due, p.log.String()[logged:])
		}
	}
	pass := time.Since(start)
	time.Sleep(5 * time.Second)
	pid := p.cmd.Process.Pid
	rss, anon, file = statusKB(pid, "VmRSS"), statusKB(pid, "RssAnon"), statusKB(pid, "RssFile")
	cpu0 := procCPU(pid)
	time.Sleep(time.Minute)
	perMinute := procCPU(pid) - cpu0
	rss2, anon2 := statusKB(pid, "VmRSS"), statusKB(pid, "RssAnon")
	hwm = statusKB(pid, "VmHWM")
	if _, err := p.stop(); err != nil {
		t.Fatal(err)
	}
	st, _ = os.Stat(p.dbPath())
	t.Logf("race week (%d reminders due): /healthz answering after %s, first pass of the reminders done after %s",
		due, up.Round(time.Millisecond), pass.Round(time.Millisecond))
	t.Logf("race week at rest: RSS %.1f MB (anonymous %.1f MB, the database file mapped %.1f MB); a minute later %.1f MB (anonymous %.1f MB); peak %.1f MB; CPU per minute (one pass of the scheduler) %s; database %.1f MB",
		float64(rss)/1024, float64(anon)/1024, float64(file)/1024, float64(rss2)/1024, float64(anon2)/1024, float64(hwm)/1024,
		perMinute.Round(time.Millisecond), float64(st.Size())/1e6)
}

// procCPU is the CPU time process pid used so far.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command, which is in parentheses: utime and
	// stime are the 12th and 13th, in clock ticks (100 a second).
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// generate writes n registrations to the database at path as the bot
// would have: one user each, 70% paid (a bib, the paid order, the
// confirmation sent), 25% holding a place unpaid (an open order, the
// hold two and a half days away), 5% lapsed.
func generate(t *testing.T, path string, ev *event.Config, n int) {
	t.Helper()
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now()
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	code := func(i int) string {
		b := []byte("RFA-")
		for range 4 {
			b = append(b, alphabet[i%32])
			i /= 32
		}
		return string(b)
	}
	for start := 0; start < n; start += 1000 {
		err := s.Update(context.Background(), func(tx domain.Tx) error {
			for i := start; i < min(n, start+1000); i++ {
				lang := locales.Languages[i%3]
				names := riderNames[lang]
				key := fmt.Sprintf("telegram:%d", 100000000+i)
				u := domain.User{Key: key, Channel: "telegram", ID: key[9:], Lang: lang, Phone: fmt.Sprintf("+7701%07d", i),
					CreatedAt: now, Session: domain.Session{Step: flows.StepRegDone}}
				for k := range 14 {
					u.Session.Seen = append(u.Session.Seen, strconv.Itoa(700000000+14*i+k))
				}
				if err := tx.PutUser(&u); err != nil {
					return err
				}
				d := ev.Distances[i%len(ev.Distances)]
				r := domain.Registration{Code: code(i), UserKey: key, Lang: lang, Name: names[i%len(names)], Birth: "1990-05-15",
					Gender: "female", Phone: u.Phone, Mode: event.InPerson, Distance: d.ID, Category: "general", TShirt: "M",
					EmergencyName: names[(i+1)%len(names)], EmergencyPhone: fmt.Sprintf("+7702%07d", i), Fee: d.Fee,
					Currency: ev.Currency, Status: domain.StatusAwaitingPayment, CreatedAt: now, ConsentAt: now, Orders: 1}
				o := domain.Order{ID: r.Code + "-1", Code: r.Code, Purpose: domain.PurposeFee, Amount: d.Fee, Currency: ev.Currency,
					Status: domain.OrderOpen, CreatedAt: now}
				switch pct := i % 100; {
				case pct < 70:
					bib, err := tx.NextBib(d.ID, d.BibFrom, d.BibTo)
					if err != nil {
						return err
					}
					r.Status, r.Bib, r.PaidAt, r.PaidAmount = domain.StatusPaid, bib, now, d.Fee
					o.Status, o.ProviderRef, o.UpdatedAt = domain.OrderPaid, "kaspi-"+r.Code, now
				case pct < 95:
					r.Order, r.HoldUntil = o.ID, now.Add(60*time.Hour)
				default:
					r.Status = domain.StatusLapsed
					o.Status, o.UpdatedAt = domain.OrderVoid, now
				}
				if err := tx.AddRegistration(&r, d.Capacity); err != nil {
					return err
				}
				if err := tx.PutOrder(&o); err != nil {
					return err
				}
				if r.Status != domain.StatusPaid {
					continue
				}
				push := domain.Push{Key: "paid:" + r.Code, UserKey: key, Kind: "payment", Created: now,
					Reply: dialog.Reply{Text: fmt.Sprintf("Payment received, thank you! %s is registered for Run for Autism.\nDistance: %g km, in person\nBib: %d\nRegistration code: %s\nRace day: 3 April 2099, start at 09:00\nKit pickup: Astana. We will announce the exact place. 1 April 11:00–20:00, 2 April 11:00–20:00.",
						r.Name, d.Km, r.Bib, r.Code), Choices: []dialog.Choice{{Label: "My registrations", Payload: "m:my"}}}}
				if _, err := tx.Enqueue(&push); err != nil {
					return err
				}
				push.Status, push.Attempts, push.Done = domain.PushSent, 1, now
				if err := tx.SavePush(&push); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
