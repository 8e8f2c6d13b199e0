package flows_test

import (
	"testing"

	"github.com/runforautism/rfabot/flows"
)

func TestAdminCommandsAreInvisibleToOthers(t *testing.T) {
	h := newHarness(t, nil)
	h.admins = []string{"test:org"}
	h.restart()
	org := h.user("org", "en")
	org.do([]action{{say: "/start"}, {say: "/admin", want: "Organizer commands:\n/find CODE, BIB, PHONE or NAME — find a registration"}})
	runner := h.user("runner", "en")
	runner.do([]action{{say: "/start"}, {say: "/admin", want: "don't know that command", not: "Organizer commands"}})
}

func TestMarkUnreachable(t *testing.T) {
	h := newHarness(t, nil)
	u := h.user("u", "en")
	u.say("/start")
	conv := flows.New(flows.Config{Store: h.store, Event: h.ev, Catalog: h.cat})
	if err := conv.MarkUnreachable(t.Context(), "test", "u"); err != nil {
		t.Fatal(err)
	}
	if !u.state().Unreachable {
		t.Error("user not marked unreachable")
	}
	if err := conv.MarkUnreachable(t.Context(), "test", "stranger"); err != nil {
		t.Errorf("unknown user: %v", err)
	}
}
