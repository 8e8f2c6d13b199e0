// Package cloudtest is a fake of Meta's WhatsApp Cloud API for tests: an
// httptest server that checks the access token, the JSON shape of each
// message and the documented limits (3 reply buttons of 20 characters,
// 10 list rows of 24 with descriptions of 72, 4,096 characters of text),
// keeps what was sent, serves and stores media, and posts webhooks
// signed as Meta signs them.
package cloudtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// Version is the Graph API version the fake serves under.
const Version = "v26.0"

// Message is one message the bot sent, as the fake decoded it.
type Message struct {
	ID          string
	To          string
	Type        string
	Text        string
	Buttons     []Choice // reply buttons
	ListButton  string
	Rows        []Choice // list rows
	Template    string
	TemplateArg string
	Language    string
	MediaID     string
	Filename    string
}

// Choice is a reply button or a list row.
type Choice struct{ ID, Title, Description string }

// Fail makes the next Times sends to To fail with Code and HTTP Status.
type Fail struct {
	To     string
	Code   int
	Status int
	Times  int
}

// Fake is the Cloud API.
type Fake struct {
	T       testing.TB
	PhoneID string
	Secret  string
	Server  *httptest.Server

	mu      sync.Mutex
	token   string
	sent    []Message
	reads   []string
	media   map[string]file
	uploads []file
	fails   []Fail
	refused []string
	fetched []string
	seq     int
	notify  chan struct{}
}

type file struct {
	Name, MIME string
	Data       []byte
}

// New starts a fake for the business number phoneID, accepting token,
// signing webhooks with secret.
func New(t testing.TB, token, phoneID, secret string) *Fake {
	f := &Fake{T: t, token: token, PhoneID: phoneID, Secret: secret, media: map[string]file{}, notify: make(chan struct{}, 1)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Server.Close)
	return f
}

// URL is the API base with its version, for WHATSAPP_API_URL.
func (f *Fake) URL() string { return f.Server.URL + "/" + Version }

// AddMedia makes a file a user sent available under id.
func (f *Fake) AddMedia(id, mime string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.media[id] = file{MIME: mime, Data: data}
}

// FailNext queues a failure.
func (f *Fake) FailNext(fl Fail) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails = append(f.fails, fl)
}

// Take returns the messages sent since the last Take.
func (f *Fake) Take() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.sent
	f.sent = nil
	return m
}

// Reads are the ids of the messages marked read.
func (f *Fake) Reads() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.reads...)
}

// Refused are the reasons of the requests the fake refused as invalid
// (400), which a correct bot never sends.
func (f *Fake) Refused() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.refused...)
}

// Fetched are the ids of the files the bot downloaded.
func (f *Fake) Fetched() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.fetched...)
}

// Uploads are the files the bot uploaded, "name mime bytes".
func (f *Fake) Uploads() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, u := range f.uploads {
		out = append(out, fmt.Sprintf("%s %s %d", u.Name, u.MIME, len(u.Data)))
	}
	return out
}

// WaitSent waits until n messages were sent since the last Take and
// returns them (and takes them).
func (f *Fake) WaitSent(n int) []Message {
	f.T.Helper()
	deadline := time.After(10 * time.Second)
	for {
		f.mu.Lock()
		if len(f.sent) >= n {
			m := f.sent
			f.sent = nil
			f.mu.Unlock()
			return m
		}
		f.mu.Unlock()
		select {
		case <-f.notify:
		case <-deadline:
			f.T.Fatalf("cloud fake: %d messages sent, want %d", len(f.sent), n)
		}
	}
}

func (f *Fake) apiError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": msg, "type": "OAuthException", "code": code,
		"error_data": map[string]any{"messaging_product": "whatsapp", "details": msg}, "fbtrace_id": "AbCdEf"}})
}

