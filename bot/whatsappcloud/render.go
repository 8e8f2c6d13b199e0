package whatsappcloud

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/runforautism/rfabot/dialog"
)

// The Cloud API's documented limits on what this transport sends.
const (
	maxText        = 4096 // text.body
	maxButtons     = 3    // reply buttons in one message
	maxButtonTitle = 20
	maxButtonID    = 256
	maxButtonBody  = 1024 // body of a reply-buttons message
	maxRows        = 10   // rows over all sections of a list message
	maxRowTitle    = 24
	maxRowID       = 200
	maxListButton  = 20 // the label of the button that opens the list
	maxListBody    = 4096
	maxTemplateArg = 1024 // a body variable of a template (see docs/WHATSAPP.md)
)

// outMessage is the body of POST /{phone-number-id}/messages.
type outMessage struct {
	Product       string       `json:"messaging_product"`
	RecipientType string       `json:"recipient_type"`
	To            string       `json:"to"`
	Type          string       `json:"type"`
	Text          *textBody    `json:"text,omitempty"`
	Interactive   *interactive `json:"interactive,omitempty"`
	Template      *template    `json:"template,omitempty"`
	Image         *media       `json:"image,omitempty"`
	Document      *media       `json:"document,omitempty"`
}

type textBody struct {
	Body string `json:"body"`
}

type interactive struct {
	Type string `json:"type"` // "button" or "list"
	Body struct {
		Text string `json:"text"`
	} `json:"body"`
	Action action `json:"action"`
}

type action struct {
	Buttons  []button  `json:"buttons,omitempty"`
	Button   string    `json:"button,omitempty"`
	Sections []section `json:"sections,omitempty"`
}

type button struct {
	Type  string `json:"type"` // "reply"
	Reply struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"reply"`
}

type section struct {
	Rows []row `json:"rows"`
}

type row struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type template struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
	Components []component `json:"components,omitempty"`
}

type component struct {
	Type       string      `json:"type"`
	Parameters []parameter `json:"parameters"`
}

type parameter struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type media struct {
	ID       string `json:"id"`
	Filename string `json:"filename,omitempty"`
}

// body is a reply's text with its links, "label: url", one a line: the
// Cloud API's URL buttons exist only in templates.
func body(r dialog.Reply) string {
	var b strings.Builder
	b.WriteString(r.Text)
	if len(r.Links) > 0 {
		b.WriteString("\n")
		for _, l := range r.Links {
			fmt.Fprintf(&b, "\n%s: %s", l.Label, l.URL)
		}
	}
	return b.String()
}

// numbered is body with the choices numbered from 1, for the user to
// answer with the number or the label.
func numbered(r dialog.Reply) string {
	var b strings.Builder
	b.WriteString(body(r))
	if len(r.Choices) > 0 {
		b.WriteString("\n")
		for i, c := range r.Choices {
			fmt.Fprintf(&b, "\n%d) %s", i+1, c.Label)
		}
	}
	return b.String()
}

// render writes a reply as a Cloud API message to to: up to 3 choices
// as reply buttons, up to 10 as a list message opened by listButton,
// and more, or labels too long for either, as a numbered list in the
// text. A choice's payload is its id, which comes back as the button
// or row the user picked.
func render(to string, r dialog.Reply, listButton string) outMessage {
	text := body(r)
	n := len(r.Choices)
	switch {
	case n == 0:
	case n <= maxButtons && fits(r.Choices, maxButtonTitle, maxButtonID) && runes(text) <= maxButtonBody:
		m := interactive{Type: "button"}
		m.Body.Text = text
		for _, c := range r.Choices {
			var b button
			b.Type, b.Reply.ID, b.Reply.Title = "reply", choiceID(c), c.Label
			m.Action.Buttons = append(m.Action.Buttons, b)
		}
		return outMessage{To: to, Type: "interactive", Interactive: &m}
	case n <= maxRows && fits(r.Choices, maxRowTitle, maxRowID) && runes(text) <= maxListBody && runes(listButton) <= maxListButton:
		m := interactive{Type: "list", Action: action{Button: listButton}}
		m.Body.Text = text
		s := section{}
		for _, c := range r.Choices {
			s.Rows = append(s.Rows, row{ID: choiceID(c), Title: c.Label})
		}
		m.Action.Sections = []section{s}
		return outMessage{To: to, Type: "interactive", Interactive: &m}
	default:
		text = numbered(r)
	}
	return outMessage{To: to, Type: "text", Text: &textBody{Body: cut(text, maxText)}}
}

// template is a push as template name in language code, its text in
// the body's one variable. WhatsApp refuses a variable with new lines,
// tabs or more than four spaces in a row, so those become single spaces.
func templateMessage(to, name, code string, r dialog.Reply) outMessage {
	t := &template{Name: name}
	t.Language.Code = code
	arg := cut(strings.Join(strings.Fields(body(r)), " "), maxTemplateArg)
	t.Components = []component{{Type: "body", Parameters: []parameter{{Type: "text", Text: arg}}}}
	return outMessage{To: to, Type: "template", Template: t}
}

// choiceID is what identifies a choice when it comes back: its payload,
// or its label when it has none.
func choiceID(c dialog.Choice) string {
	if c.Payload != "" {
		return c.Payload
	}
	return c.Label
}

// fits reports whether every choice has a label of at most title
// characters and an id of at most id, and the ids differ.
func fits(cs []dialog.Choice, title, id int) bool {
	seen := map[string]bool{}
	for _, c := range cs {
		cid := choiceID(c)
		if c.Label == "" || runes(c.Label) > title || runes(cid) > id || seen[cid] {
			return false
		}
		seen[cid] = true
	}
	return true
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// cut shortens s to at most n characters, ending it with "…" when cut.
func cut(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
