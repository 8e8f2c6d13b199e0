package flows_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/distress/corpus"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// screen is the help-flow screen a reply is, if any.
type screen int

const (
	otherScreen screen = iota
	supportScreen
	checkScreen
	crisisScreen
)

func (s screen) String() string {
	return [...]string{"the normal answer", "the support answer", "the check question", "the crisis answer"}[s]
}

// screenOf tells which help-flow screen r is, in lang. The check
// question counts only with the crisis lines shown under it.
func (h *harness) screenOf(r dialog.Reply, lang string) screen {
	lines := strings.Contains(r.Text, "• 112 ") && strings.Contains(r.Text, "• 150 ")
	switch {
	case strings.HasPrefix(r.Text, h.cat.T(lang, "crisis_intro", nil)) && lines:
		return crisisScreen
	case strings.HasPrefix(r.Text, h.cat.T(lang, "crisis_check_ask", nil)) && lines:
		return checkScreen
	case strings.HasPrefix(r.Text, h.cat.T(lang, "support_intro", nil)) && strings.Contains(r.Text, "• 150 "):
		return supportScreen
	}
	return otherScreen
}

// caught reports whether a message expecting expect got its answer: a
// crisis or a possible crisis the crisis answer or the check question
// (its lines shown), a request for help the support answer.
func caught(expect string, s screen) bool {
	switch expect {
	case corpus.Crisis, corpus.Possible:
		return s >= checkScreen
	case corpus.Help:
		return s == supportScreen
	}
	return s < checkScreen
}

// backFrom is the label of the button that leaves screen s for where
// the user was.
func (h *harness) backFrom(s screen, lang string) string {
	if s == checkScreen {
		return h.cat.T(lang, "back", nil)
	}
	return h.cat.T(lang, "support_back", nil)
}

// pick chooses the button with label by typing its number, as on
// WhatsApp.
func (u *user) pick(label string) dialog.Reply {
	u.h.t.Helper()
	for i, c := range u.last.Choices {
		if strings.HasPrefix(c.Label, label) {
			return u.send(dialog.Message{Text: fmt.Sprint(i + 1), Numbered: true})
		}
	}
	u.h.t.Fatalf("%s: no option %q in %q (options %v)", u.id, label, u.last.Text, labels(u.last))
	return dialog.Reply{}
}

// tally counts, per language and kind of message, how many got their
// answer, and keeps the misses.
type tally struct {
	mu     sync.Mutex
	counts map[string][2]int
	misses []string
}

func (t *tally) add(key string, ok bool, miss string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string][2]int{}
	}
	c := t.counts[key]
	c[1]++
	if ok {
		c[0]++
	} else {
		t.misses = append(t.misses, miss)
	}
	t.counts[key] = c
}

// check prints the table and fails where a rate is under min (or,
// with max set, over it).
func (t *tally) check(tb testing.TB, limit func(key string) (rate float64, atMost bool)) {
	tb.Helper()
	keys := make([]string, 0, len(t.counts))
	for k := range t.counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		c := t.counts[k]
		rate := float64(c[0]) / float64(c[1])
		want, atMost := limit(k)
		fmt.Fprintf(&b, "%-60s %4d/%-4d %6.1f%%\n", k, c[0], c[1], 100*rate)
		if atMost && rate > want || !atMost && rate < want {
			tb.Errorf("%s: %.1f%%, want %s %.0f%%", k, 100*rate, map[bool]string{true: "at most", false: "at least"}[atMost], 100*want)
		}
	}
	tb.Logf("\n%s", b.String())
	sort.Strings(t.misses)
	if len(t.misses) > 0 && tb.Failed() {
		tb.Logf("misses:\n%s", strings.Join(t.misses, "\n"))
	}
}

// Thresholds of issue 13, in every language and from every place.
const (
	minCrisisRecall = 0.98
	minHelpRecall   = 0.95
	maxFalseCrisis  = 0.01
)

