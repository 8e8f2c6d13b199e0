package bot

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"
)

// Health tracks which channels are up, for GET /healthz.
type Health struct {
	// Payments is shown when it is "test": the bot's test checkout is
	// on, and no real payment goes through.
	Payments string
	mu       sync.Mutex
	channels map[string]bool
}

// Set records whether channel is up.
func (h *Health) Set(channel string, up bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.channels == nil {
		h.channels = map[string]bool{}
	}
	h.channels[channel] = up
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

// ServeHTTP answers 200 with the channels that are up and, with the
// test checkout, "payments": "test".
func (h *Health) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(struct {
		Status   string   `json:"status"`
		Channels []string `json:"channels"`
		Payments string   `json:"payments,omitempty"`
	}{"ok", h.Up(), h.Payments})
}
