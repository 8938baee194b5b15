package jobs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

const testTimeout = 10 * time.Second

// rig is one KV shared by the runners (nodes) of a test, and a record of what their
// steps did.
type rig struct {
	t      *testing.T
	host   *devhosttest.Host
	kv     *store.KV
	exited chan struct{}

	mu   sync.Mutex
	runs map[string]int // step id → times Run was called
}

func newRig(t *testing.T) *rig {
	host := devhosttest.NewHost(nil)
	return &rig{t: t, host: host, kv: store.NewKV(host), exited: make(chan struct{}, 1), runs: map[string]int{}}
}

// node is a runner (one process) with fast retries, whose workers signal the rig.
func (g *rig) node(o Options, handlers map[string]Handler) *Runner {
	o.Store, o.Log, o.Now, o.Handlers = g.kv, g.host, time.Now, handlers
	r := New(o)
	r.Tune(func(t *Tuning) { t.Backoff, t.Notify = time.Millisecond, g.exited })
	g.t.Cleanup(r.Stop)
	return r
}

// step counts its runs and then does fn (nil: succeeds).
func (g *rig) step(id string, fn func(ctx context.Context) error) Step {
	return Step{ID: id, Run: func(ctx context.Context) error {
		g.mu.Lock()
		g.runs[id]++
		g.mu.Unlock()
		if fn == nil {
			return nil
		}
		return fn(ctx)
	}}
}

func (g *rig) ran(id string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.runs[id]
}

func (g *rig) insert(job *store.Job) {
	g.t.Helper()
	if job.CreatedAt == 0 {
		job.CreatedAt = time.Now().UnixMilli()
	}
	if ok, err := g.kv.InsertJob(job); !ok || err != nil {
		g.t.Fatalf("insert: %v %v", ok, err)
	}
}

func (g *rig) job(id string) *store.Job {
	g.t.Helper()
	j, err := g.kv.GetJob(id)
	if err != nil {
		g.t.Fatal(err)
	}
	return j
}

// waitFor waits until cond holds, woken whenever a worker exits; the ticker is only a
// fallback poll.
func (g *rig) waitFor(what string, cond func() bool) {
	g.t.Helper()
	deadline := time.NewTimer(testTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-g.exited:
		case <-tick.C:
		case <-deadline.C:
			g.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// idle reports whether no worker of r is running.
func idle(r *Runner) func() bool {
	return func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.running) == 0
	}
}

func (g *rig) finished(id string) func() bool {
	return func() bool { return g.job(id).Finished }
}

func TestStepsRunInOrderOnceAndTheJobIsFinishedAndReleased(t *testing.T) {
	g := newRig(t)
	var order []string
	record := func(id string) func(context.Context) error {
		return func(context.Context) error { order = append(order, id); return nil }
	}
	r := g.node(Options{}, map[string]Handler{"k": func(*store.Job) ([]Step, error) {
		return []Step{g.step("a", record("a")), g.step("b", record("b"))}, nil
	}})
	g.insert(&store.Job{ID: "j", Kind: "k"})
	r.Kick("j")
	r.Kick("j") // a second kick while the worker runs adds nothing
	g.waitFor("the job to finish", g.finished("j"))
	j := g.job("j")
	if len(order) != 2 || order[0] != "a" || order[1] != "b" || !j.IsDone("a") || !j.IsDone("b") {
		t.Fatalf("steps ran %v, done %v", order, j.Done)
	}
	if j.Owner != "" || j.LeaseUntil != 0 {
		t.Fatalf("a finished job keeps its lease: %+v", j)
	}
	r.ResumeAll() // finished jobs are not worked on again
	g.waitFor("the runner to be idle", idle(r))
	if g.ran("a") != 1 || g.ran("b") != 1 {
		t.Fatalf("runs %v", g.runs)
	}
}

