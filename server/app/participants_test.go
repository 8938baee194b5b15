package app

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// liveCard starts alice's meeting from Mattermost and reports it started in Zoom.
func (w *world) liveCard() (*model.Post, int64) {
	w.t.Helper()
	card, id := w.startCard()
	started, err := w.sim.StartMeeting(id)
	w.mustDeliver(w.app, started, err)
	return card, id
}

// cardLockedByAnotherNode is a live card with a participant change to write, whose
// cluster lock another node holds until unlock.
func (w *world) cardLockedByAnotherNode() (card *model.Post, unlock func()) {
	w.t.Helper()
	card, id := w.liveCard()
	w.participant(w.app, id, zoom.EventParticipantJoined, zAlice, time.Now())
	unlock, err := w.newInstance(w.host).lock(w.ctx, store.FlushLockKey(card.Id))
	if err != nil {
		w.t.Fatal(err)
	}
	return card, unlock
}

// participant delivers one participant event for the meeting at the given time.
func (w *world) participant(a *App, id int64, event string, p zoom.Participant, at time.Time) {
	w.t.Helper()
	body, err := w.sim.ParticipantEventAt(id, event, p, at)
	w.mustDeliver(a, body, err)
}

// Participants of the story: alice and bob are Mattermost users (matched by email),
// Dana is a guest.
var (
	zAlice = zoom.Participant{UserName: "Alice A", Email: "alice@example.com", ParticipantUUID: "P-ALICE", UserID: "16778240"}
	zBob   = zoom.Participant{UserName: "Bob B", Email: "BOB@example.com", ParticipantUUID: "P-BOB", UserID: "16778241"}
	zDana  = zoom.Participant{UserName: "Dana Guest", ParticipantUUID: "P-DANA", UserID: "16778242"}
)

func strs(v any) []string {
	var out []string
	switch l := v.(type) {
	case []string:
		out = l
	case []any:
		for _, x := range l {
			s, _ := x.(string)
			out = append(out, s)
		}
	}
	return out
}

func live(p *model.Post) (int64, []string) {
	n, _ := numberProp(p.GetProp(propParticipantsCount))
	return n, strs(p.GetProp(propParticipants))
}

func attachmentText(p *model.Post) string {
	if atts := p.Attachments(); len(atts) > 0 {
		return atts[0].Text
	}
	return ""
}

func TestParticipantsShowOnCardCoalescedOffTheRequestPath(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	t0 := time.Now()

	w.host.ResetCalls()
	w.participant(w.app, id, zoom.EventParticipantJoined, zAlice, t0)
	calls := w.host.Calls()
	// The card's uuid mapping is remembered by the node that started it: one KV read
	// (the participant state) and one compare-and-set.
	if calls["UpdatePost"] != 0 || calls["GetPost"] != 0 || calls["KVGet"] != 1 || calls["KVSetWithOptions"] != 1 {
		t.Fatalf("a participant event cost %v on the request path", calls)
	}
	w.participant(w.app, id, zoom.EventParticipantJoined, zBob, t0.Add(time.Second))
	w.participant(w.app, id, zoom.EventParticipantJoined, zDana, t0.Add(2*time.Second))
	if d := w.timers().delays(); len(d) != 1 || d[0] != flushDelay {
		t.Fatalf("pending updates %v, want one after %s", d, flushDelay)
	}
	if n, _ := live(w.post(card.Id)); n != 0 {
		t.Fatal("the card changed before the debounce fired")
	}
	w.host.ResetCalls()
	w.fireTimers()
	if n := w.host.Calls()["UpdatePost"]; n != 1 {
		t.Fatalf("three events made %d card updates", n)
	}
	got := w.post(card.Id)
	n, names := live(got)
	if n != 3 || !reflect.DeepEqual(names, []string{"@alice", "@bob", "Dana Guest"}) {
		t.Fatalf("card shows %d %v", n, names)
	}
	if txt := attachmentText(got); !strings.Contains(txt, "In the meeting (3): @alice, @bob and Dana Guest") || !strings.Contains(txt, "Join the meeting") {
		t.Fatalf("attachment text %q", txt)
	}

	// Bob leaves within the spacing window: the update waits for it.
	w.participant(w.app, id, zoom.EventParticipantLeft, zBob, t0.Add(3*time.Second))
	w.fireTimers()
	if n, _ := live(w.post(card.Id)); n != 3 {
		t.Fatalf("the card was updated again within %s", flushInterval)
	}
	if d := w.timers().delays(); len(d) != 1 || d[0] <= 0 || d[0] > flushInterval {
		t.Fatalf("rescheduled %v", d)
	}
	w.advance(w.app, flushInterval)
	w.fireTimers()
	if n, names := live(w.post(card.Id)); n != 2 || !reflect.DeepEqual(names, []string{"@alice", "Dana Guest"}) {
		t.Fatalf("after bob left: %d %v", n, names)
	}
	if d := w.timers().delays(); len(d) != 0 {
		t.Fatalf("timers left pending: %v", d)
	}
}

