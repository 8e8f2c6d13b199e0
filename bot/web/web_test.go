package web_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/web"
)

// start serves h with lim on a free loopback port until the test ends.
func start(t *testing.T, h http.Handler, lim web.Limits, trusted web.Proxies) string {
	t.Helper()
	srv, err := web.Listen("127.0.0.1:0", h, lim, trusted, false)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.HTTP.Shutdown(ctx)
		if err := <-errc; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return srv.Addr().String()
}

func health() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"status":"ok"}`) })
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("extend") != "" {
			web.Extend(w, time.Minute)
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "slow body", http.StatusRequestTimeout)
			return
		}
		io.WriteString(w, "got "+string(b))
	})
	return mux
}

// healthy asks for /healthz from 127.0.0.1 and fails the test unless
// it answers 200 within a generous deadline.
func healthy(t *testing.T, addr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		t.Fatalf("/healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %d", resp.StatusCode)
	}
}

// dialFrom connects to addr from the loopback address ip.
func dialFrom(ip, addr string) (net.Conn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	return d.Dial("tcp", addr)
}

// closedByServer waits (up to a generous deadline) for the server to
// end c: true when it did, false when the deadline passed first.
func closedByServer(t *testing.T, c net.Conn) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

func TestSlowAndIdleConnectionsAreCutOff(t *testing.T) {
	lim := web.Defaults
	lim.ReadHeaderTimeout, lim.ReadTimeout, lim.IdleTimeout = 300*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond
	addr := start(t, health(), lim, nil)
	cases := map[string]string{
		"no request":     "",
		"half a header":  "GET /healthz HTTP/1.1\r\nHost: x\r\n",
		"slow body":      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nx",
		"idle keepalive": "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
	}
	for name, sent := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := dialFrom("127.0.0.1", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, sent)
			if !closedByServer(t, c) {
				t.Errorf("the server kept the connection open")
			}
		})
	}
}

func TestExtendLetsAHandlerReadLonger(t *testing.T) {
	lim := web.Defaults
	lim.ReadTimeout = 300 * time.Millisecond
	addr := start(t, health(), lim, nil)
	c, err := dialFrom("127.0.0.1", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /upload?extend=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\na")
	// Past the server's ReadTimeout the handler still reads the rest.
	time.Sleep(600 * time.Millisecond)
	io.WriteString(c, "b")
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(b) != "got ab" {
		t.Errorf("extended upload: %d %q", resp.StatusCode, b)
	}
}

func TestConnectionsPerAddressAreCapped(t *testing.T) {
	lim := web.Defaults
	lim.MaxConnsPerAddr = 3
	addr := start(t, health(), lim, mustProxies(t, "127.0.0.9"))
	var open []net.Conn
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	for range 3 {
		c, err := dialFrom("127.0.0.2", addr)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
			t.Fatalf("connection %d: %v", len(open), err)
		}
	}
	// The fourth from the same address is closed at once.
	c, err := dialFrom("127.0.0.2", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
		t.Error("a fourth connection from one address was served")
	}
	// Others, and the trusted proxy, are served.
	healthy(t, addr)
	for range 5 {
		c, err := dialFrom("127.0.0.9", addr)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
			t.Fatalf("the proxy's connection: %v", err)
		}
	}
	// A closed connection frees its place.
	open[0].Close()
	for {
		c, err := dialFrom("127.0.0.2", addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, err = http.ReadResponse(bufio.NewReader(c), nil)
		c.Close()
		if err == nil {
			break
		}
	}
}

func mustProxies(t *testing.T, v string) web.Proxies {
	t.Helper()
	p, err := web.ParseProxies(v)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestClientBehindProxies(t *testing.T) {
	proxies := mustProxies(t, "10.0.0.0/8, 192.0.2.1")
	cases := []struct {
		remote, xff, want string
	}{
		{"198.51.100.7:5000", "", "198.51.100.7"},
		{"198.51.100.7:5000", "203.0.113.1", "198.51.100.7"},
		{"192.0.2.1:5000", "203.0.113.1", "203.0.113.1"},
		{"192.0.2.1:5000", "1.1.1.1, 203.0.113.1, 10.1.2.3", "203.0.113.1"},
		{"192.0.2.1:5000", "", "192.0.2.1"},
		{"192.0.2.1:5000", "garbage", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:5000", "203.0.113.1", "203.0.113.1"},
	}
	for _, c := range cases {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := proxies.Client(r); got != netip.MustParseAddr(c.want) {
			t.Errorf("%s with %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "1.2.3"} {
		if _, err := web.ParseProxies(bad); err == nil || !strings.Contains(err.Error(), "TRUSTED_PROXIES") {
			t.Errorf("ParseProxies(%q): %v", bad, err)
		}
	}
}

func TestHSTSOverHTTPS(t *testing.T) {
	for _, secure := range []bool{true, false} {
		srv, err := web.Listen("127.0.0.1:0", health(), web.Defaults, nil, secure)
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve()
		resp, err := http.Get("http://" + srv.Addr().String() + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.HTTP.Close()
		want := ""
		if secure {
			want = web.HSTSValue
		}
		if got := resp.Header.Get("Strict-Transport-Security"); got != want {
			t.Errorf("secure %v: Strict-Transport-Security %q, want %q", secure, got, want)
		}
	}
}
