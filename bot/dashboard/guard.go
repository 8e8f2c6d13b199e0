package dashboard

import (
	"log/slog"
	"net/netip"
	"sync"
	"time"
)

// The token guard counts wrong tokens (at login or as a Bearer token)
// per client address. The freeFailures-th wrong token in a row shuts
// the address out for firstBlock, and each one after that for twice as
// long as the one before, up to maxBlock. A correct token from any other
// address is never refused, and one from the blocked address is taken
// once its wait is over. IPv6 clients are counted by their /64.
const (
	freeFailures = 5
	firstBlock   = time.Second
	maxBlock     = 15 * time.Minute
	// forgetAfter is how long an address's failures are remembered
	// after its last one.
	forgetAfter = time.Hour
	// maxTracked bounds the addresses remembered; when full, the ones
	// not blocked are forgotten first.
	maxTracked = 10000
	// logEvery is how often one address's bad attempts are logged: one
	// summary line, not one line each.
	logEvery = time.Minute
)

type guard struct {
	log func() *slog.Logger
	now func() time.Time
	mu  sync.Mutex
	by  map[netip.Addr]*strikes
}

// strikes is one address's record.
type strikes struct {
	failures     int
	blockedUntil time.Time
	last         time.Time
	// loggedAt is when the last summary line was written; wrong and
	// refused count the attempts since.
	loggedAt       time.Time
	wrong, refused int
}

func newGuard(log func() *slog.Logger, now func() time.Time) *guard {
	return &guard{log: log, now: now, by: map[netip.Addr]*strikes{}}
}

// key is the address counted: IPv6 by its /64, which one client holds.
func key(a netip.Addr) netip.Addr {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a
}

// wait is how long addr must wait before its token is checked; 0 means
// check it now. A refusal counts towards the address's summary line.
func (g *guard) wait(addr netip.Addr) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.by[key(addr)]
	if st == nil {
		return 0
	}
	now := g.now()
	if d := st.blockedUntil.Sub(now); d > 0 {
		st.refused++
		g.summary(addr, st, now)
		return d
	}
	return 0
}

// fail records a wrong token from addr.
func (g *guard) fail(addr netip.Addr) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	k := key(addr)
	st := g.by[k]
	if st == nil {
		g.prune(now)
		st = &strikes{}
		g.by[k] = st
	} else if now.Sub(st.last) > forgetAfter && !now.Before(st.blockedUntil) {
		st.failures = 0
	}
	st.failures++
	st.last = now
	st.wrong++
	if n := st.failures - freeFailures + 1; n > 0 {
		block := maxBlock
		if n <= 20 {
			block = min(maxBlock, firstBlock<<(n-1))
		}
		st.blockedUntil = now.Add(block)
	}
	g.summary(addr, st, now)
}

// ok records a correct token from addr: its failures are forgotten.
func (g *guard) ok(addr netip.Addr) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.by, key(addr))
}

// summary logs st's bad attempts when the last line is logEvery old.
func (g *guard) summary(addr netip.Addr, st *strikes, now time.Time) {
	if now.Sub(st.loggedAt) < logEvery {
		return
	}
	g.log().Warn("dashboard: wrong admin tokens", "client", addr.String(), "wrong", st.wrong, "refused", st.refused,
		"blocked_for", max(0, st.blockedUntil.Sub(now)).Round(time.Second).String(), "per", logEvery.String())
	st.loggedAt, st.wrong, st.refused = now, 0, 0
}

// prune forgets the addresses whose last failure is forgetAfter old
// and, when the map is still full, every address not blocked now.
func (g *guard) prune(now time.Time) {
	if len(g.by) < maxTracked {
		return
	}
	for k, st := range g.by {
		if now.Sub(st.last) > forgetAfter {
			delete(g.by, k)
		}
	}
	for k, st := range g.by {
		if len(g.by) < maxTracked {
			return
		}
		if !now.Before(st.blockedUntil) {
			delete(g.by, k)
		}
	}
}
