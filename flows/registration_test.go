package flows_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot/bottest"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

var codePattern = regexp.MustCompile(`^RFA-[2-9A-HJ-NP-Z]{4}$`)

// toSummary is an adult registering in person for 5 km, in English.
func toSummary() []action {
	return []action{
		{say: "/start", want: "What would you like to do?", step: flows.StepMenu},
		{tap: "Register for the run", want: "full name", step: flows.StepRegName},
		{say: "Aigerim  Nurlanova", want: "date of birth", step: flows.StepRegBirth},
		{say: "15.05.1990", want: "gender", step: flows.StepRegGender},
		{tap: "Female", want: "phone number", step: flows.StepRegPhone},
		{say: "8 701 234 56 78", want: "take part", step: flows.StepRegMode},
		{tap: "In person", want: "Choose a distance (in person)", step: flows.StepRegDistance},
		{tap: "5 km", want: "category", step: flows.StepRegCategory},
		{tap: "General", want: "T-shirt size", step: flows.StepRegTShirt},
		{tap: "M", want: "Whom should we call", step: flows.StepRegEmName},
		{say: "Nurlan Abenov", want: "Phone number of Nurlan Abenov", step: flows.StepRegEmPhone},
		{say: "+7 701 765 43 21", want: "I agree to the processing of the personal data of Aigerim Nurlanova", step: flows.StepRegConsent},
		{tap: "I agree", want: "Please check the details", step: flows.StepRegSummary},
	}
}

func with(base []action, more ...action) []action {
	return append(append([]action{}, base...), more...)
}

// entryPath is a path through making an entry, a runner's or a
// child's: the steps of user "u" (in English) on a bot with edit and
// setup, and what storage holds after.
type entryPath struct {
	name  string
	edit  func(*event.Config)
	setup func(h *harness)
	steps []action
	// during runs after the first at steps: someone else acts, or
	// time passes.
	at     int
	during func(h *harness)
	check  func(t *testing.T, u *user)
}

func runPaths(t *testing.T, tests []entryPath) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.edit)
			if tt.setup != nil {
				tt.setup(h)
			}
			u := h.user("u", "en")
			if tt.during != nil {
				u.do(tt.steps[:tt.at])
				tt.during(h)
				u.do(tt.steps[tt.at:])
			} else {
				u.do(tt.steps)
			}
			if tt.check != nil {
				tt.check(t, u)
			}
		})
	}
}

