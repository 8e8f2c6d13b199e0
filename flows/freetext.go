package flows

import (
	"slices"
	"strings"
	"unicode"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/domain"
)

// textKind is what a free-text question takes.
type textKind int

const (
	// textAnswer: a date, a phone number, a code, a child's needs.
	textAnswer textKind = iota + 1
	// textName: a person's name.
	textName
)

// freeTextSteps are the questions whose answer is typed text and may be
// stored: the name questions and the others. The layer around them
// (guardText) stands in front of each step's own validation.
var freeTextSteps = map[domain.Step]textKind{
	StepRegName: textName, StepRegEmName: textName, StepRegGuardian: textName,
	StepMyEmName: textName, StepMyTrName: textName, StepMyTrGuardian: textName,
	StepFunParent: textName, StepFunChild: textName, StepMyKidName: textName,

	StepRegBirth: textAnswer, StepRegPhone: textAnswer, StepRegEmPhone: textAnswer, StepRegPromo: textAnswer,
	StepMyEmPhone: textAnswer, StepMyTrBirth: textAnswer,
	StepFunPhone: textAnswer, StepFunBirth: textAnswer, StepFunNotes: textAnswer,
	StepMyKidBirth: textAnswer, StepMyKidNotes: textAnswer,
	StepOnlineTime: textAnswer, StepOnlineProof: textAnswer,
}

// notesStep reports whether step asks for a child's notes on support
// needs, at the sign-up or as a change: text there is about the child.
func notesStep(step domain.Step) bool { return step == StepFunNotes || step == StepMyKidNotes }

// maxNameWords is the most words a name has; a longer text at a name
// question is a sentence.
const maxNameWords = 5

// guardText stands before a free-text question's own validation. A text
// with any distress signal is never taken as an answer (in a child's
// notes, a signal the detector read as about the child is the child's): the user gets a
// kind word and the support button, and the question again. At a name
// question, a text about its writer (first-person words), longer than a
// name or with punctuation and emoji gets "Is this the name?" with the
// support button and a way to confirm; the validation message ("letters
// only") is not the answer to a farewell. It reports whether it
// answered.
func (t *turn) guardText(text string) bool {
	s := t.session()
	kind, ok := freeTextSteps[s.Step]
	switch {
	case !ok:
		return false
	case t.assessed.Signal && !t.childNotes:
		s.Offer = domain.Offer{Step: s.Step}
		t.note("support_check_signal")
		return true
	case kind != textName || s.Offer.Step == s.Step && s.Offer.Confirmed || isLink(text):
		// A link or an e-mail is for the name's own validation to refuse.
		return false
	case distress.FirstPerson(text) || distress.WordCount(text) > maxNameWords || len(strings.Fields(text)) > 1 && hasSymbols(text):
		s.Offer = domain.Offer{Step: s.Step, Name: true}
		t.note("support_check_name")
		return true
	}
	return false
}

// isLink reports whether text is one link or e-mail address.
func isLink(text string) bool {
	return len(strings.Fields(text)) == 1 && strings.ContainsAny(text, "/@")
}

// hasSymbols reports whether text has punctuation, emoji or other signs
// a name is not written with (a hyphen and an apostrophe are).
func hasSymbols(text string) bool {
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || unicode.IsMark(r):
		case r == '-' || r == '\'' || r == '’' || r == 'ʼ':
		default:
			return true
		}
	}
	return false
}

// botHelp is the bot's own help, for "help me register" and /help: it
// always carries the first line of the support answer and the support
// button, in case the help asked for is not about registration.
func (t *turn) botHelp() {
	t.note("help")
	t.notes = append(t.notes, t.T("support_intro")+" "+t.T("support_offer"))
	s := t.session()
	s.Offer = domain.Offer{Step: s.Step}
}

// ask is the question of the step the user is on, with what the step
// offers after a text it did not take: the support button first, then
// "Yes, it is the name". Both what the user is shown and what a typed
// number picks come from here.
func (t *turn) ask() (dialog.Reply, error) {
	q, err := t.def().ask(t)
	if err != nil {
		return dialog.Reply{}, err
	}
	s := t.session()
	if s.Offer.Step != s.Step {
		return q, nil
	}
	var extra []dialog.Choice
	if !slices.ContainsFunc(q.Choices, func(c dialog.Choice) bool { return c.Payload == paySupport }) {
		extra = append(extra, t.choice("menu_support", paySupport))
	}
	if s.Offer.Name && !s.Offer.Confirmed {
		extra = append(extra, t.choice("support_check_name_yes", payItIsName))
	}
	q.Choices = append(extra, q.Choices...)
	return q, nil
}

// takeOffer takes a press on a button ask added; it reports whether it
// did.
func (t *turn) takeOffer(in input) (bool, error) {
	s := t.session()
	if s.Offer.Step != s.Step {
		return false, nil
	}
	switch in.payload {
	case paySupport:
		return true, t.openHelp(distress.Help, "")
	case payItIsName:
		if !s.Offer.Name {
			return false, nil
		}
		s.Offer.Confirmed = true
		t.note("support_check_name_again")
		return true, nil
	}
	return false, nil
}

// dropOffer forgets the offer once the user is on another step.
func (t *turn) dropOffer() {
	if s := t.session(); s.Offer.Step != s.Step {
		s.Offer = domain.Offer{}
	}
}
