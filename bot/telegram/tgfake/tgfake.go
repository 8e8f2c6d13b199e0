// Package tgfake is a fake Telegram Bot API server for tests: the real
// client library talks to it over HTTP with Telegram's JSON shapes. It
// keeps each chat's messages as they stand (edits applied), hands updates
// out by long polling or posts them to a webhook, records every call the
// bot makes, and fails on request: 429 with retry_after (once or for a
// while), 500, a non-JSON 502 from a proxy, a dropped connection, 403 for
// a chat that blocked the bot, and slow answers. It records whether each
// message went as a paid broadcast. Users send documents and photos
// whose bytes the bot fetches with getFile and GET /file/bot<token>/<path>
// (files.go), and edit their messages (Edit: an edited_message update,
// sent only to a bot that asks for it). Every request's parameters are
// checked against the Bot API reference (Violations, spec.go). Import it
// from tests only.
//
//	tg := tgfake.New(t)
//	bot := telegram.New(ctx, telegram.Config{Token: tg.Token, Endpoint: tg.Endpoint(), ...})
//	tg.Text(user, "/start")
//	tg.Wait(t, "the menu", func() bool { ... tg.BotMessages(user.ID) ... })
package tgfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// Token is the bot token the fake accepts unless Server.Token is changed
// before the bot starts.
const Token = "4242424242:AAFakeTokenForTestsOnly_x7Qm9Lp"

// SecretHeader carries the webhook's secret token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// User is a Telegram user writing to the bot. Their private chat with the
// bot has the same id.
type User struct {
	ID           int64
	FirstName    string
	LanguageCode string
}

// Button is one button of a keyboard the bot sent.
type Button struct {
	Text           string
	CallbackData   string
	URL            string
	RequestContact bool
}

// Document is a file in a chat: one the bot sent (sendDocument,
// sendPhoto) or one a user sent (Document, PhotoFile).
type Document struct {
	FileName string
	// MIME is the type a user's document was sent with.
	MIME    string
	Caption string
	Data    []byte
	// Photo says the file is a photo: sent with sendPhoto, or by a user
	// as a picture rather than a file.
	Photo bool
}

// Message is one message of a chat as it stands now.
type Message struct {
	ID      int
	FromBot bool
	Text    string
	// Inline is the inline keyboard under the message, nil when none.
	Inline [][]Button
	// Keyboard is the reply keyboard the message brought up.
	Keyboard        [][]Button
	OneTimeKeyboard bool
	// RemoveKeyboard says the message took the reply keyboard away.
	RemoveKeyboard bool
	// Sent is when the bot's sendMessage, sendDocument or sendPhoto
	// arrived.
	Sent time.Time
	// Edits counts the edits of the message.
	Edits int
	// Document is the file of the message, a photo too.
	Document *Document
	// Contact is the phone number of a contact the user shared.
	Contact string
	// NonText is set for a user's sticker.
	NonText bool
	// Paid says the bot sent the message as a paid broadcast
	// (allow_paid_broadcast).
	Paid bool
}

// Button finds a button of the inline keyboard by its label: the exact
// label, or else the first label that starts with label.
func (m Message) Button(label string) (Button, bool) {
	var prefix *Button
	for _, row := range m.Inline {
		for i := range row {
			if row[i].Text == label {
				return row[i], true
			}
			if prefix == nil && strings.HasPrefix(row[i].Text, label) {
				prefix = &row[i]
			}
		}
	}
	if prefix != nil {
		return *prefix, true
	}
	return Button{}, false
}

