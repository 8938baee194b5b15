//go:build e2e

// Package e2e loads the real plugin bundle with Mattermost's own loader (via
// build/devhost) and talks to it over the real RPC boundary, with Zoom played
// by the simulator over HTTPS. Run with `make e2e` (ZOOM_BUNDLE = the bundle).
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// alicePMI is alice's personal meeting id in the simulator.
const alicePMI = 4155550123

// bundle returns ZOOM_BUNDLE or fails the test saying how to get one.
func bundle(t testing.TB) string {
	t.Helper()
	b := os.Getenv("ZOOM_BUNDLE")
	if b == "" {
		t.Fatal("ZOOM_BUNDLE is not set: run `make e2e` (it builds the bundle with `make dist`), " +
			"or set ZOOM_BUNDLE to the absolute path of dist/zoom-<version>.tar.gz")
	}
	if _, err := os.Stat(b); err != nil {
		t.Fatalf("ZOOM_BUNDLE=%s: %v (run `make dist`)", b, err)
	}
	return b
}

// env is one devhost running the real plugin, with its simulator.
type env struct {
	t   testing.TB
	h   *devhost.Host
	sim *zoomsim.Server
}

// start runs the bundle against a fresh simulator holding Zoom users for the
// demo users; settings overlay the default (simulator) configuration.
func start(t testing.TB, settings map[string]any) *env {
	t.Helper()
	sim := zoomsim.New(zoomsim.Options{})
	t.Cleanup(sim.Close)
	h, err := devhost.Start(devhost.Options{
		Bundle:    bundle(t),
		Addr:      "127.0.0.1:0",
		Sim:       sim,
		Settings:  settings,
		LogOutput: newTestLog(t),
	})
	if err != nil {
		t.Fatalf("devhost.Start: %v", err)
	}
	t.Cleanup(h.Close)
	for _, name := range devhost.DemoUsers {
		u := h.User(name)
		zu := zoomsim.User{Email: u.Email, FirstName: u.FirstName, LastName: u.LastName}
		if name == "alice" {
			zu.PMI = alicePMI
		}
		h.AddZoomUser(zu)
	}
	return &env{t: t, h: h, sim: sim}
}

func (e *env) userID(name string) string {
	u := e.h.User(name)
	if u == nil {
		e.t.Fatalf("no user %s", name)
	}
	return u.Id
}

func (e *env) channelID(name string) string {
	c := e.h.Channel(name)
	if c == nil {
		e.t.Fatalf("no channel %s", name)
	}
	return c.Id
}

// command runs a slash command as user in channel.
func (e *env) command(user, channel, text string) *model.CommandResponse {
	e.t.Helper()
	resp, err := e.h.ExecuteCommand(e.userID(user), e.channelID(channel), "", text)
	if err != nil {
		e.t.Fatalf("%s: %v", text, err)
	}
	return resp
}

// ephemeralText joins the messages of the ephemeral posts user has seen.
func (e *env) ephemeralText(user string) string {
	var b strings.Builder
	for _, p := range e.h.Ephemerals(e.userID(user)) {
		b.WriteString(p.Message)
		b.WriteString("\n")
	}
	return b.String()
}

// waitFor waits (on store changes, never a timer) until cond holds.
func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.h.WaitFor(ctx, cond); err != nil {
		e.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// do sends a request through the devhost's routing as user ("" = anonymous)
// and returns the status and body.
func (e *env) do(method, path, user string, body string, header http.Header) (int, string) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	uid := ""
	if user != "" {
		uid = e.userID(user)
	}
	resp := e.h.RequestWithHeaders(method, path, uid, r, header)
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b)
}

// browser is an HTTP client logged in to the devhost as user (cookies, as
// the webapp), that trusts the simulator and follows redirects across both.
func (e *env) browser(user string) *http.Client {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: e.sim.HTTPClient().Transport, Timeout: 30 * time.Second}
	body := fmt.Sprintf(`{"user_id":%q}`, e.userID(user))
	resp, err := c.Post(e.h.URL()+"/devhost/login", "application/json", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		e.t.Fatalf("login as %s: %d", user, resp.StatusCode)
	}
	return c
}

// connect drives the OAuth flow in a browser and requires a stored user token.
func (e *env) connect(user string) {
	e.t.Helper()
	if status, page := e.oauth(user); status != http.StatusOK {
		e.t.Fatalf("connect %s: %d %s", user, status, page)
	}
	if e.h.KVGet("zoomtoken_"+e.userID(user)) == nil {
		e.t.Fatalf("connect %s: no token stored", user)
	}
}

// oauth drives /oauth2/connect → simulator authorize (signed in as the user's
// Zoom account) → /oauth2/complete in a browser, and returns the status and
// page the flow ends on (failing if it ends anywhere but a plugin page).
func (e *env) oauth(user string) (int, string) {
	e.t.Helper()
	return e.oauthFrom(user, e.h.URL()+"/plugins/zoom/oauth2/connect")
}

// oauthFrom is oauth starting at a connect link the plugin gave the user.
func (e *env) oauthFrom(user, link string) (int, string) {
	e.t.Helper()
	e.sim.SetLoginUser(e.h.User(user).Email)
	defer e.sim.SetLoginUser("")
	c := e.browser(user)
	resp, err := c.Get(link)
	if err != nil {
		e.t.Fatalf("connect %s: %v", user, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(resp.Request.URL.String(), e.h.URL()+"/plugins/zoom/oauth2/") {
		e.t.Fatalf("connect %s ended at %s with %d: %s", user, resp.Request.URL, resp.StatusCode, b)
	}
	return resp.StatusCode, string(b)
}

// startMeeting calls the webapp's route as user and returns the decoded answer.
func (e *env) startMeeting(user, channel, usePMI string) (int, map[string]any) {
	e.t.Helper()
	body := fmt.Sprintf(`{"channel_id":%q,"root_id":"","topic":"","use_pmi":%q}`, e.channelID(channel), usePMI)
	status, raw := e.do("POST", "/plugins/zoom/api/v1/meetings", user, body, nil)
	var out map[string]any
	_ = json.Unmarshal([]byte(raw), &out)
	return status, out
}

// lastCard is the newest stored custom_zoom post of a channel (nil if none).
func (e *env) lastCard(channel string) *model.Post {
	posts := e.h.Posts(e.channelID(channel))
	for i := len(posts) - 1; i >= 0; i-- {
		if posts[i].Type == "custom_zoom" {
			return posts[i]
		}
	}
	return nil
}

// webhook signs body like Zoom and sends it to the plugin; returns status and body.
func (e *env) webhook(body []byte) (int, string) {
	e.t.Helper()
	resp, err := e.h.SendWebhook(body)
	if err != nil {
		e.t.Fatalf("webhook: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// testLog sends the host's log to t.Log in verbose runs (and never after the test).
type testLog struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func newTestLog(t testing.TB) *testLog {
	l := &testLog{t: t}
	t.Cleanup(func() {
		l.mu.Lock()
		l.done = true
		l.mu.Unlock()
	})
	return l
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done && testing.Verbose() {
		l.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}
