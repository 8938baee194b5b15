package app

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

func serverToServer(s *config.Settings) {
	s.ServerToServerApp = true
	s.S2SAccountID = zoomsim.DefaultAccountID
	s.S2SClientID, s.S2SClientSecret = zoomsim.DefaultClientID, zoomsim.DefaultClientSecret
	s.OAuthClientID, s.OAuthClientSecret = "", ""
}

// messageNoConnectServerToServer is what /zoom connect and disconnect answer in S2S mode.
const messageNoConnectServerToServer = "Zoom is connected for everyone here through your organisation's Server-to-Server app, so there is nothing to connect or disconnect. Start a meeting with /zoom start; you are matched to Zoom by your Mattermost email."

func (w *world) tokenGrants() int { return w.sim.CountCalls(http.MethodPost, "/oauth/token") }

func TestServerToServerStartsWithoutAnyoneConnecting(t *testing.T) {
	w := newWorld(t, serverToServer)
	w.setPreference(w.alice, store.PreferenceUnique)
	if _, err := w.start(w.alice, w.private); err != nil {
		t.Fatal(err)
	}
	if n := len(w.cards(w.private)); n != 1 {
		t.Fatalf("%d cards", n)
	}
	var paths []string
	for _, c := range w.sim.Calls() {
		paths = append(paths, c.Method+" "+c.Path)
	}
	want := []string{"POST /oauth/token", "GET /v2/users/alice@example.com", "POST /v2/users/"}
	if len(paths) != 3 || paths[0] != want[0] || paths[1] != want[1] || !strings.HasPrefix(paths[2], want[2]) {
		t.Fatalf("Zoom calls of the first start: %q, want grant, email lookup, create", paths)
	}
	// The next start reuses the token and the cached Zoom id: one Zoom call.
	w.advance(w.app, time.Minute)
	w.sim.ResetCalls()
	if _, err := w.start(w.alice, w.public); err != nil {
		t.Fatal(err)
	}
	if calls := w.sim.Calls(); len(calls) != 1 || !strings.HasSuffix(calls[0].Path, "/meetings") {
		t.Fatalf("second start called Zoom %+v", calls)
	}
	// The shared token is sealed at rest.
	raw := string(w.host.KV()["zooms2stoken"])
	if raw == "" || strings.Contains(raw, "eyJ") || !strings.Contains(raw, `"v1:`) {
		t.Fatalf("stored S2S token not sealed: %s", raw)
	}
}

