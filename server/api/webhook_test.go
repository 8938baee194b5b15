package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/api"
	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

const (
	webhookSecret = "webhook-secret"
	meetingID     = 84512367890
	meetingUUID   = "/PpT+tUh6y9QtK5kryXZrQ=="
	webhookURL    = "https://chat.example.com/webhook?secret=" + webhookSecret
)

// gateEnv is the plugin's router over an in-memory Mattermost, with one meeting card
// (meeting 84512367890) that a meeting.ended would end.
type gateEnv struct {
	t        testing.TB
	sim      *zoomsim.Server
	host     *devhosttest.Host
	app      *app.App
	router   *api.Router
	settings config.Settings
	card     *model.Post
}

func newGateEnv(t testing.TB, zoomSecret string) *gateEnv {
	t.Helper()
	sim := zoomsim.New(zoomsim.Options{})
	t.Cleanup(sim.Close)
	host := devhosttest.NewHost(nil)
	bot := host.AddUser("zoom", false)
	alice := host.AddUser("alice", false)
	channel := host.AddChannel("design", model.ChannelTypePrivate, alice)
	e := &gateEnv{t: t, sim: sim, host: host}
	e.settings = config.Settings{
		Configuration: config.Configuration{
			ZoomURL: sim.URL(), ZoomAPIURL: sim.APIURL(),
			OAuthClientID: "sim-client-id", OAuthClientSecret: "sim-client-secret",
			EncryptionKey: "0123456789abcdef0123456789abcdef", WebhookSecret: webhookSecret,
			ZoomWebhookSecret: zoomSecret,
		},
		SiteURL: "https://chat.example.com",
	}
	e.app = app.New(app.Options{Links: api.Links(), Host: host, BotUserID: bot.Id, HTTPClient: sim.HTTPClient()})
	t.Cleanup(e.app.StopJobs)
	e.configure()
	e.router = api.NewRouter(e.app, host)

	card := &model.Post{UserId: alice.Id, ChannelId: channel.Id, Type: app.PostTypeMeeting, Message: "Meeting started"}
	card.AddProp("meeting_id", meetingID)
	card.AddProp("meeting_uuid", meetingUUID)
	card.AddProp("meeting_status", app.StatusStarted)
	card.AddProp("meeting_provider", "Zoom")
	var appErr *model.AppError
	if e.card, appErr = host.CreatePost(card); appErr != nil {
		t.Fatal(appErr)
	}
	if err := store.NewKV(host).SaveMeetingPost(meetingUUID, e.card.Id); err != nil {
		t.Fatal(err)
	}
	return e
}

// configure publishes a fresh copy of the settings (a configuration change).
func (e *gateEnv) configure() {
	e.t.Helper()
	s := e.settings
	if err := e.app.Configure(&s); err != nil {
		e.t.Fatal(err)
	}
}

func (e *gateEnv) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.router.ServeHTTP(rec, req)
	return rec
}

// signed builds a delivery signed by the simulator (with Zoom's secret) at ts.
func (e *gateEnv) signed(url string, body []byte, ts time.Time) *http.Request {
	e.t.Helper()
	req, err := e.sim.SignedRequest(context.Background(), url, body, ts)
	if err != nil {
		e.t.Fatal(err)
	}
	return req
}

func (e *gateEnv) send(body []byte) *httptest.ResponseRecorder {
	return e.serve(e.signed(webhookURL, body, time.Now()))
}

// snapshot is everything a refused request must leave alone.
func (e *gateEnv) snapshot() string {
	var b strings.Builder
	raw := e.host.KV()
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q\n", k, raw[k])
	}
	for _, p := range e.host.ChannelPosts(e.card.ChannelId) {
		fmt.Fprintf(&b, "%s %d %v %q\n", p.Id, p.UpdateAt, p.GetProp("meeting_status"), p.Message)
	}
	return b.String()
}

// endTime is the end every meeting.ended here reports: after the card's creation, so
// the card's length is not clamped to zero.
var endTime = time.Now().Add(46 * time.Minute).Truncate(time.Second).UTC()

func endedBody() []byte {
	return fmt.Appendf(nil, `{"event":"meeting.ended","event_ts":%d,"payload":{"account_id":"RT7-vfD3WtR7cNIvzXvliw","object":{"id":"%d","uuid":%q,"host_id":"7ImKnOIj9cs8rPhnRsstmQ","topic":"Design sync","type":1,"start_time":%q,"end_time":%q,"timezone":"UTC","duration":46}}}`,
		time.Now().UnixMilli(), meetingID, meetingUUID, time.Now().UTC().Format(time.RFC3339), endTime.Format(time.RFC3339))
}

