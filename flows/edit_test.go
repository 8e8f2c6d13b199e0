package flows_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
)

// An edited message answers the question still open when it edits the
// user's last, typed answer to it; any other edit is not read, and the
// user is told so with the current question again.
func TestEditedMessages(t *testing.T) {
	type send struct {
		msg  dialog.Message
		want string
		step domain.Step
	}
	text := func(ref, s string) dialog.Message { return dialog.Message{Text: s, Ref: ref} }
	edit := func(ref, s string) dialog.Message { return dialog.Message{Text: s, Ref: ref, Edited: true} }
	const notRead = "I do not read edited messages"
	tests := []struct {
		name  string
		sends []send
	}{
		{"a refused answer corrected", []send{
			{text("1", "yesterday"), "date of birth", flows.StepRegBirth},
			{edit("1", "15.05.1990"), "gender", flows.StepRegGender},
		}},
		{"an accepted answer edited", []send{
			{text("1", "15.05.1990"), "gender", flows.StepRegGender},
			{edit("1", "16.05.1990"), notRead, flows.StepRegGender},
		}},
		{"an older refused answer edited", []send{
			{text("1", "yesterday"), "date of birth", flows.StepRegBirth},
			{text("2", "today"), "date of birth", flows.StepRegBirth},
			{edit("1", "15.05.1990"), notRead, flows.StepRegBirth},
			{edit("2", "15.05.1990"), notRead, flows.StepRegBirth},
		}},
		{"an edit without a message id", []send{
			{text("", "yesterday"), "date of birth", flows.StepRegBirth},
			{edit("", "15.05.1990"), notRead, flows.StepRegBirth},
		}},
		{"a button pressed after the answer", []send{
			{text("1", "yesterday"), "date of birth", flows.StepRegBirth},
			{dialog.Message{Payload: "back"}, "full name", flows.StepRegName},
			{edit("1", "Oliver Smith"), notRead, flows.StepRegName},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			u := h.user("e", "en")
			u.do([]action{{say: "/start register"}, {say: "Oliver Smith", want: "date of birth"}})
			for i, s := range tt.sends {
				r := u.send(s.msg)
				if !strings.Contains(r.Text, s.want) {
					t.Fatalf("send %d: reply %q lacks %q", i, r.Text, s.want)
				}
				if got := u.state().Session.Step; got != s.step {
					t.Fatalf("send %d: at %q, want %q", i, got, s.step)
				}
			}
		})
	}
}
