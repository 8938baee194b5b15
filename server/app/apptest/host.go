// Package apptest is an in-memory Mattermost for app and transport tests: just the
// Host methods the plugin uses, with the server's semantics where they matter
// (ephemeral posts are not stored, KV compare-and-set, permissions).
package apptest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// Host implements app.Host in memory. Several app.App instances sharing one Host (or
// one KV backend) play plugin processes of a cluster.
type Host struct {
	*store.MemoryBackend

	mu         sync.Mutex
	Users      map[string]*model.User
	Channels   map[string]*model.Channel
	Members    map[string]map[string]bool // channel → users
	PostsByID  map[string]*model.Post
	Ephemeral  []EphemeralPost
	Events     []Event
	Dialogs    []model.OpenDialogRequest
	Files      map[string][]byte // file id → content
	FileInfos  map[string]*model.FileInfo
	Prefs      map[string][]model.Preference
	Logs       []string
	Clock      func() int64 // ms; nil = model.GetMillis
	calls      map[string]int
	lastMillis int64
}

// EphemeralPost is an ephemeral post with its recipient.
type EphemeralPost struct {
	UserID string
	Post   *model.Post
}

// Event is a published websocket event.
type Event struct {
	Name      string
	Payload   map[string]any
	Broadcast *model.WebsocketBroadcast
}

// NewHost returns an empty host sharing the given KV backend (nil: a new one).
func NewHost(kv *store.MemoryBackend) *Host {
	if kv == nil {
		kv = store.NewMemoryBackend()
	}
	return &Host{
		MemoryBackend: kv,
		Users:         map[string]*model.User{},
		Channels:      map[string]*model.Channel{},
		Members:       map[string]map[string]bool{},
		PostsByID:     map[string]*model.Post{},
		Files:         map[string][]byte{},
		FileInfos:     map[string]*model.FileInfo{},
		Prefs:         map[string][]model.Preference{},
		calls:         map[string]int{},
	}
}

func (h *Host) count(name string) { h.calls[name]++ }

// Calls returns how often each method was called since the last ResetCalls.
func (h *Host) Calls() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]int{}
	for k, v := range h.calls {
		out[k] = v
	}
	return out
}

// ResetCalls clears the call counts.
func (h *Host) ResetCalls() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = map[string]int{}
}

func (h *Host) millis() int64 {
	now := model.GetMillis()
	if h.Clock != nil {
		now = h.Clock()
	}
	// Strictly increasing, so "newest" is well defined in tests.
	if now <= h.lastMillis {
		now = h.lastMillis + 1
	}
	h.lastMillis = now
	return now
}

func notFound(what string) *model.AppError {
	return model.NewAppError("apptest", what+" not found", nil, "", http.StatusNotFound)
}

// AddUser adds a user; admin gives them the system admin role.
func (h *Host) AddUser(username string, admin bool) *model.User {
	h.mu.Lock()
	defer h.mu.Unlock()
	roles := model.SystemUserRoleId
	if admin {
		roles += " " + model.SystemAdminRoleId
	}
	u := &model.User{Id: model.NewId(), Username: username, Email: username + "@example.com", EmailVerified: true, Roles: roles, Locale: "en"}
	h.Users[u.Id] = u
	return u
}

// AddChannel adds a channel of the given type with members.
func (h *Host) AddChannel(name string, typ model.ChannelType, members ...*model.User) *model.Channel {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := &model.Channel{Id: model.NewId(), Name: name, DisplayName: name, Type: typ, TeamId: "team"}
	h.Channels[c.Id] = c
	h.Members[c.Id] = map[string]bool{}
	for _, m := range members {
		h.Members[c.Id][m.Id] = true
	}
	return c
}

// RemoveMember takes a user out of a channel.
func (h *Host) RemoveMember(channelID, userID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.Members[channelID], userID)
}

// GetUser implements app.Host.
func (h *Host) GetUser(id string) (*model.User, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("GetUser")
	if u, ok := h.Users[id]; ok {
		c := *u
		return &c, nil
	}
	return nil, notFound("user")
}

// GetUserByEmail implements app.Host (case-insensitive, as the server matches emails).
func (h *Host) GetUserByEmail(email string) (*model.User, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("GetUserByEmail")
	for _, u := range h.Users {
		if strings.EqualFold(u.Email, email) {
			c := *u
			return &c, nil
		}
	}
	return nil, notFound("user")
}

