package devhost

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// This file is the Go API tests use to drive a Host the way a user and the
// server would, and to look at what the plugin did.

// User returns the user with that username (nil if there is none).
func (h *Host) User(username string) *model.User {
	u, appErr := h.store.UserBy(func(u *model.User) bool { return u.Username == username })
	if appErr != nil {
		return nil
	}
	return u
}

// Channel returns the channel of the demo team with that name (nil if none).
func (h *Host) Channel(name string) *model.Channel {
	for _, t := range h.store.Teams() {
		if c, appErr := h.store.ChannelByName(t.Id, name); appErr == nil {
			return c
		}
	}
	return nil
}

// DirectChannel gets or creates the DM channel of two users.
func (h *Host) DirectChannel(userA, userB string) *model.Channel {
	c, appErr := h.store.DirectChannel(userA, userB)
	if appErr != nil {
		return nil
	}
	return c
}

// Request sends method path through the devhost's HTTP surface (the same
// routing as the browser), authenticated as userID with a Bearer session,
// or unauthenticated when userID is "". A transport failure comes back as
// a 502 response carrying the error, so callers only check the status.
// The caller closes the body.
func (h *Host) Request(method, path, userID string, body io.Reader) *http.Response {
	return h.RequestWithHeaders(method, path, userID, body, nil)
}

// RequestWithHeaders is Request with extra headers (set after the session's).
func (h *Host) RequestWithHeaders(method, path, userID string, body io.Reader, header http.Header) *http.Response {
	req, err := http.NewRequest(method, h.siteURL+path, body)
	if err != nil {
		return errorResponse(err)
	}
	if userID != "" {
		req.Header.Set("Authorization", "Bearer "+h.tokenFor(userID))
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		req.Header.Del(k)
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return errorResponse(err)
	}
	return resp
}

func errorResponse(err error) *http.Response {
	return &http.Response{
		StatusCode: http.StatusBadGateway,
		Status:     "502 devhost request failed",
		Header:     http.Header{},
		Body:       io.NopCloser(strings.NewReader(err.Error())),
	}
}

// SessionToken returns a session token for a user (for cookie-based clients).
func (h *Host) SessionToken(userID string) string { return h.tokenFor(userID) }

// Posts returns the stored (not ephemeral) posts of a channel, oldest first.
func (h *Host) Posts(channelID string) []*model.Post { return h.store.Posts(channelID) }

// Post returns a stored post (nil if none).
func (h *Host) Post(id string) *model.Post {
	p, appErr := h.store.Post(id)
	if appErr != nil {
		return nil
	}
	return p
}

// Thread returns a post's thread, root first.
func (h *Host) Thread(postID string) []*model.Post {
	posts, _ := h.store.Thread(postID)
	return posts
}

// Ephemerals returns the ephemeral posts shown to a user, oldest first.
func (h *Host) Ephemerals(userID string) []*model.Post { return h.store.Ephemerals(userID) }

// Dialogs returns the dialogs the plugin opened for a user, oldest first.
func (h *Host) Dialogs(userID string) []OpenedDialog { return h.store.Dialogs(userID) }

// KVGet reads the plugin's KV (nil for a missing key).
func (h *Host) KVGet(key string) []byte {
	v, _ := h.store.KVGet(h.manifest.Id, key)
	return v
}

// KVSet writes the plugin's KV directly (to prepare a scenario).
func (h *Host) KVSet(key string, value []byte) error {
	if _, appErr := h.store.KVSetWithOptions(h.manifest.Id, key, value, model.PluginKVSetOptions{}); appErr != nil {
		return appErr
	}
	return nil
}

// KVKeys lists the plugin's live KV keys, sorted.
func (h *Host) KVKeys() []string { return h.store.KVKeys(h.manifest.Id) }

// Events returns the websocket events sent so far (server events such as
// `posted` and the plugin's `custom_<id>_*`), oldest first.
func (h *Host) Events() []Event { return h.store.Events() }

// EventsNamed returns the events with that name.
func (h *Host) EventsNamed(name string) []Event {
	var out []Event
	for _, e := range h.store.Events() {
		if e.Event == name {
			out = append(out, e)
		}
	}
	return out
}

// WaitFor blocks until cond returns true or ctx ends. cond is checked now and
// after every change to the store (posts, KV, events, logs), so it never
// polls on a timer. cond must not block.
func (h *Host) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		changed := h.store.Changed()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("devhost: condition not met: %w", ctx.Err())
		}
	}
}
