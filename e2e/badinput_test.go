//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The plugin survives a sweep of bad input (SPEC §10): every answer is a 4xx
// (or a handled 2xx), never a crash, and it still serves afterwards.
func TestSurvivesBadInputSweep(t *testing.T) {
	e := start(t, nil)
	town := e.channelID("town-square")
	design := e.channelID("design")
	json := http.Header{"Content-Type": {"application/json"}}
	huge := `{"event":"meeting.ended","payload":"` + strings.Repeat("x", 2<<20) + `"}`

	cases := []struct {
		method, path, user, body string
		header                   http.Header
	}{
		{"POST", "/plugins/zoom/webhook?secret=wrong", "", `{"event":"meeting.ended"}`, json},
		{"POST", "/plugins/zoom/webhook", "", `{"event":"meeting.ended"}`, json},
		{"POST", "/plugins/zoom/webhook?secret=" + e.secret(), "", `{"event":"meeting.ended"}`, json}, // unsigned
		{"POST", "/plugins/zoom/webhook?secret=" + e.secret(), "", `{not json`, json},
		{"POST", "/plugins/zoom/webhook?secret=" + e.secret(), "", `{}`, http.Header{"Content-Type": {"text/plain"}}},
		{"POST", "/plugins/zoom/webhook?secret=" + e.secret(), "", huge, json},
		{"POST", "/plugins/zoom/deauthorization?secret=wrong", "", `{}`, json},
		{"POST", "/plugins/zoom/api/v1/meetings", "", `{}`, json},
		{"POST", "/plugins/zoom/api/v1/meetings", "alice", `{not json`, json},
		{"POST", "/plugins/zoom/api/v1/meetings", "alice", `{"channel_id":"nosuchchannel"}`, json},
		{"POST", "/plugins/zoom/api/v1/meetings", "carol", `{"channel_id":"` + design + `","use_pmi":"false"}`, json},
		{"POST", "/plugins/zoom/api/v1/meetings", "alice", `[1,2,3]`, json},
		{"POST", "/plugins/zoom/api/v1/askPMI", "alice", `{"context":{"action":"nonsense"}}`, json},
		{"POST", "/plugins/zoom/api/v1/askPMI", "alice", `garbage`, nil},
		{"POST", "/plugins/zoom/api/v1/updatePMI", "alice", `{"user_id":"x","context":{"action":12}}`, nil},
		{"POST", "/plugins/zoom/api/v1/channel-preference", "alice", `{"user_id":"` + e.userID("bob") + `","channel_id":"` + town + `"}`, nil},
		{"POST", "/plugins/zoom/api/v1/channel-preference", "admin", `{"submission":{"preference":"maybe"}}`, nil},
		{"GET", "/plugins/zoom/oauth2/complete?code=x&state=forged", "alice", "", nil},
		{"GET", "/plugins/zoom/oauth2/complete", "", "", nil},
		{"GET", "/plugins/zoom/../../etc/passwd", "", "", nil},
		{"DELETE", "/plugins/zoom/api/v1/meetings", "alice", "", nil},
		{"GET", "/plugins/zoom/nosuchroute", "alice", "", nil},
	}
	for _, c := range cases {
		status, body := e.do(c.method, c.path, c.user, c.body, c.header)
		if status >= 500 {
			t.Errorf("%s %s as %q: %d %s", c.method, short(c.path), c.user, status, short(body))
		}
	}
	for _, text := range []string{"/zoom", "/zoom nonsense", "/zoom subscription add notanumber", "/zoom subscription remove",
		"/zoom channel-settings", "/zoom " + strings.Repeat("x", 5000)} {
		if _, err := e.h.ExecuteCommand(e.userID("bob"), town, "", text); err != nil {
			t.Errorf("%s: %v", short(text), err)
		}
	}

	if n := len(e.h.Posts(town)); n != 0 {
		t.Errorf("bad input created %d posts", n)
	}
	status, body := e.do("GET", "/plugins/zoom/api/v1/health", "", "", nil)
	if status != http.StatusOK {
		t.Fatalf("plugin stopped answering: %d %s", status, body)
	}
}

func short(s string) string {
	if len(s) > 80 {
		return fmt.Sprintf("%s… (%d bytes)", s[:80], len(s))
	}
	return s
}

// secret is the WebhookSecret the host configured.
func (e *env) secret() string {
	s, _ := e.h.Settings()["webhooksecret"].(string)
	return s
}
