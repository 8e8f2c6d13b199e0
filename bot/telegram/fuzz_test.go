package telegram_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

// recorder is the engine as the adapter sees it, keeping the messages
// the adapter made of updates.
type recorder struct {
	telegram.Engine
	mu   sync.Mutex
	msgs []dialog.Message
}

func (r *recorder) Dispatch(ctx context.Context, msg dialog.Message, deliver func(flows.Answer)) {
	r.mu.Lock()
	r.msgs = append(r.msgs, msg)
	r.mu.Unlock()
	r.Engine.Dispatch(ctx, msg, deliver)
}

func (r *recorder) take() []dialog.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.msgs
	r.msgs = nil
	return m
}

var decimal = regexp.MustCompile(`^-?[0-9]+$`)

// FuzzWebhookUpdate posts update bodies to the webhook, as Telegram (or
// anyone who has the secret) could: messages, button presses with any
// callback data on any message, contacts, pictures and documents (whose
// files the fake does not know: the download fails), groups, and JSON
// that is none of these. The webhook answers 200 or 400; what reaches
// the conversation is one thing a user did in a private chat; the
// adapter never panics; and the real flows behind it answer.
func FuzzWebhookUpdate(f *testing.F) {
	for _, s := range []string{
		`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"is_bot":false,"first_name":"A","language_code":"kk"},"text":"/start register","entities":[{"type":"bot_command","offset":0,"length":6}]}}`,
		`{"update_id":2,"message":{"message_id":2,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"is_bot":false,"first_name":"A","language_code":"ru-RU"},"text":"Айгерим Нурланова"}}`,
		`{"update_id":3,"callback_query":{"id":"cb1","from":{"id":501,"is_bot":false,"first_name":"A","language_code":"en"},"chat_instance":"ci","data":"m:reg","message":{"message_id":3,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":4242424242,"is_bot":true,"first_name":"Bot"},"text":"What would you like to do?","reply_markup":{"inline_keyboard":[[{"text":"Register","callback_data":"m:reg"}],[{"text":"Info","callback_data":"m:info"}]]}}}}`,
		`{"update_id":4,"callback_query":{"id":"cb2","from":{"id":502,"is_bot":false,"first_name":"B"},"chat_instance":"ci","data":"d:42k"}}`,
		`{"update_id":5,"message":{"message_id":5,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"is_bot":false,"first_name":"A"},"contact":{"phone_number":"+77015556677","first_name":"A","user_id":501}}}`,
		`{"update_id":6,"message":{"message_id":6,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"is_bot":false,"first_name":"A"},"contact":{"phone_number":"+77017778899","first_name":"C","user_id":777}}}`,
		`{"update_id":7,"message":{"message_id":7,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"is_bot":false,"first_name":"A"},"photo":[{"file_id":"x","file_unique_id":"y","width":1,"height":1}],"caption":"мен өзіме зиян келтіргім келеді"}}`,
		`{"update_id":13,"message":{"message_id":13,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"is_bot":false,"first_name":"A"},"document":{"file_id":"d","file_unique_id":"u","file_name":"results.csv","mime_type":"text/csv","file_size":3145728}}}`,
		`{"update_id":14,"message":{"message_id":14,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"is_bot":false,"first_name":"A"},"animation":{"file_id":"g","file_unique_id":"g","width":1,"height":1,"duration":1},"document":{"file_id":"g","file_unique_id":"g","mime_type":"video/mp4"}}}`,
		`{"update_id":8,"message":{"message_id":8,"date":1,"chat":{"id":-100,"type":"group","title":"Runners"},"from":{"id":501,"is_bot":false,"first_name":"A"},"text":"/start"}}`,
		`{"update_id":9,"edited_message":{"message_id":1,"date":1,"chat":{"id":501,"type":"private"},"text":"x"}}`,
		`{"update_id":10,"message":{"message_id":10,"date":1,"chat":{"id":503,"type":"private"},"text":"no sender"}}`,
		`{"update_id":11,"callback_query":{"id":"cb3","from":{"id":501,"is_bot":false,"first_name":"A"},"data":"","message":{"message_id":3,"date":1,"chat":{"id":501,"type":"channel"}}}}`,
		`{}`, `[]`, `null`, `{"update_id":"x"}`, `{"update_id":12,"message":{"message_id":"seven"}}`,
	} {
		f.Add([]byte(s))
	}
	tg := tgfake.New(f)
	ev, err := event.Default()
	if err != nil {
		f.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		f.Fatal(err)
	}
	store, err := storage.Open(filepath.Join(f.TempDir(), "bot.db"), storage.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	conv := flows.New(flows.Config{Store: store, Event: ev, Catalog: cat, Now: func() time.Time { return testNow }})
	rec := &recorder{Engine: bot.NewEngine(conv, log)}
	b, err := telegram.New(context.Background(), telegram.Config{
		Token: tg.Token, Endpoint: tg.Endpoint(), WebhookURL: "https://bot.example.kz/telegram/hook", WebhookSecret: "fuzz",
		Engine: rec, Reach: conv, Keyboards: conv, Catalog: cat, Log: log, Backoff: time.Millisecond, Attempts: 1,
	})
	if err != nil {
		f.Fatal(err)
	}
	mux := http.NewServeMux()
	b.Register(mux)
	f.Fuzz(func(t *testing.T, body []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/telegram/hook", bytes.NewReader(body))
		req.Header.Set(telegram.SecretHeader, "fuzz")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		if ctx.Err() != nil {
			t.Fatalf("%s: not handled in 10 s", body)
		}
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Fatalf("%s: answered %d", body, w.Code)
		}
		for _, m := range rec.take() {
			set := 0
			file := m.Document != nil || m.Photo != nil
			// A file's caption is its text.
			for _, v := range []bool{m.Text != "" && !file, m.Payload != "", m.Phone != "", m.NonText, m.Document != nil, m.Photo != nil} {
				if v {
					set++
				}
			}
			if m.Channel != telegram.Channel || !decimal.MatchString(m.UserID) || set != 1 {
				t.Fatalf("%s: handed the conversation %+v", body, m)
			}
		}
		if l := logs.String(); strings.Contains(l, "panic") {
			t.Fatalf("%s: the adapter panicked:\n%s", body, l)
		}
	})
}