func TestParticipantCountsSurviveDuplicateAndOutOfOrderEvents(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	t0 := time.Now().Add(-time.Hour)
	events := []struct {
		event string
		p     zoom.Participant
		at    time.Duration
	}{
		// Dana left at +20m, delivered before her join at +1m.
		{zoom.EventParticipantLeft, zDana, 20 * time.Minute},
		{zoom.EventParticipantJoined, zDana, time.Minute},
		// Alice joins; the event is delivered three times.
		{zoom.EventParticipantJoined, zAlice, 2 * time.Minute},
		{zoom.EventParticipantJoined, zAlice, 2 * time.Minute},
		{zoom.EventParticipantJoined, zAlice, 2 * time.Minute},
		// Bob joins, leaves, rejoins; his first leave arrives last.
		{zoom.EventParticipantJoined, zBob, 3 * time.Minute},
		{zoom.EventParticipantJoined, zBob, 10 * time.Minute},
		{zoom.EventParticipantLeft, zBob, 5 * time.Minute},
	}
	for _, e := range events {
		w.participant(w.app, id, e.event, e.p, t0.Add(e.at))
	}
	w.fireTimers()
	n, names := live(w.post(card.Id))
	if n != 2 || !reflect.DeepEqual(names, []string{"@alice", "@bob"}) {
		t.Fatalf("card shows %d %v", n, names)
	}
	s, err := w.app.kv.GetParticipants(card.Id)
	if err != nil {
		t.Fatal(err)
	}
	if dana := s.People["P-DANA"]; dana.State != store.ParticipantLeft || !dana.Attended {
		t.Fatalf("dana: %+v", dana)
	}
	// A duplicate changes nothing, not even the version.
	before := s.Version
	w.participant(w.app, id, zoom.EventParticipantJoined, zAlice, t0.Add(2*time.Minute))
	if s, _ := w.app.kv.GetParticipants(card.Id); s.Version != before {
		t.Fatal("a duplicate event changed the state")
	}
	// The same events on another node, in another order, give the same count.
	w2 := newWorld(t)
	card2, id2 := w2.liveCard()
	for i := len(events) - 1; i >= 0; i-- {
		w2.participant(w2.app, id2, events[i].event, events[i].p, t0.Add(events[i].at))
	}
	w2.fireTimers()
	if n2, names2 := live(w2.post(card2.Id)); n2 != n || !reflect.DeepEqual(names2, names) {
		t.Fatalf("reversed delivery shows %d %v", n2, names2)
	}
}

func TestTwoNodesShareOneUpdateSpacing(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	other := w.newInstance(w.host)
	t0 := time.Now()
	w.participant(w.app, id, zoom.EventParticipantJoined, zAlice, t0)
	w.participant(other, id, zoom.EventParticipantJoined, zBob, t0.Add(time.Second))
	w.host.ResetCalls()
	if ran := w.fireTimers(); ran != 2 {
		t.Fatalf("%d timers ran, want one per node", ran)
	}
	if n := w.host.Calls()["UpdatePost"]; n != 1 {
		t.Fatalf("two nodes updated the card %d times within %s", n, flushInterval)
	}
	if n, _ := live(w.post(card.Id)); n != 2 {
		t.Fatalf("card shows %d", n)
	}
}

