package store

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"golang.org/x/oauth2"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

// afterWrite runs once, right after the first successful write to key: what another
// node does between two KV calls of this one.
type afterWrite struct {
	*devhosttest.Host
	key  string
	then func()
}

func (b *afterWrite) KVSetWithOptions(key string, value []byte, o model.PluginKVSetOptions) (bool, *model.AppError) {
	ok, appErr := b.Host.KVSetWithOptions(key, value, o)
	if ok && appErr == nil && key == b.key && b.then != nil {
		then := b.then
		b.then = nil
		then()
	}
	return ok, appErr
}

// A deauthorization that lands between a refresh's two writes (the user's record, then
// the index) must not have the index written back afterwards: it would keep a sealed
// refresh token of an account Zoom told us to forget, and name a user no longer there.
func TestRefreshDoesNotResurrectTheIndexAfterADeauthorization(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	other := newTestTokens(t, testKey, backend) // the node that takes the deauthorization
	mustSaveUser(t, other, userOn("mmalice", "zoomalice"))

	sealer, err := NewSealer(testKey)
	if err != nil {
		t.Fatal(err)
	}
	hooked := &afterWrite{Host: backend, key: userTokenPrefix + "mmalice"}
	refreshing := NewTokens(NewKV(hooked), sealer)
	stored, err := refreshing.GetUser("mmalice")
	if err != nil {
		t.Fatal(err)
	}
	hooked.then = func() {
		if removed, err := other.DeleteByZoomID("zoomalice"); err != nil || removed != "mmalice" {
			t.Fatalf("deauthorization removed %q (%v)", removed, err)
		}
	}
	if _, err := refreshing.ReplaceUser(stored, &oauth2.Token{AccessToken: "new-access", RefreshToken: "new-refresh"}); err != nil {
		t.Fatal(err)
	}
	if present(t, backend, userByZoomIDPrefix+"zoomalice") {
		t.Fatal("the refresh wrote the deauthorized account's index entry back")
	}
}
