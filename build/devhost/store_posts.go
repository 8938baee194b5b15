package devhost

import (
	"encoding/json"

	"github.com/mattermost/mattermost/server/public/model"
)

// CreatePost stores a new post the way the server's plugin API does: ids,
// times and action ids assigned, `from_plugin` set when a plugin made it,
// root checked; then `posted` goes to the channel's members.
func (s *Store) CreatePost(in *model.Post, fromPlugin bool) (*model.Post, *model.AppError) {
	p, appErr := jsonCopy("CreatePost", in)
	if appErr != nil {
		return nil, appErr
	}
	p.Id = ""

	s.mu.Lock()
	ch, ok := s.channels[p.ChannelId]
	if !ok {
		s.mu.Unlock()
		return nil, notFound("CreatePost", "channel")
	}
	if _, ok := s.users[p.UserId]; !ok {
		s.mu.Unlock()
		return nil, notFound("CreatePost", "user")
	}
	if p.RootId != "" {
		root, ok := s.posts[p.RootId]
		if !ok || root.DeleteAt != 0 || root.ChannelId != p.ChannelId || root.RootId != "" {
			s.mu.Unlock()
			return nil, badRequest("CreatePost", "invalid root_id")
		}
	}
	if p.CreateAt == 0 {
		p.CreateAt = s.millis()
	}
	p.PreSave()
	if fromPlugin {
		p.AddProp(model.PostPropsFromPlugin, "true")
	}
	if appErr := p.IsValid(model.PostMessageMaxRunesV2); appErr != nil {
		s.mu.Unlock()
		return nil, appErr
	}
	for _, fid := range p.FileIds {
		if f, ok := s.files[fid]; ok {
			f.info.PostId = p.Id
		}
	}
	s.posts[p.Id] = p
	s.postOrder = append(s.postOrder, p.Id)
	s.touch()
	out := s.clientPostLocked(p)
	data := map[string]any{
		"post":                 postJSON(out),
		"channel_type":         string(ch.Type),
		"channel_name":         ch.Name,
		"channel_display_name": ch.DisplayName,
		"team_id":              ch.TeamId,
		"sender_name":          s.users[p.UserId].Username,
	}
	s.mu.Unlock()

	s.recordEvent(Event{Event: string(model.WebsocketEventPosted), Data: data,
		Broadcast: &model.WebsocketBroadcast{ChannelId: p.ChannelId}})
	return out.Clone(), nil
}

// UpdatePost replaces message, props and files of a stored post, as the
// server's UpdatePost does (type, channel, author and create time stay).
func (s *Store) UpdatePost(in *model.Post, fromPlugin bool) (*model.Post, *model.AppError) {
	in, appErr := jsonCopy("UpdatePost", in)
	if appErr != nil {
		return nil, appErr
	}
	s.mu.Lock()
	old, ok := s.posts[in.Id]
	if !ok || old.DeleteAt != 0 {
		s.mu.Unlock()
		return nil, notFound("UpdatePost", "post")
	}
	p := old.Clone()
	if in.Message != old.Message {
		p.EditAt = s.millis()
	}
	p.Message = in.Message
	p.SetProps(in.GetProps())
	if in.FileIds != nil {
		p.FileIds = append(model.StringArray(nil), in.FileIds...)
	}
	p.IsPinned = in.IsPinned
	p.UpdateAt = s.millis()
	if fromPlugin {
		p.AddProp(model.PostPropsFromPlugin, "true")
	}
	p.PreCommit()
	if appErr := p.IsValid(model.PostMessageMaxRunesV2); appErr != nil {
		s.mu.Unlock()
		return nil, appErr
	}
	s.posts[p.Id] = p
	s.touch()
	out := s.clientPostLocked(p)
	s.mu.Unlock()

	s.recordEvent(Event{Event: string(model.WebsocketEventPostEdited),
		Data:      map[string]any{"post": postJSON(out)},
		Broadcast: &model.WebsocketBroadcast{ChannelId: p.ChannelId}})
	return out.Clone(), nil
}

// DeletePost marks a post deleted; it disappears from reads.
func (s *Store) DeletePost(id string) *model.AppError {
	s.mu.Lock()
	p, ok := s.posts[id]
	if !ok || p.DeleteAt != 0 {
		s.mu.Unlock()
		return notFound("DeletePost", "post")
	}
	p.DeleteAt = s.millis()
	p.UpdateAt = p.DeleteAt
	s.touch()
	out := s.clientPostLocked(p)
	s.mu.Unlock()

	s.recordEvent(Event{Event: string(model.WebsocketEventPostDeleted),
		Data:      map[string]any{"post": postJSON(out)},
		Broadcast: &model.WebsocketBroadcast{ChannelId: p.ChannelId}})
	return nil
}

