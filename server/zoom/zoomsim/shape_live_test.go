package zoomsim_test

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// Shapes of the live-participant events and the past participants report.
func TestParticipantShapesMatchExamples(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	s.SetLoginUser("alice@example.com")
	tok := login(t, s, "alice@example.com")
	access := tok["access_token"].(string)
	_, created := api(t, s, "POST", "/users/me/meetings", access, `{"topic":"Design sync","type":1}`)
	id := int64(created["id"].(float64))
	if _, err := s.StartMeeting(id); err != nil {
		t.Fatal(err)
	}
	bob := zoom.Participant{UserID: "16778240", UserName: "Bob Example", ID: "3kXmEBcgR6q0Qfj4pMxOmw", Email: "bob@example.com"}
	joined, err := s.ParticipantEvent(id, zoom.EventParticipantJoined, bob)
	if err != nil {
		t.Fatal(err)
	}
	bob.ParticipantUUID = decode(t, joined).(map[string]any)["payload"].(map[string]any)["object"].(map[string]any)["participant"].(map[string]any)["participant_uuid"].(string)
	bob.LeaveReason = "Bob Example left the meeting.<br>Reason : left the meeting"
	left, err := s.ParticipantEventAt(id, zoom.EventParticipantLeft, bob, time.Now().Add(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := s.ParticipantEvent(id, zoom.EventParticipantWaitingForHost, zoom.Participant{UserName: "Carol Guest"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EndMeeting(id); err != nil {
		t.Fatal(err)
	}
	uuid := created["uuid"].(string)
	_, report := api(t, s, "GET", "/past_meetings/"+url.PathEscape(url.PathEscape(uuid))+"/participants?page_size=300", access, "")
	_, byID := api(t, s, "GET", fmt.Sprintf("/past_meetings/%d/participants", id), access, "")
	optional := map[string]bool{"registrant_id": true}
	cases := []struct {
		example string
		got     any
	}{
		{"webhook-meeting-participant-joined.json", decode(t, joined)},
		{"webhook-meeting-participant-left.json", decode(t, left)},
		{"webhook-meeting-participant-jbh-waiting.json", decode(t, waiting)},
		{"past-meeting-participants.json", report},
		{"past-meeting-participants.json", byID},
	}
	for _, c := range cases {
		t.Run(c.example, func(t *testing.T) {
			for _, e := range sameShape("", example(t, c.example), c.got, optional) {
				t.Error(e)
			}
		})
	}
	if n := len(report["participants"].([]any)); n != 1 || report["total_records"].(float64) != 1 {
		t.Fatalf("report lists %d participants: %v", n, report)
	}
	s.SetPastParticipantsDenied(true)
	status, denied := api(t, s, "GET", fmt.Sprintf("/past_meetings/%d/participants", id), access, "")
	if status != 400 || denied["code"].(float64) != 200 {
		t.Fatalf("denied report answered %d %v", status, denied)
	}
}
