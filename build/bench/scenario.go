package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
)

// Sections of the table.
const (
	secCalls    = "Calls per operation (host: the loader's metrics hook; Zoom: the simulator's call log)"
	secWebhooks = "Webhooks (signed by the simulator, through devhost routing and the plugin's ServeHTTP over RPC)"
	secProcess  = "Plugin process"
	secWebapp   = "Webapp"
	secMicro    = "Go micro-benchmarks (go test -bench; report only)"
)

// Figure names that both modes or several steps share.
const (
	figZoomStartUser = "Zoom API calls per /zoom start, user-level"
	figZoomStartAcct = "Zoom API calls per /zoom start, account-level after the first"
	figHostStartUser = "host calls per /zoom start, user-level"
	figHostStartAcct = "host calls per /zoom start, account-level after the first"
	figHostEnded     = "host calls per meeting.ended webhook"
	figLoad1         = "meeting.ended webhooks/s, 1 client"
	figLoad8         = "meeting.ended webhooks/s, 8 clients"
	figRecordingP99  = "p99 webhook answer, recording downloads held 10 s"
	figOnActivate    = "OnActivate time"
	user, channel    = "alice", "town-square"
)

type sayFunc func(format string, args ...any)

// startNote explains a start's call counts: the mean, the worst start, and
// which calls they are.
func startNote(host bool, s *callStats) string {
	if host {
		_, per := s.perOp(s.host)
		return fmt.Sprintf("mean of %d starts (most in one: %d): %s", s.n, s.hostMax, breakdown(per))
	}
	_, per := s.perOp(s.zoom)
	return fmt.Sprintf("mean of %d starts (most in one: %d): %s", s.n, s.zoomMax, breakdown(per))
}

// accountLevel measures /zoom start with the organisation's admin token:
// the first start of a user looks up their Zoom id by email, later ones use
// the cached id.
func accountLevel(r *report, o *options, say sayFunc) {
	say("account-level: starting the devhost")
	e, err := startEnv(o.bundle, map[string]any{"AccountLevelApp": true}, o.log)
	if err != nil {
		r.missing(secCalls, figZoomStartAcct, "1", "devhost: "+err.Error())
		r.missing(secCalls, figHostStartAcct, "<= 8", "devhost: "+err.Error())
		return
	}
	defer e.close()
	fail := func(err error) {
		r.missing(secCalls, figZoomStartAcct, "1", err.Error())
		r.missing(secCalls, figHostStartAcct, "<= 8", err.Error())
	}
	if err := e.connect("admin"); err != nil {
		fail(fmt.Errorf("admin connect: %w", err))
		return
	}
	if err := e.preferUniqueIDs(user); err != nil {
		fail(err)
		return
	}
	e.quietChannels()
	first, _, err := measureStarts(e, user, channel, 1)
	if err != nil {
		fail(err)
		return
	}
	say("account-level: %d /zoom start commands", o.starts)
	later, _, err := measureStarts(e, user, channel, o.starts)
	if err != nil {
		fail(err)
		return
	}
	zoomFirst, _ := first.perOp(first.zoom)
	hostFirst, _ := first.perOp(first.host)
	z, _ := later.perOp(later.zoom)
	h, _ := later.perOp(later.host)
	r.measured(secCalls, figZoomStartAcct, z, "", exactly, 1,
		startNote(false, later)+fmt.Sprintf(". The user's first start made %s (the email lookup).", formatNumber(zoomFirst)))
	r.measured(secCalls, figHostStartAcct, h, "", atMost, 8,
		startNote(true, later)+fmt.Sprintf(". The user's first start made %s.", formatNumber(hostFirst)))
}

