// Package console is the terminal channel: each line read is one message
// from one user, replies are written as text with choices as a numbered
// list. It drives the same flows as the messengers, interactively or
// from piped input, which makes it the tool for trying and testing them.
//
// Files go both ways: a line "/file PATH" sends the file as a document
// (a results CSV), "/photo PATH" as a photo (an online-run screenshot);
// a file the bot sends (a diploma) is written to FilesDir and its path
// printed.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

// Channel is the channel name of console users.
const Channel = "console"

// Engine answers messages; *bot.Engine is one.
type Engine interface {
	// Dispatch queues msg behind the same user's earlier messages and
	// returns at once; deliver gets the answer.
	Dispatch(ctx context.Context, msg dialog.Message, deliver func(flows.Answer))
}

// Questions tells the question a user is on; *flows.Flows is one.
type Questions interface {
	// Current is the question, asked again, changing nothing.
	Current(ctx context.Context, channel, userID string) (dialog.Reply, error)
}

// Chat is one console conversation.
type Chat struct {
	Engine Engine
	// Questions shows, at the start, the question the user is on.
	Questions Questions
	User      string
	In        io.Reader
	Out       io.Writer
	// Prompt, when set, is written before each line is read (for a
	// terminal; piped input gets none).
	Prompt string
	// FilesDir is where files the bot sends are written
	// (DATA_DIR/files); empty: they are only named.
	FilesDir string

	// mu keeps pushes from cutting into a reply on Out.
	mu      sync.Mutex
	waiting bool
}

// Run shows the question the user is on, then answers each line until
// the input ends or ctx is done.
func (c *Chat) Run(ctx context.Context) error {
	cur, err := c.Questions.Current(ctx, Channel, c.User)
	if err != nil {
		return err
	}
	if err := c.write(cur); err != nil {
		return err
	}
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		r := bufio.NewReader(c.In)
		for {
			line, err := r.ReadString('\n')
			if line != "" || err == nil {
				select {
				case lines <- strings.TrimRight(line, "\r\n"):
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				readErr <- err
				return
			}
		}
	}()
	for {
		c.prompt()
		select {
		case <-ctx.Done():
			return nil
		case err := <-readErr:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read input: %w", err)
		case line := <-lines:
			c.mu.Lock()
			c.waiting = false
			c.mu.Unlock()
			msg := dialog.Message{Channel: Channel, UserID: c.User, Text: line, Numbered: true}
			if !c.attach(&msg) {
				continue
			}
			// The next line is read once this one is answered.
			answered := make(chan flows.Answer, 1)
			c.Engine.Dispatch(ctx, msg, func(a flows.Answer) { answered <- a })
			var a flows.Answer
			select {
			case a = <-answered:
			case <-ctx.Done():
				return nil
			}
			for _, r := range a.Replies {
				if err := c.write(r); err != nil {
					return err
				}
			}
		}
	}
}

// attach turns "/file PATH" and "/photo PATH" into a message carrying
// the file, as a messenger would hand it in: over flows.MaxAttachment,
// without its bytes. It reports false, having said why, when the file
// cannot be read.
func (c *Chat) attach(msg *dialog.Message) bool {
	cmd, path, _ := strings.Cut(strings.TrimSpace(msg.Text), " ")
	if cmd != "/file" && cmd != "/photo" {
		return true
	}
	path = strings.TrimSpace(path)
	st, err := os.Stat(path)
	var data []byte
	if err == nil && st.Size() <= flows.MaxAttachment {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		c.mu.Lock()
		fmt.Fprintf(c.Out, "console: cannot send %q: %v\n\n", path, err)
		c.mu.Unlock()
		return false
	}
	a := &dialog.Attachment{Name: filepath.Base(path), MIME: mime.TypeByExtension(filepath.Ext(path)), Data: data}
	msg.Text = ""
	if cmd == "/photo" {
		msg.Photo = a
	} else {
		msg.Document = a
	}
	return true
}

// write renders a reply, never in the middle of a push, and saves the
// file it carries.
func (c *Chat) write(r dialog.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := Render(c.Out, r); err != nil {
		return err
	}
	line, err := c.save(r.Document)
	if err != nil {
		return err
	}
	_, err = io.WriteString(c.Out, line)
	return err
}

// save writes a file the bot sent to FilesDir and returns the line that
// shows where; "" for no file.
func (c *Chat) save(d *dialog.Document) (string, error) {
	if d == nil {
		return "", nil
	}
	name := filepath.Base(d.Name)
	if c.FilesDir == "" {
		return fmt.Sprintf("[file %s, %d bytes]\n\n", name, len(d.Data)), nil
	}
	if err := os.MkdirAll(c.FilesDir, 0o700); err != nil {
		return "", fmt.Errorf("files directory: %w", err)
	}
	path := filepath.Join(c.FilesDir, name)
	if err := os.WriteFile(path, d.Data, 0o600); err != nil {
		return "", fmt.Errorf("save %s: %w", name, err)
	}
	return fmt.Sprintf("[file %s: %s]\n\n", d.MIME, path), nil
}

func (c *Chat) prompt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Prompt != "" {
		fmt.Fprint(c.Out, c.Prompt)
	}
	c.waiting = true
}

// Push shows a push to console user userID between replies: the chat's
// own user's as it is, another console user's under "@name". Its choices
// are listed without numbers, since a number answers the current
// question; typing a choice's label works from any step.
func (c *Chat) Push(userID string, r dialog.Reply) error {
	var b strings.Builder
	if userID != c.User {
		fmt.Fprintf(&b, "@%s:\n", userID)
	}
	b.WriteString(r.Text)
	b.WriteByte('\n')
	for _, l := range r.Links {
		fmt.Fprintf(&b, "%s: %s\n", l.Label, l.URL)
	}
	for _, ch := range r.Choices {
		fmt.Fprintf(&b, "  • %s\n", ch.Label)
	}
	b.WriteByte('\n')
	c.mu.Lock()
	defer c.mu.Unlock()
	line, err := c.save(r.Document)
	if err != nil {
		return err
	}
	out := b.String() + line
	if c.waiting && c.Prompt != "" {
		out = "\n" + out + c.Prompt
	}
	_, err = io.WriteString(c.Out, out)
	return err
}

// Sender delivers the console channel's pushes into a running chat; the
// outbox worker of channel "console" sends through it.
type Sender struct{ Chat *Chat }

// Send shows the push in the chat.
func (s Sender) Send(_ context.Context, userID string, r dialog.Reply) error {
	return s.Chat.Push(userID, r)
}

// Render writes one reply: its text, its links and its choices numbered
// from 1, then a blank line.
func Render(w io.Writer, r dialog.Reply) error {
	var b strings.Builder
	b.WriteString(r.Text)
	b.WriteByte('\n')
	for _, l := range r.Links {
		fmt.Fprintf(&b, "%s: %s\n", l.Label, l.URL)
	}
	for i, c := range r.Choices {
		fmt.Fprintf(&b, "  %d) %s\n", i+1, c.Label)
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}
