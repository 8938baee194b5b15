package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// world is one test's Mattermost (in memory), Zoom (the simulator) and plugin (App).
type world struct {
	t        *testing.T
	host     *devhosttest.Host
	sim      *zoomsim.Server
	app      *App
	settings *config.Settings
	bot      *model.User
	admin    *model.User
	alice    *model.User
	bob      *model.User
	private  *model.Channel // alice, bob, admin
	public   *model.Channel // alice, bob, admin
	ctx      context.Context
}

type worldOption func(*config.Settings)

func accountLevel(s *config.Settings) { s.AccountLevelApp = true }

func restrictPublic(s *config.Settings) { s.RestrictMeetingCreation = true }

func newWorld(t *testing.T, opts ...worldOption) *world {
	t.Helper()
	sim := zoomsim.New(zoomsim.Options{})
	t.Cleanup(sim.Close)
	host := devhosttest.NewHost(nil)
	w := &world{t: t, host: host, sim: sim, ctx: context.Background()}
	w.bot = host.AddUser("zoom", false)
	w.admin = host.AddUser("admin", true)
	w.alice = host.AddUser("alice", false)
	w.bob = host.AddUser("bob", false)
	w.private = host.AddChannel("design", model.ChannelTypePrivate, w.alice, w.bob, w.admin)
	w.public = host.AddChannel("town-square", model.ChannelTypeOpen, w.alice, w.bob, w.admin)
	sim.AddUser(zoomsim.User{Email: "alice@example.com", FirstName: "Alice", PMI: 7391846250})
	sim.AddUser(zoomsim.User{Email: "bob@example.com", FirstName: "Bob"})
	sim.AddUser(zoomsim.User{Email: "admin@example.com", FirstName: "Admin"})
	w.settings = &config.Settings{
		Configuration: config.Configuration{
			ZoomURL: sim.URL(), ZoomAPIURL: sim.APIURL(),
			OAuthClientID: "sim-client-id", OAuthClientSecret: "sim-client-secret",
			EncryptionKey: "0123456789abcdef0123456789abcdef", WebhookSecret: "webhook-secret",
			ZoomWebhookSecret: "Sim_Webhook_Secret_Token",
		},
		SiteURL: "https://chat.example.com",
	}
	for _, o := range opts {
		o(w.settings)
	}
	w.app = w.newInstance(host)
	return w
}

// newInstance builds another plugin process on the given host (share the host's KV to
// play a cluster node).
func (w *world) newInstance(host *devhosttest.Host) *App {
	return w.instance(host, w.sim.HTTPClient())
}

// instance is a plugin process that reaches Mattermost through host and Zoom through
// client, for tests that put a fault or a hook in either path.
func (w *world) instance(host Host, client *http.Client) *App {
	w.t.Helper()
	a := New(Options{Host: host, BotUserID: w.bot.Id, HTTPClient: client, Links: testLinks})
	if err := a.Configure(w.settings); err != nil {
		w.t.Fatalf("Configure: %v", err)
	}
	w.t.Cleanup(a.StopJobs)
	// Card updates run when a test fires them (w.fireTimers), never on their own.
	a.live.afterFunc = w.timers().afterFunc
	w.t.Cleanup(a.StopLiveUpdates)
	return a
}

// connect runs the whole OAuth flow for user as the given Zoom email.
func (w *world) connect(a *App, user *model.User, zoomEmail string) error {
	w.t.Helper()
	authorize, err := a.BeginConnect(user.Id, w.private.Id, false)
	if err != nil {
		return err
	}
	code, state := w.authorize(authorize, zoomEmail)
	return a.CompleteConnect(w.ctx, user.Id, code, state)
}

// authorize plays the browser at Zoom's authorize page and returns code and state.
func (w *world) authorize(authorizeURL, zoomEmail string) (string, string) {
	w.t.Helper()
	w.sim.SetLoginUser(zoomEmail)
	client := *w.sim.HTTPClient()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Get(authorizeURL)
	if err != nil {
		w.t.Fatalf("authorize: %v", err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		w.t.Fatalf("authorize answered %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got, want := loc.Scheme+"://"+loc.Host+loc.Path, w.settings.PluginURL()+testLinks.OAuthComplete; got != want {
		w.t.Fatalf("redirected to %s, want %s", got, want)
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

func (w *world) mustConnect(user *model.User, email string) {
	w.t.Helper()
	if err := w.connect(w.app, user, email); err != nil {
		w.t.Fatalf("connect %s: %v", email, err)
	}
}

func (w *world) setPreference(user *model.User, pref string) {
	w.t.Helper()
	if err := w.app.kv.SetUserPreference(user.Id, pref); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) start(user *model.User, channel *model.Channel) (StartResult, error) {
	return w.app.StartMeeting(w.ctx, StartRequest{UserID: user.Id, ChannelID: channel.Id, Topic: "Design sync"})
}

func (w *world) cards(channel *model.Channel) []*model.Post {
	var out []*model.Post
	for _, p := range w.host.ChannelPosts(channel.Id) {
		if p.Type == PostTypeMeeting {
			out = append(out, p)
		}
	}
	return out
}

// lastEvent is the newest websocket event of that name (plugin events are
// custom_zoom_<event>, as clients get them).
func (w *world) lastEvent(name string) devhost.Event {
	w.t.Helper()
	events := w.host.Events()
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Event == name {
			return events[i]
		}
	}
	w.t.Fatalf("no %s event among %d", name, len(events))
	return devhost.Event{}
}

// advance moves the plugin's clock (the guard window) forward.
func (w *world) advance(a *App, d time.Duration) {
	base := a.now()
	a.now = func() time.Time { return base.Add(d) }
}

var _ = store.PreferencePMI

// testLinks are the route URLs the api package hands the app in production (api.Links;
// this package cannot import api). The api tests check that the real ones are routed.
var testLinks = Links{
	AskPMI:            "/plugins/zoom/api/v1/askPMI",
	UpdatePMI:         "/plugins/zoom/api/v1/updatePMI",
	ConfirmStart:      "/plugins/zoom/api/v1/confirm-start",
	Share:             "/plugins/zoom/api/v1/share",
	ChannelPreference: "/plugins/zoom/api/v1/channel-preference",
	ScheduleCancel:    "/plugins/zoom/api/v1/schedule/cancel",
	ScheduleDialog:    "/plugins/zoom/api/v1/schedule/dialog",
	Connect:           "/oauth2/connect",
	OAuthComplete:     "/oauth2/complete",
	Webhook:           "/webhook",
}
