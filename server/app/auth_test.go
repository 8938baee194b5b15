package app

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

func TestConnectUserLevelStoresSealedTokens(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	tokens := w.app.current.Load().tokens
	got, err := tokens.GetUser(w.alice.Id)
	if err != nil || got.ZoomEmail != "alice@example.com" || got.ZoomID == "" {
		t.Fatalf("stored user: %+v %v", got, err)
	}
	if _, err := tokens.GetUserByZoomID(got.ZoomID); err != nil {
		t.Fatalf("by zoom id: %v", err)
	}
	for key, value := range w.host.KV() {
		if bytes.Contains(value, []byte(got.OAuthToken.AccessToken)) || bytes.Contains(value, []byte(got.OAuthToken.RefreshToken)) {
			t.Fatalf("%s holds a token in plain text", key)
		}
	}
	if msg := w.host.LastEphemeral(w.alice.Id); msg == nil || !strings.Contains(msg.Message, "connected to Zoom") {
		t.Fatalf("no confirmation: %+v", msg)
	}
}

func TestConnectStateIsSingleUseAndBoundToUser(t *testing.T) {
	w := newWorld(t)
	authorize, err := w.app.BeginConnect(w.alice.Id, "", false)
	if err != nil {
		t.Fatal(err)
	}
	code, state := w.authorize(authorize, "alice@example.com")
	if err := w.app.CompleteConnect(w.ctx, w.bob.Id, code, state); !errors.Is(err, ErrBadState) {
		t.Fatalf("another user completed alice's flow: %v", err)
	}
	if err := w.app.CompleteConnect(w.ctx, w.alice.Id, code, state+"x"); !errors.Is(err, ErrBadState) {
		t.Fatalf("altered state accepted: %v", err)
	}
	// The failed attempts must not have consumed alice's state... they did not match her
	// key, except the altered one, which took it: a new flow is needed, as for any reuse.
	authorize, _ = w.app.BeginConnect(w.alice.Id, "", false)
	code, state = w.authorize(authorize, "alice@example.com")
	if err := w.app.CompleteConnect(w.ctx, w.alice.Id, code, state); err != nil {
		t.Fatalf("valid completion: %v", err)
	}
	if err := w.app.CompleteConnect(w.ctx, w.alice.Id, code, state); !errors.Is(err, ErrBadState) {
		t.Fatalf("state reused: %v", err)
	}
}

func TestAccountLevelConnectOnlyForAdminsAndEmailMatch(t *testing.T) {
	w := newWorld(t, accountLevel)
	if _, err := w.app.BeginConnect(w.alice.Id, "", false); KindOf(err) != KindForbidden {
		t.Fatalf("non-admin began an account-level connect: %v", err)
	}
	w.mustConnect(w.admin, "admin@example.com")
	if _, err := w.app.current.Load().tokens.GetAdmin(); err != nil {
		t.Fatalf("admin token not stored: %v", err)
	}
	w.setPreference(w.alice, store.PreferenceUnique)
	if _, err := w.start(w.alice, w.private); err != nil {
		t.Fatalf("alice start through the admin token: %v", err)
	}
	carol := w.host.AddUser("carol", false)
	w.host.AddChannelMember(w.private.Id, carol.Id)
	w.setPreference(carol, store.PreferenceUnique)
	_, err := w.start(carol, w.private)
	if !errors.Is(err, ErrZoomUserNotFound) || !strings.Contains(MessageOf(err), "carol@example.com") {
		t.Fatalf("unknown email: %v / %s", err, MessageOf(err))
	}
}

