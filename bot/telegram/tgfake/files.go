package tgfake

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // pictures the bot may send as photos
	"image/jpeg"
	_ "image/png"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	_ "golang.org/x/image/webp"
)

// Files: a user's document or photo arrives with file ids only, as on
// Telegram; the bot asks getFile for the file's path and downloads it
// from GET /file/bot<token>/<path>. Files the bot sends are kept the
// same way.

// File is a file a user sends the bot (Document, PhotoFile).
type File struct {
	// Name is a document's file name; Telegram keeps none for photos.
	Name string
	// MIME is a document's type; a photo is always image/jpeg.
	MIME string
	Data []byte
	// Size is the file_size the update and getFile tell: 0 for
	// len(Data), -1 to leave it out. A Size over the bot's limit with
	// small Data stands for a big file without holding its bytes.
	Size int
	// Unavailable makes the download fail: getFile answers with a path,
	// and the path is 404, as when Telegram's link has expired.
	Unavailable bool
}

// FileDownload names the file downloads (GET /file/bot<token>/<path>)
// for Fail, as a method names its calls.
const FileDownload = "file"

// maxGetFile is the largest file getFile hands out to bots.
const maxGetFile = 20 << 20

// SmallJPEG is a 64×48 JPEG: the photo Photo sends.
var SmallJPEG = jpegOf(64, 48)

// thumbnail is the 90-pixel size Telegram adds to every photo.
var thumbnail = jpegOf(90, 68)

func jpegOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(x * 4), G: uint8(y * 5), B: 160, A: 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

type storedFile struct {
	id, unique, path string
	data             []byte
	// size is the file_size told, -1 for none.
	size        int
	unavailable bool
}

// storeLocked keeps a file under a new file id, in dir ("documents",
// "photos") as Telegram's file paths are.
func (s *Server) storeLocked(dir, name string, f File) *storedFile {
	s.nextFile++
	ext := path.Ext(name)
	prefix := "BQACAgIAAxkBAAI"
	if dir == "photos" {
		ext, prefix = ".jpg", "AgACAgIAAxkBAAI"
	}
	size := f.Size
	if size == 0 {
		size = len(f.Data)
	}
	sf := &storedFile{id: fmt.Sprintf("%s%06d", prefix, s.nextFile), unique: fmt.Sprintf("AQAD%06d", s.nextFile),
		path: fmt.Sprintf("%s/file_%d%s", dir, s.nextFile, ext), data: f.Data, size: size, unavailable: f.Unavailable}
	s.files[sf.id] = sf
	return sf
}

// told is the file_size field: left out when the size is not told.
func (f *storedFile) told() int { return max(f.size, 0) }

// Document sends the bot a file as a file, with a caption (may be
// empty); it returns the update id.
func (s *Server) Document(u User, caption string, f File) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	sf := s.storeLocked("documents", f.Name, f)
	w := &wireMessage{Caption: caption, Document: &wireDocument{FileID: sf.id, FileUniqueID: sf.unique,
		FileName: f.Name, MimeType: f.MIME, FileSize: sf.told()}}
	doc := &Document{FileName: f.Name, MIME: f.MIME, Caption: caption, Data: f.Data}
	return s.addUserMessage(s.chatOf(u), u, Message{Document: doc}, w)
}

// PhotoFile sends the bot a picture as a photo, with a caption (may be
// empty): the update lists a 90-pixel thumbnail and then f, the largest
// size, as Telegram lists sizes from small to large. It returns the
// update id.
func (s *Server) PhotoFile(u User, caption string, f File) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	width, height := 1280, 960
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(f.Data)); err == nil {
		width, height = cfg.Width, cfg.Height
	}
	thumb := s.storeLocked("photos", "", File{Data: thumbnail})
	full := s.storeLocked("photos", "", f)
	w := &wireMessage{Caption: caption, Photo: []wirePhoto{
		{FileID: thumb.id, FileUniqueID: thumb.unique, Width: 90, Height: max(1, 90*height/max(width, 1)), FileSize: thumb.told()},
		{FileID: full.id, FileUniqueID: full.unique, Width: width, Height: height, FileSize: full.told()},
	}}
	doc := &Document{MIME: "image/jpeg", Caption: caption, Data: f.Data, Photo: true}
	return s.addUserMessage(s.chatOf(u), u, Message{Document: doc}, w)
}

// Downloads are the file paths the bot asked GET /file/bot<token>/ for,
// in order, found or not.
func (s *Server) Downloads() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.downloads...)
}

func (s *Server) getFile(p url.Values) (int, wireResponse) {
	f, found := s.files[p.Get("file_id")]
	switch {
	case !found:
		return badRequest("invalid file_id")
	case f.size > maxGetFile || len(f.data) > maxGetFile:
		return badRequest("file is too big")
	}
	return ok(wireFile{FileID: f.id, FileUniqueID: f.unique, FileSize: f.told(), FilePath: f.path})
}

// serveFile answers GET /file/bot<token>/<path> (rest is what follows
// "/file/bot"): the file's bytes, or 404 as Telegram answers for a
// wrong token, an unknown path or an expired link.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	s.downloads = append(s.downloads, filePath)
	if fs := s.failures[FileDownload]; len(fs) > 0 {
		s.failures[FileDownload] = fs[1:]
		s.mu.Unlock()
		s.fail(w, Call{Method: FileDownload, Params: url.Values{"file_path": {filePath}}, At: time.Now()}, fs[0])
		return
	}
	var f *storedFile
	for _, sf := range s.files {
		if sf.path == filePath {
			f = sf
		}
	}
	s.notifyLocked()
	s.mu.Unlock()
	if r.Method != http.MethodGet || token != s.Token || f == nil || f.unavailable {
		writeJSON(w, http.StatusNotFound, wireResponse{ErrorCode: 404, Description: "Not Found"})
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.Write(f.data)
}

func (s *Server) sendPhoto(p url.Values) (int, wireResponse) {
	c, status, resp, found := s.target(p)
	if !found {
		return status, resp
	}
	data := []byte(p.Get("photo"))
	if len(data) == 0 {
		return badRequest("there is no photo in the request")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err != nil:
		return badRequest("IMAGE_PROCESS_FAILED")
	case cfg.Width+cfg.Height > 10000 || cfg.Width > 20*cfg.Height || cfg.Height > 20*cfg.Width:
		return badRequest("PHOTO_INVALID_DIMENSIONS")
	}
	paid, desc := flag(p, "allow_paid_broadcast")
	if desc != "" {
		return badRequest(desc)
	}
	doc := &Document{FileName: p.Get("photo.filename"), Caption: p.Get("caption"), Data: data, Photo: true}
	m := &message{Message: Message{FromBot: true, Document: doc, Paid: paid}, editable: true}
	if desc := applyMarkup(m, p.Get("reply_markup"), true); desc != "" {
		return badRequest(desc)
	}
	w := s.addBotMessage(c, m)
	w.Caption = doc.Caption
	f := s.storeLocked("photos", "", File{Data: data})
	w.Photo = []wirePhoto{{FileID: f.id, FileUniqueID: f.unique, Width: cfg.Width, Height: cfg.Height, FileSize: len(data)}}
	return ok(w)
}
