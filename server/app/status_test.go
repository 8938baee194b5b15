package app

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/manifest"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

func (w *world) status() string {
	w.t.Helper()
	report, err := w.app.StatusReport(w.ctx, w.admin.Id)
	if err != nil {
		w.t.Fatalf("StatusReport: %v", err)
	}
	return report
}

// reconfigure publishes a changed copy of the world's settings.
func (w *world) reconfigure(mutate func(*config.Settings)) error {
	s := *w.settings
	mutate(&s)
	w.settings = &s
	return w.app.Configure(&s)
}

func wantLines(t *testing.T, report string, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(report, s) {
			t.Errorf("report lacks %q:\n%s", s, report)
		}
	}
}

// problemLines returns the lines marked as problems (:x:).
func problemLines(report string) []string {
	var out []string
	for _, l := range strings.Split(report, "\n") {
		if strings.HasPrefix(l, string(statusProblem)) {
			out = append(out, l)
		}
	}
	return out
}

func TestStatusOfAHealthyUserLevelSetup(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.admin, "admin@example.com")
	w.mustConnect(w.alice, "alice@example.com")
	w.app.Diagnostics().RecordEvent(zoom.EventMeetingEnded)
	report := w.status()
	wantLines(t, report,
		"Version "+manifest.Version, "Everything checked works.",
		"Mode: user-level OAuth",
		"Zoom accepted the Client ID and Client Secret.",
		"Zoom answers with your own connection (connected as admin@example.com).",
		"Last webhook on this server: `meeting.ended`",
		"No webhook was refused on this server since activation.",
		"No webhook work is waiting",
		"2 users have connected their Zoom account.",
		"/plugins/zoom/oauth2/complete",
	)
	if p := problemLines(report); len(p) != 0 {
		t.Errorf("problems in a healthy setup: %q", p)
	}
}

// The broken setup the issue names: a wrong client secret, no Zoom webhook secret and
// no webhook ever received. Each problem names the setting or Zoom page that fixes it.
func TestStatusNamesEveryFixOfABrokenConfiguration(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.admin, "admin@example.com") // connected before the secret went wrong
	if err := w.reconfigure(func(s *config.Settings) {
		s.OAuthClientSecret = "not-the-secret"
		s.ZoomWebhookSecret = ""
	}); err != nil {
		t.Fatal(err)
	}
	w.app.Diagnostics().RecordFailClosed()
	w.app.Diagnostics().RecordFailClosed()
	w.app.Diagnostics().RecordRefusal("zoom: webhook signature mismatch")
	report := w.status()
	wantLines(t, report,
		"Zoom refused the Client ID or Client Secret.", "App Credentials", "System Console > Plugins > Zoom > Zoom OAuth Client ID and Zoom OAuth Client Secret",
		"**Zoom Webhook Secret** is empty", "System Console > Plugins > Zoom > Zoom Webhook Secret", "Features > Event Subscriptions",
		"No webhook has arrived on this server since the plugin was activated.", "https://chat.example.com/plugins/zoom/webhook?secret=<Webhook Secret>", "click **Validate**",
		"2 webhooks were refused on this server since activation because **Zoom Webhook Secret** was empty",
		"1 webhooks failed the signature check on this server since activation (last: zoom: webhook signature mismatch",
	)
	if n := len(problemLines(report)); n != 4 {
		t.Errorf("%d problems, want 4 (credentials, empty secret, fail closed, signatures):\n%s", n, report)
	}
	if !strings.Contains(report, "4 to fix (:x:), 1 to check (:warning:).") {
		t.Errorf("summary line wrong:\n%s", report)
	}
}

func TestStatusExplainsAnUnconfiguredPlugin(t *testing.T) {
	w := newWorld(t)
	err := w.reconfigure(func(s *config.Settings) {
		s.OAuthClientID = ""
		s.SiteURL = "chat.example.com"
	})
	if err == nil {
		t.Fatal("configuration without client id accepted")
	}
	report := w.status()
	wantLines(t, report,
		"**Zoom OAuth Client ID** is empty.", "System Console > Plugins > Zoom > Zoom OAuth Client ID",
		"The **Site URL** \"chat.example.com\" is not an absolute URL", "System Console > Environment > Web Server > Site URL",
		"Zoom was not contacted",
	)
	if calls := w.sim.CountCalls("", "/"); calls != 0 {
		t.Errorf("an unconfigured report called Zoom %d times", calls)
	}
}

func TestStatusSiteURLShapes(t *testing.T) {
	for raw, want := range map[string]string{
		"http://chat.example.com":  "is not https",
		"https://127.0.0.1:8065":   "local or private address",
		"https://localhost":        "local or private address",
		"https://chat.example.com": "**Site URL** is https://chat.example.com.",
	} {
		w := newWorld(t, func(s *config.Settings) { s.SiteURL = raw })
		w.mustConnect(w.admin, "admin@example.com")
		wantLines(t, w.status(), want)
	}
}

func TestStatusAccountLevel(t *testing.T) {
	w := newWorld(t, accountLevel)
	report := w.status()
	wantLines(t, report, "Mode: account-level OAuth", "No system admin has connected the account-level Zoom app", "Run /zoom connect")
	w.mustConnect(w.admin, "admin@example.com")
	wantLines(t, w.status(), "Zoom answers with the organisation's connection (connected as admin@example.com).")
}

func TestStatusCountsPendingJobsAndIsForAdminsOnly(t *testing.T) {
	w := newWorld(t)
	for i, finished := range []bool{false, false, true} {
		j := &store.Job{ID: store.JobID("status", string(rune('a'+i))), Kind: "test", Data: json.RawMessage(`{}`), Finished: finished}
		if ok, err := w.app.kv.InsertJob(j); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	wantLines(t, w.status(), "2 webhook jobs are not finished yet",
		"You have not connected your own Zoom account, so no API call was tried.", "0 users have connected")
	if _, err := w.app.StatusReport(w.ctx, w.alice.Id); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-admin got %v", err)
	}
}

// A Zoom URL setting of blanks is refused by Validate, and the report flags that very
// setting in the admin's language instead of calling it the default.
func TestStatusFlagsTheURLValidateRefuses(t *testing.T) {
	w := newWorld(t)
	if err := w.reconfigure(func(s *config.Settings) { s.ZoomAPIURL = " " }); err == nil {
		t.Fatal("a blank Zoom API URL was accepted")
	}
	report := w.status()
	wantLines(t, report, `**Zoom API URL** is " ", which is not an absolute https URL.`)
	if strings.Contains(report, "The settings are not valid") {
		t.Errorf("the refusal is explained twice:\n%s", report)
	}
}

// When Zoom refuses the stored refresh token, the report says that the connection
// failed and why, for a user's own connection and for the organisation's.
func TestStatusReportsARefusedConnection(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.admin, "admin@example.com")
	tokens := w.app.current.Load().tokens
	w.sim.RevokeUserTokens(w.expireStored(tokens, w.admin.Id).ZoomID)
	wantLines(t, w.status(), "Your own Zoom connection failed (Zoom no longer accepts the stored token).")

	w = newWorld(t, accountLevel)
	w.mustConnect(w.admin, "admin@example.com")
	w.sim.RevokeUserTokens(w.expireAdmin(w.app.current.Load().tokens))
	wantLines(t, w.status(), "The organisation's Zoom connection failed (Zoom no longer accepts the stored token).")
}
