package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Reliability at scale: a killed plugin process, contention on one KV value, and a
// big meeting, each through the real loader, on two plugin processes sharing one
// store where a cluster would.
const (
	secReliability     = "Reliability (killed process; two plugin processes sharing one store)"
	figCrashRecovery   = "recording job: restart after SIGKILL to replies posted"
	figPrefsStored     = "channel preferences stored, 200 concurrent submissions"
	figPrefsAnswered   = "channel-preference submissions answered 200"
	figBigP50          = "participant webhook answer p50, big meeting"
	figBigP99          = "participant webhook answer p99, big meeting"
	figBigHostCalls    = "host calls per participant webhook, big meeting"
	figBigCardUpdates  = "closest two live card updates, big meeting"
	figBigJoined       = "big meeting: live count after everyone joined"
	figBigLeft         = "big meeting: live count after everyone left"
	figBigAttendees    = "big meeting: attendees on the ended card"
	reliabilityTimeout = 3 * time.Minute
)

// reliability runs the three scenarios; each reports its own figures.
func reliability(r *report, o *options, say sayFunc) {
	say("reliability: a recording job whose plugin process is killed (SIGKILL) right after the answer")
	if err := crashRecovery(r, o); err != nil {
		r.missing(secReliability, figCrashRecovery, "<= 60 s", err.Error())
	}
	say("reliability: two plugin processes sharing one store")
	a, b, err := twoNodes(o)
	if err != nil {
		r.missing(secReliability, figPrefsStored, "200", err.Error())
		r.missing(secReliability, figBigP99, "< 3,000 ms", err.Error())
		return
	}
	defer b.close()
	defer a.close()
	say("reliability: %d concurrent channel-preference submissions", o.prefs)
	if err := channelPreferences(r, o, a, b); err != nil {
		r.missing(secReliability, figPrefsStored, formatNumber(float64(o.prefs)), err.Error())
	}
	say("reliability: a %d-person meeting, joins then leaves from 8 senders", o.participants)
	if err := bigMeeting(r, o, a, b); err != nil {
		r.missing(secReliability, figBigP99, "< 3,000 ms", err.Error())
	}
}

// twoNodes starts two devhosts on one store and one simulator.
func twoNodes(o *options) (*env, *env, error) {
	a, err := startEnv(o.bundle, nil, o.log)
	if err != nil {
		return nil, nil, err
	}
	h, err := devhost.Start(devhost.Options{Bundle: o.bundle, Addr: "127.0.0.1:0", Sim: a.sim, SharedStore: a.h.Store(), LogOutput: o.log})
	if err != nil {
		a.close()
		return nil, nil, err
	}
	b := &env{h: h, sim: a.sim, hook: a.hook, hookURL: h.WebhookURL()}
	return a, b, nil
}

// waitUntil waits on the store's changes for cond.
func waitUntil(h *devhost.Host, d time.Duration, cond func() bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return h.WaitFor(ctx, cond)
}

