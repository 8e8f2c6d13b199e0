package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
)

// fakePacer is a pacer on a clock that only moves when it sleeps, with
// a fixed random stretch.
func fakePacer(interval, jitter time.Duration) (p *Pacer, slept *[]time.Duration) {
	now := time.Date(2027, 5, 1, 9, 0, 0, 0, time.UTC)
	slept = &[]time.Duration{}
	p = NewPacer(interval)
	p.now = func() time.Time { return now }
	p.sleep = func(ctx context.Context, d time.Duration) error {
		*slept = append(*slept, d)
		now = now.Add(d)
		return ctx.Err()
	}
	p.jitter = func(max time.Duration) time.Duration {
		if max != interval/2 {
			panic(fmt.Sprintf("jitter up to %s, want up to half the interval", max))
		}
		return jitter
	}
	return p, slept
}

func TestPacer(t *testing.T) {
	p, slept := fakePacer(3*time.Second, 700*time.Millisecond)
	ctx := context.Background()
	for range 3 {
		if err := p.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// The first send goes at once; each next one 3 s + 0.7 s after the
	// one before.
	want := []time.Duration{3700 * time.Millisecond, 3700 * time.Millisecond}
	if fmt.Sprint(*slept) != fmt.Sprint(want) {
		t.Errorf("slept %v, want %v", *slept, want)
	}
	// After a quiet while longer than the interval, the next send is not
	// held back.
	p.now = func() time.Time { return time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC) }
	*slept = nil
	if err := p.Wait(ctx); err != nil || len(*slept) != 0 {
		t.Errorf("after a quiet hour: slept %v, err %v; want no wait", *slept, err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := p.Wait(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait on a cancelled context = %v", err)
	}
}

func TestPacerJitterStaysInRange(t *testing.T) {
	p := NewPacer(3 * time.Second)
	for range 1000 {
		if j := p.jitter(1500 * time.Millisecond); j < 0 || j > 1500*time.Millisecond {
			t.Fatalf("jitter %s outside [0, 1.5s]", j)
		}
	}
	if j := p.jitter(0); j != 0 {
		t.Errorf("jitter(0) = %s", j)
	}
}

func TestParsePushInterval(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"", DefaultPushInterval, false},
		{"5s", 5 * time.Second, false},
		{"1m", time.Minute, false},
		{"1s", time.Second, false},
		{"500ms", 0, true},
		{"3", 0, true},
		{"fast", 0, true},
	}
	for _, tt := range tests {
		got, err := ParsePushInterval(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParsePushInterval(%q) = %s, %v; want %s, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestSenderSend(t *testing.T) {
	c := &fakeClient{}
	p, slept := fakePacer(3*time.Second, 0)
	s := &Sender{Client: c, Pacer: p}
	ctx := context.Background()
	r := dialog.Reply{Text: "Напоминание", Choices: []dialog.Choice{{Label: "Меню", Payload: "menu"}}}
	if err := s.Send(ctx, parent, r); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, "999000222@lid", r); err != nil {
		t.Fatal(err)
	}
	calls, texts := c.take()
	want := []string{"send 77011234567@s.whatsapp.net", "send 999000222@lid"}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("calls %q, want %q", calls, want)
	}
	if texts[0] != "Напоминание\n\n1) Меню" {
		t.Errorf("text %q", texts[0])
	}
	if len(*slept) != 1 || (*slept)[0] != 3*time.Second {
		t.Errorf("paced %v, want one 3s wait", *slept)
	}
	if err := s.Send(ctx, "+7 701", r); !errors.Is(err, bot.ErrRejected) {
		t.Errorf("Send to a bad id = %v, want ErrRejected", err)
	}
	if calls, _ := c.take(); len(calls) != 0 {
		t.Errorf("sent to a bad id: %q", calls)
	}
}

func TestSenderErrors(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		rejected  bool
		waitFor   time.Duration
		retryable bool
	}{
		{name: "restricted number", err: fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 463), waitFor: RefusedWait},
		{name: "unknown server", err: fmt.Errorf("%w %s", whatsmeow.ErrUnknownServer, "x"), rejected: true},
		{name: "device JID", err: whatsmeow.ErrRecipientADJID, rejected: true},
		{name: "not connected", err: whatsmeow.ErrNotConnected, retryable: true},
		{name: "timed out", err: whatsmeow.ErrMessageTimedOut, retryable: true},
		{name: "not logged in", err: whatsmeow.ErrNotLoggedIn, retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := fakePacer(time.Second, 0)
			s := &Sender{Client: &fakeClient{sendErr: tt.err}, Pacer: p}
			err := s.Send(context.Background(), parent, dialog.Reply{Text: "hi"})
			if err == nil {
				t.Fatal("Send = nil")
			}
			if got := errors.Is(err, bot.ErrRejected); got != tt.rejected {
				t.Errorf("%v: ErrRejected %v, want %v", err, got, tt.rejected)
			}
			var ra *bot.RetryAfterError
			if errors.As(err, &ra) != (tt.waitFor > 0) || (ra != nil && ra.Wait != tt.waitFor) {
				t.Errorf("%v: retry after %v, want %s", err, ra, tt.waitFor)
			}
			if tt.retryable && !errors.Is(err, tt.err) {
				t.Errorf("%v does not wrap %v", err, tt.err)
			}
			if errors.Is(err, bot.ErrUnreachable) {
				t.Errorf("%v: ErrUnreachable", err)
			}
		})
	}
}

