package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// loadResult is one load phase: how many deliveries, how long, their latencies.
type loadResult struct {
	Clients   int           `json:"clients"`
	Sent      int           `json:"sent"`
	Failed    int           `json:"failed"` // transport errors or non-200 answers
	Wall      time.Duration `json:"wall_ns"`
	PerSecond float64       `json:"per_second"`
	P50       time.Duration `json:"p50_ns"`
	P99       time.Duration `json:"p99_ns"`
	Max       time.Duration `json:"max_ns"`
	LastError string        `json:"last_error,omitempty"`
}

// runLoad delivers every body once, from clients concurrent senders, and
// measures each answer's latency (request sent to answer read).
func runLoad(e *env, bodies [][]byte, clients int) loadResult {
	t0 := time.Now()
	res, lat := sendSpread([]*env{e}, bodies, clients)
	res.Wall = time.Since(t0)
	res.PerSecond = float64(len(bodies)) / res.Wall.Seconds()
	res.P50, res.P99, res.Max = percentiles(lat)
	return res
}

// sendSpread delivers every body once, body i to node i%len(nodes), from clients
// concurrent senders, and returns each answer's latency (request sent to answer read).
func sendSpread(nodes []*env, bodies [][]byte, clients int) (loadResult, []time.Duration) {
	res := loadResult{Clients: clients, Sent: len(bodies)}
	lat := make([]time.Duration, len(bodies))
	next := make(chan int, len(bodies))
	for i := range bodies {
		next <- i
	}
	close(next)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				status, d, err := nodes[i%len(nodes)].webhook(bodies[i])
				lat[i] = d
				if err != nil || status != http.StatusOK {
					mu.Lock()
					res.Failed++
					if err != nil {
						res.LastError = err.Error()
					} else {
						res.LastError = fmt.Sprintf("answer %d", status)
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return res, lat
}

// percentiles returns p50, p99 (nearest rank) and the maximum.
func percentiles(lat []time.Duration) (p50, p99, top time.Duration) {
	if len(lat) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	return rank(0.50), rank(0.99), s[len(s)-1]
}

// recordingResult is the slow-download phase.
type recordingResult struct {
	Sent        int           `json:"sent"`
	Failed      int           `json:"failed"`
	Delay       time.Duration `json:"download_delay_ns"`
	Window      time.Duration `json:"sending_window_ns"`
	P50         time.Duration `json:"p50_ns"`
	P99         time.Duration `json:"p99_ns"`
	Max         time.Duration `json:"max_ns"`
	Replies     int           `json:"chat_replies_posted"`
	RepliesWait time.Duration `json:"replies_wait_ns"`
	LastError   string        `json:"last_error,omitempty"`
}

// runRecordings sends recording.completed for each body, spread over window
// from a few concurrent senders, while the simulator holds every recording
// download for delay. It then waits (bounded) for the chat-file replies the
// jobs post when the downloads finish, to show the slow work did happen.
func runRecordings(e *env, bodies [][]byte, channel string, delay, window time.Duration) recordingResult {
	res := recordingResult{Sent: len(bodies), Delay: delay, Window: window}
	chatBefore := countPosts(e, channel, "custom_zoom_chat")
	e.sim.SetDownloadDelay(delay)
	defer e.sim.SetDownloadDelay(0)

	lat := make([]time.Duration, len(bodies))
	gap := window / time.Duration(max(len(bodies), 1))
	var mu sync.Mutex
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range bodies {
		// Pace the deliveries so they span the window, all within the delay.
		if wait := time.Until(t0.Add(time.Duration(i) * gap)); wait > 0 {
			time.Sleep(wait)
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			status, d, err := e.webhook(bodies[i])
			lat[i] = d
			if err != nil || status != http.StatusOK {
				mu.Lock()
				res.Failed++
				if err != nil {
					res.LastError = err.Error()
				} else {
					res.LastError = fmt.Sprintf("answer %d", status)
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	res.P50, res.P99, res.Max = percentiles(lat)

	ctx, cancel := context.WithTimeout(context.Background(), delay+20*time.Second)
	defer cancel()
	_ = e.h.WaitFor(ctx, func() bool { return countPosts(e, channel, "custom_zoom_chat")-chatBefore >= len(bodies) })
	res.Replies = countPosts(e, channel, "custom_zoom_chat") - chatBefore
	res.RepliesWait = time.Since(t0)
	return res
}

func countPosts(e *env, channel, typ string) int {
	n := 0
	for _, p := range e.h.Posts(e.channelID(channel)) {
		if p.Type == typ {
			n++
		}
	}
	return n
}

// runGets requests path n times from one client and returns the latencies'
// p50, p99 and how many answers were not 200.
func runGets(e *env, path string, n int) (p50, p99 time.Duration, failed int) {
	lat := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		t0 := time.Now()
		resp, err := e.hook.Get(e.h.URL() + path)
		if err != nil {
			failed++
			continue
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		lat = append(lat, time.Since(t0))
		if resp.StatusCode != http.StatusOK {
			failed++
		}
	}
	p50, p99, _ = percentiles(lat)
	return p50, p99, failed
}
