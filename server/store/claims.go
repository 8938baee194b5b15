package store

import (
	"strconv"
	"strings"
	"time"
)

// ClaimChannelStart claims a channel for one meeting start (insert-if-absent), so two
// simultaneous starts make one meeting. false means another start holds it.
func (k *KV) ClaimChannelStart(channelID, userID string, ttl time.Duration) (bool, error) {
	return k.Insert(startClaimPrefix+channelID, []byte(userID), ttl)
}

// ReleaseChannelStart ends a channel's start claim.
func (k *KV) ReleaseChannelStart(channelID string) error {
	return k.Delete(startClaimPrefix + channelID)
}

// MarkAnswered records that userID answered the one-time card postID (insert-if-absent):
// false means it was answered already.
func (k *KV) MarkAnswered(userID, postID string, ttl time.Duration) (bool, error) {
	return k.Insert(answeredPrefix+userID+"_"+postID, []byte{1}, ttl)
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
