package zoom_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

func TestScheduledMeetingCreateDeleteAndEvents(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.connect(t, "alice@example.com").AccessToken
	start := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	m, err := e.api.CreateMeeting(ctx, tok, "me", zoom.CreateMeetingRequest{Topic: "Plan", Type: zoom.MeetingTypeScheduled,
		StartTime: zoom.FormatStartTime(start), Duration: 45, Timezone: "Europe/Berlin"})
	if err != nil || m.StartTime != "2026-05-04T08:00:00Z" || m.Duration != 45 || m.Timezone != "Europe/Berlin" {
		t.Fatalf("created %+v %v", m, err)
	}

	body, err := e.sim.RescheduleMeeting(m.ID, start.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := zoom.ParseEvent(body)
	if err != nil || ev.Event != zoom.EventMeetingUpdated {
		t.Fatalf("meeting.updated: %v %v", ev, err)
	}
	up, err := ev.Update()
	if err != nil || int64(up.Object.ID) != m.ID || up.Object.StartTime == nil || *up.Object.StartTime != "2026-05-04T10:00:00Z" ||
		up.OldObject.StartTime == nil || *up.OldObject.StartTime != "2026-05-04T08:00:00Z" || up.Object.Topic != nil {
		t.Fatalf("meeting.updated payload %+v %v", up, err)
	}

	if err := e.api.DeleteMeeting(ctx, tok, m.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	var apiErr *zoom.APIError
	if err := e.api.DeleteMeeting(ctx, tok, m.ID); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || apiErr.Code != zoom.CodeMeetingNotFound {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := e.sim.DeleteMeetingEvent(m.ID); err == nil {
		t.Fatal("a deleted meeting can be deleted again in the Zoom app")
	}

	other, err := e.api.CreateMeeting(ctx, tok, "me", zoom.CreateMeetingRequest{Topic: "Other", Type: zoom.MeetingTypeScheduled, StartTime: zoom.FormatStartTime(start)})
	if err != nil {
		t.Fatal(err)
	}
	body, err = e.sim.DeleteMeetingEvent(other.ID)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ = zoom.ParseEvent(body)
	del, err := ev.Deleted()
	if err != nil || ev.Event != zoom.EventMeetingDeleted || int64(del.Object.ID) != other.ID || del.Operation != "all" || del.Object.Topic != "Other" {
		t.Fatalf("meeting.deleted payload %+v %v", del, err)
	}
	if _, ok := e.sim.Meeting(other.ID); ok {
		t.Fatal("deleted in the Zoom app but still there")
	}
}
