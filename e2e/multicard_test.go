//go:build e2e

package e2e

import (
	"fmt"
	"testing"
)

// A meeting shared in two channels ends on both cards when Zoom reports its end, and a
// repeated meeting.ended changes neither.
func TestMeetingSharedInTwoChannelsEndsOnBothCards(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	m := e.scheduleMeeting("alice", "All hands")
	e.command("alice", "design", fmt.Sprintf("/zoom join %d", m.ID))
	e.command("alice", "town-square", fmt.Sprintf("/zoom join %d", m.ID))
	first, second := e.lastCard("design"), e.lastCard("town-square")
	if first == nil || second == nil || first.Id == second.Id {
		t.Fatalf("two shared cards expected; alice saw: %s", e.ephemeralText("alice"))
	}
	e.mustWebhook(e.simEvent(e.sim.StartMeeting(m.ID)), "meeting.started")
	ended := e.simEvent(e.sim.EndMeeting(m.ID))
	e.mustWebhook(ended, "meeting.ended")
	for _, card := range []string{first.Id, second.Id} {
		if got := e.h.Post(card).GetProp("meeting_status"); got != "ENDED" {
			t.Errorf("card %s after meeting.ended: %v", card, got)
		}
	}
	// Each card gets its attendee summary off the request path; then a repeated
	// meeting.ended changes nothing at all.
	for _, card := range []string{first.Id, second.Id} {
		e.waitFor("the card's final summary", func() bool { return e.h.KVGet("zoomopencard_"+card) == nil })
	}
	before := e.state()
	e.mustWebhook(ended, "meeting.ended again")
	if diff := before.diff(e.state()); diff != "" {
		t.Errorf("a repeated meeting.ended changed: %s", diff)
	}
	if n := len(e.h.Posts(e.channelID("design"))) + len(e.h.Posts(e.channelID("town-square"))); n != 2 {
		t.Errorf("%d posts, want the two cards", n)
	}
}
