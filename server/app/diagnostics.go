package app

import (
	"sync"
	"time"
)

// Diagnostics counts what an admin needs to see when webhooks do not work: refusals and
// the last event. Counts are per process since activation.
type Diagnostics struct {
	mu sync.Mutex
	DiagnosticsSnapshot
}

// DiagnosticsSnapshot is a copy of the counters, read under the lock.
type DiagnosticsSnapshot struct {
	Refusals      int
	LastRefusal   string
	LastRefusalAt time.Time
	LastEvent     string
	LastEventAt   time.Time
	// FailClosed counts the refusals (included in Refusals) made because no Zoom
	// Webhook Secret is configured.
	FailClosed int
}

// Snapshot copies the counters.
func (d *Diagnostics) Snapshot() DiagnosticsSnapshot {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.DiagnosticsSnapshot
}

// RecordFailClosed notes a webhook refused because no Zoom Webhook Secret is set. Both
// counters change under one lock, so a snapshot never counts it as a failed signature.
func (d *Diagnostics) RecordFailClosed() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.refused("ZoomWebhookSecret is empty")
	d.FailClosed++
}

// RecordRefusal notes a refused webhook and why.
func (d *Diagnostics) RecordRefusal(reason string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.refused(reason)
}

// refused counts a refusal; the caller holds the lock.
func (d *Diagnostics) refused(reason string) {
	d.Refusals++
	d.LastRefusal, d.LastRefusalAt = reason, time.Now()
}

// RecordEvent notes an accepted webhook.
func (d *Diagnostics) RecordEvent(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.LastEvent, d.LastEventAt = name, time.Now()
}
