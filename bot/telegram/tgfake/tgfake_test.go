package tgfake_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
)

// client is the real library talking to the fake.
func client(t *testing.T, s *tgfake.Server) *tgbotapi.BotAPI {
	t.Helper()
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(s.Token, s.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	if api.Self.UserName != tgfake.BotUsername || !api.Self.IsBot {
		t.Fatalf("getMe: %+v", api.Self)
	}
	return api
}

func apiErr(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		t.Fatalf("want a Bot API error, got %v", err)
	}
	return te
}

var aigerim = tgfake.User{ID: 42, FirstName: "Aigerim", LanguageCode: "ru-RU"}

func TestPollingConfirmsByOffset(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	id := s.Text(aigerim, "/start register")
	s.Contact(aigerim, "+77015556677", aigerim.ID)
	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 2 {
		t.Fatalf("getUpdates: %v %+v", err, ups)
	}
	m := ups[0].Message
	if ups[0].UpdateID != id || m.Text != "/start register" || !m.IsCommand() || m.Command() != "start" || m.CommandArguments() != "register" ||
		m.From.LanguageCode != "ru-RU" || m.Chat.Type != "private" || m.Chat.ID != aigerim.ID {
		t.Errorf("update %+v message %+v", ups[0], m)
	}
	if c := ups[1].Message.Contact; c == nil || c.UserID != aigerim.ID || c.PhoneNumber != "+77015556677" {
		t.Errorf("contact %+v", c)
	}
	if got := s.Unconfirmed(); len(got) != 2 {
		t.Errorf("unconfirmed before a higher offset: %v", got)
	}
	if ups, _ := api.GetUpdates(tgbotapi.UpdateConfig{Offset: ups[1].UpdateID + 1}); len(ups) != 0 || len(s.Unconfirmed()) != 0 {
		t.Errorf("after confirming: %+v, unconfirmed %v", ups, s.Unconfirmed())
	}
}

func TestSecondPollEndsTheFirst(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	var wg sync.WaitGroup
	var first error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, first = api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
	}()
	s.Wait(t, "the first poll", func() bool { return len(s.Offsets()) == 1 })
	second := make(chan error, 1)
	go func() {
		_, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		second <- err
	}()
	wg.Wait()
	if te := apiErr(t, first); te.Code != 409 {
		t.Errorf("first poll: %v", first)
	}
	s.Text(aigerim, "hi")
	if err := <-second; err != nil {
		t.Errorf("second poll: %v", err)
	}
}

func TestMessagesKeyboardsAndEdits(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	s.Text(aigerim, "/start")
	msg := tgbotapi.NewMessage(aigerim.ID, "Menu")
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Register", "m:reg"), tgbotapi.NewInlineKeyboardButtonURL("Rules", "https://example.org")))
	msg.ReplyMarkup = kb
	sent, err := api.Send(msg)
	if err != nil || sent.ReplyMarkup == nil || sent.From.ID != s.Bot.ID {
		t.Fatalf("send: %v %+v", err, sent)
	}
	cb, err := s.Press(aigerim, sent.MessageID, "Reg")
	if err != nil {
		t.Fatal(err)
	}
	ups, _ := api.GetUpdates(tgbotapi.UpdateConfig{Offset: cb.UpdateID})
	if len(ups) != 1 || ups[0].CallbackQuery.Data != "m:reg" || ups[0].CallbackQuery.Message.MessageID != sent.MessageID {
		t.Fatalf("press update %+v", ups)
	}
	if _, err := api.Request(tgbotapi.NewCallback(cb.ID, "")); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Answered(cb.ID); !ok {
		t.Error("answer not recorded")
	}
	if _, err := api.Request(tgbotapi.NewCallback(cb.ID, "")); apiErr(t, err).Code != 400 {
		t.Error("a callback answered twice")
	}
	same := tgbotapi.NewEditMessageText(aigerim.ID, sent.MessageID, "Menu")
	same.ReplyMarkup = &kb
	if _, err := api.Send(same); !strings.Contains(apiErr(t, err).Message, "message is not modified") {
		t.Errorf("unchanged edit: %v", err)
	}
	if _, err := api.Send(tgbotapi.NewEditMessageText(aigerim.ID, sent.MessageID, "Menu\n\n✓ Register")); err != nil {
		t.Fatal(err)
	}
	if m := s.BotMessages(aigerim.ID)[0]; m.Text != "Menu\n\n✓ Register" || m.Inline != nil || m.Edits != 1 {
		t.Errorf("edited message %+v", m)
	}
	phone := tgbotapi.NewMessage(aigerim.ID, "Phone?")
	phone.ReplyMarkup = tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact("Send my number")))
	p, err := api.Send(phone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Send(tgbotapi.NewEditMessageText(aigerim.ID, p.MessageID, "x")); !strings.Contains(apiErr(t, err).Message, "can't be edited") {
		t.Errorf("edit of a reply-keyboard message: %v", err)
	}
	long := tgbotapi.NewMessage(aigerim.ID, "x")
	long.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("x", strings.Repeat("p", 65))))
	if _, err := api.Send(long); !strings.Contains(apiErr(t, err).Message, "BUTTON_DATA_INVALID") {
		t.Errorf("65-byte callback data: %v", err)
	}
	if _, err := api.Send(tgbotapi.NewMessage(999, "who?")); !strings.Contains(apiErr(t, err).Message, "chat not found") {
		t.Errorf("a chat that never wrote: %v", err)
	}
}

