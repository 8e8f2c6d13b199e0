package event_test

import (
	"os"
	"strings"
	"testing"

	"github.com/runforautism/rfabot/event"
)

// FuzzPromo checks how a promo code typed by a participant is read: it
// matches a code of the event file whatever its case and the spaces
// around it, and nothing else; the discount is never more than the fee
// nor below zero.
func FuzzPromo(f *testing.F) {
	src, err := os.ReadFile("event.example.toml")
	if err != nil {
		f.Fatal(err)
	}
	ev, err := event.Parse(append(src, []byte(`
[[promo_codes]]
code = "VOLUNTEER27"
percent = 100
limit = 50
valid_until = "2027-03-31"

[[promo_codes]]
code = "Friends10"
amount = 1000
limit = 1000
valid_until = "2027-03-31"

[[promo_codes]]
code = "HALF"
percent = 50
limit = 1
valid_until = "2027-03-31"
`)...))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"VOLUNTEER27", " volunteer27 ", "FRIENDS10", "friends 10", "HALF\n", "ＨＡＬＦ", "", "VOLUNTEER2"} {
		f.Add(s, 6990)
	}
	f.Fuzz(func(t *testing.T, code string, fee int) {
		p, ok := ev.Promo(code)
		var want *event.PromoCode
		for i, c := range ev.PromoCodes {
			if strings.EqualFold(c.Code, strings.TrimSpace(code)) {
				want = &ev.PromoCodes[i]
				break
			}
		}
		if ok != (want != nil) || ok && p.Code != want.Code {
			t.Fatalf("Promo(%q) = %q, %v", code, p.Code, ok)
		}
		if !ok || fee < 0 {
			return
		}
		if d := p.Discount(fee); d < 0 || d > fee {
			t.Fatalf("%s takes %d off a fee of %d", p.Code, d, fee)
		}
	})
}