// Buttons lists the labels of the inline keyboard, or of the reply
// keyboard when there is no inline one.
func (m Message) Buttons() []string {
	kb := m.Inline
	if kb == nil {
		kb = m.Keyboard
	}
	var out []string
	for _, row := range kb {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// Call is one request the bot made.
type Call struct {
	Method string
	Params url.Values
	At     time.Time
	// Status is the HTTP status answered; 0 for a dropped connection.
	Status int
	// Error is the description of a failed call.
	Error string
}

// ChatID is the chat_id parameter of the call, 0 when absent.
func (c Call) ChatID() int64 {
	id, _ := strconv.ParseInt(c.Params.Get("chat_id"), 10, 64)
	return id
}

// Failure is how one call fails.
type Failure struct {
	// Code is the error_code and the HTTP status: 429, 500, 403, 400...
	Code int
	// Description defaults to Telegram's text for the code.
	Description string
	// RetryAfter is the wait asked for with a 429, in seconds.
	RetryAfter int
	// NotJSON answers an HTML page, as a proxy in front of the API does.
	NotJSON bool
	// Drop closes the connection without an answer (a network error).
	Drop bool
}

// Command is one entry of the bot's command list.
type Command struct {
	Command     string
	Description string
}

// Delivery is one post of an update to the bot's webhook.
type Delivery struct {
	UpdateID int
	Status   int
	Err      string
}

type message struct {
	Message
	wire *wireMessage
	// editable is false for messages sent with a reply keyboard, a
	// keyboard removal or force_reply: Telegram refuses to edit those.
	editable bool
}

type chat struct {
	id       int64
	typ      string
	user     User
	title    string
	nextID   int
	msgs     []*message
	instance string
}

type callback struct {
	chat     int64
	answered bool
	text     string
}

type pending struct {
	id   int
	kind string
	body []byte
}

// Server is the fake Bot API.
type Server struct {
	// Token is the only token the server accepts.
	Token string
	// Bot is the bot's own account, answered by getMe.
	Bot User

	srv *httptest.Server
	// client posts updates to the webhook.
	client *http.Client

	// watchers and handed serve Changed and HandedAt (observe.go); mu
	// guards them.
	watchers map[int64]chan struct{}
	handed   map[int]time.Time

	mu         sync.Mutex
	changed    chan struct{}
	nextUpdate int
	queue      []pending
	allowed    []string
	pollGen    int
	offsets    []int
	chats      map[int64]*chat
	calls      []Call
	failures   map[string][]Failure
	floods     map[string]flood
	blocked    map[int64]bool
	latency    map[string]time.Duration
	callbacks  map[string]*callback
	nextCB     int
	commands   map[string][]Command
	webhookURL string
	secret     string
	deliveries []Delivery
	delivering bool
	closed     bool
	stop       chan struct{}
	// conns counts the connections made to the server.
	conns int
	// files are the files users and the bot sent, by file_id; downloads
	// the file paths the bot asked for (files.go).
	files     map[string]*storedFile
	nextFile  int
	downloads []string
}

// New starts a fake server; it stops at the end of the test.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		Token:      Token,
		Bot:        User{ID: 4242424242, FirstName: "Run for Autism"},
		client:     &http.Client{Timeout: 30 * time.Second},
		changed:    make(chan struct{}),
		nextUpdate: 700000001,
		chats:      map[int64]*chat{},
		failures:   map[string][]Failure{},
		floods:     map[string]flood{},
		blocked:    map[int64]bool{},
		latency:    map[string]time.Duration{},
		callbacks:  map[string]*callback{},
		commands:   map[string][]Command{},
		files:      map[string]*storedFile{},
		stop:       make(chan struct{}),
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	s.srv.Start()
	tb.Cleanup(s.Close)
	return s
}

// BotUsername is the bot's @username.
const BotUsername = "rfa_test_bot"

// Endpoint is the API endpoint for the client library
// (tgbotapi.NewBotAPIWithAPIEndpoint): URL + "/bot%s/%s".
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// URL is the server's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the server; waiting long polls end.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.stop)
	s.notifyLocked()
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// notifyLocked wakes everyone waiting for a change.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Wait blocks until cond holds, checking it after every change on the
// server and every 20 ms (for conditions on the bot's side: its storage,
// its logs); after 10 seconds the test fails naming what.
func (s *Server) Wait(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-deadline.C:
			tb.Fatalf("tgfake: timed out waiting for %s", what)
		}
	}
}

// Fail makes the next n calls of method fail with f; FileDownload as
// the method makes the next n file downloads fail.
func (s *Server) Fail(method string, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[method] = append(s.failures[method], f)
	}
}

// flood is a failure of every call until a time.
type flood struct {
	until time.Time
	f     Failure
}

// FailFor makes every call of method fail with f for the next d, after
// the failures queued with Fail: a 429 with retry_after for a while is
// how Telegram answers a bot that sends too fast.
func (s *Server) FailFor(method string, d time.Duration, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.floods[method] = flood{until: time.Now().Add(d), f: f}
}

// AddChat opens u's private chat with the bot without a message, as
// for someone who pressed Start before the test began: the bot may
// write to them.
func (s *Server) AddChat(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatOf(u)
}

