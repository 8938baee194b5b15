package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// worker is one job in the hands of this process.
type worker struct {
	*Runner
	id string
}

// work claims a job, runs its remaining steps in order and finishes it.
func (r *Runner) work(id string) {
	if r.ready != nil && !r.ready() {
		return
	}
	w := &worker{Runner: r, id: id}
	job, err := r.store.ClaimJob(id, r.owner, r.now(), r.now().Add(r.lease))
	if err != nil {
		r.log.LogWarn("Could not claim a webhook job", "job", id, "error", err.Error())
		return
	}
	if job == nil {
		return // finished, gone, or another node is on it
	}
	ctx, cancel := context.WithCancel(r.ctx)
	beating := w.heartbeat(ctx, cancel)
	err = w.runSteps(ctx, job)
	// The heartbeat stops before finish: a renewal after it would find the lease given
	// up and take that for another worker's takeover.
	cancel()
	<-beating
	if err == nil {
		w.finish()
	}
}

// runSteps runs the steps the job has not done yet. nil means the job is over (done,
// given up, or nothing to do); errStop means the worker must leave it unfinished.
func (w *worker) runSteps(ctx context.Context, job *store.Job) error {
	if w.now().Sub(time.UnixMilli(job.CreatedAt)) > MaxAge {
		w.log.LogWarn("Giving up on a webhook job older than Zoom's download tokens", "job", w.id)
		return nil
	}
	var steps []Step
	job, err := w.attempt(ctx, job, "plan", func(context.Context) (planErr error) {
		steps, planErr = w.plan(job)
		return planErr
	})
	if errors.Is(err, errStop) {
		return err
	}
	if err != nil {
		w.log.LogInfo("Nothing to post for a webhook job", "job", w.id, "reason", err.Error())
		return nil
	}
	for _, st := range steps {
		if job.IsDone(st.ID) {
			continue
		}
		if job.Resumed() && st.Posted != nil && st.Posted() {
			w.log.LogInfo("A step of a resumed webhook job had already posted", "job", w.id, "step", st.ID)
		} else {
			job, err = w.attempt(ctx, job, st.ID, st.Run)
			if errors.Is(err, errStop) {
				return err
			}
			if err != nil {
				w.log.LogWarn("Giving up on a step of a webhook job", "job", w.id, "step", st.ID, "error", err.Error())
				if st.GiveUp != nil {
					st.GiveUp(err)
				}
			}
		}
		job, err = w.renew(func(j *store.Job) { j.Done = append(j.Done, st.ID) })
		if err != nil {
			w.lost(err)
			return errStop
		}
	}
	return nil
}

// attempt runs fn until it succeeds, fails permanently or uses up its attempts,
// waiting with growing backoff in between. It returns fn's last error, or errStop
// when the worker must exit (stopping, or the lease was lost).
func (w *worker) attempt(ctx context.Context, job *store.Job, stepID string, fn func(context.Context) error) (*store.Job, error) {
	var err error
	for {
		if ctx.Err() != nil {
			w.release()
			return job, errStop
		}
		// Renewing before every attempt keeps the lease longer than the attempt.
		if job, err = w.renew(nil); err != nil {
			w.lost(err)
			return job, errStop
		}
		stepErr := fn(ctx)
		if stepErr == nil {
			return job, nil
		}
		if ctx.Err() != nil {
			continue // being stopped is not the step's failure: the next process retries it
		}
		n := job.Attempts[stepID] + 1
		if IsPermanent(stepErr) || n >= DefaultMaxAttempts {
			return job, stepErr
		}
		if _, err := w.renew(func(j *store.Job) {
			if j.Attempts == nil {
				j.Attempts = map[string]int{}
			}
			j.Attempts[stepID] = n
		}); err != nil {
			w.lost(err)
			return job, errStop
		}
		wait := w.settings().Backoff << (2 * (n - 1))
		w.log.LogInfo("Webhook job step failed; retrying", "job", w.id, "step", stepID, "attempt", n, "wait", wait.String(), "error", stepErr.Error())
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// renew extends the job's lease, changing its record with mutate (nil: no change).
func (w *worker) renew(mutate func(*store.Job)) (*store.Job, error) {
	return w.store.UpdateJob(w.id, w.owner, w.now().Add(w.lease), mutate)
}

// heartbeat renews the job's lease every third of it until ctx ends, so the lease can
// be short and still outlast any step. When another worker took the job over (this
// one was presumed dead), it cancels the work. The returned channel closes on exit.
func (w *worker) heartbeat(ctx context.Context, cancel context.CancelFunc) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(w.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			_, err := w.renew(nil)
			if errors.Is(err, store.ErrLeaseLost) {
				if ctx.Err() == nil {
					w.lost(err)
					cancel()
				}
				return
			}
			if err != nil {
				w.log.LogWarn("Could not renew the lease of a webhook job", "job", w.id, "error", err.Error())
			}
		}
	}()
	return done
}

// finish marks the job done and releases it. The record stays (until
// store.FinishedJobTTL) so that a repeated delivery of its event adds nothing.
func (w *worker) finish() {
	if _, err := w.store.UpdateJob(w.id, w.owner, time.Time{}, func(j *store.Job) { j.Finished = true }); err != nil {
		w.lost(err)
	}
}

// release gives the lease up so a restarted process (or another node) can resume
// the job at once instead of waiting for the lease to lapse.
func (w *worker) release() {
	if _, err := w.store.UpdateJob(w.id, w.owner, time.Time{}, nil); err != nil && !errors.Is(err, store.ErrLeaseLost) {
		w.log.LogWarn("Could not release a webhook job", "job", w.id, "error", err.Error())
	}
}

func (w *worker) lost(err error) {
	if errors.Is(err, store.ErrLeaseLost) {
		w.log.LogInfo("Another node took over a webhook job", "job", w.id)
		return
	}
	w.log.LogWarn("Could not save the progress of a webhook job", "job", w.id, "error", err.Error())
}