// Two nodes flushing one card at the same moment write it once.
func TestConcurrentFlushesWriteTheCardOnce(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	w.participant(w.app, id, zoom.EventParticipantJoined, zAlice, time.Now())
	other := w.newInstance(w.host)
	w.host.ResetCalls()
	var wg sync.WaitGroup
	for _, a := range []*App{w.app, other} {
		wg.Add(1)
		go func() { defer wg.Done(); a.flushCard(w.ctx, card.Id) }()
	}
	wg.Wait()
	if n := w.host.Calls()["UpdatePost"]; n != 1 {
		t.Fatalf("two concurrent flushes updated the card %d times", n)
	}
}

// Two nodes that wait for a card's lock at the same time write the card once: each
// reads the participant state only while it holds the lock, so the second finds the
// first's write.
func TestFlushesQueuedOnTheLockWriteTheCardOnce(t *testing.T) {
	w := newWorld(t)
	card, unlock := w.cardLockedByAnotherNode()
	w.host.ResetCalls()
	var wg sync.WaitGroup
	for _, a := range []*App{w.app, w.newInstance(w.host)} {
		wg.Add(1)
		go func() { defer wg.Done(); a.flushCard(w.ctx, card.Id) }()
	}
	// Both have tried the lock (an atomic KV set) before it is freed.
	w.waitFor("both flushes to try the lock", func() bool { return w.host.Calls()["KVSetWithOptions"] >= 2 })
	unlock()
	wg.Wait()
	if n := w.host.Calls()["UpdatePost"]; n != 1 {
		t.Fatalf("two flushes queued on the lock updated the card %d times", n)
	}
}

// A node writing a card holds the card's cluster lock: another node's update does not
// write the card meanwhile and asks to be tried again, then goes ahead once the lock
// is free.
func TestCardUpdateWaitsForTheCardsLock(t *testing.T) {
	w := newWorld(t)
	card, unlock := w.cardLockedByAnotherNode()
	ctx, cancel := context.WithTimeout(w.ctx, 100*time.Millisecond)
	defer cancel()
	w.host.ResetCalls()
	if again := w.app.flushCard(ctx, card.Id); again != flushDelay || w.host.Calls()["UpdatePost"] != 0 {
		t.Fatalf("while another node held the lock: retry after %s, %d card updates", again, w.host.Calls()["UpdatePost"])
	}
	unlock()
	if again := w.app.flushCard(w.ctx, card.Id); again != 0 {
		t.Fatalf("after the lock was freed: retry after %s", again)
	}
	if n, names := live(w.post(card.Id)); n != 1 || names[0] != "@alice" {
		t.Fatalf("card shows %d %v", n, names)
	}
}

// A card with nothing new costs the sweep no lock: two KV writes for every open card
// every few minutes would add up.
func TestUpToDateCardTakesNoLock(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	w.participant(w.app, id, zoom.EventParticipantJoined, zAlice, time.Now())
	if again := w.app.flushCard(w.ctx, card.Id); again != 0 {
		t.Fatalf("first flush: retry after %s", again)
	}
	w.host.ResetCalls()
	if again := w.app.flushCard(w.ctx, card.Id); again != 0 || w.host.Calls()["KVSetWithOptions"] != 0 || w.host.Calls()["KVDelete"] != 0 {
		t.Fatalf("nothing new: retry after %s, calls %v", again, w.host.Calls())
	}
}

func TestLostTimerIsRecoveredByTheSweep(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	dying := w.newInstance(w.host)
	w.participant(dying, id, zoom.EventParticipantJoined, zDana, time.Now())
	dying.StopLiveUpdates() // the process dies with its timer
	w.timers().fire()       // (the stopped timer does nothing)
	if n, _ := live(w.post(card.Id)); n != 0 {
		t.Fatal("a stopped process updated the card")
	}
	res := w.app.sweepOpenCards(w.ctx)
	if n, names := live(w.post(card.Id)); n != 1 || names[0] != "Dana Guest" || res.Flushed != 1 {
		t.Fatalf("after the sweep the card shows %d %v (%+v)", n, names, res)
	}
}

