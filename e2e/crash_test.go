//go:build e2e

package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The plugin process is killed (SIGKILL: no OnDeactivate, its job lease is never
// given back) right after it answered recording.completed and took the job. The
// restarted process on the same store finishes the job once the dead one's short
// lease lapses: each reply exactly once.
func TestKilledPluginsRecordingJobIsFinishedOnceAfterRestart(t *testing.T) {
	// The plugin processes inherit the environment: a 1 s lease (production: 30 s).
	t.Setenv("ZOOM_PLUGIN_JOB_LEASE", "1s")
	e := start(t, nil)
	card, _ := e.endedMeeting()
	body := e.simEvent(e.sim.CompleteRecording(e.cardMeetingID(card)))
	// Downloads are slow, so the process dies with the job in its hands.
	e.sim.SetDownloadDelay(time.Minute)
	e.mustWebhook(body, "recording.completed")
	e.waitFor("the link reply", func() bool { return len(e.repliesOfType(card, "")) > 0 })
	if e.leasedJobs() != 1 {
		t.Fatal("no worker holds the job mid-download")
	}
	if err := e.h.KillPlugin(); err != nil {
		t.Fatal(err)
	}
	e.sim.SetDownloadDelay(0)
	if e.jobsFinished() {
		t.Fatal("the job was finished before the process died; the test proves nothing")
	}
	if err := e.h.StartPlugin(); err != nil {
		t.Fatalf("restart: %v", err)
	}
	e.waitFor("the recording job after the restart", e.jobsFinished)

	e.requireRecordingRepliesOnce(card, "after the crash")
}

// leasedJobs counts the webhook jobs some worker holds a lease on.
func (e *env) leasedJobs() int {
	n := 0
	for _, k := range e.h.KVKeys() {
		if !strings.HasPrefix(k, "zoomjob_") {
			continue
		}
		var j struct {
			Owner string `json:"owner"`
		}
		if json.Unmarshal(e.h.KVGet(k), &j) == nil && j.Owner != "" {
			n++
		}
	}
	return n
}
