package whatsapp

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

// recorder is an Engine that keeps the messages it gets and answers
// each with a diploma.
type recorder struct {
	mu   sync.Mutex
	msgs []dialog.Message
}

func (r *recorder) Dispatch(_ context.Context, m dialog.Message, deliver func(flows.Answer)) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	deliver(flows.Answer{Replies: []dialog.Reply{{Text: "Here is the diploma", Document: &dialog.Document{Name: "diploma-RFA-7K2Q.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.3")}}}})
}

func withMessage(m *waE2E.Message) *events.Message {
	e := textFrom(parent, "")
	e.Message = m
	return e
}

// TestFilesIn turns pictures and documents into the flows' Photo and
// Document, with their captions; a file over the limit or one that
// fails to download comes without its bytes. The reply's diploma goes
// as a document.
func TestFilesIn(t *testing.T) {
	client := &fakeClient{files: map[string][]byte{"/v/photo": []byte("\x89PNG screenshot"), "/v/csv": []byte("bib;time\n")}}
	rec := &recorder{}
	a := &Adapter{Client: client, Engine: rec, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	msgs := []*waE2E.Message{
		{ImageMessage: &waE2E.ImageMessage{DirectPath: proto.String("/v/photo"), Mimetype: proto.String("image/png"),
			FileLength: proto.Uint64(16), Caption: proto.String("my 5k")}},
		{DocumentWithCaptionMessage: &waE2E.FutureProofMessage{Message: &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
			DirectPath: proto.String("/v/csv"), Mimetype: proto.String("text/csv"), FileName: proto.String("results.csv"), FileLength: proto.Uint64(9)}}}},
		{DocumentMessage: &waE2E.DocumentMessage{DirectPath: proto.String("/v/big"), FileName: proto.String("big.csv"),
			FileLength: proto.Uint64(flows.MaxAttachment + 1)}},
		{ImageMessage: &waE2E.ImageMessage{DirectPath: proto.String("/v/lost"), FileLength: proto.Uint64(100)}},
	}
	for _, m := range msgs {
		a.HandleEvent(context.Background(), withMessage(m))
	}
	a.Wait()
	if len(rec.msgs) != 4 {
		t.Fatalf("%d messages dispatched", len(rec.msgs))
	}
	if p := rec.msgs[0].Photo; p == nil || string(p.Data) != "\x89PNG screenshot" || p.MIME != "image/png" || rec.msgs[0].Text != "my 5k" || rec.msgs[0].NonText {
		t.Errorf("picture: %+v", rec.msgs[0])
	}
	if d := rec.msgs[1].Document; d == nil || d.Name != "results.csv" || string(d.Data) != "bib;time\n" || rec.msgs[1].NonText {
		t.Errorf("document with caption: %+v", rec.msgs[1])
	}
	if d := rec.msgs[2].Document; d == nil || d.Data != nil || d.Name != "big.csv" {
		t.Errorf("a file over the limit: %+v", d)
	}
	if p := rec.msgs[3].Photo; p == nil || p.Data != nil {
		t.Errorf("a failed download: %+v", p)
	}
	for _, c := range client.calls {
		if c == "download /v/big" {
			t.Error("a file over the limit was downloaded")
		}
	}
	// Each answer: the text, then the diploma uploaded and sent as a
	// document with its name.
	if len(client.uploads) != 4 || client.uploads[0] != "WhatsApp Document Keys 8 bytes" {
		t.Fatalf("uploads %q", client.uploads)
	}
	if len(client.msgs) != 8 || client.msgs[0].GetConversation() != "Here is the diploma" {
		t.Fatalf("sent %d messages", len(client.msgs))
	}
	doc := client.msgs[1].GetDocumentMessage()
	if doc.GetFileName() != "diploma-RFA-7K2Q.pdf" || doc.GetMimetype() != "application/pdf" || doc.GetDirectPath() != "/v/up" || doc.GetFileLength() != 8 {
		t.Errorf("diploma sent as %v", doc)
	}
}

// TestPushWithPicture sends a push carrying a picture as an image.
func TestPushWithPicture(t *testing.T) {
	client := &fakeClient{}
	s := &Sender{Client: client, Pacer: NewPacer(0)}
	var _ bot.Sender = s
	err := s.Send(context.Background(), parent, dialog.Reply{Text: "proof", Document: &dialog.Document{Name: "proof.png", MIME: "image/png", Data: []byte("\x89PNG")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(client.msgs) != 2 || client.msgs[1].GetImageMessage().GetMimetype() != "image/png" || client.uploads[0] != "WhatsApp Image Keys 4 bytes" {
		t.Fatalf("sent %v, uploads %q", client.msgs, client.uploads)
	}
	if to := types.NewJID(parent, types.DefaultUserServer); client.calls[0] != "send "+to.String() {
		t.Errorf("calls %q", client.calls)
	}
}
