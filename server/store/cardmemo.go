package store

import "sync"

// maxRememberedCards bounds the memory of uuid → card mappings (a few hundred KiB).
const maxRememberedCards = 4096

// cardMemo remembers immutable uuid → post id mappings so the common meeting.ended
// (handled by the node that started the meeting) skips a KV read. It is only an
// optimisation: a miss falls back to the KV, so several nodes stay correct.
type cardMemo struct {
	mu  sync.Mutex
	ids map[string]string
}

func (m *cardMemo) get(uuid string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.ids[uuid]
	return id, ok
}

func (m *cardMemo) put(uuid, postID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ids == nil || len(m.ids) >= maxRememberedCards {
		// Forgetting everything at once is crude but bounded, and misses are cheap.
		m.ids = make(map[string]string, 64)
	}
	m.ids[uuid] = postID
}
