// Package diplomas serves the diploma links of results pushes:
// GET /diploma/{code}/{token}.pdf and .png, drawn on request in the
// participant's language. The token is each result's own random one,
// so a link cannot be guessed from a registration code.
package diplomas

import (
	"context"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/runforautism/rfabot/flows"
)

// Flows is what the server needs from the domain; *flows.Flows is one.
type Flows interface {
	DiplomaFile(ctx context.Context, code, token, format string) (flows.Document, error)
}

// Server serves diplomas.
type Server struct {
	Flows Flows
	Log   *slog.Logger
}

// Register mounts GET /diploma/{code}/{file} on mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /diploma/{code}/{file}", s.diploma)
}

// diploma answers 200 with the file, 404 for an unknown code, a wrong
// token or another extension, 500 when drawing fails.
func (s *Server) diploma(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	token, format, ok := strings.Cut(r.PathValue("file"), ".")
	if !ok {
		http.NotFound(w, r)
		return
	}
	doc, err := s.Flows.DiplomaFile(r.Context(), code, token, format)
	switch {
	case errors.Is(err, flows.ErrNotFound):
		http.NotFound(w, r)
		return
	case err != nil:
		s.Log.Error("diploma", "code", code, "format", format, "err", err)
		http.Error(w, "the diploma cannot be drawn now, try again later", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", doc.MIME)
	h.Set("Content-Length", strconv.Itoa(len(doc.Data)))
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": doc.Name}))
	// A corrected result changes the diploma: keep copies short-lived
	// and out of shared caches and search engines.
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodHead {
		w.Write(doc.Data)
	}
}
