package app

import (
	"context"
	"sync"
	"time"
)

// Timings of card updates from participant events.
const (
	// flushDelay coalesces a burst of events (a meeting filling up) into one update.
	flushDelay = 2 * time.Second
	// endedFlushDelay lets the participant_left events that arrive with meeting.ended
	// land first, so the summary is written once, and keeps the follow-up off the
	// answer to Zoom.
	endedFlushDelay = time.Second
	// flushInterval is the least time between two updates of one card, cluster-wide.
	flushInterval = 5 * time.Second
	// flushTimeout bounds one update, waiting for the card's lock and Zoom's
	// participants report included.
	flushTimeout = 20 * time.Second
)

// timer is the part of *time.Timer the debouncer uses, so tests can fire timers.
type timer interface{ Stop() bool }

// liveUpdates holds this process's debounce timers, one per card at most.
type liveUpdates struct {
	app *App
	// afterFunc schedules f; tests replace it to fire timers themselves.
	afterFunc func(d time.Duration, f func()) timer

	mu      sync.Mutex
	pending map[string]timer
	wg      sync.WaitGroup
	// ctx is cancelled when the process stops its updates.
	ctx    context.Context
	cancel context.CancelFunc
}

func newLiveUpdates(a *App) *liveUpdates {
	ctx, cancel := context.WithCancel(context.Background())
	return &liveUpdates{
		app:       a,
		afterFunc: func(d time.Duration, f func()) timer { return time.AfterFunc(d, f) },
		pending:   map[string]timer{},
		ctx:       ctx,
		cancel:    cancel,
	}
}

// schedule arranges an update of the card after d unless one is already pending.
func (l *liveUpdates) schedule(postID string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ctx.Err() != nil || l.pending[postID] != nil {
		return
	}
	l.wg.Add(1)
	var t timer
	t = l.afterFunc(d, func() {
		defer l.wg.Done()
		l.mu.Lock()
		if l.pending[postID] == t {
			delete(l.pending, postID)
		}
		l.mu.Unlock()
		if l.ctx.Err() != nil {
			return
		}
		ctx, cancel := context.WithTimeout(l.ctx, flushTimeout)
		again := l.app.flushCard(ctx, postID)
		cancel()
		if again > 0 {
			l.schedule(postID, again)
		}
	})
	l.pending[postID] = t
}

// stop cancels pending timers and waits for running updates.
func (l *liveUpdates) stop() {
	l.cancel()
	l.mu.Lock()
	for _, t := range l.pending {
		if t.Stop() {
			l.wg.Done()
		}
	}
	clear(l.pending)
	l.mu.Unlock()
	l.wg.Wait()
}

// StopLiveUpdates stops card updates before deactivation. Pending changes stay in KV
// and the sweeper (or the next event) writes them.
func (a *App) StopLiveUpdates() { a.live.stop() }
