package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// worker is one job in the hands of this process, with the runner's tuning as it was
// when the worker started.
type worker struct {
	*Runner
	Tuning
	id string
}

// work claims a job and runs its remaining steps in order.
func (r *Runner) work(ctx context.Context, id string) {
	if !r.ready() {
		return
	}
	w := &worker{Runner: r, Tuning: r.settings(), id: id}
	job, err := r.store.ClaimJob(id, r.owner, r.now(), r.now().Add(w.Lease))
	if err != nil {
		r.log.LogWarn("Could not claim a webhook job", "job", id, "error", err.Error())
		return
	}
	if job == nil {
		return // finished, gone, or another node is on it
	}
	ctx, cancel := context.WithCancel(ctx)
	beating := w.heartbeat(ctx, cancel)
	stopBeating := func() {
		cancel()
		<-beating
	}
	defer stopBeating()
	// finish stops the heartbeat first: a renewal after it would find the lease given
	// up and take that for another worker's takeover.
	finish := func(job *store.Job) {
		stopBeating()
		w.finish(job)
	}
	if r.now().Sub(time.UnixMilli(job.CreatedAt)) > MaxAge {
		r.log.LogWarn("Giving up on a webhook job older than Zoom's download tokens", "job", id)
		finish(job)
		return
	}
	var steps []Step
	job, err = w.attempt(ctx, job, "plan", func(context.Context) error {
		var planErr error
		steps, planErr = r.plan(job)
		return planErr
	})
	if errors.Is(err, errStop) {
		return
	}
	if err != nil {
		r.log.LogInfo("Nothing to post for a webhook job", "job", id, "reason", err.Error())
		finish(job)
		return
	}
	for _, st := range steps {
		if job.IsDone(st.ID) {
			continue
		}
		if job.Resumed() && st.Posted != nil && st.Posted() {
			r.log.LogInfo("A step of a resumed webhook job had already posted", "job", id, "step", st.ID)
			err = nil
		} else {
			job, err = w.attempt(ctx, job, st.ID, st.Run)
		}
		if errors.Is(err, errStop) {
			return
		}
		if err != nil {
			r.log.LogWarn("Giving up on a step of a webhook job", "job", id, "step", st.ID, "error", err.Error())
			if st.GiveUp != nil {
				st.GiveUp(err)
			}
		}
		stepID := st.ID
		job, err = r.store.UpdateJob(id, r.owner, r.now().Add(w.Lease), func(j *store.Job) {
			j.Done = append(j.Done, stepID)
		})
		if err != nil {
			w.lost(err)
			return
		}
	}
	finish(job)
}

// attempt runs fn until it succeeds, fails permanently or uses up its attempts,
// waiting with growing backoff in between. It returns fn's last error, or errStop
// when the worker must exit (stopping, or the lease was lost).
func (w *worker) attempt(ctx context.Context, job *store.Job, stepID string, fn func(context.Context) error) (*store.Job, error) {
	for {
		if ctx.Err() != nil {
			w.release(job)
			return job, errStop
		}
		// Renewing before every attempt keeps the lease longer than the attempt.
		renewed, err := w.store.UpdateJob(job.ID, w.owner, w.now().Add(w.Lease), nil)
		if err != nil {
			w.lost(err)
			return job, errStop
		}
		job = renewed
		stepErr := fn(ctx)
		if stepErr == nil {
			return job, nil
		}
		if ctx.Err() != nil {
			// Being stopped is not the step's failure: the next process retries it.
			w.release(job)
			return job, errStop
		}
		n := job.Attempts[stepID] + 1
		if IsPermanent(stepErr) || n >= w.MaxAttempts {
			return job, stepErr
		}
		wait := w.Backoff << (2 * (n - 1))
		job, err = w.store.UpdateJob(job.ID, w.owner, w.now().Add(w.Lease), func(j *store.Job) {
			if j.Attempts == nil {
				j.Attempts = map[string]int{}
			}
			j.Attempts[stepID] = n
		})
		if err != nil {
			w.lost(err)
			return job, errStop
		}
		w.log.LogInfo("Webhook job step failed; retrying", "job", job.ID, "step", stepID, "attempt", n, "wait", wait.String(), "error", stepErr.Error())
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			w.release(job)
			return job, errStop
		case <-timer.C:
		}
	}
}

// heartbeat renews the job's lease every Renew until ctx ends, so the lease can be
// short and still outlast any step. When another worker took the job over (this one
// was presumed dead), it cancels the work. The returned channel closes on exit.
func (w *worker) heartbeat(ctx context.Context, cancel context.CancelFunc) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(w.Renew)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			_, err := w.store.UpdateJob(w.id, w.owner, w.now().Add(w.Lease), nil)
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
func (w *worker) finish(job *store.Job) {
	if _, err := w.store.UpdateJob(job.ID, w.owner, time.Time{}, func(j *store.Job) { j.Finished = true }); err != nil {
		w.lost(err)
	}
}

// release gives the lease up so a restarted process (or another node) can resume
// the job at once instead of waiting for the lease to lapse.
func (w *worker) release(job *store.Job) {
	if _, err := w.store.UpdateJob(job.ID, w.owner, time.Time{}, nil); err != nil && !errors.Is(err, store.ErrLeaseLost) {
		w.log.LogWarn("Could not release a webhook job", "job", job.ID, "error", err.Error())
	}
}

func (w *worker) lost(err error) {
	if errors.Is(err, store.ErrLeaseLost) {
		w.log.LogInfo("Another node took over a webhook job", "job", w.id)
		return
	}
	w.log.LogWarn("Could not save the progress of a webhook job", "job", w.id, "error", err.Error())
}
