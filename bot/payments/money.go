package payments

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ParseAmount reads a provider's amount in currency as whole units of
// want (tenge): "8990", "8990.00", "8 990,00" and "8990,0" are 8990. It
// never rounds: a fractional tenge ("8990.50"), a negative or zero
// amount, another currency, or anything but digits, spaces as thousands
// separators and one decimal point or comma, is refused with the reason.
func ParseAmount(amount, currency, want string) (int, error) {
	if currency != want {
		return 0, fmt.Errorf("currency %q is not %s", currency, want)
	}
	s := strings.TrimSpace(amount)
	if s == "" {
		return 0, errors.New("amount is empty")
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("amount %q is negative", amount)
	}
	// Thousands separators: a space, a no-break or a narrow no-break
	// space, between digits.
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	whole, frac, hasFrac := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if !digits(whole) || (hasFrac && !digits(frac)) {
		return 0, fmt.Errorf("amount %q is not a number like 8990.00", amount)
	}
	if strings.Trim(frac, "0") != "" {
		return 0, fmt.Errorf("amount %q has a fraction of a %s: only whole amounts are taken", amount, want)
	}
	n, err := strconv.Atoi(whole)
	if err != nil || n > 1_000_000_000 {
		return 0, fmt.Errorf("amount %q is too large", amount)
	}
	if n == 0 {
		return 0, fmt.Errorf("amount %q is zero", amount)
	}
	return n, nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
