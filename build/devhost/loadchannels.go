package devhost

import "github.com/mattermost/mattermost/server/public/model"

// AddOpenChannel creates a public channel in the demo team with every user as a
// member, for tests and benchmarks that need many channels.
func (h *Host) AddOpenChannel(name string) *model.Channel {
	teams := h.store.Teams()
	users := h.store.Users()
	ids := make([]string, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.Id)
	}
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	return h.store.addChannel(teams[0].Id, name, name, model.ChannelTypeOpen, ids)
}
