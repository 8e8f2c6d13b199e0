package tgfake_test

import (
	"slices"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
)

// The library's sendMessage and editMessageText configs send
// "entities":null, which the Bot API reference types as an array: the
// fake records it, as it does unknown parameters, wrong types and
// unknown update types, and takes plain parameters without complaint.
func TestViolationsOfTheReference(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	s.AddChat(aigerim)
	sent, err := api.Send(tgbotapi.NewMessage(aigerim.ID, "Menu"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Send(tgbotapi.NewEditMessageText(aigerim.ID, sent.MessageID, "Menu, edited")); err != nil {
		t.Fatal(err)
	}
	plain := tgbotapi.Params{"chat_id": "42", "message_id": "1", "text": "Menu, edited again"}
	if _, err := api.MakeRequest("editMessageText", plain); err != nil {
		t.Fatal(err)
	}
	odd := tgbotapi.Params{"chat_id": "42", "text": "Hi", "disable_notification": "yes", "colour": "red"}
	if _, err := api.MakeRequest("sendMessage", odd); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Request(tgbotapi.UpdateConfig{AllowedUpdates: []string{"message", "edits"}}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`sendMessage: entities is "null", not a JSON-serialized array`,
		`editMessageText: entities is "null", not a JSON-serialized array`,
		`sendMessage: unknown parameter colour`,
		`sendMessage: disable_notification is "yes", not a Boolean`,
		`getUpdates: allowed_updates names no update type "edits"`,
	}
	if got := s.Violations(); !slices.Equal(got, want) {
		t.Errorf("violations\n%q\nwant\n%q", got, want)
	}
}