func TestRegistrationPaths(t *testing.T) {
	runPaths(t, []entryPath{
		{
			name:  "adult in person",
			steps: with(toSummary(), action{tap: "Confirm", want: "Registration code: RFA-", step: flows.StepRegDone}),
			check: func(t *testing.T, u *user) {
				regs := u.registrations()
				if len(regs) != 1 {
					t.Fatalf("registrations = %d, want 1", len(regs))
				}
				r := regs[0]
				want := domain.Registration{
					Code: r.Code, UserKey: "test:u", Lang: "en", Name: "Aigerim Nurlanova", Birth: "1990-05-15",
					Gender: "female", Phone: "+77012345678", Mode: event.InPerson, Distance: "5k",
					Category: "general", TShirt: "M", EmergencyName: "Nurlan Abenov", EmergencyPhone: "+77017654321",
					Fee: 8990, Currency: "KZT", Status: domain.StatusAwaitingPayment, CreatedAt: r.CreatedAt, ConsentAt: r.ConsentAt,
					Order: r.Code + "-1", Orders: 1, HoldUntil: testNow.Add(48 * time.Hour),
				}
				if r != want {
					t.Errorf("stored\n%+v\nwant\n%+v", r, want)
				}
				if !codePattern.MatchString(r.Code) {
					t.Errorf("code %q does not look like RFA-7K2Q", r.Code)
				}
				if !r.CreatedAt.Equal(testNow) {
					t.Errorf("created at %v, want %v", r.CreatedAt, testNow)
				}
				if s := u.state().Session; !s.Draft.Empty() {
					t.Errorf("draft kept after confirm: %+v", s.Draft)
				}
				if !strings.Contains(u.last.Text, r.Code) || !strings.Contains(u.last.Text, "8,990\u00a0₸") ||
					!strings.Contains(u.last.Text, "held for you until 17 January 2027, 15:00") {
					t.Errorf("confirmation %q lacks the code, the fee or the hold", u.last.Text)
				}
				wantLink := dialog.Link{Label: "Pay 8,990\u00a0₸", URL: "https://pay.test/" + r.Code + "-1?amount=8990&currency=KZT&lang=en"}
				if len(u.last.Links) != 1 || u.last.Links[0] != wantLink {
					t.Errorf("links %+v, want %+v", u.last.Links, wantLink)
				}
			},
		},
		{
			name: "minor with guardian",
			steps: []action{
				{say: "/start"},
				{tap: "Register"},
				{say: "Beknazyr Imambaev"},
				{say: "12.05.2013", step: flows.StepRegGender},
				{tap: "Male"},
				{say: "+77011112233"},
				{tap: "In person", want: "Choose a distance", not: "10 km"},
				{tap: "2.5 km"},
				{tap: "General"},
				{tap: "S"},
				{say: "Eldos Imambaev"},
				{say: "87014445566", want: "will be under 18 on race day", step: flows.StepRegGuardian},
				{say: "Eldos Imambaev", want: "I, Eldos Imambaev, parent or guardian of Beknazyr Imambaev", step: flows.StepRegConsent},
				{tap: "I agree", want: "Parent or guardian: Eldos Imambaev"},
				{tap: "Confirm", want: "Registration code"},
			},
			check: func(t *testing.T, u *user) {
				r := u.registrations()[0]
				if r.Guardian != "Eldos Imambaev" || r.Distance != "2.5k" {
					t.Errorf("stored %+v, want guardian and 2.5k", r)
				}
			},
		},
		{
			name: "minor: distances below their age are not offered",
			steps: []action{
				{say: "/start"},
				{tap: "Register"},
				{say: "Dana Serik"},
				{say: "2021-01-10"},
				{tap: "Female"},
				{say: "+77011112233"},
				{tap: "In person", want: "1 km", not: "2.5 km"},
			},
			check: func(t *testing.T, u *user) {
				if got := labels(u.last); len(got) != 3 {
					t.Errorf("buttons %v, want 1 km, Back, Cancel", got)
				}
			},
		},
		{
			name: "online: no emergency contact, online distances only",
			steps: []action{
				{say: "/start"},
				{tap: "Register"},
				{say: "Oliver Smith"},
				{say: "31/12/1985"},
				{tap: "Prefer not to say"},
				{say: "+44 20 7946 0958"},
				{tap: "Online", want: "5 km · 8,990\u00a0₸ · 1000 left", not: "10 km"},
				{tap: "5 km", want: "category"},
				{tap: "Deaf"},
				{tap: "XL", want: "Consent", step: flows.StepRegConsent},
				{tap: "I agree", not: "Emergency"},
				{tap: "Confirm", want: "5 km, online"},
			},
			check: func(t *testing.T, u *user) {
				r := u.registrations()[0]
				if r.Mode != event.Online || r.EmergencyName != "" || r.Phone != "+442079460958" || r.Gender != "unspecified" || r.Category != "deaf" {
					t.Errorf("stored %+v", r)
				}
			},
		},
		{
			name: "full distance is not offered",
			edit: func(ev *event.Config) { ev.Distances[3].Capacity = 1 },
			setup: func(h *harness) {
				other := h.user("other", "en")
				other.do(with(toSummary()[:7], action{tap: "10 km"}))
				other.do(toSummary()[8:])
				other.tap("Confirm")
			},
			steps: with(toSummary()[:6], action{tap: "In person", want: "No places left: 10 km"}),
			check: func(t *testing.T, u *user) {
				for _, l := range labels(u.last) {
					if strings.Contains(l, "10 km") && l != "10 km · 9,990\u00a0₸ · waitlist" {
						t.Errorf("full 10 km offered other than for its waitlist: %v", labels(u.last))
					}
				}
			},
		},
		{
			name: "last place taken between choice and confirm",
			edit: func(ev *event.Config) { ev.Distances[2].Capacity = 1 },
			steps: with(toSummary(),
				action{tap: "Confirm", want: "the last place on 5 km was just taken", step: flows.StepRegDistance},
				action{tap: "10 km", want: "Please check the details", step: flows.StepRegSummary},
				action{tap: "Confirm", want: "Registration code"}),
			// Someone else confirms the last 5 km place while the user is
			// reading the summary.
			at: len(toSummary()),
			during: func(h *harness) {
				rival := h.user("rival", "en")
				rival.do(toSummary())
				rival.tap("Confirm")
			},
			check: func(t *testing.T, u *user) {
				regs := u.registrations()
				if len(regs) != 1 || regs[0].Distance != "10k" {
					t.Errorf("registrations %+v, want one on 10k", regs)
				}
			},
		},
		{
			name: "edit from the summary",
			steps: with(toSummary(),
				action{tap: "Edit", want: "What would you like to change?", step: flows.StepRegEdit},
				action{tap: "T-shirt", want: "Now: M", step: flows.StepRegTShirt},
				action{tap: "XXL", want: "T-shirt: XXL", step: flows.StepRegSummary},
				action{tap: "Edit"},
				action{tap: "Date of birth"},
				action{say: "01.06.2012", want: "will be under 18", step: flows.StepRegGuardian},
				action{say: "Nurlan Abenov", want: "I, Nurlan Abenov, parent or guardian", step: flows.StepRegConsent},
				action{tap: "I agree", want: "Date of birth: 01.06.2012", step: flows.StepRegSummary},
				action{tap: "Edit"},
				action{tap: "Date of birth"},
				action{say: "01.06.2016", want: "Choose a distance", not: "\n5 km", step: flows.StepRegDistance},
				action{tap: "1 km", want: "Distance: 1 km, 6,990\u00a0₸", step: flows.StepRegSummary},
				action{tap: "Edit"},
				action{tap: "Participation"},
				action{tap: "Online", want: "Please check the details", not: "Emergency", step: flows.StepRegSummary},
				action{tap: "Confirm", want: "1 km, online"},
			),
			check: func(t *testing.T, u *user) {
				r := u.registrations()[0]
				if r.TShirt != "XXL" || r.Birth != "2016-06-01" || r.Guardian != "Nurlan Abenov" || r.Mode != event.Online || r.EmergencyName != "" {
					t.Errorf("stored %+v", r)
				}
			},
		},
		{
			name: "back keeps answers, back from the first question goes to the menu",
			steps: with(toSummary()[:4],
				action{tap: "Back", want: "Now: 15.05.1990", step: flows.StepRegBirth},
				action{tap: "Back", want: "Now: Aigerim Nurlanova", step: flows.StepRegName},
				action{tap: "Back", want: "What would you like to do?", step: flows.StepMenu},
				action{tap: "Register", want: "unfinished registration for Aigerim Nurlanova", step: flows.StepResume},
				action{tap: "Continue", want: "gender", step: flows.StepRegGender},
			),
		},
		{
			name: "cancel asks first, then forgets the answers",
			steps: with(toSummary()[:5],
				action{tap: "Cancel", want: "Cancel this registration?", step: flows.StepRegCancel},
				action{tap: "No, continue", want: "phone number", step: flows.StepRegPhone},
				action{tap: "Cancel"},
				action{tap: "Yes, cancel", want: "The registration was cancelled.", step: flows.StepMenu},
				action{tap: "Register", want: "full name", step: flows.StepRegName},
			),
			check: func(t *testing.T, u *user) {
				if d := u.state().Session.Draft; !d.Empty() {
					t.Errorf("draft after cancel: %+v", d)
				}
				if len(u.registrations()) != 0 {
					t.Error("a cancelled registration was stored")
				}
			},
		},
		{
			name: "cancel from the summary",
			steps: with(toSummary(),
				action{tap: "Cancel"},
				action{tap: "Yes", step: flows.StepMenu}),
			check: func(t *testing.T, u *user) {
				if len(u.registrations()) != 0 {
					t.Error("stored after cancel")
				}
			},
		},
		{
			name: "register another person: phone offered, duplicate refused",
			steps: with(toSummary(),
				action{tap: "Confirm"},
				action{tap: "Register another person", step: flows.StepRegName},
				action{say: "Aigerim Nurlanova"},
				// Found at once (finding 8), the draft kept.
				action{say: "1990-05-15", want: "Aigerim Nurlanova with this date of birth is already registered: code RFA-", step: flows.StepRegBirth},
				action{tap: "Back", step: flows.StepRegName},
				action{say: "Beknur Nurlanov", step: flows.StepRegBirth},
				action{say: "1990-05-15"},
				action{tap: "Female", want: "phone number"},
				action{tap: "Use +7 701 234 56 78", step: flows.StepRegMode},
				action{tap: "In person"},
				action{tap: "1 km"},
				action{tap: "General"},
				action{tap: "M"},
				action{say: "Nurlan Abenov"},
				action{say: "+77017654321"},
				action{tap: "I agree", want: "Phone: +7 701 234 56 78"},
				// Edited back to the same person: refused at the name.
				action{tap: "Edit"},
				action{tap: "Name"},
				action{say: "Aigerim Nurlanova", want: "already registered", step: flows.StepRegName},
			),
			check: func(t *testing.T, u *user) {
				if n := len(u.registrations()); n != 1 {
					t.Errorf("registrations = %d, want 1", n)
				}
				if d := u.state().Session.Draft; d.Name != "Beknur Nurlanov" || d.Phone != "+77012345678" {
					t.Errorf("draft %+v", d)
				}
			},
		},
		{
			name: "family: two people from one account, listed with status",
			steps: with(toSummary(),
				action{tap: "Confirm"},
				action{tap: "Register another person"},
				action{say: "Beknazyr Imambaev"},
				action{say: "12.05.2013"},
				action{tap: "Male"},
				action{tap: "Use +7 701 234 56 78"},
				action{tap: "In person"},
				action{tap: "2.5 km"},
				action{tap: "General"},
				action{tap: "S"},
				action{say: "Eldos Imambaev"},
				action{say: "87014445566"},
				action{say: "Aigerim Nurlanova"},
				action{tap: "I agree"},
				action{tap: "Confirm"},
				action{tap: "My registrations", want: "You have 2 registrations:", step: flows.StepMine},
			),
			check: func(t *testing.T, u *user) {
				regs := u.registrations()
				if len(regs) != 2 {
					t.Fatalf("registrations = %d, want 2", len(regs))
				}
				for _, r := range regs {
					for _, want := range []string{r.Code, r.Name, "awaiting payment"} {
						if !strings.Contains(u.last.Text, want) {
							t.Errorf("My registrations %q lacks %q", u.last.Text, want)
						}
					}
				}
			},
		},
		{
			name: "registration closed",
			setup: func(h *harness) {
				h.setNow(time.Date(2027, 4, 1, 12, 0, 0, 0, time.UTC))
			},
			steps: []action{
				{say: "/start"},
				{tap: "Register", want: "Registration is closed (the last day was 31 March 2027)", step: flows.StepMenu},
			},
		},
		{
			name:  "registration closes while filling in",
			steps: with(toSummary(), action{tap: "Confirm", want: "Registration is closed", step: flows.StepMenu}),
			setup: func(h *harness) {
				h.setNow(time.Date(2027, 3, 31, 18, 58, 0, 0, time.UTC))
			},
			// 23:59 in Astana is 18:59 UTC.
			at:     len(toSummary()),
			during: func(h *harness) { h.setNow(time.Date(2027, 3, 31, 19, 0, 0, 0, time.UTC)) },
		},
	})
}

