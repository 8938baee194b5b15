package app

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// startedClaimTTL bounds how long a meeting.started delivery that crashed half-way
// keeps Zoom's retries (the first comes after 5 minutes) from posting the card.
const startedClaimTTL = 2 * time.Minute

// HandleWebhook processes a verified Zoom event. Quick work (a card update) happens
// before the answer; slow work (downloads) is persisted as a job and done after it.
// nil means done or deliberately ignored; a KindBadInput error is a malformed payload;
// only a KindUnavailable error (see unavailable) is worth Zoom's retry.
func (a *App) HandleWebhook(ctx context.Context, ev *zoom.Event) error {
	a.diag.RecordEvent(ev.Event)
	snap, err := a.snap()
	if err != nil {
		return err
	}
	switch ev.Event {
	case zoom.EventMeetingStarted, zoom.EventMeetingEnded:
		p, err := ev.Meeting()
		if err != nil {
			return userError(KindBadInput, err, "malformed %s payload", ev.Event)
		}
		if p.Object.ID == 0 && p.Object.UUID == "" {
			return nil
		}
		if ev.Event == zoom.EventMeetingStarted {
			return a.meetingStarted(snap, &p.Object)
		}
		return a.meetingEnded(&p.Object)
	case zoom.EventRecordingCompleted, zoom.EventRecordingTranscriptCompleted:
		return a.recordingEvent(snap, ev)
	case zoom.EventMeetingSummaryCompleted:
		return a.summaryEvent(snap, ev)
	case zoom.EventMeetingUpdated:
		return a.meetingRescheduled(ev)
	case zoom.EventMeetingDeleted:
		return a.meetingDeletedInZoom(ev)
	}
	if isParticipantEvent(ev.Event) {
		return a.participantEvent(ev)
	}
	return nil
}

// meetingStarted posts a subscribed meeting's card, or remembers the new instance of
// a meeting whose card was posted from Mattermost.
func (a *App) meetingStarted(snap *snapshot, obj *zoom.MeetingObject) error {
	if obj.UUID == "" {
		return nil
	}
	// A scheduled card goes live first, whatever the mapping below says: the meeting
	// may also be shared or subscribed elsewhere, which is handled below.
	if err := a.scheduledMeetingStarted(obj); err != nil {
		return unavailable(err)
	}
	mc, err := a.kv.GetMeetingChannel(int64(obj.ID))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	// A subscription posts on every start, even when the same meeting was also shared
	// in another channel (whose card may already own the uuid mapping).
	if mc.IsSubscription {
		return a.postSubscriptionCard(snap, obj, mc)
	}
	// A new instance (a PMI or recurring meeting gets a new uuid) maps to the meeting's
	// card, unless another card owns the uuid already.
	if mc.PostID != "" {
		if _, err := a.kv.ClaimMeetingPost(obj.UUID, mc.PostID); err != nil {
			return unavailable(err)
		}
	}
	return nil
}

func (a *App) postSubscriptionCard(snap *snapshot, obj *zoom.MeetingObject, mc store.MeetingChannel) error {
	id := int64(obj.ID)
	if !a.host.HasPermissionToChannel(mc.CreatedBy, mc.ChannelID, model.PermissionCreatePost) {
		a.host.LogInfo("Not posting a subscribed meeting: its subscriber can no longer post in the channel",
			"meeting_id", id, "channel_id", mc.ChannelID, "created_by", mc.CreatedBy)
		return nil
	}
	// A channel restricted since the subscription was made gets no meeting cards.
	if err := a.checkChannelAllows(snap.settings.RestrictMeetingCreation, mc.ChannelID); err != nil {
		var refused *UserError
		if !errors.As(err, &refused) {
			return unavailable(err)
		}
		a.host.LogInfo("Not posting a subscribed meeting: meetings are not allowed in its channel", "meeting_id", id, "channel_id", mc.ChannelID)
		return nil
	}
	done, err := a.kv.EventDone(zoom.EventMeetingStarted, obj.UUID)
	if err != nil {
		return unavailable(err)
	}
	if done {
		return nil // a repeated delivery: the card is posted
	}
	joinURL, err := a.kv.SubscriptionLink(id)
	if err != nil {
		return unavailable(err)
	}
	if joinURL == "" {
		joinURL = snap.settings.WebURL() + "/j/" + strconv.FormatInt(id, 10)
	}
	creator, _ := a.profile(mc.CreatedBy) // unknown: posted without a creator
	card := a.buildCard(meetingCard{
		ChannelID: mc.ChannelID, UserID: a.botUserID, MeetingID: id, UUID: obj.UUID,
		JoinURL: joinURL, Topic: cmp.Or(obj.Topic, defaultTopic), CreatorUsername: creator.username, StartTime: zoomTime(obj.StartTime, a.now()),
	})
	// meeting.ended may have overtaken this event; then the card is posted ended.
	if end, ok, err := a.kv.EndedEarly(obj.UUID); err == nil && ok {
		a.endCard(card, end)
	}
	// The first card of an instance owns its uuid mapping. A card shared elsewhere
	// that owns it already makes this card one of several: it is posted marked, and
	// both are listed in the meeting's card index below (cardgroup.go).
	known, _ := a.kv.MeetingPostByUUID(obj.UUID) // unreadable: posted as the first card
	if known != "" {
		// The other card of this very instance has ended (meeting.ended came first):
		// so has this one.
		if other := a.cardPost(known); other != nil && propsOf(other).ended() {
			if end, ok := propsOf(other).end(); ok {
				a.endCard(card, end)
			}
		}
		if !propsOf(card).ended() {
			propsOf(card).setMoreCards()
		}
	}
	claimed, err := a.kv.ClaimEvent(startedClaimTTL, zoom.EventMeetingStarted, obj.UUID)
	if err != nil {
		return unavailable(err)
	}
	if !claimed {
		return nil // another delivery of this event is posting the card
	}
	post, appErr := a.host.CreatePost(card)
	if appErr != nil {
		// Released, so that Zoom's retry posts the card.
		if err := a.kv.ReleaseEvent(zoom.EventMeetingStarted, obj.UUID); err != nil {
			a.host.LogWarn("Could not release a meeting.started claim", "error", err.Error())
		}
		return unavailable(appErr)
	}
	if err := a.kv.MarkEventDone(store.MeetingTTL, zoom.EventMeetingStarted, obj.UUID); err != nil {
		a.host.LogWarn("Could not remember that a subscribed meeting's card was posted", "error", err.Error())
	}
	if known == "" {
		if known, err = a.kv.ClaimMeetingPost(obj.UUID, post.Id); err != nil {
			a.host.LogWarn("Could not remember a subscribed meeting's card", "error", err.Error())
		}
	}
	a.trackOpenCard(post, id, obj.UUID, mc.CreatedBy)
	// Always listed: a card shared in another channel (under another uuid, or before
	// this card existed) finds this one only through the index.
	a.joinCardGroup([]int64{id}, post, []string{known}, true)
	return nil
}