// Block makes the user of chatID block the bot: sends and edits to the
// chat get 403 until Unblock.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// Unblock undoes Block.
func (s *Server) Unblock(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// SetLatency delays every answer to method ("" for all methods) by d.
func (s *Server) SetLatency(method string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency[method] = d
}

// chatOf returns the private chat of u, created on first use.
func (s *Server) chatOf(u User) *chat {
	c, ok := s.chats[u.ID]
	if !ok {
		c = &chat{id: u.ID, typ: "private", user: u, instance: fmt.Sprintf("ci%d", u.ID)}
		s.chats[u.ID] = c
	}
	return c
}

func (u User) wire() *wireUser {
	return &wireUser{ID: u.ID, FirstName: u.FirstName, LanguageCode: u.LanguageCode}
}

func (c *chat) wire() wireChat {
	if c.typ == "private" {
		return wireChat{ID: c.id, Type: c.typ, FirstName: c.user.FirstName}
	}
	return wireChat{ID: c.id, Type: c.typ, Title: c.title}
}

// addUserMessage records a user's message in c and queues its update.
func (s *Server) addUserMessage(c *chat, from User, m Message, w *wireMessage) int {
	c.nextID++
	m.ID = c.nextID
	w.MessageID = m.ID
	w.From = from.wire()
	w.Chat = c.wire()
	w.Date = time.Now().Unix()
	c.msgs = append(c.msgs, &message{Message: m, wire: w})
	return s.enqueueLocked(wireUpdate{Message: w})
}

func (s *Server) enqueueLocked(u wireUpdate) int {
	u.UpdateID = s.nextUpdate
	s.nextUpdate++
	body, err := json.Marshal(u)
	if err != nil {
		panic(err)
	}
	s.queue = append(s.queue, pending{id: u.UpdateID, kind: u.kind(), body: body})
	s.notifyLocked()
	s.startDeliveryLocked()
	return u.UpdateID
}

// Text sends the bot a text message from u (commands too: "/start
// register"); it returns the update id.
func (s *Server) Text(u User, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := &wireMessage{Text: text}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		w.Entities = []wireEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(cmd)}}
	}
	return s.addUserMessage(s.chatOf(u), u, Message{Text: text}, w)
}

// Edit changes the text of u's message messageID, as the Telegram app
// does when a user edits a message, and queues the edited_message
// update; Telegram sends it only to a bot that asks for edited_message
// in allowed_updates. It returns the update id.
func (s *Server) Edit(u User, messageID int, text string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, found := s.chats[u.ID]
	if !found {
		return 0, fmt.Errorf("tgfake: no chat %d", u.ID)
	}
	for _, m := range c.msgs {
		if m.ID != messageID || m.FromBot {
			continue
		}
		if m.wire.Text == "" {
			return 0, fmt.Errorf("tgfake: message %d has no text to edit", messageID)
		}
		m.Text, m.Edits = text, m.Edits+1
		w := *m.wire
		w.Text, w.Entities, w.EditDate = text, nil, time.Now().Unix()
		m.wire = &w
		edited := w
		return s.enqueueLocked(wireUpdate{EditedMessage: &edited}), nil
	}
	return 0, fmt.Errorf("tgfake: chat %d has no message %d from the user", u.ID, messageID)
}

// Contact shares a contact card with the bot: the user's own when owner
// is u.ID (what the "share my contact" button sends), someone else's
// otherwise (0: a contact who is not on Telegram).
func (s *Server) Contact(u User, phone string, owner int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := &wireMessage{Contact: &wireContact{PhoneNumber: phone, FirstName: u.FirstName, UserID: owner}}
	return s.addUserMessage(s.chatOf(u), u, Message{Contact: phone}, w)
}

// Photo sends the bot a photo (a small JPEG) with a caption; see
// PhotoFile for a photo of given bytes.
func (s *Server) Photo(u User, caption string) int {
	return s.PhotoFile(u, caption, File{Data: SmallJPEG})
}

// Sticker sends the bot a sticker.
func (s *Server) Sticker(u User) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := &wireMessage{Sticker: &wireSticker{FileID: "CAAD-st", FileUniqueID: "AgAD-st", Width: 512, Height: 512, Emoji: "👍"}}
	return s.addUserMessage(s.chatOf(u), u, Message{NonText: true}, w)
}

// GroupText sends text from u in a group chat the bot is in.
func (s *Server) GroupText(u User, groupID int64, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[groupID]
	if !ok {
		c = &chat{id: groupID, typ: "group", title: "Runners", instance: fmt.Sprintf("ci%d", groupID)}
		s.chats[groupID] = c
	}
	return s.addUserMessage(c, u, Message{Text: text}, &wireMessage{Text: text})
}

// Callback is a button press the fake sent the bot.
type Callback struct {
	// ID is the callback query's id, which the bot answers.
	ID       string
	UpdateID int
}