func TestBadInput(t *testing.T) {
	long := strings.Repeat("а", flows.MaxTextLen+1)
	tests := []struct {
		name string
		at   int // how far into toSummary before the bad input
		bad  action
	}{
		{"name with digits", 2, action{say: "Aigerim 2", want: "cannot contain digits"}},
		{"name is a link", 2, action{say: "https://t.me/spam", want: "looks like a link"}},
		{"name with an e-mail", 2, action{say: "aigerim@mail.kz", want: "looks like a link"}},
		{"name too short", 2, action{say: "A", want: "2 to 100 characters"}},
		{"name too long", 2, action{say: strings.Repeat("Ab", 51), want: "2 to 100 characters"}},
		{"name with symbols", 2, action{say: "Aigerim!!!", want: "only letters"}},
		{"date in words", 3, action{say: "fifteenth of May", want: "like 31.12.1990"}},
		{"date that does not exist", 3, action{say: "31.02.1990", want: "There is no 31.02.1990 in the calendar"}},
		{"date in the future", 3, action{say: "01.01.2030", want: "A date of birth must be in the past"}},
		{"date too old", 3, action{say: "01.01.1900", want: "check the year"}},
		{"too young for any distance", 3, action{say: "01.01.2023", want: "younger than 5"}},
		{"typed text on a button question", 4, action{say: "woman", want: "choose one of the options"}},
		{"phone with letters", 5, action{say: "call me", want: "with the country code"}},
		{"phone too short", 5, action{say: "12345", want: "with the country code"}},
		{"phone without country code", 5, action{say: "020 7946 0958", want: "with the country code"}},
		{"emergency phone is the participant's", 11, action{say: "87012345678", want: "participant's own number"}},
		{"consent typed instead of pressed", 12, action{say: "no", want: "only with this consent"}},
		{"message too long", 2, action{say: long, want: "too long"}},
		{"empty message", 2, action{say: "   ", want: "empty"}},
		{"photo instead of text", 3, action{photo: true, want: "only read text"}},
		{"button from an old message", 4, action{raw: "d:5k", want: "earlier message"}},
		{"button payload never offered", 6, action{raw: "d:../../etc", want: "earlier message"}},
		{"unknown command", 7, action{say: "/pay", want: "don't know that command"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", "en")
			steps := toSummary()
			u.do(steps[:tt.at])
			before := u.state()
			question := u.last.Text
			u.do([]action{tt.bad})
			after := u.state()
			if after.Session.Step != before.Session.Step {
				t.Errorf("step moved from %q to %q", before.Session.Step, after.Session.Step)
			}
			if after.Session.Draft != before.Session.Draft {
				t.Errorf("draft changed by bad input:\n%+v\n%+v", before.Session.Draft, after.Session.Draft)
			}
			if !strings.HasSuffix(u.last.Text, question) {
				t.Errorf("reply %q does not repeat the question %q", u.last.Text, question)
			}
			// The user can still go on and finish.
			u.do(steps[tt.at:])
			u.do([]action{{tap: "Confirm", want: "Registration code"}})
		})
	}
}