// TestHelpFlowEverywhere runs every crisis, possible-crisis and help
// message of the corpus through the conversation from a first message,
// from the name question of a registration, from the parent's name
// question of the Fun Starts sign-up and on a numbered channel (choices
// answered by number, as on WhatsApp), and checks in each language that
// crisis recall (a possible crisis counted only when its check question
// shows the lines) is at least 98% and help recall at least 95%. A
// message answered by the help flow leaves the user where they were,
// nothing of it taken as an answer, and a sample of users finishes the
// registration or sign-up. All conversations run at once, as many
// users would.
func TestHelpFlowEverywhere(t *testing.T) {
	const finishEvery = 10
	var tl tally
	scenarios := []struct {
		name string
		// run sends e at its place and returns what the user saw.
		run func(h *harness, u *user, e corpus.Example, finish bool) screen
	}{
		{"first message", func(h *harness, u *user, e corpus.Example, _ bool) screen {
			s := h.screenOf(u.say(e.Text), e.Lang)
			if s != otherScreen {
				if got := u.state().Lang; got != e.Lang {
					h.t.Fatalf("answered in %q, want %q", got, e.Lang)
				}
				u.do([]action{{tap: h.cat.T(e.Lang, map[bool]string{true: "back", false: "back_to_menu"}[s == checkScreen], nil), step: flows.StepMenu}})
			}
			return s
		}},
		{"first message, messenger in another language", func(h *harness, u *user, e corpus.Example, _ bool) screen {
			u.hint = other(e.Lang)
			return h.screenOf(u.say(e.Text), e.Lang)
		}},
		{"registration, name question", func(h *harness, u *user, e corpus.Example, finish bool) screen {
			u.hint = e.Lang
			u.sendAll(toBirth[:2])
			s := h.screenOf(u.say(e.Text), e.Lang)
			if s == otherScreen {
				return s
			}
			u.do([]action{{tap: h.backFrom(s, e.Lang), step: flows.StepRegName}})
			if d := u.state().Session.Draft; !d.Empty() {
				h.t.Fatalf("draft after the help flow: %+v", d)
			}
			u.do([]action{{say: "Әсел Қайратқызы", step: flows.StepRegBirth}})
			if finish {
				u.say("01.02.1995")
				u.sendAll(finishRegistration)
				if regs := u.registrations(); len(regs) != 1 || regs[0].Name != "Әсел Қайратқызы" {
					h.t.Fatalf("registration not finished after the help flow: %+v", regs)
				}
			}
			return s
		}},
		{"Fun Starts, parent's name question", func(h *harness, u *user, e corpus.Example, finish bool) screen {
			u.hint = e.Lang
			u.sendAll(toChildBirth[:3])
			s := h.screenOf(u.say(e.Text), e.Lang)
			if s == otherScreen {
				return s
			}
			u.do([]action{{tap: h.backFrom(s, e.Lang), step: flows.StepFunParent}})
			if d := u.state().Session.Fun; d.ParentName != "" {
				h.t.Fatalf("sign-up after the help flow: %+v", d)
			}
			u.sendAll(toChildBirth[3:])
			if finish {
				u.sendAll([]dialog.Message{{Text: "01.06.2018"}, {Payload: "notes:none"}, {Payload: "size:128"}, {Payload: "agree"}})
				if kids := u.children(); len(kids) != 1 || kids[0].Name != "Алуа" || kids[0].Guardian != "Дана Серікқызы" {
					h.t.Fatalf("sign-up not finished after the help flow: %+v", kids)
				}
			}
			return s
		}},
		{"numbered channel, name question", func(h *harness, u *user, e corpus.Example, _ bool) screen {
			u.hint = e.Lang
			u.send(dialog.Message{Text: "/start", Numbered: true})
			u.pick(h.cat.T(e.Lang, "menu_register", nil))
			s := h.screenOf(u.send(dialog.Message{Text: e.Text, Numbered: true}), e.Lang)
			if s == otherScreen {
				return s
			}
			u.pick(h.backFrom(s, e.Lang))
			u.send(dialog.Message{Text: "Әсел Қайратқызы", Numbered: true})
			if st := u.state(); st.Session.Step != flows.StepRegBirth || st.Session.Draft.Name != "Әсел Қайратқызы" {
				h.t.Fatalf("after the help flow by numbers: step %q, draft %+v", st.Session.Step, st.Session.Draft)
			}
			return s
		}},
	}
	type run struct {
		scenario int
		e        corpus.Example
		finish   bool
	}
	var runs []run
	examples := corpusOf(t, corpus.Crisis, corpus.Possible, corpus.Help)
	for s := range scenarios {
		for i, e := range examples {
			runs = append(runs, run{s, e, i%finishEvery == 0})
		}
	}
	h := newHarness(t, nil)
	each(t, h, runs, func(r run) string { return scenarios[r.scenario].name + ": " + r.e.Text },
		func(h *harness, i int, r run) {
			sc := scenarios[r.scenario]
			got := sc.run(h, h.user(fmt.Sprintf("u%d", i), ""), r.e, r.finish)
			kind := "crisis"
			if r.e.Expect == corpus.Help {
				kind = "help"
			}
			tl.add(fmt.Sprintf("%s %s: %s", r.e.Lang, kind, sc.name), caught(r.e.Expect, got),
				fmt.Sprintf("%s: line %d %s %q got %s", sc.name, r.e.Line, r.e.Expect, r.e.Text, got))
		})
	tl.check(t, func(key string) (float64, bool) {
		if strings.Contains(key, " help: ") {
			return minHelpRecall, false
		}
		return minCrisisRecall, false
	})
}