// userLevel runs the main scenario on one plugin process: call counts,
// webhook load, RSS, slow recording downloads, and restarts for OnActivate.
func userLevel(r *report, o *options, say sayFunc) {
	say("user-level: starting the devhost with %s", filepath.Base(o.bundle))
	t0 := time.Now()
	e, err := startEnv(o.bundle, nil, o.log)
	if err != nil {
		for _, n := range []string{figZoomStartUser, figHostStartUser, figHostEnded, figLoad1, figLoad8, figRecordingP99, figOnActivate, rssName(o)} {
			r.missing(secCalls, n, "", "devhost: "+err.Error())
		}
		return
	}
	defer e.close()
	startWall := time.Since(t0)
	firstActivate := e.h.HookStats()["OnActivate"]
	rssIdle, _, _, rssIdleErr := pluginRSS(e.h)

	steps := []func() error{
		func() error { return e.connect(user) },
		func() error { return e.preferUniqueIDs(user) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			r.missing(secCalls, figZoomStartUser, "1", err.Error())
			return
		}
	}
	e.quietChannels()

	say("user-level: %d /zoom start commands", o.starts)
	starts, ids, err := measureStarts(e, user, channel, o.starts)
	if err != nil {
		r.missing(secCalls, figZoomStartUser, "1", err.Error())
		r.missing(secCalls, figHostStartUser, "<= 8", err.Error())
	} else {
		z, _ := starts.perOp(starts.zoom)
		h, _ := starts.perOp(starts.host)
		r.measured(secCalls, figZoomStartUser, z, "", exactly, 1, startNote(false, starts))
		r.measured(secCalls, figHostStartUser, h, "", atMost, 8, startNote(true, starts))
	}

	sent := 0
	say("user-level: %d meeting.ended webhooks, one by one, each after the last one's follow-up work", min(len(ids), o.ended))
	if bodies, err := prepareEnded(e, ids[:min(len(ids), o.ended)]); err != nil {
		r.missing(secCalls, figHostEnded, "<= 2", err.Error())
	} else if ended, err := measureEnded(e, bodies, 300*time.Millisecond, 6*time.Second); err != nil {
		r.missing(secCalls, figHostEnded, "<= 2", err.Error())
	} else {
		sent += len(bodies)
		endedFigures(r, ended)
	}

	loadIDs, all := loadPhases(r, o, e, say, &sent)
	topUpAndRSS(r, o, e, say, all, &sent, rssIdle, rssIdleErr)
	recordings(r, o, e, say, loadIDs)
	activations(r, o, e, say, firstActivate, startWall)
}

// endedFigures reports meeting.ended's host calls before the answer and with
// the follow-up work the delivery starts (off the request path).
func endedFigures(r *report, st *endedStats) {
	mean, aHost := st.answer.perOp(st.answer.host)
	aZoom, aZoomPer := st.answer.perOp(st.answer.zoom)
	least := map[string]float64{}
	for k, v := range st.answer.minHost {
		least[k] = float64(v)
	}
	note := fmt.Sprintf("fewest in one of %d deliveries, each ending its own card: %s. Follow-up work starts at once and, "+
		"when it overlaps the answer, counts too, so the fewest is the closest (upper) bound; mean %s (%s), most %d. Zoom calls before the answer: %s",
		st.answer.n, breakdown(least), formatNumber(mean), breakdown(aHost), st.answer.hostMax, formatNumber(aZoom))
	if aZoom > 0 {
		note += " (" + breakdown(aZoomPer) + ")"
	}
	a := float64(max(st.answer.hostMin, 0))
	r.measured(secCalls, figHostEnded+", before the answer", a, "", atMost, 2, note)

	t, tHost := st.total.perOp(st.total.host)
	tZoom, tZoomPer := st.total.perOp(st.total.zoom)
	note = fmt.Sprintf("all calls of the %d deliveries until the logs stayed quiet for 6 s, per delivery: %s. Zoom calls: %s",
		st.total.n, breakdown(tHost), formatNumber(tZoom))
	if tZoom > 0 {
		note += " (" + breakdown(tZoomPer) + ")"
	}
	if t > a {
		note += fmt.Sprintf(". So %s host calls per webhook happen after the answer (follow-up work)", formatNumber(t-a))
	}
	if !st.settled {
		note += ". The logs never stayed quiet: some follow-up work may be missing"
	}
	r.measured(secCalls, figHostEnded+", with the follow-up work it starts", t, "", atMost, 2, note)
}

