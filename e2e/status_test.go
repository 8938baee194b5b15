//go:build e2e

package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// /zoom status for an admin with a wrong client secret, no Zoom Webhook Secret and
// no webhook yet: each problem is reported with where to fix it; a refused webhook
// shows up in the next report. Anyone else gets the help text.
func TestStatusNamesEachFix(t *testing.T) {
	e := start(t, nil)
	if err := e.h.UpdateSettings(map[string]any{"OAuthClientSecret": "not-the-secret", "ZoomWebhookSecret": ""}); err != nil {
		t.Fatal(err)
	}
	const console = "System Console > Plugins > Zoom > "
	report := e.status("admin")
	for _, want := range []string{
		// the wrong secret, and where to copy the right one from
		"Zoom refused the Client ID or Client Secret", "**App Credentials**", console + "Zoom OAuth Client ID and Zoom OAuth Client Secret",
		// the empty Zoom Webhook Secret
		"**Zoom Webhook Secret** is empty", "**Features > Event Subscriptions**", console + "Zoom Webhook Secret",
		// no webhook yet: the endpoint to enter in Zoom
		"No webhook has arrived", e.h.URL() + "/plugins/zoom/webhook?secret=",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	if strings.Count(report, ":x:") < 3 { // the two problems and the summary's legend
		t.Errorf("problems marked :x:: %d\n%s", strings.Count(report, ":x:"), report)
	}

	if status, _ := e.webhook(e.simEvent(e.sim.StartMeeting(e.scheduleMeeting("alice", "Standup").ID))); status != http.StatusUnauthorized {
		t.Fatalf("a webhook without a Zoom Webhook Secret: %d, want 401", status)
	}
	if report := e.status("admin"); !strings.Contains(report, "1 webhooks were refused") || !strings.Contains(report, console+"Zoom Webhook Secret") {
		t.Errorf("the report after a refused webhook:\n%s", report)
	}

	reply := e.status("bob")
	if strings.Contains(reply, "Zoom plugin status") || !strings.Contains(reply, "/zoom start") || strings.Contains(reply, "/zoom status") {
		t.Errorf("/zoom status for bob: %q", reply)
	}
}

// status runs /zoom status as user and returns the ephemeral reply.
func (e *env) status(user string) string {
	e.t.Helper()
	n := len(e.h.Ephemerals(e.userID(user)))
	e.command(user, "town-square", "/zoom status")
	posts := e.h.Ephemerals(e.userID(user))
	if len(posts) != n+1 {
		e.t.Fatalf("/zoom status as %s: %d replies", user, len(posts)-n)
	}
	return posts[n].Message
}
