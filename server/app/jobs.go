package app

import (
	"encoding/json"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

// downloadTimeout bounds one attempt at downloading a recording file.
const downloadTimeout = 2 * time.Minute

// newJobRunner builds the runner of webhook jobs and registers the app's job kinds:
// recordings and transcripts (recordings.go) and meeting summaries (summary.go).
func newJobRunner(a *App, lease time.Duration) *jobs.Runner {
	return jobs.New(jobs.Options{
		Store: a.kv, Log: a.host, Lease: lease,
		Now: func() time.Time { return a.now() },
		// Unconfigured (maybe only for a moment): failing now would use up the job's
		// attempts, so the job is left for the next sweep or activation.
		Ready:    func() bool { return a.Settings() != nil },
		Handlers: map[string]jobs.Handler{jobKindRecording: a.planRecordingJob, jobKindSummary: a.planSummaryJob},
	})
}

// enqueueJob stores a job before Zoom gets its answer, then starts it. A repeated
// delivery finds the job already stored (its id is made of what identifies the
// event); kicking it is harmless (the lease keeps workers apart, finished jobs are
// skipped) and revives a job whose worker died.
func (a *App) enqueueJob(kind string, data any, idParts ...string) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	job := &store.Job{ID: store.JobID(idParts...), Kind: kind, Data: raw, CreatedAt: a.now().UnixMilli()}
	if _, err := a.kv.InsertJob(job); err != nil {
		// Nothing is saved, so Zoom must retry: a 5xx is right here.
		return unavailable(err)
	}
	a.jobs.Kick(job.ID)
	return nil
}

// ResumeJobs starts the job runner's work: see jobs.Runner.Resume.
func (a *App) ResumeJobs() { a.jobs.Resume() }

// StopJobs stops the job runner before deactivation: see jobs.Runner.Stop.
func (a *App) StopJobs() { a.jobs.Stop() }