// Two plugin processes of a cluster (one KV) starting meetings at the same moment ask
// Zoom for one token between them.
func TestServerToServerTokenIsSharedAcrossInstances(t *testing.T) {
	w := newWorld(t, serverToServer)
	other := w.newInstance(w.host)
	w.setPreference(w.alice, store.PreferenceUnique)
	w.setPreference(w.bob, store.PreferenceUnique)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, a := range []*App{w.app, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user, channel := w.alice, w.private
			if i == 1 {
				user, channel = w.bob, w.public
			}
			_, errs[i] = a.StartMeeting(w.ctx, StartRequest{UserID: user.Id, ChannelID: channel.Id, Topic: "Sync"})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := w.tokenGrants(); n != 1 {
		t.Fatalf("%d token grants for two instances, want 1", n)
	}
	if len(w.cards(w.private)) != 1 || len(w.cards(w.public)) != 1 {
		t.Fatal("a start did not post its card")
	}
}

func TestServerToServerTokenRenewsOnExpiryAndCredentialChange(t *testing.T) {
	w := newWorld(t, serverToServer)
	w.setPreference(w.alice, store.PreferenceUnique)
	if _, err := w.start(w.alice, w.private); err != nil {
		t.Fatal(err)
	}
	w.advance(w.app, 2*time.Hour) // past the hour Zoom's token lives
	w.host.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	if _, err := w.start(w.alice, w.public); err != nil {
		t.Fatal(err)
	}
	if n := w.tokenGrants(); n != 2 {
		t.Fatalf("%d grants after expiry, want 2", n)
	}
	// A wrong secret never reuses the token of the right one: the start is refused
	// with a message pointing at /zoom status, and the report names the settings.
	if err := w.reconfigure(func(s *config.Settings) { s.S2SClientSecret = "wrong" }); err != nil {
		t.Fatal(err)
	}
	w.advance(w.app, 3*time.Hour)
	_, err := w.start(w.alice, w.private)
	if !errors.Is(err, ErrServerToServerRefused) || !strings.Contains(MessageOf(err), "/zoom status") {
		t.Fatalf("start with a wrong secret: %v", err)
	}
	wantLines(t, w.status(), "Mode: Server-to-Server OAuth", "Zoom refused the Server-to-Server credentials.",
		"System Console > Plugins > Zoom > Server-to-Server Account ID, Server-to-Server Client ID and Server-to-Server Client Secret")
}

func TestServerToServerNeedsNoConnectAndMatchesByEmail(t *testing.T) {
	w := newWorld(t, serverToServer)
	if _, err := w.app.BeginConnect(w.alice.Id, w.private.Id, false); err == nil || !strings.Contains(MessageOf(err), "nothing to connect") {
		t.Fatalf("connect in S2S mode: %v", err)
	}
	if msg, err := w.app.Disconnect(w.admin.Id); err != nil || msg != messageNoConnectServerToServer {
		t.Fatalf("disconnect in S2S mode: %q %v", msg, err)
	}
	carol := w.host.AddUser("carol", false)
	w.host.AddChannelMember(w.private.Id, carol.Id)
	w.setPreference(carol, store.PreferenceUnique)
	_, err := w.start(carol, w.private)
	if !errors.Is(err, ErrZoomUserNotFound) || !strings.Contains(MessageOf(err), "carol@example.com") {
		t.Fatalf("unknown email: %v", err)
	}
	report := w.status()
	wantLines(t, report, "Zoom granted a Server-to-Server token with the current credentials.",
		"your email admin@example.com is Zoom user", "**Server-to-Server Client Secret** is set.")
	if p := problemLines(report); len(p) != 0 {
		t.Errorf("problems in a healthy S2S setup: %q", p)
	}
}

// A token endpoint that times out (408) is an outage to retry, not Zoom refusing the
// credentials.
func TestServerToServerTimeoutIsNotARefusal(t *testing.T) {
	w := newWorld(t, serverToServer)
	w.setPreference(w.alice, store.PreferenceUnique)
	w.sim.InjectFault(zoomsim.Fault{Method: http.MethodPost, PathPrefix: "/oauth/token", Status: http.StatusRequestTimeout, Times: 1})
	_, err := w.start(w.alice, w.private)
	if err == nil || errors.Is(err, ErrServerToServerRefused) || KindOf(err) != KindZoomFailed {
		t.Fatalf("start while the token endpoint timed out: %v (kind %v)", err, KindOf(err))
	}
	if _, err := w.start(w.alice, w.private); err != nil {
		t.Fatalf("start after the timeout: %v", err)
	}
}

// A shared token Zoom stops accepting before it expires (revoked, or the app's scopes
// changed) is dropped at the first refusal: the next call asks Zoom for a new one
// instead of failing until the old one would have expired.
func TestServerToServerTokenZoomRefusesIsReplaced(t *testing.T) {
	w := newWorld(t, serverToServer)
	w.setPreference(w.alice, store.PreferenceUnique)
	if _, err := w.start(w.alice, w.private); err != nil {
		t.Fatal(err)
	}
	w.sim.ExpireAccessTokens()
	if _, err := w.start(w.alice, w.public); err == nil {
		t.Fatal("Zoom accepted a token it was told to refuse")
	}
	if _, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.public.Id, Force: true}); err != nil {
		t.Fatalf("the start after the refusal: %v", err)
	}
	if n := w.tokenGrants(); n != 2 {
		t.Fatalf("%d token grants, want 2", n)
	}
}
