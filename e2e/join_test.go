//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// /zoom join <id> for a meeting alice scheduled in Zoom posts her card for it, which
// Zoom's start and end webhooks then end like any card; a link to another host is
// refused and changes nothing.
func TestJoinSharesScheduledMeetingThatEnds(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	m := e.scheduleMeeting("alice", "Quarterly planning")

	e.command("alice", "town-square", fmt.Sprintf("/zoom join %d", m.ID))
	card := e.lastCard("town-square")
	if card == nil {
		t.Fatalf("no card; alice saw: %s", e.ephemeralText("alice"))
	}
	if card.UserId != e.userID("alice") || card.GetProp("meeting_shared") != true || card.GetProp("meeting_status") != "STARTED" ||
		card.GetProp("meeting_topic") != "Quarterly planning" || card.GetProp("meeting_link") != m.JoinURL {
		t.Fatalf("card by %s: %v (meeting %+v)", card.UserId, card.GetProps(), m)
	}
	if id := e.cardMeetingID(card); id != m.ID {
		t.Fatalf("card meeting_id %d, want %d", id, m.ID)
	}

	e.mustWebhook(e.simEvent(e.sim.StartMeeting(m.ID)), "meeting.started")
	e.mustWebhook(e.simEvent(e.sim.EndMeeting(m.ID)), "meeting.ended")
	e.waitFor("the shared card to end", func() bool { return e.h.Post(card.Id).GetProp("meeting_status") == "ENDED" })
	e.waitFor("the card's final summary", func() bool { return e.h.KVGet("zoomopencard_"+card.Id) == nil })
	if n := len(e.h.Posts(e.channelID("town-square"))); n != 1 {
		t.Errorf("town-square has %d posts, want the one card", n)
	}

	before := e.state()
	e.command("alice", "town-square", "/zoom join https://zoom.evil.example/j/84512367890")
	if reply := e.lastEphemeral("alice").Message; !strings.Contains(reply, "zoom.evil.example") {
		t.Errorf("refusal of a foreign link: %q", reply)
	}
	if diff := before.diff(e.state()); diff != "" {
		t.Errorf("a foreign link changed: %s", diff)
	}
}

// /zoom list shows alice's upcoming meeting with "Share in this channel"; the same
// action sent from bob's session is refused with 403, alice's click posts her card.
func TestListShareButtonPostsCardOnlyForItsUser(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	m := e.scheduleMeeting("alice", "Design critique")

	e.command("alice", "design", "/zoom list")
	list := e.lastEphemeral("alice")
	action := e.action(list, "Share in this channel")

	before := e.state()
	forged := model.PostActionIntegrationRequest{
		UserId: e.userID("bob"), PostId: list.Id, ChannelId: list.ChannelId, Type: action.Type, Context: action.Integration.Context,
	}
	if status, body := e.postJSON(action.Integration.URL, "bob", forged); status != http.StatusForbidden {
		t.Errorf("bob pressing alice's share button: %d %s", status, body)
	}
	if diff := before.diff(e.state()); diff != "" {
		t.Errorf("bob's press changed: %s", diff)
	}

	resp := e.click("alice", list, "Share in this channel")
	card := e.lastCard("design")
	if card == nil {
		t.Fatalf("no card after sharing; answer %+v; alice saw: %s", resp, e.ephemeralText("alice"))
	}
	if card.UserId != e.userID("alice") || card.GetProp("meeting_shared") != true || e.cardMeetingID(card) != m.ID ||
		card.GetProp("meeting_topic") != "Design critique" {
		t.Errorf("shared card by %s: %v", card.UserId, card.GetProps())
	}
	if now := e.ephemeral("alice", list.Id); !strings.Contains(now.Message, "Design critique") {
		t.Errorf("the list after sharing: %q", now.Message)
	}
}

// action is the button labelled name on post (fails if there is none).
func (e *env) action(post *model.Post, name string) *model.PostAction {
	e.t.Helper()
	for _, a := range post.Attachments() {
		for _, act := range a.Actions {
			if act.Name == name && act.Integration != nil {
				return act
			}
		}
	}
	e.t.Fatalf("no button %q on %q (%d attachments)", name, post.Message, len(post.Attachments()))
	return nil
}
