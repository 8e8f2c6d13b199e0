package flows

import (
	"cmp"
	"strings"

	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/locales"
)

// Help-flow payloads.
const (
	payHandoff     = "sup:call"
	paySupportBack = "sup:back"
)

// inHelp reports whether s is a screen of the help flow.
func inHelp(s Step) bool { return s == StepSupport || s == StepSupportHandoff }

// openHelp shows the crisis or the support answer at once, from
// wherever the user is, and remembers where that was so they can go
// back. lang is the language the message was written in; it is the
// answer's language when the user has not chosen one yet. A crisis
// answer is never turned back into the support answer while the user
// stays in the help flow. Only a counter is stored: day, language and
// kind.
func (t *turn) openHelp(c distress.Level, lang string) error {
	s := t.session()
	if t.u.Lang == "" {
		switch {
		case locales.Supported(lang):
			t.u.Lang = lang
		case locales.Supported(t.msg.LangHint):
			t.u.Lang = t.msg.LangHint
		default:
			t.u.Lang = "ru"
		}
		s.SupportReturn = StepMenu
	} else if !inHelp(s.Step) {
		s.SupportReturn = s.Step
		if s.SupportReturn == "" || s.SupportReturn == StepLang && s.Return == "" {
			s.SupportReturn = StepMenu
		}
	}
	counted := !inHelp(s.Step) || (c >= distress.Possible && !s.Crisis)
	if c >= distress.Possible {
		s.Crisis = true
	}
	t.goTo(StepSupport)
	if !counted {
		return nil
	}
	day := t.now.In(t.ev.Location()).Format("2006-01-02")
	return t.tx.CountSupport(day, t.u.Lang, c.Kind())
}

// leaveHelp forgets the help flow's state once the user is elsewhere.
func (t *turn) leaveHelp() {
	if s := t.session(); !inHelp(s.Step) {
		s.SupportReturn = ""
		s.Crisis = false
	}
}

// askSupport is the crisis answer or the support answer: a warm first
// line, the numbers at once, what to do in immediate danger, a person
// from the team if one is configured, and the way back. One screen.
func askSupport(t *turn) (Reply, error) {
	s := t.session()
	var b strings.Builder
	var lines []event.Resource
	if s.Crisis {
		b.WriteString(t.T("crisis_intro"))
		lines = t.ev.Support.Of(event.KindCrisis, event.KindHelpline)
	} else {
		b.WriteString(t.T("support_intro"))
		lines = t.ev.Support.Of(event.KindHelpline, event.KindSupport, event.KindAutism)
	}
	r := Reply{}
	for _, res := range lines {
		b.WriteString("\n" + t.resourceLine(res))
		if res.Link != "" {
			r.Links = append(r.Links, Link{Label: res.Name.In(t.u.Lang), URL: res.Link})
		}
	}
	if s.Crisis {
		b.WriteString("\n\n" + t.T("crisis_danger"))
	} else {
		b.WriteString("\n\n" + t.T("support_danger"))
	}
	if t.supportChat != "" {
		b.WriteString("\n" + t.T("handoff_line"))
		r.Choices = append(r.Choices, t.choice("handoff_offer", payHandoff))
	}
	if ret := s.SupportReturn; ret != "" && ret != StepMenu {
		r.Choices = append(r.Choices, t.choice("support_back", paySupportBack))
	}
	r.Choices = append(r.Choices, t.choice("back_to_menu", payMenu))
	r.Text = b.String()
	return r, nil
}

// resourceLine is one resource on one line: the number first, so a
// phone makes it tappable, then what it is, hours and languages.
func (t *turn) resourceLine(r event.Resource) string {
	lang := t.u.Lang
	line := r.Name.In(lang) + ": " + r.What.In(lang)
	if contact := cmp.Or(r.Phone, r.Link); contact != "" {
		line = contact + " — " + line
	}
	var extra []string
	if !r.Hours.IsZero() {
		extra = append(extra, r.Hours.In(lang))
	}
	if len(r.Languages) > 0 {
		names := make([]string, len(r.Languages))
		for i, l := range r.Languages {
			names[i] = t.T("language_" + l)
		}
		extra = append(extra, strings.Join(names, ", "))
	}
	if len(extra) > 0 {
		line += " (" + strings.Join(extra, "; ") + ")"
	}
	return "• " + line
}

func handleSupport(t *turn, in input) error {
	s := t.session()
	switch in.payload {
	case payHandoff:
		if t.supportChat == "" {
			return invalid("pick_button")
		}
		t.goTo(StepSupportHandoff)
	case paySupportBack:
		t.goTo(cmp.Or(s.SupportReturn, StepMenu))
	case payMenu:
		t.goTo(StepMenu)
	default:
		// A person in the help flow who writes more gets the numbers
		// again, with a word on what a bot can do, never "choose a
		// button".
		t.note("support_bot_only")
	}
	return nil
}

// askHandoff asks which number a person from the team may call. Asking
// is the consent: nothing is passed on until the user gives a number.
func askHandoff(t *turn) (Reply, error) {
	r := t.askPhone(t.T("handoff_ask"))
	r.Choices = append(r.Choices, t.choice("back", payBack))
	return r, nil
}

// handleHandoff queues the call-back request for the volunteers' chat:
// the number the user chose and their language, never what they wrote.
// One request per user and day reaches the chat.
func handleHandoff(t *turn, in input) error {
	switch {
	case in.payload == payBack || t.supportChat == "":
		t.goTo(StepSupport)
		return nil
	case in.payload != payKnownTel && in.phone == "" && in.text == "":
		return invalid("pick_button")
	}
	phone, err := t.answerPhone(in)
	if err != nil {
		return err
	}
	blocks := make([]string, len(locales.Languages))
	for i, l := range locales.Languages {
		blocks[i] = t.cat.T(l, "handoff_push", map[string]any{
			"Phone": formatPhone(phone), "Language": t.cat.T(l, "language_"+t.u.Lang, nil),
		})
	}
	day := t.now.In(t.ev.Location()).Format("2006-01-02")
	queued, err := t.tx.Enqueue(&Push{
		Key:     "handoff:" + t.u.Key + ":" + day,
		UserKey: "telegram:" + t.supportChat,
		Kind:    "handoff",
		Reply:   Reply{Text: strings.Join(blocks, "\n\n")},
		Created: t.now,
	})
	if err != nil {
		return err
	}
	if queued {
		t.note("handoff_done", "Phone", formatPhone(phone))
	} else {
		t.note("handoff_already")
	}
	t.goTo(StepSupport)
	return nil
}