func TestRefusedWebhooksChangeNothing(t *testing.T) {
	e := newGateEnv(t, zoomsim.DefaultWebhookSecret)
	body := endedBody()
	stale := func(d time.Duration) *http.Request { return e.signed(webhookURL, body, time.Now().Add(d)) }
	cases := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"no secret", func() *http.Request { return e.signed("https://chat.example.com/webhook", body, time.Now()) }, 401},
		{"wrong secret", func() *http.Request { return e.signed(webhookURL+"x", body, time.Now()) }, 401},
		{"not json", func() *http.Request {
			r := e.signed(webhookURL, body, time.Now())
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, 400},
		{"no content type", func() *http.Request {
			r := e.signed(webhookURL, body, time.Now())
			r.Header.Del("Content-Type")
			return r
		}, 400},
		{"bad signature", func() *http.Request {
			r := e.signed(webhookURL, body, time.Now())
			r.Header.Set("X-Zm-Signature", zoom.Sign("not-the-secret", r.Header.Get("X-Zm-Request-Timestamp"), body))
			return r
		}, 401},
		{"body altered after signing", func() *http.Request {
			r := e.signed(webhookURL, body, time.Now())
			r.Body = io.NopCloser(bytes.NewReader(bytes.Replace(body, []byte(`"type":1`), []byte(`"type":2`), 1)))
			return r
		}, 401},
		{"stale timestamp", func() *http.Request { return stale(-6 * time.Minute) }, 401},
		{"future timestamp", func() *http.Request { return stale(6 * time.Minute) }, 401},
		{"missing signature", func() *http.Request {
			r := e.signed(webhookURL, body, time.Now())
			r.Header.Del("X-Zm-Signature")
			return r
		}, 401},
		{"missing timestamp", func() *http.Request {
			r := e.signed(webhookURL, body, time.Now())
			r.Header.Del("X-Zm-Request-Timestamp")
			return r
		}, 401},
		{"unsigned", func() *http.Request {
			r := e.signed(webhookURL, body, time.Now())
			r.Header.Del("X-Zm-Signature")
			r.Header.Del("X-Zm-Request-Timestamp")
			return r
		}, 401},
		{"malformed json", func() *http.Request { return e.signed(webhookURL, []byte(`{"event":`), time.Now()) }, 400},
	}
	before := e.snapshot()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if rec := e.serve(c.req()); rec.Code != c.want {
				t.Fatalf("answered %d %q, want %d", rec.Code, rec.Body.String(), c.want)
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("a refused request changed state:\n%s\nvs\n%s", before, after)
			}
		})
	}
	// The same event, properly signed, does end the card.
	if rec := e.send(body); rec.Code != http.StatusOK {
		t.Fatalf("valid delivery answered %d", rec.Code)
	}
	if p, _ := e.host.GetPost(e.card.Id); p.GetProp("meeting_status") != app.StatusEnded {
		t.Fatal("valid delivery did not end the card")
	}
}

// countingReader counts how much of a body the server read.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestOversizedBodyIs413AndNotReadPastTheLimit(t *testing.T) {
	e := newGateEnv(t, zoomsim.DefaultWebhookSecret)
	big := append(append([]byte(`{"event":"meeting.ended","pad":"`), bytes.Repeat([]byte("a"), 2<<20)...), `"}`...)
	for _, knownLength := range []bool{true, false} {
		before := e.snapshot()
		req := e.signed(webhookURL, big, time.Now())
		body := &countingReader{r: bytes.NewReader(big)}
		req.Body = io.NopCloser(body)
		if !knownLength {
			req.ContentLength = -1
		}
		if rec := e.serve(req); rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("known length %v: answered %d", knownLength, rec.Code)
		}
		if body.n > 1<<20+1 {
			t.Fatalf("known length %v: read %d bytes, past the 1 MiB limit", knownLength, body.n)
		}
		if e.snapshot() != before {
			t.Fatal("an oversized request changed state")
		}
	}
	// Exactly at the limit is fine (an unknown event, padded).
	pad := 1<<20 - len(`{"event":"x.y","pad":""}`)
	exact := append(append([]byte(`{"event":"x.y","pad":"`), bytes.Repeat([]byte("a"), pad)...), `"}`...)
	if rec := e.send(exact); rec.Code != http.StatusOK {
		t.Fatalf("a body of exactly 1 MiB answered %d", rec.Code)
	}
}

