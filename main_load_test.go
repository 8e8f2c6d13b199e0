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
	"github.com/runforautism/rfabot/locales"
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
	never := func(time.Time) bool { return false }
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
	t.Logf("this test process (the fake Bot API and the riders): CPU %s", harnessCPU.Round(time.Millisecond))
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
