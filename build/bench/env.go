package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"time"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// env is one devhost running the real bundle against its own simulator.
type env struct {
	h   *devhost.Host
	sim *zoomsim.Server
	// hook is a client for webhook deliveries with enough idle connections for
	// the concurrent phases, so the figures measure the plugin, not TCP setup.
	hook    *http.Client
	hookURL string // the plugin's webhook URL with its secret
}

// startEnv installs and activates the bundle; settings overlay the devhost's
// configuration against the simulator. Every demo user gets a Zoom account.
// The host's and the plugin's log go to log.
func startEnv(bundle string, settings map[string]any, log io.Writer) (*env, error) {
	sim := zoomsim.New(zoomsim.Options{})
	h, err := devhost.Start(devhost.Options{Bundle: bundle, Addr: "127.0.0.1:0", Sim: sim, Settings: settings, LogOutput: log})
	if err != nil {
		sim.Close()
		return nil, err
	}
	for _, name := range devhost.DemoUsers {
		u := h.User(name)
		h.AddZoomUser(zoomsim.User{Email: u.Email, FirstName: u.FirstName, LastName: u.LastName})
	}
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}
	return &env{h: h, sim: sim, hook: &http.Client{Transport: tr, Timeout: 30 * time.Second}, hookURL: h.WebhookURL()}, nil
}

func (e *env) close() {
	e.hook.CloseIdleConnections()
	e.h.Close()
	e.sim.Close()
}

func (e *env) userID(name string) string    { return e.h.User(name).Id }
func (e *env) channelID(name string) string { return e.h.Channel(name).Id }

// connect runs the OAuth flow in a logged-in browser session: the plugin's
// /oauth2/connect, the simulator's authorize page (signed in as the user's
// Zoom account) and back to /oauth2/complete.
func (e *env) connect(name string) error {
	u := e.h.User(name)
	e.sim.SetLoginUser(u.Email)
	defer e.sim.SetLoginUser("")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: e.sim.HTTPClient().Transport, Timeout: 30 * time.Second}
	resp, err := c.Post(e.h.URL()+"/devhost/login", "application/json", strings.NewReader(fmt.Sprintf(`{"user_id":%q}`, u.Id)))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("login as %s: %d", name, resp.StatusCode)
	}
	resp, err = c.Get(e.h.URL() + "/plugins/zoom/oauth2/connect")
	if err != nil {
		return fmt.Errorf("connect %s: %w", name, err)
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("connect %s ended at %s with %d: %.200s", name, resp.Request.URL, resp.StatusCode, b)
	}
	return nil
}

// preferUniqueIDs answers the meeting ID question for good ("No"), as the
// user would in /zoom settings, so /zoom start creates a meeting at once.
func (e *env) preferUniqueIDs(name string) error {
	return e.h.KVSet("zoomUserPreference_"+e.userID(name), []byte("false"))
}

// quietChannels moves the host's clock an hour back, so every card is older
// than the 30-second recent-meeting guard when the next start looks. Each
// start then takes the path of a start in a channel with no recent meeting,
// as if the starts were spread out in time, while all use one channel.
func (e *env) quietChannels() {
	e.h.Store().SetNow(func() time.Time { return time.Now().Add(-time.Hour) })
}

// startMeeting runs /zoom start as user in channel and returns the card's
// meeting id.
func (e *env) startMeeting(user, channel string) (int64, error) {
	// Only the posts this start made: copying the whole channel twice per start would
	// make preparing thousands of cards quadratic in the bench itself.
	before := e.h.Store().PostCount(e.channelID(channel))
	if _, err := e.h.ExecuteCommand(e.userID(user), e.channelID(channel), "", "/zoom start bench"); err != nil {
		return 0, err
	}
	posts := e.h.Store().PostsAfter(e.channelID(channel), before)
	for i := len(posts) - 1; i >= 0; i-- {
		if posts[i].Type == "custom_zoom" {
			if id, ok := asInt64(posts[i].GetProp("meeting_id")); ok {
				return id, nil
			}
		}
	}
	var msgs []string
	for _, p := range e.h.Ephemerals(e.userID(user)) {
		msgs = append(msgs, p.Message)
	}
	last := ""
	if len(msgs) > 0 {
		last = msgs[len(msgs)-1]
	}
	return 0, fmt.Errorf("/zoom start posted no card; last reply: %.200q", last)
}

// webhook delivers body signed like Zoom and returns the status and the time
// until the whole answer was read.
func (e *env) webhook(body []byte) (int, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := e.sim.SignedRequest(ctx, e.hookURL, body, time.Now())
	if err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	resp, err := e.hook.Do(req)
	if err != nil {
		return 0, time.Since(t0), err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode, time.Since(t0), nil
}

func asInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), true
	case interface{ Int64() (int64, error) }:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}