func TestFailuresBlocksAndDocuments(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	s.Text(aigerim, "/start")
	s.Fail("sendMessage", 1, tgfake.Failure{Code: 429, RetryAfter: 3})
	s.Fail("sendMessage", 1, tgfake.Failure{Code: 500})
	s.Fail("sendMessage", 1, tgfake.Failure{Code: 502, NotJSON: true})
	s.Fail("sendMessage", 1, tgfake.Failure{Drop: true})
	send := func() error { _, err := api.Send(tgbotapi.NewMessage(aigerim.ID, "hello")); return err }
	if te := apiErr(t, send()); te.Code != 429 || te.RetryAfter != 3 {
		t.Errorf("429: %+v", te)
	}
	if te := apiErr(t, send()); te.Code != 500 {
		t.Errorf("500: %+v", te)
	}
	if err := send(); err == nil || errors.As(err, new(*tgbotapi.Error)) {
		t.Errorf("HTML 502 read as an API answer: %v", err)
	}
	if err := send(); err == nil {
		t.Error("dropped connection succeeded")
	}
	s.Block(aigerim.ID)
	if te := apiErr(t, send()); te.Code != 403 {
		t.Errorf("blocked: %+v", te)
	}
	s.Unblock(aigerim.ID)
	if err := send(); err != nil {
		t.Fatal(err)
	}
	doc := tgbotapi.NewDocument(aigerim.ID, tgbotapi.FileBytes{Name: "export.csv", Bytes: []byte("code,name\nRFA-7K2Q,Aigerim\n")})
	doc.Caption = "Registrations"
	if _, err := api.Send(doc); err != nil {
		t.Fatal(err)
	}
	msgs := s.BotMessages(aigerim.ID)
	d := msgs[len(msgs)-1].Document
	if len(msgs) != 2 || d == nil || d.FileName != "export.csv" || d.Caption != "Registrations" || !strings.HasPrefix(string(d.Data), "code,name") {
		t.Errorf("messages %+v", msgs)
	}
	if calls := s.Calls("sendMessage"); len(calls) != 6 || calls[0].Status != 429 || calls[3].Status != 0 || calls[5].Status != 200 {
		t.Errorf("calls %+v", calls)
	}
}

