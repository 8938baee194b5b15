package devhost

import (
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// botIDKey is where the server remembers, in the plugin's own KV, the bot a
// plugin ensured; pluginapi and existing installations depend on it.
const botIDKey = "mmi_botid"

// CreateBot creates a bot and its user; the username must be free.
func (s *Store) CreateBot(in *model.Bot) (*model.Bot, *model.AppError) {
	if in == nil {
		return nil, badRequest("CreateBot", "nil bot")
	}
	b := in.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createBotLocked(b)
}

func (s *Store) createBotLocked(b *model.Bot) (*model.Bot, *model.AppError) {
	b.Username = strings.ToLower(b.Username)
	if !model.IsValidUsername(b.Username) {
		return nil, badRequest("CreateBot", "invalid bot username "+b.Username)
	}
	for _, u := range s.users {
		if u.Username == b.Username {
			return nil, model.NewAppError("CreateBot", "app.user.save.username_exists.app_error", nil, "", http.StatusBadRequest)
		}
	}
	b.UserId = model.NewId()
	now := s.millis()
	b.CreateAt, b.UpdateAt = now, now
	u := model.UserFromBot(b)
	u.IsBot = true
	u.CreateAt, u.UpdateAt = now, now
	u.BotDescription = b.Description
	s.users[u.Id] = u
	s.bots[b.UserId] = b
	s.touch()
	return b.Clone(), nil
}

// Bot returns a bot by user id; deleted bots only when includeDeleted.
func (s *Store) Bot(userID string, includeDeleted bool) (*model.Bot, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bots[userID]
	if !ok || (b.DeleteAt != 0 && !includeDeleted) {
		return nil, notFound("GetBot", "bot")
	}
	return b.Clone(), nil
}

// Bots returns the bots matching the options (owner, deleted, orphans ignored).
func (s *Store) Bots(opts *model.BotGetOptions) []*model.Bot {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*model.Bot
	for _, b := range s.bots {
		if opts != nil && opts.OwnerId != "" && b.OwnerId != opts.OwnerId {
			continue
		}
		if b.DeleteAt != 0 && (opts == nil || !opts.IncludeDeleted) {
			continue
		}
		out = append(out, b.Clone())
	}
	return out
}

// PatchBot applies a patch to a bot and its user.
func (s *Store) PatchBot(userID string, patch *model.BotPatch) (*model.Bot, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bots[userID]
	if !ok {
		return nil, notFound("PatchBot", "bot")
	}
	if patch != nil {
		b.Patch(patch)
	}
	b.UpdateAt = s.millis()
	if u, ok := s.users[userID]; ok {
		u.Username, u.FirstName, u.BotDescription = b.Username, b.DisplayName, b.Description
		u.UpdateAt = b.UpdateAt
	}
	s.touch()
	return b.Clone(), nil
}

// SetBotActive (de)activates a bot.
func (s *Store) SetBotActive(userID string, active bool) (*model.Bot, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bots[userID]
	if !ok {
		return nil, notFound("UpdateBotActive", "bot")
	}
	b.DeleteAt = 0
	if !active {
		b.DeleteAt = s.millis()
	}
	if u, ok := s.users[userID]; ok {
		u.DeleteAt = b.DeleteAt
	}
	s.touch()
	return b.Clone(), nil
}

// EnsureBot is the server side of pluginapi's EnsureBot: reuse the bot
// recorded under mmi_botid (patching its display name and description), else
// adopt an existing bot with that username, else create one owned by the
// plugin; then record its id under mmi_botid.
func (s *Store) EnsureBot(pluginID string, in *model.Bot) (string, *model.AppError) {
	if in == nil {
		return "", badRequest("EnsureBotUser", "nil bot")
	}
	want := in.Clone()
	want.Username = strings.ToLower(want.Username)

	s.mu.Lock()
	defer s.mu.Unlock()

	if e, ok := s.kvLive(pluginID, botIDKey); ok {
		if b, ok := s.bots[string(e.value)]; ok {
			b.DisplayName, b.Description, b.DeleteAt = want.DisplayName, want.Description, 0
			if u, ok := s.users[b.UserId]; ok {
				u.FirstName, u.BotDescription, u.DeleteAt = b.DisplayName, b.Description, 0
			}
			s.touch()
			return b.UserId, nil
		}
	}

	var id string
	for _, u := range s.users {
		if u.Username == want.Username {
			if !u.IsBot {
				return "", model.NewAppError("EnsureBotUser", "plugin_api.bot_cant_create_bot", nil,
					"a non-bot user already has the username "+want.Username, http.StatusBadRequest)
			}
			id = u.Id
		}
	}
	if id == "" {
		want.OwnerId = pluginID
		b, appErr := s.createBotLocked(want)
		if appErr != nil {
			return "", appErr
		}
		id = b.UserId
	}
	if s.kv[pluginID] == nil {
		s.kv[pluginID] = map[string]kvEntry{}
	}
	s.kv[pluginID][botIDKey] = kvEntry{value: []byte(id)}
	s.touch()
	return id, nil
}

// SetProfileImage stores a user's picture.
func (s *Store) SetProfileImage(userID string, data []byte) *model.AppError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		return notFound("SetProfileImage", "user")
	}
	s.images[userID] = append([]byte(nil), data...)
	s.users[userID].LastPictureUpdate = s.millis()
	s.touch()
	return nil
}

// ProfileImage returns a user's picture (nil if none was set).
func (s *Store) ProfileImage(userID string) ([]byte, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		return nil, notFound("GetProfileImage", "user")
	}
	return append([]byte(nil), s.images[userID]...), nil
}
