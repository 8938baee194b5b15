package store

import (
	"bytes"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// MemoryBackend is an in-memory Backend with the server's KV semantics (atomic
// insert-if-absent, compare-and-set, compare-and-delete, expiry). Tests run several
// "plugin processes" against one MemoryBackend to play a cluster sharing a database.
type MemoryBackend struct {
	mu      sync.Mutex
	values  map[string]memoryEntry
	Now     func() time.Time
	Errors  []string
	SetHook func(key string) // called before every set, for tests that interleave writers
}

type memoryEntry struct {
	value   []byte
	expires time.Time
}

// NewMemoryBackend returns an empty store on the wall clock.
func NewMemoryBackend() *MemoryBackend {
	return &MemoryBackend{values: map[string]memoryEntry{}, Now: time.Now}
}

func (m *MemoryBackend) live(key string) ([]byte, bool) {
	e, ok := m.values[key]
	if !ok {
		return nil, false
	}
	if !e.expires.IsZero() && !m.Now().Before(e.expires) {
		delete(m.values, key)
		return nil, false
	}
	return e.value, true
}

// KVGet implements Backend.
func (m *MemoryBackend) KVGet(key string) ([]byte, *model.AppError) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, _ := m.live(key)
	return bytes.Clone(v), nil
}

// KVSetWithOptions implements Backend.
func (m *MemoryBackend) KVSetWithOptions(key string, value []byte, o model.PluginKVSetOptions) (bool, *model.AppError) {
	if m.SetHook != nil {
		m.SetHook(key)
	}
	if o.OldValue != nil && !o.Atomic {
		return false, model.NewAppError("KVSetWithOptions", "old value without atomic", nil, "", http.StatusBadRequest)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	current, exists := m.live(key)
	if o.Atomic {
		if o.OldValue == nil && exists {
			return false, nil
		}
		if o.OldValue != nil && (!exists || !bytes.Equal(current, o.OldValue)) {
			return false, nil
		}
	}
	if value == nil {
		delete(m.values, key)
		return true, nil
	}
	e := memoryEntry{value: bytes.Clone(value)}
	if o.ExpireInSeconds > 0 {
		e.expires = m.Now().Add(time.Duration(o.ExpireInSeconds) * time.Second)
	}
	m.values[key] = e
	return true, nil
}

// KVDelete implements Backend.
func (m *MemoryBackend) KVDelete(key string) *model.AppError {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.values, key)
	return nil
}

// KVList implements Backend.
func (m *MemoryBackend) KVList(page, perPage int) ([]string, *model.AppError) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]string, 0, len(m.values))
	for k := range m.values {
		if _, ok := m.live(k); ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	start := page * perPage
	if start >= len(keys) {
		return []string{}, nil
	}
	return keys[start:min(start+perPage, len(keys))], nil
}

// LogError implements Backend.
func (m *MemoryBackend) LogError(msg string, _ ...any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Errors = append(m.Errors, msg)
}

// Raw returns every live key and value, for assertions on what is stored.
func (m *MemoryBackend) Raw() map[string][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string][]byte{}
	for k := range m.values {
		if v, ok := m.live(k); ok {
			out[k] = bytes.Clone(v)
		}
	}
	return out
}
