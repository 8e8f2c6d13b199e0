package flows

import (
	"cmp"
	"slices"
	"strings"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/locales"
)

// Help-flow payloads.
const (
	payHandoff     = "sup:call"
	paySupportBack = "sup:back"
	payCheckYes    = "sup:yes"
	payCheckNo     = "sup:no"
	// payItIsName confirms, after "Is this the name?", that the next
	// text at the name question is a name.
	payItIsName = "sup:name"
)

// inHelp reports whether s is a screen of the help flow.
func inHelp(s domain.Step) bool {
	return s == StepSupport || s == StepSupportHandoff || s == StepSupportCheck
}

// childWords refer to a child in a parent's notes: pronouns of the
// third person and words for a child. Not "её": its skeleton is "не".
var childWords = []string{
	"ол", "оны", "оған", "оның", "өзін", "өзіне", "өзінің", "қасында",
	"бала", "балам", "баламыз", "баланы", "баласы", "ұлым", "ұлымыз", "қызым", "қызымыз",
	"он", "она", "его", "ему", "ей", "него", "нему", "ней", "ним",
	"сын", "сына", "сыну", "дочь", "дочка", "дочери", "ребёнок", "ребёнка", "ребёнку",
	"he", "him", "his", "himself", "she", "her", "hers", "herself",
	"son", "daughter", "child", "kid", "boy", "girl",
}

// parentOfSelf reports whether notes on a child's needs speak of the
// parent who writes them ("у меня депрессия", "my anxiety is bad
// lately"): the writer in the first person, and neither the child's
// name nor a word for the child ("my son is anxious", "I will run next
// to him" are about the child).
func (t *turn) parentOfSelf(text string) bool {
	if !distress.FirstPerson(text) {
		return false
	}
	n := distress.Normalize(text)
	return !slices.ContainsFunc(append(strings.Fields(t.fun().Child), childWords...), n.Has)
}

// assess reads what the user wrote, typed or as a caption, before any
// step does: a crisis, a possible crisis or a request for help opens the
// help flow at once, in every state. Where a parent describes their
// child's needs, words naming a condition, pills or pain are about the
// child, unless the parent writes of themselves. Commands are commands
// ("/support" opens the support answer). What it found stays with the
// turn, so that no step takes a text with a distress signal for an
// answer.
func (t *turn) assess() (opened bool, err error) {
	m := t.msg
	if m.Payload != "" || m.Phone != "" || m.NonText || strings.TrimSpace(m.Text) == "" {
		return false, nil
	}
	if _, _, cmd := command(m.Text); cmd {
		return false, nil
	}
	t.childNotes = t.u.Lang != "" && notesStep(t.session().Step) && !t.parentOfSelf(m.Text)
	t.assessed = distress.Assess(m.Text, distress.Options{AboutChild: t.childNotes})
	if t.assessed.Level == distress.None {
		return false, nil
	}
	return true, t.openHelp(t.assessed.Level, t.assessed.Lang)
}

