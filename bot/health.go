package bot

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"sync"
)

// Health tracks which channels are up, and why a channel is down when
// it stopped for a reason someone must act on, for GET /healthz and the
// dashboard's banner.
type Health struct {
	// Payments is shown when it is "test": the bot's test checkout is
	// on, and no real payment goes through.
	Payments string
	mu       sync.Mutex
	channels map[string]bool
	reasons  map[string]string
}

// Set records whether channel is up. Up clears the reason it was down.
func (h *Health) Set(channel string, up bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.channels == nil {
		h.channels = map[string]bool{}
	}
	h.channels[channel] = up
	if up {
		delete(h.reasons, channel)
	}
}

// SetDown records that channel is down because of reason (a sentence
// for organizers, in English: "logged out from the phone").
func (h *Health) SetDown(channel, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.channels == nil {
		h.channels = map[string]bool{}
	}
	if h.reasons == nil {
		h.reasons = map[string]string{}
	}
	h.channels[channel] = false
	h.reasons[channel] = reason
}

// Up lists the channels that are up, sorted.
func (h *Health) Up() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	up := []string{}
	for c, ok := range h.channels {
		if ok {
			up = append(up, c)
		}
	}
	slices.Sort(up)
	return up
}

// Down is the channels that are down for a reason, with the reason.
func (h *Health) Down() map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.reasons)
}

// ServeHTTP answers 200 with the channels that are up, under "down"
// those that stopped for a reason, with the reason, and, with the test
// checkout, "payments": "test".
func (h *Health) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(struct {
		Status   string            `json:"status"`
		Channels []string          `json:"channels"`
		Down     map[string]string `json:"down,omitempty"`
		Payments string            `json:"payments,omitempty"`
	}{"ok", h.Up(), h.Down(), h.Payments})
}
