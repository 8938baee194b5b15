package devhost

import (
	"net/http"
	"sort"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// Demo names: the users, team and channels every devhost starts with.
const (
	DemoTeam = "demo"
)

// DemoUsers are the seeded users; admin is a system admin.
var DemoUsers = []string{"admin", "alice", "bob", "carol"}

// seed creates the demo directory; callers own s (no lock needed yet).
func (s *Store) seed() {
	now := s.millis()
	team := s.addTeam(DemoTeam, "Demo")

	ids := map[string]string{}
	for _, name := range DemoUsers {
		u := &model.User{
			Id:            model.NewId(),
			Username:      name,
			Email:         name + "@example.com",
			EmailVerified: true,
			FirstName:     strings.ToUpper(name[:1]) + name[1:],
			LastName:      "Example",
			Roles:         model.SystemUserRoleId,
			Locale:        "en",
			CreateAt:      now,
			UpdateAt:      now,
		}
		if name == "admin" {
			u.Roles = model.SystemAdminRoleId + " " + model.SystemUserRoleId
			u.FirstName, u.LastName = "Ada", "Admin"
		}
		s.users[u.Id] = u
		ids[name] = u.Id
	}

	everyone := []string{ids["admin"], ids["alice"], ids["bob"], ids["carol"]}
	s.addChannel(team.Id, "town-square", "Town Square", model.ChannelTypeOpen, everyone)
	s.addChannel(team.Id, "off-topic", "Off-Topic", model.ChannelTypeOpen, everyone)
	s.addChannel(team.Id, "design", "Design", model.ChannelTypePrivate, []string{ids["alice"], ids["bob"], ids["admin"]})
	// A direct message, where Mattermost shows its Call button (the browser test starts Zoom there).
	s.addChannel("", model.GetDMNameFromIds(ids["alice"], ids["carol"]), "", model.ChannelTypeDirect, []string{ids["alice"], ids["carol"]})
}

// addTeam creates an open team; callers hold s.mu (or own s).
func (s *Store) addTeam(name, display string) *model.Team {
	now := s.millis()
	t := &model.Team{Id: model.NewId(), Name: name, DisplayName: display, Type: model.TeamOpen, CreateAt: now, UpdateAt: now}
	s.teams[t.Id] = t
	return t
}

// AddTeam creates an open team.
func (s *Store) AddTeam(name string) *model.Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.addTeam(name, name)
	s.touch()
	c := *t
	return &c
}

// AddChannel creates a channel of a team (DMs: GetDirectChannel) with members.
func (s *Store) AddChannel(teamID, name string, typ model.ChannelType, memberIDs ...string) *model.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.addChannel(teamID, name, name, typ, memberIDs)
	s.touch()
	return c.DeepCopy()
}

// AddMember adds a user to a channel, as the server's AddChannelMember does:
// both must exist, a direct or group channel takes no one, and adding a member
// again answers the membership they have.
func (s *Store) AddMember(channelID, userID string) (*model.ChannelMember, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[channelID]
	if !ok {
		return nil, notFound("AddChannelMember", "channel")
	}
	if _, ok := s.users[userID]; !ok {
		return nil, notFound("AddChannelMember", "user")
	}
	if c.IsGroupOrDirect() {
		return nil, badRequest("AddChannelMember", "members of a direct or group message are fixed")
	}
	if m, ok := s.members[channelID][userID]; ok {
		out := *m
		return &out, nil
	}
	m := newMember(channelID, userID)
	s.members[channelID][userID] = m
	s.touch()
	out := *m
	return &out, nil
}

// RemoveMember takes a user out of a channel (absent is fine).
func (s *Store) RemoveMember(channelID, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.members[channelID], userID)
	s.touch()
}

func newMember(channelID, userID string) *model.ChannelMember {
	return &model.ChannelMember{
		ChannelId:   channelID,
		UserId:      userID,
		Roles:       model.ChannelUserRoleId,
		SchemeUser:  true,
		NotifyProps: model.GetDefaultChannelNotifyProps(),
	}
}

