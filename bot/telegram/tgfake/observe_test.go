package tgfake_test

import (
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot/telegram/tgfake"
)

// Changed wakes the watcher of one chat when the bot sends to it or
// edits there, and no one else; HandedAt is the first hand-out of an
// update, and a bot message knows when it was sent.
func TestChangedAndHandedAt(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	other := tgfake.User{ID: 43, FirstName: "Erlan", LanguageCode: "kk"}
	id := s.Text(aigerim, "/start")
	s.Text(other, "/start")
	if _, ok := s.HandedAt(id); ok {
		t.Fatal("handed out before any poll")
	}
	before := time.Now()
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatal(err)
	}
	first, ok := s.HandedAt(id)
	if !ok || first.Before(before) {
		t.Fatalf("HandedAt = %v, %v", first, ok)
	}
	// Handed out again while unconfirmed: the first time stays.
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.HandedAt(id); !again.Equal(first) {
		t.Errorf("HandedAt moved from %v to %v", first, again)
	}

	mine, theirs := s.Changed(aigerim.ID), s.Changed(other.ID)
	msg := tgbotapi.NewMessage(aigerim.ID, "Сәлеметсіз бе!")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Тіркелу", "m:reg")))
	sent, err := api.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-mine:
	case <-time.After(5 * time.Second):
		t.Fatal("the chat's watcher was not woken by a send")
	}
	select {
	case <-theirs:
		t.Fatal("another chat's watcher was woken")
	default:
	}
	if m := s.BotMessages(aigerim.ID); len(m) != 1 || m[0].Sent.Before(first) {
		t.Errorf("bot messages %+v", m)
	}
	mine = s.Changed(aigerim.ID)
	if _, err := api.Send(tgbotapi.NewEditMessageText(aigerim.ID, sent.MessageID, "Сәлеметсіз бе!\n\n✓ Тіркелу")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-mine:
	case <-time.After(5 * time.Second):
		t.Fatal("the chat's watcher was not woken by an edit")
	}
}

// Raw sends an update as written, after its update_id.
func TestRawUpdate(t *testing.T) {
	s := tgfake.New(t)
	api := client(t, s)
	id := s.Raw("message", `"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"text":"hi"}`)
	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 1 || ups[0].UpdateID != id || ups[0].Message.Text != "hi" {
		t.Fatalf("getUpdates: %v %+v", err, ups)
	}
}
