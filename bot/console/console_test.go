package console_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/console"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

var _ bot.Sender = console.Sender{}

// engine is a fake Engine answering every line with a three-line reply.
type engine struct{}

func (engine) Dispatch(_ context.Context, m dialog.Message, deliver func(flows.Answer)) {
	deliver(flows.Answer{Replies: []dialog.Reply{{Text: "answer to " + m.Text + "\nsecond line\nthird line", Choices: []dialog.Choice{{Label: "Menu"}}}}})
}

func (engine) Current(context.Context, string, string) (dialog.Reply, error) {
	return dialog.Reply{Text: "question"}, nil
}

// syncBuffer is an io.Writer safe for the chat and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestPushesDoNotCutIntoReplies sends pushes while the chat answers
// lines: every block of output is a whole reply or a whole push.
func TestPushesDoNotCutIntoReplies(t *testing.T) {
	inR, inW := io.Pipe()
	out := &syncBuffer{}
	c := &console.Chat{Engine: engine{}, Questions: engine{}, User: "anna", In: inR, Out: out}
	done := make(chan error, 1)
	go func() { done <- c.Run(context.Background()) }()
	var wg sync.WaitGroup
	wg.Go(func() {
		s := console.Sender{Chat: c}
		for i := range 50 {
			user := "anna"
			if i%5 == 0 {
				user = "bob"
			}
			if err := s.Send(context.Background(), user, dialog.Reply{Text: fmt.Sprintf("push %d\nline two", i),
				Choices: []dialog.Choice{{Label: "Stop reminders", Payload: "rem:off"}}}); err != nil {
				t.Error(err)
			}
		}
	})
	for i := range 50 {
		fmt.Fprintf(inW, "line %d\n", i)
	}
	wg.Wait()
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(strings.TrimSpace(out.String()), "\n\n")
	replies, pushes := 0, 0
	for _, b := range blocks {
		lines := strings.Split(b, "\n")
		switch {
		case b == "question":
		case strings.HasPrefix(b, "answer to line ") && len(lines) == 4 && lines[3] == "  1) Menu":
			replies++
		case strings.HasPrefix(b, "push ") && len(lines) == 3 && lines[2] == "  • Stop reminders":
			pushes++
		case strings.HasPrefix(b, "@bob:\npush ") && len(lines) == 4 && lines[3] == "  • Stop reminders":
			pushes++
		default:
			t.Errorf("garbled block:\n%s", b)
		}
	}
	if replies != 50 || pushes != 50 {
		t.Errorf("%d replies and %d pushes, want 50 each", replies, pushes)
	}
}

// fileEngine records the messages it gets and answers each with a
// diploma.
type fileEngine struct {
	mu   sync.Mutex
	msgs []dialog.Message
}

func (e *fileEngine) Dispatch(_ context.Context, m dialog.Message, deliver func(flows.Answer)) {
	e.mu.Lock()
	e.msgs = append(e.msgs, m)
	e.mu.Unlock()
	deliver(flows.Answer{Replies: []dialog.Reply{{Text: "got it", Document: &dialog.Document{Name: "../diploma-RFA-7K2Q.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.3 diploma")}}}})
}

func (*fileEngine) Current(context.Context, string, string) (dialog.Reply, error) {
	return dialog.Reply{Text: "question"}, nil
}

// TestFiles sends files with /file and /photo and saves the files the
// bot sends under FilesDir.
func TestFiles(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "results.csv")
	if err := os.WriteFile(csvPath, []byte("bib;time\n1001;0:25:13\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pngPath := filepath.Join(dir, "run.png")
	if err := os.WriteFile(pngPath, []byte("\x89PNG\r\n\x1a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bigPath := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(bigPath, make([]byte, flows.MaxAttachment+1), 0o600); err != nil {
		t.Fatal(err)
	}
	files := filepath.Join(dir, "files")
	e := &fileEngine{}
	out := &syncBuffer{}
	in := strings.Join([]string{"/file " + csvPath, "/photo " + pngPath, "/file " + filepath.Join(dir, "missing.csv"), "/file " + bigPath}, "\n") + "\n"
	c := &console.Chat{Engine: e, Questions: e, User: "org", In: strings.NewReader(in), Out: out, FilesDir: files}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(e.msgs) != 3 {
		t.Fatalf("engine got %d messages, want 3 (the missing file is not sent)", len(e.msgs))
	}
	if d := e.msgs[0].Document; d == nil || d.Name != "results.csv" || !strings.HasPrefix(d.MIME, "text/csv") ||
		string(d.Data) != "bib;time\n1001;0:25:13\n" || e.msgs[0].Text != "" || e.msgs[0].Photo != nil {
		t.Errorf("/file sent %+v", e.msgs[0])
	}
	if p := e.msgs[1].Photo; p == nil || p.Name != "run.png" || p.MIME != "image/png" || e.msgs[1].Document != nil {
		t.Errorf("/photo sent %+v", e.msgs[1])
	}
	if d := e.msgs[2].Document; d == nil || d.Data != nil || d.Name != "big.csv" {
		t.Errorf("a file over the limit went as %+v, want no bytes", d)
	}
	saved := filepath.Join(files, "diploma-RFA-7K2Q.pdf")
	b, err := os.ReadFile(saved)
	if err != nil || string(b) != "%PDF-1.3 diploma" {
		t.Fatalf("saved diploma: %q, %v", b, err)
	}
	text := out.String()
	if !strings.Contains(text, "[file application/pdf: "+saved+"]") || !strings.Contains(text, `console: cannot send "`+filepath.Join(dir, "missing.csv")+`"`) {
		t.Errorf("output:\n%s", text)
	}
}
