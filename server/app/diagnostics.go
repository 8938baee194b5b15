package app

import (
	"sync"
	"time"
)

// Diagnostics counts what an admin needs to see when webhooks do not work: refusals and
// the last event. Counts are per process since activation.
type Diagnostics struct {
	mu            sync.Mutex
	Refusals      int
	LastRefusal   string
	LastRefusalAt time.Time
	LastEvent     string
	LastEventAt   time.Time
}

// RecordRefusal notes a refused webhook and why.
func (d *Diagnostics) RecordRefusal(reason string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.Refusals++
	d.LastRefusal, d.LastRefusalAt = reason, time.Now()
}

// RecordEvent notes an accepted webhook.
func (d *Diagnostics) RecordEvent(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.LastEvent, d.LastEventAt = name, time.Now()
}
