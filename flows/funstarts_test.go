package flows_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// children lists the Fun Starts entries u made, oldest first.
func (u *user) children() []domain.Registration {
	return slices.DeleteFunc(u.registrations(), func(r domain.Registration) bool { return r.Kind != domain.KindChild })
}

// toFunChild opens Fun Starts and answers for the parent, in English.
func toFunChild() []action {
	return []action{
		{say: "/start"},
		{tap: "Fun Starts", want: "A parent or carer stays with the child", step: flows.StepFun},
		{tap: "Sign up a child", want: "Your full name", step: flows.StepFunParent},
		{say: "Dana Serikova", want: "Your phone number", step: flows.StepFunPhone},
		{say: "8 701 234 56 78", want: "first name", step: flows.StepFunChild},
	}
}

// child answers for one child, born on birth, up to the consent.
func child(name, birth, notes, size string) []action {
	n := action{tap: "Nothing to add", step: flows.StepFunTShirt}
	if notes != "" {
		n = action{say: notes, step: flows.StepFunTShirt}
	}
	return []action{
		{say: name, want: name + "'s date of birth", step: flows.StepFunBirth},
		{say: birth, want: "feel calm and comfortable", step: flows.StepFunNotes},
		n,
		{tap: size, want: "Consent: I, Dana Serikova, parent or carer of " + name, step: flows.StepFunConsent},
	}
}

