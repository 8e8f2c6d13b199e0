package app

import (
	"testing"
	"time"

	"github.com/runforautism/rfabot/config"
	"github.com/runforautism/rfabot/event"
)

func TestDeliveryOptions(t *testing.T) {
	ev, err := event.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{Rates: map[string]float64{"telegram": 20}}
	tg := deliveryOptions(cfg, ev, "telegram")
	if tg.Rate != 20 || tg.PerChat != time.Second || tg.PaidRate != 0 {
		t.Errorf("telegram %+v", tg)
	}
	ev.Delivery.PaidBroadcast = true
	if tg := deliveryOptions(cfg, ev, "telegram"); tg.PaidRate != 1000 || tg.Senders < 100 {
		t.Errorf("telegram with paid broadcasts %+v", tg)
	}
	// The WhatsApp sender paces itself (WHATSAPP_PUSH_INTERVAL).
	if wa := deliveryOptions(cfg, ev, "whatsapp"); wa.Rate != 0 || wa.PerChat != time.Second || wa.PaidRate != 0 {
		t.Errorf("whatsapp %+v", wa)
	}
	if c := deliveryOptions(cfg, ev, "console"); c.Rate != 0 || c.PerChat != 0 {
		t.Errorf("console %+v", c)
	}
}