func TestFailingStepIsRetriedThenGivenUpAndPermanentFailuresAreNot(t *testing.T) {
	g := newRig(t)
	var gaveUp []string
	fail := func(err error) func(context.Context) error { return func(context.Context) error { return err } }
	giveUp := func(st Step) Step {
		st.GiveUp = func(error) { gaveUp = append(gaveUp, st.ID) }
		return st
	}
	r := g.node(Options{}, map[string]Handler{"k": func(*store.Job) ([]Step, error) {
		return []Step{
			giveUp(g.step("flaky", fail(errors.New("try again")))),
			giveUp(g.step("broken", fail(Permanent(errors.New("never"))))),
			g.step("last", nil),
		}, nil
	}})
	g.insert(&store.Job{ID: "j", Kind: "k"})
	r.Kick("j")
	g.waitFor("the job to finish", g.finished("j"))
	if g.ran("flaky") != DefaultMaxAttempts || g.ran("broken") != 1 || g.ran("last") != 1 {
		t.Fatalf("runs %v, want flaky %d, broken 1, last 1", g.runs, DefaultMaxAttempts)
	}
	if len(gaveUp) != 2 || gaveUp[0] != "flaky" || gaveUp[1] != "broken" {
		t.Fatalf("gave up on %v", gaveUp)
	}
	if j := g.job("j"); j.Attempts["flaky"] != DefaultMaxAttempts-1 {
		t.Fatalf("attempts recorded: %v", j.Attempts)
	}
}

func TestUnknownKindAndOldJobsAreFinishedWithoutRunning(t *testing.T) {
	g := newRig(t)
	r := g.node(Options{}, map[string]Handler{"k": func(*store.Job) ([]Step, error) {
		return []Step{g.step("s", nil)}, nil
	}})
	g.insert(&store.Job{ID: "unknown", Kind: "other"})
	g.insert(&store.Job{ID: "old", Kind: "k", CreatedAt: time.Now().Add(-MaxAge - time.Hour).UnixMilli()})
	r.Resume()
	g.waitFor("both jobs to finish", func() bool { return g.finished("unknown")() && g.finished("old")() })
	if g.ran("s") != 0 {
		t.Fatal("an expired job still ran")
	}
}

func TestStopReleasesTheLeaseAndTheNextProcessResumes(t *testing.T) {
	g := newRig(t)
	started := make(chan struct{})
	blocking := map[string]Handler{"k": func(*store.Job) ([]Step, error) {
		return []Step{g.step("s", func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		})}, nil
	}}
	first := g.node(Options{}, blocking)
	g.insert(&store.Job{ID: "j", Kind: "k"})
	first.Kick("j")
	<-started
	first.Stop()
	first.Stop() // idempotent
	if j := g.job("j"); j.Finished || j.Owner != "" || j.Attempts["s"] != 0 {
		t.Fatalf("a stopped job was finished, kept its lease or counted as failed: %+v", j)
	}
	first.Kick("j") // a stopped runner starts nothing
	if !idle(first)() {
		t.Fatal("a stopped runner started a worker")
	}

	next := g.node(Options{}, map[string]Handler{"k": func(*store.Job) ([]Step, error) {
		return []Step{g.step("s", nil)}, nil
	}})
	next.Resume()
	g.waitFor("the job to finish", g.finished("j"))
	if g.ran("s") != 2 {
		t.Fatalf("step ran %d times, want once per process", g.ran("s"))
	}
}

func TestNotReadyLeavesTheJobUntouched(t *testing.T) {
	g := newRig(t)
	var ready sync.Mutex
	isReady := false
	r := g.node(Options{Ready: func() bool { ready.Lock(); defer ready.Unlock(); return isReady }},
		map[string]Handler{"k": func(*store.Job) ([]Step, error) { return []Step{g.step("s", nil)}, nil }})
	g.insert(&store.Job{ID: "j", Kind: "k"})
	r.ResumeAll()
	g.waitFor("the worker to leave", idle(r))
	if j := g.job("j"); j.Finished || j.Owner != "" || j.Claims != 0 || g.ran("s") != 0 {
		t.Fatalf("a runner that was not ready touched the job: %+v", j)
	}
	ready.Lock()
	isReady = true
	ready.Unlock()
	r.ResumeAll()
	g.waitFor("the job to finish", g.finished("j"))
}