// GetChannel implements app.Host.
func (h *Host) GetChannel(id string) (*model.Channel, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("GetChannel")
	if c, ok := h.Channels[id]; ok {
		cc := *c
		return &cc, nil
	}
	return nil, notFound("channel")
}

// GetChannelMember implements app.Host.
func (h *Host) GetChannelMember(channelID, userID string) (*model.ChannelMember, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("GetChannelMember")
	if h.Members[channelID][userID] {
		return &model.ChannelMember{ChannelId: channelID, UserId: userID}, nil
	}
	return nil, notFound("member")
}

// GetChannelStats implements app.Host: the member count of a channel.
func (h *Host) GetChannelStats(channelID string) (*model.ChannelStats, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("GetChannelStats")
	if _, ok := h.Channels[channelID]; !ok {
		return nil, notFound("channel")
	}
	return &model.ChannelStats{ChannelId: channelID, MemberCount: int64(len(h.Members[channelID]))}, nil
}

// HasPermissionTo implements app.Host: system admins have every system permission.
func (h *Host) HasPermissionTo(userID string, _ *model.Permission) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("HasPermissionTo")
	u, ok := h.Users[userID]
	return ok && strings.Contains(u.Roles, model.SystemAdminRoleId)
}

// HasPermissionToChannel implements app.Host: members may post; admins may do anything.
func (h *Host) HasPermissionToChannel(userID, channelID string, _ *model.Permission) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("HasPermissionToChannel")
	u, ok := h.Users[userID]
	return ok && (h.Members[channelID][userID] || strings.Contains(u.Roles, model.SystemAdminRoleId))
}

// CreatePost implements app.Host.
func (h *Host) CreatePost(p *model.Post) (*model.Post, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("CreatePost")
	if _, ok := h.Channels[p.ChannelId]; !ok {
		return nil, notFound("channel")
	}
	c := p.Clone()
	c.Id = model.NewId()
	c.CreateAt = h.millis()
	c.UpdateAt = c.CreateAt
	c.AddProp("from_plugin", "true")
	h.PostsByID[c.Id] = c
	return c.Clone(), nil
}

// UpdatePost implements app.Host.
func (h *Host) UpdatePost(p *model.Post) (*model.Post, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("UpdatePost")
	old, ok := h.PostsByID[p.Id]
	if !ok {
		return nil, notFound("post")
	}
	c := p.Clone()
	c.CreateAt = old.CreateAt
	c.UpdateAt = h.millis()
	h.PostsByID[c.Id] = c
	return c.Clone(), nil
}

// GetPost implements app.Host.
func (h *Host) GetPost(id string) (*model.Post, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("GetPost")
	if p, ok := h.PostsByID[id]; ok {
		return p.Clone(), nil
	}
	return nil, notFound("post")
}

// GetPostsSince implements app.Host.
func (h *Host) GetPostsSince(channelID string, since int64) (*model.PostList, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("GetPostsSince")
	list := model.NewPostList()
	for _, p := range h.PostsByID {
		if p.ChannelId == channelID && p.CreateAt >= since {
			list.AddPost(p.Clone())
			list.AddOrder(p.Id)
		}
	}
	return list, nil
}

// SendEphemeralPost implements app.Host.
func (h *Host) SendEphemeralPost(userID string, p *model.Post) *model.Post {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("SendEphemeralPost")
	c := p.Clone()
	if c.Id == "" {
		c.Id = model.NewId()
	}
	c.CreateAt = h.millis()
	c.Type = firstNonEmpty(c.Type, model.PostTypeEphemeral)
	h.Ephemeral = append(h.Ephemeral, EphemeralPost{UserID: userID, Post: c})
	return c.Clone()
}

// UpdateEphemeralPost implements app.Host.
func (h *Host) UpdateEphemeralPost(userID string, p *model.Post) *model.Post {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("UpdateEphemeralPost")
	h.Ephemeral = append(h.Ephemeral, EphemeralPost{UserID: userID, Post: p.Clone()})
	return p
}

// PublishWebSocketEvent implements app.Host.
func (h *Host) PublishWebSocketEvent(event string, payload map[string]any, b *model.WebsocketBroadcast) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("PublishWebSocketEvent")
	h.Events = append(h.Events, Event{Name: event, Payload: payload, Broadcast: b})
}

