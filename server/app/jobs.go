package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// Defaults of the job runner. Tests shorten them on their own runner.
const (
	// defaultLease is how long a job stays with its worker without a sign of life.
	// A live worker renews it every lease/3 for as long as it works (downloads and
	// backoff waits included), so only a dead process lets it lapse, and another
	// process picks the job up soon after.
	defaultLease = 30 * time.Second
	// defaultBackoff is the wait after a first failed attempt; each further failure
	// waits four times longer (5 s, 20 s, 80 s).
	defaultBackoff     = 5 * time.Second
	defaultMaxAttempts = 4
	// A node looks for jobs left behind by a dead node every two leases, and again
	// right when a lease it saw held lapses.
	sweepLeases = 2
	// leaseSlack is how long after a lapsed lease a node tries to claim the job, so
	// small clock differences between nodes do not make it give way once more.
	leaseSlack = 100 * time.Millisecond
	// jobMaxAge gives up on jobs older than Zoom's download tokens.
	jobMaxAge = 48 * time.Hour
)

// errStop ends a worker without finishing its job: the runner is stopping or another
// node took the job over. The job stays in KV for whoever resumes it.
var errStop = errors.New("job worker stopped")

// permanentError marks a failure that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func permanent(err error) error { return &permanentError{err: err} }

func isPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// jobStep is one unit of a job. run should do its work completely or not at all
// (post last), so a retry after a failure never leaves half a reply behind. giveUp
// tells the channel when the step fails for good. posted, asked only when an earlier
// worker had the job, reports whether the step's reply is already in the channel:
// that worker died after posting and before recording the step as done.
type jobStep struct {
	id     string
	run    func(ctx context.Context) error
	giveUp func(err error)
	posted func() bool
}

// jobRunner runs slow webhook work (downloads, uploads) off the request path. Jobs
// live in KV (store.Job); the runner only holds the workers of this process.
type jobRunner struct {
	app   *App
	owner string // this process's lease owner id

	lease, renew, backoff, sweepEvery time.Duration
	downloadTimeout                   time.Duration
	maxAttempts                       int
	// paused persists jobs without working on them: tests play a process that dies
	// between answering Zoom and doing the work.
	paused bool
	// notify, when set, gets a (non-blocking) signal whenever a worker exits, so
	// tests wait for work without sleeping.
	notify chan struct{}

	mu      sync.Mutex
	gen     *generation // nil once stopped
	running map[string]bool
}

// generation is one start..stop life of the runner: StopJobs cancels its context and
// waits for exactly its goroutines.
type generation struct {
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	sweeping bool
}

func newGeneration() *generation {
	ctx, cancel := context.WithCancel(context.Background())
	return &generation{ctx: ctx, cancel: cancel}
}

func newJobRunner(a *App, lease time.Duration) *jobRunner {
	if lease <= 0 {
		lease = defaultLease
	}
	return &jobRunner{
		app: a, owner: model.NewId(),
		lease: lease, renew: lease / 3, backoff: defaultBackoff, sweepEvery: sweepLeases * lease,
		downloadTimeout: 2 * time.Minute, maxAttempts: defaultMaxAttempts,
		gen: newGeneration(), running: map[string]bool{},
	}
}

// EnvJobLease shortens the lease of webhook jobs (a Go duration such as "3s"), read
// once at activation. For tests of a killed process: production leaves it unset.
const EnvJobLease = "ZOOM_PLUGIN_JOB_LEASE"

// minJobLease is the shortest lease EnvJobLease accepts: renewals every third of it
// must still be far apart compared with a KV round trip.
const minJobLease = 300 * time.Millisecond

// JobLeaseFromEnv reads EnvJobLease with getenv (os.Getenv). 0 means the default; a
// value that is not a duration between minJobLease and the default is reported in
// problem and ignored.
func JobLeaseFromEnv(getenv func(string) string) (lease time.Duration, problem string) {
	v := getenv(EnvJobLease)
	if v == "" {
		return 0, ""
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < minJobLease || d > defaultLease {
		return 0, fmt.Sprintf("%s=%q is not a duration between %v and %v; using %v", EnvJobLease, v, minJobLease, defaultLease, defaultLease)
	}
	return d, ""
}

// ResumeJobs picks up webhook work a previous process accepted but did not finish,
// and keeps looking now and then for jobs a dead node of the cluster left behind.
func (a *App) ResumeJobs() {
	r := a.jobs
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen == nil {
		r.gen = newGeneration()
	}
	g := r.gen
	if g.sweeping {
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			r.resumeAll()
		}()
		return
	}
	g.sweeping = true
	g.wg.Add(1)
	go r.sweep(g) // resumes at once
}