// SetToken makes the fake accept another token only (the old one
// expired).
func (f *Fake) SetToken(token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.token = token
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	token := f.token
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+token {
		f.apiError(w, http.StatusUnauthorized, 190, "Invalid OAuth access token - Cannot parse access token")
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/"+Version)
	switch {
	case r.Method == http.MethodPost && path == "/"+f.PhoneID+"/messages":
		f.message(w, r)
	case r.Method == http.MethodPost && path == "/"+f.PhoneID+"/media":
		f.upload(w, r)
	case r.Method == http.MethodGet && path == "/"+f.PhoneID:
		json.NewEncoder(w).Encode(map[string]string{"id": f.PhoneID, "display_phone_number": "+7 700 000 00 00"})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/files/"):
		id := strings.TrimPrefix(r.URL.Path, "/files/")
		f.mu.Lock()
		m, ok := f.media[id]
		f.fetched = append(f.fetched, id)
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", m.MIME)
		w.Write(m.Data)
	case r.Method == http.MethodGet:
		id := strings.TrimPrefix(path, "/")
		f.mu.Lock()
		m, ok := f.media[id]
		f.mu.Unlock()
		if !ok {
			f.apiError(w, http.StatusBadRequest, 100, "Unsupported get request")
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp", "id": id, "mime_type": m.MIME,
			"file_size": len(m.Data), "sha256": "x", "url": f.Server.URL + "/files/" + id})
	default:
		f.apiError(w, http.StatusBadRequest, 100, "Unsupported request: "+r.Method+" "+r.URL.Path)
	}
}

func (f *Fake) refuse(w http.ResponseWriter, why string) {
	f.mu.Lock()
	f.refused = append(f.refused, why)
	f.mu.Unlock()
	f.apiError(w, http.StatusBadRequest, 100, "(#100) Invalid parameter: "+why)
}

func chars(s string) int { return utf8.RuneCountInString(s) }