// Press presses the inline button labelled label (see Message.Button) on
// message messageID of u's chat, as the Telegram app does. A button that
// is not there cannot be pressed.
func (s *Server) Press(u User, messageID int, label string) (Callback, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.botMessageLocked(u.ID, messageID)
	if err != nil {
		return Callback{}, err
	}
	b, ok := m.Button(label)
	if !ok || b.CallbackData == "" {
		return Callback{}, fmt.Errorf("tgfake: message %d has no button %q (buttons %q)", messageID, label, m.Buttons())
	}
	return s.pressLocked(u, m, b.CallbackData), nil
}

// PressData sends a callback query with any data for message messageID,
// as a modified client could.
func (s *Server) PressData(u User, messageID int, data string) (Callback, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.botMessageLocked(u.ID, messageID)
	if err != nil {
		return Callback{}, err
	}
	return s.pressLocked(u, m, data), nil
}

func (s *Server) botMessageLocked(chatID int64, messageID int) (*message, error) {
	c, ok := s.chats[chatID]
	if !ok {
		return nil, fmt.Errorf("tgfake: no chat %d", chatID)
	}
	for _, m := range c.msgs {
		if m.ID == messageID && m.FromBot {
			return m, nil
		}
	}
	return nil, fmt.Errorf("tgfake: chat %d has no bot message %d", chatID, messageID)
}

func (s *Server) pressLocked(u User, m *message, data string) Callback {
	s.nextCB++
	id := fmt.Sprintf("%d%06d", u.ID, s.nextCB)
	c := s.chats[u.ID]
	s.callbacks[id] = &callback{chat: c.id}
	w := *m.wire
	if w.ReplyMarkup != nil {
		mk := *w.ReplyMarkup
		w.ReplyMarkup = &mk
	}
	up := s.enqueueLocked(wireUpdate{CallbackQuery: &wireCallback{
		ID: id, From: *u.wire(), Message: &w, ChatInstance: c.instance, Data: data,
	}})
	return Callback{ID: id, UpdateID: up}
}

// Messages are all messages of a chat, the user's and the bot's, oldest
// first.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	out := make([]Message, len(c.msgs))
	for i, m := range c.msgs {
		out[i] = m.Message
	}
	return out
}

// BotMessages are the messages the bot sent to a chat, oldest first.
func (s *Server) BotMessages(chatID int64) []Message {
	var out []Message
	for _, m := range s.Messages(chatID) {
		if m.FromBot {
			out = append(out, m)
		}
	}
	return out
}

// BotMessage waits for the bot's message number n (from 1) in u's chat
// and fails tb unless it is the last one and contains want.
func (s *Server) BotMessage(tb testing.TB, u User, n int, want string) Message {
	tb.Helper()
	s.Wait(tb, fmt.Sprintf("bot message %d %q", n, want), func() bool { return len(s.BotMessages(u.ID)) >= n })
	msgs := s.BotMessages(u.ID)
	if len(msgs) != n || !strings.Contains(msgs[n-1].Text, want) {
		tb.Fatalf("bot messages %d, want %d ending with %q: %+v", len(msgs), n, want, msgs)
	}
	return msgs[n-1]
}

// Calls are the requests the bot made to method ("" for all), in order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Answered reports whether the bot answered a callback query, and the
// text it answered with.
func (s *Server) Answered(callbackID string) (bool, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb, found := s.callbacks[callbackID]
	if !found {
		return false, ""
	}
	return cb.answered, cb.text
}

// Offsets are the offsets of every getUpdates request, in order,
// including polls that were still waiting when the bot hung up.
func (s *Server) Offsets() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.offsets...)
}

// Commands is the command list the bot set for a language code ("" for
// the default list).
func (s *Server) Commands(lang string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands[lang]...)
}

// Webhook is the webhook the bot set and its secret token; empty when
// the bot polls.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookURL, s.secret
}