// endedCard starts a meeting as alice and has Zoom start and end it.
func endedCard(e *env) (int64, error) {
	id, err := e.startMeeting(user, channel)
	if err != nil {
		return 0, err
	}
	for _, ev := range []func(int64) ([]byte, error){e.sim.StartMeeting, e.sim.EndMeeting} {
		if err := deliver(e, ev, id); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// deliver sends the simulator's event about meeting id and wants a 200.
func deliver(e *env, event func(int64) ([]byte, error), id int64) error {
	body, err := event(id)
	if err != nil {
		return err
	}
	status, _, err := e.webhook(body)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("webhook answered %d", status)
	}
	return err
}

// jobs reads the webhook jobs' state: how many, finished, leased.
func jobs(h *devhost.Host) (n, finished, leased int) {
	for _, k := range h.KVKeys() {
		if !strings.HasPrefix(k, "zoomjob_") {
			continue
		}
		var j struct {
			Owner    string `json:"owner"`
			Finished bool   `json:"finished"`
		}
		if json.Unmarshal(h.KVGet(k), &j) != nil {
			continue
		}
		n++
		if j.Finished {
			finished++
		}
		if j.Owner != "" {
			leased++
		}
	}
	return n, finished, leased
}

// crashRecovery kills the plugin process while it downloads a recording's chat file
// (holding the job's lease, with the production lease length), starts a new one on
// the same store and times until the job is finished, each reply posted once.
func crashRecovery(r *report, o *options) error {
	e, err := startEnv(o.bundle, nil, o.log)
	if err != nil {
		return err
	}
	defer e.close()
	if err := e.connect(user); err != nil {
		return err
	}
	if err := e.preferUniqueIDs(user); err != nil {
		return err
	}
	id, err := endedCard(e)
	if err != nil {
		return err
	}
	e.sim.SetDownloadDelay(10 * time.Minute)
	if err := deliver(e, e.sim.CompleteRecording, id); err != nil {
		return err
	}
	replies := func() int {
		n := 0
		for _, p := range e.h.Posts(e.channelID(channel)) {
			if p.RootId != "" && p.UserId != "" && p.GetProp("meeting_id") != nil {
				n++
			}
		}
		return n
	}
	if err := waitUntil(e.h, time.Minute, func() bool { return replies() == 1 }); err != nil {
		return fmt.Errorf("the link reply before the kill: %w", err)
	}
	if _, _, leased := jobs(e.h); leased != 1 {
		return errors.New("no worker held the job when the process was killed")
	}
	if err := e.h.KillPlugin(); err != nil {
		return err
	}
	e.sim.SetDownloadDelay(0)
	t0 := time.Now()
	if err := e.h.StartPlugin(); err != nil {
		return err
	}
	err = waitUntil(e.h, reliabilityTimeout, func() bool {
		n, finished, _ := jobs(e.h)
		return n == 1 && finished == 1
	})
	took := time.Since(t0)
	if err != nil {
		return fmt.Errorf("the job never finished after the restart: %w", err)
	}
	note := fmt.Sprintf("production lease (30 s, renewed every 10 s); %d replies in the thread (want 2: the links and the chat file, each once)", replies())
	r.measured(secReliability, figCrashRecovery, took.Seconds(), "s", atMost, 60, note)
	return nil
}

// channelPreferences submits the channel-settings dialog for o.prefs channels at once,
// alternating between the two processes.
func channelPreferences(r *report, o *options, a, b *env) error {
	admin := a.userID("admin")
	channels := make([]*model.Channel, o.prefs)
	for i := range channels {
		channels[i] = a.h.AddOpenChannel(fmt.Sprintf("bench-pref-%04d", i))
	}
	var ok int
	var mu sync.Mutex
	var wg sync.WaitGroup
	lastErr := ""
	for i, c := range channels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			node := []*env{a, b}[i%2]
			resp, err := node.h.SubmitDialog(admin, model.SubmitDialogRequest{
				URL: "/plugins/zoom/api/v1/channel-preference", CallbackId: c.Id, State: c.Id, ChannelId: c.Id,
				Submission: map[string]any{"preference": "restrict"},
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				lastErr = err.Error()
			case resp.Error != "" || len(resp.Errors) != 0:
				lastErr = fmt.Sprintf("%+v", resp)
			default:
				ok++
			}
		}()
	}
	wg.Wait()
	var stored map[string]struct{ Preference string }
	if raw := a.h.KVGet("zoomChannelSettings"); raw != nil {
		if err := json.Unmarshal(raw, &stored); err != nil {
			return err
		}
	}
	n := 0
	for _, c := range channels {
		if stored[c.Id].Preference == "restrict" {
			n++
		}
	}
	note := "one KV value (zoomChannelSettings) changed by every submission, through two plugin processes"
	if lastErr != "" {
		note += "; last failure: " + lastErr
	}
	r.measured(secReliability, figPrefsStored, float64(n), "", exactly, float64(o.prefs), note)
	r.measured(secReliability, figPrefsAnswered, float64(ok), "", exactly, float64(o.prefs), "the rest failed (HTTP 5xx from the plugin)")
	return nil
}