// A flood answers every call for a while, after the queued failures;
// then calls go through again.
func TestFloodForAWhile(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	s.AddChat(aigerim)
	s.Fail("sendMessage", 1, tgfake.Failure{Code: 500})
	s.FailFor("sendMessage", 300*time.Millisecond, tgfake.Failure{Code: 429, RetryAfter: 2})
	send := func() error { _, err := api.Send(tgbotapi.NewMessage(aigerim.ID, "hello")); return err }
	if te := apiErr(t, send()); te.Code != 500 {
		t.Errorf("first call: %+v, want the queued 500", te)
	}
	for range 3 {
		if te := apiErr(t, send()); te.Code != 429 || te.RetryAfter != 2 {
			t.Errorf("during the flood: %+v", te)
		}
	}
	s.Wait(t, "the flood's end", func() bool {
		calls := s.Calls("sendMessage")
		return time.Since(calls[1].At) > 300*time.Millisecond
	})
	if err := send(); err != nil {
		t.Fatalf("after the flood: %v", err)
	}
	if msgs := s.BotMessages(aigerim.ID); len(msgs) != 1 {
		t.Errorf("messages %+v", msgs)
	}
}

// allow_paid_broadcast is recorded per message; a value that is not a
// Boolean is refused, as Telegram does.
func TestPaidBroadcastIsRecorded(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	s.AddChat(aigerim)
	for _, p := range []tgbotapi.Params{
		{"chat_id": "42", "text": "free"},
		{"chat_id": "42", "text": "paid", "allow_paid_broadcast": "true"},
		{"chat_id": "42", "text": "explicitly free", "allow_paid_broadcast": "false"},
	} {
		if _, err := api.MakeRequest("sendMessage", p); err != nil {
			t.Fatal(err)
		}
	}
	_, err := api.MakeRequest("sendMessage", tgbotapi.Params{"chat_id": "42", "text": "x", "allow_paid_broadcast": "yes please"})
	if te := apiErr(t, err); te.Code != 400 {
		t.Errorf("bad flag: %+v", te)
	}
	var got []string
	for _, m := range s.BotMessages(aigerim.ID) {
		got = append(got, fmt.Sprintf("%s:%v", m.Text, m.Paid))
	}
	if want := "free:false paid:true explicitly free:false"; strings.Join(got, " ") != want {
		t.Errorf("messages %q, want %q", got, want)
	}
}

func TestWebhookDelivery(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	got := make(chan string, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get(tgfake.SecretHeader) != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		got <- string(body)
	}))
	defer hook.Close()
	if _, err := api.MakeRequest("setWebhook", tgbotapi.Params{"url": hook.URL, "secret_token": "s3cret"}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.MakeRequest("setWebhook", tgbotapi.Params{"url": hook.URL, "secret_token": "no spaces"}); err == nil {
		t.Error("a secret token with a space was taken")
	}
	id := s.Text(aigerim, "hello")
	if body := <-got; !strings.Contains(body, `"text":"hello"`) {
		t.Errorf("delivered %s", body)
	}
	s.Wait(t, "the delivery recorded", func() bool { return len(s.Deliveries()) == 1 && len(s.Unconfirmed()) == 0 })
	if d := s.Deliveries()[0]; d.UpdateID != id || d.Status != 200 {
		t.Errorf("delivery %+v", d)
	}
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); apiErr(t, err).Code != 409 {
		t.Error("getUpdates worked while a webhook is set")
	}
}

