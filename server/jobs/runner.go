// Package jobs runs durable background work: jobs stored in KV (store.Job) before a
// caller answers, worked on by one node of the cluster at a time under a lease kept in
// the job's record, resumed after a crash from the last finished step. What a job does
// is up to the Handler registered for its kind.
package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// Timing of the runner.
const (
	// DefaultLease is how long a job stays with its worker without a sign of life.
	// A live worker renews it every lease/3 for as long as it works (downloads and
	// backoff waits included), so only a dead process lets it lapse, and another
	// process picks the job up soon after.
	DefaultLease = 30 * time.Second
	// defaultBackoff is the wait after a first failed attempt; each further failure
	// waits four times longer (5 s, 20 s, 80 s).
	defaultBackoff     = 5 * time.Second
	DefaultMaxAttempts = 4
	// A node looks for jobs left behind by a dead node every two leases, and again
	// right when a lease it saw held lapses.
	sweepLeases = 2
	// leaseSlack is how long after a lapsed lease a node tries to claim the job, so
	// small clock differences between nodes do not make it give way once more.
	leaseSlack = 100 * time.Millisecond
	// MaxAge gives up on jobs older than Zoom's download tokens.
	MaxAge = 48 * time.Hour
)

// Logger is the part of plugin.API's logging the runner uses.
type Logger interface {
	LogInfo(msg string, keyValuePairs ...any)
	LogWarn(msg string, keyValuePairs ...any)
}

// Step is one unit of a job. Run should do its work completely or not at all (post
// last), so a retry after a failure never leaves half a result behind. GiveUp, if
// set, is told when the step fails for good. Posted, asked only when an earlier worker
// had the job, reports whether the step's effect is already there: that worker died
// after doing it and before recording the step as done.
type Step struct {
	ID     string
	Run    func(ctx context.Context) error
	GiveUp func(err error)
	Posted func() bool
}

// Handler turns a stored job of one kind into its steps, in order. It may fail like a
// step: a Permanent error (or a corrupt job) ends the job, any other is retried.
type Handler func(job *store.Job) ([]Step, error)

// errStop ends a worker without finishing its job: the runner is stopping or another
// node took the job over. The job stays in KV for whoever resumes it.
var errStop = errors.New("job worker stopped")

type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// Permanent marks err as a failure that retrying cannot fix: the step is not retried.
func Permanent(err error) error { return permanentError{err} }

// IsPermanent reports whether err (or one it wraps) was marked Permanent.
func IsPermanent(err error) bool { return errors.As(err, new(permanentError)) }

// Options are the runner's dependencies.
type Options struct {
	Store *store.KV
	Log   Logger
	Now   func() time.Time
	// Lease is the lease of a job; zero means DefaultLease.
	Lease time.Duration
	// Ready, when set, is asked before a worker claims a job; false leaves the job
	// for the next sweep or activation (the app is unconfigured for a moment, and
	// failing now would use up the job's attempts).
	Ready func() bool
	// Handlers turn the jobs of each kind into steps.
	Handlers map[string]Handler
}

// Tuning holds what tests change on a runner; Tune sets it under the runner's lock.
type Tuning struct {
	Backoff, SweepEvery time.Duration
	// Paused persists jobs without working on them: a process that dies between
	// answering and doing the work.
	Paused bool
	// Notify, when set, gets a (non-blocking) signal whenever a worker exits, so
	// tests wait for work without sleeping.
	Notify chan struct{}
}

// Runner holds the workers of this process; the jobs themselves live in KV. It runs
// from New until Stop, once: a new activation builds a new runner.
type Runner struct {
	store    *store.KV
	log      Logger
	now      func() time.Time
	ready    func() bool // nil: always ready
	handlers map[string]Handler
	owner    string // this process's lease owner id
	lease    time.Duration

	// ctx ends on Stop; wg counts the goroutines Stop waits for.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	tuning   Tuning
	sweeping bool
	running  map[string]bool
}

// New builds a runner that works on jobs as soon as they are kicked.
func New(o Options) *Runner {
	lease := cmp.Or(o.Lease, DefaultLease)
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{
		store: o.Store, log: o.Log, now: o.Now, ready: o.Ready, handlers: o.Handlers, owner: model.NewId(), lease: lease,
		ctx: ctx, cancel: cancel,
		tuning:  Tuning{Backoff: defaultBackoff, SweepEvery: sweepLeases * lease},
		running: map[string]bool{},
	}
}