// GetDirectChannel implements app.Host (get-or-create).
func (h *Host) GetDirectChannel(a, b string) (*model.Channel, *model.AppError) {
	name := model.GetDMNameFromIds(a, b)
	h.mu.Lock()
	for _, c := range h.Channels {
		if c.Name == name {
			h.mu.Unlock()
			return c, nil
		}
	}
	h.mu.Unlock()
	users := []*model.User{{Id: a}, {Id: b}}
	c := h.AddChannel(name, model.ChannelTypeDirect, users...)
	return c, nil
}

// UploadFile implements app.Host.
func (h *Host) UploadFile(data []byte, channelID, name string) (*model.FileInfo, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("UploadFile")
	info := &model.FileInfo{Id: model.NewId(), ChannelId: channelID, Name: name, Size: int64(len(data))}
	h.Files[info.Id] = append([]byte(nil), data...)
	h.FileInfos[info.Id] = info
	return info, nil
}

// GetPreferencesForUser implements app.Host.
func (h *Host) GetPreferencesForUser(userID string) ([]model.Preference, *model.AppError) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("GetPreferencesForUser")
	return append([]model.Preference(nil), h.Prefs[userID]...), nil
}

// DeletePreferencesForUser implements app.Host.
func (h *Host) DeletePreferencesForUser(userID string, prefs []model.Preference) *model.AppError {
	h.mu.Lock()
	defer h.mu.Unlock()
	kept := h.Prefs[userID][:0]
	for _, p := range h.Prefs[userID] {
		drop := false
		for _, d := range prefs {
			drop = drop || (p.Category == d.Category && p.Name == d.Name)
		}
		if !drop {
			kept = append(kept, p)
		}
	}
	h.Prefs[userID] = kept
	return nil
}

// OpenInteractiveDialog implements app.Host.
func (h *Host) OpenInteractiveDialog(d model.OpenDialogRequest) *model.AppError {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count("OpenInteractiveDialog")
	if d.TriggerId == "" {
		return model.NewAppError("OpenInteractiveDialog", "missing trigger id", nil, "", http.StatusBadRequest)
	}
	// The server refuses dialogs that break its limits (title and labels ≤ 24 chars).
	if err := d.IsValid(); err != nil {
		return model.NewAppError("OpenInteractiveDialog", "invalid dialog", nil, err.Error(), http.StatusBadRequest)
	}
	h.Dialogs = append(h.Dialogs, d)
	return nil
}

func (h *Host) log(level, msg string, kv ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.Logs = append(h.Logs, level+": "+msg+" "+fmt.Sprint(kv...))
}

// LogWarn implements app.Host.
func (h *Host) LogWarn(msg string, kv ...any) { h.log("warn", msg, kv...) }

// LogInfo implements app.Host.
func (h *Host) LogInfo(msg string, kv ...any) { h.log("info", msg, kv...) }

// LogDebug implements app.Host.
func (h *Host) LogDebug(msg string, kv ...any) { h.log("debug", msg, kv...) }

// KVGet counts and delegates, so tests see KV traffic in Calls.
func (h *Host) KVGet(key string) ([]byte, *model.AppError) {
	h.mu.Lock()
	h.count("KVGet")
	h.mu.Unlock()
	return h.MemoryBackend.KVGet(key)
}

// KVSetWithOptions counts and delegates.
func (h *Host) KVSetWithOptions(key string, value []byte, o model.PluginKVSetOptions) (bool, *model.AppError) {
	h.mu.Lock()
	h.count("KVSetWithOptions")
	h.mu.Unlock()
	return h.MemoryBackend.KVSetWithOptions(key, value, o)
}

// KVDelete counts and delegates.
func (h *Host) KVDelete(key string) *model.AppError {
	h.mu.Lock()
	h.count("KVDelete")
	h.mu.Unlock()
	return h.MemoryBackend.KVDelete(key)
}

// ChannelPosts returns a channel's stored posts, oldest first.
func (h *Host) ChannelPosts(channelID string) []*model.Post {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*model.Post
	for _, p := range h.PostsByID {
		if p.ChannelId == channelID {
			out = append(out, p.Clone())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreateAt < out[j].CreateAt })
	return out
}

// EphemeralsFor returns the ephemeral posts a user received, oldest first.
func (h *Host) EphemeralsFor(userID string) []*model.Post {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*model.Post
	for _, e := range h.Ephemeral {
		if e.UserID == userID {
			out = append(out, e.Post.Clone())
		}
	}
	return out
}

// LastEphemeral returns the newest ephemeral post a user received, or nil.
func (h *Host) LastEphemeral(userID string) *model.Post {
	all := h.EphemeralsFor(userID)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
