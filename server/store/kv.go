// Package store is the plugin's typed view of the Mattermost KV store: the exact keys and
// JSON shapes existing installations depend on, encryption of token secrets, and
// compare-and-set updates that stay correct when several plugin processes (a cluster)
// share one database.
package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Backend is the part of plugin.API the store uses; plugin.API satisfies it as is.
// LogError is here because pluginapi's cluster mutex needs it.
type Backend interface {
	KVGet(key string) ([]byte, *model.AppError)
	KVSetWithOptions(key string, value []byte, options model.PluginKVSetOptions) (bool, *model.AppError)
	KVDelete(key string) *model.AppError
	KVList(page, perPage int) ([]string, *model.AppError)
	LogError(msg string, keyValuePairs ...any)
}

// ErrNotFound means the key holds nothing (or nothing usable).
var ErrNotFound = errors.New("not found")

// ErrConflict means a compare-and-set kept losing to other writers.
var ErrConflict = errors.New("the value kept changing under concurrent updates; try again")

// A read-modify-write that loses its compare-and-set tries again after a short random
// wait (growing from casMinWait to casMaxWait), until casDeadline has passed. The random
// wait keeps writers on different nodes from colliding again in lock step; running
// out of time means sustained contention far beyond anything the plugin expects.
const (
	casDeadline = 10 * time.Second
	casMinWait  = time.Millisecond
)

// casMaxWait is a variable only so that tests can make lost races cheap.
var casMaxWait = 50 * time.Millisecond

// KV wraps a Backend with Go errors and typed helpers.
type KV struct {
	api   Backend
	cards cardMemo
	// writers queues this process's read-modify-writes of one key behind each other,
	// so compare-and-set only ever races writers on other nodes.
	writers keyLocks
}

// NewKV wraps a Backend.
func NewKV(api Backend) *KV {
	return &KV{api: api, writers: keyLocks{locks: map[string]*keyLock{}}}
}

// keyLocks is one mutex per key, kept only while someone holds or waits for it.
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int
}

func (l *keyLocks) lock(key string) (unlock func()) {
	l.mu.Lock()
	k := l.locks[key]
	if k == nil {
		k = &keyLock{}
		l.locks[key] = k
	}
	k.users++
	l.mu.Unlock()
	k.Lock()
	return func() {
		k.Unlock()
		l.mu.Lock()
		if k.users--; k.users == 0 {
			delete(l.locks, key)
		}
		l.mu.Unlock()
	}
}

// RetryCAS runs try (one read, change and compare-and-set of key) until it reports
// done or fails, waiting a jittered, growing time after each lost race, for at most
// casDeadline. Writers of the key in this process take turns. UpdateJSON and editJSON
// are built on it; use it directly only for what they cannot express (a raw value, a
// sealed token).
func (kv *KV) RetryCAS(key string, try func() (done bool, err error)) error {
	defer kv.writers.lock(key)()
	deadline := time.Now().Add(casDeadline)
	wait := casMinWait
	for {
		done, err := try()
		if err != nil || done {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("KV update %s: %w", key, ErrConflict)
		}
		time.Sleep(wait/2 + rand.N(wait))
		wait = min(2*wait, casMaxWait)
	}
}

// Get returns the raw value, or nil when the key is absent.
func (kv *KV) Get(key string) ([]byte, error) {
	data, appErr := kv.api.KVGet(key)
	if appErr != nil {
		return nil, fmt.Errorf("KV get %s: %w", key, appErr)
	}
	return data, nil
}

// Set writes a value unconditionally; ttl 0 keeps it forever.
func (kv *KV) Set(key string, value []byte, ttl time.Duration) error {
	_, err := kv.set("set", key, value, model.PluginKVSetOptions{}, ttl)
	return err
}

// Insert writes value only if the key is absent; false means someone else holds it.
func (kv *KV) Insert(key string, value []byte, ttl time.Duration) (bool, error) {
	return kv.set("insert", key, value, model.PluginKVSetOptions{Atomic: true}, ttl)
}

// CompareAndSet replaces old with value (nil value deletes; nil old means absent).
func (kv *KV) CompareAndSet(key string, old, value []byte, ttl time.Duration) (bool, error) {
	if old == nil {
		if value == nil {
			current, err := kv.Get(key)
			return current == nil, err
		}
		return kv.Insert(key, value, ttl)
	}
	return kv.set("compare-and-set", key, value, model.PluginKVSetOptions{Atomic: true, OldValue: old}, ttl)
}