// addChannel creates a channel with members; callers hold s.mu (or own s).
func (s *Store) addChannel(teamID, name, display string, typ model.ChannelType, memberIDs []string) *model.Channel {
	now := s.millis()
	c := &model.Channel{Id: model.NewId(), TeamId: teamID, Name: name, DisplayName: display, Type: typ, CreateAt: now, UpdateAt: now}
	s.channels[c.Id] = c
	s.members[c.Id] = map[string]*model.ChannelMember{}
	for _, uid := range memberIDs {
		s.members[c.Id][uid] = newMember(c.Id, uid)
	}
	return c
}

func notFound(where, what string) *model.AppError {
	return model.NewAppError(where, "devhost.not_found", nil, what+" not found", http.StatusNotFound)
}

func badRequest(where, why string) *model.AppError {
	return model.NewAppError(where, "devhost.bad_request", nil, why, http.StatusBadRequest)
}

// User returns a copy of the user with that id.
func (s *Store) User(id string) (*model.User, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.users[id]; ok {
		return u.DeepCopy(), nil
	}
	return nil, notFound("GetUser", "user")
}

// UserBy returns the first user for which match is true.
func (s *Store) UserBy(match func(*model.User) bool) (*model.User, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if match(u) {
			return u.DeepCopy(), nil
		}
	}
	return nil, notFound("GetUserBy", "user")
}

// Users returns every user sorted by username.
func (s *Store) Users() []*model.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*model.User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u.DeepCopy())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out
}

// PutUser inserts or replaces a user.
func (s *Store) PutUser(u *model.User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.Id] = u.DeepCopy()
	s.touch()
}

// Teams returns every team.
func (s *Store) Teams() []*model.Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*model.Team, 0, len(s.teams))
	for _, t := range s.teams {
		c := *t
		out = append(out, &c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Team returns the team with that id.
func (s *Store) Team(id string) (*model.Team, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.teams[id]; ok {
		c := *t
		return &c, nil
	}
	return nil, notFound("GetTeam", "team")
}

// Channel returns the channel with that id.
func (s *Store) Channel(id string) (*model.Channel, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[id]; ok {
		return c.DeepCopy(), nil
	}
	return nil, notFound("GetChannel", "channel")
}

// ChannelByName finds a channel of a team by name.
func (s *Store) ChannelByName(teamID, name string) (*model.Channel, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.channels {
		if c.Name == name && (c.TeamId == teamID || c.TeamId == "") {
			return c.DeepCopy(), nil
		}
	}
	return nil, notFound("GetChannelByName", "channel")
}

// Channels returns every channel (DMs included) sorted by name.
func (s *Store) Channels() []*model.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*model.Channel, 0, len(s.channels))
	for _, c := range s.channels {
		out = append(out, c.DeepCopy())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Member returns the membership of a user in a channel.
func (s *Store) Member(channelID, userID string) (*model.ChannelMember, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.members[channelID][userID]; ok {
		c := *m
		return &c, nil
	}
	return nil, notFound("GetChannelMember", "channel member")
}

// Members returns the members of a channel sorted by user id.
func (s *Store) Members(channelID string) []model.ChannelMember {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.membersLocked(channelID)
}

func (s *Store) membersLocked(channelID string) []model.ChannelMember {
	out := make([]model.ChannelMember, 0, len(s.members[channelID]))
	for _, m := range s.members[channelID] {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserId < out[j].UserId })
	return out
}

// IsMember reports whether the user belongs to the channel.
func (s *Store) IsMember(channelID, userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.members[channelID][userID]
	return ok
}

// DirectChannel gets or creates the DM channel of two users.
func (s *Store) DirectChannel(userA, userB string) (*model.Channel, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userA]; !ok {
		return nil, notFound("GetDirectChannel", "user")
	}
	if _, ok := s.users[userB]; !ok {
		return nil, notFound("GetDirectChannel", "user")
	}
	name := model.GetDMNameFromIds(userA, userB)
	for _, c := range s.channels {
		if c.Name == name && c.Type == model.ChannelTypeDirect {
			return c.DeepCopy(), nil
		}
	}
	c := s.addChannel("", name, "", model.ChannelTypeDirect, []string{userA, userB})
	s.touch()
	return c.DeepCopy(), nil
}