func (f *Fake) message(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		f.refuse(w, "content type "+ct)
		return
	}
	var in struct {
		Product       string `json:"messaging_product"`
		RecipientType string `json:"recipient_type"`
		To            string `json:"to"`
		Type          string `json:"type"`
		Status        string `json:"status"`
		MessageID     string `json:"message_id"`
		Text          *struct {
			Body string `json:"body"`
		} `json:"text"`
		Interactive *struct {
			Type string `json:"type"`
			Body struct {
				Text string `json:"text"`
			} `json:"body"`
			Action struct {
				Buttons []struct {
					Type  string                     `json:"type"`
					Reply struct{ ID, Title string } `json:"reply"`
				} `json:"buttons"`
				Button   string `json:"button"`
				Sections []struct {
					Title string `json:"title"`
					Rows  []struct {
						ID          string `json:"id"`
						Title       string `json:"title"`
						Description string `json:"description"`
					} `json:"rows"`
				} `json:"sections"`
			} `json:"action"`
		} `json:"interactive"`
		Template *struct {
			Name     string `json:"name"`
			Language struct {
				Code string `json:"code"`
			} `json:"language"`
			Components []struct {
				Type       string                        `json:"type"`
				Parameters []struct{ Type, Text string } `json:"parameters"`
			} `json:"components"`
		} `json:"template"`
		Image    *struct{ ID, Caption string } `json:"image"`
		Document *struct {
			ID       string `json:"id"`
			Filename string `json:"filename"`
		} `json:"document"`
	}
	body, _ := io.ReadAll(r.Body)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		f.refuse(w, "JSON: "+err.Error())
		return
	}
	if in.Product != "whatsapp" {
		f.refuse(w, "messaging_product must be whatsapp")
		return
	}
	if in.Status == "read" {
		f.mu.Lock()
		f.reads = append(f.reads, in.MessageID)
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]bool{"success": true})
		return
	}
	if in.To == "" || strings.Trim(in.To, "0123456789") != "" {
		f.refuse(w, "to must be a number: "+in.To)
		return
	}
	m := Message{To: in.To, Type: in.Type}
	switch {
	case in.Type == "text" && in.Text != nil:
		if in.Text.Body == "" || chars(in.Text.Body) > 4096 {
			f.refuse(w, fmt.Sprintf("text.body of %d characters", chars(in.Text.Body)))
			return
		}
		m.Text = in.Text.Body
	case in.Type == "interactive" && in.Interactive != nil:
		it := in.Interactive
		m.Text = it.Body.Text
		switch it.Type {
		case "button":
			if n := len(it.Action.Buttons); n == 0 || n > 3 {
				f.refuse(w, fmt.Sprintf("%d buttons", n))
				return
			}
			if chars(m.Text) > 1024 || m.Text == "" {
				f.refuse(w, "button body over 1024 characters or empty")
				return
			}
			seen := map[string]bool{}
			for _, b := range it.Action.Buttons {
				if b.Type != "reply" || b.Reply.Title == "" || chars(b.Reply.Title) > 20 || b.Reply.ID == "" || chars(b.Reply.ID) > 256 || seen[b.Reply.ID] {
					f.refuse(w, fmt.Sprintf("button %+v", b))
					return
				}
				seen[b.Reply.ID] = true
				m.Buttons = append(m.Buttons, Choice{ID: b.Reply.ID, Title: b.Reply.Title})
			}
		case "list":
			if it.Action.Button == "" || chars(it.Action.Button) > 20 || m.Text == "" || chars(m.Text) > 4096 {
				f.refuse(w, "list button or body")
				return
			}
			if n := len(it.Action.Sections); n == 0 || n > 10 {
				f.refuse(w, fmt.Sprintf("%d sections", n))
				return
			}
			m.ListButton = it.Action.Button
			for _, s := range it.Action.Sections {
				if len(it.Action.Sections) > 1 && s.Title == "" {
					f.refuse(w, "sections need titles when there are several")
					return
				}
				for _, r := range s.Rows {
					if r.ID == "" || chars(r.ID) > 200 || r.Title == "" || chars(r.Title) > 24 || chars(r.Description) > 72 {
						f.refuse(w, fmt.Sprintf("row %+v", r))
						return
					}
					m.Rows = append(m.Rows, Choice{ID: r.ID, Title: r.Title, Description: r.Description})
				}
			}
			if n := len(m.Rows); n == 0 || n > 10 {
				f.refuse(w, fmt.Sprintf("%d rows", n))
				return
			}
		default:
			f.refuse(w, "interactive type "+it.Type)
			return
		}
	case in.Type == "template" && in.Template != nil:
		t := in.Template
		if t.Name == "" || t.Language.Code == "" {
			f.refuse(w, "template without name or language")
			return
		}
		m.Template, m.Language = t.Name, t.Language.Code
		for _, c := range t.Components {
			for _, p := range c.Parameters {
				if p.Type != "text" || strings.ContainsAny(p.Text, "\n\t") || strings.Contains(p.Text, "     ") {
					f.refuse(w, "template parameter with new lines, tabs or 5 spaces")
					return
				}
				m.TemplateArg = p.Text
			}
		}
	case in.Type == "image" && in.Image != nil:
		m.MediaID = in.Image.ID
	case in.Type == "document" && in.Document != nil:
		m.MediaID, m.Filename = in.Document.ID, in.Document.Filename
	default:
		f.refuse(w, "type "+in.Type+" without its object")
		return
	}
	f.mu.Lock()
	for i, fl := range f.fails {
		if fl.To == in.To && fl.Times > 0 {
			f.fails[i].Times--
			f.mu.Unlock()
			f.apiError(w, fl.Status, fl.Code, fmt.Sprintf("(#%d) failure for the test", fl.Code))
			return
		}
	}
	f.seq++
	m.ID = fmt.Sprintf("wamid.TEST%d", f.seq)
	f.sent = append(f.sent, m)
	f.mu.Unlock()
	select {
	case f.notify <- struct{}{}:
	default:
	}
	json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp",
		"contacts": []map[string]string{{"input": in.To, "wa_id": in.To}}, "messages": []map[string]string{{"id": m.ID}}})
}

func (f *Fake) upload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		f.refuse(w, "upload: "+err.Error())
		return
	}
	if r.FormValue("messaging_product") != "whatsapp" || r.FormValue("type") == "" {
		f.refuse(w, "upload without messaging_product or type")
		return
	}
	fh, hdr, err := r.FormFile("file")
	if err != nil {
		f.refuse(w, "upload without a file")
		return
	}
	data, _ := io.ReadAll(fh)
	f.mu.Lock()
	f.seq++
	id := fmt.Sprintf("MEDIA%d", f.seq)
	f.uploads = append(f.uploads, file{Name: hdr.Filename, MIME: r.FormValue("type"), Data: data})
	f.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]string{"id": id})
}

