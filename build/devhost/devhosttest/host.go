// Package devhosttest runs plugin code in-process against the devhost's plugin.API,
// the same fake Mattermost the e2e tests and `make run` load the real bundle into.
// A test builds a Host, sets up users and channels, hands the Host to the plugin's
// code as its plugin.API (as the plugin hands p.API to the app) and looks at what
// the plugin did. docs/FAKE-MATTERMOST.md says how it differs from Mattermost.
package devhosttest

import (
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
)

// PluginID is the plugin the host's API is bound to (its KV namespace).
const PluginID = "zoom"

// Host is one plugin process's Mattermost: the devhost's plugin.API (every method
// of plugin.API, promoted) plus helpers for tests. Several Hosts over one Store
// are the nodes of a cluster sharing one database.
type Host struct {
	plugin.API
	store *devhost.Store

	mu    sync.Mutex
	calls map[string]int
	logs  []devhost.LogEntry
}

// NewHost returns a host over shared, or over a new empty store when shared is
// nil; the new store gets one team, which AddChannel puts channels in.
func NewHost(shared *devhost.Store) *Host {
	s := shared
	if s == nil {
		s = devhost.NewEmptyStore()
		s.AddTeam("test")
	}
	h := &Host{store: s, calls: map[string]int{}}
	h.API = devhost.NewAPI(s, PluginID, devhost.APIOptions{Called: h.count, Log: h.keepLog})
	return h
}

func (h *Host) count(method string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls[method]++
}

func (h *Host) keepLog(e devhost.LogEntry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.logs = append(h.logs, e)
}

// Store is the state behind the host: pass it to NewHost for another cluster node.
func (h *Host) Store() *devhost.Store { return h.store }

// Calls returns how often the plugin called each API method since the last
// ResetCalls: the same figure the loader's metrics give for a plugin process.
func (h *Host) Calls() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.calls)
}

// ResetCalls clears the call counts.
func (h *Host) ResetCalls() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = map[string]int{}
}

// Logs returns what the plugin logged through this host, oldest first.
func (h *Host) Logs() []devhost.LogEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]devhost.LogEntry(nil), h.logs...)
}

// AddUser adds a user (email <username>@example.com, locale en); admin makes them
// a system admin. Usernames are unique, as in Mattermost.
func (h *Host) AddUser(username string, admin bool) *model.User {
	if _, appErr := h.store.UserBy(func(u *model.User) bool { return u.Username == username }); appErr == nil {
		panic(fmt.Sprintf("devhosttest: a user named %q exists already", username))
	}
	roles := model.SystemUserRoleId
	if admin {
		roles += " " + model.SystemAdminRoleId
	}
	now := model.GetMillis()
	u := &model.User{Id: model.NewId(), Username: username, Email: username + "@example.com", EmailVerified: true,
		Roles: roles, Locale: "en", CreateAt: now, UpdateAt: now}
	h.store.PutUser(u)
	return u.DeepCopy()
}

// SetLocale changes a user's language.
func (h *Host) SetLocale(userID, locale string) {
	u, appErr := h.store.User(userID)
	if appErr != nil {
		panic("devhosttest: SetLocale of an unknown user")
	}
	u.Locale = locale
	h.store.PutUser(u)
}

// SetTimezone changes a user's Mattermost time zone (as their profile settings would).
func (h *Host) SetTimezone(userID string, tz model.StringMap) {
	u, appErr := h.store.User(userID)
	if appErr != nil {
		panic("devhosttest: SetTimezone of an unknown user")
	}
	u.Timezone = tz
	h.store.PutUser(u)
}

// AddChannel adds a channel of the given type to the store's first team, with members.
func (h *Host) AddChannel(name string, typ model.ChannelType, members ...*model.User) *model.Channel {
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.Id
	}
	return h.store.AddChannel(h.store.Teams()[0].Id, name, typ, ids...)
}

// RemoveMember takes a user out of a channel.
func (h *Host) RemoveMember(channelID, userID string) { h.store.RemoveMember(channelID, userID) }

// ChannelPosts returns a channel's stored posts, oldest first.
func (h *Host) ChannelPosts(channelID string) []*model.Post { return h.store.Posts(channelID) }

// EphemeralsFor returns the ephemeral posts a user has, oldest first; an updated
// one keeps its place, as it does on the user's screen.
func (h *Host) EphemeralsFor(userID string) []*model.Post { return h.store.Ephemerals(userID) }

// LastEphemeral returns the ephemeral post a user was last sent or had updated, or nil.
func (h *Host) LastEphemeral(userID string) *model.Post { return h.store.LastEphemeral(userID) }

// Events returns every websocket event sent so far, oldest first (plugin events
// are named custom_zoom_<event>, as clients get them).
func (h *Host) Events() []devhost.Event { return h.store.Events() }

// Dialogs returns the dialogs the plugin opened for a user, oldest first.
func (h *Host) Dialogs(userID string) []devhost.OpenedDialog { return h.store.Dialogs(userID) }

// TriggerID issues a trigger id for a user, as the server puts in CommandArgs and
// action requests; OpenInteractiveDialog accepts nothing else.
func (h *Host) TriggerID(userID string) string {
	id, err := h.store.NewTriggerID(userID)
	if err != nil {
		panic("devhosttest: " + err.Error())
	}
	return id
}

// KV returns every live key of the plugin with its value.
func (h *Host) KV() map[string][]byte {
	out := map[string][]byte{}
	for _, k := range h.store.KVKeys(PluginID) {
		if v, _ := h.store.KVGet(PluginID, k); v != nil {
			out[k] = v
		}
	}
	return out
}

// SetClock replaces the store's clock (post times, KV expiry), for every node.
func (h *Host) SetClock(now func() time.Time) { h.store.SetNow(now) }