func TestCommandsInEveryState(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.do(toSummary()[:6])
	u.do([]action{
		{say: "/help", want: "/cancel", step: flows.StepRegMode},
		{say: "/menu", want: "What would you like to do?", step: flows.StepMenu},
		{tap: "Register", want: "unfinished registration", step: flows.StepResume},
		{tap: "Continue", want: "take part", step: flows.StepRegMode},
		{say: "/start", want: "Continue where you stopped, or start over?", step: flows.StepResume},
		{tap: "Start over", want: "full name", step: flows.StepRegName},
	})
	if d := u.state().Session.Draft; !d.Empty() {
		t.Errorf("start over kept %+v", d)
	}
	u.do([]action{
		{say: "Aigerim Nurlanova"},
		{say: "/lang", want: "Choose your language", step: flows.StepLang},
		{tap: "Русский", want: "Дата рождения участника", step: flows.StepRegBirth},
		{say: "/cancel", want: "Прервать регистрацию?", step: flows.StepRegCancel},
		{tap: "Нет, продолжить", want: "Дата рождения участника", step: flows.StepRegBirth},
		{say: "/cancel", step: flows.StepRegCancel},
		{tap: "Да, прервать", want: "Регистрация прервана", step: flows.StepMenu},
		{say: "/START@RunForAutismBot", want: "Здравствуйте", step: flows.StepMenu},
	})
}

