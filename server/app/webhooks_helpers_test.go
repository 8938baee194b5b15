package app

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

const testJobTimeout = 15 * time.Second

// jobSignals holds, per world, the channel every watched runner signals whenever one
// of its workers exits.
var jobSignals sync.Map

func (w *world) jobsDone() chan struct{} {
	ch, _ := jobSignals.LoadOrStore(w, make(chan struct{}, 1))
	return ch.(chan struct{})
}

// fastJobs makes a runner retry at once and signal the world when workers exit.
func (w *world) fastJobs(a *App) *App {
	w.t.Helper()
	a.jobs.Tune(func(t *jobs.Tuning) { t.Backoff, t.Notify = time.Millisecond, w.jobsDone() })
	return a
}

// waitFor waits until cond holds, woken by job workers exiting; the ticker is only a
// fallback poll, never a guess at how long work takes.
func (w *world) waitFor(what string, cond func() bool) {
	w.t.Helper()
	deadline := time.NewTimer(testJobTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-w.jobsDone():
		case <-tick.C:
		case <-deadline.C:
			w.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// jobsFinished reports whether every stored job is finished.
func (w *world) jobsFinished() bool {
	kv := store.NewKV(w.host)
	ids, err := kv.ListJobIDs()
	if err != nil {
		w.t.Fatal(err)
	}
	for _, id := range ids {
		if j, err := kv.GetJob(id); err == nil && !j.Finished {
			return false
		}
	}
	return true
}

func (w *world) waitJobs() {
	w.t.Helper()
	w.waitFor("webhook jobs to finish", w.jobsFinished)
}

// deliver hands a raw event body to an App as the webhook gate would; a failure other
// than a refused payload fails the test.
func (w *world) deliver(a *App, body []byte) error {
	w.t.Helper()
	ev, err := zoom.ParseEvent(body)
	if err != nil {
		w.t.Fatalf("parse event: %v", err)
	}
	err = a.HandleWebhook(w.ctx, ev)
	if err != nil && KindOf(err) != KindBadInput {
		w.t.Fatalf("%s failed: %v", ev.Event, err)
	}
	return err
}

// meetingObject is the meeting a meeting.* event body describes.
func (w *world) meetingObject(body []byte) zoom.MeetingObject {
	w.t.Helper()
	ev, err := zoom.ParseEvent(body)
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := ev.Meeting()
	if err != nil {
		w.t.Fatal(err)
	}
	return p.Object
}

func (w *world) mustDeliver(a *App, body []byte, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.deliver(a, body); err != nil {
		w.t.Fatalf("answered %v", err)
	}
}

// startCard connects alice, starts a meeting from Mattermost and returns its card and
// Zoom meeting id.
func (w *world) startCard() (*model.Post, int64) {
	w.t.Helper()
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	res, err := w.start(w.alice, w.private)
	if err != nil || res.PostID == "" {
		w.t.Fatalf("start: %+v %v", res, err)
	}
	card := w.post(res.PostID)
	id, _ := numberProp(card.GetProp("meeting_id"))
	return card, id
}

func (w *world) post(id string) *model.Post {
	w.t.Helper()
	p, appErr := w.host.GetPost(id)
	if appErr != nil {
		w.t.Fatalf("post %s: %v", id, appErr)
	}
	return p
}

// replies returns the posts in a card's thread, oldest first.
func (w *world) replies(card *model.Post) []*model.Post {
	var out []*model.Post
	for _, p := range w.host.ChannelPosts(card.ChannelId) {
		if p.RootId == card.Id {
			out = append(out, p)
		}
	}
	return out
}

func repliesOfType(posts []*model.Post, typ string) []*model.Post {
	var out []*model.Post
	for _, p := range posts {
		if p.Type == typ {
			out = append(out, p)
		}
	}
	return out
}

// editEvent rewrites a simulator event body through a JSON map.
func editEvent(t *testing.T, body []byte, edit func(obj map[string]any)) []byte {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	edit(env["payload"].(map[string]any)["object"].(map[string]any))
	out, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func recordingFiles(obj map[string]any) []map[string]any {
	var out []map[string]any
	for _, f := range obj["recording_files"].([]any) {
		out = append(out, f.(map[string]any))
	}
	return out
}

// downloads counts recording downloads the simulator answered.
func (w *world) downloads() int { return w.sim.CountCalls("GET", "/rec/webhook_download/") }

// logged reports whether the host logged substr. It stops the apps' workers first,
// so reading the log does not race with them.
func (w *world) logged(substr string, apps ...*App) bool {
	for _, a := range apps {
		a.StopJobs()
	}
	for _, l := range w.host.Logs() {
		if strings.Contains(l.String(), substr) {
			return true
		}
	}
	return false
}
