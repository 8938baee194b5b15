package devhost

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sync"

	"github.com/gorilla/websocket"
	"github.com/mattermost/mattermost/server/public/model"
)

// wsHub fans events out to the page's websockets with the server's
// broadcast rules (user, channel members, connection). It lives in the Store so that, as in a
// cluster, an event published by one node reaches clients of every node.
type wsHub struct {
	store   *Store
	mu      sync.Mutex
	clients map[*wsClient]bool
}

type wsClient struct {
	owner        *Host // the host whose listener accepted it
	userID       string
	connectionID string
	send         chan []byte // frames; closed when the client is dropped
	seq          int64       // per-connection sequence, as the server numbers frames
}

// clientQueue bounds what a slow page may fall behind before it is dropped,
// so one stuck tab cannot block the plugin's PublishWebSocketEvent.
const clientQueue = 256

func newHub(s *Store) *wsHub { return &wsHub{store: s, clients: map[*wsClient]bool{}} }

// wants applies the broadcast rules to one client.
func (h *wsHub) wants(c *wsClient, b *model.WebsocketBroadcast) bool {
	if b == nil {
		return true
	}
	if b.ConnectionId != "" {
		return c.connectionID == b.ConnectionId
	}
	if b.OmitConnectionId != "" && c.connectionID == b.OmitConnectionId {
		return false
	}
	if b.UserId != "" && c.userID != b.UserId {
		return false
	}
	if b.OmitUsers[c.userID] {
		return false
	}
	if b.ChannelId != "" && b.UserId == "" && !h.store.IsMember(b.ChannelId, c.userID) {
		return false
	}
	if b.TeamId != "" {
		if _, appErr := h.store.Team(b.TeamId); appErr != nil {
			return false // every devhost user is on every team that exists
		}
	}
	if b.ContainsSensitiveData || b.ContainsSanitizedData {
		u, appErr := h.store.User(c.userID)
		admin := appErr == nil && u.IsSystemAdmin()
		if b.ContainsSensitiveData != admin {
			return false
		}
	}
	return true
}

// broadcast sends e to every client the rules select.
func (h *wsHub) broadcast(e Event) {
	h.mu.Lock()
	clients := make([]*wsClient, 0, len(h.clients))
	for c := range h.clients {
		clients = append(clients, c)
	}
	h.mu.Unlock()

	for _, c := range clients {
		if !h.wants(c, e.Broadcast) {
			continue
		}
		h.deliver(c, e)
	}
}

// deliver numbers and queues a frame; a full queue drops the client.
func (h *wsHub) deliver(c *wsClient, e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.clients[c] {
		return
	}
	e.Seq = c.seq
	c.seq++
	frame, err := json.Marshal(e)
	if err != nil {
		return
	}
	select {
	case c.send <- frame:
	default:
		delete(h.clients, c)
		close(c.send)
	}
}

func (h *wsHub) add(c *wsClient) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clients[c] = true
}

func (h *wsHub) remove(c *wsClient) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.clients[c] {
		delete(h.clients, c)
		close(c.send)
	}
}

// closeOwnedBy drops the clients one host accepted (at its shutdown); the
// clients of other hosts sharing the store stay.
func (h *wsHub) closeOwnedBy(owner *Host) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		if c.owner == owner {
			delete(h.clients, c)
			close(c.send)
		}
	}
}

var upgrader = websocket.Upgrader{
	// The page is served from the same origin; refuse other sites so a
	// random web page cannot ride the devhost session cookie.
	CheckOrigin: func(r *http.Request) bool {
		origin := r.Header.Get("Origin")
		if origin == "" {
			return true
		}
		u, err := url.Parse(origin)
		return err == nil && u.Host == r.Host
	},
}

// serveWebsocket upgrades an authenticated request and pumps frames to it.
func (h *wsHub) serveWebsocket(owner *Host, w http.ResponseWriter, r *http.Request, userID string) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade already answered
	}
	c := &wsClient{owner: owner, userID: userID, connectionID: model.NewId(), send: make(chan []byte, clientQueue)}
	h.add(c)
	h.deliver(c, Event{
		Event:     string(model.WebsocketEventHello),
		Data:      map[string]any{"connection_id": c.connectionID, "server_version": model.CurrentVersion},
		Broadcast: &model.WebsocketBroadcast{UserId: userID},
	})

	// The writer owns closing the connection: when the hub drops the client
	// (shutdown, slow reader) or a write fails, closing conn also ends the
	// read loop below.
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer conn.Close()
		for frame := range c.send {
			if conn.WriteMessage(websocket.TextMessage, c.owner.toBrowser(frame)) != nil {
				h.remove(c)
				return
			}
		}
	}()

	// Read until the page goes away; answer requests the webapp sends
	// (authentication_challenge and friends) with an OK reply.
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			break
		}
		var req struct {
			Seq int64 `json:"seq"`
		}
		if json.Unmarshal(msg, &req) == nil && req.Seq > 0 {
			reply, _ := json.Marshal(map[string]any{"status": "OK", "seq_reply": req.Seq})
			h.reply(c, reply)
		}
	}
	h.remove(c)
	<-done
}

// reply queues a raw frame for one client.
func (h *wsHub) reply(c *wsClient, frame []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.clients[c] {
		return
	}
	select {
	case c.send <- frame:
	default:
	}
}
