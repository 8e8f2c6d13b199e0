package flows

import (
	"slices"
	"strings"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
)

// payFAQ prefixes the id of a question in its button's payload.
const payFAQ = "faq:"

// faqChoices are the event file's questions as buttons.
func (t *turn) faqChoices() []dialog.Choice {
	var out []dialog.Choice
	for _, q := range t.faqs() {
		out = append(out, dialog.Choice{Label: q.Question.In(t.u.Lang), Payload: payFAQ + q.ID})
	}
	return out
}

// faqs are the event file's questions that have an answer: the
// contacts entry is left out while the file sets no contacts (and the
// entry no answer of its own), rather than answer that there are none.
func (t *turn) faqs() []event.FAQ {
	var out []event.FAQ
	for _, q := range t.ev.FAQ {
		if q.Answer.IsZero() && q.Include == event.IncludeContacts && t.ev.Contacts.IsZero() {
			continue
		}
		out = append(out, q)
	}
	return out
}

// askFAQ lists the questions; the answer to the last one asked stands
// above it.
func askFAQ(t *turn) (dialog.Reply, error) {
	r := dialog.Reply{Text: t.T("faq_ask"), Choices: t.faqChoices()}
	r.Choices = append(r.Choices, t.choice("menu_info", payInfo), t.choice("back_to_menu", payMenu))
	return r, nil
}

// showFAQ puts the answer to question id above the list of questions.
func (t *turn) showFAQ(id string) error {
	for _, q := range t.faqs() {
		if q.ID == id {
			t.notes = append(t.notes, t.faqAnswer(q))
			t.goTo(StepFAQ)
			return nil
		}
	}
	return invalid("pick_button")
}

// faqAnswer is a question, its answer and the facts it includes.
func (t *turn) faqAnswer(q event.FAQ) string {
	ev, lang := t.ev, t.u.Lang
	parts := []string{q.Question.In(lang)}
	if !q.Answer.IsZero() {
		parts = append(parts, q.Answer.In(lang))
	}
	switch q.Include {
	case event.IncludeKit:
		parts = append(parts, t.T("info_kit", "Contents", ev.Kit.Contents.In(lang), "Place", ev.Kit.Place.In(lang)))
		for _, w := range ev.Kit.Windows {
			parts = append(parts, t.T("info_kit_window", "Date", t.formatDay(w.Date), "From", w.From, "To", w.To))
		}
	case event.IncludeStartTimes:
		ds := slices.Clone(ev.Distances)
		slices.SortStableFunc(ds, func(a, b event.Distance) int { return strings.Compare(a.StartTime, b.StartTime) })
		parts = append(parts, t.formatDate(ev.Day()))
		for _, d := range ds {
			parts = append(parts, t.T("faq_start_line", "Distance", t.formatKm(d.Km), "Time", d.StartTime))
		}
		parts = append(parts, t.T("faq_start_fun", "Time", ev.FunStarts.StartTime))
	case event.IncludeFees:
		for _, d := range ev.Distances {
			parts = append(parts, t.T("faq_fee_line", "Distance", t.formatKm(d.Km), "Fee", t.formatMoney(d.Fee)))
		}
		if ev.FunStarts.Fee > 0 {
			parts = append(parts, t.T("faq_fee_fun", "Fee", t.formatMoney(ev.FunStarts.Fee)))
		} else {
			parts = append(parts, t.T("faq_fee_fun_free"))
		}
	case event.IncludePurpose:
		parts = append(parts, ev.Purpose.In(lang))
	case event.IncludeContacts:
		if !t.ev.Contacts.IsZero() {
			parts = append(parts, t.contacts())
		}
	}
	return strings.Join(parts, "\n")
}

// contacts is how to reach the organizers, as the event file says.
func (t *turn) contacts() string {
	return t.T("info_contacts", "Contacts", t.ev.Contacts.In(t.u.Lang))
}

// matchFAQ finds the question whose keywords, in any language, the text
// matches most; ties go to the question listed first.
func (t *turn) matchFAQ(text string) (event.FAQ, bool) {
	ws := distress.Normalize(text)
	faqs := t.faqs()
	best, score := -1, 0
	for i, q := range faqs {
		n := 0
		for _, k := range q.Keywords.All() {
			if ws.HasStems(k) {
				n++
			}
		}
		if n > score {
			best, score = i, n
		}
	}
	if best < 0 {
		return event.FAQ{}, false
	}
	return faqs[best], true
}

// answersQuestions are the screens of buttons where typed text is a
// question for the bot (see freeText).
var answersQuestions = map[domain.Step]bool{
	StepMenu: true, StepInfo: true, StepFAQ: true, StepMine: true, StepRegDone: true, StepFun: true, StepFunDone: true,
}

// freeText answers text typed where the bot expects a button: the
// answer of a matching question, the bot's help for "help me register",
// or else the menu and the organizers' contact. Never silence.
func (t *turn) freeText(text string) {
	if q, ok := t.matchFAQ(text); ok {
		t.notes = append(t.notes, t.faqAnswer(q))
		t.goTo(StepFAQ)
		return
	}
	if distress.AsksBotHelp(text) {
		t.botHelp()
		t.goTo(StepMenu)
		return
	}
	t.note("faq_no_match")
	if !t.ev.Contacts.IsZero() {
		t.notes = append(t.notes, t.contacts())
	}
	t.goTo(StepMenu)
}

// registerFAQ adds the questions and answers.
func registerFAQ(r *registry) {
	r.addSteps(map[domain.Step]stepDef{StepFAQ: {ask: askFAQ, handle: handleMenu}})
}
