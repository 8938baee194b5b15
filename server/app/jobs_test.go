package app

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

// pause makes a runner persist jobs without working on them: a process that answers
// Zoom and dies before the work starts.
func pause(a *App) *App {
	a.jobs.Tune(func(t *jobs.Tuning) { t.Paused = true })
	return a
}

func (w *world) jobIDs() []string {
	w.t.Helper()
	ids, err := store.NewKV(w.host).ListJobIDs()
	if err != nil {
		w.t.Fatal(err)
	}
	return ids
}

// stopWithin fails the test when StopJobs does not return promptly.
func stopWithin(t *testing.T, a *App, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		a.StopJobs()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("StopJobs did not return within %s", d)
	}
}

func TestSlowDownloadNeitherDelaysTheAnswerNorGetsLostOnStop(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	w.sim.SetDownloadDelay(10 * time.Second)
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	// HandleWebhook has returned. The download takes 10 s, so it cannot be done; the
	// simulator logs a call only once it has answered.
	if n := w.downloads(); n != 0 {
		t.Fatalf("the download finished before the answer (%d calls)", n)
	}
	if chats := repliesOfType(w.replies(card), PostTypeChat); len(chats) != 0 {
		t.Fatal("the chat log was posted before the answer")
	}
	if ids := w.jobIDs(); len(ids) != 1 {
		t.Fatalf("%d jobs stored before the answer, want 1", len(ids))
	}
	// The links come first; once they are posted the worker is on the download.
	w.waitFor("the links reply", func() bool { return len(w.replies(card)) == 1 })
	// Deactivation cancels the download at once and keeps the job.
	stopWithin(t, w.app, 5*time.Second)
	if w.jobsFinished() {
		t.Fatal("a stopped job was marked finished")
	}
	// The next activation (here on a fresh process) resumes and finishes it.
	w.sim.SetDownloadDelay(0)
	next := w.fastJobs(w.newInstance(w.host))
	next.ResumeJobs()
	w.waitJobs()
	w.assertRecordingReplies(card, id, body)
}

func TestRestartBetweenAnswerAndWorkPostsExactlyOnce(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	pause(w.app)
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	transcript, err := w.sim.CompleteTranscript(id)
	w.mustDeliver(w.app, transcript, err)
	w.app.StopJobs() // the process dies
	if n := len(w.replies(card)); n != 0 {
		t.Fatalf("%d replies from the dead process", n)
	}
	if n := len(w.jobIDs()); n != 2 {
		t.Fatalf("%d jobs persisted, want 2", n)
	}

	next := w.fastJobs(w.newInstance(w.host))
	next.ResumeJobs()
	w.waitJobs()
	w.fastJobs(w.newInstance(w.host)).ResumeJobs() // another activation finds nothing left to do
	w.deliver(next, body)
	w.waitJobs()
	stopWithin(t, next, 5*time.Second)
	replies := w.replies(card)
	if len(replies) != 3 || len(repliesOfType(replies, PostTypeChat)) != 1 || len(repliesOfType(replies, PostTypeTranscript)) != 1 {
		t.Fatalf("%d replies: %+v", len(replies), replies)
	}
}

func TestTwoNodesResumingTheSameJobPostOnce(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	pause(w.app)
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	w.app.StopJobs()

	nodes := []*App{w.fastJobs(w.newInstance(w.host)), w.fastJobs(w.newInstance(w.host)), w.fastJobs(w.newInstance(w.host))}
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.ResumeJobs()
		}()
	}
	wg.Wait()
	w.waitJobs()
	for _, n := range nodes {
		stopWithin(t, n, 5*time.Second)
	}
	w.assertRecordingReplies(card, id, body)
	if n := w.downloads(); n != 1 {
		t.Fatalf("%d downloads, want 1", n)
	}
}

func TestUnconfiguredProcessLeavesJobsForLater(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	pause(w.app)
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	w.app.StopJobs()

	next := w.fastJobs(w.newInstance(w.host))
	_ = next.Configure(nil) // the settings are broken for a moment
	next.jobs.ResumeAll()
	next.StopJobs() // returns once its worker has left
	job, err := w.app.kv.GetJob(w.jobIDs()[0])
	if err != nil {
		t.Fatal(err)
	}
	if job.Claims != 0 || job.Finished || len(w.replies(card)) != 0 {
		t.Fatalf("an unconfigured process claimed (%d), used up or did the job", job.Claims)
	}
	// The next process with settings does it.
	w.fastJobs(w.newInstance(w.host)).jobs.ResumeAll()
	w.waitJobs()
	w.assertRecordingReplies(card, id, body)
}

// A worker posted a step's reply and died before recording the step as done: the
// worker that resumes the job finds the reply in the thread and does not post it again.
func TestResumedJobDoesNotRepostAStepItsDeadWorkerPosted(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	pause(w.app)
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	w.app.StopJobs()
	jobID := w.jobIDs()[0]
	now := time.Now()
	job, err := w.app.kv.ClaimJob(jobID, "dead-node", now, now)
	if err != nil || job == nil {
		t.Fatalf("claim: %v %v", job, err)
	}
	steps, err := w.app.planRecordingJob(job)
	if err != nil || len(steps) == 0 {
		t.Fatalf("plan: %v", err)
	}
	if err := steps[0].Run(context.Background()); err != nil { // posted, then died
		t.Fatal(err)
	}

	next := w.fastJobs(w.newInstance(w.host))
	next.ResumeJobs()
	w.waitJobs()
	stopWithin(t, next, 5*time.Second)
	w.assertRecordingReplies(card, id, body)
}

// Jobs stored by an earlier version must still decode: the payloads keep their
// top-level keys, the shared meeting identity included.
func TestJobPayloadsKeepTheirStoredJSON(t *testing.T) {
	m := jobMeeting{MeetingID: 7, UUID: "u==", Topic: "T"}
	rec, err := json.Marshal(recordingJob{Event: "recording.completed", jobMeeting: m, Token: "sealed", Steps: []recordingStep{{ID: "links", Kind: "links"}}})
	if want := `{"event":"recording.completed","meeting_id":7,"uuid":"u==","topic":"T","token":"sealed","steps":[{"id":"links","kind":"links"}]}`; err != nil || string(rec) != want {
		t.Fatalf("recording job:\n got %s\nwant %s", rec, want)
	}
	sum, err := json.Marshal(summaryJob{jobMeeting: m})
	if err != nil || !strings.HasPrefix(string(sum), `{"meeting_id":7,"uuid":"u==","topic":"T","summary":{`) {
		t.Fatalf("summary job: %s", sum)
	}
}
