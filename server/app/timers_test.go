package app

import (
	"sync"
	"time"
)

// fakeTimers replaces the debounce timers of App.live: a timer runs only when the
// test calls fireTimers, so card updates happen at points the test chooses.
type fakeTimers struct {
	mu      sync.Mutex
	pending []*fakeTimer
}

type fakeTimer struct {
	owner *fakeTimers
	d     time.Duration
	f     func()
	done  bool // fired or stopped
}

func (t *fakeTimer) Stop() bool {
	t.owner.mu.Lock()
	defer t.owner.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	return true
}

func (ft *fakeTimers) afterFunc(d time.Duration, f func()) timer {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	t := &fakeTimer{owner: ft, d: d, f: f}
	ft.pending = append(ft.pending, t)
	return t
}

// fire runs every timer pending now (not ones they schedule) and returns how many ran.
func (ft *fakeTimers) fire() int {
	ft.mu.Lock()
	due := ft.pending
	ft.pending = nil
	var run []*fakeTimer
	for _, t := range due {
		if !t.done {
			t.done = true
			run = append(run, t)
		}
	}
	ft.mu.Unlock()
	for _, t := range run {
		t.f()
	}
	return len(run)
}

// delays returns the delays of the timers pending now.
func (ft *fakeTimers) delays() []time.Duration {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	var out []time.Duration
	for _, t := range ft.pending {
		if !t.done {
			out = append(out, t.d)
		}
	}
	return out
}

var worldTimers sync.Map

// timers returns the world's fake timers (shared by all its App instances).
func (w *world) timers() *fakeTimers {
	ft, _ := worldTimers.LoadOrStore(w, &fakeTimers{})
	return ft.(*fakeTimers)
}

// fireTimers runs the card updates pending now.
func (w *world) fireTimers() int { return w.timers().fire() }
