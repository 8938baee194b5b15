package store

import (
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

// casRival plays another node: right before each of the first losses compare-and-sets
// of key (an atomic write over an old value), it runs rewrite, so that write loses.
type casRival struct {
	*devhosttest.Host
	key     string
	mu      sync.Mutex
	losses  int
	rewrite func(n int)
}

func (r *casRival) KVSetWithOptions(key string, value []byte, o model.PluginKVSetOptions) (bool, *model.AppError) {
	r.mu.Lock()
	lose := key == r.key && o.Atomic && o.OldValue != nil && r.losses > 0
	if lose {
		r.losses--
	}
	n := r.losses
	r.mu.Unlock()
	if lose {
		r.rewrite(n)
	}
	return r.Host.KVSetWithOptions(key, value, o)
}

func cheapLostRaces(t *testing.T) {
	old := casMaxWait
	casMaxWait = time.Millisecond
	t.Cleanup(func() { casMaxWait = old })
}

// A deauthorization still removes the connection when the user's record keeps changing
// under it (token refreshes of the same Zoom account on other nodes), however often.
func TestDeauthorizationOutlastsConcurrentRefreshes(t *testing.T) {
	cheapLostRaces(t)
	host := devhosttest.NewHost(nil)
	other := newTestTokens(t, testKey, host)
	mustSaveUser(t, other, userOn("mmalice", "zoomalice"))
	rival := &casRival{Host: host, key: userTokenPrefix + "mmalice", losses: 10}
	rival.rewrite = func(int) {
		refreshed, err := other.sealUser(*userOn("mmalice", "zoomalice"))
		if err != nil {
			t.Error(err)
		}
		host.KVSetWithOptions(userTokenPrefix+"mmalice", refreshed, model.PluginKVSetOptions{})
	}
	sealer, err := NewSealer(testKey)
	if err != nil {
		t.Fatal(err)
	}
	removed, err := NewTokens(NewKV(rival), sealer).DeleteByZoomID("zoomalice")
	if err != nil || removed != "mmalice" {
		t.Fatalf("DeleteByZoomID: %q %v", removed, err)
	}
	if present(t, host, userTokenPrefix+"mmalice") || present(t, host, userByZoomIDPrefix+"zoomalice") {
		t.Fatal("the deauthorized connection is still stored")
	}
}

// Opening the connect link while the stored state keeps changing (other tabs, other
// nodes) ends with the state stored last, renewed, however often it changed.
func TestBeginOAuthStateOutlastsConcurrentChanges(t *testing.T) {
	cheapLostRaces(t)
	host := devhosttest.NewHost(nil)
	key := oauthStatePrefix + "mmalice"
	host.KVSetWithOptions(key, []byte("state0"), model.PluginKVSetOptions{})
	rival := &casRival{Host: host, key: key, losses: 10}
	rival.rewrite = func(n int) {
		host.KVSetWithOptions(key, []byte("rival"+string(rune('a'+n))), model.PluginKVSetOptions{})
	}
	got, err := NewKV(rival).BeginOAuthState("mmalice", "fresh")
	if err != nil || got != "rivala" {
		t.Fatalf("BeginOAuthState: %q %v, want the last stored state", got, err)
	}
	if v, _ := host.KVGet(key); string(v) != "rivala" {
		t.Fatalf("stored %q", v)
	}
	got, err = NewKV(host).BeginOAuthState("mmbob", "fresh")
	if err != nil || got != "fresh" {
		t.Fatalf("first state: %q %v", got, err)
	}
}

// A deauthorization of the account-level token's grantor deletes the token it judged:
// a refresh by another node meanwhile is read and deleted too, but a reconnect by
// another admin meanwhile is kept.
func TestAccountLevelDeauthorizationKeepsAReconnectMadeMeanwhile(t *testing.T) {
	cheapLostRaces(t)
	for _, c := range []struct {
		name      string
		rewriter  string // who stores a token under the deauthorization
		wantGone  bool
		wantOwner string
	}{
		{"refresh by the grantor", "zoomadmin", true, ""},
		{"reconnect by another admin", "zoomnew", false, "zoomnew"},
	} {
		t.Run(c.name, func(t *testing.T) {
			host := devhosttest.NewHost(nil)
			other := newTestTokens(t, testKey, host)
			if err := other.SaveAdmin(sampleUser().OAuthToken, "zoomadmin"); err != nil {
				t.Fatal(err)
			}
			rival := &casRival{Host: host, key: adminTokenKey, losses: 3}
			rewrites := 0
			rival.rewrite = func(int) {
				rewrites++
				if err := other.SaveAdmin(sampleUser().OAuthToken, c.rewriter); err != nil {
					t.Error(err)
				}
			}
			sealer, err := NewSealer(testKey)
			if err != nil {
				t.Fatal(err)
			}
			gone, err := NewTokens(NewKV(rival), sealer).DeleteAdminOf("zoomadmin")
			if err != nil || gone != c.wantGone || rewrites == 0 {
				t.Fatalf("DeleteAdminOf: gone %v, %v after %d rewrites; want gone %v", gone, err, rewrites, c.wantGone)
			}
			owner, _ := host.KVGet(adminOwnerKey)
			if present(t, host, adminTokenKey) == c.wantGone || string(owner) != c.wantOwner {
				t.Fatalf("after: token stored %v, owner %q", present(t, host, adminTokenKey), owner)
			}
		})
	}
}

// A reconnect writes its owner before its token. A deauthorization of the old owner
// that deletes the old token in between leaves the new owner for the new token.
func TestAccountLevelDeauthorizationKeepsTheOwnerOfAReconnectInProgress(t *testing.T) {
	host := devhosttest.NewHost(nil)
	tokens := newTestTokens(t, testKey, host)
	if err := tokens.SaveAdmin(sampleUser().OAuthToken, "zoomadmin"); err != nil {
		t.Fatal(err)
	}
	// The reconnect's first write lands right after the deauthorization read the owner.
	reconnect := &afterRead{Host: host, key: adminOwnerKey, then: func() {
		host.KVSetWithOptions(adminOwnerKey, []byte("zoomnew"), model.PluginKVSetOptions{})
	}}
	sealer, err := NewSealer(testKey)
	if err != nil {
		t.Fatal(err)
	}
	if gone, err := NewTokens(NewKV(reconnect), sealer).DeleteAdminOf("zoomadmin"); err != nil || !gone || !reconnect.done {
		t.Fatalf("DeleteAdminOf: %v %v (reconnect ran: %v)", gone, err, reconnect.done)
	}
	if owner, _ := host.KVGet(adminOwnerKey); string(owner) != "zoomnew" {
		t.Fatalf("the reconnect's owner is gone: %q", owner)
	}
}

// afterRead runs then once, right after the first read of key.
type afterRead struct {
	*devhosttest.Host
	key  string
	then func()
	done bool
}

func (r *afterRead) KVGet(key string) ([]byte, *model.AppError) {
	v, appErr := r.Host.KVGet(key)
	if key == r.key && !r.done {
		r.done = true
		r.then()
	}
	return v, appErr
}
