package store

import (
	"strconv"
	"time"
)

// Markers: small raw values whose key says what they are about. A claim is
// insert-if-absent (the first writer wins until it releases the key or its TTL ends).

// ClaimChannelStart claims a channel for one meeting start, so two simultaneous starts
// make one meeting. false means another start holds it.
func (kv *KV) ClaimChannelStart(channelID, userID string, ttl time.Duration) (bool, error) {
	return kv.Insert(startClaimPrefix+channelID, []byte(userID), ttl)
}

// ReleaseChannelStart ends a channel's start claim.
func (kv *KV) ReleaseChannelStart(channelID string) error {
	return kv.Delete(startClaimPrefix + channelID)
}

// MarkAnswered claims the answer of userID to the one-time card postID: false means it
// was answered already.
func (kv *KV) MarkAnswered(userID, postID string, ttl time.Duration) (bool, error) {
	return kv.Insert(answeredPrefix+userID+"_"+postID, []byte{1}, ttl)
}

// ClaimEvent claims a webhook event (named by parts, as JobID): the first of two
// concurrent deliveries of one event gets true, the other false. The ttl bounds how
// long a delivery that crashed mid-way blocks Zoom's retries.
func (kv *KV) ClaimEvent(ttl time.Duration, parts ...string) (bool, error) {
	return kv.Insert(eventClaimPrefix+JobID(parts...), []byte("1"), ttl)
}

// ReleaseEvent drops a claim so Zoom's retry can do what a failed delivery could not.
func (kv *KV) ReleaseEvent(parts ...string) error {
	return kv.Delete(eventClaimPrefix + JobID(parts...))
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
	return kv.Set(meetingKey(subLinkPrefix, meetingID), []byte(joinURL), 0)
}

// SubscriptionLink returns the stored join URL, or "" (subscriptions made by the
// original plugin have none).
func (kv *KV) SubscriptionLink(meetingID int64) (string, error) {
	data, err := kv.Get(meetingKey(subLinkPrefix, meetingID))
	return string(data), err
}

// DeleteSubscriptionLink forgets the join URL of a removed subscription. The meeting
// may be subscribed again meanwhile, and its new link may be the same bytes: so only the
// link read is deleted, and it is put back when the meeting has a subscription again.
func (kv *KV) DeleteSubscriptionLink(meetingID int64) error {
	key := meetingKey(subLinkPrefix, meetingID)
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
