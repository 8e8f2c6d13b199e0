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
	"github.com/runforautism/rfabot/flows"
)

var _ bot.Sender = console.Sender{}

// engine is a fake Engine answering every line with a three-line reply.
type engine struct{}

func (engine) Handle(_ context.Context, m flows.Message) []flows.Reply {
	return []flows.Reply{{Text: "answer to " + m.Text + "\nsecond line\nthird line", Choices: []flows.Choice{{Label: "Menu"}}}}
}

func (engine) Current(context.Context, string, string) (flows.Reply, error) {
	return flows.Reply{Text: "question"}, nil
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
	c := &console.Chat{Engine: engine{}, User: "anna", In: inR, Out: out}
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
			if err := s.Send(context.Background(), user, flows.Reply{Text: fmt.Sprintf("push %d\nline two", i),
				Choices: []flows.Choice{{Label: "Stop reminders", Payload: "rem:off"}}}); err != nil {
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

// fileEngine answers with a CSV file and the next question.
type fileEngine struct{ engine }

func (fileEngine) Handle(_ context.Context, m flows.Message) []flows.Reply {
	return []flows.Reply{
		{Text: "All registrations", Document: &flows.Document{Name: "../registrations.csv", MIME: "text/csv", Data: []byte("\uFEFFcode\r\nRFA-7K2Q\r\n")}},
		{Text: "What next?"},
	}
}

// A file sent with a reply is written to Files and its path shown.
func TestFilesAreWrittenAndShown(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "exports")
	var out strings.Builder
	c := &console.Chat{Engine: fileEngine{}, User: "org", In: strings.NewReader("/export\n"), Out: &out, Files: dir}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "registrations.csv")
	if !strings.Contains(out.String(), "All registrations\n📎 "+path+"\n") || !strings.Contains(out.String(), "What next?") {
		t.Errorf("output:\n%s", out.String())
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "\uFEFFcode\r\nRFA-7K2Q\r\n" {
		t.Errorf("file %q, %v", b, err)
	}
	c = &console.Chat{Engine: fileEngine{}, User: "org", In: strings.NewReader("/export\n"), Out: io.Discard}
	if err := c.Run(context.Background()); err == nil {
		t.Error("a file without Files was accepted")
	}
}