func TestWaitingForHostDMsTheCreatorOnce(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	carol := zoom.Participant{UserName: "Carol *Guest*", ParticipantUUID: "P-CAROL"}
	t0 := time.Now()
	w.participant(w.app, id, zoom.EventParticipantWaitingForHost, carol, t0)
	w.participant(w.app, id, zoom.EventParticipantWaitingForHost, carol, t0) // retried delivery
	w.participant(w.app, id, zoom.EventParticipantJoinedWaitingRoom, zDana, t0)
	w.fireTimers()
	dm, _ := w.host.GetDirectChannel(w.alice.Id, w.bot.Id)
	dms := w.host.ChannelPosts(dm.Id)
	if len(dms) != 1 || dms[0].UserId != w.bot.Id ||
		!strings.Contains(dms[0].Message, `Carol \*Guest\* is waiting for you to start the Zoom meeting **Design sync**`) ||
		!strings.Contains(dms[0].Message, "Dana Guest is in the waiting room") {
		t.Fatalf("DMs: %d %v", len(dms), dms)
	}
	// Waiting people are not in the meeting.
	if n, _ := live(w.post(card.Id)); n != 0 {
		t.Fatalf("waiting people counted: %d", n)
	}
	// Carol gets in; another update sends no new DM.
	w.advance(w.app, flushInterval)
	w.participant(w.app, id, zoom.EventParticipantJoined, carol, t0.Add(time.Minute))
	w.fireTimers()
	if n := len(w.host.ChannelPosts(dm.Id)); n != 1 {
		t.Fatalf("%d DMs", n)
	}
	if n, names := live(w.post(card.Id)); n != 1 || names[0] != `Carol *Guest*` {
		t.Fatalf("card shows %d %v", n, names)
	}
}

