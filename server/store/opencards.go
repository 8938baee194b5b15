package store

import (
	"errors"
	"time"
)

// Open cards: one key per meeting card that has not ended yet, so a background
// sweeper can end cards whose meeting.ended webhook never arrived. Per-card keys
// (rather than one index) keep writers of different cards from contending, and the
// prefix makes them listable.
const (
	openCardPrefix = "zoomopencard_"
	// OpenCardTTL outlives the sweeper's 7-day bound, so a record nobody deletes
	// (the card was deleted while no node ran) still goes away.
	OpenCardTTL = 8 * 24 * time.Hour
)

// ErrCardBusy means another node (or goroutine) holds the card's lease.
var ErrCardBusy = errors.New("another sweep holds this card")

// OpenCard is the value of zoomopencard_<postID>. Times are ms since the epoch.
type OpenCard struct {
	PostID    string `json:"post_id"`
	ChannelID string `json:"channel_id"`
	MeetingID int64  `json:"meeting_id"`
	UUID      string `json:"meeting_uuid"`
	// UserID is whose Zoom identity reads the meeting's details: the card's creator,
	// or the subscriber for a subscription's card.
	UserID   string `json:"user_id"`
	PostedAt int64  `json:"posted_at"`
	// NextCheck is when the sweeper should look at the card again; Attempts counts the
	// checks that found no ended meeting (or failed), for the backoff and the bound.
	NextCheck  int64  `json:"next_check"`
	Attempts   int    `json:"attempts"`
	LeaseOwner string `json:"lease_owner,omitempty"`
	LeaseUntil int64  `json:"lease_until,omitempty"`
}

// OpenCardKey names a card's record.
func OpenCardKey(postID string) string { return openCardPrefix + postID }

// TrackOpenCard records a card that has just been posted (idempotent).
func (kv *KV) TrackOpenCard(c OpenCard) error {
	return SetJSON(kv, OpenCardKey(c.PostID), c, OpenCardTTL)
}

// OpenCardIDs lists the post ids of tracked cards.
func (kv *KV) OpenCardIDs() ([]string, error) { return kv.listIDs(openCardPrefix) }

// GetOpenCard reads a card's record (ErrNotFound when untracked or corrupt).
func (kv *KV) GetOpenCard(postID string) (OpenCard, error) {
	return GetJSON[OpenCard](kv, OpenCardKey(postID))
}

// ClaimOpenCard takes a card's lease when its check is due and nobody else holds it.
// It returns the claimed record, nil when the check is not due, or ErrCardBusy.
func (kv *KV) ClaimOpenCard(postID, owner string, now, until time.Time) (*OpenCard, error) {
	return editJSON(kv, OpenCardKey(postID), func(c *OpenCard, found bool) (edit, time.Duration, error) {
		switch {
		case !found:
			return drop, 0, nil // absent, or corrupt (logged)
		case c.NextCheck > now.UnixMilli():
			return keep, 0, nil
		case c.LeaseOwner != "" && c.LeaseOwner != owner && c.LeaseUntil > now.UnixMilli():
			return keep, 0, ErrCardBusy
		}
		c.LeaseOwner, c.LeaseUntil = owner, until.UnixMilli()
		return write, OpenCardTTL, nil
	})
}

// ReleaseOpenCard stores the outcome of a check (attempts so far, next check) and gives
// the lease up, unless the record is gone or someone else took the lease meanwhile.
func (kv *KV) ReleaseOpenCard(postID, owner string, attempts int, next time.Time) error {
	_, err := editJSON(kv, OpenCardKey(postID), func(c *OpenCard, found bool) (edit, time.Duration, error) {
		if !found || c.LeaseOwner != owner {
			return keep, 0, nil
		}
		c.Attempts, c.NextCheck = attempts, next.UnixMilli()
		c.LeaseOwner, c.LeaseUntil = "", 0
		return write, OpenCardTTL, nil
	})
	return err
}

// ForgetOpenCard stops tracking a card (it ended, was deleted, or the sweeper gave up).
func (kv *KV) ForgetOpenCard(postID string) error {
	return kv.Delete(OpenCardKey(postID))
}
