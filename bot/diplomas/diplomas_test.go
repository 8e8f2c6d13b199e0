package diplomas_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/runforautism/rfabot/bot/diplomas"
	"github.com/runforautism/rfabot/flows"
)

// fakeFlows knows one diploma: RFA-7K2Q with token good; "broken"
// fails to draw.
type fakeFlows struct{}

func (fakeFlows) DiplomaFile(_ context.Context, code, token, format string) (flows.Document, error) {
	switch {
	case code == "broken":
		return flows.Document{}, errors.New("font missing")
	case code != "RFA-7K2Q" || token != "good" || (format != "pdf" && format != "png"):
		return flows.Document{}, flows.ErrNotFound
	case format == "png":
		return flows.Document{Name: "diploma-RFA-7K2Q.png", MIME: "image/png", Data: []byte("\x89PNG")}, nil
	}
	return flows.Document{Name: "diploma-RFA-7K2Q.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.3")}, nil
}

func TestDiplomaLinks(t *testing.T) {
	mux := http.NewServeMux()
	(&diplomas.Server{Flows: fakeFlows{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tests := []struct {
		path, method string
		status       int
		mime, body   string
	}{
		{"/diploma/RFA-7K2Q/good.pdf", "GET", 200, "application/pdf", "%PDF-1.3"},
		{"/diploma/RFA-7K2Q/good.png", "GET", 200, "image/png", "\x89PNG"},
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
		if resp.Header.Get("Cache-Control") != "private, max-age=300" {
			t.Errorf("%s: Cache-Control %q", tt.path, resp.Header.Get("Cache-Control"))
		}
	}
}
