// Package console is the terminal channel: each line read is one message
// from one user, replies are written as text with choices as a numbered
// list. It drives the same flows as the messengers, interactively or
// from piped input, which makes it the tool for trying and testing them.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/runforautism/rfabot/flows"
)

// Channel is the channel name of console users.
const Channel = "console"

// Engine answers messages; *bot.Engine is one.
type Engine interface {
	Handle(ctx context.Context, msg flows.Message) []flows.Reply
	Current(ctx context.Context, channel, userID string) (flows.Reply, error)
}

// Chat is one console conversation.
type Chat struct {
	Engine Engine
	User   string
	In     io.Reader
	Out    io.Writer
	// Prompt, when set, is written before each line is read (for a
	// terminal; piped input gets none).
	Prompt string
	// Files is the directory where files sent with replies (CSV
	// exports, QR codes) are written, DATA_DIR/exports; the chat prints
	// their path.
	Files string

	// mu keeps pushes from cutting into a reply on Out.
	mu      sync.Mutex
	waiting bool
}

// Run shows the question the user is on, then answers each line until
// the input ends or ctx is done.
func (c *Chat) Run(ctx context.Context) error {
	cur, err := c.Engine.Current(ctx, Channel, c.User)
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
			msg := flows.Message{Channel: Channel, UserID: c.User, Text: line, Numbered: true}
			for _, r := range c.Engine.Handle(ctx, msg) {
				if err := c.write(r); err != nil {
					return err
				}
			}
		}
	}
}

// write renders a reply, never in the middle of a push. A file sent
// with it is written to Files and its path printed under the text.
func (c *Chat) write(r flows.Reply) error {
	if d := r.Document; d != nil {
		path, err := c.save(d)
		if err != nil {
			return err
		}
		r.Text += "\n📎 " + path
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return Render(c.Out, r)
}

// save writes a reply's file to the Files directory.
func (c *Chat) save(d *flows.Document) (string, error) {
	if c.Files == "" {
		return "", errors.New("console: a reply carries a file and Chat.Files is not set")
	}
	if err := os.MkdirAll(c.Files, 0o700); err != nil {
		return "", fmt.Errorf("console: create %s: %w", c.Files, err)
	}
	path := filepath.Join(c.Files, filepath.Base(d.Name))
	if err := os.WriteFile(path, d.Data, 0o600); err != nil {
		return "", fmt.Errorf("console: write %s: %w", path, err)
	}
	return path, nil
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
func (c *Chat) Push(userID string, r flows.Reply) error {
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
	out := b.String()
	if c.waiting && c.Prompt != "" {
		out = "\n" + out + c.Prompt
	}
	_, err := io.WriteString(c.Out, out)
	return err
}

// Sender delivers the console channel's pushes into a running chat; the
// outbox worker of channel "console" sends through it.
type Sender struct{ Chat *Chat }

// Send shows the push in the chat.
func (s Sender) Send(_ context.Context, userID string, r flows.Reply) error {
	return s.Chat.Push(userID, r)
}

// Render writes one reply: its text, its links and its choices numbered
// from 1, then a blank line.
func Render(w io.Writer, r flows.Reply) error {
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