// Deliveries are the posts of updates to the webhook.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// Connections is how many connections were made to the server: a
// client that keeps its connections open makes few.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Unconfirmed are the ids of the updates the bot has not confirmed yet
// (by polling with a higher offset or by answering the webhook).
func (s *Server) Unconfirmed() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	for _, p := range s.queue {
		out = append(out, p.id)
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if rest, found := strings.CutPrefix(r.URL.Path, "/file/bot"); found {
		s.serveFile(w, r, rest)
		return
	}
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !strings.HasPrefix(r.URL.Path, "/bot") || !ok {
		writeJSON(w, http.StatusNotFound, wireResponse{ErrorCode: 404, Description: "Not Found"})
		return
	}
	params, err := readParams(r)
	call := Call{Method: method, Params: params, At: time.Now()}
	if err != nil {
		s.finish(w, call, http.StatusBadRequest, wireResponse{ErrorCode: 400, Description: "Bad Request: " + err.Error()})
		return
	}
	if token != s.Token {
		s.finish(w, call, http.StatusUnauthorized, wireResponse{ErrorCode: 401, Description: "Unauthorized"})
		return
	}
	s.mu.Lock()
	d := s.latency[""] + s.latency[method]
	s.mu.Unlock()
	if d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		case <-s.stop:
			return
		}
	}
	s.mu.Lock()
	if fs := s.failures[method]; len(fs) > 0 {
		f := fs[0]
		s.failures[method] = fs[1:]
		s.mu.Unlock()
		s.fail(w, call, f)
		return
	}
	if fl, ok := s.floods[method]; ok && time.Now().Before(fl.until) {
		s.mu.Unlock()
		s.fail(w, call, fl.f)
		return
	}
	s.mu.Unlock()
	if method == "getUpdates" {
		s.getUpdates(r.Context(), w, call)
		return
	}
	s.mu.Lock()
	status, resp := s.handle(call)
	s.mu.Unlock()
	s.finish(w, call, status, resp)
}

// finish records the call and writes the answer.
func (s *Server) finish(w http.ResponseWriter, call Call, status int, resp wireResponse) {
	resp.OK = status == http.StatusOK
	call.Status = status
	call.Error = resp.Description
	if resp.OK {
		call.Error = ""
	}
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()
	writeJSON(w, status, resp)
}

func (s *Server) fail(w http.ResponseWriter, call Call, f Failure) {
	if f.Drop {
		s.mu.Lock()
		s.calls = append(s.calls, call)
		s.notifyLocked()
		s.mu.Unlock()
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	desc := f.Description
	if desc == "" {
		desc = defaultDescription(f)
	}
	if f.NotJSON {
		call.Status, call.Error = f.Code, desc
		s.mu.Lock()
		s.calls = append(s.calls, call)
		s.notifyLocked()
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Code)
		fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center><hr><center>nginx</center></body></html>\n",
			f.Code, http.StatusText(f.Code), f.Code, http.StatusText(f.Code))
		return
	}
	resp := wireResponse{ErrorCode: f.Code, Description: desc}
	if f.RetryAfter > 0 {
		resp.Parameters = &wireParameters{RetryAfter: f.RetryAfter}
	}
	s.finish(w, call, f.Code, resp)
}

func defaultDescription(f Failure) string {
	switch f.Code {
	case 429:
		return fmt.Sprintf("Too Many Requests: retry after %d", f.RetryAfter)
	case 403:
		return "Forbidden: bot was blocked by the user"
	case 400:
		return "Bad Request"
	default:
		return http.StatusText(f.Code)
	}
}

func writeJSON(w http.ResponseWriter, status int, resp wireResponse) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(resp)
}

// readParams reads a request's parameters: form-encoded, multipart
// (uploads) or JSON, as the Bot API accepts them.
func readParams(r *http.Request) (url.Values, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return nil, err
		}
		v := url.Values{}
		for k, vs := range r.MultipartForm.Value {
			v[k] = vs
		}
		for k, fhs := range r.MultipartForm.File {
			f, err := fhs[0].Open()
			if err != nil {
				return nil, err
			}
			data, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return nil, err
			}
			v.Set(k, string(data))
			v.Set(k+".filename", fhs[0].Filename)
		}
		return v, nil
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, err
		}
		v := url.Values{}
		for k, raw := range m {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				v.Set(k, str)
			} else {
				v.Set(k, string(raw))
			}
		}
		return v, nil
	default:
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		return r.Form, nil
	}
}

func badRequest(desc string) (int, wireResponse) {
	return http.StatusBadRequest, wireResponse{ErrorCode: 400, Description: "Bad Request: " + desc}
}

func ok(result any) (int, wireResponse) { return http.StatusOK, wireResponse{Result: result} }

