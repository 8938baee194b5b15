package store

import "time"

// Scheduled meetings (/zoom schedule): one record per card, and the meeting id's card,
// both kept until a while after the planned start (the existing meeting mappings live
// only a day, and a meeting may be planned weeks ahead).
const (
	schedulePrefix      = "zoomschedule_"
	scheduledCardPrefix = "zoomscheduled_"
	// scheduleGrace keeps the records after the planned start, for a meeting that
	// starts late, and for Zoom's retries of its events.
	scheduleGrace = 2 * 24 * time.Hour
)

// States of a scheduled meeting.
const (
	ScheduleWaiting   = "scheduled"
	ScheduleStarted   = "started"
	ScheduleCancelled = "cancelled"
)

// ScheduledMeeting is the value of zoomschedule_<postID>. Times are ms since the epoch.
type ScheduledMeeting struct {
	PostID    string `json:"post_id"`
	ChannelID string `json:"channel_id"`
	CreatorID string `json:"creator_id"`
	MeetingID int64  `json:"meeting_id"`
	Start     int64  `json:"start"`
	Duration  int    `json:"duration"` // minutes
	Timezone  string `json:"timezone"`
	State     string `json:"state"`
	// RemindAt is when the reminder is due (0: none); Reminded is set by the one
	// process that posts it.
	RemindAt int64 `json:"remind_at,omitempty"`
	Reminded bool  `json:"reminded,omitempty"`
}

// ScheduleTTL is how long a scheduled meeting's records are kept, counted from now.
func ScheduleTTL(start, now time.Time) time.Duration {
	return max(start.Sub(now), 0) + scheduleGrace
}

// SaveSchedule writes a new scheduled meeting and its meeting id's card.
func (kv *KV) SaveSchedule(s ScheduledMeeting, ttl time.Duration) error {
	if err := SetJSON(kv, schedulePrefix+s.PostID, s, ttl); err != nil {
		return err
	}
	return kv.Set(meetingKey(scheduledCardPrefix, s.MeetingID), []byte(s.PostID), ttl)
}

// GetSchedule reads a card's scheduled meeting; ErrNotFound when there is none.
func (kv *KV) GetSchedule(postID string) (ScheduledMeeting, error) {
	return GetJSON[ScheduledMeeting](kv, schedulePrefix+postID)
}

// UpdateSchedule changes a card's record by compare-and-set, keeping it ScheduleTTL
// after its start; a moved start moves the meeting id's card alike. mutate reports
// whether it changed the record; the record as it then stands is returned.
// ErrNotFound when there is none.
func (kv *KV) UpdateSchedule(postID string, now time.Time, mutate func(s *ScheduledMeeting) bool) (ScheduledMeeting, bool, error) {
	var out ScheduledMeeting
	changed := false
	_, err := editJSON(kv, schedulePrefix+postID, func(s *ScheduledMeeting, found bool) (edit, time.Duration, error) {
		if !found {
			return keep, 0, ErrNotFound
		}
		start := s.Start
		changed = mutate(s)
		out = *s
		if !changed {
			return keep, 0, nil
		}
		ttl := ScheduleTTL(time.UnixMilli(s.Start), now)
		// The mapping first: the writer whose record lands last has set it last.
		if s.Start != start {
			if err := kv.Set(meetingKey(scheduledCardPrefix, s.MeetingID), []byte(s.PostID), ttl); err != nil {
				return keep, 0, err
			}
		}
		return write, ttl, nil
	})
	return out, changed, err
}

// ScheduledCard is the card of a scheduled meeting id, "" when there is none.
func (kv *KV) ScheduledCard(meetingID int64) (string, error) {
	b, err := kv.Get(meetingKey(scheduledCardPrefix, meetingID))
	return string(b), err
}
