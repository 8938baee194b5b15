//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"
)

// The plugin restarts between answering recording.completed and finishing
// its work (the link is posted, Zoom is slow to serve the chat file): after
// the restart the replies are complete, each exactly once.
func TestRecordingWorkSurvivesRestart(t *testing.T) {
	e := start(t, nil)
	card, _ := e.endedMeeting()
	body := e.simEvent(e.sim.CompleteRecording(e.cardMeetingID(card)))

	// The delay keeps the download in flight while the plugin stops; it is
	// not what the test waits on.
	e.sim.SetDownloadDelay(1500 * time.Millisecond)
	e.mustWebhook(body, "recording.completed")
	// Restart half-way: the link is posted, the chat file is still coming.
	e.waitFor("the link reply", func() bool { return len(e.repliesOfType(card, "")) > 0 })
	if err := e.h.Restart(); err != nil {
		t.Fatalf("restart: %v", err)
	}
	e.waitFor("the recording job after the restart", e.jobsFinished)

	e.requireRecordingRepliesOnce(card, "after restart")

	// Whether the first process was cut off mid-download depends on timing;
	// say which path this run took.
	dropped := 0
	for _, c := range e.sim.Calls() {
		if strings.HasPrefix(c.Path, "/rec/webhook_download/") && c.Status == 0 {
			dropped++
		}
	}
	t.Logf("downloads cut off by the restart: %d", dropped)
}