// meetingEnded turns the meeting's card into a summary. In the common case that costs
// three host calls: the uuid mapping (KVGet), the card (GetPost) and UpdatePost.
func (a *App) meetingEnded(obj *zoom.MeetingObject) error {
	card, mc, err := a.findCard(int64(obj.ID), obj.UUID)
	if err != nil {
		return unavailable(err)
	}
	end := zoomTime(obj.EndTime, a.now())
	if card == nil {
		// A subscribed meeting whose meeting.started has not arrived yet: remember the
		// end so its late card is posted ended, and end the cards shared elsewhere
		// (listed in the meeting's card index, cardgroup.go).
		if mc != nil && mc.IsSubscription {
			if obj.UUID != "" {
				if err := a.kv.MarkEndedEarly(obj.UUID, end); err != nil {
					return unavailable(err)
				}
			}
			return a.endOtherCards(int64(obj.ID), "", end)
		}
		return nil
	}
	// An already ended card (a repeated or second meeting.ended) is not written again.
	if a.endCard(card, end) {
		if _, appErr := a.host.UpdatePost(card); appErr != nil {
			return unavailable(appErr)
		}
		// The attendee summary follows off the request path (attendees.go).
		a.live.schedule(card.Id, endedFlushDelay)
	}
	// One of several cards: end the others too (one KV read; none for a lone card).
	// A repetition finds them ended and writes nothing, but finishes what a failed
	// delivery left.
	if propsOf(card).moreCards() {
		return a.endOtherCards(cmp.Or(int64(obj.ID), propsOf(card).meetingID()), card.Id, end)
	}
	return nil
}

// findCard finds a meeting's card: by instance uuid, then by meeting id (cards
// started from Mattermost, whose PMI/recurring instances get new uuids), then by the
// mapping the original plugin wrote up to 1.12. The meeting's channel mapping is
// returned when it was read.
func (a *App) findCard(meetingID int64, uuid string) (*model.Post, *store.MeetingChannel, error) {
	if uuid != "" {
		postID, err := a.kv.MeetingPostByUUID(uuid)
		if err != nil {
			return nil, nil, err
		}
		if card := a.cardPost(postID); card != nil {
			return card, nil, nil
		}
	}
	if meetingID == 0 {
		return nil, nil, nil
	}
	var mcp *store.MeetingChannel
	mc, err := a.kv.GetMeetingChannel(meetingID)
	switch {
	case err == nil:
		mcp = &mc
		if card := a.cardPost(mc.PostID); card != nil {
			return card, mcp, nil
		}
	case !errors.Is(err, store.ErrNotFound):
		return nil, nil, err
	}
	// Last, a scheduled meeting whose meeting.started never came (schedule.go).
	for _, lookup := range []func(int64) (string, error){a.kv.MeetingPostByLegacyID, a.kv.ScheduledCard} {
		postID, err := lookup(meetingID)
		if err != nil {
			return nil, mcp, err
		}
		if card := a.cardPost(postID); card != nil {
			return card, mcp, nil
		}
	}
	return nil, mcp, nil
}

// cardPost reads a post if it is a live meeting card; a mapping to anything else
// (deleted, or not ours) must never be edited.
func (a *App) cardPost(postID string) *model.Post {
	if postID == "" {
		return nil
	}
	p, appErr := a.host.GetPost(postID)
	if appErr != nil || p == nil || !propsOf(p).isMeetingCard() {
		return nil
	}
	return p
}

// zoomTime parses Zoom's RFC 3339 times, falling back when absent or malformed.
func zoomTime(s string, fallback time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	return fallback
}
