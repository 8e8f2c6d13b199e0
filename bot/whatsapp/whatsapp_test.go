package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

// testNow is a day in registration time, before the default event.
var testNow = time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)

// fakeClient records what the channel would send to WhatsApp, in order.
type fakeClient struct {
	mu    sync.Mutex
	calls []string // "read <id> <chat>", "typing <chat>", "send <to>", "presence <state>"
	texts []string // the text of each message sent
	// sendErr, when set, is what SendMessage returns.
	sendErr error
	// files are the files Download serves, by direct path; a path not
	// here fails. msgs are the messages sent, uploads the files
	// uploaded.
	files   map[string][]byte
	msgs    []*waE2E.Message
	uploads []string
	// block, when set, holds every Download until it is closed.
	block chan struct{}
}

func (c *fakeClient) Download(_ context.Context, m whatsmeow.DownloadableMessage) ([]byte, error) {
	if c.block != nil {
		<-c.block
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, "download "+m.GetDirectPath())
	b, ok := c.files[m.GetDirectPath()]
	if !ok {
		return nil, errors.New("media connection lost")
	}
	return b, nil
}

func (c *fakeClient) Upload(_ context.Context, b []byte, media whatsmeow.MediaType) (whatsmeow.UploadResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.uploads = append(c.uploads, fmt.Sprintf("%s %d bytes", media, len(b)))
	return whatsmeow.UploadResponse{URL: "https://mmg.whatsapp.net/up", DirectPath: "/v/up", MediaKey: []byte("key"),
		FileSHA256: []byte("sha"), FileEncSHA256: []byte("enc"), FileLength: uint64(len(b))}, nil
}

func (c *fakeClient) record(call string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, call)
}

func (c *fakeClient) SendMessage(_ context.Context, to types.JID, m *waE2E.Message, _ ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sendErr != nil {
		return whatsmeow.SendResponse{}, c.sendErr
	}
	c.calls = append(c.calls, "send "+to.String())
	c.texts = append(c.texts, m.GetConversation())
	c.msgs = append(c.msgs, m)
	return whatsmeow.SendResponse{ID: fmt.Sprintf("OUT%d", len(c.texts))}, nil
}

func (c *fakeClient) MarkRead(_ context.Context, ids []types.MessageID, _ time.Time, chat, _ types.JID, _ ...types.ReceiptType) error {
	c.record("read " + strings.Join(ids, ",") + " " + chat.String())
	return nil
}

func (c *fakeClient) SendChatPresence(_ context.Context, jid types.JID, state types.ChatPresence, _ types.ChatPresenceMedia) error {
	c.record(string(state) + " " + jid.String())
	return nil
}

func (c *fakeClient) RejectCall(_ context.Context, from types.JID, id string) error {
	c.record("reject " + id + " " + from.String())
	return nil
}

func (c *fakeClient) SendPresence(_ context.Context, state types.Presence) error {
	c.record("presence " + string(state))
	return nil
}

// take returns the calls and texts recorded since the last take.
func (c *fakeClient) take() (calls, texts []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	calls, texts = c.calls, c.texts
	c.calls, c.texts = nil, nil
	return calls, texts
}

type lidMap map[types.JID]types.JID

func (m lidMap) GetPNForLID(_ context.Context, lid types.JID) (types.JID, error) {
	return m[lid], nil
}

// env is the WhatsApp channel as a test sees it: the adapter over a fake
// client, with the real engine, flows and a bbolt file.
type env struct {
	t       *testing.T
	client  *fakeClient
	adapter *Adapter
	engine  *bot.Engine
	store   *storage.Store
	cat     *locales.Catalog
	health  *bot.Health
	conv    *flows.Flows
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ev, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(filepath.Join(t.TempDir(), "bot.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	conv := flows.New(flows.Config{Store: st, Event: ev, Catalog: cat, Now: func() time.Time { return testNow }, Payments: fakeLinks{},
		Admins: []string{"telegram:42"}})
	e := &env{t: t, client: &fakeClient{}, store: st, cat: cat, health: &bot.Health{}, conv: conv}
	e.engine = bot.NewEngine(conv, log)
	e.adapter = &Adapter{Client: e.client, Engine: e.engine, Notices: conv, Log: log, Health: e.health,
		LIDs: lidMap{types.NewJID("555000111", types.HiddenUserServer): types.NewJID("77017778899", types.DefaultUserServer)}}
	return e
}

