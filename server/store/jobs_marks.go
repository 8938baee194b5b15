package store

import (
	"strconv"
	"time"
)

// Small markers the webhook handlers keep next to their jobs.
const (
	eventClaimPrefix = "zoomevent_"
	endedEarlyPrefix = "zoomendedearly_"
	eventDonePrefix  = "zoomeventdone_"
	subLinkPrefix    = "zoomsublink_"
)

// ClaimEvent is insert-if-absent on a key derived from the event: the first of two
// concurrent deliveries of one event gets true, the other false. The ttl bounds how
// long a delivery that crashed mid-way blocks Zoom's retries.
func (kv *KV) ClaimEvent(ttl time.Duration, parts ...string) (bool, error) {
	return kv.Insert(eventClaimPrefix+JobID(parts...), []byte("1"), ttl)
}

// MarkEventDone records that an event's effect happened, for as long as a duplicate
// delivery could still arrive.
func (kv *KV) MarkEventDone(ttl time.Duration, parts ...string) error {
	return kv.Set(eventDonePrefix+JobID(parts...), []byte("1"), ttl)
}

// EventDone reports whether MarkEventDone recorded the event.
func (kv *KV) EventDone(parts ...string) (bool, error) {
	v, err := kv.Get(eventDonePrefix + JobID(parts...))
	return v != nil, err
}

// ReleaseEvent drops a claim so Zoom's retry can do what a failed delivery could not.
func (kv *KV) ReleaseEvent(parts ...string) error {
	return kv.Delete(eventClaimPrefix + JobID(parts...))
}

// MarkEndedEarly remembers the end of a meeting instance whose card does not exist yet
// (meeting.ended delivered before meeting.started), so the late card is posted ended.
func (kv *KV) MarkEndedEarly(uuid string, end time.Time) error {
	return kv.Set(endedEarlyPrefix+JobID(uuid), []byte(strconv.FormatInt(end.UnixMilli(), 10)), MeetingTTL)
}

// EndedEarly returns the end remembered by MarkEndedEarly, if any.
func (kv *KV) EndedEarly(uuid string) (time.Time, bool, error) {
	data, err := kv.Get(endedEarlyPrefix + JobID(uuid))
	if err != nil || data == nil {
		return time.Time{}, false, err
	}
	ms, err := strconv.ParseInt(string(data), 10, 64)
	if err != nil {
		return time.Time{}, false, nil // corrupt: treat as absent
	}
	return time.UnixMilli(ms), true, nil
}

// SaveSubscriptionLink stores a subscribed meeting's join URL (with its passcode),
// which meeting.started events do not carry.
func (kv *KV) SaveSubscriptionLink(meetingID int64, joinURL string) error {
	return kv.Set(subLinkPrefix+strconv.FormatInt(meetingID, 10), []byte(joinURL), 0)
}

// SubscriptionLink returns the stored join URL, or "" (subscriptions made by the
// original plugin have none).
func (kv *KV) SubscriptionLink(meetingID int64) (string, error) {
	data, err := kv.Get(subLinkPrefix + strconv.FormatInt(meetingID, 10))
	return string(data), err
}

// DeleteSubscriptionLink forgets the join URL of a removed subscription. The meeting
// may be subscribed again meanwhile, and its new link may be the same bytes: so only the
// link read is deleted, and it is put back when the meeting has a subscription again.
func (kv *KV) DeleteSubscriptionLink(meetingID int64) error {
	key := subLinkPrefix + strconv.FormatInt(meetingID, 10)
	link, err := kv.Get(key)
	if err != nil || link == nil {
		return err
	}
	if deleted, err := kv.CompareAndSet(key, link, nil, 0); err != nil || !deleted {
		return err
	}
	if mc, err := kv.GetMeetingChannel(meetingID); err == nil && mc.IsSubscription {
		_, err = kv.Insert(key, link, 0)
		return err
	}
	return nil
}