// loadPhases prepares one card per delivery, then ends them from 1 and from
// 8 concurrent clients. It returns the meetings and the bodies it sent.
func loadPhases(r *report, o *options, e *env, say sayFunc, sent *int) ([]int64, [][]byte) {
	n := o.load1 + o.load8
	say("load: preparing %d meeting cards with /zoom start", n)
	t0 := time.Now()
	ids := make([]int64, 0, n)
	for i := 0; i < n; i++ {
		id, err := e.startMeeting(user, channel)
		if err != nil {
			r.missing(secWebhooks, figLoad1, "", "preparing cards: "+err.Error())
			r.missing(secWebhooks, figLoad8, "", "preparing cards: "+err.Error())
			return ids, nil
		}
		ids = append(ids, id)
	}
	perStart := time.Since(t0) / time.Duration(max(n, 1))
	bodies, err := prepareEnded(e, ids)
	if err != nil {
		r.missing(secWebhooks, figLoad1, "", err.Error())
		return ids, nil
	}
	// The fixed cost of the RPC boundary: a plugin route that makes no host calls.
	e.h.ResetAPICalls()
	baseP50, baseP99, baseFailed := runGets(e, "/plugins/zoom/api/v1/health", 300)
	baseCalls := 0
	for _, v := range e.h.APICallCounts() {
		baseCalls += v
	}
	f := r.measured(secWebhooks, "baseline: plugin HTTP round trip, no work (GET /api/v1/health)", ms(baseP50), "ms", noBudget, 0,
		fmt.Sprintf("p50 of 300 requests from 1 client (p99 %.2f ms, %d failed, %d host calls): devhost routing plus the "+
			"ServeHTTP hook over RPC; the rest of a webhook's latency is the plugin's work and its host calls", ms(baseP99), baseFailed, baseCalls))
	f.Shown = fmt.Sprintf("p50 %.2f ms", ms(baseP50))
	for _, ph := range []struct {
		name    string
		clients int
		bodies  [][]byte
	}{{figLoad1, 1, bodies[:o.load1]}, {figLoad8, 8, bodies[o.load1:]}} {
		settle(e, time.Second, 60*time.Second) // the previous phase's follow-up work
		say("load: %d meeting.ended webhooks from %d client(s)", len(ph.bodies), ph.clients)
		before := callTotal(e)
		res := runLoad(e, ph.bodies, ph.clients)
		during := callTotal(e) - before
		*sent += res.Sent
		note := fmt.Sprintf("%d deliveries, each ending its own card (card turns into a summary), in %.1f s; "+
			"answer latency p50 %.2f ms, p99 %.2f ms, max %.1f ms; %d failed",
			res.Sent, res.Wall.Seconds(), ms(res.P50), ms(res.P99), ms(res.Max), res.Failed)
		if res.LastError != "" {
			note += " (last: " + res.LastError + ")"
		}
		note += fmt.Sprintf(". Host and Zoom calls during the phase: %s per webhook (follow-up work runs alongside)",
			formatNumber(float64(during)/float64(max(res.Sent, 1))))
		if ph.clients == 1 {
			note += fmt.Sprintf(". Cards were made with /zoom start beforehand, %.1f ms each", ms(perStart))
		}
		f = r.measured(secWebhooks, ph.name, res.PerSecond, "/s", noBudget, 0, note+". Aim high.")
		f.Shown = fmt.Sprintf("%s/s (p50 %.2f ms, p99 %.2f ms)", formatNumber(res.PerSecond), ms(res.P50), ms(res.P99))
		f.Detail = res
	}
	return ids, bodies
}

// topUpAndRSS repeats meeting.ended deliveries (to cards already ended) until
// o.webhooks have been sent, then reads the plugin process's RSS.
func topUpAndRSS(r *report, o *options, e *env, say sayFunc, bodies [][]byte, sent *int, idle float64, idleErr error) {
	fresh := *sent
	if extra := o.webhooks - *sent; extra > 0 && len(bodies) > 0 {
		say("load: %d more meeting.ended webhooks (repeats) to reach %d", extra, o.webhooks)
		more := make([][]byte, extra)
		for i := range more {
			more[i] = bodies[i%len(bodies)]
		}
		res := runLoad(e, more, 8)
		*sent += res.Sent
	}
	settle(e, time.Second, 60*time.Second)
	rss, peak, pid, err := pluginRSS(e.h)
	if err != nil {
		r.missing(secProcess, rssName(o), "", err.Error())
		return
	}
	note := fmt.Sprintf("pid %d, VmRSS after %s webhooks (%s to fresh cards, the rest repeated meeting.ended on ended cards); peak (VmHWM) %.1f MiB",
		pid, formatNumber(float64(*sent)), formatNumber(float64(fresh)), mib(peak))
	if idleErr == nil {
		note += fmt.Sprintf("; %.1f MiB right after activation", mib(idle))
	}
	f := r.measured(secProcess, rssName(o), mib(rss), "MiB", noBudget, 0, note)
	f.Detail = map[string]float64{"rss_bytes": rss, "peak_bytes": peak, "idle_rss_bytes": idle, "webhooks": float64(*sent)}
}

