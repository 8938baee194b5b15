package zoom_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

func TestPastMeetingParticipantsPagesAndIDs(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.connect(t, "alice@example.com").AccessToken
	m, err := e.api.CreateMeeting(ctx, tok, "me", zoom.CreateMeetingRequest{Topic: "All hands", Type: zoom.MeetingTypeInstant})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.sim.StartMeeting(m.ID); err != nil {
		t.Fatal(err)
	}
	// More people than one page of 300.
	for i := range 305 {
		p := zoom.Participant{UserName: fmt.Sprintf("Guest %d", i), Email: fmt.Sprintf("g%d@example.com", i)}
		if _, err := e.sim.ParticipantEvent(m.ID, zoom.EventParticipantJoined, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := e.api.ListPastMeetingParticipants(ctx, tok, m.UUID); !zoom.IsNotFound(err) {
		t.Fatalf("report of a live meeting: %v", err)
	}
	if _, err := e.sim.EndMeeting(m.ID); err != nil {
		t.Fatal(err)
	}
	e.sim.ResetCalls()
	for _, ref := range []string{m.UUID, strconv.FormatInt(m.ID, 10)} {
		people, total, err := e.api.ListPastMeetingParticipants(ctx, tok, ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(people) != 305 || total != 305 || people[304].Name != "Guest 304" || people[0].UserEmail != "g0@example.com" {
			t.Fatalf("%s: %d people, total %d", ref, len(people), total)
		}
	}
	if n := e.sim.CountCalls("GET", "/v2/past_meetings/"); n != 4 {
		t.Fatalf("%d report pages read, want 2 per report", n)
	}
	e.sim.SetPastParticipantsDenied(true)
	_, _, err = e.api.ListPastMeetingParticipants(ctx, tok, m.UUID)
	if ae := apiError(t, err); ae.StatusCode != 400 || ae.Code != 200 {
		t.Fatalf("denied: %v", err)
	}
}