// A reply with a file goes as a document (a CSV export) or an image (a
// check-in QR code), uploaded first, with the reply's text as caption.
func TestSendDocument(t *testing.T) {
	c := &fakeClient{}
	p, _ := fakePacer(time.Second, 0)
	s := &Sender{Client: c, Pacer: p}
	csv := []byte("\uFEFFcode,name\r\nRFA-7K2Q,Әсел\r\n")
	png := []byte("\x89PNG\r\n\x1a\nfake")
	for _, r := range []dialog.Reply{
		{Text: "Барлық тіркеу", Document: &dialog.Document{Name: "registrations.csv", MIME: "text/csv", Data: csv}},
		{Text: "QR", Document: &dialog.Document{Name: "checkin-RFA-7K2Q.png", MIME: "image/png", Data: png}},
	} {
		if err := s.Send(context.Background(), parent, r); err != nil {
			t.Fatal(err)
		}
	}
	// Each reply goes as its text, then its file: a document, or an image
	// for image/* types.
	if len(c.msgs) != 4 || c.msgs[0].GetConversation() != "Барлық тіркеу" || c.msgs[2].GetConversation() != "QR" {
		t.Fatalf("messages %v", c.msgs)
	}
	wantUploads := []string{fmt.Sprintf("%s %d bytes", whatsmeow.MediaDocument, len(csv)), fmt.Sprintf("%s %d bytes", whatsmeow.MediaImage, len(png))}
	if fmt.Sprint(c.uploads) != fmt.Sprint(wantUploads) {
		t.Errorf("uploaded %q, want %q", c.uploads, wantUploads)
	}
	doc := c.msgs[1].GetDocumentMessage()
	if doc.GetFileName() != "registrations.csv" || doc.GetMimetype() != "text/csv" ||
		doc.GetURL() != "https://mmg.whatsapp.net/up" || doc.GetDirectPath() != "/v/up" || doc.GetFileLength() != uint64(len(csv)) ||
		string(doc.GetMediaKey()) != "key" || string(doc.GetFileSHA256()) != "sha" || string(doc.GetFileEncSHA256()) != "enc" {
		t.Errorf("document message %v", doc)
	}
	img := c.msgs[3].GetImageMessage()
	if img.GetMimetype() != "image/png" || img.GetFileLength() != uint64(len(png)) || img.GetDirectPath() != "/v/up" {
		t.Errorf("image message %v", img)
	}
}
