package store

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

const testKey = "0123456789abcdef0123456789abcdef"

// legacyEncrypt writes the original plugin's access-token format, for upgrade tests.
func legacyEncrypt(t testing.TB, key, plain string) string {
	t.Helper()
	block, err := aes.NewCipher([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	data := append([]byte(plain), bytes.Repeat([]byte{byte(pad)}, pad)...)
	out := make([]byte, aes.BlockSize+len(data))
	if _, err := rand.Read(out[:aes.BlockSize]); err != nil {
		t.Fatal(err)
	}
	cipher.NewCFBEncrypter(block, out[:aes.BlockSize]).XORKeyStream(out[aes.BlockSize:], data) //nolint:staticcheck
	return base64.URLEncoding.EncodeToString(out)
}

func newTestTokens(t testing.TB, key string, backend *devhosttest.Host) *Tokens {
	t.Helper()
	sealer, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	return NewTokens(NewKV(backend), sealer)
}

func sampleUser() *UserInfo {
	return &UserInfo{
		ZoomEmail: "alice@example.com",
		UserID:    "mmalice",
		ZoomID:    "zoomalice",
		OAuthToken: &oauth2.Token{
			AccessToken:  "eyJaccess.secret-access",
			RefreshToken: "eyJrefresh.secret-refresh",
			TokenType:    "bearer",
			Expiry:       time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
		},
	}
}

func TestUserTokenRoundTripNeverStoresSecretsInPlain(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	tokens := newTestTokens(t, testKey, backend)
	if err := tokens.SaveUser(sampleUser()); err != nil {
		t.Fatal(err)
	}
	for key, value := range backend.KV() {
		for _, secret := range []string{"secret-access", "secret-refresh", "eyJ"} {
			if bytes.Contains(value, []byte(secret)) {
				t.Fatalf("%s holds %q in plain text: %s", key, secret, value)
			}
		}
	}
	// The JSON field names are the contract with existing installations.
	var shape map[string]json.RawMessage
	if err := json.Unmarshal(backend.KV()["zoomtoken_mmalice"], &shape); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"ZoomEmail", "OAuthToken", "UserID", "ZoomID"} {
		if _, ok := shape[field]; !ok {
			t.Fatalf("field %s missing from %v", field, shape)
		}
	}
	for _, get := range []func() (*StoredUser, error){
		func() (*StoredUser, error) { return tokens.GetUser("mmalice") },
		func() (*StoredUser, error) { return tokens.GetUserByZoomID("zoomalice") },
	} {
		got, err := get()
		if err != nil {
			t.Fatal(err)
		}
		if got.OAuthToken.AccessToken != "eyJaccess.secret-access" || got.OAuthToken.RefreshToken != "eyJrefresh.secret-refresh" || got.ZoomEmail != "alice@example.com" {
			t.Fatalf("round trip lost data: %+v %+v", got.UserInfo, got.OAuthToken)
		}
	}
}

func TestWrongKeyOrTamperingMeansReconnect(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	if err := newTestTokens(t, testKey, backend).SaveUser(sampleUser()); err != nil {
		t.Fatal(err)
	}
	if _, err := newTestTokens(t, "another-key-another-key-another!", backend).GetUser("mmalice"); !errors.Is(err, ErrUndecryptable) {
		t.Fatalf("wrong key: got %v, want ErrUndecryptable", err)
	}
	raw := backend.KV()["zoomtoken_mmalice"]
	tampered := bytes.Replace(raw, []byte(`"access_token":"v1:`), []byte(`"access_token":"v1:A`), 1)
	if _, err := backend.KVSetWithOptions("zoomtoken_mmalice", tampered, modelOpts()); err != nil {
		t.Fatal(err)
	}
	if _, err := newTestTokens(t, testKey, backend).GetUser("mmalice"); !errors.Is(err, ErrUndecryptable) {
		t.Fatalf("tampered: got %v, want ErrUndecryptable", err)
	}
	if _, err := newTestTokens(t, testKey, backend).GetUser("nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("absent: got %v", err)
	}
}

func TestLegacyFormatIsReadAndRewrittenSealed(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	legacy := map[string]any{
		"ZoomEmail": "alice@example.com",
		"UserID":    "mmalice",
		"ZoomID":    "zoomalice",
		"OAuthToken": map[string]any{
			"access_token":  legacyEncrypt(t, testKey, "eyJlegacy.access-token"),
			"refresh_token": "eyJlegacy.refresh-token",
			"token_type":    "bearer",
			"expiry":        "2030-01-01T00:00:00Z",
		},
	}
	data, _ := json.Marshal(legacy)
	backend.KVSetWithOptions("zoomtoken_mmalice", data, modelOpts())
	backend.KVSetWithOptions("zoomSuperUserToken_", []byte(`{"access_token":"eyJadmin.plain","refresh_token":"eyJadmin.refresh","token_type":"bearer"}`), modelOpts())

	tokens := newTestTokens(t, testKey, backend)
	got, err := tokens.GetUser("mmalice")
	if err != nil {
		t.Fatal(err)
	}
	if got.OAuthToken.AccessToken != "eyJlegacy.access-token" || got.OAuthToken.RefreshToken != "eyJlegacy.refresh-token" {
		t.Fatalf("legacy read: %+v", got.OAuthToken)
	}
	admin, err := tokens.GetAdmin()
	if err != nil || admin.Token.AccessToken != "eyJadmin.plain" || admin.Token.RefreshToken != "eyJadmin.refresh" {
		t.Fatalf("legacy admin: %v %+v", err, admin)
	}
	for key, value := range backend.KV() {
		if bytes.Contains(value, []byte("eyJ")) {
			t.Fatalf("%s still holds a plain or legacy secret after reading: %s", key, value)
		}
	}
	again, err := tokens.GetUser("mmalice")
	if err != nil || again.OAuthToken.AccessToken != "eyJlegacy.access-token" {
		t.Fatalf("rewritten value unreadable: %v", err)
	}
	// A legacy value under the wrong key is noise: reconnect, never a garbage token.
	backend.KVSetWithOptions("zoomtoken_mmbob", bytes.Replace(data, []byte("mmalice"), []byte("mmbob"), 1), modelOpts())
	if _, err := newTestTokens(t, "ffffffffffffffffffffffffffffffff", backend).GetUser("mmbob"); !errors.Is(err, ErrUndecryptable) {
		t.Fatalf("legacy with wrong key: %v", err)
	}
}

func TestReplaceUserLosesToConcurrentWriter(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	tokens := newTestTokens(t, testKey, backend)
	tokens.SaveUser(sampleUser())
	first, _ := tokens.GetUser("mmalice")
	second, _ := tokens.GetUser("mmalice")
	next := sampleUser().OAuthToken
	next.RefreshToken = "eyJrefresh.two"
	if ok, err := tokens.ReplaceUser(first, next); !ok || err != nil {
		t.Fatalf("first replace: %v %v", ok, err)
	}
	stale := sampleUser().OAuthToken
	stale.RefreshToken = "eyJrefresh.stale"
	if ok, _ := tokens.ReplaceUser(second, stale); ok {
		t.Fatal("a stale replace overwrote the rotated refresh token")
	}
	got, _ := tokens.GetUser("mmalice")
	if got.OAuthToken.RefreshToken != "eyJrefresh.two" {
		t.Fatalf("refresh token lost: %s", got.OAuthToken.RefreshToken)
	}
}

func FuzzDecodeSecret(f *testing.F) {
	sealer, _ := NewSealer(testKey)
	f.Add(sealer.Seal("eyJabc.def"))
	f.Add(legacyEncrypt(f, testKey, "eyJlegacy.token"))
	f.Add("v1:")
	f.Add("v1:AAAA")
	f.Add("eyJplain")
	f.Add("")
	f.Fuzz(func(t *testing.T, value string) {
		plain, err := sealer.Open(value, sealer.LegacyCFB)
		if err == nil && value != "" && !looksLikeToken(plain) {
			t.Fatalf("Open(%q) returned a non-token %q", value, plain)
		}
		var info UserInfo
		_ = json.Unmarshal([]byte(value), &info)
	})
}

// Dropping the Server-to-Server token Zoom refused leaves a newer one another process
// fetched meanwhile.
func TestDropS2SDeletesOnlyTheRefusedToken(t *testing.T) {
	tokens := newTestTokens(t, testKey, devhosttest.NewHost(nil))
	now := time.Now()
	newer := &oauth2.Token{AccessToken: "eyJnewer", Expiry: now.Add(time.Hour)}
	if err := tokens.SaveS2S("fp", newer, now); err != nil {
		t.Fatal(err)
	}
	if err := tokens.DropS2S("eyJrefused"); err != nil {
		t.Fatal(err)
	}
	if got, err := tokens.GetS2S("fp"); err != nil || got.AccessToken != newer.AccessToken {
		t.Fatalf("the newer token went with the refused one: %v %v", got, err)
	}
	if err := tokens.DropS2S(newer.AccessToken); err != nil {
		t.Fatal(err)
	}
	if _, err := tokens.GetS2S("fp"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the refused token is still shared: %v", err)
	}
}
