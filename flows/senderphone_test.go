package flows_test

import (
	"testing"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

// A messenger that knows the sender's number (WhatsApp) hands it in with
// every message: flows keeps it as the user's phone, offers it at the
// phone question, and orders the language question by it.
func TestSenderPhone(t *testing.T) {
	tests := []struct {
		name      string
		phone     string
		wantOrder []string
		wantPhone string
	}{
		{name: "Kazakhstan number puts Russian first", phone: "+77011234567",
			wantOrder: []string{"lang:ru", "lang:kk", "lang:en"}, wantPhone: "+77011234567"},
		{name: "Russian number keeps the usual order", phone: "+79161234567",
			wantOrder: []string{"lang:kk", "lang:ru", "lang:en"}, wantPhone: "+79161234567"},
		{name: "German number keeps the usual order", phone: "+4915112345678",
			wantOrder: []string{"lang:kk", "lang:ru", "lang:en"}, wantPhone: "+4915112345678"},
		{name: "a number without + is read as international", phone: "77011234567",
			wantOrder: []string{"lang:ru", "lang:kk", "lang:en"}, wantPhone: "+77011234567"},
		{name: "no number", phone: "",
			wantOrder: []string{"lang:kk", "lang:ru", "lang:en"}, wantPhone: ""},
		{name: "something that is no number is ignored", phone: "+7 70x",
			wantOrder: []string{"lang:kk", "lang:ru", "lang:en"}, wantPhone: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("wa", "")
			r := u.send(dialog.Message{Text: "Сәлем", Numbered: true, SenderPhone: tt.phone})
			var got []string
			for _, c := range r.Choices {
				got = append(got, c.Payload)
			}
			if len(got) != len(tt.wantOrder) {
				t.Fatalf("choices %v, want %v", got, tt.wantOrder)
			}
			for i := range got {
				if got[i] != tt.wantOrder[i] {
					t.Fatalf("choices %v, want %v", got, tt.wantOrder)
				}
			}
			st := u.state()
			if st.Lang != "" || st.Session.Step != flows.StepLang {
				t.Errorf("language %q at step %q: the question must still be asked", st.Lang, st.Session.Step)
			}
			if st.Phone != tt.wantPhone {
				t.Errorf("stored phone %q, want %q", st.Phone, tt.wantPhone)
			}
			// "1" picks the first language shown.
			u.send(dialog.Message{Text: "1", Numbered: true, SenderPhone: tt.phone})
			if want := tt.wantOrder[0][len("lang:"):]; u.state().Lang != want {
				t.Errorf("after 1: language %q, want %q", u.state().Lang, want)
			}
		})
	}
}

func TestSenderPhoneOfferedAtPhoneQuestion(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("wa", "")
	send := func(text string) dialog.Reply {
		return u.send(dialog.Message{Text: text, Numbered: true, SenderPhone: "+77011234567"})
	}
	send("hi")
	send("3") // English, the third after Russian and Kazakh
	send("1") // Register
	send("Aigerim Nurlanova")
	send("15.05.1990")
	r := send("2") // Female
	if u.state().Session.Step != flows.StepRegPhone {
		t.Fatalf("at %q, want the phone question; reply %q", u.state().Session.Step, r.Text)
	}
	if len(r.Choices) == 0 || r.Choices[0].Label != "Use +7 701 123 45 67" {
		t.Fatalf("phone question offers %v, want \"Use +7 701 123 45 67\" first", labels(r))
	}
	send("1")
	if got := u.state().Session.Draft.Phone; got != "+77011234567" {
		t.Errorf("draft phone %q, want +77011234567", got)
	}
	// A later message with another number does not replace the known one.
	u.send(dialog.Message{Text: "/menu", SenderPhone: "+77770000000"})
	if got := u.state().Phone; got != "+77011234567" {
		t.Errorf("user phone %q, want +77011234567 kept", got)
	}
}