func TestRefreshRotatesAndSurvivesFiveExpiries(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	tokens := w.app.current.Load().tokens
	var previous string
	for i := range 5 {
		before, _ := tokens.GetUser(w.alice.Id)
		previous = before.OAuthToken.RefreshToken
		w.sim.ExpireAccessTokens()
		w.expireStored(tokens, w.alice.Id)
		if _, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id, Force: true}); err != nil {
			t.Fatalf("start after expiry %d: %v", i+1, err)
		}
		after, _ := tokens.GetUser(w.alice.Id)
		if after.OAuthToken.RefreshToken == previous {
			t.Fatalf("expiry %d: refresh token not rotated", i+1)
		}
	}
	// The simulator must now reject the rotated-away refresh token.
	cfg := w.app.current.Load().oauth
	if _, err := zoom.Refresh(w.ctx, cfg, w.sim.HTTPClient(), previous); !zoom.IsInvalidGrant(err) {
		t.Fatalf("old refresh token still accepted: %v", err)
	}
}

// expireStored marks a user's stored token expired so the plugin refreshes it, and
// returns the record as stored now.
func (w *world) expireStored(tokens *store.Tokens, userID string) *store.StoredUser {
	w.t.Helper()
	u, err := tokens.GetUser(userID)
	if err != nil {
		w.t.Fatal(err)
	}
	tok := *u.OAuthToken
	tok.Expiry = w.app.now().Add(-time.Minute)
	if ok, err := tokens.ReplaceUser(u, &tok); !ok || err != nil {
		w.t.Fatalf("expire: %v %v", ok, err)
	}
	expired, err := tokens.GetUser(userID)
	if err != nil {
		w.t.Fatal(err)
	}
	return expired
}

func TestTwoInstancesRefreshingConcurrentlyStayConnected(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	other := w.newInstance(w.host)
	for round := range 3 {
		w.sim.ExpireAccessTokens()
		w.expireStored(w.app.current.Load().tokens, w.alice.Id)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i, a := range []*App{w.app, other, w.app, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = a.identityFor(w.ctx, w.alice.Id)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, caller %d: %v", round, i, err)
			}
		}
	}
	if _, err := w.app.current.Load().tokens.GetUser(w.alice.Id); err != nil {
		t.Fatalf("user lost their connection: %v", err)
	}
}

func TestRevokedRefreshDisconnectsWithMessage(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	w.sim.RevokeUserTokens(w.expireStored(w.app.current.Load().tokens, w.alice.Id).ZoomID)
	res, err := w.start(w.alice, w.private)
	if err != nil || res.JoinURL != "" {
		t.Fatalf("start with revoked token: %+v %v", res, err)
	}
	if _, err := w.app.current.Load().tokens.GetUser(w.alice.Id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked user still stored: %v", err)
	}
	msg := w.host.LastEphemeral(w.alice.Id)
	if msg == nil || !strings.Contains(msg.Message, "/plugins/zoom/oauth2/connect") || !strings.Contains(msg.Message, "again") {
		t.Fatalf("no reconnect message: %+v", msg)
	}
}

func TestDeauthorizationRemovesTokensAndReportsCompliance(t *testing.T) {
	for _, retain := range []bool{true, false} {
		w := newWorld(t)
		w.mustConnect(w.alice, "alice@example.com")
		stored, _ := w.app.current.Load().tokens.GetUser(w.alice.Id)
		body, err := w.sim.DeauthorizeEvent(stored.ZoomID, retain)
		if err != nil {
			t.Fatal(err)
		}
		ev, _ := zoom.ParseEvent(body)
		payload, _ := ev.Deauthorization()
		if err := w.app.Deauthorize(w.ctx, payload); err != nil {
			t.Fatalf("retain=%v: %v", retain, err)
		}
		if _, err := w.app.current.Load().tokens.GetUser(w.alice.Id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("retain=%v: tokens kept", retain)
		}
		wantCompliance := 1
		if retain {
			wantCompliance = 0
		}
		if got := len(w.sim.ComplianceRequests()); got != wantCompliance {
			t.Fatalf("retain=%v: %d compliance calls, want %d", retain, got, wantCompliance)
		}
		dm, _ := w.host.GetDirectChannel(w.bot.Id, w.alice.Id)
		told := false
		for _, p := range w.host.ChannelPosts(dm.Id) {
			told = told || (p.UserId == w.bot.Id && strings.Contains(p.Message, "disconnected"))
		}
		if !told {
			t.Fatalf("retain=%v: no DM", retain)
		}
	}
}

