package flows

import (
	"strings"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/locales"
)

// Menu and screen payloads.
const (
	payMenu     = "menu"
	payRegister = "m:reg"
	payFun      = "m:fun"
	payMine     = "m:my"
	payInfo     = "m:info"
	paySupport  = "m:sup"
	payLang     = "m:lang"
)

func askLang(t *turn) (dialog.Reply, error) {
	r := dialog.Reply{Text: t.allLangs("lang_ask")}
	for _, l := range t.langOrder() {
		r.Choices = append(r.Choices, dialog.Choice{Label: t.cat.T(l, "lang_name", nil), Payload: "lang:" + l})
	}
	return r, nil
}

// langOrder is the order the language question offers the languages in.
// A new user whose number is from Kazakhstan (+7 7…, known from the
// messenger) sees Russian first, the language most of them write in;
// the question is still asked. The order depends only on stored state,
// so a number typed in answer picks what the user was shown.
func (t *turn) langOrder() []string {
	if t.u.Lang != "" || !strings.HasPrefix(t.u.Phone, "+77") {
		return locales.Languages
	}
	order := []string{"ru"}
	for _, l := range locales.Languages {
		if l != "ru" {
			order = append(order, l)
		}
	}
	return order
}

func handleLang(t *turn, in input) error {
	lang, ok := strings.CutPrefix(in.payload, "lang:")
	if !ok || !locales.Supported(lang) {
		return invalid("lang_pick")
	}
	first := t.u.Lang == ""
	t.u.Lang = lang
	s := t.session()
	switch {
	case first:
		t.note("welcome")
		t.goTo(StepMenu)
		t.followStartArg()
	case s.Return != "":
		t.note("lang_set")
		t.goTo(s.Return)
	default:
		t.note("lang_set")
		t.goTo(StepMenu)
	}
	s.Return = ""
	return nil
}

func askMenu(t *turn) (dialog.Reply, error) {
	r := dialog.Reply{Text: t.T("menu_ask")}
	// While the online run takes results, its runners see how to send
	// theirs first.
	if regs, err := t.submittable(); err != nil {
		return dialog.Reply{}, err
	} else if len(regs) > 0 {
		r.Choices = append(r.Choices, t.choice("menu_online_result", payOnline))
	}
	r.Choices = append(r.Choices,
		t.choice("menu_register", payRegister),
		t.choice("menu_funstarts", payFun),
		t.choice("menu_mine", payMine),
		t.choice("menu_info", payInfo),
		t.choice("menu_support", paySupport),
		t.remindersChoice(),
		t.choice("menu_lang", payLang),
	)
	return r, nil
}

// handleMenu takes the menu's actions; screens that show a few of the
// same buttons (info, my registrations, done) share it.
func handleMenu(t *turn, in input) error {
	switch in.payload {
	case payMenu:
		t.goTo(StepMenu)
	case payRegister:
		startRegistration(t)
	case payFun, payFunAgain:
		t.goTo(StepFun)
	case payMine:
		t.goTo(StepMine)
	case payInfo:
		t.goTo(StepInfo)
	case paySupport:
		return t.openHelp(distress.Help, "")
	case payLang:
		t.session().Return = StepMenu
		t.goTo(StepLang)
	case payReminders:
		t.toggleReminders()
		t.goTo(StepMenu)
	case payOnline:
		return startSubmission(t)
	default:
		if id, ok := strings.CutPrefix(in.payload, payFAQ); ok {
			return t.showFAQ(id)
		}
		if in.text != "" {
			t.freeText(in.text)
			return nil
		}
		return invalid("pick_button")
	}
	return nil
}

func startRegistration(t *turn) {
	s := t.session()
	switch {
	case !t.ev.RegistrationOpen(t.now):
		t.note("reg_closed", "Date", t.formatDate(t.ev.Closes()))
		t.goTo(StepMenu)
	case !s.Draft.Empty():
		t.goTo(StepResume)
	default:
		s.Editing = false
		t.goTo(regFields[0].step)
	}
}