// feed hands events to the adapter as whatsmeow would and waits until
// they are answered. The adapter first: it dispatches to the engine from
// its own goroutines.
func (e *env) feed(evts ...any) {
	for _, evt := range evts {
		e.adapter.HandleEvent(context.Background(), evt)
	}
	e.adapter.Wait()
	e.engine.Wait()
}

func (e *env) user(key string) (domain.User, error) {
	var u domain.User
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		u, err = tx.User(key)
		return err
	})
	return u, err
}

var ids int

// textFrom is a plain text message from a phone number in a direct chat.
func textFrom(number, text string) *events.Message {
	ids++
	jid := types.NewJID(number, types.DefaultUserServer)
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: jid, Sender: jid},
			ID:            fmt.Sprintf("3EB0%06d", ids),
			Timestamp:     testNow,
			PushName:      "Aigerim",
		},
		Message: &waE2E.Message{Conversation: proto.String(text)},
	}
}

const parent = "77011234567"

func TestRegistrationByNumbers(t *testing.T) {
	e := newEnv(t)
	chat := parent + "@s.whatsapp.net"
	steps := []struct{ say, want string }{
		{"Сәлем", "1) Русский\n2) Қазақша\n3) English"},
		{"1", "Здравствуйте!"},
		{"1", "Как зовут участника?"},
		{"Айгерим Нурланова", "Дата рождения"},
		{"15.05.1990", "1) Женский"},
		{"1", "1) Использовать +7 701 123 45 67"},
		{"1", "1) Очно, в Астане"},
		{"1", "3) 5 км · 8\u00a0990\u00a0₸"},
		{"3", "1) Общая"},
		{"общая", "3) M"},
		{"3", "Кому позвонить"},
		{"Нурлан Абенов", "Номер телефона (Нурлан Абенов)"},
		{"+7 701 765 43 21", "1) Даю согласие"},
		{"1", "Телефон: +7 701 123 45 67"},
		// The same number twice in a row does not confirm unseen.
		{"1", "Сообщение «1» пришло дважды подряд"},
		{"1", "Код регистрации: RFA-"},
	}
	for i, s := range steps {
		m := textFrom(parent, s.say)
		e.feed(m)
		calls, texts := e.client.take()
		want := []string{"read " + m.Info.ID + " " + chat, "composing " + chat, "send " + chat}
		if strings.Join(calls, "|") != strings.Join(want, "|") {
			t.Fatalf("step %d (%q): calls %q, want %q", i, s.say, calls, want)
		}
		if !strings.Contains(texts[0], s.want) {
			t.Fatalf("step %d (%q): sent %q, want it to contain %q", i, s.say, texts[0], s.want)
		}
	}
	var regs []domain.Registration
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		regs, err = tx.Registrations("whatsapp:" + parent)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(regs) != 1 {
		t.Fatalf("registrations = %d, want 1", len(regs))
	}
	r := regs[0]
	if r.Phone != "+77011234567" || r.Distance != "5k" || r.Gender != "female" || r.TShirt != "M" ||
		r.Category != "general" || r.Lang != "ru" || r.EmergencyPhone != "+77017654321" {
		t.Errorf("stored %+v", r)
	}
}

func TestDuplicateDelivery(t *testing.T) {
	e := newEnv(t)
	first := textFrom(parent, "Сәлем")
	e.feed(first)
	if _, texts := e.client.take(); len(texts) != 1 {
		t.Fatalf("first delivery: %d messages sent, want 1", len(texts))
	}
	// WhatsApp delivers the same message again, later.
	again := *first
	e.feed(&again)
	if calls, _ := e.client.take(); len(calls) != 0 {
		t.Fatalf("redelivery answered: %q", calls)
	}
	// And twice at the same moment: one answer, one language change.
	pick := textFrom(parent, "1")
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dup := *pick
			e.adapter.HandleEvent(context.Background(), &dup)
		}()
	}
	wg.Wait()
	e.adapter.Wait()
	e.engine.Wait()
	_, texts := e.client.take()
	if len(texts) != 1 || !strings.Contains(texts[0], "Здравствуйте!") {
		t.Fatalf("concurrent duplicates sent %q, want one welcome", texts)
	}
	u, err := e.user("whatsapp:" + parent)
	if err != nil {
		t.Fatal(err)
	}
	if u.Lang != "ru" || u.Session.Step != flows.StepMenu {
		t.Errorf("user at %q in %q, want the menu in ru", u.Session.Step, u.Lang)
	}
}

