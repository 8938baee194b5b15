package app

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// beforeRefresh runs then once, when a refresh-token grant is about to reach Zoom:
// what a user or another node does while that call is in flight.
type beforeRefresh struct {
	next http.RoundTripper
	then func()
}

func (b *beforeRefresh) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && strings.HasSuffix(r.URL.Path, "/oauth/token") && b.then != nil {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if strings.Contains(string(body), "grant_type=refresh_token") {
			then := b.then
			b.then = nil
			then()
		}
	}
	return b.next.RoundTrip(r)
}

// refreshingInstance is a plugin process on w's host whose next token refresh lets
// then run first.
func (w *world) refreshingInstance(then func()) *App {
	client := w.sim.HTTPClient()
	client.Transport = &beforeRefresh{next: client.Transport, then: then}
	return w.instance(w.host, client)
}

// Zoom refuses a revoked refresh token; if the user reconnects while that refusal is on
// its way, the new connection is not the one refused and must survive.
func TestRefusedRefreshKeepsAReconnectMadeDuringTheCall(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	tokens := w.app.current.Load().tokens
	old := w.expireStored(tokens, w.alice.Id)
	w.sim.RevokeUserTokens(old.ZoomID)
	refreshing := w.refreshingInstance(func() { w.mustConnect(w.alice, "alice@example.com") })

	if _, err := refreshing.identityFor(w.ctx, w.alice.Id); err != nil {
		t.Fatalf("the reconnected user was told: %v", err)
	}
	fresh, err := tokens.GetUser(w.alice.Id)
	if err != nil {
		t.Fatalf("the reconnect was wiped: %v", err)
	}
	byZoom, err := tokens.GetUserByZoomID(old.ZoomID)
	if err != nil || byZoom.UserID != w.alice.Id || byZoom.OAuthToken.RefreshToken != fresh.OAuthToken.RefreshToken {
		t.Fatalf("the reconnect's index entry: %+v %v", byZoom, err)
	}
	if _, err := w.start(w.alice, w.private); err != nil {
		t.Fatalf("start after the reconnect: %v", err)
	}
}

// expireAdmin marks the account-level token expired so the plugin refreshes it, and
// returns the Zoom user who granted it.
func (w *world) expireAdmin(tokens *store.Tokens) string {
	w.t.Helper()
	stored, err := tokens.GetAdmin()
	if err != nil {
		w.t.Fatal(err)
	}
	owner, appErr := w.host.KVGet("zoomadminowner")
	if appErr != nil || len(owner) == 0 {
		w.t.Fatalf("no owner of the admin token: %v", appErr)
	}
	expired := *stored.Token
	expired.Expiry = w.app.now().Add(-time.Minute)
	if ok, err := tokens.ReplaceAdmin(stored, &expired); !ok || err != nil {
		w.t.Fatalf("expire: %v %v", ok, err)
	}
	return string(owner)
}

// The same for the account-level token: an admin's reconnect during a refused refresh stays.
func TestRefusedAdminRefreshKeepsAReconnectMadeDuringTheCall(t *testing.T) {
	w := newWorld(t, accountLevel)
	w.mustConnect(w.admin, "admin@example.com")
	tokens := w.app.current.Load().tokens
	owner := w.expireAdmin(tokens)
	w.sim.RevokeUserTokens(owner)
	refreshing := w.refreshingInstance(func() { w.mustConnect(w.admin, "admin@example.com") })

	if _, err := refreshing.identityFor(w.ctx, w.alice.Id); err != nil {
		t.Fatalf("the reconnected organisation was told: %v", err)
	}
	if _, err := tokens.GetAdmin(); err != nil {
		t.Fatalf("the admin's reconnect was wiped: %v", err)
	}
	if now, appErr := w.host.KVGet("zoomadminowner"); appErr != nil || string(now) != owner {
		t.Fatalf("the reconnect's owner record: %q %v", now, appErr)
	}
}

// Another site can make the user's browser open the connect link while the user is at
// Zoom's consent page; the user's own completion must still work, once.
func TestSecondConnectLinkDoesNotCancelTheFlowInProgress(t *testing.T) {
	w := newWorld(t)
	authorize, err := w.app.BeginConnect(w.alice.Id, w.private.Id, false)
	if err != nil {
		t.Fatal(err)
	}
	code, state := w.authorize(authorize, "alice@example.com")
	if _, err := w.app.BeginConnect(w.alice.Id, w.public.Id, true); err != nil {
		t.Fatal(err)
	}
	if err := w.app.CompleteConnect(w.ctx, w.alice.Id, code, state); err != nil {
		t.Fatalf("the user's own completion: %v", err)
	}
	if _, err := w.app.current.Load().tokens.GetUser(w.alice.Id); err != nil {
		t.Fatalf("not connected: %v", err)
	}
	if err := w.app.CompleteConnect(w.ctx, w.alice.Id, code, state); !errors.Is(err, ErrBadState) {
		t.Fatalf("state reused: %v", err)
	}
	// Once used, the next connect link is a new flow.
	again, err := w.app.BeginConnect(w.alice.Id, w.private.Id, false)
	if err != nil || strings.Contains(again, url.QueryEscape(state)) {
		t.Fatalf("the used state came back: %v", err)
	}
}

// A refreshed token is stored even when its compare-and-set loses again and again to
// other processes rewriting the same grant (re-sealing it): Zoom has already rotated
// the old refresh token away, so giving up after a few tries would disconnect the user
// at the next refresh.
func TestRefreshOutlastsRepeatedRewritesOfTheSameGrant(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	tokens := w.app.current.Load().tokens
	before := w.expireStored(tokens, w.alice.Id)
	a, h := w.strictApp()
	const rewrites = 5
	staged := 0
	h.beforeSet = func(key string, o model.PluginKVSetOptions) {
		if key == "zoomtoken_"+w.alice.Id && o.OldValue != nil && staged < rewrites {
			staged++
			if err := tokens.SaveUser(&before.UserInfo); err != nil {
				t.Error(err)
			}
		}
	}
	if _, err := a.identityFor(w.ctx, w.alice.Id); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if staged != rewrites {
		t.Fatalf("%d rewrites staged, want %d", staged, rewrites)
	}
	stored, err := tokens.GetUser(w.alice.Id)
	if err != nil || stored.OAuthToken.RefreshToken == before.OAuthToken.RefreshToken {
		t.Fatalf("the rotated-away refresh token is still stored: %v", err)
	}
	if _, err := zoom.Refresh(w.ctx, w.app.current.Load().oauth, w.sim.HTTPClient(), stored.OAuthToken.RefreshToken); err != nil {
		t.Fatalf("the stored refresh token is dead: %v", err)
	}
}