// handle answers every method but getUpdates, with s.mu held.
func (s *Server) handle(call Call) (int, wireResponse) {
	p := call.Params
	switch call.Method {
	case "getMe":
		return ok(map[string]any{
			"id": s.Bot.ID, "is_bot": true, "first_name": s.Bot.FirstName, "username": BotUsername,
			"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
		})
	case "sendMessage":
		return s.sendMessage(p)
	case "sendDocument":
		return s.sendDocument(p)
	case "sendPhoto":
		return s.sendPhoto(p)
	case "getFile":
		return s.getFile(p)
	case "editMessageText":
		return s.edit(p, true)
	case "editMessageReplyMarkup":
		return s.edit(p, false)
	case "answerCallbackQuery":
		cb, found := s.callbacks[p.Get("callback_query_id")]
		if !found || cb.answered {
			return badRequest("query is too old and response timeout expired or query ID is invalid")
		}
		cb.answered, cb.text = true, p.Get("text")
		return ok(true)
	case "setMyCommands":
		return s.setMyCommands(p)
	case "setWebhook":
		return s.setWebhook(p)
	case "deleteWebhook":
		s.webhookURL, s.secret = "", ""
		if p.Get("drop_pending_updates") == "true" {
			s.queue = nil
		}
		return ok(true)
	case "getWebhookInfo":
		return ok(map[string]any{"url": s.webhookURL, "has_custom_certificate": false, "pending_update_count": len(s.queue)})
	default:
		return http.StatusNotFound, wireResponse{ErrorCode: 404, Description: "Not Found: method not found"}
	}
}

// target is the bot's chat for a send or an edit: it must exist and not
// have blocked the bot.
func (s *Server) target(p url.Values) (*chat, int, wireResponse, bool) {
	id, err := strconv.ParseInt(p.Get("chat_id"), 10, 64)
	c, found := s.chats[id]
	if err != nil || !found {
		status, resp := badRequest("chat not found")
		return nil, status, resp, false
	}
	if s.blocked[id] {
		return nil, http.StatusForbidden, wireResponse{ErrorCode: 403, Description: "Forbidden: bot was blocked by the user"}, false
	}
	return c, 0, wireResponse{}, true
}

func (s *Server) sendMessage(p url.Values) (int, wireResponse) {
	c, status, resp, found := s.target(p)
	if !found {
		return status, resp
	}
	text := p.Get("text")
	switch {
	case strings.TrimSpace(text) == "":
		return badRequest("message text is empty")
	case utf16Len(text) > 4096:
		return badRequest("message is too long")
	}
	paid, desc := flag(p, "allow_paid_broadcast")
	if desc != "" {
		return badRequest(desc)
	}
	m := &message{Message: Message{FromBot: true, Text: text, Paid: paid}, editable: true}
	if desc := applyMarkup(m, p.Get("reply_markup"), true); desc != "" {
		return badRequest(desc)
	}
	return ok(s.addBotMessage(c, m))
}

// flag reads a Boolean parameter, false when absent.
func flag(p url.Values, name string) (bool, string) {
	v := p.Get(name)
	if v == "" {
		return false, ""
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Sprintf("can't parse %s: %q is not a Boolean", name, v)
	}
	return b, ""
}

func (s *Server) sendDocument(p url.Values) (int, wireResponse) {
	c, status, resp, found := s.target(p)
	if !found {
		return status, resp
	}
	if p.Get("document") == "" {
		return badRequest("there is no document in the request")
	}
	paid, desc := flag(p, "allow_paid_broadcast")
	if desc != "" {
		return badRequest(desc)
	}
	doc := &Document{FileName: p.Get("document.filename"), Caption: p.Get("caption"), Data: []byte(p.Get("document"))}
	m := &message{Message: Message{FromBot: true, Document: doc, Paid: paid}, editable: true}
	if desc := applyMarkup(m, p.Get("reply_markup"), true); desc != "" {
		return badRequest(desc)
	}
	w := s.addBotMessage(c, m)
	w.Caption = doc.Caption
	f := s.storeLocked("documents", doc.FileName, File{Data: doc.Data})
	w.Document = &wireDocument{FileID: f.id, FileUniqueID: f.unique, FileName: doc.FileName, FileSize: len(doc.Data)}
	return ok(w)
}

func (s *Server) addBotMessage(c *chat, m *message) *wireMessage {
	c.nextID++
	m.ID = c.nextID
	w := &wireMessage{MessageID: m.ID, From: &wireUser{ID: s.Bot.ID, IsBot: true, FirstName: s.Bot.FirstName, Username: BotUsername},
		Chat: c.wire(), Date: time.Now().Unix(), Text: m.Text}
	w.ReplyMarkup = inlineWire(m.Inline)
	m.wire = w
	m.Sent = time.Now()
	c.msgs = append(c.msgs, m)
	s.chatChangedLocked(c.id)
	return w
}