// get downloads a file path from the fake's file endpoint.
func get(t *testing.T, s *tgfake.Server, token, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(s.URL() + "/file/bot" + token + "/" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Users' documents and photos come as file ids; getFile gives their
// paths and the file endpoint their bytes, as on Telegram.
func TestUsersFiles(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	csv := []byte("Bib;Time\n1001;0:24:20\n")
	s.Document(aigerim, "итоги", tgfake.File{Name: "results.csv", MIME: "text/csv", Data: csv})
	s.Document(aigerim, "", tgfake.File{Name: "big.csv", MIME: "text/csv", Data: csv, Size: 3 << 20})
	s.Document(aigerim, "", tgfake.File{Name: "gone.csv", Data: csv, Unavailable: true})
	s.Document(aigerim, "", tgfake.File{Name: "nosize.csv", Data: csv, Size: -1})
	s.PhotoFile(aigerim, "my run", tgfake.File{Data: tgfake.SmallJPEG})
	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 5 {
		t.Fatalf("getUpdates: %v %+v", err, ups)
	}
	d := ups[0].Message.Document
	if d == nil || d.FileName != "results.csv" || d.MimeType != "text/csv" || d.FileSize != len(csv) || ups[0].Message.Caption != "итоги" {
		t.Fatalf("document %+v", d)
	}
	f, err := api.GetFile(tgbotapi.FileConfig{FileID: d.FileID})
	if err != nil || f.FileSize != len(csv) || !strings.HasPrefix(f.FilePath, "documents/") || !strings.HasSuffix(f.FilePath, ".csv") {
		t.Fatalf("getFile: %v %+v", err, f)
	}
	if code, b := get(t, s, s.Token, f.FilePath); code != 200 || !bytes.Equal(b, csv) {
		t.Errorf("download: %d %q", code, b)
	}
	if code, _ := get(t, s, "1:wrong", f.FilePath); code != 404 {
		t.Errorf("download with a wrong token: %d", code)
	}
	s.Fail(tgfake.FileDownload, 1, tgfake.Failure{Code: 500})
	if code, _ := get(t, s, s.Token, f.FilePath); code != 500 {
		t.Errorf("a failed download: %d", code)
	}
	if big := ups[1].Message.Document; big.FileSize != 3<<20 {
		t.Errorf("big document %+v", big)
	}
	gone, err := api.GetFile(tgbotapi.FileConfig{FileID: ups[2].Message.Document.FileID})
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, s, s.Token, gone.FilePath); code != 404 {
		t.Errorf("an unavailable file: %d", code)
	}
	if n := ups[3].Message.Document.FileSize; n != 0 {
		t.Errorf("file_size %d, want none", n)
	}
	if _, err := api.GetFile(tgbotapi.FileConfig{FileID: "nope"}); !strings.Contains(apiErr(t, err).Message, "invalid file_id") {
		t.Errorf("an unknown file id: %v", err)
	}
	ph := ups[4].Message
	if len(ph.Photo) != 2 || ph.Caption != "my run" || ph.Photo[1].Width != 64 || ph.Photo[1].Height != 48 || ph.Photo[0].Width != 90 {
		t.Fatalf("photo %+v", ph.Photo)
	}
	pf, err := api.GetFile(tgbotapi.FileConfig{FileID: ph.Photo[1].FileID})
	if err != nil {
		t.Fatal(err)
	}
	if code, b := get(t, s, s.Token, pf.FilePath); code != 200 || !bytes.Equal(b, tgfake.SmallJPEG) {
		t.Errorf("photo download: %d, %d bytes", code, len(b))
	}
	if got := s.Downloads(); len(got) != 5 || got[0] != f.FilePath || got[4] != pf.FilePath {
		t.Errorf("downloads %q", got)
	}
	if m := s.Messages(aigerim.ID)[4]; m.Document == nil || !m.Document.Photo || m.NonText {
		t.Errorf("recorded photo %+v", m)
	}
}

// sendPhoto takes pictures Telegram would take, and refuses others as it
// does.
func TestSendPhoto(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	s.Text(aigerim, "/start")
	sent, err := api.Send(tgbotapi.NewPhoto(aigerim.ID, tgbotapi.FileBytes{Name: "qr.png", Bytes: pngOf(t, 300, 300)}))
	if err != nil || len(sent.Photo) != 1 || sent.Photo[0].Width != 300 {
		t.Fatalf("sendPhoto: %v %+v", err, sent.Photo)
	}
	m := s.BotMessages(aigerim.ID)[0]
	if m.Document == nil || !m.Document.Photo || m.Document.FileName != "qr.png" {
		t.Errorf("recorded %+v", m)
	}
	for data, want := range map[string]string{"%PDF-1.4": "IMAGE_PROCESS_FAILED", string(pngOf(t, 2100, 100)): "PHOTO_INVALID_DIMENSIONS"} {
		_, err := api.Send(tgbotapi.NewPhoto(aigerim.ID, tgbotapi.FileBytes{Name: "x.png", Bytes: []byte(data)}))
		if !strings.Contains(apiErr(t, err).Message, want) {
			t.Errorf("sendPhoto of a bad picture: %v, want %s", err, want)
		}
	}
}