// TestNotDistress: ordinary messages with alarming words get the bot's
// normal answer wherever they are written, and raise a false crisis
// alarm (the crisis answer or the check question) in at most 1% of
// them in every language. The support answer is not a crisis alarm; a
// benign message that gets it is listed.
func TestNotDistress(t *testing.T) {
	var tl tally
	var supportMu sync.Mutex
	var support []string
	h := newHarness(t, nil)
	places := []struct {
		name string
		to   func(u *user)
	}{
		{"first message", func(*user) {}},
		{"menu", func(u *user) { u.say("/start") }},
		{"registration", func(u *user) { u.sendAll(toBirth) }},
		{"Fun Starts", func(u *user) { u.sendAll(toChildBirth) }},
	}
	type run struct {
		place int
		e     corpus.Example
	}
	var runs []run
	for p := range places {
		for _, e := range corpusOf(t, corpus.Benign) {
			runs = append(runs, run{p, e})
		}
	}
	each(t, h, runs, func(r run) string { return places[r.place].name + ": " + r.e.Text }, func(h *harness, i int, r run) {
		p := places[r.place]
		hint := r.e.Lang
		if p.name == "first message" {
			hint = ""
		}
		u := h.user(fmt.Sprintf("b%d", i), hint)
		p.to(u)
		reply := u.say(r.e.Text)
		s := otherScreen
		for _, l := range []string{"kk", "ru", "en"} {
			s = max(s, h.screenOf(reply, l))
		}
		tl.add(fmt.Sprintf("%s benign, no crisis alarm", r.e.Lang), s < checkScreen,
			fmt.Sprintf("%s: line %d %q got %s", p.name, r.e.Line, r.e.Text, s))
		if s == supportScreen {
			supportMu.Lock()
			support = append(support, fmt.Sprintf("%s: line %d %q", p.name, r.e.Line, r.e.Text))
			supportMu.Unlock()
		}
	})
	tl.check(t, func(string) (float64, bool) { return 1 - maxFalseCrisis, false })
	if len(support) > 0 {
		sort.Strings(support)
		t.Logf("benign messages that got the support answer:\n%s", strings.Join(support, "\n"))
	}
}

// freeTextQuestions are the questions whose typed answer is stored, and
// how a new user reaches each.
var freeTextQuestions = func() []struct {
	step domain.Step
	to   []dialog.Message
} {
	birth := append(slices.Clone(toBirth), dialog.Message{Text: "01.02.1995"})
	phone := append(slices.Clone(birth), dialog.Message{Payload: "g:female"})
	emName := append(slices.Clone(phone), dialog.Message{Text: "87011234567"}, dialog.Message{Payload: "mode:inperson"},
		dialog.Message{Payload: "d:5k"}, dialog.Message{Payload: "cat:general"}, dialog.Message{Payload: "size:M"})
	emPhone := append(slices.Clone(emName), dialog.Message{Text: "Қайрат Әбенов"})
	promo := append(slices.Clone(emPhone), dialog.Message{Text: "87017654321"}, dialog.Message{Payload: "agree"}, dialog.Message{Payload: "reg:promo"})
	notes := append(slices.Clone(toChildBirth), dialog.Message{Text: "01.06.2018"})
	// The child's card in My registrations: its button is the first of
	// the list.
	card := append(slices.Clone(notes), dialog.Message{Payload: "notes:none"}, dialog.Message{Payload: "size:128"},
		dialog.Message{Payload: "agree"}, dialog.Message{Payload: "m:my"}, dialog.Message{Text: "1", Numbered: true})
	return []struct {
		step domain.Step
		to   []dialog.Message
	}{
		{flows.StepRegName, toBirth[:2]},
		{flows.StepRegBirth, toBirth},
		{flows.StepRegPhone, phone},
		{flows.StepRegEmName, emName},
		{flows.StepRegEmPhone, emPhone},
		{flows.StepRegPromo, promo},
		{flows.StepFunParent, toChildBirth[:3]},
		{flows.StepFunPhone, toChildBirth[:4]},
		{flows.StepFunChild, toChildBirth[:5]},
		{flows.StepFunBirth, toChildBirth},
		{flows.StepFunNotes, notes},
		{flows.StepMyKidName, append(slices.Clone(card), dialog.Message{Payload: "ck:name"})},
		{flows.StepMyKidBirth, append(slices.Clone(card), dialog.Message{Payload: "ck:birth"})},
		{flows.StepMyKidNotes, append(slices.Clone(card), dialog.Message{Payload: "ck:notes"})},
	}
}()