func (s *Server) edit(p url.Values, withText bool) (int, wireResponse) {
	c, status, resp, found := s.target(p)
	if !found {
		return status, resp
	}
	id, _ := strconv.Atoi(p.Get("message_id"))
	var m *message
	for _, x := range c.msgs {
		if x.ID == id {
			m = x
		}
	}
	switch {
	case m == nil:
		return badRequest("message to edit not found")
	case !m.FromBot || !m.editable:
		return badRequest("message can't be edited")
	}
	next := &message{Message: m.Message}
	next.Inline = nil
	if withText {
		next.Text = p.Get("text")
		if strings.TrimSpace(next.Text) == "" {
			return badRequest("message text is empty")
		}
		if utf16Len(next.Text) > 4096 {
			return badRequest("MESSAGE_TOO_LONG")
		}
	}
	if desc := applyMarkup(next, p.Get("reply_markup"), false); desc != "" {
		return badRequest(desc)
	}
	if next.Text == m.Text && sameKeyboard(next.Inline, m.Inline) {
		return badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	m.Text, m.Inline = next.Text, next.Inline
	m.Edits++
	m.wire.Text = m.Text
	m.wire.ReplyMarkup = inlineWire(m.Inline)
	m.wire.EditDate = time.Now().Unix()
	s.chatChangedLocked(c.id)
	w := *m.wire
	return ok(&w)
}

var (
	commandName  = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	languageCode = regexp.MustCompile(`^[a-z]{2}$`)
)

func (s *Server) setMyCommands(p url.Values) (int, wireResponse) {
	var cmds []wireCommand
	if err := json.Unmarshal([]byte(p.Get("commands")), &cmds); err != nil {
		return badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return badRequest("too many commands")
	}
	var list []Command
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf16Len(c.Description); n < 1 || n > 256 {
			return badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
		list = append(list, Command{Command: c.Command, Description: c.Description})
	}
	lang := p.Get("language_code")
	if lang != "" && !languageCode.MatchString(lang) {
		return badRequest("invalid language code specified")
	}
	s.commands[lang] = list
	return ok(true)
}

var secretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(p url.Values) (int, wireResponse) {
	u := p.Get("url")
	if u == "" {
		s.webhookURL, s.secret = "", ""
		return ok(true)
	}
	if parsed, err := url.Parse(u); err != nil || parsed.Host == "" {
		return badRequest("bad webhook: invalid URL")
	}
	if sec := p.Get("secret_token"); sec != "" && !secretToken.MatchString(sec) {
		return badRequest("secret token contains unallowed characters")
	}
	s.webhookURL, s.secret = u, p.Get("secret_token")
	s.allowed = nil
	if a := p.Get("allowed_updates"); a != "" {
		json.Unmarshal([]byte(a), &s.allowed)
	}
	if p.Get("drop_pending_updates") == "true" {
		s.queue = nil
	}
	s.startDeliveryLocked()
	return ok(true)
}

// getUpdates answers a long poll: the unconfirmed updates from offset
// on, waiting up to timeout seconds for one. A second poll ends the
// first with 409, as Telegram does.
func (s *Server) getUpdates(ctx context.Context, w http.ResponseWriter, call Call) {
	p := call.Params
	offset, _ := strconv.Atoi(p.Get("offset"))
	limit, _ := strconv.Atoi(p.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p.Get("timeout"))
	s.mu.Lock()
	if s.webhookURL != "" {
		s.mu.Unlock()
		s.finish(w, call, http.StatusConflict, wireResponse{ErrorCode: 409,
			Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"})
		return
	}
	s.offsets = append(s.offsets, offset)
	s.allowed = nil
	if a := p.Get("allowed_updates"); a != "" {
		json.Unmarshal([]byte(a), &s.allowed)
	}
	if offset > 0 {
		kept := s.queue[:0]
		for _, u := range s.queue {
			if u.id >= offset {
				kept = append(kept, u)
			}
		}
		s.queue = kept
	}
	s.pollGen++
	gen := s.pollGen
	s.notifyLocked()
	s.mu.Unlock()
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if s.pollGen != gen {
			s.mu.Unlock()
			s.finish(w, call, http.StatusConflict, wireResponse{ErrorCode: 409,
				Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"})
			return
		}
		var out []json.RawMessage
		for _, u := range s.queue {
			if len(out) < limit && s.allowedLocked(u.kind) {
				out = append(out, u.body)
				s.handLocked(u.id)
			}
		}
		ch := s.changed
		s.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			if out == nil {
				out = []json.RawMessage{}
			}
			s.finish(w, call, http.StatusOK, wireResponse{Result: out})
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			timeout = 0
		case <-ctx.Done():
			return
		case <-s.stop:
			return
		}
	}
}

func (s *Server) allowedLocked(kind string) bool {
	if len(s.allowed) == 0 {
		return true
	}
	for _, a := range s.allowed {
		if a == kind {
			return true
		}
	}
	return false
}

// startDeliveryLocked starts posting queued updates to the webhook, one
// at a time in order, as long as there are any.
func (s *Server) startDeliveryLocked() {
	if s.webhookURL == "" || s.delivering || len(s.queue) == 0 || s.closed {
		return
	}
	s.delivering = true
	go s.deliver()
}

func (s *Server) deliver() {
	for {
		s.mu.Lock()
		if s.webhookURL == "" || len(s.queue) == 0 || s.closed {
			s.delivering = false
			s.mu.Unlock()
			return
		}
		u, hook, secret := s.queue[0], s.webhookURL, s.secret
		allowed := s.allowedLocked(u.kind)
		s.handLocked(u.id)
		s.mu.Unlock()
		d := Delivery{UpdateID: u.id}
		if allowed {
			d.Status, d.Err = s.post(hook, secret, u.body)
		} else {
			d.Status = http.StatusOK
		}
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		if d.Status >= 200 && d.Status < 300 && len(s.queue) > 0 && s.queue[0].id == u.id {
			s.queue = s.queue[1:]
		}
		s.notifyLocked()
		s.mu.Unlock()
		if d.Status < 200 || d.Status >= 300 {
			// Telegram retries a failed delivery later.
			select {
			case <-time.After(100 * time.Millisecond):
			case <-s.stop:
				return
			}
		}
	}
}

func (s *Server) post(hook, secret string, body []byte) (int, string) {
	req, err := http.NewRequest(http.MethodPost, hook, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, ""
}

// applyMarkup reads reply_markup into m and returns what is wrong with
// it, as Telegram words it. Edits take only inline keyboards.
func applyMarkup(m *message, raw string, send bool) string {
	if raw == "" {
		return ""
	}
	var mk wireMarkup
	if err := json.Unmarshal([]byte(raw), &mk); err != nil {
		return "can't parse reply keyboard markup JSON object"
	}
	switch {
	case mk.InlineKeyboard != nil:
		kb, desc := inlineKeyboard(mk.InlineKeyboard)
		if desc != "" {
			return desc
		}
		m.Inline = kb
	case !send:
		return "inline keyboard expected"
	case mk.Keyboard != nil:
		for _, row := range mk.Keyboard {
			var out []Button
			for _, b := range row {
				if b.Text == "" {
					return "keyboard button text must be non-empty"
				}
				out = append(out, Button{Text: b.Text, RequestContact: b.RequestContact})
			}
			m.Keyboard = append(m.Keyboard, out)
		}
		m.OneTimeKeyboard = mk.OneTime
		m.editable = false
	case mk.RemoveKeyboard:
		m.RemoveKeyboard = true
		m.editable = false
	case mk.ForceReply:
		m.editable = false
	default:
		return "can't parse reply keyboard markup JSON object"
	}
	return ""
}

func inlineKeyboard(rows [][]wireButton) ([][]Button, string) {
	var kb [][]Button
	for _, row := range rows {
		var out []Button
		for _, b := range row {
			switch {
			case b.Text == "":
				return nil, "text must be non-empty"
			case b.CallbackData != nil && b.URL != nil:
				return nil, "can't parse inline keyboard button: only one optional field is allowed"
			case b.CallbackData != nil:
				if n := len(*b.CallbackData); n < 1 || n > 64 {
					return nil, "BUTTON_DATA_INVALID"
				}
				out = append(out, Button{Text: b.Text, CallbackData: *b.CallbackData})
			case b.URL != nil:
				u, err := url.Parse(*b.URL)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tg") {
					return nil, "BUTTON_URL_INVALID"
				}
				out = append(out, Button{Text: b.Text, URL: *b.URL})
			default:
				return nil, "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
			}
		}
		kb = append(kb, out)
	}
	return kb, ""
}

func inlineWire(kb [][]Button) *wireMarkup {
	if kb == nil {
		return nil
	}
	mk := &wireMarkup{InlineKeyboard: [][]wireButton{}}
	for _, row := range kb {
		var out []wireButton
		for _, b := range row {
			wb := wireButton{Text: b.Text}
			if b.CallbackData != "" {
				data := b.CallbackData
				wb.CallbackData = &data
			}
			if b.URL != "" {
				u := b.URL
				wb.URL = &u
			}
			out = append(out, wb)
		}
		mk.InlineKeyboard = append(mk.InlineKeyboard, out)
	}
	return mk
}

func sameKeyboard(a, b [][]Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// utf16Len is a text's length as Telegram counts it.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
