package zoom_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/oauth2"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

const redirectURL = "https://mm.example.com/plugins/zoom/oauth2/complete"

// env is a simulator with Alice (PMI) and Carol (no PMI), and a client for it.
type env struct {
	sim   *zoomsim.Server
	cfg   *oauth2.Config
	hc    *http.Client
	api   *zoom.Client
	alice zoomsim.User
	carol zoomsim.User
}

func newEnv(t *testing.T) *env {
	t.Helper()
	sim := zoomsim.New(zoomsim.Options{})
	t.Cleanup(sim.Close)
	e := &env{sim: sim, hc: sim.HTTPClient()}
	e.cfg = zoom.OAuthConfig(sim.URL(), "sim-client-id", "sim-client-secret", redirectURL)
	e.api = zoom.NewClient(sim.APIURL(), e.hc)
	e.alice = sim.AddUser(zoomsim.User{Email: "alice@example.com", FirstName: "Alice", LastName: "Archer", PMI: 7391846250})
	e.carol = sim.AddUser(zoomsim.User{Email: "carol@example.com", FirstName: "Carol", LastName: "Cole"})
	return e
}

// authorize runs the browser half of the flow and returns the code and state
// Zoom sent back to the redirect URI.
func (e *env) authorize(t *testing.T, email, state string) (code, gotState string) {
	t.Helper()
	e.sim.SetLoginUser(email)
	browser := e.sim.HTTPClient()
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := browser.Get(e.cfg.AuthCodeURL(state))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirectURL {
		t.Fatalf("redirected to %s", got)
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

// connect returns a fresh token for the user.
func (e *env) connect(t *testing.T, email string) *oauth2.Token {
	t.Helper()
	code, _ := e.authorize(t, email, "st")
	tok, err := zoom.Exchange(context.Background(), e.cfg, e.hc, code)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func apiError(t *testing.T, err error) *zoom.APIError {
	t.Helper()
	ae, ok := err.(*zoom.APIError)
	if !ok {
		t.Fatalf("want *zoom.APIError, got %T %v", err, err)
	}
	return ae
}