func askInfo(t *turn) (dialog.Reply, error) {
	ev, lang := t.ev, t.u.Lang
	var b strings.Builder
	b.WriteString(t.T("info_header",
		"Name", ev.Name.In(lang), "Organizer", ev.Organizer.In(lang),
		"Date", t.formatDate(ev.Day()), "Time", ev.StartTime, "Venue", ev.Venue.In(lang)))
	b.WriteString("\n\n" + t.T("info_distances"))
	for _, d := range ev.Distances {
		id := "info_distance"
		if d.Online {
			id = "info_distance_online"
		}
		b.WriteString("\n" + t.T(id, "Distance", t.formatKm(d.Km), "Fee", t.formatMoney(d.Fee),
			"Time", d.StartTime, "MinAge", d.MinAge))
	}
	b.WriteString("\n\n" + t.T("info_kit", "Contents", ev.Kit.Contents.In(lang), "Place", ev.Kit.Place.In(lang)))
	for _, w := range ev.Kit.Windows {
		b.WriteString("\n" + t.T("info_kit_window", "Date", t.formatDay(w.Date), "From", w.From, "To", w.To))
	}
	b.WriteString("\n\n" + t.T("info_registration_closes", "Date", t.formatDate(ev.Closes())))
	if !ev.Purpose.IsZero() {
		b.WriteString("\n\n" + ev.Purpose.In(lang))
	}
	if !ev.Contacts.IsZero() {
		b.WriteString("\n\n" + t.T("info_contacts", "Contacts", ev.Contacts.In(lang)))
	}
	r := dialog.Reply{Choices: t.faqChoices()}
	if len(r.Choices) > 0 {
		b.WriteString("\n\n" + t.T("info_faq"))
	}
	r.Text = b.String()
	r.Choices = append(r.Choices, t.choice("menu_register", payRegister), t.choice("back_to_menu", payMenu))
	return r, nil
}

func askResume(t *turn) (dialog.Reply, error) {
	name := t.session().Draft.Name
	id := "resume_ask"
	if name != "" {
		id = "resume_ask_named"
	}
	return dialog.Reply{Text: t.T(id, "Name", name), Choices: []dialog.Choice{
		t.choice("resume_continue", "resume:go"),
		t.choice("resume_restart", "resume:new"),
		t.choice("back_to_menu", payMenu),
	}}, nil
}

func handleResume(t *turn, in input) error {
	s := t.session()
	switch in.payload {
	case "resume:go":
		t.goTo(t.resumeStep())
	case "resume:new":
		s.Draft = domain.Draft{}
		s.Editing = false
		t.goTo(regFields[0].step)
	case payMenu:
		t.goTo(StepMenu)
	default:
		return invalid("pick_button")
	}
	return nil
}

func askDone(t *turn) (dialog.Reply, error) {
	return dialog.Reply{Text: t.T("done_next"), Choices: []dialog.Choice{
		t.choice("register_another", payRegister),
		t.choice("menu_mine", payMine),
		t.choice("back_to_menu", payMenu),
	}}, nil
}

func (t *turn) distanceName(id string) string {
	d, ok := t.ev.Distance(id)
	if !ok {
		return id
	}
	return t.formatKm(d.Km)
}

func modeName(t *turn, m event.Mode) string { return t.T("mode_" + string(m)) }

// registerMenu adds the language question, the menu and the pages it
// opens, and the commands that move around the bot.
func registerMenu(r *registry) {
	r.addSteps(map[domain.Step]stepDef{
		StepLang:    {ask: askLang, handle: handleLang},
		StepMenu:    {ask: askMenu, handle: handleMenu},
		StepInfo:    {ask: askInfo, handle: handleMenu},
		StepResume:  {ask: askResume, handle: handleResume},
		StepRegDone: {ask: askDone, handle: handleMenu},
	})
	r.addCommands(map[string]chatCommand{
		"start":  startCommand,
		"menu":   func(t *turn, _ string) error { t.goTo(StepMenu); return nil },
		"cancel": cancelCommand,
		"lang":   langCommand,
		"help":   func(t *turn, _ string) error { t.botHelp(); return nil },
	})
}

// startCommand is /start: with a deep link's payload it opens the place
// the payload names; a registration under way is offered to resume;
// otherwise the menu, welcomed.
func startCommand(t *turn, arg string) error {
	s := t.session()
	if arg != "" {
		s.StartArg = arg
		t.followStartArg()
		return nil
	}
	if inRegistration(s.Step) && !s.Draft.Empty() {
		t.goTo(StepResume)
		return nil
	}
	t.note("welcome")
	t.goTo(StepMenu)
	return nil
}

// cancelCommand is /cancel: it drops a child's sign-up under way, asks
// before a registration draft goes (as the Cancel button does), and
// opens the menu.
func cancelCommand(t *turn, _ string) error {
	s := t.session()
	switch {
	case strings.HasPrefix(string(s.Step), "fun.") && s.Step != StepFunDone:
		s.Fun.ForgetChild()
		t.note("fun_cancelled")
	case !s.Draft.Empty():
		// As the Cancel button: the draft goes only once confirmed.
		if s.Step != StepRegCancel {
			s.Return = s.Step
		}
		t.goTo(StepRegCancel)
		return nil
	}
	t.goTo(StepMenu)
	return nil
}

// langCommand is /lang: the language question, then back to where the
// user was.
func langCommand(t *turn, _ string) error {
	s := t.session()
	if s.Step != StepLang {
		s.Return = s.Step
	}
	t.goTo(StepLang)
	return nil
}
