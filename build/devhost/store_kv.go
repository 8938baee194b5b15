package devhost

import (
	"bytes"
	"net/http"
	"sort"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"
)

// kvEntry is one plugin KV value; expireAt is ms since epoch, 0 = never.
type kvEntry struct {
	value    []byte
	expireAt int64
}

// kvLive returns the entry for key if present and not expired; callers hold s.mu.
func (s *Store) kvLive(pluginID, key string) (kvEntry, bool) {
	e, ok := s.kv[pluginID][key]
	if !ok {
		return kvEntry{}, false
	}
	if e.expireAt != 0 && e.expireAt <= s.millis() {
		delete(s.kv[pluginID], key)
		return kvEntry{}, false
	}
	return e, true
}

func validKVKey(where, key string) *model.AppError {
	if key == "" || utf8.RuneCountInString(key) > model.KeyValueKeyMaxRunes {
		return model.NewAppError(where, "model.plugin_key_value.is_valid.key.app_error", nil, "key="+key, http.StatusBadRequest)
	}
	return nil
}

// KVGet returns a copy of the value, or nil for a missing or expired key.
func (s *Store) KVGet(pluginID, key string) ([]byte, *model.AppError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.kvLive(pluginID, key)
	if !ok {
		return nil, nil
	}
	return bytes.Clone(e.value), nil
}

// KVSetWithOptions follows Mattermost's server semantics:
//   - OldValue without Atomic is an error;
//   - not atomic: a nil value deletes, anything else is stored (true);
//   - atomic with a nil OldValue: insert only if the key is absent;
//   - atomic with an OldValue: swap only if the current value equals it;
//   - atomic with a nil new value: compare-and-delete, which needs an OldValue.
//
// ExpireInSeconds != 0 sets the expiry relative to the store clock.
func (s *Store) KVSetWithOptions(pluginID, key string, value []byte, opts model.PluginKVSetOptions) (bool, *model.AppError) {
	if appErr := opts.IsValid(); appErr != nil {
		return false, appErr
	}
	if appErr := validKVKey("KVSetWithOptions", key); appErr != nil {
		return false, appErr
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	cur, exists := s.kvLive(pluginID, key)

	if opts.Atomic {
		if value == nil {
			// The server refuses a compare-and-delete with nothing to compare.
			if opts.OldValue == nil || !exists || !bytes.Equal(cur.value, opts.OldValue) {
				return false, nil
			}
			delete(s.kv[pluginID], key)
			s.touch()
			return true, nil
		}
		if opts.OldValue == nil && exists {
			return false, nil
		}
		if opts.OldValue != nil && (!exists || !bytes.Equal(cur.value, opts.OldValue)) {
			return false, nil
		}
	} else if value == nil {
		delete(s.kv[pluginID], key)
		s.touch()
		return true, nil
	}

	e := kvEntry{value: bytes.Clone(value)}
	if opts.ExpireInSeconds != 0 {
		e.expireAt = s.millis() + opts.ExpireInSeconds*1000
	}
	if s.kv[pluginID] == nil {
		s.kv[pluginID] = map[string]kvEntry{}
	}
	s.kv[pluginID][key] = e
	s.touch()
	return true, nil
}

// KVDelete removes a key (absent is fine).
func (s *Store) KVDelete(pluginID, key string) *model.AppError {
	_, appErr := s.KVSetWithOptions(pluginID, key, nil, model.PluginKVSetOptions{})
	return appErr
}

// KVDeleteAll removes every key of the plugin.
func (s *Store) KVDeleteAll(pluginID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.kv, pluginID)
	s.touch()
}

// KVList returns one page of the live keys, sorted, as the server pages them.
func (s *Store) KVList(pluginID string, page, perPage int) ([]string, *model.AppError) {
	if page < 0 || perPage < 0 {
		return nil, badRequest("KVList", "negative page or per_page")
	}
	keys := s.KVKeys(pluginID)
	start := page * perPage
	if start >= len(keys) {
		return []string{}, nil
	}
	end := min(start+perPage, len(keys))
	return keys[start:end], nil
}

// KVKeys returns every live key of the plugin, sorted.
func (s *Store) KVKeys(pluginID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.kv[pluginID]))
	for k := range s.kv[pluginID] {
		if _, ok := s.kvLive(pluginID, k); ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
