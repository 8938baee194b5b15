package devhost

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// ---- users ------------------------------------------------------------------

func (a *hostAPI) GetUser(userID string) (*model.User, *model.AppError) {
	return a.store.User(userID)
}

func (a *hostAPI) GetUserByEmail(email string) (*model.User, *model.AppError) {
	return a.store.UserBy(func(u *model.User) bool { return strings.EqualFold(u.Email, email) })
}

func (a *hostAPI) GetUserByUsername(name string) (*model.User, *model.AppError) {
	name = strings.ToLower(strings.TrimPrefix(name, "@"))
	return a.store.UserBy(func(u *model.User) bool { return u.Username == name })
}

func (a *hostAPI) GetUsersByIds(ids []string) ([]*model.User, *model.AppError) {
	var out []*model.User
	for _, id := range ids {
		if u, appErr := a.store.User(id); appErr == nil {
			out = append(out, u)
		}
	}
	return out, nil
}

func (a *hostAPI) GetUsersByUsernames(names []string) ([]*model.User, *model.AppError) {
	var out []*model.User
	for _, n := range names {
		if u, appErr := a.GetUserByUsername(n); appErr == nil {
			out = append(out, u)
		}
	}
	return out, nil
}

func (a *hostAPI) GetUsersInChannel(channelID, _ string, page, perPage int) ([]*model.User, *model.AppError) {
	var out []*model.User
	for _, m := range a.store.Members(channelID) {
		if u, appErr := a.store.User(m.UserId); appErr == nil {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return pageOf(out, page, perPage), nil
}

func pageOf[T any](all []T, page, perPage int) []T {
	if page < 0 || perPage <= 0 {
		return []T{}
	}
	start := page * perPage
	if start >= len(all) {
		return []T{}
	}
	return all[start:min(start+perPage, len(all))]
}

// ---- teams ------------------------------------------------------------------

func (a *hostAPI) GetTeam(teamID string) (*model.Team, *model.AppError) {
	return a.store.Team(teamID)
}

func (a *hostAPI) GetTeams() ([]*model.Team, *model.AppError) { return a.store.Teams(), nil }

func (a *hostAPI) GetTeamsForUser(string) ([]*model.Team, *model.AppError) {
	return a.store.Teams(), nil
}

func (a *hostAPI) GetTeamByName(name string) (*model.Team, *model.AppError) {
	for _, t := range a.store.Teams() {
		if t.Name == name {
			return t, nil
		}
	}
	return nil, notFound("GetTeamByName", "team")
}

// GetTeamMember: every user of the devhost is on every team.
func (a *hostAPI) GetTeamMember(teamID, userID string) (*model.TeamMember, *model.AppError) {
	if _, appErr := a.store.Team(teamID); appErr != nil {
		return nil, appErr
	}
	u, appErr := a.store.User(userID)
	if appErr != nil {
		return nil, appErr
	}
	roles := model.TeamUserRoleId
	if u.IsSystemAdmin() {
		roles += " " + model.TeamAdminRoleId
	}
	return &model.TeamMember{TeamId: teamID, UserId: userID, Roles: roles, SchemeUser: true}, nil
}

// ---- channels ---------------------------------------------------------------

func (a *hostAPI) GetChannel(channelID string) (*model.Channel, *model.AppError) {
	return a.store.Channel(channelID)
}

func (a *hostAPI) GetChannelByName(teamID, name string, _ bool) (*model.Channel, *model.AppError) {
	return a.store.ChannelByName(teamID, name)
}

func (a *hostAPI) GetChannelByNameForTeamName(teamName, name string, includeDeleted bool) (*model.Channel, *model.AppError) {
	t, appErr := a.GetTeamByName(teamName)
	if appErr != nil {
		return nil, appErr
	}
	return a.GetChannelByName(t.Id, name, includeDeleted)
}

func (a *hostAPI) GetChannelsForTeamForUser(teamID, userID string, _ bool) ([]*model.Channel, *model.AppError) {
	var out []*model.Channel
	for _, c := range a.store.Channels() {
		if (c.TeamId == teamID || c.TeamId == "") && a.store.IsMember(c.Id, userID) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (a *hostAPI) GetDirectChannel(userA, userB string) (*model.Channel, *model.AppError) {
	return a.store.DirectChannel(userA, userB)
}

func (a *hostAPI) GetChannelStats(channelID string) (*model.ChannelStats, *model.AppError) {
	if _, appErr := a.store.Channel(channelID); appErr != nil {
		return nil, appErr
	}
	return &model.ChannelStats{ChannelId: channelID, MemberCount: int64(len(a.store.Members(channelID)))}, nil
}

func (a *hostAPI) AddChannelMember(channelID, userID string) (*model.ChannelMember, *model.AppError) {
	return a.store.AddMember(channelID, userID)
}

func (a *hostAPI) GetChannelMember(channelID, userID string) (*model.ChannelMember, *model.AppError) {
	return a.store.Member(channelID, userID)
}

func (a *hostAPI) GetChannelMembers(channelID string, page, perPage int) (model.ChannelMembers, *model.AppError) {
	if _, appErr := a.store.Channel(channelID); appErr != nil {
		return nil, appErr
	}
	return model.ChannelMembers(pageOf(a.store.Members(channelID), page, perPage)), nil
}

func (a *hostAPI) GetChannelMembersByIds(channelID string, userIDs []string) (model.ChannelMembers, *model.AppError) {
	var out model.ChannelMembers
	for _, id := range userIDs {
		if m, appErr := a.store.Member(channelID, id); appErr == nil {
			out = append(out, *m)
		}
	}
	return out, nil
}

// ---- permissions ------------------------------------------------------------

// memberChannelPermissions is what a channel member may do in the devhost
// (a simplification of the channel_user role).
var memberChannelPermissions = map[string]bool{
	model.PermissionCreatePost.Id:         true,
	model.PermissionReadChannel.Id:        true,
	model.PermissionReadChannelContent.Id: true,
	model.PermissionUseSlashCommands.Id:   true,
	model.PermissionUploadFile.Id:         true,
	model.PermissionAddReaction.Id:        true,
	model.PermissionRemoveReaction.Id:     true,
	model.PermissionEditPost.Id:           true,
	model.PermissionDeletePost.Id:         true,
}

// teamMemberPermissions is what a team member may do (team_user, simplified).
var teamMemberPermissions = map[string]bool{
	model.PermissionViewTeam.Id:             true,
	model.PermissionListTeamChannels.Id:     true,
	model.PermissionJoinPublicChannels.Id:   true,
	model.PermissionCreatePublicChannel.Id:  true,
	model.PermissionCreatePrivateChannel.Id: true,
}

func (a *hostAPI) isAdmin(userID string) bool {
	u, appErr := a.store.User(userID)
	return appErr == nil && u.IsSystemAdmin()
}

// HasPermissionTo: system admins hold every permission; others hold none of
// the system-wide ones.
func (a *hostAPI) HasPermissionTo(userID string, p *model.Permission) bool {
	return p != nil && a.isAdmin(userID)
}

func (a *hostAPI) HasPermissionToTeam(userID, teamID string, p *model.Permission) bool {
	if p == nil {
		return false
	}
	if a.isAdmin(userID) {
		return true
	}
	_, appErr := a.store.Team(teamID)
	return appErr == nil && teamMemberPermissions[p.Id]
}

func (a *hostAPI) HasPermissionToChannel(userID, channelID string, p *model.Permission) bool {
	return a.store.HasChannelPermission(userID, channelID, p)
}

func (h *Host) hasChannelPermission(userID, channelID string, p *model.Permission) bool {
	return h.store.HasChannelPermission(userID, channelID, p)
}

// HasChannelPermission answers as the server's channel_user role would,
// simplified: system admins may do anything, members what
// memberChannelPermissions lists, anyone may read a public channel.
func (s *Store) HasChannelPermission(userID, channelID string, p *model.Permission) bool {
	if p == nil {
		return false
	}
	u, appErr := s.User(userID)
	if appErr != nil {
		return false
	}
	if u.IsSystemAdmin() {
		return true
	}
	if s.IsMember(channelID, userID) {
		return memberChannelPermissions[p.Id]
	}
	// Anyone on the team may read a public channel.
	c, appErr := s.Channel(channelID)
	return appErr == nil && c.Type == model.ChannelTypeOpen &&
		(p.Id == model.PermissionReadChannel.Id || p.Id == model.PermissionReadChannelContent.Id)
}

func (a *hostAPI) RolesGrantPermission(roleNames []string, permissionID string) bool {
	for _, r := range roleNames {
		if r == model.SystemAdminRoleId {
			return true
		}
		if r == model.ChannelUserRoleId && memberChannelPermissions[permissionID] {
			return true
		}
		if r == model.TeamUserRoleId && teamMemberPermissions[permissionID] {
			return true
		}
	}
	return false
}

// ---- preferences ------------------------------------------------------------

func (a *hostAPI) GetPreferenceForUser(userID, category, name string) (model.Preference, *model.AppError) {
	return a.store.Preference(userID, category, name)
}

func (a *hostAPI) GetPreferencesForUser(userID string) ([]model.Preference, *model.AppError) {
	return a.store.Preferences(userID), nil
}

func (a *hostAPI) UpdatePreferencesForUser(userID string, prefs []model.Preference) *model.AppError {
	return a.store.UpdatePreferences(userID, prefs)
}

func (a *hostAPI) DeletePreferencesForUser(userID string, prefs []model.Preference) *model.AppError {
	return a.store.DeletePreferences(userID, prefs)
}

// jsonRoundTrip copies src into dest through JSON.
func jsonRoundTrip(src, dest any) error {
	b, err := json.Marshal(src)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dest)
}
