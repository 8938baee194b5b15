package devhost

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Store is what a Mattermost database holds for the devhost: users, teams,
// channels, posts, KV, files, preferences, bots, sessions. One Store may back
// several Hosts (Options.SharedStore), the way every node of a cluster reads
// and writes one database, so nothing here belongs to a single plugin process.
//
// All methods are safe for concurrent use. No method calls into a plugin, so
// the lock is never held across an RPC (API calls arrive re-entrantly during
// hooks).
type Store struct {
	mu  sync.Mutex
	now func() time.Time

	users         map[string]*model.User // by id
	teams         map[string]*model.Team
	channels      map[string]*model.Channel
	members       map[string]map[string]*model.ChannelMember // channel id -> user id
	posts         map[string]*model.Post
	postOrder     []string                 // ids in creation order
	ephemerals    map[string][]*model.Post // user id -> ephemeral posts, oldest first
	lastEphemeral map[string]string        // user id -> id of the post last sent or updated
	kv            map[string]map[string]kvEntry
	files         map[string]*storedFile
	prefs         map[string]map[string]model.Preference // user id -> category+"/"+name
	bots          map[string]*model.Bot
	images        map[string][]byte
	pluginConfs   map[string]map[string]any // plugin id -> saved settings
	sessions      map[string]session        // by token
	dialogs       map[string][]OpenedDialog // user id -> dialogs, oldest first
	events        []Event

	// triggerKey signs trigger ids; the server keeps one key per cluster.
	triggerKey *ecdsa.PrivateKey

	// changed is closed and replaced on every mutation, so waiters can
	// block on "something happened" without polling.
	changed chan struct{}

	hub *wsHub
}

// Event is one PublishWebSocketEvent (or server event) as a client would get it.
type Event struct {
	Event     string                    `json:"event"`
	Data      map[string]any            `json:"data"`
	Broadcast *model.WebsocketBroadcast `json:"broadcast"`
	Seq       int64                     `json:"seq"`
}

// OpenedDialog is a dialog the plugin opened for a user with OpenInteractiveDialog.
type OpenedDialog struct {
	URL    string       `json:"url"`
	Dialog model.Dialog `json:"dialog"`
}

// NewStore returns a Store seeded with the demo team, users and channels.
func NewStore() *Store {
	s := NewEmptyStore()
	s.seed()
	return s
}

// NewEmptyStore returns a Store with no team, user or channel, for tests that
// build their own directory (AddTeam, PutUser, AddChannel).
func NewEmptyStore() *Store {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("devhost: cannot generate the trigger id key: " + err.Error())
	}
	s := &Store{
		now:           time.Now,
		users:         map[string]*model.User{},
		teams:         map[string]*model.Team{},
		channels:      map[string]*model.Channel{},
		members:       map[string]map[string]*model.ChannelMember{},
		posts:         map[string]*model.Post{},
		ephemerals:    map[string][]*model.Post{},
		lastEphemeral: map[string]string{},
		kv:            map[string]map[string]kvEntry{},
		files:         map[string]*storedFile{},
		prefs:         map[string]map[string]model.Preference{},
		bots:          map[string]*model.Bot{},
		images:        map[string][]byte{},
		pluginConfs:   map[string]map[string]any{},
		sessions:      map[string]session{},
		dialogs:       map[string][]OpenedDialog{},
		triggerKey:    key,
		changed:       make(chan struct{}),
	}
	s.hub = newHub(s)
	return s
}

// NewTriggerID issues a trigger id for a user, signed with the store's key as
// the server signs the ids it puts in CommandArgs and action requests.
func (s *Store) NewTriggerID(userID string) (string, error) {
	_, id, appErr := model.GenerateTriggerId(userID, s.triggerKey)
	if appErr != nil {
		return "", appErr
	}
	return id, nil
}

// SetNow replaces the store's clock (KV expiry, post times). Tests use it to
// move time forward instead of sleeping.
func (s *Store) SetNow(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// millis is the store clock in ms; callers hold s.mu.
func (s *Store) millis() int64 { return s.now().UnixMilli() }

// touch wakes every waiter; callers hold s.mu.
func (s *Store) touch() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Changed returns a channel closed at the next mutation of the store.
func (s *Store) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// notify wakes waiters after a change held outside the store (logs).
func (s *Store) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.touch()
}

// recordEvent keeps e (assigning its sequence) and hands it to the websocket hub.
func (s *Store) recordEvent(e Event) {
	s.mu.Lock()
	e.Seq = int64(len(s.events)) + 1
	s.events = append(s.events, e)
	s.touch()
	s.mu.Unlock()
	s.hub.broadcast(e)
}

// Events returns every websocket event published so far, oldest first.
func (s *Store) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}
