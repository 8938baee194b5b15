package main

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// callStats averages per-operation call counts over several operations. It
// never resets the logs: begin snapshots them and end adds the difference, so
// work that other goroutines do meanwhile is visible as such.
type callStats struct {
	n          int
	host, zoom map[string]float64 // summed per name (host) or "METHOD path" (Zoom)
	hostMax    int
	zoomMax    int
	hostMin    int            // fewest host calls in one operation (-1: none yet)
	minHost    map[string]int // the breakdown of that operation

	before     map[string]int
	zoomBefore int
}

func newCallStats() *callStats {
	return &callStats{host: map[string]float64{}, zoom: map[string]float64{}, hostMin: -1}
}

// begin snapshots the host's and the simulator's call logs.
func (c *callStats) begin(e *env) {
	c.before = e.h.APICallCounts()
	c.zoomBefore = len(e.sim.Calls())
}

// end adds what the logs saw since begin as one operation.
func (c *callStats) end(e *env) {
	c.n++
	total, op := 0, map[string]int{}
	for name, v := range e.h.APICallCounts() {
		d := v - c.before[name]
		c.host[name] += float64(d)
		total += d
		op[name] = d
	}
	c.hostMax = max(c.hostMax, total)
	if c.hostMin < 0 || total < c.hostMin {
		c.hostMin, c.minHost = total, op
	}
	calls := e.sim.Calls()
	if c.zoomBefore > len(calls) {
		c.zoomBefore = 0 // someone reset the log
	}
	for _, call := range calls[c.zoomBefore:] {
		c.zoom[call.Method+" "+zoomPathShape(call.Path)]++
	}
	c.zoomMax = max(c.zoomMax, len(calls)-c.zoomBefore)
}

func (c *callStats) perOp(m map[string]float64) (float64, map[string]float64) {
	per, total := map[string]float64{}, 0.0
	for k, v := range m {
		per[k] = v / float64(max(c.n, 1))
		total += v
	}
	return total / float64(max(c.n, 1)), per
}

// callTotal is every call both logs hold.
func callTotal(e *env) int {
	n := len(e.sim.Calls())
	for _, v := range e.h.APICallCounts() {
		n += v
	}
	return n
}

// settle waits until neither log has grown for quiet (at most limit), so work
// the plugin does after answering is over; false if it never went quiet.
func settle(e *env, quiet, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	last, since := callTotal(e), time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		if n := callTotal(e); n != last {
			last, since = n, time.Now()
		} else if time.Since(since) >= quiet {
			return true
		}
	}
	return false
}

// zoomPathShape hides ids, uuids and emails in Zoom paths so calls group by
// endpoint: what follows a collection name, up to the next known endpoint
// word, becomes {id} (a meeting uuid may hold "/", which the path shows
// decoded).
func zoomPathShape(p string) string {
	collections := map[string]bool{"users": true, "meetings": true, "past_meetings": true, "webhook_download": true, "play": true}
	words := map[string]bool{"meetings": true, "participants": true, "recordings": true, "status": true, "instances": true, "settings": true}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i := 0; i < len(segs); i++ {
		out = append(out, segs[i])
		if !collections[segs[i]] || i+1 >= len(segs) {
			continue
		}
		j := i + 1
		for j < len(segs) && !words[segs[j]] {
			j++
		}
		if j > i+1 {
			out = append(out, "{id}")
		}
		i = j - 1
	}
	return strings.Join(out, "/")
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

// endedStats is meeting.ended's cost: the calls made before each answer, and
// all calls per delivery once the follow-up work it starts is over.
type endedStats struct {
	answer, total *callStats
	settled       bool
}

// measureEnded sends each body once. Before each delivery the previous one's
// follow-up work must be over (quiet), so the answer's snapshot holds only
// its own calls, and the follow-up if it overlapped the answer (so that count
// is an upper bound). At the end everything is counted once the logs stay
// quiet for tail. Every answer must be 200.
func measureEnded(e *env, bodies [][]byte, quiet, tail time.Duration) (*endedStats, error) {
	st := &endedStats{answer: newCallStats(), total: newCallStats()}
	settle(e, quiet, 30*time.Second)
	st.total.begin(e)
	for _, b := range bodies {
		settle(e, quiet, 30*time.Second)
		st.answer.begin(e)
		status, _, err := e.webhook(b)
		if err != nil {
			return st, err
		}
		if status != http.StatusOK {
			return st, fmt.Errorf("meeting.ended answered %d", status)
		}
		st.answer.end(e)
	}
	st.settled = settle(e, tail, tail+30*time.Second)
	st.total.end(e)
	// Spread the total over the deliveries for per-webhook figures.
	st.total.n = len(bodies)
	return st, nil
}
