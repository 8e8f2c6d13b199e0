package diploma

// The diploma links of results pushes: GET /diploma/{code}/{token}.pdf
// and .png, in the participant's language. The token is each result's
// own random one, so a link cannot be guessed from a registration code.
//
// A diploma is drawn once: the first request draws it (concurrent ones
// wait for that drawing) and keeps the file in Dir, named by a hash of
// everything it says; a corrected result or name changes the hash, so
// the next request draws the new one and removes the old. The hash is
// the ETag, and a browser's copy is revalidated with If-None-Match.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// ErrNotFound is what a Lookup returns for a link that leads to no
// diploma.
var ErrNotFound = errors.New("no such diploma")

// Lookup finds what the diploma behind a link says.
type Lookup interface {
	// Diploma is the diploma of registration code whose link has
	// token. It returns ErrNotFound when there is none: an unknown
	// code, a wrong token, no finished result.
	Diploma(ctx context.Context, code, token string) (Diploma, error)
}

// Server serves diplomas.
type Server struct {
	Lookup Lookup
	Log    *slog.Logger
	// Dir keeps the drawn diplomas (DATA_DIR/diplomas); "" keeps none,
	// and every request draws.
	Dir string
	// Draw draws a diploma as "pdf" or "png"; nil means Draw.
	Draw func(format string, d Diploma) ([]byte, error)

	mu      sync.Mutex
	drawing map[string]*drawn
}

// file is a drawn diploma as it is served.
type file struct {
	name, mime string
	data       []byte
}

// drawn is one drawing in progress or done: done closes when doc and
// err are set.
type drawn struct {
	done chan struct{}
	doc  file
	err  error
}

// Register mounts GET /diploma/{code}/{file} on mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /diploma/{code}/{file}", s.diploma)
}

// diploma answers 200 with the file, 304 when the browser's copy (its
// If-None-Match) is current, 404 for an unknown code, a wrong token or
// another extension, 500 when drawing fails.
func (s *Server) diploma(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	token, format, ok := strings.Cut(r.PathValue("file"), ".")
	if !ok || (format != "pdf" && format != "png") {
		http.NotFound(w, r)
		return
	}
	d, err := s.Lookup.Diploma(r.Context(), code, token)
	if errors.Is(err, ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.Log.Error("diploma", "code", code, "err", err)
		http.Error(w, "the diploma cannot be drawn now, try again later", http.StatusInternalServerError)
		return
	}
	key := version(format, d)
	h := w.Header()
	h.Set("ETag", `"`+key+`"`)
	// A corrected result changes the diploma: keep copies short-lived
	// and out of shared caches and search engines.
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("X-Content-Type-Options", "nosniff")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, `"`+key+`"`) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	doc, err := s.file(code, format, key, d)
	if err != nil {
		s.Log.Error("diploma", "code", code, "format", format, "err", err)
		http.Error(w, "the diploma cannot be drawn now, try again later", http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", doc.mime)
	h.Set("Content-Length", strconv.Itoa(len(doc.data)))
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": doc.name}))
	w.Write(doc.data)
}

// version is the hash of everything a diploma in format says.
func version(format string, d Diploma) string {
	b, _ := json.Marshal(d)
	sum := sha256.Sum256(append([]byte(format+"\x00"), b...))
	return hex.EncodeToString(sum[:16])
}

// file is the diploma of version key: from Dir, or drawn once while
// every other request for it waits.
func (s *Server) file(code, format, key string, d Diploma) (file, error) {
	if doc, ok := s.kept(code, format, key); ok {
		return doc, nil
	}
	s.mu.Lock()
	if s.drawing == nil {
		s.drawing = map[string]*drawn{}
	}
	c, busy := s.drawing[key]
	if !busy {
		c = &drawn{done: make(chan struct{})}
		s.drawing[key] = c
	}
	s.mu.Unlock()
	if busy {
		<-c.done
		return c.doc, c.err
	}
	// A drawing that ended between the look above and the lock has
	// kept its file.
	if doc, ok := s.kept(code, format, key); ok {
		c.doc = doc
	} else {
		draw := s.Draw
		if draw == nil {
			draw = Draw
		}
		var data []byte
		data, c.err = draw(format, d)
		c.doc = file{name: FileName(code, format), mime: MIME(format), data: data}
		if c.err == nil && s.Dir != "" {
			if err := s.keep(code, format, s.path(code, format, key), data); err != nil {
				s.Log.Warn("diploma not kept: it is drawn again next time", "code", code, "err", err)
			}
		}
	}
	close(c.done)
	s.mu.Lock()
	delete(s.drawing, key)
	s.mu.Unlock()
	return c.doc, c.err
}

// kept is the diploma of version key from Dir, if it is there.
func (s *Server) kept(code, format, key string) (file, bool) {
	if s.Dir == "" {
		return file{}, false
	}
	b, err := os.ReadFile(s.path(code, format, key))
	if err != nil {
		return file{}, false
	}
	return file{name: FileName(code, format), mime: MIME(format), data: b}, true
}

// path is where the diploma of version key is kept in Dir. Only codes
// with a finished result get here, but the name is made safe anyway.
func (s *Server) path(code, format, key string) string {
	return filepath.Join(s.Dir, filepath.Base(code)+"-"+key+"."+format)
}

// keep writes the drawn file into place and removes the code's older
// versions in the same format.
func (s *Server) keep(code, format, path string, data []byte) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.Dir, ".drawing-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(s.Dir, filepath.Base(code)+"-*."+format))
	for _, o := range old {
		if o != path {
			if err := os.Remove(o); err != nil {
				return fmt.Errorf("remove an old diploma: %w", err)
			}
		}
	}
	return nil
}
