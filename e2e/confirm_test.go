//go:build e2e

package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// Above LargeChannelThreshold members, /zoom start and the webapp's route both show
// the confirmation card and ask nothing of Zoom; "Start meeting" starts the meeting,
// "Cancel" does not, and a threshold of 0 never asks.
func TestLargeChannelConfirmation(t *testing.T) {
	e := start(t, map[string]any{"LargeChannelThreshold": 2})
	e.connect("alice")
	e.setPreference("alice", "false")
	created := func() int { return e.sim.CountCalls(http.MethodPost, "/v2/users/") }

	e.command("alice", "town-square", "/zoom start Town hall")
	fromCommand := e.confirmCard("alice")
	status, out := e.startMeeting("alice", "town-square", "false")
	if status != http.StatusOK || out["meeting_url"] != "" {
		t.Errorf("POST meetings in a large channel: %d %v", status, out)
	}
	fromRoute := e.confirmCard("alice")
	if fromRoute.Id == fromCommand.Id || e.lastCard("town-square") != nil || created() != 0 {
		t.Fatalf("before confirming: card %v, %d meeting creations", e.lastCard("town-square"), created())
	}

	before := e.state()
	e.click("alice", fromRoute, "Cancel")
	// Cancel only records that the card was answered, and removes it.
	if diff := before.diff(e.state()); diff != "KV added zoomanswered_"+e.userID("alice")+"_"+fromRoute.Id || created() != 0 {
		t.Errorf("Cancel changed: %s; %d meeting creations", diff, created())
	}
	if got := e.shown("alice", fromRoute.Id); got != nil {
		t.Errorf("the cancelled card is still shown: %q", got.Message)
	}

	e.click("alice", fromCommand, "Start meeting")
	card := e.lastCard("town-square")
	if card == nil || card.GetProp("meeting_topic") != "Town hall" || card.UserId != e.userID("alice") || created() != 1 {
		t.Fatalf("after Start meeting: card %v, %d meeting creations; alice saw: %s", card, created(), e.ephemeralText("alice"))
	}

	if err := e.h.UpdateSettings(map[string]any{"LargeChannelThreshold": 0}); err != nil {
		t.Fatal(err)
	}
	e.command("alice", "off-topic", "/zoom start")
	if e.lastCard("off-topic") == nil {
		t.Errorf("threshold 0 still asked; alice saw: %s", e.ephemeralText("alice"))
	}
}

// confirmCard is the newest ephemeral post of user, which must be the confirmation.
func (e *env) confirmCard(user string) *model.Post {
	e.t.Helper()
	p := e.lastEphemeral(user)
	e.action(p, "Start meeting")
	e.action(p, "Cancel")
	return p
}

// A confirmed start by someone not connected yet goes through the connect and the
// meeting ID question without asking about the channel's size again.
func TestLargeChannelConfirmedOnceThroughConnectAndPMIQuestion(t *testing.T) {
	e := start(t, map[string]any{"LargeChannelThreshold": 2})
	e.command("bob", "town-square", "/zoom start Sprint review")
	e.click("bob", e.confirmCard("bob"), "Start meeting")
	if status, page := e.oauthFrom("bob", e.linkIn("bob")); status != http.StatusOK {
		t.Fatalf("connect from the link: %d %s", status, page)
	}
	// bob never chose a meeting ID: that question comes next, not the size again.
	e.click("bob", e.lastEphemeral("bob"), "Use a unique meeting ID")
	card := e.lastCard("town-square")
	if card == nil || card.UserId != e.userID("bob") || card.GetProp("meeting_topic") != "Sprint review" {
		t.Fatalf("no card after connecting and answering; bob saw: %s", e.ephemeralText("bob"))
	}
	if n := e.openConfirmations("bob"); n != 0 {
		t.Errorf("bob was asked to confirm again (%d unanswered questions)", n)
	}
}

// openConfirmations counts the large-channel questions user has not answered.
func (e *env) openConfirmations(user string) int {
	n := 0
	for _, p := range e.h.Ephemerals(e.userID(user)) {
		for _, a := range p.Attachments() {
			for _, act := range a.Actions {
				if act.Integration != nil && strings.HasSuffix(act.Integration.URL, "/confirm-start") && act.Id == "confirmstart" {
					n++
				}
			}
		}
	}
	return n
}
