package telegram_test

import (
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// A double tap on a button opens its screen once: the second tap, on a
// message whose buttons are still there, is answered and dropped, not
// answered as a stale press with the same screen again.
func TestDoubleTapOpensOnce(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(8101, "ru")
	p.say("/start")
	menu := p.expect(e.part("ru", "menu_ask"))[0]
	first, err := e.tg.Press(p.u, menu.ID, e.T("ru", "menu_info"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.tg.Press(p.u, menu.ID, e.T("ru", "menu_info"))
	if err != nil {
		t.Fatal(err)
	}
	info := p.expect(e.part("ru", "info_distances"))[0]
	if strings.Contains(info.Text, e.T("ru", "button_stale")) {
		t.Errorf("the first tap answered as stale: %q", info.Text)
	}
	// A chat's updates are handled in order: whatever the second tap
	// brought would come before the answer to this.
	p.say("/menu")
	p.expect(e.part("ru", "menu_ask"))
	for _, cb := range []string{first.ID, second.ID} {
		if ok, _ := e.tg.Answered(cb); !ok {
			t.Errorf("tap %s not answered", cb)
		}
	}
}

// /diploma sends the PDF first and the menu under it, so the buttons
// stay at the bottom of the chat.
func TestDiplomaAboveTheMenu(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(8201, "kk")
	e.seed(p, "kk", flows.Registration{Code: "RFA-DP01", Name: "Әсел Қайратқызы", Birth: "1995-02-01", Status: flows.StatusPaid, Bib: 1001})
	err := e.store.Update(t.Context(), func(tx flows.Tx) error {
		return tx.PutResult(&flows.Result{Code: "RFA-DP01", Bib: 1001, Distance: "5k", Mode: event.InPerson,
			Status: flows.ResultFinished, Time: 31*time.Minute + 7*time.Second})
	})
	if err != nil {
		t.Fatal(err)
	}
	p.say("/diploma")
	msgs := p.expect("", e.part("kk", "menu_ask"))
	if d := msgs[0].Document; d == nil || d.FileName != "diploma-RFA-DP01.pdf" || !strings.HasPrefix(string(d.Data), "%PDF") {
		t.Fatalf("first message %+v, want the diploma; chat:\n%s", msgs[0], p.transcript())
	}
	if !strings.Contains(msgs[1].Text, e.part("kk", "diploma_here")) || msgs[1].Inline == nil {
		t.Errorf("the menu under the diploma: %+v", msgs[1])
	}
}
