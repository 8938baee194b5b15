//go:build e2e

package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// channelDialog runs /zoom channel-settings as admin in channel and returns
// the dialog the plugin opened.
func (e *env) channelDialog(channel string) (string, model.Dialog) {
	e.t.Helper()
	before := len(e.h.Dialogs(e.userID("admin")))
	e.command("admin", channel, "/zoom channel-settings")
	dialogs := e.h.Dialogs(e.userID("admin"))
	if len(dialogs) != before+1 {
		e.t.Fatalf("no dialog opened; admin saw: %s\nlog: %s", e.ephemeralText("admin"), e.problems())
	}
	d := dialogs[len(dialogs)-1]
	return d.URL, d.Dialog
}

// channelPreferencePath is where the channel-settings dialog is submitted.
const channelPreferencePath = "/plugins/zoom/api/v1/channel-preference"

// setChannelPreference submits the channel-settings dialog for channel as
// admin, as the dialog the plugin opens would be submitted (its state is the
// channel id).
func (e *env) setChannelPreference(channel, pref string) {
	e.t.Helper()
	id := e.channelID(channel)
	resp, err := e.h.SubmitDialog(e.userID("admin"), model.SubmitDialogRequest{
		URL: channelPreferencePath, CallbackId: id, State: id, ChannelId: id,
		Submission: map[string]any{"preference": pref},
	})
	if err != nil || resp.Error != "" || len(resp.Errors) != 0 {
		e.t.Fatalf("submit %s for %s: %v %+v", pref, channel, err, resp)
	}
}

func (e *env) channelPreferences() map[string]string {
	out := map[string]string{}
	if e.h.KVGet("zoomChannelSettings") == nil {
		return out
	}
	var m map[string]struct{ Preference string }
	e.kvJSON("zoomChannelSettings", &m)
	for id, s := range m {
		out[id] = s.Preference
	}
	return out
}

// /zoom channel-settings opens the dialog for admins only; submitting it
// stores the channel's preference.
func TestChannelSettingsDialog(t *testing.T) {
	e := start(t, nil)
	e.command("alice", "town-square", "/zoom channel-settings")
	if len(e.h.Dialogs(e.userID("alice"))) != 0 || !strings.Contains(e.ephemeralText("alice"), "system admin") {
		t.Fatalf("non-admin: dialogs %v, told %q", e.h.Dialogs(e.userID("alice")), e.ephemeralText("alice"))
	}
	url, d := e.channelDialog("town-square")
	if !strings.HasSuffix(url, channelPreferencePath) || d.State != e.channelID("town-square") ||
		len(d.Elements) != 1 || d.Elements[0].Name != "preference" || len(d.Elements[0].Options) != 3 {
		t.Fatalf("dialog at %s: %+v", url, d)
	}
	resp, err := e.h.SubmitDialog(e.userID("admin"), model.SubmitDialogRequest{URL: url, CallbackId: d.CallbackId,
		State: d.State, ChannelId: e.channelID("town-square"), Submission: map[string]any{"preference": "restrict"}})
	if err != nil || resp.Error != "" {
		t.Fatalf("submit: %v %+v", err, resp)
	}
	if got := e.channelPreferences(); got[e.channelID("town-square")] != "restrict" {
		t.Fatalf("zoomChannelSettings: %v", got)
	}
}

// A restricted channel refuses starts with a message, and nothing reaches
// Zoom. A submission naming another user than the session's stores nothing.
func TestChannelRestriction(t *testing.T) {
	e := start(t, nil)
	town := e.channelID("town-square")

	// Forged submissions through the route itself: the user_id in the body is
	// not the session's.
	before := e.state()
	forged := []struct{ session, claimed string }{{"alice", "admin"}, {"admin", "alice"}}
	for _, f := range forged {
		status, body := e.postJSON(channelPreferencePath, f.session, model.SubmitDialogRequest{
			Type: "dialog_submission", URL: channelPreferencePath, CallbackId: town, State: town, ChannelId: town,
			UserId: e.userID(f.claimed), Submission: map[string]any{"preference": "restrict"},
		})
		if status < 400 || status >= 500 {
			t.Errorf("session %s claiming %s: %d %s", f.session, f.claimed, status, body)
		}
	}
	if diff := before.diff(e.state()); diff != "" {
		t.Fatalf("forged submissions changed: %s", diff)
	}

	e.setChannelPreference("town-square", "restrict")
	if got := e.channelPreferences(); got[town] != "restrict" || len(got) != 1 {
		t.Fatalf("zoomChannelSettings: %v", got)
	}

	e.connect("alice")
	e.setPreference("alice", "false")
	e.sim.ResetCalls()
	e.command("alice", "town-square", "/zoom start")
	if !strings.Contains(e.ephemeralText("alice"), "turned off Zoom meetings in this channel") {
		t.Errorf("restricted start: alice saw %q", e.ephemeralText("alice"))
	}
	status, out := e.startMeeting("alice", "town-square", "false")
	if status != http.StatusForbidden || out["error"] == nil {
		t.Errorf("restricted start via the route: %d %v", status, out)
	}
	if e.lastCard("town-square") != nil || e.sim.CountCalls("POST", "/v2/") != 0 {
		t.Errorf("a restricted channel got a meeting (Zoom calls: %v)", e.sim.Calls())
	}
}

// RestrictMeetingCreation refuses public channels unless a channel is allowed;
// /zoom channel-settings list reports the channels and the default.
func TestRestrictMeetingCreationAndList(t *testing.T) {
	e := start(t, map[string]any{"RestrictMeetingCreation": true})
	e.connect("alice")
	e.setPreference("alice", "false")

	e.command("alice", "off-topic", "/zoom start")
	if e.lastCard("off-topic") != nil || !strings.Contains(e.ephemeralText("alice"), "public channels") {
		t.Fatalf("public channel start: alice saw %q", e.ephemeralText("alice"))
	}
	e.startedCard("alice", "design") // private channels stay allowed

	e.setChannelPreference("off-topic", "allow")
	e.setChannelPreference("town-square", "restrict")
	e.command("alice", "off-topic", "/zoom start")
	if e.lastCard("off-topic") == nil {
		t.Fatalf("allowed public channel refused: alice saw %q", e.ephemeralText("alice"))
	}

	e.command("admin", "design", "/zoom channel-settings list")
	list := strings.ToLower(e.ephemeralText("admin")) // "allow" or "Allowed": the words are ours
	for _, want := range []string{"| ~off-topic | allow", "| ~town-square | restrict", "not allowed in public channels"} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q:\n%s", want, list)
		}
	}
	e.command("alice", "design", "/zoom channel-settings list")
	if strings.Contains(e.ephemeralText("alice"), "~town-square") {
		t.Error("a non-admin got the channel list")
	}
}
