package zoom_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Webhook bodies shaped like Zoom's (ids, uuids, times and URLs of real length).
const (
	benchSecret = "Sim_Webhook_Secret_Token"

	benchMeetingEnded = `{"event":"meeting.ended","event_ts":1763913600123,"payload":{"account_id":"RT7-vfD3WtR7cNIvzXvliw",` +
		`"object":{"id":"84512367890","uuid":"/PpT+tUh6y9QtK5kryXZrQ==","host_id":"z8yCxjabcdefghijklmnop",` +
		`"topic":"Design review","type":1,"start_time":"2025-11-23T15:00:00Z","timezone":"Europe/Berlin",` +
		`"duration":60,"end_time":"2025-11-23T15:47:12Z"}}}`

	benchURLValidation = `{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}`
)

// benchRecording is a recording.completed body with the four files Zoom sends
// for a cloud recording (video, audio, chat, timeline).
var benchRecording = func() string {
	file := func(id, typ, ext, recType string) string {
		return `{"id":"` + id + `","meeting_id":"/PpT+tUh6y9QtK5kryXZrQ==","recording_start":"2025-11-23T15:00:05Z",` +
			`"recording_end":"2025-11-23T15:47:10Z","file_type":"` + typ + `","file_extension":"` + ext + `","file_size":48123456,` +
			`"play_url":"https://us05web.zoom.us/rec/play/Qm9vay1yZWNvcmRpbmctcGxheS11cmwtMDEyMzQ1Njc4OQ.abcdefghijKLMNOP",` +
			`"download_url":"https://us05web.zoom.us/rec/webhook_download/Qm9vay1yZWNvcmRpbmctZG93bmxvYWQtMDEy/YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo",` +
			`"status":"completed","recording_type":"` + recType + `"}`
	}
	files := []string{
		file("a1b2c3d4-0000-4000-8000-000000000001", "MP4", "MP4", "shared_screen_with_speaker_view"),
		file("a1b2c3d4-0000-4000-8000-000000000002", "M4A", "M4A", "audio_only"),
		file("a1b2c3d4-0000-4000-8000-000000000003", "CHAT", "TXT", "chat_file"),
		file("a1b2c3d4-0000-4000-8000-000000000004", "TIMELINE", "JSON", "timeline"),
	}
	return `{"event":"recording.completed","event_ts":1763916000456,` +
		`"download_token":"eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIiwidiI6IjIuMCIsImtpZCI6ImFiY2RlZiJ9.eyJhdWQiOiJodHRwczovL29hdXRoLnpvb20udXMiLCJ1aWQiOiJ6OHlDeGoiLCJ2ZXIiOjEwLCJhdWlkIjoiYWJjIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU",` +
		`"payload":{"account_id":"RT7-vfD3WtR7cNIvzXvliw","object":{"uuid":"/PpT+tUh6y9QtK5kryXZrQ==","id":84512367890,` +
		`"account_id":"RT7-vfD3WtR7cNIvzXvliw","host_id":"z8yCxjabcdefghijklmnop","host_email":"alice@example.com",` +
		`"topic":"Design review","type":1,"start_time":"2025-11-23T15:00:00Z","timezone":"Europe/Berlin","duration":47,` +
		`"total_size":192493824,"recording_count":4,"share_url":"https://us05web.zoom.us/rec/share/abcdefghijklmnopqrstuvwxyz012345.ABCDEFGHIJKLMNOP",` +
		`"recording_files":[` + strings.Join(files, ",") + `],"password":"x1Y2z3W4","recording_play_passcode":"abcdefghijklmnopqrstuvwxyz012345","on_prem":false}}}`
}()

// BenchmarkVerifySignature checks x-zm-signature as the webhook gate does for
// every delivery: a valid one (the full HMAC and constant-time compare), a
// forged one, and a stale timestamp (refused before any HMAC).
func BenchmarkVerifySignature(b *testing.B) {
	now := time.Now()
	stamp := strconv.FormatInt(now.Unix(), 10)
	stale := strconv.FormatInt(now.Add(-time.Hour).Unix(), 10)
	for _, c := range []struct {
		name, body, stamp string
		forge             bool
		want              error
	}{
		{"meeting.ended", benchMeetingEnded, stamp, false, nil},
		{"recording.completed", benchRecording, stamp, false, nil},
		{"forged", benchMeetingEnded, stamp, true, zoom.ErrBadSignature},
		{"stale", benchMeetingEnded, stale, false, zoom.ErrStaleTimestamp},
	} {
		body := []byte(c.body)
		sig := zoom.Sign(benchSecret, c.stamp, body)
		if c.forge {
			sig = zoom.Sign("not the secret", c.stamp, body)
		}
		b.Run(c.name, func(b *testing.B) {
			if err := zoom.VerifySignature(benchSecret, c.stamp, sig, body, now); err != c.want {
				b.Fatalf("VerifySignature: %v, want %v", err, c.want)
			}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				_ = zoom.VerifySignature(benchSecret, c.stamp, sig, body, now)
			}
		})
	}
}

// BenchmarkParseEvent decodes a webhook body and then its payload, as the
// plugin does for each event it acts on.
func BenchmarkParseEvent(b *testing.B) {
	b.Run("meeting.ended", func(b *testing.B) {
		body := []byte(benchMeetingEnded)
		benchParse(b, body, func(e *zoom.Event) error {
			p, err := e.Meeting()
			if err == nil && p.Object.ID != 84512367890 {
				b.Fatalf("id %d", p.Object.ID)
			}
			return err
		})
	})
	b.Run("recording.completed", func(b *testing.B) {
		body := []byte(benchRecording)
		benchParse(b, body, func(e *zoom.Event) error {
			p, err := e.Recording()
			if err == nil && len(p.Object.RecordingFiles) != 4 {
				b.Fatalf("%d files", len(p.Object.RecordingFiles))
			}
			return err
		})
	})
	b.Run("url_validation", func(b *testing.B) {
		body := []byte(benchURLValidation)
		benchParse(b, body, func(e *zoom.Event) error {
			token, err := e.PlainToken()
			if err == nil {
				_ = zoom.URLValidation(benchSecret, token)
			}
			return err
		})
	})
	b.Run("envelope_only", func(b *testing.B) {
		benchParse(b, []byte(benchRecording), func(*zoom.Event) error { return nil })
	})
}

func benchParse(b *testing.B, body []byte, payload func(*zoom.Event) error) {
	b.Helper()
	e, err := zoom.ParseEvent(body)
	if err != nil {
		b.Fatal(err)
	}
	if err := payload(e); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		e, err := zoom.ParseEvent(body)
		if err != nil {
			b.Fatal(err)
		}
		if err := payload(e); err != nil {
			b.Fatal(err)
		}
	}
}
