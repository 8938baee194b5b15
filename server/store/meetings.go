package store

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MeetingTTL is how long a card started from Mattermost stays findable by webhooks.
const MeetingTTL = 24 * time.Hour

// MeetingChannel is the value of meeting_channel_<meetingID>: the channel of the
// meeting's card, or of its subscription.
type MeetingChannel struct {
	ChannelID      string `json:"channel_id"`
	IsSubscription bool   `json:"is_subscription"`
	CreatedBy      string `json:"created_by"`
	// PostID is ours: the card of a meeting started from Mattermost, so webhooks whose
	// UUID is new (PMI and recurring meetings) still find it by meeting id.
	PostID string `json:"post_id,omitempty"`
}

// SaveMeetingPost remembers which card shows a meeting instance.
func (kv *KV) SaveMeetingPost(uuid, postID string) error {
	if err := kv.Set(PostMeetingKey(uuid), []byte(postID), MeetingTTL); err != nil {
		return err
	}
	kv.cards.put(uuid, postID)
	return nil
}

// ClaimMeetingPost maps a meeting instance to a card unless another card owns it, and
// returns the owner (postID when the claim won). The first card keeps the mapping, so
// the memo holds across nodes; later cards are in the card index (meetingcards.go).
func (kv *KV) ClaimMeetingPost(uuid, postID string) (string, error) {
	if id, ok := kv.cards.get(uuid); ok {
		return id, nil
	}
	inserted, err := kv.Insert(PostMeetingKey(uuid), []byte(postID), MeetingTTL)
	if err != nil {
		return "", err
	}
	if inserted {
		kv.cards.put(uuid, postID)
		return postID, nil
	}
	owner, err := kv.MeetingPostByUUID(uuid)
	if err != nil || owner != "" {
		return owner, err
	}
	// Corrupt, or expired meanwhile: take it.
	return postID, kv.SaveMeetingPost(uuid, postID)
}

// MeetingPostByUUID returns the card's post id, or "" when unknown. A uuid's card never
// changes, so a mapping this process wrote or read is answered from memory; another
// node's mappings come from the KV.
func (kv *KV) MeetingPostByUUID(uuid string) (string, error) {
	if id, ok := kv.cards.get(uuid); ok {
		return id, nil
	}
	id, err := kv.getPostID(PostMeetingKey(uuid))
	if err == nil && id != "" {
		kv.cards.put(uuid, id)
	}
	return id, err
}

// MeetingPostByLegacyID reads the mapping by numeric id written by the original plugin.
func (kv *KV) MeetingPostByLegacyID(meetingID int64) (string, error) {
	return kv.getPostID(LegacyPostMeetingKey(meetingID))
}

func (kv *KV) getPostID(key string) (string, error) {
	id, err := kv.getWord(key)
	if len(id) != 26 {
		return "", err // absent, or not a Mattermost id: corrupt, treat as absent
	}
	return id, nil
}

// GetMeetingChannel returns the channel mapping of a meeting (ErrNotFound when none).
func (kv *KV) GetMeetingChannel(meetingID int64) (MeetingChannel, error) {
	return GetJSON[MeetingChannel](kv, MeetingChannelKey(meetingID))
}

// SaveMeetingChannel stores the channel of a card started from Mattermost for 24 h,
// unless the meeting is subscribed or another user's card. It returns the mapping it
// found (zero when none), so the caller learns of another card or a subscription.
func (kv *KV) SaveMeetingChannel(meetingID int64, mc MeetingChannel) (MeetingChannel, error) {
	var previous MeetingChannel
	data, err := json.Marshal(mc)
	if err != nil {
		return previous, err
	}
	// A new meeting id has no mapping yet: one insert, no read. Only a reused id (a
	// PMI, a shared meeting) pays for the read-check-write below.
	if inserted, err := kv.Insert(MeetingChannelKey(meetingID), data, MeetingTTL); err != nil || inserted {
		return previous, err
	}
	err = UpdateJSON(kv, MeetingChannelKey(meetingID), MeetingTTL, func(v *MeetingChannel) (bool, error) {
		previous = *v
		// Nobody takes over another user's meeting: its data keeps going where its
		// first sharer (or its subscription) put it.
		if previous.IsSubscription || (previous.CreatedBy != "" && previous.CreatedBy != mc.CreatedBy) {
			return false, nil
		}
		*v = mc
		return true, nil
	})
	return previous, err
}