func TestURLValidation(t *testing.T) {
	e := newGateEnv(t, zoomsim.DefaultWebhookSecret)
	body := []byte(`{"payload":{"plainToken":"6uo0vwQRRGlyPw8LLUhehw"},"event_ts":1773157720874,"event":"endpoint.url_validation"}`)
	for name, req := range map[string]*http.Request{
		"signed":   e.signed(webhookURL, body, time.Now()),
		"unsigned": httptest.NewRequest(http.MethodPost, "/webhook?secret="+webhookSecret, bytes.NewReader(body)),
	} {
		req.Header.Set("Content-Type", "application/json")
		rec := e.serve(req)
		var got zoom.URLValidationResponse
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
			t.Fatalf("%s: %d %s", name, rec.Code, rec.Body)
		}
		if got.PlainToken != "6uo0vwQRRGlyPw8LLUhehw" || got.EncryptedToken != "7ba88265617403c58a97cf0e20d7b2923cc5475b4a42482fc3587e437a6b5cff" {
			t.Fatalf("%s: %+v", name, got)
		}
	}
	for _, token := range []string{`""`, `"has space"`, `"` + strings.Repeat("a", 200) + `"`, `"v0:123:{}"`, `123`} {
		bad := []byte(`{"event":"endpoint.url_validation","payload":{"plainToken":` + token + `}}`)
		if rec := e.send(bad); rec.Code != http.StatusBadRequest {
			t.Fatalf("plainToken %s answered %d", token, rec.Code)
		}
	}
	if rec := e.send([]byte(`{"event":"endpoint.url_validation"}`)); rec.Code != http.StatusBadRequest {
		t.Fatalf("missing payload answered %d", rec.Code)
	}
	if rec := e.serve(e.signed(webhookURL+"x", body, time.Now())); rec.Code != http.StatusUnauthorized {
		t.Fatalf("validation with a wrong URL secret answered %d", rec.Code)
	}
	forged := e.signed(webhookURL, body, time.Now())
	forged.Header.Set(zoom.HeaderSignature, "v0="+strings.Repeat("0", 64))
	if rec := e.serve(forged); rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "encryptedToken") {
		t.Fatalf("validation with a bad signature answered %d", rec.Code)
	}
}

func TestWithoutZoomSecretEverythingIsRefusedAndLoggedOncePerConfiguration(t *testing.T) {
	e := newGateEnv(t, "")
	validation := httptest.NewRequest(http.MethodPost, "/webhook?secret="+webhookSecret,
		strings.NewReader(`{"event":"endpoint.url_validation","payload":{"plainToken":"6uo0vwQRRGlyPw8LLUhehw"}}`))
	validation.Header.Set("Content-Type", "application/json")
	if rec := e.serve(validation); rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "encryptedToken") {
		t.Fatalf("url_validation without a secret answered %d %s", rec.Code, rec.Body)
	}
	signedValidation := e.signed(webhookURL, []byte(`{"event":"endpoint.url_validation","payload":{"plainToken":"6uo0vwQRRGlyPw8LLUhehw"}}`), time.Now())
	if rec := e.serve(signedValidation); rec.Code != http.StatusBadRequest {
		t.Fatalf("signed url_validation without a secret answered %d, want 400", rec.Code)
	}
	before := e.snapshot()
	refuseAll := func() {
		for range 3 {
			signed := e.send(endedBody())
			unsigned := httptest.NewRequest(http.MethodPost, "/webhook?secret="+webhookSecret, bytes.NewReader(endedBody()))
			unsigned.Header.Set("Content-Type", "application/json")
			if rec := e.serve(unsigned); signed.Code != http.StatusUnauthorized || rec.Code != http.StatusUnauthorized {
				t.Fatalf("answered %d (signed) and %d (unsigned), want 401", signed.Code, rec.Code)
			}
		}
	}
	refuseAll()
	if n := e.refusalLogs(); n != 1 {
		t.Fatalf("logged %d times, want once", n)
	}
	e.configure() // a configuration change (still without the secret) says it again, once
	refuseAll()
	if n := e.refusalLogs(); n != 2 {
		t.Fatalf("logged %d times after reconfiguring, want 2", n)
	}
	if e.snapshot() != before {
		t.Fatal("a refused webhook changed state")
	}
	if d := e.app.Diagnostics(); d.Refusals == 0 || !strings.Contains(d.LastRefusal, "ZoomWebhookSecret") {
		t.Fatalf("diagnostics: %d %q", d.Refusals, d.LastRefusal)
	}
}