// bigMeeting delivers o.participants joins, then as many leaves, for one meeting from
// 8 senders alternating between the processes, then ends the meeting.
func bigMeeting(r *report, o *options, a, b *env) error {
	if err := a.connect(user); err != nil {
		return err
	}
	if err := a.preferUniqueIDs(user); err != nil {
		return err
	}
	id, err := a.startMeeting(user, channel)
	if err != nil {
		return err
	}
	if err := deliver(a, a.sim.StartMeeting, id); err != nil {
		return err
	}
	card := latestCard(a, id)
	if card == "" {
		return errors.New("no card for the meeting")
	}
	n := o.participants
	t0 := time.Now().Add(-time.Hour)
	wave := func(event string, at time.Time) ([][]byte, error) {
		bodies := make([][]byte, n)
		for i := range bodies {
			p := zoom.Participant{UserName: fmt.Sprintf("Guest %04d", i), ParticipantUUID: fmt.Sprintf("bench-%04d", i)}
			body, err := a.sim.ParticipantEventAt(id, event, p, at.Add(time.Duration(i)*time.Millisecond))
			if err != nil {
				return nil, err
			}
			bodies[i] = body
		}
		return bodies, nil
	}
	liveCount := func() (int64, bool) {
		p := a.h.Post(card)
		if p == nil {
			return 0, false
		}
		return asInt64(p.GetProp("meeting_participants_count"))
	}
	flushed := func() bool {
		var s struct {
			Version int64 `json:"version"`
			Flushed int64 `json:"flushed"`
		}
		return json.Unmarshal(a.h.KVGet("zoomparticipants_"+card), &s) == nil && s.Version > 0 && s.Flushed >= s.Version
	}
	a.h.ResetAPICalls()
	b.h.ResetAPICalls()
	editsBefore := len(cardEdits(a.h, card))
	var lat []time.Duration
	failed, lastErr := 0, ""
	counts := make([]int64, 2)
	for w, event := range []string{zoom.EventParticipantJoined, zoom.EventParticipantLeft} {
		bodies, err := wave(event, t0.Add(time.Duration(w)*time.Minute))
		if err != nil {
			return err
		}
		res, l := sendSpread([]*env{a, b}, bodies, 8)
		lat = append(lat, l...)
		failed += res.Failed
		if res.LastError != "" {
			lastErr = res.LastError
		}
		want := int64(n)
		if w == 1 {
			want = 0
		}
		if err := waitUntil(a.h, reliabilityTimeout, func() bool {
			c, ok := liveCount()
			return ok && c == want && flushed()
		}); err != nil {
			c, _ := liveCount()
			return fmt.Errorf("live count %d after the %s wave, want %d: %w", c, event, want, err)
		}
		counts[w], _ = liveCount()
	}
	edits := cardEdits(a.h, card)[editsBefore:]
	calls := 0
	for _, h := range []*devhost.Host{a.h, b.h} {
		for _, c := range h.APICallCounts() {
			calls += c
		}
	}
	if err := deliver(a, a.sim.EndMeeting, id); err != nil {
		return err
	}
	err = waitUntil(a.h, reliabilityTimeout, func() bool {
		p := a.h.Post(card)
		_, ok := asInt64(p.GetProp("meeting_attendees_count"))
		return ok
	})
	attendees, _ := asInt64(a.h.Post(card).GetProp("meeting_attendees_count"))
	if err != nil {
		return fmt.Errorf("no attendee count on the ended card: %w", err)
	}

	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	note := fmt.Sprintf("%d joins then %d leaves of one meeting, 8 senders, alternating between two processes; %d of %d answers were not 200 %s",
		n, n, failed, len(lat), lastErr)
	r.measured(secReliability, figBigP50, ms(pct(0.50)), "ms", atMost, 3000, note)
	r.measured(secReliability, figBigP99, ms(pct(0.99)), "ms", atMost, 3000, "Zoom gives up on an answer after 3 s")
	r.measured(secReliability, figBigHostCalls, float64(calls)/float64(2*n), "", atMost, 6,
		"both processes' host calls during the two waves and their card updates, per event")
	note = fmt.Sprintf("%d updates (UpdatePost) of the card while it was live, over both waves", len(edits))
	if len(edits) > 1 {
		least := time.Duration(1 << 62)
		for i := 1; i < len(edits); i++ {
			least = min(least, edits[i]-edits[i-1])
		}
		r.measured(secReliability, figBigCardUpdates, least.Seconds(), "s", atLeast, 5, note)
	} else {
		r.missing(secReliability, figBigCardUpdates, ">= 5 s", note)
	}
	r.measured(secReliability, figBigJoined, float64(counts[0]), "", exactly, float64(n), "meeting_participants_count after the joins")
	r.measured(secReliability, figBigLeft, float64(counts[1]), "", exactly, 0, "meeting_participants_count after the leaves")
	r.measured(secReliability, figBigAttendees, float64(attendees), "", exactly, float64(n),
		"meeting_attendees_count of the ended card (its name list stays capped)")
	return nil
}

// latestCard is the post id of the meeting's card.
func latestCard(e *env, id int64) string {
	posts := e.h.Posts(e.channelID(channel))
	for i := len(posts) - 1; i >= 0; i-- {
		if got, ok := asInt64(posts[i].GetProp("meeting_id")); ok && got == id && posts[i].Type == "custom_zoom" {
			return posts[i].Id
		}
	}
	return ""
}

// cardEdits lists the update_at of every post_edited event of the post.
func cardEdits(h *devhost.Host, postID string) []time.Duration {
	var out []time.Duration
	for _, ev := range h.EventsNamed("post_edited") {
		raw, _ := ev.Data["post"].(string)
		var p struct {
			ID       string `json:"id"`
			UpdateAt int64  `json:"update_at"`
		}
		if json.Unmarshal([]byte(raw), &p) == nil && p.ID == postID {
			out = append(out, time.Duration(p.UpdateAt)*time.Millisecond)
		}
	}
	return out
}