func TestIgnoredMessages(t *testing.T) {
	group := types.NewJID("120363021234567890", types.GroupServer)
	tests := []struct {
		name string
		edit func(m *events.Message)
	}{
		{"group message", func(m *events.Message) { m.Info.Chat, m.Info.IsGroup = group, true }},
		{"group chat not flagged as group", func(m *events.Message) { m.Info.Chat = group }},
		{"status broadcast", func(m *events.Message) { m.Info.Chat, m.Info.IsGroup = types.StatusBroadcastJID, true }},
		{"from the bot's own number", func(m *events.Message) { m.Info.IsFromMe = true }},
		{"newsletter", func(m *events.Message) { m.Info.Chat = types.NewJID("1203630", types.NewsletterServer) }},
		{"an edit", func(m *events.Message) { m.IsEdit = true }},
		{"a reaction", func(m *events.Message) {
			m.Message = &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Text: proto.String("👍")}}
		}},
		{"a protocol message", func(m *events.Message) {
			m.Message = &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_REVOKE.Enum()}}
		}},
		{"no message", func(m *events.Message) { m.Message = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			m := textFrom(parent, "Сәлем")
			tt.edit(m)
			e.feed(m)
			if calls, _ := e.client.take(); len(calls) != 0 {
				t.Errorf("answered: %q", calls)
			}
			if _, err := e.user("whatsapp:" + parent); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("user stored (err %v), want none", err)
			}
		})
	}
}

func TestSenders(t *testing.T) {
	lid := types.NewJID("555000111", types.HiddenUserServer)
	unknownLID := types.NewJID("999000222", types.HiddenUserServer)
	tests := []struct {
		name      string
		msg       func() *events.Message
		wantKey   string
		wantPhone string
		wantTo    string
	}{
		{
			name:    "extended text from a number",
			wantKey: "whatsapp:" + parent, wantPhone: "+77011234567", wantTo: parent + "@s.whatsapp.net",
			msg: func() *events.Message {
				m := textFrom(parent, "")
				m.Message = &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("Сәлем https://example.org")}}
				return m
			},
		},
		{
			name:    "a LID with its number in the message",
			wantKey: "whatsapp:77015556677", wantPhone: "+77015556677", wantTo: "777000333@lid",
			msg: func() *events.Message {
				m := textFrom(parent, "Сәлем")
				l := types.NewJID("777000333", types.HiddenUserServer)
				m.Info.Chat, m.Info.Sender = l, l
				m.Info.SenderAlt = types.JID{User: "77015556677", Device: 3, Server: types.DefaultUserServer}
				return m
			},
		},
		{
			name:    "a LID whose number whatsmeow knows",
			wantKey: "whatsapp:77017778899", wantPhone: "+77017778899", wantTo: lid.String(),
			msg: func() *events.Message {
				m := textFrom(parent, "Сәлем")
				m.Info.Chat, m.Info.Sender = lid, types.JID{User: lid.User, Device: 2, Server: lid.Server}
				return m
			},
		},
		{
			name:    "a LID without a known number",
			wantKey: "whatsapp:999000222@lid", wantPhone: "", wantTo: unknownLID.String(),
			msg: func() *events.Message {
				m := textFrom(parent, "Сәлем")
				m.Info.Chat, m.Info.Sender = unknownLID, unknownLID
				return m
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.feed(tt.msg())
			calls, _ := e.client.take()
			if len(calls) != 3 || calls[2] != "send "+tt.wantTo {
				t.Fatalf("calls %q, want an answer to %s", calls, tt.wantTo)
			}
			u, err := e.user(tt.wantKey)
			if err != nil {
				t.Fatalf("user %s: %v", tt.wantKey, err)
			}
			if u.Phone != tt.wantPhone {
				t.Errorf("phone %q, want %q", u.Phone, tt.wantPhone)
			}
		})
	}
}

