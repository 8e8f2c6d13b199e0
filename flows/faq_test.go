package flows_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

func TestFAQButtons(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.do([]action{
		{say: "/start"},
		{tap: "Event info", want: "Where can I park?", step: flows.StepInfo},
		{tap: "Where and when do I get the race kit?", want: "Show your registration code at the kit desk.\nRace kit: a t-shirt", step: flows.StepFAQ},
		{tap: "Start times by distance", want: "3 April 2027\n• 10 km: 09:00\n• 5 km: 09:30\n• 2.5 km: 10:00\n• 1 km: 10:30\n• Fun Starts for children: 11:00"},
		{tap: "How much does it cost?", want: "• 10 km: 9,990\u00a0₸\n• Fun Starts for children: free"},
		{tap: "What does the money fund?", want: "inclusive classrooms"},
		// The file sets no contacts: no button that would say so (finding 7).
		{tap: "Para-athletes and deaf participants", want: "Deaf or hard of hearing", not: "Contact the organizers"},
		{tap: "Event info", step: flows.StepInfo},
		{tap: "Main menu", step: flows.StepMenu},
	})
}

func TestFAQFromTypedQuestions(t *testing.T) {
	tests := []struct {
		lang, text, want string
		step             domain.Step
	}{
		{"en", "where can I park my car?", "We will announce parking", flows.StepFAQ},
		{"en", "What time does the 10k start?", "• 10 km: 09:00", flows.StepFAQ},
		{"en", "is there a wheelchair-friendly route? my son is deaf", "Deaf or hard of hearing", flows.StepFAQ},
		{"ru", "Где можно оставить машину?", "О парковке сообщим", flows.StepFAQ},
		{"ru", "сколько стоит участие?", "Взнос зависит от дистанции", flows.StepFAQ},
		{"ru", "куда идут деньги", "инклюзивные классы", flows.StepFAQ},
		{"ru", "Подскажите, пожалуйста, где парковка?", "О парковке сообщим", flows.StepFAQ},
		{"ru", "помогите, не могу найти, где получить стартовый пакет", "На выдаче покажите код регистрации", flows.StepFAQ},
		{"en", "help, what does the money fund?", "inclusive classrooms", flows.StepFAQ},
		{"kk", "стартовый пакетті қайдан аламын?", "тіркеу кодыңызды көрсетіңіз", flows.StepFAQ},
		{"kk", "Көлікті қайда қоямын?", "Көлік тұрағы туралы", flows.StepFAQ},
		// A question asked in another language than the user's gets the
		// answer in the user's language.
		{"kk", "where can I park?", "Көлік тұрағы туралы", flows.StepFAQ},
		{"en", "what is the weather like in April?", "I could not find an answer to that", flows.StepMenu},
		{"ru", "а можно с собакой?", "Я не нашёл ответа на это", flows.StepMenu},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("u", tt.lang)
			u.say("/start")
			u.do([]action{{say: tt.text, want: tt.want, step: tt.step}})
		})
	}
	t.Run("everywhere no text is expected", func(t *testing.T) {
		h := newHarness(t, nil)
		u := h.user("u", "en")
		u.do([]action{
			{say: "/start"},
			{tap: "My registrations", step: flows.StepMine},
			{say: "how much does it cost", want: "The fee depends on the distance", step: flows.StepFAQ},
			{tap: "Main menu"},
			{tap: "Fun Starts", step: flows.StepFun},
			{say: "where is the route", want: "We will announce the route", step: flows.StepFAQ},
		})
	})
	t.Run("inside a registration step text is the answer", func(t *testing.T) {
		h := newHarness(t, nil)
		u := h.user("u", "en")
		u.do([]action{{say: "/start"}, {tap: "Register"}, {say: "Parking Lotova", want: "date of birth", step: flows.StepRegBirth}})
	})
	t.Run("no match: the menu and the organizers' contact", func(t *testing.T) {
		h := newHarness(t, func(ev *event.Config) {
			ev.Contacts = event.Text{KK: "info@example.org", RU: "info@example.org", EN: "info@example.org"}
		})
		u := h.user("u", "en")
		u.say("/start")
		r := u.say("can I bring my dog?")
		if !strings.Contains(r.Text, "Contact the organizers: info@example.org") || !strings.Contains(strings.Join(labels(r), "\n"), "Register for the run") {
			t.Errorf("no-match answer lacks the contact or the menu:\n%s", r.Text)
		}
	})
}
