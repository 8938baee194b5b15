package app

import (
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// lostEnd runs alice's meeting to its end in Zoom, losing the meeting.ended webhook.
// It returns the card, the meeting id, the undelivered event and Zoom's end time.
func (w *world) lostEnd() (*model.Post, int64, []byte, time.Time) {
	w.t.Helper()
	card, id := w.liveCard()
	ended, err := w.sim.EndMeeting(id)
	if err != nil {
		w.t.Fatal(err)
	}
	ev, _ := zoom.ParseEvent(ended)
	p, _ := ev.Meeting()
	end, _ := time.Parse(time.RFC3339, p.Object.EndTime)
	return card, id, ended, end
}

func (w *world) openCard(postID string) (store.OpenCard, bool) {
	c, err := w.app.kv.GetOpenCard(postID)
	return c, err == nil
}

func TestSweeperEndsACardWhoseMeetingEndedWasLost(t *testing.T) {
	w := newWorld(t)
	card, _, ended, end := w.lostEnd()
	if rec, ok := w.openCard(card.Id); !ok || rec.UserID != w.alice.Id || rec.Attempts != 0 {
		t.Fatalf("card not tracked: %+v", rec)
	}
	// Not due yet: Zoom is not asked.
	w.sim.ResetCalls()
	if res := w.app.sweepOpenCards(w.ctx); res.Checked != 0 || w.sim.CountCalls("", "/v2/past_meetings/") != 0 {
		t.Fatalf("checked a card before its first check: %+v", res)
	}
	w.advance(w.app, sweepFirstCheck)
	res := w.app.sweepOpenCards(w.ctx)
	if res.Ended != 1 {
		t.Fatalf("sweep: %+v", res)
	}
	after := w.post(card.Id)
	assertEnded(t, after, end)
	if _, ok := w.openCard(card.Id); ok {
		t.Fatal("an ended card is still tracked")
	}
	if names := strs(after.GetProp(propAttendees)); len(names) != 1 || names[0] != "@alice" {
		t.Fatalf("attendees from Zoom's report: %v", names)
	}

	// The webhook arrives late (Zoom's retry): nothing changes.
	if err := w.deliver(w.app, ended); err != nil {
		t.Fatalf("late webhook answered %v", err)
	}
	w.fireTimers()
	if late := w.post(card.Id); late.UpdateAt != after.UpdateAt {
		t.Fatal("a late meeting.ended changed a card the sweeper ended")
	}
	if res := w.app.sweepOpenCards(w.ctx); res.Checked != 0 || res.Ended != 0 {
		t.Fatalf("a later sweep did something: %+v", res)
	}
}

func TestSweeperBacksOffWhileTheMeetingRunsAndOnZoomErrors(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	w.advance(w.app, sweepFirstCheck)
	base := w.app.now()
	w.app.sweepOpenCards(w.ctx)
	rec, ok := w.openCard(card.Id)
	if !ok || rec.Attempts != 1 || rec.NextCheck != base.Add(sweepBaseBackoff).UnixMilli() || rec.LeaseOwner != "" {
		t.Fatalf("after a check of a running meeting: %+v", rec)
	}
	// Before the next check nothing is asked.
	w.sim.ResetCalls()
	w.app.sweepOpenCards(w.ctx)
	if n := w.sim.CountCalls("", "/v2/past_meetings/"); n != 0 {
		t.Fatalf("%d Zoom calls before the next check", n)
	}
	// Zoom fails: the wait doubles.
	w.sim.InjectFault(zoomsim.Fault{Method: http.MethodGet, PathPrefix: "/v2/past_meetings/", Status: http.StatusServiceUnavailable})
	w.advance(w.app, sweepFirstCheck+sweepBaseBackoff)
	base = w.app.now()
	w.app.sweepOpenCards(w.ctx)
	if rec, _ := w.openCard(card.Id); rec.Attempts != 2 || rec.NextCheck != base.Add(2*sweepBaseBackoff).UnixMilli() {
		t.Fatalf("after a Zoom error: %+v", rec)
	}
	if got := w.post(card.Id); got.GetProp("meeting_status") != StatusStarted {
		t.Fatal("a Zoom error ended the card")
	}
	// Zoom recovers and the meeting has ended.
	w.sim.ClearFaults()
	if _, err := w.sim.EndMeeting(id); err != nil {
		t.Fatal(err)
	}
	w.advance(w.app, sweepFirstCheck+3*sweepBaseBackoff)
	if res := w.app.sweepOpenCards(w.ctx); res.Ended != 1 {
		t.Fatalf("sweep after recovery: %+v", res)
	}
}

func TestSweeperGivesUpAfterItsBound(t *testing.T) {
	w := newWorld(t)
	card, _ := w.liveCard() // a meeting that never ends
	w.advance(w.app, sweepMaxAge+time.Minute)
	res := w.app.sweepOpenCards(w.ctx)
	if res.Dropped != 1 {
		t.Fatalf("sweep: %+v", res)
	}
	if _, ok := w.openCard(card.Id); ok {
		t.Fatal("still tracked after the bound")
	}
	if got := w.post(card.Id); got.GetProp("meeting_status") != StatusStarted {
		t.Fatal("a card whose end Zoom never reported was ended")
	}
	// The attempt bound too.
	w2 := newWorld(t)
	card2, _ := w2.liveCard()
	if err := w2.app.kv.ReleaseOpenCard(card2.Id, "", sweepMaxAttempts, w2.app.now()); err != nil {
		t.Fatal(err)
	}
	w2.advance(w2.app, sweepFirstCheck)
	if res := w2.app.sweepOpenCards(w2.ctx); res.Dropped != 1 {
		t.Fatalf("attempt bound: %+v", res)
	}
}

func TestTwoInstancesSweepingAtOnceEndTheCardOnce(t *testing.T) {
	for round := 0; round < 5; round++ {
		w := newWorld(t)
		card, _, _, end := w.lostEnd()
		other := w.newInstance(w.host)
		w.advance(w.app, sweepFirstCheck)
		w.advance(other, sweepFirstCheck)
		var wg sync.WaitGroup
		results := make([]SweepResult, 2)
		start := make(chan struct{})
		for i, a := range []*App{w.app, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = a.sweepOpenCards(w.ctx)
			}()
		}
		close(start)
		wg.Wait()
		if n := results[0].Ended + results[1].Ended; n != 1 {
			t.Fatalf("round %d: the card was ended %d times (%+v)", round, n, results)
		}
		assertEnded(t, w.post(card.Id), end)
	}
}

