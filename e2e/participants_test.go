//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Participant webhooks put the live count and names on the card (a duplicate and a
// pair delivered out of order count right), someone waiting for the host is DMed to
// the creator once, and the ended card lists the attendees.
func TestParticipantsOnCardWaitingDMAndAttendees(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	card := e.startedCard("alice", "design")
	id := e.cardMeetingID(card)
	e.mustWebhook(e.simEvent(e.sim.StartMeeting(id)), "meeting.started")

	bob := zoom.Participant{UserName: "Bob Example", Email: "bob@example.com", ParticipantUUID: "p-bob"}
	carol := zoom.Participant{UserName: "Carol Example", Email: "carol@example.com", ParticipantUUID: "p-carol"}
	guest := zoom.Participant{UserName: "Gina Guest", ParticipantUUID: "p-gina"}
	walter := zoom.Participant{UserName: "Walter Waiting", ParticipantUUID: "p-walter"}
	t0 := time.Now().Add(-time.Minute)
	event := func(name string, p zoom.Participant, at time.Time) []byte {
		return e.simEvent(e.sim.ParticipantEventAt(id, name, p, at))
	}
	bobJoined := event(zoom.EventParticipantJoined, bob, t0)
	guestJoined := event(zoom.EventParticipantJoined, guest, t0.Add(time.Second))
	guestLeft := event(zoom.EventParticipantLeft, guest, t0.Add(2*time.Second))
	for _, ev := range []struct {
		what string
		body []byte
	}{
		{"bob joined", bobJoined},
		{"bob joined, delivered again", bobJoined},
		{"guest left (delivered first)", guestLeft},
		{"guest joined (delivered second)", guestJoined},
		{"carol joined", event(zoom.EventParticipantJoined, carol, t0.Add(3*time.Second))},
		{"walter waiting for the host", event(zoom.EventParticipantWaitingForHost, walter, t0.Add(4*time.Second))},
	} {
		e.mustWebhook(ev.body, ev.what)
	}

	e.waitFor("the card to show bob and carol", func() bool {
		n, _ := num(e.h.Post(card.Id).GetProp("meeting_participants_count"))
		return n == 2 && e.participantsFlushed(card.Id)
	})
	got := e.h.Post(card.Id)
	if names := stringsProp(got, "meeting_participants"); strings.Join(names, ",") != "@bob,@carol" {
		t.Errorf("meeting_participants %q, want @bob,@carol", names)
	}
	if !e.edited(card.Id) {
		t.Error("no post_edited event for the card")
	}
	if text := attachmentText([]*model.Post{got}); !strings.Contains(text, "@bob") {
		t.Errorf("card attachment without the participants: %q", text)
	}

	dm := e.h.DirectChannel(e.userID("alice"), e.h.User("zoom").Id)
	dms := e.h.Posts(dm.Id)
	if len(dms) != 1 || !strings.Contains(dms[0].Message, "Walter Waiting") || dms[0].UserId != e.h.User("zoom").Id {
		t.Fatalf("DMs to alice: %s", messages(dms))
	}
	// Walter is still waiting, reported again later: nobody is told twice.
	e.mustWebhook(event(zoom.EventParticipantWaitingForHost, walter, t0.Add(5*time.Second)), "walter waiting again")
	e.waitFor("the repeated wait to reach the card", func() bool { return e.participantsFlushed(card.Id) })
	if dms := e.h.Posts(dm.Id); len(dms) != 1 {
		t.Errorf("a repeated wait DMed again: %s", messages(dms))
	}

	e.mustWebhook(e.simEvent(e.sim.EndMeeting(id)), "meeting.ended")
	e.waitFor("the ended card's attendees", func() bool {
		p := e.h.Post(card.Id)
		return p.GetProp("meeting_status") == "ENDED" && p.GetProp("meeting_attendees") != nil
	})
	ended := e.h.Post(card.Id)
	attendees := stringsProp(ended, "meeting_attendees")
	sort.Strings(attendees)
	if strings.Join(attendees, ",") != "@bob,@carol,Gina Guest" {
		t.Errorf("meeting_attendees %q, want @bob, @carol and Gina Guest", attendees)
	}
	if n, _ := num(ended.GetProp("meeting_attendees_count")); n != 3 {
		t.Errorf("meeting_attendees_count %v", ended.GetProp("meeting_attendees_count"))
	}
	if ended.GetProp("meeting_participants_count") != nil {
		t.Errorf("the ended card keeps a live count: %v", ended.GetProps())
	}
}

// participantsFlushed reports whether the card shows every participant change recorded.
func (e *env) participantsFlushed(postID string) bool {
	raw := e.h.KVGet("zoomparticipants_" + postID)
	if raw == nil {
		return false
	}
	var s struct {
		Version int64 `json:"version"`
		Flushed int64 `json:"flushed"`
	}
	return json.Unmarshal(raw, &s) == nil && s.Version > 0 && s.Flushed >= s.Version
}

// edited reports whether a post_edited event carried the post.
func (e *env) edited(postID string) bool {
	for _, ev := range e.h.EventsNamed("post_edited") {
		if strings.Contains(fmt.Sprint(ev.Data["post"]), postID) {
			return true
		}
	}
	return false
}

// stringsProp reads a prop holding a list of strings, whatever type RPC gave it.
func stringsProp(p *model.Post, key string) []string {
	var out []string
	switch v := p.GetProp(key).(type) {
	case []string:
		out = append(out, v...)
	case []any:
		for _, s := range v {
			out = append(out, fmt.Sprint(s))
		}
	}
	return out
}
