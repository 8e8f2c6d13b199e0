package whatsapp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// setLang makes key a user who chose lang.
func (e *env) setLang(key, lang string) {
	e.t.Helper()
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		return tx.PutUser(&domain.User{Key: key, Lang: lang})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func undecryptableFrom(number string) *events.UndecryptableMessage {
	return &events.UndecryptableMessage{Info: textFrom(number, "").Info}
}

// A message that cannot be decrypted gets the notice to send it again,
// in the user's language, once an hour at most; a view-once message
// (unavailable on purpose) gets none.
func TestUndecryptableNotice(t *testing.T) {
	e := newEnv(t)
	now := testNow
	e.adapter.Now = func() time.Time { return now }
	e.setLang("whatsapp:"+parent, "kk")
	viewOnce := undecryptableFrom(parent)
	viewOnce.IsUnavailable, viewOnce.UnavailableType = true, events.UnavailableTypeViewOnce
	e.feed(viewOnce)
	if calls, _ := e.client.take(); len(calls) != 0 {
		t.Fatalf("view-once message: sent %q", calls)
	}
	e.feed(undecryptableFrom(parent), undecryptableFrom(parent))
	want := e.cat.T("kk", "wa_undecryptable", nil)
	if calls, texts := e.client.take(); len(texts) != 1 || texts[0] != want || calls[0] != "send "+parent+"@s.whatsapp.net" {
		t.Fatalf("two unreadable messages: sent %q %q, want one %q", calls, texts, want)
	}
	now = now.Add(59 * time.Minute)
	e.feed(undecryptableFrom(parent))
	if _, texts := e.client.take(); len(texts) != 0 {
		t.Fatalf("within the hour: sent %q", texts)
	}
	now = now.Add(2 * time.Minute)
	e.feed(undecryptableFrom(parent))
	if _, texts := e.client.take(); len(texts) != 1 || texts[0] != want {
		t.Fatalf("an hour later: sent %q, want %q", texts, want)
	}
	// Another user who chose no language gets it in every language.
	e.feed(undecryptableFrom("77015550000"))
	if _, texts := e.client.take(); len(texts) != 1 || !strings.Contains(texts[0], e.cat.T("en", "wa_undecryptable", nil)) ||
		!strings.Contains(texts[0], e.cat.T("ru", "wa_undecryptable", nil)) {
		t.Fatalf("user without a language: sent %q", texts)
	}
}

// A call is declined and answered with a text: write, or call 112.
func TestCallOffer(t *testing.T) {
	e := newEnv(t)
	e.setLang("whatsapp:"+parent, "ru")
	from := types.NewJID(parent, types.DefaultUserServer)
	e.feed(&events.CallOffer{BasicCallMeta: types.BasicCallMeta{From: from, CallCreator: from, CallID: "CALL1"}})
	calls, texts := e.client.take()
	want := e.cat.T("ru", "wa_call", nil)
	if len(texts) != 1 || texts[0] != want || !strings.Contains(want, "112") {
		t.Fatalf("sent %q, want %q", texts, want)
	}
	if calls[0] != "reject CALL1 "+from.String() {
		t.Errorf("calls %q, want the call rejected first", calls)
	}
	// A group call is not answered.
	e.feed(&events.CallOffer{BasicCallMeta: types.BasicCallMeta{From: from, CallID: "CALL2",
		GroupJID: types.NewJID("1203630", types.GroupServer)}})
	if calls, _ := e.client.take(); len(calls) != 0 {
		t.Errorf("group call: %q", calls)
	}
}

// Every stop someone must act on makes /healthz say why and alerts the
// organizers, once per kind and hour; Connected clears it.
func TestPermanentDisconnects(t *testing.T) {
	for _, tt := range []struct {
		evt  any
		kind string
		says string
	}{
		{&events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut}, "logged-out", "rfabot whatsapp-pair"},
		{&events.StreamReplaced{}, "replaced", "only one bot per number"},
		{&events.TemporaryBan{Code: events.TempBanBlockedByUsers, Expire: 90 * time.Minute}, "banned", "until 2027-01-15 11:30 UTC, when the bot connects again"},
		{&events.ClientOutdated{}, "outdated", "update go.mau.fi/whatsmeow"},
		{&events.CATRefreshError{Error: fmt.Errorf("token endpoint: 500")}, "cat", "token endpoint: 500"},
		{&events.ConnectFailure{Reason: events.ConnectFailureBadUserAgent}, "connect", "409"},
		{&events.StreamError{Code: "500"}, "stream", `code "500"`},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			e := newEnv(t)
			e.adapter.Now = func() time.Time { return testNow }
			var keys []string
			e.adapter.Alert = func(key, reason string) {
				keys = append(keys, key)
				if err := e.conv.AlertAdmins(context.Background(), key, "alert_channel_down",
					map[string]any{"Channel": "WhatsApp", "Reason": reason}); err != nil {
					t.Fatal(err)
				}
			}
			var reconnect []time.Duration
			e.adapter.Reconnect = func(d time.Duration) { reconnect = append(reconnect, d) }
			e.setLang("telegram:42", "en")
			e.feed(&events.Connected{})
			e.feed(tt.evt, tt.evt)
			rec := httptest.NewRecorder()
			e.health.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
			var got struct {
				Channels []string
				Down     map[string]string
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Channels) != 0 || !strings.Contains(got.Down["whatsapp"], tt.says) {
				t.Errorf("/healthz %s, want whatsapp down saying %q", rec.Body, tt.says)
			}
			wantKey := "whatsapp:" + tt.kind + ":2027-01-15T10"
			if len(keys) != 2 || keys[0] != wantKey {
				t.Errorf("alert keys %q, want %q twice", keys, wantKey)
			}
			due, err := e.conv.DuePushes(context.Background(), "telegram", testNow, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(due) != 1 || due[0].UserKey != "telegram:42" || due[0].Kind != flows.KindAlert ||
				!strings.Contains(due[0].Reply.Text, "WhatsApp has stopped: ") || !strings.Contains(due[0].Reply.Text, tt.says) {
				t.Fatalf("pushes to the organizers %+v, want one alert saying %q", due, tt.says)
			}
			if want := tt.kind == "banned"; (len(reconnect) == 2 && reconnect[0] == 90*time.Minute) != want {
				t.Errorf("reconnect after %v, want one after the ban: %v", reconnect, want)
			}
			e.feed(&events.Connected{})
			if down := e.health.Down(); len(down) != 0 {
				t.Errorf("after Connected: down %v", down)
			}
		})
	}
}

