package whatsapp

import (
	"strconv"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/bot/chattest"
)

// The conversations every WhatsApp transport runs, through whatsmeow's
// fake: choices are picked by typing their number.
func TestConversations(t *testing.T) {
	for _, c := range chattest.Conversations {
		t.Run(c.Name, func(t *testing.T) {
			e := newEnv(t)
			for i, s := range c.Steps {
				say := s.Say
				if say == "" {
					say = strconv.Itoa(s.Pick)
				}
				e.feed(textFrom(c.From, say))
				_, texts := e.client.take()
				if want := chattest.Lead(e.cat, c.Lang, s.Want); !strings.Contains(strings.Join(texts, "\n"), want) {
					t.Fatalf("step %d (%q): sent %q, want %q", i, say, texts, want)
				}
			}
		})
	}
}
