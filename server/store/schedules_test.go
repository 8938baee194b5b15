package store

import (
	"errors"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

// A change is stored, kept until ScheduleTTL after the start it had when read; no
// change writes nothing; a card without a schedule is ErrNotFound.
func TestUpdateScheduleStoresChangesWithTheScheduleTTL(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	now := time.Unix(1767225600, 0)
	backend.SetClock(func() time.Time { return now })
	kv := NewKV(backend)
	start := now.Add(time.Hour)
	s := ScheduledMeeting{PostID: "card", MeetingID: 84512367890, Start: start.UnixMilli(), State: ScheduleWaiting}
	if err := kv.SaveSchedule(s, ScheduleTTL(start, now)); err != nil {
		t.Fatal(err)
	}
	got, changed, err := kv.UpdateSchedule("card", now, func(s *ScheduledMeeting) bool {
		s.State = ScheduleStarted
		return true
	})
	if err != nil || !changed || got.State != ScheduleStarted {
		t.Fatalf("update: %+v %v %v", got, changed, err)
	}
	if _, changed, err := kv.UpdateSchedule("card", now, func(*ScheduledMeeting) bool { return false }); changed || err != nil {
		t.Fatalf("no change: %v %v", changed, err)
	}
	now = now.Add(ScheduleTTL(start, time.Unix(1767225600, 0)) - time.Second)
	if stored, err := kv.GetSchedule("card"); err != nil || stored.State != ScheduleStarted {
		t.Fatalf("stored: %+v %v", stored, err)
	}
	now = now.Add(2 * time.Second)
	if _, err := kv.GetSchedule("card"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("kept past its TTL: %v", err)
	}
	if _, _, err := kv.UpdateSchedule("nocard", now, func(*ScheduledMeeting) bool { return true }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("absent: %v", err)
	}
}