// answerer is an Engine that answers each message with its text, at
// once: one user's messages in order, users in parallel, as the adapter
// calls it.
type answerer struct {
	mu   sync.Mutex
	seen map[string][]string
}

func (a *answerer) Dispatch(_ context.Context, m dialog.Message, deliver func(flows.Answer)) {
	a.mu.Lock()
	if a.seen == nil {
		a.seen = map[string][]string{}
	}
	a.seen[m.UserID] = append(a.seen[m.UserID], m.Text)
	a.mu.Unlock()
	deliver(flows.Answer{Replies: []dialog.Reply{{Text: "answer to " + m.Text}}})
}

// A backlog of 50 messages from 20 users, synced after downtime, is
// handled in order; each user gets one answer, to their latest message,
// in the order those came, one per pacer turn.
func TestOfflineBacklog(t *testing.T) {
	client := &fakeClient{}
	eng := &answerer{}
	pacer, slept := fakePacer(3*time.Second, 0)
	a := &Adapter{Client: client, Engine: eng, Pacer: pacer, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx := context.Background()
	a.HandleEvent(ctx, &events.OfflineSyncPreview{Total: 60, Messages: 50})
	var users []string
	for u := range 20 {
		users = append(users, fmt.Sprintf("7701000%04d", u))
	}
	last := map[string]string{}
	var wantOrder []string
	for i := range 50 {
		// Users 0-9 write three times, 10-19 twice: 30 + 20.
		u := users[i%20]
		if i >= 40 {
			u = users[i-40]
		}
		text := fmt.Sprintf("message %d", i)
		last[u] = text
		a.HandleEvent(ctx, textFrom(u, text))
	}
	// The latest messages came in this order: users 10-19 (messages
	// 30-39), then 0-9 (40-49).
	for _, u := range append(append([]string{}, users[10:]...), users[:10]...) {
		wantOrder = append(wantOrder, "send "+u+"@s.whatsapp.net")
	}
	a.HandleEvent(ctx, &events.OfflineSyncCompleted{Count: 60})
	a.Wait()
	var sends []string
	for _, c := range client.calls {
		if strings.HasPrefix(c, "send ") {
			sends = append(sends, c)
		}
	}
	if fmt.Sprint(sends) != fmt.Sprint(wantOrder) {
		t.Fatalf("answers went to\n%q\nwant\n%q", sends, wantOrder)
	}
	for i, txt := range client.texts {
		u := strings.TrimSuffix(strings.TrimPrefix(sends[i], "send "), "@s.whatsapp.net")
		if txt != "answer to "+last[u] {
			t.Errorf("%s got %q, want the answer to %q", u, txt, last[u])
		}
	}
	for _, u := range users {
		prev := -1
		for _, m := range eng.seen[u] {
			var n int
			if _, err := fmt.Sscanf(m, "message %d", &n); err != nil || n <= prev {
				t.Errorf("%s: handled %q out of order", u, eng.seen[u])
			}
			prev = n
		}
	}
	if n := len(eng.seen[users[0]]) + len(eng.seen[users[10]]); n != 5 {
		t.Errorf("handled %d messages of users 0 and 10, want 3+2", n)
	}
	if len(*slept) != 19 {
		t.Errorf("pacer waited %d times, want 19 (every answer after the first)", len(*slept))
	}
	for _, d := range *slept {
		if d != 3*time.Second {
			t.Errorf("waited %s between answers, want 3s", d)
		}
	}
	// After the sync, answers go out at once again.
	a.HandleEvent(ctx, textFrom(users[0], "live"))
	a.Wait()
	if got := client.texts[len(client.texts)-1]; got != "answer to live" {
		t.Errorf("live answer %q", got)
	}
}

// A picture downloads off whatsmeow's event handler, and the text the
// user sent after it still reaches the engine after it.
func TestDownloadOffTheHandler(t *testing.T) {
	client := &fakeClient{block: make(chan struct{}), files: map[string][]byte{"/v/photo": []byte("\\x89PNG")}}
	eng := &answerer{}
	a := &Adapter{Client: client, Engine: eng, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx := context.Background()
	photo := withMessage(&waE2E.Message{ImageMessage: &waE2E.ImageMessage{DirectPath: proto.String("/v/photo"),
		Mimetype: proto.String("image/png"), FileLength: proto.Uint64(6), Caption: proto.String("proof")}})
	a.HandleEvent(ctx, photo)
	a.HandleEvent(ctx, textFrom(parent, "after the photo"))
	a.HandleEvent(ctx, textFrom("77019990000", "another user"))
	// Both handler calls returned while the download is held; the other
	// user is not held behind it.
	for {
		eng.mu.Lock()
		n := len(eng.seen["77019990000"])
		eng.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	eng.mu.Lock()
	if len(eng.seen[parent]) != 0 {
		t.Errorf("engine got %q before the download ended", eng.seen[parent])
	}
	eng.mu.Unlock()
	close(client.block)
	a.Wait()
	if got := eng.seen[parent]; fmt.Sprint(got) != "[proof after the photo]" {
		t.Errorf("engine got %q, want the photo's caption, then the text", got)
	}
}

// queuePush puts a push for parent in the outbox and returns it.
func (e *env) queuePush(key, kind string) domain.Push {
	e.t.Helper()
	p := domain.Push{Key: key, UserKey: "whatsapp:" + parent, Kind: kind, Reply: dialog.Reply{Text: "Ертең старт!"}, Created: testNow}
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		_, err := tx.Enqueue(&p)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// Delivery and read receipts of a push's message are recorded on the
// push, and counted for its broadcast; receipts of answers are not.
func TestReceiptsOfPushes(t *testing.T) {
	e := newEnv(t)
	tracker := &bot.Tracker{Store: e.conv, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	e.adapter.Receipts = tracker
	pacer, _ := fakePacer(time.Second, 0)
	s := &Sender{Client: e.client, Pacer: pacer, Receipts: tracker}
	p := e.queuePush("broadcast:1:whatsapp:"+parent, "broadcast")
	if err := s.Send(bot.WithPush(context.Background(), p), parent, p.Reply); err != nil {
		t.Fatal(err)
	}
	// An answer's message (not a push) is not tracked.
	e.feed(textFrom(parent, "Сәлем"))
	chat := types.NewJID(parent, types.DefaultUserServer)
	src := types.MessageSource{Chat: chat, Sender: chat}
	at := testNow.Add(time.Minute)
	e.feed(&events.Receipt{MessageSource: src, MessageIDs: []string{"OUT1", "OUT2"}, Type: types.ReceiptTypeDelivered, Timestamp: at})
	stats := func() domain.PushStats {
		var st domain.PushStats
		err := e.store.View(context.Background(), func(tx domain.Tx) error {
			var err error
			st, err = tx.PushStats("broadcast:1:")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := stats(); st.Delivered != 1 || st.Read != 0 {
		t.Errorf("after delivered: %+v", st)
	}
	e.feed(&events.Receipt{MessageSource: src, MessageIDs: []string{"OUT1"}, Type: types.ReceiptTypeRead, Timestamp: at.Add(time.Minute)})
	if st := stats(); st.Delivered != 1 || st.Read != 1 {
		t.Errorf("after read: %+v", st)
	}
	// The worker saving the push as sent after the receipt keeps it.
	p.Status = domain.PushSent
	if err := e.conv.SavePush(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	if st := stats(); st.Delivered != 1 || st.Read != 1 || st.Sent != 1 {
		t.Errorf("after the worker saved it: %+v", st)
	}
}
