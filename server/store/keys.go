package store

import (
	"net/url"
	"strconv"
	"strings"
)

// KV keys. The first group is the contract with existing installations:
// never rename them. The second group is ours.
const (
	userTokenPrefix         = "zoomtoken_"
	userByZoomIDPrefix      = "zoomtokenbyzoomid_"
	adminTokenKey           = "zoomSuperUserToken_"
	oauthStatePrefix        = "zoomuserstate_"
	userPreferencePrefix    = "zoomUserPreference_"
	channelSettingsKey      = "zoomChannelSettings"
	postMeetingPrefix       = "post_meeting_"
	meetingChannelPrefix    = "meeting_channel_"
	subscriptionIndexPrefix = "subscription_index_"

	pendingMeetingPrefix = "zoompendingmeeting_"
	zoomUserCachePrefix  = "zoomusercache_"
	refreshLockPrefix    = "zoomrefresh_"
	// adminOwnerKey names the Zoom user who granted the account-level token.
	adminOwnerKey = "zoomadminowner"
	// startClaimPrefix + channel id: a meeting start in progress there (markers.go).
	startClaimPrefix = "zoomstarting_"
	// answeredPrefix + user id + "_" + post id: a one-time card answered (markers.go).
	answeredPrefix = "zoomanswered_"
	// The markers webhook handlers keep next to their jobs (markers.go): a delivery in
	// progress and an effect done (+ JobID of the event), a meeting that ended before its
	// card existed (+ JobID of its uuid), a subscribed meeting's join URL (+ meeting id).
	eventClaimPrefix = "zoomevent_"
	eventDonePrefix  = "zoomeventdone_"
	endedEarlyPrefix = "zoomendedearly_"
	subLinkPrefix    = "zoomsublink_"
	// reminderJobPrefix + post id + "_" + remindAt: a scheduled meeting's reminder job
	// (pluginapi's JobOnceScheduler stores it as once_<key>).
	reminderJobPrefix = "zoomremind_"
	// SweepJobKey names the card sweeper's cluster job (pluginapi's cluster.Schedule
	// stores it as cron_<key>).
	SweepJobKey = "zoomCardSweeper"
)

// PostMeetingKey maps a meeting instance to its card. UUIDs may hold "/", "+" and "=",
// so they are path-escaped as the original plugin did.
func PostMeetingKey(uuid string) string { return postMeetingPrefix + url.PathEscape(uuid) }

// LegacyPostMeetingKey is the mapping the original plugin wrote up to 1.12, by numeric id.
func LegacyPostMeetingKey(meetingID int64) string { return meetingKey(postMeetingPrefix, meetingID) }

// MeetingChannelKey maps a meeting id to the channel it belongs to.
func MeetingChannelKey(meetingID int64) string { return meetingKey(meetingChannelPrefix, meetingID) }

// meetingKey is the form of every key named by a meeting id: prefix + the decimal id.
func meetingKey(prefix string, meetingID int64) string {
	return prefix + strconv.FormatInt(meetingID, 10)
}

// ReminderJobKey names the reminder job of one reminder time (ms) of one scheduled card.
func ReminderJobKey(postID string, remindAt int64) string {
	return reminderJobPrefix + postID + "_" + strconv.FormatInt(remindAt, 10)
}

// ParseReminderJobKey reverses ReminderJobKey; ok is false for any other key.
func ParseReminderJobKey(key string) (postID string, remindAt int64, ok bool) {
	rest, isReminder := strings.CutPrefix(key, reminderJobPrefix)
	postID, atText, found := strings.Cut(rest, "_")
	at, err := strconv.ParseInt(atText, 10, 64)
	return postID, at, isReminder && found && err == nil
}