// childWord finds a word for a child or a third person in a message.
var childWord = regexp.MustCompile(`(?i)(^|[^\pL])(son|daughter|child|kid|he|him|his|she|her|сын\pL*|доч\pL*|реб[её]н\pL*|он|она|его|е[её]|ему|ей|бала\pL*|ұл\pL*|қыз\pL*|ол|оны|өзін)([^\pL]|$)`)

// parentsOwn are the messages that carry distress in a parent's notes
// on their child: every crisis and possible crisis, and the requests for
// help that speak of the writer and of no child ("у меня депрессия",
// "my anxiety is really bad lately"). The others ("тревога", "балам
// аутист, қайда барарымды білмеймін") name a condition where the parent
// describes the child, and are taken as the child's notes.
func parentsOwn(examples []corpus.Example) []corpus.Example {
	var out []corpus.Example
	for _, e := range examples {
		if e.Expect == corpus.Help && (!distress.FirstPerson(e.Text) || childWord.MatchString(e.Text)) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// TestDistressTextIsNeverStored sends every crisis, possible-crisis and
// help message of the corpus at every free-text question, then searches
// the database file and the log for each: none is stored as a name, a
// contact, a note or anything else. A user taken to the help flow goes
// back to the question for the next message; one whose message was
// taken is counted, and a new user reaches the question again.
func TestDistressTextIsNeverStored(t *testing.T) {
	const chunk = 40
	var log syncBuffer
	h := newHarnessWith(t, nil, func(h *harness) { h.logw = &log })
	examples := corpusOf(t, corpus.Crisis, corpus.Possible, corpus.Help)
	type run struct {
		q     int
		batch []corpus.Example
	}
	var runs []run
	for q, question := range freeTextQuestions {
		own := examples
		if question.step == flows.StepFunNotes || question.step == flows.StepMyKidNotes {
			own = parentsOwn(examples)
		}
		for i := 0; i < len(own); i += chunk {
			runs = append(runs, run{q, own[i:min(i+chunk, len(own))]})
		}
	}
	var taken tally
	each(t, h, runs, func(r run) string { return string(freeTextQuestions[r.q].step) }, func(h *harness, i int, r run) {
		q := freeTextQuestions[r.q]
		var u *user
		n := 0
		for _, e := range r.batch {
			if u == nil {
				n++
				u = h.user(fmt.Sprintf("s%d-%d", i, n), e.Lang)
				u.sendAll(q.to)
				if got := u.state().Session.Step; got != q.step {
					h.t.Fatalf("reached %q, want %q", got, q.step)
				}
			}
			reply := u.say(e.Text)
			st := u.state().Session.Step
			taken.add(fmt.Sprintf("%s: not taken as an answer", q.step), st == q.step || st == flows.StepSupport || st == flows.StepSupportCheck,
				fmt.Sprintf("%s: line %d %q taken, now at %q: %q", q.step, e.Line, e.Text, st, reply.Text))
			switch st {
			case q.step:
			case flows.StepSupport:
				u.tap(h.cat.T(u.state().Lang, "support_back", nil))
			case flows.StepSupportCheck:
				u.tap(h.cat.T(u.state().Lang, "back", nil))
			default:
				u = nil
			}
			if u != nil && u.state().Session.Step != q.step {
				h.t.Fatalf("line %d %q: not back at %q after the help flow", e.Line, e.Text, q.step)
			}
		}
	})
	taken.check(t, func(string) (float64, bool) { return 1, false })
	h.engine.Wait()
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(h.path)
	if err != nil {
		t.Fatal(err)
	}
	h.open()
	logged := log.String()
	for _, e := range examples {
		quoted, _ := json.Marshal(e.Text)
		for _, s := range slices.Compact([]string{e.Text, string(quoted[1 : len(quoted)-1])}) {
			if strings.Count(s, "") < 4 {
				continue
			}
			if strings.Contains(string(db), s) {
				t.Errorf("line %d: the database holds %q", e.Line, s)
			}
			if strings.Contains(logged, s) {
				t.Errorf("line %d: the log holds %q", e.Line, s)
			}
		}
	}
	// The test can fail: what the users answered before is stored.
	for _, s := range []string{"Әсел Қайратқызы", "Дана Серікқызы", "Қайрат Әбенов"} {
		if !strings.Contains(string(db), s) {
			t.Fatalf("the database file does not hold %q: the search is broken", s)
		}
	}
}
