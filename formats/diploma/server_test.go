package diploma_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/runforautism/rfabot/formats/diploma"
)

// fakeLookup knows one diploma: RFA-7K2Q with token good, saying
// result; "broken" fails.
type fakeLookup struct {
	mu     sync.Mutex
	result string
}

func (f *fakeLookup) Diploma(_ context.Context, code, token string) (diploma.Diploma, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case code == "broken":
		return diploma.Diploma{}, errors.New("the store is down")
	case code != "RFA-7K2Q" || token != "good":
		return diploma.Diploma{}, diploma.ErrNotFound
	}
	return diploma.Diploma{Event: "Run for Autism", Name: "Әсел Қайратқызы", Result: f.result}, nil
}

func (f *fakeLookup) set(result string) {
	f.mu.Lock()
	f.result = result
	f.mu.Unlock()
}

// counter draws fake files and counts the drawings.
type counter struct{ n atomic.Int32 }

func (c *counter) draw(format string, d diploma.Diploma) ([]byte, error) {
	c.n.Add(1)
	if format == "png" {
		return []byte("\x89PNG " + d.Result), nil
	}
	return []byte("%PDF-1.3 " + d.Result), nil
}

func get(t *testing.T, url, etag string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestDiplomaLinks(t *testing.T) {
	mux := http.NewServeMux()
	var c counter
	(&diploma.Server{Lookup: &fakeLookup{result: "0:25:13"}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Draw: c.draw}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tests := []struct {
		path, method string
		status       int
		mime, body   string
	}{
		{"/diploma/RFA-7K2Q/good.pdf", "GET", 200, "application/pdf", "%PDF-1.3 0:25:13"},
		{"/diploma/RFA-7K2Q/good.png", "GET", 200, "image/png", "\x89PNG 0:25:13"},
		{"/diploma/RFA-7K2Q/bad.pdf", "GET", 404, "", ""},
		{"/diploma/RFA-7K2Q/good", "GET", 404, "", ""},
		{"/diploma/RFA-7K2Q/good.gif", "GET", 404, "", ""},
		{"/diploma/RFA-XXXX/good.pdf", "GET", 404, "", ""},
		{"/diploma/broken/good.pdf", "GET", 500, "", ""},
		{"/diploma/RFA-7K2Q/good.pdf", "POST", 405, "", ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.status)
			continue
		}
		if tt.status != 200 {
			continue
		}
		if got := resp.Header.Get("Content-Type"); got != tt.mime || string(body) != tt.body {
			t.Errorf("%s: %s %q", tt.path, got, body)
		}
		if got := resp.Header.Get("Content-Disposition"); got != `inline; filename=diploma-RFA-7K2Q.`+tt.path[len(tt.path)-3:] {
			t.Errorf("%s: Content-Disposition %q", tt.path, got)
		}
		if resp.Header.Get("Cache-Control") != "private, max-age=300" || resp.Header.Get("ETag") == "" {
			t.Errorf("%s: Cache-Control %q, ETag %q", tt.path, resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
		}
	}
}

// TestDiplomaDrawnOnce: eight clients on one link get one drawing, kept
// in the data directory; a browser's copy is revalidated with its ETag;
// a corrected result is drawn anew and the old file removed.
func TestDiplomaDrawnOnce(t *testing.T) {
	dir := t.TempDir()
	ff := &fakeLookup{result: "0:25:13"}
	var c counter
	mux := http.NewServeMux()
	(&diploma.Server{Lookup: ff, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Dir: dir, Draw: c.draw}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	link := srv.URL + "/diploma/RFA-7K2Q/good.pdf"
	var wg sync.WaitGroup
	etags := make([]string, 8)
	for i := range etags {
		wg.Go(func() {
			resp, body := get(t, link, "")
			if resp.StatusCode != 200 || body != "%PDF-1.3 0:25:13" {
				t.Errorf("client %d: %d %q", i, resp.StatusCode, body)
			}
			etags[i] = resp.Header.Get("ETag")
		})
	}
	wg.Wait()
	if n := c.n.Load(); n != 1 {
		t.Errorf("8 clients: drawn %d times, want once", n)
	}
	for _, e := range etags {
		if e != etags[0] || e == "" {
			t.Fatalf("ETags %q", etags)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "RFA-7K2Q-*.pdf"))
	if len(files) != 1 {
		t.Fatalf("kept %q", files)
	}
	if resp, body := get(t, link, etags[0]); resp.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("with its ETag: %d %q", resp.StatusCode, body)
	}
	// A restart (a new server on the same directory) draws nothing.
	mux2 := http.NewServeMux()
	(&diploma.Server{Lookup: ff, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Dir: dir, Draw: c.draw}).Register(mux2)
	srv2 := httptest.NewServer(mux2)
	defer srv2.Close()
	if resp, body := get(t, srv2.URL+"/diploma/RFA-7K2Q/good.pdf", ""); resp.StatusCode != 200 || body != "%PDF-1.3 0:25:13" || c.n.Load() != 1 {
		t.Errorf("after a restart: %d %q, drawn %d times", resp.StatusCode, body, c.n.Load())
	}
	// A corrected result is a new diploma.
	ff.set("0:24:59")
	resp, body := get(t, link, etags[0])
	if resp.StatusCode != 200 || body != "%PDF-1.3 0:24:59" || resp.Header.Get("ETag") == etags[0] || c.n.Load() != 2 {
		t.Errorf("after a correction: %d %q, ETag %q, drawn %d times", resp.StatusCode, body, resp.Header.Get("ETag"), c.n.Load())
	}
	files, _ = filepath.Glob(filepath.Join(dir, "RFA-7K2Q-*.pdf"))
	if len(files) != 1 {
		t.Errorf("kept after a correction: %q", files)
	}
	if b, _ := os.ReadFile(files[0]); string(b) != "%PDF-1.3 0:24:59" {
		t.Errorf("kept %q", b)
	}
}
