package api_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/api"
	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/app/apptest"
	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

const (
	benchWebhookSecret = "bench-webhook-secret"
	benchZoomSecret    = "bench-zoom-secret"
	benchMeetingID     = 84512367890
	benchMeetingUUID   = "/PpT+tUh6y9QtK5kryXZrQ=="
	benchURL           = "https://chat.example.com/webhook?secret=" + benchWebhookSecret
)

var benchEndedBody = []byte(`{"event":"meeting.ended","event_ts":1763913600123,"payload":{"account_id":"RT7-vfD3WtR7cNIvzXvliw",` +
	`"object":{"id":"` + strconv.Itoa(benchMeetingID) + `","uuid":"` + benchMeetingUUID + `","host_id":"z8yCxjabcdefghijklmnop",` +
	`"topic":"Design review","type":1,"start_time":"2025-11-23T15:00:00Z","timezone":"Europe/Berlin",` +
	`"duration":60,"end_time":"2025-11-23T15:47:12Z"}}}`)

// benchGate is the plugin's router over the in-memory host, with one meeting
// card that meeting.ended turns into a summary.
type benchGate struct {
	host   *apptest.Host
	router *api.Router
	card   *model.Post
}

func newBenchGate(b *testing.B) *benchGate {
	b.Helper()
	host := apptest.NewHost(nil)
	bot := host.AddUser("zoom", false)
	alice := host.AddUser("alice", false)
	channel := host.AddChannel("design", model.ChannelTypePrivate, alice)
	// Zoom is the simulator on loopback: follow-up work (attendee summaries)
	// may call it, and nothing may leave the machine.
	sim := zoomsim.New(zoomsim.Options{})
	b.Cleanup(sim.Close)
	a := app.New(app.Options{Host: host, BotUserID: bot.Id, HTTPClient: sim.HTTPClient()})
	b.Cleanup(a.StopJobs)
	s := &config.Settings{
		Configuration: config.Configuration{
			ZoomURL: sim.URL(), ZoomAPIURL: sim.APIURL(),
			OAuthClientID: "client-id", OAuthClientSecret: "client-secret",
			EncryptionKey: "0123456789abcdef0123456789abcdef", WebhookSecret: benchWebhookSecret,
			ZoomWebhookSecret: benchZoomSecret,
		},
		SiteURL: "https://chat.example.com",
	}
	if err := a.Configure(s); err != nil {
		b.Fatal(err)
	}
	card := &model.Post{UserId: alice.Id, ChannelId: channel.Id, Type: app.PostTypeMeeting, Message: "Meeting started"}
	card.AddProp("meeting_id", benchMeetingID)
	card.AddProp("meeting_uuid", benchMeetingUUID)
	card.AddProp("meeting_status", app.StatusStarted)
	card.AddProp("meeting_provider", "Zoom")
	created, appErr := host.CreatePost(card)
	if appErr != nil {
		b.Fatal(appErr)
	}
	if err := a.KV().SaveMeetingPost(benchMeetingUUID, created.Id); err != nil {
		b.Fatal(err)
	}
	return &benchGate{host: host, router: api.NewRouter(a, host), card: created}
}

// request builds a delivery as Zoom sends it; secret and zoomSecret may be
// wrong on purpose.
func benchRequest(url string, body []byte, zoomSecret string, ts time.Time) *http.Request {
	req := httptest.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("X-Zm-Request-Timestamp", stamp)
	req.Header.Set("X-Zm-Signature", zoom.Sign(zoomSecret, stamp, body))
	return req
}

func (g *benchGate) serve(b *testing.B, req *http.Request, want int) {
	rec := httptest.NewRecorder()
	g.router.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("answer %d, want %d: %s", rec.Code, want, rec.Body.String())
	}
}

// reopen puts the card back to STARTED (outside the timer), so the next
// meeting.ended does the full work of ending it.
func (g *benchGate) reopen(b *testing.B) {
	p := g.card.Clone()
	p.AddProp("meeting_status", app.StatusStarted)
	if _, appErr := g.host.UpdatePost(p); appErr != nil {
		b.Fatal(appErr)
	}
}

// BenchmarkWebhookGate serves webhook requests through the plugin's router
// (in process, no RPC): the refusals the gate makes before any work, URL
// validation, and meeting.ended ending a card or finding it already ended.
// The host is in memory, so this is the plugin's own cost per delivery (for
// meeting.ended, with the follow-up work it starts running alongside).
func BenchmarkWebhookGate(b *testing.B) {
	validation := []byte(`{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}`)
	cases := []struct {
		name   string
		url    string
		body   []byte
		secret string
		want   int
		reopen bool
	}{
		{"wrong_url_secret", "https://chat.example.com/webhook?secret=nope", benchEndedBody, benchZoomSecret, http.StatusUnauthorized, false},
		{"forged_signature", benchURL, benchEndedBody, "not the secret", http.StatusUnauthorized, false},
		{"url_validation", benchURL, validation, benchZoomSecret, http.StatusOK, false},
		{"meeting.ended_repeat", benchURL, benchEndedBody, benchZoomSecret, http.StatusOK, false},
		{"meeting.ended", benchURL, benchEndedBody, benchZoomSecret, http.StatusOK, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			g := newBenchGate(b)
			// One request, its body rewound per delivery: the loop times the
			// router, not building requests.
			req := benchRequest(c.url, c.body, c.secret, time.Now())
			g.serve(b, req, c.want)
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if c.reopen {
					b.StopTimer()
					g.reopen(b)
					b.StartTimer()
				}
				req.Body = io.NopCloser(bytes.NewReader(c.body))
				g.serve(b, req, c.want)
			}
			if c.reopen {
				if p, _ := g.host.GetPost(g.card.Id); p == nil || p.GetProp("meeting_status") != app.StatusEnded {
					b.Fatalf("the card did not end: %v", p)
				}
			}
		})
	}
}