// A node that claimed a job and died: another node gives way while the lease is live
// and takes the job as soon as it lapses, without waiting for its regular sweep.
func TestDeadNodesLeaseIsRespectedThenTakenOverWhenItLapses(t *testing.T) {
	g := newRig(t)
	const lease = 300 * time.Millisecond
	g.insert(&store.Job{ID: "j", Kind: "k"})
	if j, err := g.kv.ClaimJob("j", "dead-node", time.Now(), time.Now().Add(lease)); err != nil || j == nil {
		t.Fatalf("claim: %v %v", j, err)
	}
	r := g.node(Options{Lease: lease}, map[string]Handler{"k": func(*store.Job) ([]Step, error) {
		return []Step{g.step("s", nil)}, nil
	}})
	r.Tune(func(t *Tuning) { t.SweepEvery = time.Hour })
	if lapse := r.ResumeAll(); lapse <= 0 || lapse > lease+leaseSlack {
		t.Fatalf("ResumeAll says the lease lapses in %v", lapse)
	}
	g.waitFor("the worker to give way", idle(r))
	if g.ran("s") != 0 {
		t.Fatal("worked on a job leased by a live node")
	}
	r.Resume()
	g.waitFor("the job after the dead node's lease lapsed", g.finished("j"))
	if j := g.job("j"); j.Claims != 2 || g.ran("s") != 1 {
		t.Fatalf("claims %d, runs %d", j.Claims, g.ran("s"))
	}
}

// A step that takes several leases keeps its job: the heartbeat renews the lease, so
// a second node sweeping meanwhile never takes the job over.
func TestHeartbeatKeepsALongStepWithItsWorker(t *testing.T) {
	g := newRig(t)
	const lease = 300 * time.Millisecond
	slow := map[string]Handler{"k": func(*store.Job) ([]Step, error) {
		return []Step{g.step("s", func(ctx context.Context) error {
			select { // the work itself takes four leases
			case <-time.After(4 * lease):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})}, nil
	}}
	first := g.node(Options{Lease: lease}, slow)
	second := g.node(Options{Lease: lease}, slow)
	for _, r := range []*Runner{first, second} {
		r.Tune(func(t *Tuning) { t.SweepEvery = lease / 2 })
	}
	g.insert(&store.Job{ID: "j", Kind: "k"})
	first.Kick("j")
	second.Resume()
	g.waitFor("the job to finish", g.finished("j"))
	if j := g.job("j"); g.ran("s") != 1 || j.Claims != 1 {
		t.Fatalf("step ran %d times, job claimed %d times: it changed hands while its worker was alive", g.ran("s"), j.Claims)
	}
}

// A worker did a step and died before recording it: the next worker asks Posted and
// does not do it again.
func TestResumedJobSkipsAStepThatAlreadyTookEffect(t *testing.T) {
	g := newRig(t)
	g.insert(&store.Job{ID: "j", Kind: "k"})
	if j, err := g.kv.ClaimJob("j", "dead-node", time.Now(), time.Now()); err != nil || j == nil {
		t.Fatalf("claim: %v %v", j, err)
	}
	r := g.node(Options{}, map[string]Handler{"k": func(*store.Job) ([]Step, error) {
		done, todo := g.step("done", nil), g.step("todo", nil)
		done.Posted = func() bool { return true }
		todo.Posted = func() bool { return false }
		return []Step{done, todo}, nil
	}})
	r.Resume()
	g.waitFor("the job to finish", g.finished("j"))
	if g.ran("done") != 0 || g.ran("todo") != 1 || !g.job("j").IsDone("done") {
		t.Fatalf("runs %v", g.runs)
	}
}

func TestLeaseFromEnvShortensOnlyWithinBounds(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    time.Duration
		problem bool
	}{
		{"", DefaultLease, false},
		{"2s", 2 * time.Second, false},
		{"10ms", DefaultLease, true},
		{"1h", DefaultLease, true},
		{"soon", DefaultLease, true},
	} {
		got, problem := LeaseFromEnv(func(name string) string {
			if name == EnvLease {
				return tc.value
			}
			return ""
		})
		if got != tc.want || (problem != "") != tc.problem {
			t.Errorf("%s=%q: got %v %q, want %v (problem %v)", EnvLease, tc.value, got, problem, tc.want, tc.problem)
		}
	}
}
