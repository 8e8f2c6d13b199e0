// Package chattest is the table of conversations that every WhatsApp
// transport's tests run through their fake (whatsmeow's client, the
// Cloud API's server): the same flows must answer the same way at each
// channel boundary. A transport's driver types Say, picks the Pick-th
// choice of the last answer its own way (a typed number, a reply button
// or a list row), and checks the answer's text.
package chattest

import (
	"strings"

	"github.com/runforautism/rfabot/locales"
)

// Step is one message of the user and what the answer must say.
type Step struct {
	// Say is typed; Pick, when Say is empty, is the choice of the last
	// answer to pick, from 1.
	Say  string
	Pick int
	// Want is the locale id whose text (up to its first placeholder)
	// the answer contains, in the conversation's language or, written
	// "ru:welcome", in another.
	Want string
	// Typed is set on a step that only a channel of numbered lists
	// sees: a transport with buttons leaves it out.
	Typed bool
}

// Conversation is a user's conversation from their first message.
type Conversation struct {
	Name string
	Lang string
	// From is the user's number, digits only.
	From  string
	Steps []Step
}

// Conversations run through every transport.
var Conversations = []Conversation{
	{Name: "registration in Russian", Lang: "ru", From: "77011234567", Steps: []Step{
		{Say: "Сәлем", Want: "lang_ask"},
		{Pick: 1, Want: "welcome"},
		{Pick: 1, Want: "reg_name_ask"},
		{Say: "Айгерим Нурланова", Want: "reg_birth_ask"},
		{Say: "15.05.1990", Want: "reg_gender_ask"},
		{Pick: 1, Want: "reg_phone_ask"},
		{Pick: 1, Want: "reg_mode_ask"},
		{Pick: 1, Want: "reg_distance_ask"},
		{Pick: 3, Want: "reg_category_ask"},
		{Pick: 1, Want: "reg_tshirt_ask"},
		{Pick: 3, Want: "reg_emergency_name_ask"},
		{Say: "Нурлан Абенов", Want: "reg_emergency_phone_ask"},
		{Say: "+7 701 765 43 21", Want: "reg_consent_ask"},
		{Pick: 1, Want: "reg_summary_header"},
		// The same number again at once reads as sent twice.
		{Pick: 1, Want: "number_twice", Typed: true},
		{Pick: 1, Want: "reg_done"},
	}},
	{Name: "English, help, then Russian", Lang: "en", From: "77015550101", Steps: []Step{
		{Say: "hello", Want: "ru:lang_ask"},
		{Pick: 3, Want: "welcome"},
		{Say: "/help", Want: "help"},
		{Say: "/lang", Want: "lang_ask"},
		{Pick: 2, Want: "ru:lang_set"},
	}},
	{Name: "support in Kazakh", Lang: "kk", From: "77015550202", Steps: []Step{
		{Say: "Сәлем", Want: "ru:lang_ask"},
		{Pick: 2, Want: "welcome"},
		{Say: "/support", Want: "support_intro"},
	}},
}

// Lead is what the answer to a step must contain: the start of the
// text of want, cut before its first placeholder and to 18 characters.
func Lead(cat *locales.Catalog, lang, want string) string {
	if l, id, ok := strings.Cut(want, ":"); ok {
		lang, want = l, id
	}
	s := cat.T(lang, want, nil)
	if i := strings.Index(s, "<no value>"); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 18 {
		s = string(r[:18])
	}
	return s
}