// StopJobs stops background work before deactivation: workers see their context
// cancelled, release their leases and exit; StopJobs returns once they have.
func (a *App) StopJobs() {
	r := a.jobs
	r.mu.Lock()
	g := r.gen
	r.gen = nil
	r.mu.Unlock()
	if g == nil {
		return
	}
	g.cancel()
	g.wg.Wait()
}

// sweep resumes jobs now, then every sweepEvery, and sooner when a lease it found held
// by another worker (maybe a dead process) lapses earlier.
func (r *jobRunner) sweep(g *generation) {
	defer g.wg.Done()
	for {
		wait := r.sweepEvery
		if lapse := r.resumeAll(); lapse > 0 && lapse < wait {
			wait = lapse
		}
		t := time.NewTimer(wait)
		select {
		case <-g.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// resumeAll starts a worker for every unfinished job; leases keep nodes apart. It
// returns how soon the first lease held by another worker lapses (0: none is held).
func (r *jobRunner) resumeAll() time.Duration {
	ids, err := r.app.kv.ListJobIDs()
	if err != nil {
		r.app.host.LogWarn("Could not list webhook jobs to resume", "error", err.Error())
		return 0
	}
	now := r.app.now()
	var first time.Duration
	for _, id := range ids {
		job, err := r.app.kv.GetJob(id)
		if err == nil && job.Finished {
			continue
		}
		// Unreadable records are kicked too: claiming drops a corrupt one.
		r.kick(id)
		if err == nil && job.Owner != "" && job.Owner != r.owner {
			if lapse := time.UnixMilli(job.LeaseUntil).Sub(now) + leaseSlack; lapse > 0 && (first == 0 || lapse < first) {
				first = lapse
			}
		}
	}
	return first
}

// kick starts a worker for a job unless this process already runs one or is stopped.
func (r *jobRunner) kick(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := r.gen
	if g == nil || r.paused || r.running[id] {
		return
	}
	r.running[id] = true
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer r.exited(id)
		r.work(g.ctx, id)
	}()
}

func (r *jobRunner) exited(id string) {
	r.mu.Lock()
	delete(r.running, id)
	notify := r.notify
	r.mu.Unlock()
	if notify != nil {
		select {
		case notify <- struct{}{}:
		default:
		}
	}
}

// work claims a job and runs its remaining steps in order.
func (r *jobRunner) work(ctx context.Context, id string) {
	a := r.app
	if a.Settings() == nil {
		// Unconfigured (maybe only for a moment): failing now would use up the job's
		// attempts, so leave it for the next sweep or activation.
		return
	}
	job, err := a.kv.ClaimJob(id, r.owner, a.now(), a.now().Add(r.lease))
	if err != nil {
		a.host.LogWarn("Could not claim a webhook job", "job", id, "error", err.Error())
		return
	}
	if job == nil {
		return // finished, gone, or another node is on it
	}
	ctx, cancel := context.WithCancel(ctx)
	beating := r.heartbeat(ctx, cancel, id)
	stopBeating := func() {
		cancel()
		<-beating
	}
	defer stopBeating()
	// finish stops the heartbeat first: a renewal after it would find the lease given
	// up and take that for another worker's takeover.
	finish := func(job *store.Job) {
		stopBeating()
		r.finish(job)
	}
	if a.now().Sub(time.UnixMilli(job.CreatedAt)) > jobMaxAge {
		a.host.LogWarn("Giving up on a webhook job older than Zoom's download tokens", "job", id)
		finish(job)
		return
	}
	var steps []jobStep
	job, err = r.attempt(ctx, job, "plan", func(context.Context) error {
		var planErr error
		steps, planErr = a.planJob(job)
		return planErr
	})
	if errors.Is(err, errStop) {
		return
	}
	if err != nil {
		a.host.LogInfo("Nothing to post for a webhook job", "job", id, "reason", err.Error())
		finish(job)
		return
	}
	for _, st := range steps {
		if job.IsDone(st.id) {
			continue
		}
		if job.Resumed() && st.posted != nil && st.posted() {
			a.host.LogInfo("A step of a resumed webhook job had already posted", "job", id, "step", st.id)
			err = nil
		} else {
			job, err = r.attempt(ctx, job, st.id, st.run)
		}
		if errors.Is(err, errStop) {
			return
		}
		if err != nil {
			a.host.LogWarn("Giving up on a step of a webhook job", "job", id, "step", st.id, "error", err.Error())
			if st.giveUp != nil {
				st.giveUp(err)
			}
		}
		stepID := st.id
		job, err = a.kv.UpdateJob(id, r.owner, a.now().Add(r.lease), func(j *store.Job) {
			j.Done = append(j.Done, stepID)
		})
		if err != nil {
			r.lost(id, err)
			return
		}
	}
	finish(job)
}

// attempt runs fn until it succeeds, fails permanently or uses up its attempts,
// waiting with growing backoff in between. It returns fn's last error, or errStop
// when the worker must exit (stopping, or the lease was lost).
func (r *jobRunner) attempt(ctx context.Context, job *store.Job, stepID string, fn func(context.Context) error) (*store.Job, error) {
	a := r.app
	for {
		if ctx.Err() != nil {
			r.release(job)
			return job, errStop
		}
		// Renewing before every attempt keeps the lease longer than the attempt.
		renewed, err := a.kv.UpdateJob(job.ID, r.owner, a.now().Add(r.lease), nil)
		if err != nil {
			r.lost(job.ID, err)
			return job, errStop
		}
		job = renewed
		stepErr := fn(ctx)
		if stepErr == nil {
			return job, nil
		}
		if ctx.Err() != nil {
			// Being stopped is not the step's failure: the next process retries it.
			r.release(job)
			return job, errStop
		}
		n := job.Attempts[stepID] + 1
		if isPermanent(stepErr) || n >= r.maxAttempts {
			return job, stepErr
		}
		wait := r.backoff << (2 * (n - 1))
		job, err = a.kv.UpdateJob(job.ID, r.owner, a.now().Add(r.lease), func(j *store.Job) {
			if j.Attempts == nil {
				j.Attempts = map[string]int{}
			}
			j.Attempts[stepID] = n
		})
		if err != nil {
			r.lost(job.ID, err)
			return job, errStop
		}
		a.host.LogInfo("Webhook job step failed; retrying", "job", job.ID, "step", stepID, "attempt", n, "wait", wait.String(), "error", stepErr.Error())
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			r.release(job)
			return job, errStop
		case <-timer.C:
		}
	}
}

// heartbeat renews the job's lease every r.renew until ctx ends, so the lease can be
// short and still outlast any step. When another worker took the job over (this one
// was presumed dead), it cancels the work. The returned channel closes on exit.
func (r *jobRunner) heartbeat(ctx context.Context, cancel context.CancelFunc, id string) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(r.renew)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			_, err := r.app.kv.UpdateJob(id, r.owner, r.app.now().Add(r.lease), nil)
			if errors.Is(err, store.ErrLeaseLost) {
				if ctx.Err() == nil {
					r.lost(id, err)
					cancel()
				}
				return
			}
			if err != nil {
				r.app.host.LogWarn("Could not renew the lease of a webhook job", "job", id, "error", err.Error())
			}
		}
	}()
	return done
}

// finish marks the job done and releases it. The record stays (until store.JobTTL)
// so that a repeated delivery of its event adds nothing.
func (r *jobRunner) finish(job *store.Job) {
	if _, err := r.app.kv.UpdateJob(job.ID, r.owner, time.Time{}, func(j *store.Job) { j.Finished = true }); err != nil {
		r.lost(job.ID, err)
	}
}

// release gives the lease up so a restarted process (or another node) can resume
// the job at once instead of waiting for the lease to lapse.
func (r *jobRunner) release(job *store.Job) {
	if _, err := r.app.kv.UpdateJob(job.ID, r.owner, time.Time{}, nil); err != nil && !errors.Is(err, store.ErrLeaseLost) {
		r.app.host.LogWarn("Could not release a webhook job", "job", job.ID, "error", err.Error())
	}
}

func (r *jobRunner) lost(id string, err error) {
	if errors.Is(err, store.ErrLeaseLost) {
		r.app.host.LogInfo("Another node took over a webhook job", "job", id)
		return
	}
	r.app.host.LogWarn("Could not save the progress of a webhook job", "job", id, "error", err.Error())
}
