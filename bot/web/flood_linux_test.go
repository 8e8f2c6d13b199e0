package web_test

import (
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/runforautism/rfabot/bot/web"
)

// TestHealthAnswersUnderAFlood opens 1,000 idle and slow connections
// from one address under an open-files limit of 1,200, which the
// server's side of them alone would nearly exhaust without the cap on
// connections per address; /healthz still answers.
func TestHealthAnswersUnderAFlood(t *testing.T) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	const limit, flood = 1200, 1000
	if old.Max < limit {
		t.Skipf("the open-files hard limit is %d", old.Max)
	}
	lowered := syscall.Rlimit{Cur: limit, Max: old.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lowered); err != nil {
		t.Fatal(err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
	addr := start(t, health(), web.Defaults, nil)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range flood {
		c, err := dialFrom("127.0.0.2", addr)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
		// Every other one starts a body it never finishes.
		if i%2 == 1 {
			io.WriteString(c, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nx")
		}
	}
	healthy(t, addr)
}
