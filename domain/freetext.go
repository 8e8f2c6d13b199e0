package domain

// Offer is what a free-text question offers besides its own buttons
// after a text it did not take: the support button, and after "Is this
// the name?" a way to confirm. It holds no text: what the user wrote is
// never kept for later. It lasts while the user stays on Step.
type Offer struct {
	Step Step `json:"step,omitempty"`
	// Name offers "Yes, it is the name".
	Name bool `json:"name,omitempty"`
	// Confirmed: the user said the next text at Step is a name; it is
	// not checked for first-person words and length again.
	Confirmed bool `json:"confirmed,omitempty"`
}