// openHelp shows the crisis answer, the check question of a possible
// crisis or the support answer at once, from wherever the user is, and
// remembers where that was so they can go back. lang is the language
// the message was written in; it is the answer's language when the
// user has not chosen one yet. A crisis answer is never turned back
// into the check question or the support answer while the user stays
// in the help flow. Only a counter is stored: day, language and kind,
// once per visit, and once more when a support visit turns into a
// crisis.
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
	crisisShown := inHelp(s.Step) && (s.Crisis || s.Step == StepSupportCheck)
	counted := !inHelp(s.Step) || (c >= distress.Possible && !crisisShown)
	switch {
	case c == distress.Crisis:
		s.Crisis = true
		t.goTo(StepSupport)
	case c == distress.Possible && !s.Crisis:
		t.goTo(StepSupportCheck)
	default:
		t.goTo(StepSupport)
	}
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
// line, the numbers at once, what to do in immediate danger, in a
// crisis an invitation to reach someone near now, a person from the
// team if one is configured, and the way back. One screen.
func askSupport(t *turn) (dialog.Reply, error) {
	s := t.session()
	var b strings.Builder
	var lines []event.Resource
	if s.Crisis {
		b.WriteString(t.T("crisis_intro"))
		lines = t.ev.Support.Of(event.KindCrisis, event.KindHelpline)
	} else {
		b.WriteString(t.T("support_intro") + " " + t.T("support_lines"))
		lines = t.ev.Support.Of(event.KindHelpline, event.KindSupport, event.KindAutism)
	}
	r := dialog.Reply{}
	for _, res := range lines {
		b.WriteString("\n" + t.resourceLine(res))
		if res.Link != "" {
			r.Links = append(r.Links, dialog.Link{Label: res.Name.In(t.u.Lang), URL: res.Link})
		}
	}
	if s.Crisis {
		b.WriteString("\n\n" + t.T("crisis_danger") + "\n" + t.T("crisis_near"))
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

// askSupportCheck is the check question of a possible crisis: short,
// direct and kind, as safe-messaging guidance asks, with the crisis
// lines already under it, so that nobody has to answer to see them.
func askSupportCheck(t *turn) (dialog.Reply, error) {
	var b strings.Builder
	b.WriteString(t.T("crisis_check_ask") + "\n\n" + t.T("crisis_check_lines"))
	r := dialog.Reply{}
	for _, res := range t.ev.Support.Of(event.KindCrisis, event.KindHelpline) {
		b.WriteString("\n" + t.resourceLine(res))
		if res.Link != "" {
			r.Links = append(r.Links, dialog.Link{Label: res.Name.In(t.u.Lang), URL: res.Link})
		}
	}
	r.Text = b.String()
	r.Choices = []dialog.Choice{
		t.choice("crisis_check_yes", payCheckYes),
		t.choice("crisis_check_no", payCheckNo),
		t.choice("back", paySupportBack),
	}
	return r, nil
}

// checkNo are the first words of a typed "no" to the check question.
var checkNo = []string{"нет", "неа", "жоқ", "no", "nope", "nah"}

// handleSupportCheck takes the answer to the check question: yes leads
// to the crisis answer, no to the support answer, Back to where the user
// was. A typed answer that is not a plain no ("yes", "не знаю",
// "maybe") gets the crisis answer: doubt is answered as a yes.
func handleSupportCheck(t *turn, in input) error {
	s := t.session()
	switch in.payload {
	case payCheckYes:
		s.Crisis = true
		t.goTo(StepSupport)
	case payCheckNo:
		t.goTo(StepSupport)
	case paySupportBack:
		t.goTo(cmp.Or(s.SupportReturn, StepMenu))
	default:
		if in.text == "" {
			return invalid("pick_button")
		}
		if distress.Normalize(in.text).First(checkNo...) {
			t.goTo(StepSupport)
			return nil
		}
		s.Crisis = true
		t.goTo(StepSupport)
	}
	return nil
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
func askHandoff(t *turn) (dialog.Reply, error) {
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
	queued, err := t.tx.Enqueue(&domain.Push{
		Key:     "handoff:" + t.u.Key + ":" + day,
		UserKey: "telegram:" + t.supportChat,
		Kind:    "handoff",
		Reply:   dialog.Reply{Text: strings.Join(blocks, "\n\n")},
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

// registerSupport adds the help flow and /support, which opens it.
func registerSupport(r *registry) {
	r.addSteps(map[domain.Step]stepDef{
		StepSupport:        {ask: askSupport, handle: handleSupport},
		StepSupportHandoff: {ask: askHandoff, handle: handleHandoff},
		StepSupportCheck:   {ask: askSupportCheck, handle: handleSupportCheck},
	})
	r.addCommands(map[string]chatCommand{
		"support": func(t *turn, _ string) error { return t.openHelp(distress.Help, "") },
	})
}