// Owner is this process's id in leases; other per-process leases may reuse it.
func (r *Runner) Owner() string { return r.owner }

// Tune changes the runner's timing and test hooks.
func (r *Runner) Tune(f func(*Tuning)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.tuning)
}

func (r *Runner) settings() Tuning {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tuning
}

// EnvLease shortens the lease of jobs (a Go duration such as "3s"), read once at
// activation. For tests of a killed process: production leaves it unset.
const EnvLease = "ZOOM_PLUGIN_JOB_LEASE"

// minLease is the shortest lease EnvLease accepts: renewals every third of it must
// still be far apart compared with a KV round trip.
const minLease = 300 * time.Millisecond

// LeaseFromEnv reads EnvLease with getenv (os.Getenv); see DurationFromEnv.
func LeaseFromEnv(getenv func(string) string) (time.Duration, string) {
	return DurationFromEnv(getenv, EnvLease, minLease, DefaultLease)
}

// DurationFromEnv reads the environment variable name with getenv (os.Getenv): a Go
// duration, with which tests shorten a timing. Unset, it is def; a value that is not
// a duration between min and def is named in problem, and def is used.
func DurationFromEnv(getenv func(string) string, name string, min, def time.Duration) (d time.Duration, problem string) {
	v := getenv(name)
	if v == "" {
		return def, ""
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < min || d > def {
		return def, fmt.Sprintf("%s=%q is not a duration between %v and %v; using %v", name, v, min, def, def)
	}
	return d, ""
}

// Resume picks up work a previous process accepted but did not finish, and keeps
// looking now and then for jobs a dead node of the cluster left behind. Only the
// first call after New does anything.
func (r *Runner) Resume() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sweeping || r.ctx.Err() != nil {
		return
	}
	r.sweeping = true
	r.wg.Add(1)
	go r.sweep() // resumes at once
}

// Stop stops background work before deactivation: workers see their context
// cancelled, release their leases and exit; Stop returns once they have.
func (r *Runner) Stop() {
	// Under the lock, so no Kick adds a worker once Wait may have begun.
	r.mu.Lock()
	r.cancel()
	r.mu.Unlock()
	r.wg.Wait()
}

// sweep resumes jobs now, then every SweepEvery, and sooner when a lease it found held
// by another worker (maybe a dead process) lapses earlier.
func (r *Runner) sweep() {
	defer r.wg.Done()
	for {
		wait := r.settings().SweepEvery
		if lapse := r.ResumeAll(); lapse > 0 && lapse < wait {
			wait = lapse
		}
		select {
		case <-r.ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// ResumeAll starts a worker for every unfinished job (leases keep nodes apart) before
// it returns. It returns how soon the first lease held by another worker lapses (0:
// none is held).
func (r *Runner) ResumeAll() time.Duration {
	ids, err := r.store.ListJobIDs()
	if err != nil {
		r.log.LogWarn("Could not list webhook jobs to resume", "error", err.Error())
		return 0
	}
	now := r.now()
	var first time.Duration
	for _, id := range ids {
		job, err := r.store.GetJob(id)
		if err == nil && job.Finished {
			continue
		}
		// Unreadable records are kicked too: claiming drops a corrupt one.
		r.Kick(id)
		if err == nil && job.Owner != "" && job.Owner != r.owner {
			if lapse := time.UnixMilli(job.LeaseUntil).Sub(now) + leaseSlack; lapse > 0 && (first == 0 || lapse < first) {
				first = lapse
			}
		}
	}
	return first
}

// Kick starts a worker for a stored job unless this process already runs one or is
// stopped. Kicking a finished job, or one another node works on, is harmless.
func (r *Runner) Kick(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx.Err() != nil || r.tuning.Paused || r.running[id] {
		return
	}
	r.running[id] = true
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer r.exited(id)
		r.work(id)
	}()
}

func (r *Runner) exited(id string) {
	r.mu.Lock()
	delete(r.running, id)
	notify := r.tuning.Notify
	r.mu.Unlock()
	select {
	case notify <- struct{}{}: // never ready when nil
	default:
	}
}

// plan asks the job kind's handler for the steps.
func (r *Runner) plan(job *store.Job) ([]Step, error) {
	h := r.handlers[job.Kind]
	if h == nil {
		return nil, Permanent(fmt.Errorf("unknown job kind %q", job.Kind))
	}
	return h(job)
}
