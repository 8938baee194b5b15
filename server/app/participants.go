package app

import (
	"errors"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Live participants. A webhook only updates the card's state in KV (store.Participants,
// by compare-and-set); a debounce timer in the process that took it writes the card
// later (live.go, attendees.go), at most once per flushInterval per card across the
// cluster. A timer that dies with its process only delays that: the sweeper flushes
// every state whose Version is ahead of Flushed.

// participantStates maps an event to the state it puts a participant in, and what a
// waiting participant waits for. (meeting.participant_admitted is followed by
// meeting.participant_joined.)
var participantStates = map[string]struct{ state, waitingFor string }{
	zoom.EventParticipantJoined:            {store.ParticipantIn, ""},
	zoom.EventParticipantJoinedBeforeHost:  {store.ParticipantIn, ""},
	zoom.EventParticipantLeft:              {store.ParticipantLeft, ""},
	zoom.EventParticipantLeftWaitingRoom:   {store.ParticipantLeft, ""},
	zoom.EventParticipantJoinedWaitingRoom: {store.ParticipantWaiting, "room"},
	zoom.EventParticipantPutInWaitingRoom:  {store.ParticipantWaiting, "room"},
	zoom.EventParticipantWaitingForHost:    {store.ParticipantWaiting, "host"},
}

// isParticipantEvent reports whether HandleWebhook should route ev here.
func isParticipantEvent(event string) bool {
	_, ok := participantStates[event]
	return ok
}

// participantKey identifies one participant of one meeting instance:
// participant_uuid (stable across rejoins), else the in-meeting user_id, else the
// Zoom user id, email or name.
func participantKey(p *zoom.Participant) string {
	switch {
	case p.ParticipantUUID != "":
		return p.ParticipantUUID
	case p.UserID != "":
		return "u:" + p.UserID
	case p.ID != "":
		return "z:" + p.ID
	case p.Email != "":
		return "e:" + p.Email
	case p.UserName != "":
		return "n:" + p.UserName
	}
	return ""
}

// participantEvent records one participant webhook in the card's state and schedules
// a card update.
func (a *App) participantEvent(ev *zoom.Event) error {
	to := participantStates[ev.Event]
	p, err := ev.Participant()
	if err != nil {
		return userError(KindBadInput, err, "malformed %s payload", ev.Event)
	}
	part := &p.Object.Participant
	key := participantKey(part)
	if key == "" {
		return nil
	}
	postID, err := a.cardIDFor(int64(p.Object.ID), p.Object.UUID)
	if err != nil {
		return unavailable(err)
	}
	if postID == "" {
		return nil // not a meeting we posted
	}
	when := part.JoinTime
	if to.state == store.ParticipantLeft {
		when = part.LeaveTime
	}
	at := zoomTime(when, time.UnixMilli(ev.EventTS)).UnixMilli()
	changed := false
	err = a.kv.UpdateParticipants(postID, func(s *store.Participants) (bool, error) {
		changed = applyParticipant(s, key, part, to.state, to.waitingFor, at, ev.EventTS)
		return changed, nil
	})
	if err != nil {
		return unavailable(err)
	}
	if changed {
		a.live.schedule(postID, flushDelay)
	}
	return nil
}

// cardIDFor finds the post id of a meeting's card from KV alone: by instance uuid, then
// by the meeting id's channel mapping.
func (a *App) cardIDFor(meetingID int64, uuid string) (string, error) {
	if uuid != "" {
		id, err := a.kv.MeetingPostByUUID(uuid)
		if err != nil || id != "" {
			return id, err
		}
	}
	if meetingID == 0 {
		return "", nil
	}
	mc, err := a.kv.GetMeetingChannel(meetingID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return mc.PostID, err
}

// applyParticipant applies one event to the state and reports whether it changed.
// Events are ordered per participant by (participant time, event_ts): an older event
// than the one stored is ignored, except that an old join still proves attendance.
func applyParticipant(s *store.Participants, key string, part *zoom.Participant, state, waitingFor string, at, seq int64) bool {
	cur := s.People[key]
	if cur == nil {
		if len(s.People) >= store.MaxTrackedParticipants {
			return false
		}
		cur = &store.Participant{}
		s.People[key] = cur
	} else if at < cur.At || (at == cur.At && seq < cur.Seq) || (at == cur.At && seq == cur.Seq && state == cur.State) {
		if state == store.ParticipantIn && (!cur.Attended || cur.First == 0 || at < cur.First) {
			cur.Attended = true
			cur.First = at
			s.Version++
			return true
		}
		return false
	}
	if part.UserName != "" {
		cur.Name = part.UserName
	}
	if part.Email != "" && part.Email != cur.Email {
		cur.Email, cur.Username, cur.Resolved = part.Email, "", false
	}
	if part.ID != "" {
		cur.ZoomID = part.ID
	}
	cur.State, cur.At, cur.Seq = state, at, seq
	cur.WaitingFor = ""
	switch state {
	case store.ParticipantIn:
		cur.Attended = true
		if cur.First == 0 || at < cur.First {
			cur.First = at
		}
	case store.ParticipantWaiting:
		cur.WaitingFor = waitingFor
		if cur.First == 0 {
			cur.First = at
		}
	}
	s.Version++
	return true
}
