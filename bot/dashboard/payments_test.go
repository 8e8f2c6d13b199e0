package dashboard_test

import (
	"strings"
	"testing"

	"github.com/runforautism/rfabot/domain"
)

// A participant's page lists each order with the provider, the
// transaction id, the amount and time paid, and the test flag.
func TestRecordListsPayments(t *testing.T) {
	e := newEnv(t)
	out, err := e.conv.ApplyPayment(t.Context(), domain.Payment{OrderID: "RFA-AIGE-1", Amount: 8990, Currency: "KZT",
		Status: domain.PaymentPaid, ProviderRef: "504938271", Provider: "tiptoppay", Test: true, At: testNow})
	if err != nil || out != domain.PaymentApplied {
		t.Fatalf("pay: %v %v", out, err)
	}
	b := e.browser()
	b.login("Айгүл", "en")
	page := b.get("/admin/r/RFA-AIGE").body
	for _, want := range []string{"<th>Provider</th>", "<th>Transaction</th>", "<td>tiptoppay</td>", "<td>504938271</td>",
		"8,990", "<td>test payment</td>"} {
		if !strings.Contains(strings.ReplaceAll(page, "\u00a0", " "), strings.ReplaceAll(want, "\u00a0", " ")) {
			t.Errorf("participant page lacks %q", want)
		}
	}
}