// SubscriptionIndex is subscription_index_<mmUserID>.
type SubscriptionIndex struct {
	MeetingIDs []string `json:"meeting_ids"`
}

// AddSubscription creates the subscription of a meeting to a channel; false when the
// meeting already has one (a meeting has at most one subscription).
func (kv *KV) AddSubscription(meetingID int64, mc MeetingChannel) (bool, error) {
	mc.IsSubscription = true
	created := false
	err := UpdateJSON(kv, MeetingChannelKey(meetingID), 0, func(v *MeetingChannel) (bool, error) {
		created = !v.IsSubscription
		if created {
			*v = mc
		}
		return created, nil
	})
	if err != nil || !created {
		return false, err
	}
	return true, kv.indexSubscription(mc.CreatedBy, strconv.FormatInt(meetingID, 10))
}

// RemoveSubscription deletes the meeting's subscription when may (called with it as
// stored, again whenever a concurrent write wins) allows it, then its creator's index
// entry. It returns the subscription removed, the zero value when there was none. A
// subscription the same user adds again meanwhile keeps its entry: the index is checked
// against the mapping after the entry went.
func (kv *KV) RemoveSubscription(meetingID int64, may func(MeetingChannel) error) (MeetingChannel, error) {
	var read MeetingChannel
	_, err := editJSON(kv, MeetingChannelKey(meetingID), func(mc *MeetingChannel, found bool) (edit, time.Duration, error) {
		read = MeetingChannel{}
		if !found || !mc.IsSubscription {
			return keep, 0, nil
		}
		read = *mc
		return drop, 0, may(*mc)
	})
	if err != nil || !read.IsSubscription {
		return MeetingChannel{}, err
	}
	id := strconv.FormatInt(meetingID, 10)
	err = UpdateJSON(kv, subscriptionIndexPrefix+read.CreatedBy, 0, func(idx *SubscriptionIndex) (bool, error) {
		before := len(idx.MeetingIDs)
		idx.MeetingIDs = slices.DeleteFunc(idx.MeetingIDs, func(existing string) bool { return existing == id })
		return len(idx.MeetingIDs) != before, nil
	})
	if err != nil {
		return read, err
	}
	if now, err := kv.GetMeetingChannel(meetingID); err == nil && now.IsSubscription && now.CreatedBy == read.CreatedBy {
		return read, kv.indexSubscription(read.CreatedBy, id)
	}
	return read, nil
}

// indexSubscription adds a meeting id to a user's subscription index.
func (kv *KV) indexSubscription(userID, id string) error {
	return UpdateJSON(kv, subscriptionIndexPrefix+userID, 0, func(idx *SubscriptionIndex) (bool, error) {
		if slices.Contains(idx.MeetingIDs, id) {
			return false, nil
		}
		idx.MeetingIDs = append(idx.MeetingIDs, id)
		return true, nil
	})
}

// Subscriptions lists the meeting ids a user subscribed.
func (kv *KV) Subscriptions(userID string) ([]string, error) {
	idx, err := getOrZero[SubscriptionIndex](kv, subscriptionIndexPrefix+userID)
	return idx.MeetingIDs, err
}

// ZoomUserCache remembers the Zoom user an email resolved to in account-level mode,
// so a start costs one Zoom call instead of two.
type ZoomUserCache struct {
	ZoomID string `json:"zoom_id"`
	Email  string `json:"email"`
}

const zoomUserCacheTTL = 12 * time.Hour

// CachedZoomUser returns the cached Zoom id for a Mattermost user's email, or "".
func (kv *KV) CachedZoomUser(mmUserID, email string) (string, error) {
	c, err := getOrZero[ZoomUserCache](kv, zoomUserCachePrefix+mmUserID)
	if !strings.EqualFold(c.Email, email) {
		return "", err
	}
	return c.ZoomID, err
}

// CacheZoomUser remembers the Zoom id for a user's email.
func (kv *KV) CacheZoomUser(mmUserID, email, zoomID string) error {
	return SetJSON(kv, zoomUserCachePrefix+mmUserID, ZoomUserCache{ZoomID: zoomID, Email: email}, zoomUserCacheTTL)
}

// RefreshLockKey names the cluster mutex serialising token refreshes for one owner.
func RefreshLockKey(owner string) string { return refreshLockPrefix + owner }
