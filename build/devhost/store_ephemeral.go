package devhost

import (
	"github.com/mattermost/mattermost/server/public/model"
)

// The server never stores ephemeral posts: it sends them over the websocket
// and protects their buttons with an encrypted cookie. The devhost keeps them
// per user instead, so a test (or the page) can click their buttons later.

// SendEphemeral stamps and keeps an ephemeral post for a user and sends it
// to them as `ephemeral_message`.
func (s *Store) SendEphemeral(userID string, in *model.Post) *model.Post {
	return s.keepEphemeral(userID, in, model.WebsocketEventEphemeralMessage, false)
}

// UpdateEphemeral replaces (or adds) a user's ephemeral post and sends
// `post_edited` to them.
func (s *Store) UpdateEphemeral(userID string, in *model.Post) *model.Post {
	return s.keepEphemeral(userID, in, model.WebsocketEventPostEdited, true)
}

// keepEphemeral stamps a copy of in as the server does, keeps it for the user and
// sends it to them as event. A new post gets a type, an id and its times; an update
// gets the type and a new UpdateAt only (the server fills in no id or CreateAt: an
// update without an id reaches no post, so nothing is kept).
func (s *Store) keepEphemeral(userID string, in *model.Post, event model.WebsocketEventType, update bool) *model.Post {
	p, appErr := jsonCopy("SendEphemeralPost", in)
	if appErr != nil {
		return nil // the server logs the failure; the plugin gets no post back
	}
	s.mu.Lock()
	p.Type = model.PostTypeEphemeral
	now := s.millis()
	if update {
		p.UpdateAt = now
	} else {
		if p.Id == "" {
			p.Id = model.NewId()
		}
		if p.CreateAt == 0 {
			p.CreateAt = now
		}
		p.UpdateAt = p.CreateAt
	}
	p.PreCommit()
	if p.Id != "" {
		s.upsertEphemeralLocked(userID, p)
		s.lastEphemeral[userID] = p.Id
	}
	s.touch()
	s.mu.Unlock()

	s.recordEvent(Event{Event: string(event),
		Data:      map[string]any{"post": postJSON(p)},
		Broadcast: &model.WebsocketBroadcast{UserId: userID, ChannelId: p.ChannelId}})
	return s.ephemeralCopy(p)
}

// DeleteEphemeral forgets a user's ephemeral post and sends `post_deleted` to that
// user, with what the server sends: the id, the user, the type and the deletion time.
func (s *Store) DeleteEphemeral(userID, postID string) {
	s.mu.Lock()
	list := s.ephemerals[userID]
	for i, p := range list {
		if p.Id == postID {
			s.ephemerals[userID] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	now := s.millis()
	s.touch()
	s.mu.Unlock()
	gone := &model.Post{Id: postID, UserId: userID, Type: model.PostTypeEphemeral, DeleteAt: now, UpdateAt: now}
	s.recordEvent(Event{Event: string(model.WebsocketEventPostDeleted),
		Data:      map[string]any{"post": postJSON(gone)},
		Broadcast: &model.WebsocketBroadcast{UserId: userID}})
}

// upsertEphemeralLocked replaces a post with the same id or appends; callers hold s.mu.
func (s *Store) upsertEphemeralLocked(userID string, p *model.Post) {
	list := s.ephemerals[userID]
	for i, old := range list {
		if old.Id == p.Id {
			list[i] = p
			return
		}
	}
	s.ephemerals[userID] = append(list, p)
}

// ephemeralCopy is a kept ephemeral post as the user's client gets it (JSON),
// sharing nothing with what the store keeps.
func (s *Store) ephemeralCopy(p *model.Post) *model.Post {
	out, _ := jsonCopy("ephemeral", p) // it was kept through jsonCopy, so it copies
	return out
}

// Ephemerals returns a user's ephemeral posts, oldest first.
func (s *Store) Ephemerals(userID string) []*model.Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*model.Post, 0, len(s.ephemerals[userID]))
	for _, p := range s.ephemerals[userID] {
		out = append(out, s.ephemeralCopy(p))
	}
	return out
}

// LastEphemeral returns the ephemeral post a user was last sent or had
// updated (if it is gone, their newest one), or nil.
func (s *Store) LastEphemeral(userID string) *model.Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.ephemerals[userID]
	for _, p := range list {
		if p.Id == s.lastEphemeral[userID] {
			return s.ephemeralCopy(p)
		}
	}
	if len(list) == 0 {
		return nil
	}
	return s.ephemeralCopy(list[len(list)-1])
}

// Ephemeral finds one of a user's ephemeral posts.
func (s *Store) Ephemeral(userID, postID string) (*model.Post, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.ephemerals[userID] {
		if p.Id == postID {
			return s.ephemeralCopy(p), true
		}
	}
	return nil, false
}
