//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// badRequest is one row of the sweep: a request and the statuses it may get.
type badRequest struct {
	name                     string
	method, path, user, body string
	header                   http.Header
	want                     []int
}

var (
	is400 = []int{http.StatusBadRequest}
	is401 = []int{http.StatusUnauthorized}
	is403 = []int{http.StatusForbidden}
	// isRefused is any refusal, for requests where no one status is required.
	isRefused = []int{400, 401, 403, 404, 405, 413}
)

// signedHeader signs body as Zoom would at ts.
func (e *env) signedHeader(body string, ts time.Time) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	return http.Header{
		"Content-Type":           {"application/json"},
		"X-Zm-Request-Timestamp": {stamp},
		"X-Zm-Signature":         {zoom.Sign(e.sim.WebhookSecret(), stamp, []byte(body))},
	}
}

// The plugin answers a sweep of bad input over every route with a 4xx,
// changes nothing (KV and posts compared before and after), and still serves.
// The webhooks in the sweep are real events for alice's live meeting and
// Zoom account, so any that slipped through would show in the comparison.
func TestBadInputSweep(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	card := e.startedCard("alice", "design")
	id := e.cardMeetingID(card)
	e.mustWebhook(e.simEvent(e.sim.StartMeeting(id)), "meeting.started")
	ended := string(e.simEvent(e.sim.EndMeeting(id)))
	zoomID, _ := e.h.ZoomUserID(e.userID("alice"))
	deauth := string(e.simEvent(e.sim.DeauthorizeEvent(zoomID, false)))
	now := time.Now()

	webhook := "/plugins/zoom/webhook?secret=" + e.secret()
	deauthURL := "/plugins/zoom/deauthorization?secret=" + e.secret()
	json := http.Header{"Content-Type": {"application/json"}}
	tampered := e.signedHeader(strings.Replace(ended, "meeting.ended", "meeting.started", 1), now)
	garbage := e.signedHeader(ended, now)
	garbage.Set("X-Zm-Signature", "v0=00")
	huge := `{"event":"meeting.ended","payload":"` + strings.Repeat("x", 2<<20) + `"}`
	malformed := `{"event":"meeting.ended",`
	design, town := e.channelID("design"), e.channelID("town-square")
	question := fmt.Sprintf(`{"context":{"action":"USE PERSONAL MEETING ID","userID":%q,"channelID":%q}}`, e.userID("alice"), design)

	rows := []badRequest{
		{"webhook wrong secret", "POST", "/plugins/zoom/webhook?secret=wrong", "", ended, e.signedHeader(ended, now), is401},
		{"webhook no secret", "POST", "/plugins/zoom/webhook", "", ended, e.signedHeader(ended, now), is401},
		{"webhook unsigned", "POST", webhook, "", ended, json, is401},
		{"webhook stale timestamp", "POST", webhook, "", ended, e.signedHeader(ended, now.Add(-10*time.Minute)), is401},
		{"webhook future timestamp", "POST", webhook, "", ended, e.signedHeader(ended, now.Add(10*time.Minute)), is401},
		{"webhook signature of another body", "POST", webhook, "", ended, tampered, is401},
		{"webhook garbage signature", "POST", webhook, "", ended, garbage, is401},
		{"webhook malformed JSON", "POST", webhook, "", malformed, e.signedHeader(malformed, now), is400},
		{"webhook not JSON", "POST", webhook, "", ended, http.Header{"Content-Type": {"text/plain"}}, is400},
		{"webhook over 1 MiB", "POST", webhook, "", huge, e.signedHeader(huge, now), []int{400, 413}},
		{"webhook bad plainToken", "POST", webhook, "", `{"event":"endpoint.url_validation","payload":{"plainToken":"a b"}}`, json, is400},
		{"deauthorization wrong secret", "POST", "/plugins/zoom/deauthorization?secret=wrong", "", deauth, e.signedHeader(deauth, now), is401},
		{"deauthorization unsigned", "POST", deauthURL, "", deauth, json, is401},
		{"deauthorization stale", "POST", deauthURL, "", deauth, e.signedHeader(deauth, now.Add(-time.Hour)), is401},
		{"deauthorization malformed", "POST", deauthURL, "", malformed, e.signedHeader(malformed, now), is400},
		{"meetings without user", "POST", "/plugins/zoom/api/v1/meetings", "", `{"channel_id":"` + design + `"}`, nil, is401},
		{"askPMI without user", "POST", "/plugins/zoom/api/v1/askPMI", "", question, nil, is401},
		{"updatePMI without user", "POST", "/plugins/zoom/api/v1/updatePMI", "", `{"context":{"action":"Yes"}}`, nil, is401},
		{"channel-preference without user", "POST", channelPreferencePath, "", `{"state":"` + town + `","submission":{"preference":"restrict"}}`, nil, is401},
		{"connect without user", "GET", "/plugins/zoom/oauth2/connect", "", "", nil, is401},
		{"complete without user", "GET", "/plugins/zoom/oauth2/complete?code=x&state=y", "", "", nil, is401},
		{"meetings malformed", "POST", "/plugins/zoom/api/v1/meetings", "alice", `{not json`, nil, is400},
		{"meetings array", "POST", "/plugins/zoom/api/v1/meetings", "alice", `[1,2,3]`, nil, is400},
		{"meetings trailing data", "POST", "/plugins/zoom/api/v1/meetings", "alice", `{"channel_id":"` + design + `"} {}`, nil, is400},
		{"meetings over 64 KiB", "POST", "/plugins/zoom/api/v1/meetings", "alice", `{"topic":"` + strings.Repeat("x", 70<<10) + `"}`, nil, []int{400, 413}},
		{"meetings bad channel", "POST", "/plugins/zoom/api/v1/meetings", "alice", `{"channel_id":"nosuchchannel"}`, nil, is400},
		{"meetings not a member", "POST", "/plugins/zoom/api/v1/meetings", "carol", `{"channel_id":"` + design + `","use_pmi":"false"}`, nil, is403},
		{"askPMI malformed", "POST", "/plugins/zoom/api/v1/askPMI", "alice", `garbage`, nil, is400},
		{"askPMI unknown answer", "POST", "/plugins/zoom/api/v1/askPMI", "alice", `{"context":{"action":"nonsense","userID":"` + e.userID("alice") + `"}}`, nil, is400},
		{"askPMI for another user", "POST", "/plugins/zoom/api/v1/askPMI", "bob", question, nil, is403},
		{"updatePMI malformed", "POST", "/plugins/zoom/api/v1/updatePMI", "alice", `{"context":`, nil, is400},
		{"updatePMI for another user", "POST", "/plugins/zoom/api/v1/updatePMI", "bob", `{"user_id":"` + e.userID("alice") + `","context":{"action":"Yes"}}`, nil, is403},
		{"channel-preference malformed", "POST", channelPreferencePath, "admin", `{"submission":`, nil, is400},
		{"channel-preference by a non-admin", "POST", channelPreferencePath, "alice", `{"user_id":"` + e.userID("alice") + `","state":"` + town + `","submission":{"preference":"restrict"}}`, nil, is403},
		{"channel-preference claiming admin", "POST", channelPreferencePath, "alice", `{"user_id":"` + e.userID("admin") + `","state":"` + town + `","submission":{"preference":"restrict"}}`, nil, []int{401, 403}},
		{"channel-preference claiming another", "POST", channelPreferencePath, "admin", `{"user_id":"` + e.userID("alice") + `","state":"` + town + `","submission":{"preference":"restrict"}}`, nil, []int{401, 403}},
		{"complete with a forged state", "GET", "/plugins/zoom/oauth2/complete?code=x&state=forged", "alice", "", nil, is400},
		{"path traversal", "GET", "/plugins/zoom/../../etc/passwd", "", "", nil, isRefused},
		{"wrong method", "DELETE", "/plugins/zoom/api/v1/meetings", "alice", "", nil, isRefused},
		{"unknown route", "GET", "/plugins/zoom/nosuchroute", "alice", "", nil, isRefused},
	}

	before := e.state()
	for _, r := range rows {
		status, body := e.do(r.method, r.path, r.user, r.body, r.header)
		if !slices.Contains(r.want, status) {
			t.Errorf("%s: %d %s (want %v)", r.name, status, short(body), r.want)
		}
	}
	for _, text := range []string{"/zoom", "/zoom nonsense", "/zoom subscription add notanumber", "/zoom subscription remove",
		"/zoom channel-settings", "/zoom " + strings.Repeat("x", 5000)} {
		if _, err := e.h.ExecuteCommand(e.userID("bob"), town, "", text); err != nil {
			t.Errorf("%s: %v", short(text), err)
		}
	}
	if !strings.Contains(e.ephemeralText("bob"), `"notanumber" is not a Zoom meeting ID`) {
		t.Errorf("non-numeric meeting id: bob saw %q", e.ephemeralText("bob"))
	}

	if diff := before.diff(e.state()); diff != "" {
		t.Errorf("bad input changed: %s", diff)
	}
	if status, body := e.do("GET", "/plugins/zoom/api/v1/health", "", "", nil); status != http.StatusOK {
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
