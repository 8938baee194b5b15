package store

import (
	"testing"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

func userOn(mmUserID, zoomID string) *UserInfo {
	u := sampleUser()
	u.UserID, u.ZoomID = mmUserID, zoomID
	return u
}

func mustSaveUser(t *testing.T, tokens *Tokens, u *UserInfo) {
	t.Helper()
	if err := tokens.SaveUser(u); err != nil {
		t.Fatal(err)
	}
}

func present(t *testing.T, backend *devhosttest.Host, key string) bool {
	t.Helper()
	v, appErr := backend.KVGet(key)
	if appErr != nil {
		t.Fatal(appErr)
	}
	return v != nil
}

// Reconnecting with another Zoom account drops the old account's index entry, and a
// deauthorization of the old account (even through an entry left by an older version)
// leaves the new connection alone.
func TestReconnectWithAnotherZoomAccountKeepsTheIndexExact(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	tokens := newTestTokens(t, testKey, backend)
	mustSaveUser(t, tokens, userOn("mmalice", "zoomold"))
	stale, _ := backend.KVGet(userByZoomIDPrefix + "zoomold")
	mustSaveUser(t, tokens, userOn("mmalice", "zoomnew"))
	if present(t, backend, userByZoomIDPrefix+"zoomold") {
		t.Fatal("the old Zoom account's index entry (with its sealed refresh token) is still stored")
	}
	// An entry an older version left behind.
	if _, appErr := backend.KVSetWithOptions(userByZoomIDPrefix+"zoomold", stale, modelOpts()); appErr != nil {
		t.Fatal(appErr)
	}
	removed, err := tokens.DeleteByZoomID("zoomold")
	if err != nil || removed != "" {
		t.Fatalf("deauthorizing the old account removed %q (%v)", removed, err)
	}
	if got, err := tokens.GetUser("mmalice"); err != nil || got.ZoomID != "zoomnew" {
		t.Fatalf("the new connection: %+v %v", got, err)
	}
	if present(t, backend, userByZoomIDPrefix+"zoomold") || !present(t, backend, userByZoomIDPrefix+"zoomnew") {
		t.Fatal("index entries after the deauthorization")
	}
}

// Two Mattermost users on one Zoom account: the index names the last to connect, and
// the other one's disconnect leaves it alone.
func TestDisconnectDeletesOnlyTheIndexEntryNamingTheUser(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	tokens := newTestTokens(t, testKey, backend)
	mustSaveUser(t, tokens, userOn("mmalice", "zoomshared"))
	mustSaveUser(t, tokens, userOn("mmbob", "zoomshared"))
	if err := tokens.DeleteUser("mmalice"); err != nil {
		t.Fatal(err)
	}
	if got, err := tokens.GetUserByZoomID("zoomshared"); err != nil || got.UserID != "mmbob" {
		t.Fatalf("bob's index entry: %+v %v", got, err)
	}
	if err := tokens.DeleteUser("mmbob"); err != nil {
		t.Fatal(err)
	}
	if present(t, backend, userByZoomIDPrefix+"zoomshared") {
		t.Fatal("bob's disconnect left his index entry")
	}
}

// Records sealed under a lost key are still found and deleted, by user and by Zoom id.
func TestUndecryptableRecordsAreDeleted(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	mustSaveUser(t, newTestTokens(t, testKey, backend), userOn("mmalice", "zoomalice"))
	mustSaveUser(t, newTestTokens(t, testKey, backend), userOn("mmbob", "zoombob"))
	rekeyed := newTestTokens(t, "fedcba9876543210fedcba9876543210", backend)
	if _, err := rekeyed.GetUser("mmalice"); err == nil {
		t.Fatal("the record opened under another key")
	}
	removed, err := rekeyed.DeleteByZoomID("zoomalice")
	if err != nil || removed != "mmalice" {
		t.Fatalf("DeleteByZoomID: %q %v", removed, err)
	}
	if err := rekeyed.DeleteUser("mmbob"); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{userTokenPrefix + "mmalice", userByZoomIDPrefix + "zoomalice", userTokenPrefix + "mmbob", userByZoomIDPrefix + "zoombob"} {
		if present(t, backend, key) {
			t.Fatalf("%s is still stored", key)
		}
	}
}

// The account-level token goes with a deauthorization of the Zoom user who granted it
// (or of anyone, when that was never recorded), not of any other user.
func TestAccountLevelTokenGoesWithItsGrantor(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	tokens := newTestTokens(t, testKey, backend)
	if err := tokens.SaveAdmin(sampleUser().OAuthToken, "zoomadmin"); err != nil {
		t.Fatal(err)
	}
	if gone, err := tokens.DeleteAdminOf("zoomother"); err != nil || gone {
		t.Fatalf("another user's deauthorization: %v %v", gone, err)
	}
	if gone, err := tokens.DeleteAdminOf("zoomadmin"); err != nil || !gone || present(t, backend, adminTokenKey) || present(t, backend, adminOwnerKey) {
		t.Fatalf("the grantor's deauthorization: %v %v", gone, err)
	}
	// Stored by an older version: nobody knows who granted it.
	sealed, err := tokens.sealToken(sampleUser().OAuthToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, appErr := backend.KVSetWithOptions(adminTokenKey, sealed, modelOpts()); appErr != nil {
		t.Fatal(appErr)
	}
	if gone, err := tokens.DeleteAdminOf("zoomanyone"); err != nil || !gone || present(t, backend, adminTokenKey) {
		t.Fatalf("a token of unknown grantor: %v %v", gone, err)
	}
}
