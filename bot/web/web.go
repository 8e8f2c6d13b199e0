// Package web holds what every HTTP response of the bot shares: the
// server's timeouts and size limits, a cap on the connections one client
// address may hold open, the client's address behind trusted proxies
// (TRUSTED_PROXIES), and the security headers of the pages people open.
package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// The server's limits. A request's headers must arrive within
// ReadHeaderTimeout and its whole body within ReadTimeout; the answer
// must be written within WriteTimeout; a kept-alive connection is
// closed after IdleTimeout without a request. Handlers that need longer
// (an upload, a backup download) extend their own deadlines with
// Extend.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 64 << 10
	// MaxConnsPerAddr is how many connections one client address may
	// hold open at once; more are closed at once. Trusted proxies are
	// not capped.
	MaxConnsPerAddr = 64
)

// Limits are a server's timeouts and caps; Defaults are the ones above.
type Limits struct {
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	MaxHeaderBytes, MaxConnsPerAddr                           int
}

// Defaults are the limits the bot runs with.
var Defaults = Limits{
	ReadHeaderTimeout: ReadHeaderTimeout, ReadTimeout: ReadTimeout, WriteTimeout: WriteTimeout,
	IdleTimeout: IdleTimeout, MaxHeaderBytes: MaxHeaderBytes, MaxConnsPerAddr: MaxConnsPerAddr,
}

// Server is an HTTP server with limits on every connection.
type Server struct {
	HTTP *http.Server
	ln   net.Listener
}

// Listen opens addr and returns a server for h with lim; connections
// from an address in trusted (the reverse proxies) are not capped. When
// secure (the bot is reached over https), every answer carries HSTS.
func Listen(addr string, h http.Handler, lim Limits, trusted Proxies, secure bool) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	if secure {
		h = hsts(h)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
	}
	return &Server{HTTP: srv, ln: &capped{Listener: ln, max: lim.MaxConnsPerAddr, trusted: trusted, open: map[netip.Addr]int{}}}, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close closes the listener of a server that never served (Shutdown
// stops one that did); after Shutdown it does nothing useful.
func (s *Server) Close() error { return s.ln.Close() }

// Serve serves until Shutdown; it returns nil after a shutdown.
func (s *Server) Serve() error {
	if err := s.HTTP.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// HSTSValue is the Strict-Transport-Security header sent over https:
// a year, subdomains left alone (the bot may share a domain).
const HSTSValue = "max-age=31536000"

func hsts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", HSTSValue)
		next.ServeHTTP(w, r)
	})
}

// Extend moves the read and write deadlines of r's connection to d from
// now: for the handlers that take a large upload or send a large file.
// A connection that does not support deadlines keeps the server's.
func Extend(w http.ResponseWriter, d time.Duration) {
	rc := http.NewResponseController(w)
	at := time.Now().Add(d)
	rc.SetReadDeadline(at)
	rc.SetWriteDeadline(at)
}

// SecurityHeaders sets the headers of every page people open: no
// caching, no framing, no scripts, no referrer, no type sniffing.
func SecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

// capped is a listener that closes a new connection at once when its
// address already holds max open ones.
type capped struct {
	net.Listener
	max     int
	trusted Proxies
	mu      sync.Mutex
	open    map[netip.Addr]int
}

func (l *capped) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
		if err != nil || l.max <= 0 || l.trusted.Contains(ap.Addr()) {
			return c, nil
		}
		addr := ap.Addr().Unmap()
		l.mu.Lock()
		if l.open[addr] >= l.max {
			l.mu.Unlock()
			c.Close()
			continue
		}
		l.open[addr]++
		l.mu.Unlock()
		return &counted{Conn: c, release: func() { l.release(addr) }}, nil
	}
}

func (l *capped) release(addr netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[addr]--; l.open[addr] <= 0 {
		delete(l.open, addr)
	}
}

// counted is a capped connection: closing it frees its place once.
type counted struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *counted) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// Proxies are the reverse proxies trusted to name the client in
// X-Forwarded-For (TRUSTED_PROXIES).
type Proxies []netip.Prefix

// ParseProxies reads TRUSTED_PROXIES: comma-separated addresses
// (127.0.0.1) or networks (10.0.0.0/8); empty trusts none.
func ParseProxies(v string) (Proxies, error) {
	var out Proxies
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %q is neither an address nor a network like 10.0.0.0/8", part)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Contains says whether a is one of the proxies.
func (p Proxies) Contains(a netip.Addr) bool {
	a = a.Unmap()
	for _, pre := range p {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// Client is the address of the client that sent r: the connection's
// peer, or, when that is a trusted proxy, the last address in
// X-Forwarded-For that is not one. An unparsable value gives the
// peer's address, so a proxy's garbage cannot mint new clients.
func (p Proxies) Client(r *http.Request) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	addr := peer.Addr().Unmap()
	if !p.Contains(addr) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return addr
		}
		if h = h.Unmap(); !p.Contains(h) {
			return h
		}
		addr = h
	}
	return addr
}