// Post returns a live post by id.
func (s *Store) Post(id string) (*model.Post, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.posts[id]
	if !ok || p.DeleteAt != 0 {
		return nil, notFound("GetPost", "post")
	}
	return s.clientPostLocked(p), nil
}

// Posts returns the live posts of a channel, oldest first.
func (s *Store) Posts(channelID string) []*model.Post {
	return s.postsWhere(func(p *model.Post) bool { return p.ChannelId == channelID })
}

// PostsChangedSince answers as the server's GetPostsSince: the channel's posts
// updated after since (strictly), deleted ones included so that clients learn
// of deletions, and the roots of any replies among them; oldest first.
func (s *Store) PostsChangedSince(channelID string, since int64) []*model.Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	want := map[string]bool{}
	for _, id := range s.postOrder {
		if p := s.posts[id]; p.ChannelId == channelID && p.UpdateAt > since {
			want[p.Id] = true
			if p.RootId != "" {
				want[p.RootId] = true
			}
		}
	}
	var out []*model.Post
	for _, id := range s.postOrder {
		if want[id] {
			out = append(out, s.clientPostLocked(s.posts[id]))
		}
	}
	return out
}

// Thread returns the root post and its replies, oldest first.
func (s *Store) Thread(postID string) ([]*model.Post, *model.AppError) {
	root, appErr := s.Post(postID)
	if appErr != nil {
		return nil, appErr
	}
	rootID := root.Id
	if root.RootId != "" {
		rootID = root.RootId
	}
	return s.postsWhere(func(p *model.Post) bool { return p.Id == rootID || p.RootId == rootID }), nil
}

func (s *Store) postsWhere(keep func(*model.Post) bool) []*model.Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*model.Post
	for _, id := range s.postOrder {
		p := s.posts[id]
		if p.DeleteAt == 0 && keep(p) {
			out = append(out, s.clientPostLocked(p))
		}
	}
	return out
}

// PostsAfter returns a channel's live posts after its first skip ones, oldest first:
// what a channel gained since it held skip posts, without copying the rest.
func (s *Store) PostsAfter(channelID string, skip int) []*model.Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*model.Post
	for _, id := range s.postOrder {
		if p := s.posts[id]; p.DeleteAt == 0 && p.ChannelId == channelID {
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, s.clientPostLocked(p))
		}
	}
	return out
}

// PostCount is the number of a channel's live posts.
func (s *Store) PostCount(channelID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.posts {
		if p.DeleteAt == 0 && p.ChannelId == channelID {
			n++
		}
	}
	return n
}

// PostList builds a model.PostList (newest first, as the server orders it).
func PostList(posts []*model.Post) *model.PostList {
	l := model.NewPostList()
	for i := len(posts) - 1; i >= 0; i-- {
		l.AddPost(posts[i])
		l.AddOrder(posts[i].Id)
	}
	return l
}

// jsonCopy is in as the database gives it back and as it crosses the RPC
// boundary: props decoded from JSON (numbers are float64, attachments plain
// maps and lists) and nothing shared with in, so a caller that changes a post
// it passed or got back changes nothing stored. A post JSON cannot carry is
// refused, as the server refuses to save it.
func jsonCopy(where string, in *model.Post) (*model.Post, *model.AppError) {
	if in == nil {
		return nil, badRequest(where, "nil post")
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, badRequest(where, "the post cannot be stored as JSON: "+err.Error())
	}
	var out model.Post
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, badRequest(where, "the post cannot be read back from JSON: "+err.Error())
	}
	return &out, nil
}

// clientPostLocked copies a stored post and fills the file metadata clients
// read; callers hold s.mu.
func (s *Store) clientPostLocked(p *model.Post) *model.Post {
	out, _ := jsonCopy("GetPost", p) // it was stored through jsonCopy, so it copies
	if len(p.FileIds) > 0 {
		md := &model.PostMetadata{}
		for _, fid := range p.FileIds {
			if f, ok := s.files[fid]; ok {
				info := *f.info
				md.Files = append(md.Files, &info)
			}
		}
		out.Metadata = md
	}
	return out
}

// postJSON is how the server puts a post in a websocket event: a JSON string.
func postJSON(p *model.Post) string {
	b, err := json.Marshal(p)
	if err != nil {
		return "{}"
	}
	return string(b)
}