func (kv *KV) set(op, key string, value []byte, options model.PluginKVSetOptions, ttl time.Duration) (bool, error) {
	options.ExpireInSeconds = seconds(ttl)
	ok, appErr := kv.api.KVSetWithOptions(key, value, options)
	if appErr != nil {
		return false, fmt.Errorf("KV %s %s: %w", op, key, appErr)
	}
	return ok, nil
}

// Delete removes a key; deleting an absent key is not an error.
func (kv *KV) Delete(key string) error {
	if appErr := kv.api.KVDelete(key); appErr != nil {
		return fmt.Errorf("KV delete %s: %w", key, appErr)
	}
	return nil
}

// getWord reads a short text value, which may have been written JSON-quoted ("" when
// the key is absent).
func (kv *KV) getWord(key string) (string, error) {
	data, err := kv.Get(key)
	return strings.Trim(strings.TrimSpace(string(data)), `"`), err
}

// listIDs returns what follows prefix in every key that starts with it, paging
// through the whole store.
func (kv *KV) listIDs(prefix string) ([]string, error) {
	const perPage = 1000
	var out []string
	for page := 0; ; page++ {
		keys, appErr := kv.api.KVList(page, perPage)
		if appErr != nil {
			return nil, fmt.Errorf("KV list: %w", appErr)
		}
		for _, k := range keys {
			if id, ok := strings.CutPrefix(k, prefix); ok {
				out = append(out, id)
			}
		}
		if len(keys) < perPage {
			return out, nil
		}
	}
}

// An edit is what a read-modify-write does with the value it read.
type edit int

const (
	keep  edit = iota // leave the stored value as it is
	write             // store the changed value
	drop              // delete the key
)

// UpdateJSON runs a read-modify-write of a JSON value with compare-and-set until it
// wins. mutate gets the zero T when the key is absent or holds corrupt JSON (logged),
// and reports whether it changed anything. It must not update key itself (its
// writers take turns).
func UpdateJSON[T any](kv *KV, key string, ttl time.Duration, mutate func(v *T) (changed bool, err error)) error {
	_, err := editJSON(kv, key, func(v *T, _ bool) (edit, time.Duration, error) {
		changed, err := mutate(v)
		if !changed {
			return keep, 0, err
		}
		return write, ttl, err
	})
	return err
}

// editJSON is UpdateJSON where mutate also learns whether the key held a readable
// value, and chooses what to do with it and the TTL of a value it writes. It returns
// the value stored when mutate (in its last, winning run) chose write, else nil.
func editJSON[T any](kv *KV, key string, mutate func(v *T, found bool) (edit, time.Duration, error)) (*T, error) {
	var written *T
	err := kv.RetryCAS(key, func() (bool, error) {
		written = nil
		current, err := kv.Get(key)
		if err != nil {
			return false, err
		}
		v, readErr := decodeJSON[T](kv, key, current)
		action, ttl, err := mutate(&v, readErr == nil)
		if err != nil {
			return false, err
		}
		var next []byte
		if action == write {
			if next, err = json.Marshal(v); err != nil {
				return false, err
			}
			written = &v
		}
		if action == keep || (bytes.Equal(current, next) && (current == nil) == (next == nil)) {
			return true, nil // nothing to change
		}
		return kv.CompareAndSet(key, current, next, ttl)
	})
	if err != nil {
		return nil, err
	}
	return written, nil
}

// GetJSON decodes a JSON value. An absent key is ErrNotFound; corrupt JSON is logged and
// also reported as ErrNotFound, because every caller treats "unreadable" as "absent".
func GetJSON[T any](kv *KV, key string) (T, error) {
	data, err := kv.Get(key)
	if err != nil {
		return *new(T), err
	}
	return decodeJSON[T](kv, key, data)
}

// getOrZero is GetJSON where an absent or corrupt value is the zero T.
func getOrZero[T any](kv *KV, key string) (T, error) {
	v, err := GetJSON[T](kv, key)
	if errors.Is(err, ErrNotFound) {
		return v, nil
	}
	return v, err
}

// decodeJSON decodes the value of key: the zero T and ErrNotFound when it is absent or
// corrupt (logged).
func decodeJSON[T any](kv *KV, key string, data []byte) (T, error) {
	var v T
	if data == nil {
		return v, ErrNotFound
	}
	if err := json.Unmarshal(data, &v); err != nil {
		kv.api.LogError("Corrupt KV value treated as absent", "key", key, "error", err.Error())
		return *new(T), ErrNotFound
	}
	return v, nil
}

// SetJSON writes a JSON value unconditionally.
func SetJSON(kv *KV, key string, v any, ttl time.Duration) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return kv.Set(key, data, ttl)
}

// seconds rounds a TTL down to whole seconds, but never to 0, which means forever.
func seconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return max(int64(d/time.Second), 1)
}
