package telegram_test

import (
	"strings"
	"testing"
)

// An update the client library cannot decode is logged and skipped: the
// updates after it are answered, and the offset moves past it.
func TestUndecodableUpdateIsSkipped(t *testing.T) {
	e := newEnv(t)
	e.start()
	bad := e.tg.Raw("message", `"message":{"message_id":"seven","date":1,"chat":{"id":7301,"type":"private"},"from":{"id":7301,"is_bot":false,"first_name":"X"},"text":"/start"}`)
	p := e.person(7302, "en")
	p.say("/start")
	p.expect(e.part("en", "menu_ask"))
	e.tg.Wait(t, "every update confirmed", func() bool { return len(e.tg.Unconfirmed()) == 0 })
	if !strings.Contains(e.logs.String(), "update ignored: cannot decode it") {
		t.Errorf("update %d not logged:\n%s", bad, e.logs)
	}
	if msgs := e.tg.BotMessages(7301); len(msgs) != 0 {
		t.Errorf("answered the undecodable update: %+v", msgs)
	}
}