// Sign is the X-Hub-Signature-256 header of body.
func (f *Fake) Sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(f.Secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Post posts a webhook notification with the given messages and
// statuses to url, signed, and returns the HTTP status.
func (f *Fake) Post(url string, messages []map[string]any, statuses []map[string]any) int {
	f.T.Helper()
	return f.PostRaw(url, f.Body(messages, statuses), "")
}

// Body is a webhook notification's body, as Meta posts it.
func (f *Fake) Body(messages []map[string]any, statuses []map[string]any) []byte {
	value := map[string]any{"messaging_product": "whatsapp",
		"metadata": map[string]string{"display_phone_number": "77000000000", "phone_number_id": f.PhoneID}}
	if messages != nil {
		var contacts []map[string]any
		for _, m := range messages {
			contacts = append(contacts, map[string]any{"profile": map[string]string{"name": "Aigerim"}, "wa_id": m["from"]})
		}
		value["contacts"], value["messages"] = contacts, messages
	}
	if statuses != nil {
		value["statuses"] = statuses
	}
	b, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account",
		"entry": []any{map[string]any{"id": "WABA1", "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
	return b
}

// PostRaw posts body to url with signature sig ("" signs it rightly).
func (f *Fake) PostRaw(url string, body []byte, sig string) int {
	f.T.Helper()
	if sig == "" {
		sig = f.Sign(body)
	}
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.T.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

var msgSeq int
var msgMu sync.Mutex

func nextID() string {
	msgMu.Lock()
	defer msgMu.Unlock()
	msgSeq++
	return fmt.Sprintf("wamid.IN%d", msgSeq)
}

// Text is an incoming text message from a number.
func Text(from, body string) map[string]any {
	return map[string]any{"from": from, "id": nextID(), "timestamp": fmt.Sprint(time.Now().Unix()), "type": "text",
		"text": map[string]string{"body": body}}
}

// TextAt is Text sent at t.
func TextAt(from, body string, t time.Time) map[string]any {
	m := Text(from, body)
	m["timestamp"] = fmt.Sprint(t.Unix())
	return m
}

// ButtonReply is a tap on a reply button.
func ButtonReply(from, id, title string) map[string]any {
	return map[string]any{"from": from, "id": nextID(), "timestamp": fmt.Sprint(time.Now().Unix()), "type": "interactive",
		"interactive": map[string]any{"type": "button_reply", "button_reply": map[string]string{"id": id, "title": title}}}
}

// ListReply is a pick in a list message.
func ListReply(from, id, title string) map[string]any {
	return map[string]any{"from": from, "id": nextID(), "timestamp": fmt.Sprint(time.Now().Unix()), "type": "interactive",
		"interactive": map[string]any{"type": "list_reply", "list_reply": map[string]string{"id": id, "title": title}}}
}

// Image is a photo with a caption, its file under mediaID (AddMedia).
func Image(from, mediaID, mime, caption string) map[string]any {
	return map[string]any{"from": from, "id": nextID(), "timestamp": fmt.Sprint(time.Now().Unix()), "type": "image",
		"image": map[string]string{"id": mediaID, "mime_type": mime, "sha256": "x", "caption": caption}}
}

// Contact is a shared contact card with one number.
func Contact(from, phone, waID string) map[string]any {
	return map[string]any{"from": from, "id": nextID(), "timestamp": fmt.Sprint(time.Now().Unix()), "type": "contacts",
		"contacts": []any{map[string]any{"name": map[string]string{"formatted_name": "Me"},
			"phones": []any{map[string]string{"phone": phone, "wa_id": waID, "type": "CELL"}}}}}
}

// Status is a message status update; code, when not 0, is its error.
func Status(id, st, recipient string, code int) map[string]any {
	s := map[string]any{"id": id, "status": st, "timestamp": fmt.Sprint(time.Now().Unix()), "recipient_id": recipient}
	if code != 0 {
		s["errors"] = []any{map[string]any{"code": code, "title": "failure for the test"}}
	}
	return s
}
