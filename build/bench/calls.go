package main

import (
	"fmt"
	"net/http"
)

// callStats averages per-operation call counts over several operations.
type callStats struct {
	n          int
	host, zoom map[string]float64 // summed per name (host) or "METHOD path" (Zoom)
	hostMax    int
	zoomMax    int
}

func newCallStats() *callStats {
	return &callStats{host: map[string]float64{}, zoom: map[string]float64{}}
}

// begin zeroes the host's and the simulator's call logs.
func (c *callStats) begin(e *env) {
	e.h.ResetAPICalls()
	e.sim.ResetCalls()
}

// end adds what the logs saw since begin as one operation.
func (c *callStats) end(e *env) {
	c.n++
	total := 0
	for name, v := range e.h.APICallCounts() {
		c.host[name] += float64(v)
		total += v
	}
	c.hostMax = max(c.hostMax, total)
	calls := e.sim.Calls()
	for _, call := range calls {
		c.zoom[call.Method+" "+zoomPathShape(call.Path)]++
	}
	c.zoomMax = max(c.zoomMax, len(calls))
}

func (c *callStats) perOp(m map[string]float64) (float64, map[string]float64) {
	per, total := map[string]float64{}, 0.0
	for k, v := range m {
		per[k] = v / float64(max(c.n, 1))
		total += v
	}
	return total / float64(max(c.n, 1)), per
}

// zoomPathShape hides ids and emails in Zoom paths so calls group by endpoint.
func zoomPathShape(p string) string {
	switch {
	case len(p) > len("/v2/users/") && p[:len("/v2/users/")] == "/v2/users/":
		rest := p[len("/v2/users/"):]
		for i := 0; i < len(rest); i++ {
			if rest[i] == '/' {
				return "/v2/users/{id}" + rest[i:]
			}
		}
		return "/v2/users/{id}"
	case len(p) > len("/rec/webhook_download/") && p[:len("/rec/webhook_download/")] == "/rec/webhook_download/":
		return "/rec/webhook_download/{file}"
	}
	return p
}

// measureStarts runs n /zoom start commands as user and counts, per start,
// the plugin's host API calls and the Zoom API calls the simulator answered.
func measureStarts(e *env, user, channel string, n int) (*callStats, []int64, error) {
	stats := newCallStats()
	ids := make([]int64, 0, n)
	for i := 0; i < n; i++ {
		stats.begin(e)
		id, err := e.startMeeting(user, channel)
		if err != nil {
			return stats, ids, fmt.Errorf("start %d: %w", i+1, err)
		}
		stats.end(e)
		ids = append(ids, id)
	}
	return stats, ids, nil
}

// prepareEnded makes each meeting's Zoom instance start and end in the
// simulator and returns the meeting.ended bodies, ready to send. The
// meeting.started events are not delivered: the first instance of a new
// meeting keeps the uuid its card was stored under, so meeting.ended finds
// the card by uuid exactly as after a delivered meeting.started.
func prepareEnded(e *env, ids []int64) ([][]byte, error) {
	bodies := make([][]byte, 0, len(ids))
	for _, id := range ids {
		if _, err := e.sim.StartMeeting(id); err != nil {
			return nil, err
		}
		b, err := e.sim.EndMeeting(id)
		if err != nil {
			return nil, err
		}
		bodies = append(bodies, b)
	}
	return bodies, nil
}

// measureEnded sends each body once, counting host and Zoom calls per
// delivery; every answer must be 200.
func measureEnded(e *env, bodies [][]byte) (*callStats, error) {
	stats := newCallStats()
	for _, b := range bodies {
		stats.begin(e)
		status, _, err := e.webhook(b)
		if err != nil {
			return stats, err
		}
		if status != http.StatusOK {
			return stats, fmt.Errorf("meeting.ended answered %d", status)
		}
		stats.end(e)
	}
	return stats, nil
}
