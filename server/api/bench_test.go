package api_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// benchEndedBody ends the gate environment's card (meetingID, meetingUUID).
var benchEndedBody = []byte(`{"event":"meeting.ended","event_ts":1763913600123,"payload":{"account_id":"RT7-vfD3WtR7cNIvzXvliw",` +
	`"object":{"id":"` + strconv.Itoa(meetingID) + `","uuid":"` + meetingUUID + `","host_id":"z8yCxjabcdefghijklmnop",` +
	`"topic":"Design review","type":1,"start_time":"2025-11-23T15:00:00Z","timezone":"Europe/Berlin",` +
	`"duration":60,"end_time":"2025-11-23T15:47:12Z"}}}`)

// benchRequest builds a delivery as Zoom sends it; the URL secret and zoomSecret may
// be wrong on purpose.
func benchRequest(url string, body []byte, zoomSecret string, ts time.Time) *http.Request {
	req := httptest.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("X-Zm-Request-Timestamp", stamp)
	req.Header.Set("X-Zm-Signature", zoom.Sign(zoomSecret, stamp, body))
	return req
}

func serveBench(b *testing.B, e *gateEnv, req *http.Request, want int) {
	rec := e.serve(req)
	if rec.Code != want {
		b.Fatalf("answer %d, want %d: %s", rec.Code, want, rec.Body.String())
	}
}

// reopen puts the card back to STARTED (outside the timer), so the next
// meeting.ended does the full work of ending it.
func reopen(b *testing.B, e *gateEnv) {
	p := e.card.Clone()
	p.AddProp("meeting_status", app.StatusStarted)
	if _, appErr := e.host.UpdatePost(p); appErr != nil {
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
		{"wrong_url_secret", "https://chat.example.com/webhook?secret=nope", benchEndedBody, zoomsim.DefaultWebhookSecret, http.StatusUnauthorized, false},
		{"forged_signature", webhookURL, benchEndedBody, "not the secret", http.StatusUnauthorized, false},
		{"url_validation", webhookURL, validation, zoomsim.DefaultWebhookSecret, http.StatusOK, false},
		{"meeting.ended_repeat", webhookURL, benchEndedBody, zoomsim.DefaultWebhookSecret, http.StatusOK, false},
		{"meeting.ended", webhookURL, benchEndedBody, zoomsim.DefaultWebhookSecret, http.StatusOK, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			g := newGateEnv(b, zoomsim.DefaultWebhookSecret)
			// One request, its body rewound per delivery: the loop times the
			// router, not building requests.
			req := benchRequest(c.url, c.body, c.secret, time.Now())
			serveBench(b, g, req, c.want)
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if c.reopen {
					b.StopTimer()
					reopen(b, g)
					b.StartTimer()
				}
				req.Body = io.NopCloser(bytes.NewReader(c.body))
				serveBench(b, g, req, c.want)
			}
			if c.reopen {
				if p, _ := g.host.GetPost(g.card.Id); p == nil || p.GetProp("meeting_status") != app.StatusEnded {
					b.Fatalf("the card did not end: %v", p)
				}
			}
		})
	}
}
