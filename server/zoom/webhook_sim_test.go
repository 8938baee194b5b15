package zoom_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// receiver records webhook deliveries the way the plugin's endpoint sees them.
type delivery struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) (string, chan delivery) {
	got := make(chan delivery, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- delivery{r.Header.Clone(), b}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/plugins/zoom/webhook?secret=x", got
}

func TestSignedWebhooksVerify(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.connect(t, "alice@example.com").AccessToken
	m, err := e.api.CreateMeeting(ctx, tok, "me", zoom.CreateMeetingRequest{Topic: "Design sync", Type: zoom.MeetingTypeInstant})
	if err != nil {
		t.Fatal(err)
	}
	url, got := newReceiver(t)
	started, err := e.sim.StartMeeting(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.sim.SendWebhook(ctx, url, started)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	d := <-got
	h := d.header
	if h.Get("Content-Type") != "application/json; charset=utf-8" || h.Get("User-Agent") != "Zoom Marketplace/1.0a" ||
		h.Get("Clientid") != "sim-client-id" || h.Get("X-Zm-Trackingid") == "" {
		t.Fatalf("headers %v", h)
	}
	if !bytes.Equal(d.body, started) {
		t.Fatal("body changed in transit")
	}
	if err := zoom.VerifySignature(e.sim.WebhookSecret(), h.Get(zoom.HeaderTimestamp), h.Get(zoom.HeaderSignature), d.body, time.Now()); err != nil {
		t.Fatalf("signature: %v", err)
	}
	if err := zoom.VerifySignature("another secret", h.Get(zoom.HeaderTimestamp), h.Get(zoom.HeaderSignature), d.body, time.Now()); !errors.Is(err, zoom.ErrBadSignature) {
		t.Fatalf("wrong secret: %v", err)
	}
	ev, err := zoom.ParseEvent(d.body)
	if err != nil {
		t.Fatal(err)
	}
	mp, err := ev.Meeting()
	if err != nil || ev.Event != zoom.EventMeetingStarted || int64(mp.Object.ID) != m.ID || mp.Object.UUID != m.UUID || mp.Object.HostID != e.alice.ID {
		t.Fatalf("%+v %v", mp, err)
	}
	// meeting.* events carry the id as a string, like Zoom's.
	if !strings.Contains(string(started), `"id":"`+jsonNumber(m.ID)+`"`) {
		t.Fatalf("id not a string: %s", started)
	}

	// A stale timestamp is what a replay looks like.
	old, err := e.sim.SignedRequest(ctx, url, started, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := zoom.VerifySignature(e.sim.WebhookSecret(), old.Header.Get(zoom.HeaderTimestamp), old.Header.Get(zoom.HeaderSignature), started, time.Now()); !errors.Is(err, zoom.ErrStaleTimestamp) {
		t.Fatalf("stale: %v", err)
	}

	ended, err := e.sim.EndMeeting(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ = zoom.ParseEvent(ended)
	if mp, err := ev.Meeting(); err != nil || ev.Event != zoom.EventMeetingEnded || mp.Object.EndTime == "" || mp.Object.UUID != m.UUID {
		t.Fatalf("ended %+v %v", mp, err)
	}
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestPersonalRoomEventsUsePMI(t *testing.T) {
	e := newEnv(t)
	tok := e.connect(t, "alice@example.com").AccessToken
	m, err := e.api.CreateMeeting(context.Background(), tok, "me", zoom.CreateMeetingRequest{Topic: "PMI", Type: zoom.MeetingTypeInstant,
		Settings: &zoom.MeetingSettings{UsePMI: true}})
	if err != nil {
		t.Fatal(err)
	}
	body, err := e.sim.StartMeeting(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := zoom.ParseEvent(body)
	mp, err := ev.Meeting()
	if err != nil || mp.Object.ID != 7391846250 || mp.Object.Type != zoom.MeetingTypePersonal || mp.Object.UUID == m.UUID {
		t.Fatalf("%+v %v", mp, err)
	}
}

func TestParticipantEvent(t *testing.T) {
	e := newEnv(t)
	tok := e.connect(t, "alice@example.com").AccessToken
	m, _ := e.api.CreateMeeting(context.Background(), tok, "me", zoom.CreateMeetingRequest{Topic: "x", Type: 1})
	if _, err := e.sim.StartMeeting(m.ID); err != nil {
		t.Fatal(err)
	}
	body, err := e.sim.ParticipantEvent(m.ID, zoom.EventParticipantJoined, zoom.Participant{UserName: "Bob", Email: "bob@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := zoom.ParseEvent(body)
	p, err := ev.Participant()
	if err != nil || int64(p.Object.ID) != m.ID || p.Object.Participant.UserName != "Bob" || p.Object.Participant.JoinTime == "" {
		t.Fatalf("%+v %v", p, err)
	}
}

func TestRecordingDownloads(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.connect(t, "alice@example.com").AccessToken
	m, _ := e.api.CreateMeeting(ctx, tok, "me", zoom.CreateMeetingRequest{Topic: "Design sync", Type: 1})
	if _, err := e.sim.StartMeeting(m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sim.EndMeeting(m.ID); err != nil {
		t.Fatal(err)
	}
	body, err := e.sim.CompleteRecording(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := zoom.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := ev.Recording()
	if err != nil {
		t.Fatal(err)
	}
	if int64(rec.Object.ID) != m.ID || rec.Object.UUID != m.UUID || ev.DownloadToken == "" || len(rec.Object.RecordingFiles) != 4 {
		t.Fatalf("%+v", rec)
	}
	files := map[string]zoom.RecordingFile{}
	for _, f := range rec.Object.RecordingFiles {
		files[f.RecordingType] = f
		if f.MeetingID != m.UUID || f.Status != "completed" || !strings.HasPrefix(f.DownloadURL, e.sim.URL()+"/rec/webhook_download/") {
			t.Fatalf("file %+v", f)
		}
	}
	chat := files["chat_file"]
	if chat.FileType != "CHAT" || chat.FileExtension != "TXT" || files["timeline"].PlayURL != "" ||
		!strings.HasPrefix(files["shared_screen_with_speaker_view"].PlayURL, e.sim.URL()+"/rec/play/") {
		t.Fatalf("files %+v", files)
	}

	cases := []struct {
		name  string
		url   string
		token string
		max   int64
		check func(t *testing.T, data []byte, err error)
	}{
		{"with token", chat.DownloadURL, ev.DownloadToken, 10 << 20, func(t *testing.T, data []byte, err error) {
			if err != nil || int64(len(data)) != chat.FileSize || !strings.Contains(string(data), "Design sync") {
				t.Fatalf("%q %v", data, err)
			}
		}},
		{"exactly at the limit", chat.DownloadURL, ev.DownloadToken, chat.FileSize, func(t *testing.T, data []byte, err error) {
			if err != nil {
				t.Fatal(err)
			}
		}},
		{"one byte over the limit", chat.DownloadURL, ev.DownloadToken, chat.FileSize - 1, func(t *testing.T, data []byte, err error) {
			if !errors.Is(err, zoom.ErrTooLarge) || data != nil {
				t.Fatalf("%v", err)
			}
		}},
		{"without token", chat.DownloadURL, "", 10 << 20, func(t *testing.T, data []byte, err error) {
			if ae := apiError(t, err); ae.StatusCode != 401 {
				t.Fatalf("%+v", ae)
			}
		}},
		{"with an access token instead", chat.DownloadURL, tok, 10 << 20, func(t *testing.T, data []byte, err error) {
			if ae := apiError(t, err); ae.StatusCode != 401 {
				t.Fatalf("%+v", ae)
			}
		}},
		{"plain http refused", strings.Replace(chat.DownloadURL, "https://", "http://", 1), ev.DownloadToken, 10 << 20,
			func(t *testing.T, data []byte, err error) {
				if err == nil {
					t.Fatal("http download allowed")
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.sim.ResetCalls()
			data, err := e.api.Download(ctx, c.url, c.token, c.max, nil)
			c.check(t, data, err)
			if strings.HasPrefix(c.url, "http://") && len(e.sim.Calls()) != 0 {
				t.Fatal("refused download still reached the server")
			}
		})
	}

	t.Run("transcript", func(t *testing.T) {
		body, err := e.sim.CompleteTranscript(m.ID)
		if err != nil {
			t.Fatal(err)
		}
		ev, _ := zoom.ParseEvent(body)
		rec, err := ev.Recording()
		if err != nil || ev.Event != zoom.EventRecordingTranscriptCompleted || len(rec.Object.RecordingFiles) != 1 {
			t.Fatalf("%+v %v", rec, err)
		}
		f := rec.Object.RecordingFiles[0]
		data, err := e.api.Download(ctx, f.DownloadURL, ev.DownloadToken, 1<<20, nil)
		if err != nil || !strings.HasPrefix(string(data), "WEBVTT") || f.FileExtension != "VTT" || f.RecordingType != "audio_transcript" {
			t.Fatalf("%q %v", data, err)
		}
	})

	t.Run("slow download gives way to the caller's deadline", func(t *testing.T) {
		e.sim.SetDownloadDelay(time.Hour)
		defer e.sim.SetDownloadDelay(0)
		dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if data, err := e.api.Download(dctx, chat.DownloadURL, ev.DownloadToken, 1<<20, nil); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%q %v %v", data, err, e.sim.Calls())
		}
	})
}