// kvOutage is a plugin process whose host fails KV reads of one key after the first
// okReads of them, and deletes of keys starting with undeletable: the KV failing
// in the middle of a call.
type kvOutage struct {
	Host
	key         string
	okReads     int
	undeletable string
}

func (h *kvOutage) KVGet(key string) ([]byte, *model.AppError) {
	if key == h.key {
		if h.okReads == 0 {
			return nil, model.NewAppError("KVGet", "kv.unavailable", nil, "", http.StatusInternalServerError)
		}
		h.okReads--
	}
	return h.Host.KVGet(key)
}

func (h *kvOutage) KVSetWithOptions(key string, value []byte, o model.PluginKVSetOptions) (bool, *model.AppError) {
	if value == nil && h.undeletable != "" && strings.HasPrefix(key, h.undeletable) {
		return false, model.NewAppError("KVSetWithOptions", "kv.unavailable", nil, "", http.StatusInternalServerError)
	}
	return h.Host.KVSetWithOptions(key, value, o)
}

func (w *world) outageApp(h *kvOutage) *App {
	w.t.Helper()
	h.Host = w.host
	return w.instance(h, w.sim.HTTPClient())
}

// A KV failure while the token is being renewed is an outage to retry, not a lost
// connection: the user is not told to connect again, and the connection stays.
func TestKVFailureDuringRenewalIsNotAReconnect(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	tokens := w.app.current.Load().tokens
	w.expireStored(tokens, w.alice.Id)
	// The first read (before the refresh lock) works; the one under the lock fails.
	a := w.outageApp(&kvOutage{key: "zoomtoken_" + w.alice.Id, okReads: 1})
	_, err := a.identityFor(w.ctx, w.alice.Id)
	if KindOf(err) != KindUnavailable || errors.Is(err, ErrReconnect) {
		t.Fatalf("KV failure under the refresh lock: kind %d, %v", KindOf(err), err)
	}
	if _, err := w.app.identityFor(w.ctx, w.alice.Id); err != nil {
		t.Fatalf("the connection did not survive the outage: %v", err)
	}
}

// A deauthorization whose deletions fail answers "unavailable", so Zoom delivers it
// again; the delivery after the outage removes the tokens.
func TestDeauthorizationDuringAKVOutageIsRetried(t *testing.T) {
	for _, mode := range []struct {
		name, undeletable string
		opts              []worldOption
	}{
		{"user level", "zoomtoken", nil},
		{"account level", "zoomSuperUserToken_", []worldOption{accountLevel}},
	} {
		w := newWorld(t, mode.opts...)
		w.mustConnect(w.admin, "admin@example.com")
		zoomID := w.host.KV()["zoomadminowner"]
		if stored, err := w.app.current.Load().tokens.GetUser(w.admin.Id); err == nil {
			zoomID = []byte(stored.ZoomID)
		}
		body, err := w.sim.DeauthorizeEvent(string(zoomID), true)
		if err != nil {
			t.Fatal(err)
		}
		ev, _ := zoom.ParseEvent(body)
		payload, _ := ev.Deauthorization()
		a := w.outageApp(&kvOutage{undeletable: mode.undeletable})
		if err := a.Deauthorize(w.ctx, payload); KindOf(err) != KindUnavailable {
			t.Fatalf("%s: deauthorization during a KV outage: kind %d, %v", mode.name, KindOf(err), err)
		}
		if err := w.app.Deauthorize(w.ctx, payload); err != nil {
			t.Fatalf("%s: Zoom's retry: %v", mode.name, err)
		}
		if kv := w.host.KV(); kv["zoomSuperUserToken_"] != nil || kv["zoomtoken_"+w.admin.Id] != nil {
			t.Fatalf("%s: tokens kept after the retry", mode.name)
		}
	}
}