func TestFirstContact(t *testing.T) {
	for _, tt := range []struct {
		hint, first, want string
		step              domain.Step
	}{
		{"", "hello", "Тілді таңдаңыз:\nВыберите язык:\nChoose your language:", flows.StepLang},
		{"de", "/start", "Choose your language", flows.StepLang},
		{"kk", "/start", "Сәлеметсіз бе!", flows.StepMenu},
		{"ru", "привет", "Здравствуйте!", flows.StepMenu},
		{"en", "hi", "Hello!", flows.StepMenu},
	} {
		t.Run(tt.hint+"/"+tt.first, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", tt.hint)
			u.do([]action{{say: tt.first, want: tt.want, step: tt.step}})
		})
	}
	t.Run("language by label", func(t *testing.T) {
		h := newHarness(t, nil)
		u := h.user("u", "")
		u.do([]action{
			{say: "hi", step: flows.StepLang},
			{say: "қазақша", want: "Сәлеметсіз бе!", step: flows.StepMenu},
		})
	})
}

func TestRestartContinuesAtTheSameStep(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	steps := toSummary()
	u.do(steps[:8])
	h.restart()
	u.do([]action{{tap: "General", want: "T-shirt size", step: flows.StepRegTShirt}})
	u.do(steps[9:])
	h.restart()
	u.do([]action{{tap: "Confirm", want: "Registration code"}})
	h.restart()
	u.do([]action{{say: "/menu"}, {tap: "My registrations", want: "Aigerim Nurlanova"}})
}

