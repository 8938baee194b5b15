//go:build e2e

package e2e

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
)

// A second plugin process of the same cluster: its own loader and RPC, the same
// Mattermost (store) and Zoom.
func (e *env) secondNode() *devhost.Host {
	e.t.Helper()
	h, err := devhost.Start(devhost.Options{Bundle: bundle(e.t), Addr: "127.0.0.1:0", Sim: e.sim, SharedStore: e.h.Store(), LogOutput: newTestLog(e.t)})
	if err != nil {
		e.t.Fatalf("second node: %v", err)
	}
	e.t.Cleanup(h.Close)
	return h
}

// meeting.summary_completed, delivered at once to two plugin processes and again
// after the work is done (Zoom's retry), posts the AI Companion summary once in the
// card's thread, readable without our webapp (message and attachment).
func TestSummaryPostedOnceAcrossTwoProcessesAndARetry(t *testing.T) {
	e := start(t, nil)
	card, _ := e.endedMeeting()
	second := e.secondNode()
	body := e.simEvent(e.sim.CompleteSummary(e.cardMeetingID(card)))

	var wg sync.WaitGroup
	for _, node := range []*devhost.Host{e.h, second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := node.SendWebhook(body)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("delivery: %v %v", resp, err)
			}
		}()
	}
	wg.Wait()
	e.waitFor("the summary job", e.jobsFinished)
	e.mustWebhook(body, "meeting.summary_completed again")
	e.waitFor("the summary job", e.jobsFinished)

	summaries := e.repliesOfType(card, "custom_zoom_summary")
	if len(summaries) != 1 {
		t.Fatalf("%d summary replies; thread: %s", len(summaries), messages(e.replies(card)))
	}
	s := summaries[0]
	if s.UserId != e.h.User("zoom").Id || s.GetProp("summary_title") != "Design sync: onboarding flow" {
		t.Fatalf("summary by %s, props %v", s.UserId, s.GetProps())
	}
	text := attachmentText(summaries)
	for _, want := range []string{"**Release plan**", "**Next steps**", "- [ ] Carol prepares the feature flag and the release note."} {
		if !strings.Contains(text, want) {
			t.Errorf("attachment lacks %q: %s", want, text)
		}
	}
}

// With the setting off, the event is answered and nothing is stored or posted.
func TestSummaryOffBySetting(t *testing.T) {
	e := start(t, map[string]any{"PostMeetingSummary": false})
	card, _ := e.endedMeeting()
	e.mustWebhook(e.simEvent(e.sim.CompleteSummary(e.cardMeetingID(card))), "meeting.summary_completed")
	for _, k := range e.h.KVKeys() {
		if strings.HasPrefix(k, "zoomjob_") {
			t.Errorf("job %s stored while summaries are off", k)
		}
	}
	if n := len(e.replies(card)); n != 0 {
		t.Errorf("%d replies while summaries are off: %s", n, messages(e.replies(card)))
	}
}
