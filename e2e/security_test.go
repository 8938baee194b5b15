//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// bob pastes the link of alice's meeting: Zoom does not name him its host, so his post
// is a plain link. alice's card keeps the meeting's mapping, and the meeting's start
// and end reach her card only, never bob's channel.
func TestJoinOfSomeoneElsesMeetingPostsOnlyALink(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.connect("bob")
	m := e.scheduleMeeting("alice", "Board meeting")
	e.command("alice", "design", fmt.Sprintf("/zoom join %d", m.ID))
	home := e.lastCard("design")
	if home == nil {
		t.Fatalf("no card for alice; she saw: %s", e.ephemeralText("alice"))
	}

	e.command("bob", "town-square", "/zoom join "+m.JoinURL)
	posts := e.h.Posts(e.channelID("town-square"))
	if len(posts) != 1 {
		t.Fatalf("town-square has %d posts; bob saw: %s", len(posts), e.ephemeralText("bob"))
	}
	link := posts[0]
	if link.UserId != e.userID("bob") || link.Type == "custom_zoom" || link.GetProp("meeting_id") != nil || link.GetProp("meeting_status") != nil {
		t.Fatalf("bob's post: %s %v", link.Type, link.GetProps())
	}
	if reply := e.lastEphemeral("bob").Message; !strings.Contains(reply, "as a link only") {
		t.Errorf("bob was told %q", reply)
	}
	var mc struct {
		PostID    string `json:"post_id"`
		CreatedBy string `json:"created_by"`
	}
	e.kvJSON(fmt.Sprintf("meeting_channel_%d", m.ID), &mc)
	if mc.PostID != home.Id {
		t.Fatalf("meeting_channel_%d names %s, want alice's card %s", m.ID, mc.PostID, home.Id)
	}

	e.mustWebhook(e.simEvent(e.sim.StartMeeting(m.ID)), "meeting.started")
	e.mustWebhook(e.simEvent(e.sim.EndMeeting(m.ID)), "meeting.ended")
	e.waitFor("alice's card to end", func() bool { return e.h.Post(home.Id).GetProp("meeting_status") == "ENDED" })
	after := e.h.Posts(e.channelID("town-square"))
	if len(after) != 1 || after[0].UpdateAt != link.UpdateAt {
		t.Fatalf("the meeting reached bob's channel: %d posts", len(after))
	}
}

// Without a Zoom Webhook Secret a deauthorization is refused like every webhook, even
// with the right URL secret, and the connection stays.
func TestDeauthorizationWithoutZoomSecretIsRefused(t *testing.T) {
	e := start(t, nil)
	e.connect("bob")
	zoomID, err := e.h.ZoomUserID(e.userID("bob"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.h.UpdateSettings(map[string]any{"ZoomWebhookSecret": ""}); err != nil {
		t.Fatal(err)
	}
	before := e.state()
	body := string(e.simEvent(e.sim.DeauthorizeEvent(zoomID, false)))
	status, _ := e.do("POST", "/plugins/zoom/deauthorization?secret="+e.secret(), "", body, http.Header{"Content-Type": {"application/json"}})
	if status != http.StatusUnauthorized {
		t.Fatalf("answered %d, want 401", status)
	}
	if diff := before.diff(e.state()); diff != "" {
		t.Fatalf("a refused deauthorization changed: %s", diff)
	}
	if report := e.status("admin"); !strings.Contains(report, "deauthorization notices included") {
		t.Errorf("the status does not say why:\n%s", report)
	}
}