func TestRedeliveredMessageHandledOnce(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.do(toSummary()[:2])
	m := dialog.Message{ID: "wamid-1", Text: "Aigerim Nurlanova"}
	u.send(m)
	replies := bottest.Handle(t.Context(), h.engine, dialog.Message{Channel: "test", UserID: "u", ID: "wamid-1", Text: "Aigerim Nurlanova"})
	if len(replies) != 0 {
		t.Errorf("second delivery answered: %+v", replies)
	}
	if got := u.state().Session.Step; got != flows.StepRegBirth {
		t.Errorf("step = %q, want reg.birth", got)
	}
}

func TestSharedContact(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	steps := toSummary()
	u.do(steps[:5])
	if !u.last.AskPhone {
		t.Error("phone question does not offer sharing the contact")
	}
	u.do([]action{{phone: "77015556677", step: flows.StepRegMode}})
	if got := u.state().Session.Draft.Phone; got != "+77015556677" {
		t.Errorf("phone = %q", got)
	}
}

func TestEventInfo(t *testing.T) {
	for lang, want := range map[string][]string{
		"en": {"3 April 2027", "Astana", "2.5 km: 7,990\u00a0₸", "also online", "1 April 2027, 11:00–20:00", "t-shirt", "Last day of registration: 31 March 2027\n"},
		"ru": {"3 апреля 2027 г.", "2,5 км: 7\u00a0990\u00a0₸", "есть онлайн", "футболка"},
		"kk": {"2027 жылғы 3 сәуір", "2,5 км: 7\u00a0990\u00a0₸", "онлайн да бар", "футболка"},
	} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", lang)
			u.say("/start")
			r := u.send(dialog.Message{Payload: "m:info"})
			for _, w := range want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("info lacks %q:\n%s", w, r.Text)
				}
			}
		})
	}
}

// TestEveryLanguage registers once in each language and checks that no
// message id leaks into what the user sees.
func TestEveryLanguage(t *testing.T) {
	ids := regexp.MustCompile(`\b[a-z]+_[a-z_0-9]+\b`)
	for _, lang := range []string{"kk", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", lang)
			var seen []string
			check := func(r dialog.Reply) {
				seen = append(seen, r.Text)
				for _, l := range labels(r) {
					seen = append(seen, l)
				}
			}
			check(u.say("/start"))
			for _, p := range []string{"m:info", "menu", "m:fun", "m:sup", "m:my", "menu", "m:reg"} {
				check(u.send(dialog.Message{Payload: p}))
			}
			for _, m := range []dialog.Message{
				{Text: "Әсел Қайратқызы"}, {Text: "01.02.1995"}, {Payload: "g:female"}, {Text: "87011234567"},
				{Payload: "mode:inperson"}, {Payload: "d:10k"}, {Payload: "cat:para"}, {Payload: "size:L"},
				{Text: "Қайрат Әбенов"}, {Text: "87017654321"}, {Payload: "agree"}, {Payload: "reg:ok"}, {Payload: "m:my"},
			} {
				check(u.send(m))
			}
			if !strings.Contains(u.last.Text, "Әсел Қайратқызы") {
				t.Fatalf("registration not listed: %q", u.last.Text)
			}
			for _, s := range seen {
				if m := ids.FindString(s); m != "" {
					t.Errorf("message id %q shown to the user in %q", m, s)
				}
			}
		})
	}
}