func (e *gateEnv) refusalLogs() int {
	n := 0
	for _, l := range e.host.Logs() {
		if strings.Contains(l.Message, "Refusing Zoom webhooks") {
			n++
		}
	}
	return n
}

func TestUnknownEventsAndMeetingsAnswerWithoutServerErrors(t *testing.T) {
	e := newGateEnv(t, zoomsim.DefaultWebhookSecret)
	for _, body := range []string{
		`{"event":"meeting.participant_joined","payload":{"object":{"id":"1","uuid":"u","participant":{"user_name":"x"}}}}`,
		`{"event":"something.new","payload":{}}`,
		`{"event":"meeting.ended","payload":{"object":{"id":"99999999999","uuid":"nope/=="}}}`,
		`{"event":"meeting.started","payload":{"object":{"id":"99999999999","uuid":"nope/=="}}}`,
		`{"event":"recording.completed","payload":{"object":{"id":99999999999,"uuid":"nope/==","recording_files":[]}}}`,
	} {
		if rec := e.send([]byte(body)); rec.Code >= 500 || (rec.Code != http.StatusOK && rec.Code != http.StatusNotFound) {
			t.Fatalf("%s answered %d", body, rec.Code)
		}
	}
	if p, _ := e.host.GetPost(e.card.Id); p.GetProp("meeting_status") != app.StatusStarted {
		t.Fatal("an unrelated event changed the card")
	}
}

func TestWebhookThroughTheRouterEndsCardOnceAndHandlesRetries(t *testing.T) {
	e := newGateEnv(t, zoomsim.DefaultWebhookSecret)
	body := endedBody()
	if rec := e.send(body); rec.Code != http.StatusOK {
		t.Fatalf("answered %d", rec.Code)
	}
	// The attendee line is written by a follow-up off the request path; stop it (it
	// either ran or never will) so only the retry's own effect is measured below.
	e.app.StopLiveUpdates()
	first, _ := e.host.GetPost(e.card.Id)
	updates := e.host.Calls()["UpdatePost"]
	if first.GetProp("meeting_status") != app.StatusEnded || first.GetProp("meeting_end_time") != float64(endTime.UnixMilli()) || updates < 1 {
		t.Fatalf("card: %v (%d updates)", first.GetProps(), updates)
	}
	if rec := e.send(body); rec.Code != http.StatusOK { // Zoom's retry of the same event
		t.Fatalf("retry answered %d", rec.Code)
	}
	again, _ := e.host.GetPost(e.card.Id)
	if got := e.host.Calls()["UpdatePost"]; got != updates || again.UpdateAt != first.UpdateAt {
		t.Fatalf("the retry updated the ended card again (%d updates before, %d after)", updates, got)
	}
}

// brokenPosts is the test host while the database refuses post updates.
type brokenPosts struct{ *devhosttest.Host }

func (brokenPosts) UpdatePost(*model.Post) (*model.Post, *model.AppError) {
	return nil, model.NewAppError("UpdatePost", "store.unavailable", nil, "", http.StatusInternalServerError)
}

func TestWebhookAsksZoomToRetryWhenTheCardCannotBeWritten(t *testing.T) {
	e := newGateEnv(t, zoomsim.DefaultWebhookSecret)
	bot, appErr := e.host.GetUserByUsername("zoom")
	if appErr != nil {
		t.Fatal(appErr)
	}
	broken := app.New(app.Options{Links: api.Links(), Host: brokenPosts{e.host}, BotUserID: bot.Id, HTTPClient: e.sim.HTTPClient()})
	t.Cleanup(broken.StopJobs)
	s := e.settings
	if err := broken.Configure(&s); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	api.NewRouter(broken, e.host).ServeHTTP(rec, e.signed(webhookURL, endedBody(), time.Now()))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("a failed card write answered %d, want 503 so Zoom retries", rec.Code)
	}
	// Zoom's retry reaches a node whose database works again.
	if rec := e.send(endedBody()); rec.Code != http.StatusOK {
		t.Fatalf("retry answered %d", rec.Code)
	}
	if got, _ := e.host.GetPost(e.card.Id); got.GetProp("meeting_status") != app.StatusEnded {
		t.Fatalf("the retry did not end the card: %v", got.GetProps())
	}
}
