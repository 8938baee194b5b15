//go:build e2e

package e2e

import (
	"fmt"
	"testing"
)

// A channel subscribed to a meeting gets its card on every start, even when someone
// shared the same meeting in another channel with /zoom join.
func TestSubscriptionStillPostsWhenMeetingSharedElsewhere(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	m := e.scheduleMeeting("alice", "Weekly")
	e.command("alice", "design", fmt.Sprintf("/zoom subscription add %d", m.ID))
	e.command("alice", "town-square", fmt.Sprintf("/zoom join %d", m.ID))
	if e.lastCard("town-square") == nil {
		t.Fatalf("no shared card; alice saw: %s", e.ephemeralText("alice"))
	}
	started := e.simEvent(e.sim.StartMeeting(m.ID))
	e.mustWebhook(started, "meeting.started")
	c := e.lastCard("design")
	if c == nil || c.UserId != e.h.User("zoom").Id {
		t.Fatalf("the subscribed channel got no card for the start (card %v)", c)
	}
	e.mustWebhook(started, "meeting.started") // Zoom delivers at least once
	if again := e.lastCard("design"); again.Id != c.Id {
		t.Fatalf("a repeated meeting.started posted a second subscription card")
	}
}
