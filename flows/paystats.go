package flows

import (
	"cmp"
	"slices"
	"strings"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/formats/export"
)

// ProviderMoney is the money one payment provider took, test payments
// apart: organizers see real money and test runs separately.
type ProviderMoney struct {
	// Provider is the provider's name (test, custom, tiptoppay,
	// freedompay).
	Provider string
	// Test marks test payments: no money moved.
	Test bool
	// Payments counts the paid orders and Amount sums them.
	Payments int
	Amount   int
}

// moneyTally sums paid orders by provider and test flag.
type moneyTally map[moneyKey]*ProviderMoney

type moneyKey struct {
	provider string
	test     bool
}

// add counts the paid orders among the n orders of code.
func (m moneyTally) add(tx domain.Tx, code string, n int) error {
	issued, err := orders(tx, code, n)
	if err != nil {
		return err
	}
	for _, o := range issued {
		if o.Status != domain.OrderPaid || o.PaidAmount == 0 {
			continue
		}
		k := moneyKey{o.Provider, o.Test}
		if m[k] == nil {
			m[k] = &ProviderMoney{Provider: o.Provider, Test: o.Test}
		}
		m[k].Payments++
		m[k].Amount += o.PaidAmount
	}
	return nil
}

// list is the tally, real money first, then by provider.
func (m moneyTally) list() []ProviderMoney {
	var out []ProviderMoney
	for _, v := range m {
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b ProviderMoney) int {
		if a.Test != b.Test {
			if a.Test {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Provider, b.Provider)
	})
	return out
}

// providerLine is /stats' money by provider: "tiptoppay 17,980 ₸ (2),
// test (test payments) 8,990 ₸ (1)".
func (t *turn) providerLine(by []ProviderMoney) string {
	if len(by) == 0 {
		return t.T("stats_providers", "List", "—")
	}
	var parts []string
	for _, p := range by {
		id := "stats_provider"
		if p.Test {
			id = "stats_provider_test"
		}
		parts = append(parts, t.T(id, "Provider", cmp.Or(p.Provider, "?"), "Amount", t.formatMoney(p.Amount), "Count", p.Payments))
	}
	return t.T("stats_providers", "List", strings.Join(parts, ", "))
}

// paidOrder is the order that paid the fee of code (the last paid one
// of its n orders), for the exports; zero when none did.
func paidOrder(tx domain.Tx, code string, n int) (domain.Order, error) {
	issued, err := orders(tx, code, n)
	if err != nil {
		return domain.Order{}, err
	}
	for i := len(issued) - 1; i >= 0; i-- {
		if o := issued[i]; o.Status == domain.OrderPaid || o.Status == domain.OrderRefunded {
			return o, nil
		}
	}
	return domain.Order{}, nil
}

// paymentCells are the export's columns of the payment o:
// payment_provider, transaction_id, payment_test.
func paymentCells(o domain.Order) []export.Cell {
	test := export.Cell{}
	if o.Test {
		test = export.Exact("yes")
	}
	return []export.Cell{export.Exact(o.Provider), export.Exact(o.ProviderRef), test}
}

// paymentColumns name paymentCells.
var paymentColumns = []string{"payment_provider", "transaction_id", "payment_test"}
