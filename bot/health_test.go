package bot

import (
	"net/http/httptest"
	"testing"
)

// /healthz lists the channels up, and why a channel is down; a channel
// coming back clears its reason.
func TestHealthReasons(t *testing.T) {
	h := &Health{}
	h.Set("telegram", true)
	h.SetDown("whatsapp", "the phone unlinked the bot")
	get := func() string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		return rec.Body.String()
	}
	if got, want := get(), `{"status":"ok","channels":["telegram"],"down":{"whatsapp":"the phone unlinked the bot"}}`+"\n"; got != want {
		t.Errorf("down: %s, want %s", got, want)
	}
	h.Set("whatsapp", true)
	if got, want := get(), `{"status":"ok","channels":["telegram","whatsapp"]}`+"\n"; got != want {
		t.Errorf("back up: %s, want %s", got, want)
	}
}