func TestEndedCardListsAttendeesFromEventsAndZoomReport(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	t0 := time.Now()
	w.participant(w.app, id, zoom.EventParticipantJoined, zAlice, t0)
	w.participant(w.app, id, zoom.EventParticipantJoined, zDana, t0.Add(time.Second))
	w.participant(w.app, id, zoom.EventParticipantLeft, zDana, t0.Add(time.Minute))
	w.fireTimers()
	// Bob's join webhook is lost; Zoom's report still has him.
	if _, err := w.sim.ParticipantEventAt(id, zoom.EventParticipantJoined, zBob, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	ended, err := w.sim.EndMeeting(id)
	w.mustDeliver(w.app, ended, err)
	if p := w.post(card.Id); p.GetProp(propAttendees) != nil {
		t.Fatal("attendees written on the request path")
	}
	w.fireTimers()
	got := w.post(card.Id)
	assertEnded(t, got, time.Time{})
	names := strs(got.GetProp(propAttendees))
	count, _ := numberProp(got.GetProp(propAttendeesCount))
	if !reflect.DeepEqual(names, []string{"@alice", "Dana Guest", "@bob"}) || count != 3 {
		t.Fatalf("attendees %v (%d)", names, count)
	}
	if got.GetProp(propParticipants) != nil || got.GetProp(propParticipantsCount) != nil {
		t.Fatal("an ended card still shows live participants")
	}
	if txt := attachmentText(got); !strings.Contains(txt, "Attended by 3: @alice, Dana Guest and @bob") || !strings.Contains(txt, "Length:") || strings.Contains(txt, "In the meeting") {
		t.Fatalf("summary text %q", txt)
	}
	if _, err := w.app.kv.GetOpenCard(card.Id); err == nil {
		t.Fatal("an ended card is still tracked")
	}
	// Once final, sweeps and late events do not ask Zoom again.
	w.sim.ResetCalls()
	w.app.sweepOpenCards(w.ctx)
	w.participant(w.app, id, zoom.EventParticipantLeft, zAlice, t0.Add(time.Hour))
	w.fireTimers()
	if n := w.sim.CountCalls("GET", "/v2/past_meetings/"); n != 0 {
		t.Fatalf("%d report calls after the summary was final", n)
	}
	if names := strs(w.post(card.Id).GetProp(propAttendees)); len(names) != 3 {
		t.Fatalf("attendees after a late event: %v", names)
	}
}

func TestAttendeesWithoutZoomReport(t *testing.T) {
	w := newWorld(t)
	w.sim.SetPastParticipantsDenied(true)
	card, id := w.liveCard()
	w.participant(w.app, id, zoom.EventParticipantJoined, zDana, time.Now())
	ended, err := w.sim.EndMeeting(id)
	w.mustDeliver(w.app, ended, err)
	w.fireTimers()
	got := w.post(card.Id)
	if names := strs(got.GetProp(propAttendees)); !reflect.DeepEqual(names, []string{"Dana Guest"}) {
		t.Fatalf("attendees %v", names)
	}
	s, _ := w.app.kv.GetParticipants(card.Id)
	if !s.Final || s.Report != "unavailable" {
		t.Fatalf("state %+v", s)
	}
	// An outage is retried, then given up.
	w2 := newWorld(t)
	card2, id2 := w2.liveCard()
	w2.sim.InjectFault(zoomsim.Fault{Method: "GET", PathPrefix: "/v2/past_meetings/", Status: 503})
	ended2, err := w2.sim.EndMeeting(id2)
	w2.mustDeliver(w2.app, ended2, err)
	for i := 0; i < reportMaxAttempts; i++ {
		if w2.fireTimers() != 1 {
			t.Fatalf("attempt %d was not scheduled", i+1)
		}
	}
	if s, _ := w2.app.kv.GetParticipants(card2.Id); !s.Final || s.ReportAttempts != reportMaxAttempts {
		t.Fatalf("state after outages %+v", s)
	}
	if w2.fireTimers() != 0 {
		t.Fatal("kept retrying after giving up")
	}
}

func TestAttendeesWithoutTheOwnersZoomConnection(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	if _, err := w.app.Disconnect(w.alice.Id); err != nil {
		t.Fatal(err)
	}
	ended, err := w.sim.EndMeeting(id)
	w.mustDeliver(w.app, ended, err)
	// Nobody can read the report until alice reconnects: the list is final at once.
	if w.fireTimers() != 1 {
		t.Fatal("the report was not scheduled")
	}
	if s, _ := w.app.kv.GetParticipants(card.Id); !s.Final || s.Report != "unavailable" {
		t.Fatalf("state %+v", s)
	}
	if w.fireTimers() != 0 {
		t.Fatal("asked again for a report nobody can read")
	}
}

func TestAttendeesReportAskedAgainAfterATimeout(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	// A 408 is Zoom running out of time, not a refusal: a later try gets the report.
	w.sim.InjectFault(zoomsim.Fault{Method: "GET", PathPrefix: "/v2/past_meetings/", Status: http.StatusRequestTimeout, Times: 1})
	ended, err := w.sim.EndMeeting(id)
	w.mustDeliver(w.app, ended, err)
	for i := 0; i < 2; i++ {
		if w.fireTimers() != 1 {
			t.Fatalf("attempt %d was not scheduled", i+1)
		}
	}
	if s, _ := w.app.kv.GetParticipants(card.Id); !s.Final || s.Report != "done" {
		t.Fatalf("state after a timeout and a retry %+v", s)
	}
}

func TestParticipantEventsOfUnknownMeetingsAreIgnored(t *testing.T) {
	w := newWorld(t)
	body, _ := json.Marshal(map[string]any{"event": zoom.EventParticipantJoined, "event_ts": 1, "payload": map[string]any{
		"account_id": "a", "object": map[string]any{"id": "84512367899", "uuid": "x==", "participant": map[string]any{"user_name": "Z", "participant_uuid": "P"}}}})
	if err := w.deliver(w.app, body); err != nil {
		t.Fatalf("answered %v", err)
	}
	if len(w.timers().delays()) != 0 {
		t.Fatal("scheduled an update for no card")
	}
	for k := range w.host.KV() {
		if strings.HasPrefix(k, "zoomparticipants_") {
			t.Fatalf("stored %s", k)
		}
	}
}
