package devhost

import (
	"maps"
	"sort"

	"github.com/mattermost/mattermost/server/public/model"
)

type storedFile struct {
	info *model.FileInfo
	data []byte
}

// UploadFile keeps a file for a channel, as the plugin API's UploadFile does
// (no post yet; CreatePost with its id in FileIds attaches it).
func (s *Store) UploadFile(data []byte, channelID, name string) (*model.FileInfo, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[channelID]; !ok {
		return nil, notFound("UploadFile", "channel")
	}
	info := model.NewInfo(name)
	info.Id = model.NewId()
	info.CreatorId = "nouser"
	info.ChannelId = channelID
	info.Size = int64(len(data))
	info.CreateAt = s.millis()
	info.UpdateAt = info.CreateAt
	info.Path = "devhost/" + info.Id + "/" + name
	if info.MimeType == "" {
		info.MimeType = "application/octet-stream"
	}
	s.files[info.Id] = &storedFile{info: info, data: append([]byte(nil), data...)}
	s.touch()
	c := *info
	return &c, nil
}

// FileInfo returns the metadata of an uploaded file.
func (s *Store) FileInfo(id string) (*model.FileInfo, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	if !ok {
		return nil, notFound("GetFileInfo", "file")
	}
	c := *f.info
	return &c, nil
}

// File returns the content of an uploaded file.
func (s *Store) File(id string) ([]byte, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	if !ok {
		return nil, notFound("GetFile", "file")
	}
	return append([]byte(nil), f.data...), nil
}

func prefKey(category, name string) string { return category + "/" + name }

// Preferences returns a user's preferences sorted by category and name.
func (s *Store) Preferences(userID string) []model.Preference {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]model.Preference, 0, len(s.prefs[userID]))
	for _, p := range s.prefs[userID] {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		return prefKey(out[i].Category, out[i].Name) < prefKey(out[j].Category, out[j].Name)
	})
	return out
}

// Preference returns one preference of a user.
func (s *Store) Preference(userID, category, name string) (model.Preference, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.prefs[userID][prefKey(category, name)]
	if !ok {
		return model.Preference{}, notFound("GetPreferenceForUser", "preference")
	}
	return p, nil
}

// UpdatePreferences saves preferences for a user; each must belong to that user.
func (s *Store) UpdatePreferences(userID string, prefs []model.Preference) *model.AppError {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range prefs {
		if p.UserId != userID {
			return badRequest("UpdatePreferencesForUser", "preference of another user")
		}
	}
	if s.prefs[userID] == nil {
		s.prefs[userID] = map[string]model.Preference{}
	}
	for _, p := range prefs {
		s.prefs[userID][prefKey(p.Category, p.Name)] = p
	}
	s.touch()
	return nil
}

// DeletePreferences removes preferences of a user.
func (s *Store) DeletePreferences(userID string, prefs []model.Preference) *model.AppError {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range prefs {
		if p.UserId != userID {
			return badRequest("DeletePreferencesForUser", "preference of another user")
		}
	}
	for _, p := range prefs {
		delete(s.prefs[userID], prefKey(p.Category, p.Name))
	}
	s.touch()
	return nil
}

// session is a login; plugins see its id, clients hold its token.
type session struct {
	id     string
	userID string
}

// NewSession creates a session for a user and returns its token.
func (s *Store) NewSession(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	token := model.NewId()
	s.sessions[token] = session{id: model.NewId(), userID: userID}
	return token
}

// SessionUser returns the user of a session token ("" when unknown).
func (s *Store) SessionUser(token string) string {
	userID, _ := s.Session(token)
	return userID
}

// Session returns the user and session id of a token ("" when unknown).
func (s *Store) Session(token string) (userID, sessionID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.sessions[token]
	return rec.userID, rec.id
}

// openDialog records a dialog for a user.
func (s *Store) openDialog(userID string, d OpenedDialog) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dialogs[userID] = append(s.dialogs[userID], d)
	s.touch()
}

// Dialogs returns the dialogs opened for a user, oldest first.
func (s *Store) Dialogs(userID string) []OpenedDialog {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]OpenedDialog(nil), s.dialogs[userID]...)
}

// PluginConfig returns the saved settings of a plugin (a copy).
func (s *Store) PluginConfig(pluginID string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.pluginConfs[pluginID])
}

// SavePluginConfig replaces the saved settings of a plugin.
func (s *Store) SavePluginConfig(pluginID string, conf map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pluginConfs[pluginID] = maps.Clone(conf)
	s.touch()
}