func TestFunStartsSignUp(t *testing.T) {
	runPaths(t, []entryPath{
		{
			name: "one child",
			steps: with(toFunChild(), with(child("Alua", "01.06.2018", "", "128"),
				action{tap: "I agree", want: "Alua is signed up for Fun Starts. Code: RFA-FS-", not: "notes", step: flows.StepFunDone},
				action{tap: "My registrations", want: "Fun Starts\nStatus: confirmed", step: flows.StepMine},
			)...),
			check: func(t *testing.T, u *user) {
				kids := u.children()
				if len(kids) != 1 {
					t.Fatalf("children = %d, want 1", len(kids))
				}
				k := kids[0]
				want := domain.Registration{Kind: domain.KindChild, Distance: domain.FunStartsPlaces, Mode: event.InPerson,
					Code: k.Code, UserKey: "test:u", Lang: "en", Guardian: "Dana Serikova", Phone: "+77012345678",
					Name: "Alua", Birth: "2018-06-01", TShirt: "128", Currency: "KZT", Status: domain.StatusConfirmed,
					CreatedAt: testNow, ConsentAt: testNow,
				}
				if !k.CreatedAt.Equal(testNow) || !k.ConsentAt.Equal(testNow) {
					t.Errorf("times %v %v, want %v", k.CreatedAt, k.ConsentAt, testNow)
				}
				k.CreatedAt, k.ConsentAt = testNow, testNow
				if k != want {
					t.Errorf("stored\n%+v\nwant\n%+v", k, want)
				}
				if !strings.HasPrefix(k.Code, "RFA-FS-") || len(k.Code) != len("RFA-FS-7K2Q") {
					t.Errorf("code %q", k.Code)
				}
				if s := u.state(); s.Phone != "+77012345678" || s.Session.Fun.Child != "" || s.Session.Fun.ParentName != "Dana Serikova" {
					t.Errorf("after the sign-up: phone %q, draft %+v", s.Phone, s.Session.Fun)
				}
			},
		},
		{
			name: "three children, the parent asked once",
			steps: with(toFunChild(), with(child("Alua", "01.06.2018", "", "128"),
				action{tap: "I agree"},
				action{tap: "Sign up another child", want: "first name", step: flows.StepFunChild},
				action{say: "Temir"}, action{say: "2013-04-03"}, action{tap: "Nothing to add"}, action{tap: "152"},
				action{tap: "I agree", want: "Temir is signed up"},
				action{tap: "Sign up another child"},
				action{say: "Aruzhan"}, action{say: "10.10.2021"}, action{say: "non-verbal, needs a companion"}, action{tap: "116"},
				action{tap: "I agree", want: "only the organizers will see them"},
				action{tap: "My registrations", want: "You have 3 registrations:"},
			)...),
			check: func(t *testing.T, u *user) {
				// Signed up at the same (test) time: listed in code order.
				order := []string{"Alua", "Temir", "Aruzhan"}
				kids := u.children()
				slices.SortFunc(kids, func(a, b domain.Registration) int {
					return slices.Index(order, a.Name) - slices.Index(order, b.Name)
				})
				if len(kids) != 3 || kids[0].Name != "Alua" || kids[1].Name != "Temir" || kids[2].Name != "Aruzhan" {
					t.Fatalf("children = %+v", kids)
				}
				for _, k := range kids {
					if k.Guardian != "Dana Serikova" || k.Phone != "+77012345678" {
						t.Errorf("%s: parent %q %q", k.Name, k.Guardian, k.Phone)
					}
				}
				if kids[2].SupportNeeds != "non-verbal, needs a companion" || kids[0].SupportNeeds != "" {
					t.Errorf("notes %q / %q", kids[2].SupportNeeds, kids[0].SupportNeeds)
				}
				if strings.Contains(u.last.Text, "non-verbal") {
					t.Errorf("notes shown back to the parent: %q", u.last.Text)
				}
			},
		},
		{
			name: "age 4 and 15 refused with the reason",
			steps: with(toFunChild(),
				action{say: "Alua"},
				action{say: "04.04.2022", want: "On race day Alua will be 4 years old, and Fun Starts is for children aged 5–14", step: flows.StepFunBirth},
				action{say: "03.04.2012", want: "will be 15 years old", step: flows.StepFunBirth},
				action{say: "03.04.2022", want: "feel calm", step: flows.StepFunNotes},
				action{tap: "Back", step: flows.StepFunBirth},
				action{say: "04.04.2012", want: "feel calm", step: flows.StepFunNotes},
			),
			check: func(t *testing.T, u *user) {
				if b := u.state().Session.Fun.Birth; b != "2012-04-04" {
					t.Errorf("birth = %q; 14 on race day is allowed", b)
				}
			},
		},
		{
			name: "notes stored, never shown back",
			steps: with(toFunChild(), with(child("Alua", "01.06.2018", "afraid of loud sounds, bring headphones", "128"),
				action{tap: "Back", step: flows.StepFunTShirt},
				action{tap: "Back", want: "Now: saved, only the organizers will see them", not: "headphones", step: flows.StepFunNotes},
				action{say: "afraid of loud sounds; non-verbal", want: "Notes on support needs: saved", not: "non-verbal", step: flows.StepFunConsent},
				action{tap: "I agree", want: "The notes on support needs are saved", not: "non-verbal"},
			)...),
			check: func(t *testing.T, u *user) {
				if k := u.children(); len(k) != 1 || k[0].SupportNeeds != "afraid of loud sounds; non-verbal" {
					t.Errorf("children = %+v", k)
				}
				if d := u.state().Session.Fun; d.Notes != "" {
					t.Errorf("notes kept in the session after the sign-up: %+v", d)
				}
			},
		},
		{
			name: "consent required",
			steps: with(toFunChild(), with(child("Alua", "01.06.2018", "", "128"),
				action{say: "no", want: "only with this consent", step: flows.StepFunConsent},
				action{tap: "Cancel", want: "The sign-up was cancelled", step: flows.StepFun},
			)...),
			check: func(t *testing.T, u *user) {
				if k := u.children(); len(k) != 0 {
					t.Errorf("signed up without consent: %+v", k)
				}
				if d := u.state().Session.Fun; d.Child != "" || d.ParentName != "Dana Serikova" {
					t.Errorf("after cancel: %+v, want the parent kept and the child forgotten", d)
				}
			},
		},
		{
			name: "capacity full",
			edit: func(ev *event.Config) { ev.FunStarts.Capacity = 1 },
			setup: func(h *harness) {
				o := h.user("other", "en")
				o.do(with(toFunChild(), with(child("Alua", "01.06.2018", "", "128"), action{tap: "I agree"})...))
			},
			steps: []action{
				{say: "/start"},
				{tap: "Fun Starts", want: "all places in Fun Starts are taken", not: "Sign up a child", step: flows.StepFun},
				{raw: "fun:go", want: "earlier message", step: flows.StepFun},
			},
		},
		{
			name: "last place taken while filling in",
			edit: func(ev *event.Config) { ev.FunStarts.Capacity = 1 },
			steps: with(toFunChild(), with(child("Alua", "01.06.2018", "", "128"),
				action{tap: "I agree", want: "the last place in Fun Starts was just taken", step: flows.StepFun},
			)...),
			// The other parent confirms while this one is at the consent.
			at: len(with(toFunChild(), child("Alua", "01.06.2018", "", "128")...)),
			during: func(h *harness) {
				h.user("other", "en").do(with(toFunChild(), with(child("Temir", "01.06.2016", "", "140"), action{tap: "I agree", want: "Temir is signed up"})...))
			},
			check: func(t *testing.T, u *user) {
				if k := u.children(); len(k) != 0 {
					t.Errorf("overfilled: %+v", k)
				}
			},
		},
		{
			name: "fee: awaiting payment",
			edit: func(ev *event.Config) { ev.FunStarts.Fee = 3000 },
			steps: with(toFunChild(), with(child("Alua", "01.06.2018", "", "128"),
				action{tap: "I agree", want: "Fee: 3,000\u00a0₸. The place is held for you until you pay"},
				action{tap: "My registrations", want: "Status: awaiting payment"},
			)...),
			check: func(t *testing.T, u *user) {
				if k := u.children(); len(k) != 1 || k[0].Status != domain.StatusAwaitingPayment || k[0].Fee != 3000 {
					t.Errorf("children = %+v", k)
				}
			},
		},
		{
			name: "same child twice refused",
			steps: with(toFunChild(), with(child("Alua", "01.06.2018", "", "128"),
				action{tap: "I agree"},
				action{tap: "Sign up another child"},
				action{say: "alua"}, action{say: "2018-06-01"}, action{tap: "Nothing to add"}, action{tap: "128"},
				action{tap: "I agree", want: "Alua is already signed up for Fun Starts", step: flows.StepMine},
			)...),
			check: func(t *testing.T, u *user) {
				if k := u.children(); len(k) != 1 {
					t.Errorf("children = %d, want 1", len(k))
				}
			},
		},
		{
			name: "phone from the account, parent from the last child",
			setup: func(h *harness) {
				u := h.user("u", "en")
				u.do(with(toSummary(), action{tap: "Confirm"}))
			},
			steps: []action{
				{say: "/menu"},
				{tap: "Fun Starts"},
				{tap: "Sign up a child"},
				{say: "Dana Serikova"},
				{tap: "Use +7 701 234 56 78", step: flows.StepFunChild},
				{say: "/cancel", want: "The sign-up was cancelled", step: flows.StepMenu},
				{tap: "Fun Starts"},
				{tap: "Sign up a child", want: "first name", step: flows.StepFunChild},
				{tap: "Back", want: "Now: +7 701 234 56 78", step: flows.StepFunPhone},
				{tap: "Back", want: "Now: Dana Serikova", step: flows.StepFunParent},
				{tap: "Back", step: flows.StepFun},
			},
		},
		{
			name: "registration closed",
			setup: func(h *harness) {
				h.setNow(h.ev.Closes().Add(1))
			},
			steps: []action{
				{say: "/start"},
				{tap: "Fun Starts", want: "Registration is closed", not: "Sign up a child", step: flows.StepFun},
			},
		},
	})
}

