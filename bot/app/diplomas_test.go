package app

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/config"
)

// TestDiplomaLinkNotFound: through the app's routes, a link to a
// registration without a result, or with a guessed token, is a 404,
// not a 500.
func TestDiplomaLinkNotFound(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := open(config.Config{DataDir: t.TempDir(), Provider: "test", PublicURL: "http://127.0.0.1"}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close(log)
	mux := http.NewServeMux()
	a.routes(mux, &bot.Health{}, log)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, path := range []string{"/diploma/RFA-7K2Q/0123456789abcdef0123456789abcdef.pdf", "/diploma/RFA-7K2Q/x.png"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
}