func TestConcurrentUsersNeverOverfillADistance(t *testing.T) {
	const users, places = 200, 50
	h := newHarness(t, func(ev *event.Config) { ev.Distances[2].Capacity = places })
	us := make([]*user, users)
	for i := range us {
		us[i] = h.user(fmt.Sprintf("u%03d", i), "en")
	}
	// Everyone fills in the form at once, then everyone presses Confirm
	// at once.
	run := func(f func(u *user)) {
		done := make(chan struct{})
		for _, u := range us {
			go func() {
				defer func() { done <- struct{}{} }()
				f(u)
			}()
		}
		for range us {
			<-done
		}
	}
	run(func(u *user) {
		for _, a := range toSummary() {
			var r dialog.Reply
			if a.tap != "" {
				r = u.tapQuiet(a.tap)
			} else {
				r = u.sayQuiet(a.say)
			}
			if a.want != "" && !strings.Contains(r.Text, a.want) {
				panic(fmt.Sprintf("%s: %q lacks %q", u.id, r.Text, a.want))
			}
		}
	})
	results := make(chan string, users)
	run(func(u *user) { results <- u.tapQuiet("Confirm").Text })
	close(results)
	ok, full := 0, 0
	for text := range results {
		switch {
		case strings.Contains(text, "Registration code"):
			ok++
		case strings.Contains(text, "the last place on 5 km was just taken"):
			full++
		default:
			t.Errorf("unexpected answer to Confirm: %q", text)
		}
	}
	if ok != places || full != users-places {
		t.Fatalf("registered %d, told full %d; want %d and %d", ok, full, places, users-places)
	}
	h.restart()
	codes := map[string]bool{}
	for _, u := range us {
		for _, r := range u.registrations() {
			if codes[r.Code] {
				t.Errorf("code %s given twice", r.Code)
			}
			codes[r.Code] = true
		}
	}
	if len(codes) != places {
		t.Errorf("after reopening: %d registrations, want %d", len(codes), places)
	}
	h.store.View(t.Context(), func(tx domain.Tx) error {
		if n, _ := tx.PlacesTaken("5k", event.InPerson); n != places {
			t.Errorf("places taken = %d, want %d", n, places)
		}
		return nil
	})
}

// sayQuiet and tapQuiet are say and tap for goroutines, where t.Fatal
// must not be called.
func (u *user) sayQuiet(text string) dialog.Reply {
	return u.sendQuiet(dialog.Message{Text: text})
}

func (u *user) tapQuiet(label string) dialog.Reply {
	c, ok := findChoice(u.last, label)
	if !ok {
		panic(fmt.Sprintf("%s: no button %q in %v", u.id, label, labels(u.last)))
	}
	return u.sendQuiet(dialog.Message{Payload: c.Payload})
}

func (u *user) sendQuiet(m dialog.Message) dialog.Reply {
	m.Channel, m.UserID, m.LangHint = "test", u.id, u.hint
	replies := bottest.Handle(u.h.t.(*testing.T).Context(), u.h.engine, m)
	u.last = replies[len(replies)-1]
	return u.last
}

func TestDeepLinks(t *testing.T) {
	tests := []struct {
		hint, start string
		first       []action
		want        string
		step        domain.Step
	}{
		{"en", "/start register", nil, "full name", flows.StepRegName},
		{"en", "/start info", nil, "Distances:", flows.StepInfo},
		{"ru", "/start funstarts", nil, "Записать ребёнка", flows.StepFun},
		{"kk", "/start support", nil, "150", flows.StepSupport},
		{"en", "/start poster2027", nil, "What would you like to do?", flows.StepMenu},
		// Before a language is chosen, the link waits for the choice.
		{"", "/start register", []action{{tap: "English"}}, "full name", flows.StepRegName},
	}
	for _, tt := range tests {
		t.Run(tt.hint+tt.start, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", tt.hint)
			u.say(tt.start)
			u.do(tt.first)
			seen := u.last.Text + strings.Join(labels(u.last), "\n")
			if !strings.Contains(seen, tt.want) {
				t.Errorf("after %q: %q lacks %q", tt.start, seen, tt.want)
			}
			if got := u.state().Session.Step; got != tt.step {
				t.Errorf("step %q, want %q", got, tt.step)
			}
		})
	}
	t.Run("mid-registration", func(t *testing.T) {
		h := newHarness(t, nil)
		u := h.user("u", "en")
		u.do(toSummary()[:4])
		u.do([]action{{say: "/start register", want: "unfinished registration", step: flows.StepResume}})
	})
}
