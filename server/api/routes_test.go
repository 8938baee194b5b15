package api_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/api"
	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/config"
)

func (e *gateEnv) user(name string) *model.User {
	u, appErr := e.host.GetUserByUsername(name)
	if appErr != nil {
		e.t.Fatalf("no user %s", name)
	}
	return u
}

func userRequest(method, path, userID, body string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if userID != "" {
		req.Header.Set("Mattermost-User-Id", userID)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestBadInputOnUserRoutes sends bad input to the routes the webapp, buttons and dialogs
// call: every bad request gets a 4xx, and nothing changes.
func TestBadInputOnUserRoutes(t *testing.T) {
	e := newGateEnv(t, "secret")
	alice := e.user("alice")
	admin := e.host.AddUser("admin", true)
	before := e.snapshot()
	routes := []string{"/api/v1/meetings", "/api/v1/askPMI", "/api/v1/updatePMI", "/api/v1/channel-preference"}
	for _, route := range routes {
		for _, body := range []string{"", "null", "{", "garbage", `{"a":1} trailing`, "[]", strings.Repeat("x", 70<<10)} {
			rec := e.serve(userRequest(http.MethodPost, route, alice.Id, body))
			if rec.Code < 400 || rec.Code >= 500 {
				t.Errorf("%s with body %.20q answered %d", route, body, rec.Code)
			}
		}
		if rec := e.serve(userRequest(http.MethodPost, route, "", `{}`)); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s without the user header answered %d", route, rec.Code)
		}
		if rec := e.serve(userRequest(http.MethodGet, route, alice.Id, "")); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("GET %s answered %d", route, rec.Code)
		}
	}
	for _, body := range []string{`{}`, `{"channel_id":"not-an-id"}`} {
		if rec := e.serve(userRequest(http.MethodPost, "/api/v1/meetings", alice.Id, body)); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"error"`) {
			t.Errorf("meetings %s answered %d %s", body, rec.Code, rec.Body)
		}
	}
	// A dialog submitted under another user's name, and one by a non-admin.
	channel := e.card.ChannelId
	for _, c := range []struct{ session, bodyUser string }{{admin.Id, alice.Id}, {alice.Id, alice.Id}} {
		body := `{"user_id":"` + c.bodyUser + `","state":"` + channel + `","submission":{"preference":"restrict"}}`
		if rec := e.serve(userRequest(http.MethodPost, "/api/v1/channel-preference", c.session, body)); rec.Code != http.StatusUnauthorized && rec.Code != http.StatusForbidden {
			t.Errorf("dialog session %s body user %s answered %d", c.session, c.bodyUser, rec.Code)
		}
	}
	// A PMI answer clicked by someone the question was not for.
	ask := `{"user_id":"` + admin.Id + `","context":{"action":"USE A UNIQUE MEETING ID","userID":"` + alice.Id + `","channelID":"` + channel + `"}}`
	if rec := e.serve(userRequest(http.MethodPost, "/api/v1/askPMI", admin.Id, ask)); rec.Code != http.StatusForbidden {
		t.Errorf("askPMI by another user answered %d", rec.Code)
	}
	for _, path := range []string{"/oauth2/connect", "/oauth2/complete?code=x&state=y"} {
		if rec := e.serve(userRequest(http.MethodGet, path, "", "")); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s without a user answered %d", path, rec.Code)
		}
	}
	if rec := e.serve(userRequest(http.MethodGet, "/oauth2/complete?code=x&state=garbage", alice.Id, "")); rec.Code != http.StatusBadRequest {
		t.Errorf("complete with a forged state answered %d", rec.Code)
	}
	if e.snapshot() != before {
		t.Fatal("a refused request changed KV or posts")
	}
}

func TestConnectRedirectsToZoomAuthorize(t *testing.T) {
	e := newGateEnv(t, "secret")
	rec := e.serve(userRequest(http.MethodGet, "/oauth2/connect?channelID="+e.card.ChannelId, e.user("alice").Id, ""))
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusFound || !strings.HasPrefix(loc, e.sim.URL()+"/oauth/authorize?") ||
		!strings.Contains(loc, "response_type=code") || !strings.Contains(loc, "client_id=sim-client-id") ||
		!strings.Contains(loc, "redirect_uri=https%3A%2F%2Fchat.example.com%2Fplugins%2Fzoom%2Foauth2%2Fcomplete") {
		t.Fatalf("connect: %d %s", rec.Code, loc)
	}
}

func TestUnconfiguredRoutesAnswer501(t *testing.T) {
	host := devhosttest.NewHost(nil)
	a := app.New(app.Options{Links: api.Links(), Host: host})
	if err := a.Configure(&config.Settings{}); err == nil {
		t.Fatal("empty settings accepted")
	}
	router := api.NewRouter(a, host)
	for _, path := range []string{"/api/v1/meetings", "/webhook?secret=x", "/deauthorization?secret=x", "/api/v1/askPMI"} {
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, userRequest(http.MethodPost, path, "someone", "{}"))
		if rec.Code != http.StatusNotImplemented || !strings.Contains(rec.Body.String(), "System Console") {
			t.Errorf("%s unconfigured: %d %s", path, rec.Code, rec.Body)
		}
	}
}

// panickyHost panics where a start asks for channel membership.
type panickyHost struct{ *devhosttest.Host }

func (panickyHost) GetChannelMember(string, string) (*model.ChannelMember, *model.AppError) {
	panic("host exploded")
}

func TestPanicIsRecoveredAndPluginKeepsServing(t *testing.T) {
	e := newGateEnv(t, "secret")
	host := panickyHost{e.host}
	a := app.New(app.Options{Links: api.Links(), Host: host, HTTPClient: e.sim.HTTPClient()})
	s := e.settings
	if err := a.Configure(&s); err != nil {
		t.Fatal(err)
	}
	router := api.NewRouter(a, host)
	body := `{"channel_id":"` + e.card.ChannelId + `"}`
	for range 2 {
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, userRequest(http.MethodPost, "/api/v1/meetings", e.user("alice").Id, body))
		if rec.Code != http.StatusInternalServerError {
			t.Fatalf("panicking handler answered %d", rec.Code)
		}
	}
	health := httptest.NewRecorder()
	router.ServeHTTP(health, httptest.NewRequest(http.MethodGet, "/api/v1/health", bytes.NewReader(nil)))
	if health.Code != http.StatusOK {
		t.Fatalf("health after a panic: %d", health.Code)
	}
	logged := false
	for _, l := range e.host.Logs() {
		logged = logged || (l.Level == "error" && strings.Contains(l.Message, "panic"))
	}
	if !logged {
		t.Fatal("the panic was not logged")
	}
}

// TestLinksAreRoutes checks that every URL the app hands out (buttons, dialogs, the
// connect link, the OAuth redirect, the webhook endpoint) reaches one of our routes.
func TestLinksAreRoutes(t *testing.T) {
	e := newGateEnv(t, "secret")
	alice := e.user("alice").Id
	l := api.Links()
	const root = "/plugins/zoom"
	routed := func(method, path, userID, body string) {
		t.Helper()
		if rec := e.serve(userRequest(method, path, userID, body)); rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed {
			t.Errorf("%s %s answered %d", method, path, rec.Code)
		}
	}
	for _, url := range []string{l.AskPMI, l.UpdatePMI, l.ConfirmStart, l.Share, l.ChannelPreference, l.ScheduleCancel, l.ScheduleDialog} {
		path, ok := strings.CutPrefix(url, root)
		if !ok {
			t.Fatalf("%s is not under %s, where Mattermost serves the plugin", url, root)
		}
		routed(http.MethodPost, path, alice, `{}`)
	}
	routed(http.MethodGet, l.Connect, alice, "")
	routed(http.MethodGet, l.OAuthComplete, alice, "")
	routed(http.MethodPost, l.Webhook, "", `{}`)
}

// TestCancelledDialogsAnswerEmptyAndChangeNothing: closing a dialog sends a cancelled
// submission; both dialog routes answer an empty object and change nothing, even when
// the submission names values that would otherwise be applied.
func TestCancelledDialogsAnswerEmptyAndChangeNothing(t *testing.T) {
	e := newGateEnv(t, "secret")
	admin := e.host.AddUser("admin", true)
	channel := e.card.ChannelId
	before := e.snapshot()
	for route, submission := range map[string]string{
		"/api/v1/channel-preference": `{"preference":"restrict"}`,
		"/api/v1/schedule/dialog":    `{"topic":"Planning","date":"2030-01-02","time":"10:00","duration":"30"}`,
	} {
		body := `{"user_id":"` + admin.Id + `","channel_id":"` + channel + `","state":"` + channel + `","cancelled":true,"submission":` + submission + `}`
		rec := e.serve(userRequest(http.MethodPost, route, admin.Id, body))
		if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{}` {
			t.Errorf("cancelled %s answered %d %s", route, rec.Code, rec.Body)
		}
	}
	if e.snapshot() != before {
		t.Fatal("a cancelled dialog changed KV or posts")
	}
}