func TestNonTextMessage(t *testing.T) {
	e := newEnv(t)
	e.feed(textFrom(parent, "hi"), textFrom(parent, "1"))
	e.client.take()
	m := textFrom(parent, "")
	m.Message = &waE2E.Message{StickerMessage: &waE2E.StickerMessage{}}
	e.feed(m)
	_, texts := e.client.take()
	want := e.cat.T("ru", "input_not_text", nil)
	if len(texts) != 1 || !strings.HasPrefix(texts[0], want) {
		t.Fatalf("sent %q, want %q first", texts, want)
	}
	// A photo is a file: taken where a step asks for one (an online
	// run's proof), explained elsewhere.
	m = textFrom(parent, "")
	m.Message = &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("me")}}
	e.feed(m)
	_, texts = e.client.take()
	want = e.cat.T("ru", "input_file_unexpected", nil)
	if len(texts) != 1 || !strings.HasPrefix(texts[0], want) {
		t.Fatalf("sent %q, want %q first", texts, want)
	}
}

func TestConnectionEvents(t *testing.T) {
	e := newEnv(t)
	loggedOut := 0
	e.adapter.LoggedOut = func() { loggedOut++ }
	e.adapter.HandleEvent(context.Background(), &events.Connected{})
	if up := e.health.Up(); len(up) != 1 || up[0] != "whatsapp" {
		t.Errorf("after Connected: up %v", up)
	}
	if calls, _ := e.client.take(); len(calls) != 1 || calls[0] != "presence available" {
		t.Errorf("after Connected: calls %q, want presence available", calls)
	}
	e.adapter.HandleEvent(context.Background(), &events.Disconnected{})
	if up := e.health.Up(); len(up) != 0 {
		t.Errorf("after Disconnected: up %v", up)
	}
	e.adapter.HandleEvent(context.Background(), &events.Connected{})
	e.adapter.HandleEvent(context.Background(), &events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut})
	if up := e.health.Up(); len(up) != 0 || loggedOut != 1 {
		t.Errorf("after LoggedOut: up %v, callback called %d times", up, loggedOut)
	}
}

func TestRender(t *testing.T) {
	got := Render(dialog.Reply{
		Text:    "Choose:",
		Links:   []dialog.Link{{Label: "Site", URL: "https://example.org"}},
		Choices: []dialog.Choice{{Label: "Yes", Payload: "y"}, {Label: "No", Payload: "n"}},
	})
	want := "Choose:\n\nSite: https://example.org\n\n1) Yes\n2) No"
	if got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
	if got := Render(dialog.Reply{Text: "Hello"}); got != "Hello" {
		t.Errorf("Render of plain text = %q", got)
	}
}

func TestUserJID(t *testing.T) {
	for in, want := range map[string]string{
		"77011234567":   "77011234567@s.whatsapp.net",
		"999000222@lid": "999000222@lid",
		"":              "",
		"+77011234567":  "",
		"123@g.us":      "",
		"abc":           "",
	} {
		j, err := UserJID(in)
		if want == "" {
			if err == nil {
				t.Errorf("UserJID(%q) = %s, want an error", in, j)
			}
			continue
		}
		if err != nil || j.String() != want {
			t.Errorf("UserJID(%q) = %s, %v; want %s", in, j, err, want)
		}
	}
}

// A message that arrives while the channel stops is refused, so whatsmeow
// leaves it unacknowledged for WhatsApp to deliver again.
func TestStoppedAdapterRefusesMessages(t *testing.T) {
	e := newEnv(t)
	if !e.adapter.HandleEvent(context.Background(), textFrom(parent, "Сәлем")) {
		t.Fatal("a running adapter refused a message")
	}
	e.adapter.Wait()
	e.engine.Wait()
	e.client.take()
	e.adapter.Stop()
	if e.adapter.HandleEvent(context.Background(), textFrom(parent, "1")) {
		t.Error("a stopped adapter took a message")
	}
	if !e.adapter.HandleEvent(context.Background(), &events.Disconnected{}) {
		t.Error("a stopped adapter refused a connection event")
	}
	e.adapter.Wait()
	e.engine.Wait()
	if calls, _ := e.client.take(); len(calls) != 0 {
		t.Errorf("a stopped adapter answered: %q", calls)
	}
	if u, err := e.user("whatsapp:" + parent); err != nil || u.Lang != "" {
		t.Errorf("user %+v (%v): the refused answer was applied", u, err)
	}
}

// fakeLinks builds payment links without a provider.
type fakeLinks struct{}

func (fakeLinks) Link(o domain.Order, lang string) (string, error) {
	return "https://pay.test/" + o.ID + "?lang=" + lang, nil
}