func TestFunStartsInEveryLanguage(t *testing.T) {
	for lang, want := range map[string][]string{
		"kk": {"5–14 жастағы", "Қатысу тегін.", "Баланы тіркеу", "Балаңызды тіркейік"},
		"ru": {"5–14 лет", "Участие бесплатное.", "Записать ребёнка", "Давайте запишем"},
		"en": {"aged 5–14", "Taking part is free.", "Sign up a child", "Let's sign up"},
	} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", lang)
			u.say("/start")
			seen := u.send(dialog.Message{Payload: "m:fun"}).Text + strings.Join(labels(u.last), "\n")
			seen += u.send(dialog.Message{Payload: "fun:go"}).Text
			for _, w := range want {
				if !strings.Contains(seen, w) {
					t.Errorf("%s lacks %q:\n%s", lang, w, seen)
				}
			}
			u.sendAll([]dialog.Message{{Text: "Дана Серікқызы"}, {Text: "87011234567"}, {Text: "Алуа"}})
			r := u.say("04.04.2022")
			if want := h.cat.N(lang, "fun_age_refused", 4, map[string]any{"Name": "Алуа", "Min": 5, "Max": 14}); !strings.HasPrefix(r.Text, want) {
				t.Errorf("age refused: %q, want %q", r.Text, want)
			}
		})
	}
}
