//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"testing"
)

// Plugin bugs found by e2e and not fixed yet. Each test fails today; they run with
// E2E_KNOWN_BUGS=1 so the suite stays green meanwhile. Delete the skip with the fix.
func knownBug(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("E2E_KNOWN_BUGS") == "" {
		t.Skip("known plugin bug (E2E_KNOWN_BUGS=1 runs it): " + what)
	}
}

// A channel subscribed to a meeting gets its card on every start, even when someone
// shared the same meeting in another channel with /zoom join.
func TestSubscriptionStillPostsWhenMeetingSharedElsewhere(t *testing.T) {
	knownBug(t, "the shared card's post_meeting_<uuid> makes meeting.started skip the subscription")
	e := start(t, nil)
	e.connect("alice")
	m := e.scheduleMeeting("alice", "Weekly")
	e.command("alice", "design", fmt.Sprintf("/zoom subscription add %d", m.ID))
	e.command("alice", "town-square", fmt.Sprintf("/zoom join %d", m.ID))
	if e.lastCard("town-square") == nil {
		t.Fatalf("no shared card; alice saw: %s", e.ephemeralText("alice"))
	}
	e.mustWebhook(e.simEvent(e.sim.StartMeeting(m.ID)), "meeting.started")
	if c := e.lastCard("design"); c == nil || c.UserId != e.h.User("zoom").Id {
		t.Errorf("the subscribed channel got no card for the start (card %v)", c)
	}
}

// A meeting shared in two channels ends on both cards when Zoom reports its end.
func TestMeetingSharedTwiceEndsBothCards(t *testing.T) {
	knownBug(t, "meeting_channel_<id> and post_meeting_<uuid> keep the last shared card only; the first waits for the sweeper")
	e := start(t, nil)
	e.connect("alice")
	m := e.scheduleMeeting("alice", "All hands")
	e.command("alice", "design", fmt.Sprintf("/zoom join %d", m.ID))
	e.command("alice", "town-square", fmt.Sprintf("/zoom join %d", m.ID))
	e.mustWebhook(e.simEvent(e.sim.StartMeeting(m.ID)), "meeting.started")
	e.mustWebhook(e.simEvent(e.sim.EndMeeting(m.ID)), "meeting.ended")
	for _, ch := range []string{"town-square", "design"} {
		if c := e.lastCard(ch); c == nil || c.GetProp("meeting_status") != "ENDED" {
			t.Errorf("the card in %s after meeting.ended: %v", ch, c.GetProp("meeting_status"))
		}
	}
}
