package store

import (
	"net/url"
	"strconv"
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
	// startClaimPrefix + channel id: a meeting start in progress there (claims.go).
	startClaimPrefix = "zoomstarting_"
	// answeredPrefix + user id + "_" + post id: a one-time card answered (claims.go).
	answeredPrefix = "zoomanswered_"
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
func LegacyPostMeetingKey(meetingID int64) string {
	return postMeetingPrefix + strconv.FormatInt(meetingID, 10)
}

// MeetingChannelKey maps a meeting id to the channel it belongs to.
func MeetingChannelKey(meetingID int64) string {
	return meetingChannelPrefix + strconv.FormatInt(meetingID, 10)
}