func TestSweeperHoldsNoLeaseAfterACrash(t *testing.T) {
	w := newWorld(t)
	card, _, _, end := w.lostEnd()
	crashed := w.newInstance(w.host)
	w.advance(crashed, sweepFirstCheck)
	// The crashed node claimed the card and died before finishing.
	if rec, err := w.app.kv.ClaimOpenCard(card.Id, crashed.jobs.Owner(), crashed.now(), crashed.now().Add(sweepLease)); err != nil || rec == nil {
		t.Fatalf("claim: %v %v", rec, err)
	}
	w.advance(w.app, sweepFirstCheck)
	if res := w.app.sweepOpenCards(w.ctx); res.Checked != 0 {
		t.Fatalf("a live lease was ignored: %+v", res)
	}
	w.advance(w.app, sweepFirstCheck+sweepLease+time.Second)
	if res := w.app.sweepOpenCards(w.ctx); res.Ended != 1 {
		t.Fatalf("after the lease lapsed: %+v", res)
	}
	assertEnded(t, w.post(card.Id), end)
}

func TestCardsEndedByWebhookStopBeingTracked(t *testing.T) {
	w := newWorld(t)
	card, _, ended, _ := w.lostEnd()
	w.mustDeliver(w.app, ended, nil)
	w.fireTimers()
	if _, ok := w.openCard(card.Id); ok {
		t.Fatal("a card ended by webhook is still tracked")
	}
	// A lost timer: the sweep forgets the card once it finds it ended.
	w2 := newWorld(t)
	card2, _, ended2, _ := w2.lostEnd()
	w2.mustDeliver(w2.app, ended2, nil)
	w2.app.StopLiveUpdates()
	w2.advance(w2.app, sweepFirstCheck)
	w2.sim.ResetCalls()
	w2.app.sweepOpenCards(w2.ctx)
	if _, ok := w2.openCard(card2.Id); ok {
		t.Fatal("still tracked after the sweep")
	}
	if n := w2.sim.CountCalls("GET", "/v2/past_meetings/"); n != 1 {
		t.Fatalf("%d Zoom calls: want only the participants report", n)
	}
	if names := strs(w2.post(card2.Id).GetProp(propAttendees)); len(names) != 1 {
		t.Fatalf("attendees %v", names)
	}
}

func TestSweeperForgetsADeletedCardAndItsParticipants(t *testing.T) {
	w := newWorld(t)
	card, id := w.liveCard()
	w.participant(w.app, id, zoom.EventParticipantJoined, zAlice, time.Now())
	if _, err := w.app.kv.GetParticipants(card.Id); err != nil {
		t.Fatalf("participant state before the deletion: %v", err)
	}
	if appErr := w.host.DeletePost(card.Id); appErr != nil {
		t.Fatal(appErr)
	}
	w.advance(w.app, sweepFirstCheck)
	w.sim.ResetCalls()
	if res := w.app.sweepOpenCards(w.ctx); res.Checked != 1 || res.Ended != 0 || w.sim.CountCalls("", "/v2/past_meetings/") != 0 {
		t.Fatalf("sweep of a deleted card: %+v", res)
	}
	if _, ok := w.openCard(card.Id); ok {
		t.Fatal("a deleted card is still tracked")
	}
	if _, err := w.app.kv.GetParticipants(card.Id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a deleted card's participants are kept: %v", err)
	}
}
