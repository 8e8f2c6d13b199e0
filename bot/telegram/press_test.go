package telegram_test

import (
	"testing"
)

// A button press is checked and applied in one transaction: whether it
// is stale is decided in the flows, in the transaction that takes it,
// with no read of the current question before it and no read of the
// phone keyboard after it. A stale press costs the same; a double tap
// on a press just taken costs none.
func TestPressIsOneTransaction(t *testing.T) {
	e := newEnv(t)
	e.start()
	p := e.person(7301, "en")
	p.say("/start")
	p.expect(e.part("en", "menu_ask"))
	p.tap(e.T("en", "menu_register"))
	p.expect(e.part("en", "reg_name_ask"))
	p.say("Aigerim Nurlanova")
	birth := p.expect(e.part("en", "reg_birth_ask"))[0]
	p.say("15.05.1990")
	p.expect(e.part("en", "reg_gender_ask"))
	e.engine.Wait()
	e.tx.take()

	if _, err := e.tg.Press(p.u, birth.ID, e.T("en", "back")); err != nil {
		t.Fatal(err)
	}
	p.expect(e.part("en", "button_stale") + "\n\n" + e.part("en", "reg_gender_ask"))
	e.engine.Wait()
	if u, v := e.tx.take(); u != 1 || v != 0 {
		t.Errorf("a stale press took %d updates and %d views, want one update", u, v)
	}

	// Pressed on the answer to the stale press; the phone question
	// then brings the phone keyboard up, which one more update saves.
	p.tap(e.T("en", "gender_female"))
	p.expect(e.part("en", "reg_phone_ask"), e.T("en", "phone_share_hint"))
	p.say("+7 701 555 66 77")
	p.expect(e.part("en", "reg_mode_ask"))
	e.engine.Wait()
	e.tx.take()

	id, cb := p.tap(e.T("en", "mode_choice_inperson"))
	p.expect(e.part("en", "reg_distance_ask"))
	e.engine.Wait()
	if u, v := e.tx.take(); u != 1 || v != 0 {
		t.Errorf("a press took %d updates and %d views, want one update", u, v)
	}
	if ok, _ := e.tg.Answered(cb.ID); !ok {
		t.Error("the press was not answered")
	}

	// The same button again, as a second tap that came before the
	// buttons were gone: answered and dropped. The message after it is
	// handled after it, and is the only one answered.
	again, err := e.tg.PressData(p.u, id, "mode:inperson")
	if err != nil {
		t.Fatal(err)
	}
	p.say("/menu")
	p.expect(e.part("en", "menu_ask"))
	e.engine.Wait()
	if u, v := e.tx.take(); u != 1 || v != 0 {
		t.Errorf("a double tap and a message took %d updates and %d views, want the message's one update", u, v)
	}
	e.tg.Wait(t, "the double tap answered", func() bool { ok, _ := e.tg.Answered(again.ID); return ok })
}
