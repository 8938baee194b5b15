//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"testing"
)

// A second start within 30 seconds of a card gets the RECENTLY_CREATED card
// instead of a meeting; ?force=true ("create new") makes another one.
func TestRecentMeetingGuard(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.connect("bob")
	first := e.startedCard("alice", "design")

	status, out := e.startMeeting("bob", "design", "false")
	if status != http.StatusOK || out["meeting_url"] != "" {
		t.Fatalf("guarded start answered %d %v", status, out)
	}
	if n := len(e.cards("design")); n != 1 {
		t.Fatalf("guarded start posted: %d cards", n)
	}
	guard := e.lastEphemeral("bob")
	if guard.GetProp("meeting_status") != "RECENTLY_CREATED" || guard.GetProp("meeting_link") != first.GetProp("meeting_link") {
		t.Fatalf("guard card props: %v", guard.GetProps())
	}
	if n := e.sim.CountCalls("POST", "/v2/users/"); n != 1 {
		t.Errorf("Zoom got %d create calls, want only the first meeting's", n)
	}

	body := fmt.Sprintf(`{"channel_id":%q,"root_id":"","topic":"Breakout","use_pmi":"false"}`, e.channelID("design"))
	status, raw := e.do("POST", "/plugins/zoom/api/v1/meetings?force=true", "bob", body, nil)
	second := e.lastCard("design")
	if status != http.StatusOK || len(e.cards("design")) != 2 || second.UserId != e.userID("bob") {
		t.Fatalf("forced start: %d %s; cards %d", status, raw, len(e.cards("design")))
	}
	if second.GetProp("meeting_id") == first.GetProp("meeting_id") {
		t.Error("the forced start reused the first meeting")
	}
}

// cards are the custom_zoom posts of a channel, oldest first.
func (e *env) cards(channel string) []string {
	var ids []string
	for _, p := range e.h.Posts(e.channelID(channel)) {
		if p.Type == "custom_zoom" {
			ids = append(ids, p.Id)
		}
	}
	return ids
}
