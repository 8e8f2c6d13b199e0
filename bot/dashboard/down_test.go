package dashboard_test

import (
	"net/http"
	"strings"
	"testing"
)

// A channel that stopped shows as a banner on every page, with why.
func TestChannelDownBanner(t *testing.T) {
	e := newEnv(t)
	down := map[string]string{}
	e.dash.Down = func() map[string]string { return down }
	b := e.browser()
	b.login("Dana", "en")
	if r := b.get("/admin/"); r.code != http.StatusOK || strings.Contains(r.body, "is down") {
		t.Fatalf("all up: %d, banner in\n%s", r.code, r.body)
	}
	down["whatsapp"] = "the phone unlinked the bot"
	for _, path := range []string{"/admin/", "/admin/registrations"} {
		r := b.get(path)
		if r.code != http.StatusOK || !strings.Contains(r.body, `role="alert">whatsapp is down: the phone unlinked the bot</p>`) {
			t.Errorf("GET %s: %d, no banner in\n%s", path, r.code, r.body)
		}
	}
}
