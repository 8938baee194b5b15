package zoomsim_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// sameShape checks that got has every key of the example want (from server/zoom/testdata), with the
// same JSON type, recursively. Keys in optional may be absent (fields Zoom
// sends that no client of ours reads, like dial-in numbers).
func sameShape(path string, want, got any, optional map[string]bool) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want object, got %T", path, got)}
		}
		var errs []string
		for k, wv := range w {
			gv, has := g[k]
			if !has {
				if !optional[k] {
					errs = append(errs, path+"."+k+": missing")
				}
				continue
			}
			errs = append(errs, sameShape(path+"."+k, wv, gv, optional)...)
		}
		return errs
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want array, got %T", path, got)}
		}
		if len(w) > 0 && len(g) > 0 {
			return sameShape(path+"[0]", w[0], g[0], optional)
		}
		return nil
	default:
		if fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
			return []string{fmt.Sprintf("%s: want %T, got %T", path, want, got)}
		}
		return nil
	}
}

func example(t *testing.T, name string) any {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestShapesMatchExamples(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	s.SetLoginUser("alice@example.com")
	tok := login(t, s, "alice@example.com")
	access := tok["access_token"].(string)
	_, me := api(t, s, "GET", "/users/me", access, "")
	_, created := api(t, s, "POST", "/users/me/meetings", access, `{"topic":"Design sync","type":1}`)
	id := int64(created["id"].(float64))
	_, fetched := api(t, s, "GET", fmt.Sprintf("/meetings/%d", id), access, "")
	_, pmi := api(t, s, "POST", "/users/me/meetings", access, `{"topic":"Weekly 1:1","type":2,"start_time":"2026-03-12T14:00:00Z","duration":30,"settings":{"use_pmi":true}}`)
	started, err := s.StartMeeting(id)
	if err != nil {
		t.Fatal(err)
	}
	ended, err := s.EndMeeting(id)
	if err != nil {
		t.Fatal(err)
	}
	recording, err := s.CompleteRecording(id)
	if err != nil {
		t.Fatal(err)
	}
	transcript, err := s.CompleteTranscript(id)
	if err != nil {
		t.Fatal(err)
	}
	summary, err := s.CompleteSummary(id)
	if err != nil {
		t.Fatal(err)
	}
	uuid := decode(t, started).(map[string]any)["payload"].(map[string]any)["object"].(map[string]any)["uuid"].(string)
	_, fetchedSummary := api(t, s, "GET", "/meetings/"+zoom.EscapeUUIDPath(uuid)+"/meeting_summary", access, "")
	deauth, err := s.DeauthorizeEvent(me["id"].(string), false)
	if err != nil {
		t.Fatal(err)
	}
	_, notFound := api(t, s, "GET", "/users/bob@example.com", access, "")
	_, rejected := post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"gone"}}, true)

	settingsOnly := map[string]bool{"cn_meeting": true, "in_meeting": true, "jbh_time": true, "watermark": true,
		"enforce_login": true, "enforce_login_domains": true, "alternative_hosts": true, "meeting_authentication": true,
		"encryption_type": true, "global_dial_in_countries": true, "global_dial_in_numbers": true}
	cases := []struct {
		example  string
		got      any
		optional map[string]bool
	}{
		{"token-response.json", tok, nil},
		{"oauth-token-error.json", rejected, nil},
		{"users-me.json", me, map[string]bool{"last_client_version": true, "user_created_at": true, "im_group_ids": true}},
		{"user-not-found-404.json", notFound, nil},
		{"create-meeting-response.json", created, settingsOnly},
		{"get-meeting-response.json", fetched, nil},
		{"get-meeting-pmi-response.json", pmi, nil},
		{"webhook-meeting-started.json", decode(t, started), nil},
		{"webhook-meeting-ended.json", decode(t, ended), nil},
		{"webhook-recording-completed.json", decode(t, recording), nil},
		{"webhook-recording-transcript-completed.json", decode(t, transcript), nil},
		{"webhook-app-deauthorized.json", decode(t, deauth), nil},
		{"webhook-meeting-summary-completed.json", decode(t, summary), nil},
		// edited_summary appears only once the host edited the summary.
		{"get-meeting-summary-response.json", fetchedSummary, map[string]bool{"edited_summary": true}},
	}
	for _, c := range cases {
		t.Run(c.example, func(t *testing.T) {
			for _, e := range sameShape("", example(t, c.example), c.got, c.optional) {
				t.Error(e)
			}
		})
	}
}