func rssName(o *options) string {
	return "plugin process RSS after " + formatNumber(float64(o.webhooks)) + " webhooks"
}

// recordings sends recording.completed for ended meetings while the
// simulator holds every download for o.downloadDelay.
func recordings(r *report, o *options, e *env, say sayFunc, ids []int64) {
	n := min(o.recordings, len(ids))
	if n == 0 {
		r.missing(secWebhooks, figRecordingP99, "< 100 ms", "no meetings to record")
		return
	}
	bodies := make([][]byte, 0, n)
	for _, id := range ids[:n] {
		b, err := e.sim.CompleteRecording(id)
		if err != nil {
			r.missing(secWebhooks, figRecordingP99, "< 100 ms", err.Error())
			return
		}
		bodies = append(bodies, b)
	}
	say("recordings: %d recording.completed webhooks over %s, downloads held %s", n, o.recordingWindow, o.downloadDelay)
	res := runRecordings(e, bodies, channel, o.downloadDelay, o.recordingWindow)
	note := fmt.Sprintf("%d recording.completed webhooks (MP4 links + chat file) over %.1f s while the simulator held each download %s; "+
		"p50 %.2f ms, max %.1f ms; %d failed. Chat-file replies posted afterwards: %d of %d (after %.1f s), so the download ran off the request path",
		res.Sent, res.Window.Seconds(), res.Delay, ms(res.P50), ms(res.Max), res.Failed, res.Replies, res.Sent, res.RepliesWait.Seconds())
	if res.LastError != "" {
		note += " (last error: " + res.LastError + ")"
	}
	if res.Replies == 0 {
		note += ". No chat file was posted at all: is the recording job in this bundle (make dist)?"
	}
	name := figRecordingP99
	if o.downloadDelay != 10*time.Second {
		name = fmt.Sprintf("p99 webhook answer, recording downloads held %s", o.downloadDelay)
	}
	f := r.measured(secWebhooks, name, ms(res.P99), "ms", lessThan, 100, note)
	f.Detail = res
}

// activations restarts the plugin (as disable/enable does) and times
// OnActivate from the loader's hook metrics.
func activations(r *report, o *options, e *env, say sayFunc, first devhost.HookStat, startWall time.Duration) {
	var hooks, walls []time.Duration
	var calls int
	var lastErr error
	say("activation: %d restarts", o.restarts)
	for i := 0; i < o.restarts; i++ {
		e.h.ResetAPICalls()
		t0 := time.Now()
		if err := e.h.Restart(); err != nil {
			lastErr = err
			break
		}
		walls = append(walls, time.Since(t0))
		if st, ok := e.h.HookStats()["OnActivate"]; ok && st.Calls == 1 {
			hooks = append(hooks, st.Total)
		}
		for _, v := range e.h.APICallCounts() {
			calls += v
		}
	}
	all := append([]time.Duration{first.Total}, hooks...)
	if first.Calls == 0 && len(hooks) == 0 {
		why := "the loader reported no OnActivate hook"
		if lastErr != nil {
			why += "; restart: " + lastErr.Error()
		}
		r.missing(secProcess, figOnActivate, "", why)
		return
	}
	if first.Calls == 0 {
		all = hooks
	}
	slices.Sort(walls)
	med := median(all)
	note := fmt.Sprintf("median of %d activations (the first, on a fresh store, %.0f ms); ", len(all), ms(first.Total))
	if len(walls) > 0 {
		note += fmt.Sprintf("a whole restart (process start, RPC handshake, OnActivate) takes %.0f ms (median); ", ms(median(walls)))
		note += fmt.Sprintf("a restart (OnDeactivate + OnActivate) makes %s host calls", formatNumber(float64(calls)/float64(len(walls))))
	}
	note += fmt.Sprintf(". devhost.Start (unpack the bundle, start, activate) took %.0f ms", ms(startWall))
	if lastErr != nil {
		note += "; restart failed: " + lastErr.Error()
	}
	f := r.measured(secProcess, figOnActivate, ms(med), "ms", noBudget, 0, note)
	f.Detail = map[string]any{"onactivate_ns": all, "restart_ns": walls}
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
