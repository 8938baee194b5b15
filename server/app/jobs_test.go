package app

import (
	"context"
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
	next.ResumeJobs() // another activation finds nothing left to do
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

func TestLeaseOfDeadNodeLapsesBeforeAnotherTakesOver(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	pause(w.app)
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	w.app.StopJobs()
	// A node claimed the job and died without releasing it.
	jobID := w.jobIDs()[0]
	if j, err := w.app.kv.ClaimJob(jobID, "dead-node", time.Now(), time.Now().Add(jobs.DefaultLease)); err != nil || j == nil {
		t.Fatalf("claim: %v %v", j, err)
	}

	next := w.fastJobs(w.newInstance(w.host))
	next.jobs.ResumeAll() // starts the worker before returning
	w.waitFor("the worker to give way to the live lease", func() bool { return next.jobs.Idle() })
	if n := len(w.replies(card)); n != 0 {
		t.Fatalf("worked on a job leased by a live node: %d replies", n)
	}

	later := w.fastJobs(w.newInstance(w.host))
	w.advance(later, jobs.DefaultLease+time.Minute)
	later.ResumeJobs()
	w.waitJobs()
	w.assertRecordingReplies(card, id, body)
}

func TestJobsOlderThanDownloadTokensAreAbandoned(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	pause(w.app)
	w.mustDeliver(w.app, w.recordingEvent(id), nil)
	w.app.StopJobs()
	next := w.fastJobs(w.newInstance(w.host))
	w.advance(next, jobs.MaxAge+time.Hour)
	next.ResumeJobs()
	w.waitJobs()
	if n := len(w.replies(card)); n != 0 || w.downloads() != 0 {
		t.Fatalf("an expired job still ran: %d replies", n)
	}
}

func TestStopJobsIsIdempotentAndResumeRestarts(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	w.fastJobs(w.app)
	stopWithin(t, w.app, time.Second)
	stopWithin(t, w.app, time.Second)
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil) // persisted while stopped
	if n := len(w.replies(card)); n != 0 {
		t.Fatal("a stopped runner worked")
	}
	w.app.ResumeJobs()
	w.waitJobs()
	w.assertRecordingReplies(card, id, body)
}

func TestJobIDSeparatesItsParts(t *testing.T) {
	if store.JobID("ab", "c") == store.JobID("a", "bc") || store.JobID("a") == store.JobID("a", "") {
		t.Fatal("different part lists share a job id")
	}
	if store.JobID("recording.completed", "/x+y==", "f1") != store.JobID("recording.completed", "/x+y==", "f1") {
		t.Fatal("job ids are not deterministic")
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
	w.waitFor("the worker to leave", next.jobs.Idle)
	if w.jobsFinished() || len(w.replies(card)) != 0 {
		t.Fatal("an unconfigured process used up or did the job")
	}
	if err := next.Configure(w.settings); err != nil {
		t.Fatal(err)
	}
	next.jobs.ResumeAll()
	w.waitJobs()
	w.assertRecordingReplies(card, id, body)
}

// shortLease gives a runner a short lease (renewed every third of it) and a sweep that
// never comes by itself, so only lease lapses wake it.
func shortLease(a *App, lease time.Duration) *App {
	a.jobs.Tune(func(t *jobs.Tuning) { t.Lease, t.Renew, t.SweepEvery = lease, lease/3, time.Hour })
	return a
}

// A download that takes several leases keeps its job: the worker's heartbeat renews
// the lease, so a second node looking on never takes the job over, and everything is
// downloaded and posted once.
func TestHeartbeatKeepsALongDownloadWithItsWorker(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	w.app.StopJobs()
	const lease = 300 * time.Millisecond
	first := shortLease(w.fastJobs(w.newInstance(w.host)), lease)
	w.sim.SetDownloadDelay(4 * lease)
	body := w.recordingEvent(id)
	w.mustDeliver(first, body, nil)
	w.waitFor("the links reply", func() bool { return len(w.replies(card)) == 1 })

	// Another node sweeps while the download runs, waking whenever the lease it saw
	// would lapse.
	second := shortLease(w.fastJobs(w.newInstance(w.host)), lease)
	second.ResumeJobs()
	w.waitJobs()
	stopWithin(t, first, 5*time.Second)
	stopWithin(t, second, 5*time.Second)
	w.assertRecordingReplies(card, id, body)
	if n := w.downloads(); n != 1 {
		t.Fatalf("%d downloads, want 1: the job changed hands while its worker was alive", n)
	}
}

// A node that claimed a job and died: another node picks the job up as soon as the
// lease lapses, without waiting for its next regular sweep.
func TestDeadWorkersJobIsTakenOverWhenItsLeaseLapses(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	pause(w.app)
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	w.app.StopJobs()
	const lease = 300 * time.Millisecond
	jobID := w.jobIDs()[0]
	if j, err := w.app.kv.ClaimJob(jobID, "dead-node", time.Now(), time.Now().Add(lease)); err != nil || j == nil {
		t.Fatalf("claim: %v %v", j, err)
	}

	next := shortLease(w.fastJobs(w.newInstance(w.host)), lease)
	next.ResumeJobs()
	w.waitFor("the job after the dead node's lease lapsed", w.jobsFinished)
	stopWithin(t, next, 5*time.Second)
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
