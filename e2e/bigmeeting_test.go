//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// A big meeting: every participant joins, then leaves, each event delivered once by
// one of 8 concurrent senders to one of two plugin processes sharing a store. Every
// delivery is answered 200, the live count is exact after each wave, the ended card
// counts every attendee, and live updates of the card are at least 5 s apart.
func TestBigMeetingCountsEveryParticipantThroughTwoNodes(t *testing.T) {
	const n, senders = 100, 8
	e := start(t, nil)
	nodes := []*env{e, e.node()}
	e.connect("alice")
	card := e.startedCard("alice", "design")
	id := e.cardMeetingID(card)
	e.mustWebhook(e.simEvent(e.sim.StartMeeting(id)), "meeting.started")

	t0 := time.Now().Add(-time.Hour)
	person := func(i int) zoom.Participant {
		return zoom.Participant{UserName: fmt.Sprintf("Guest %03d", i), ParticipantUUID: fmt.Sprintf("p-%03d", i)}
	}
	wave := func(event string, at time.Time) {
		bodies := make([][]byte, n)
		for i := range bodies {
			bodies[i] = e.simEvent(e.sim.ParticipantEventAt(id, event, person(i), at.Add(time.Duration(i)*time.Millisecond)))
		}
		next := make(chan int)
		failures := make(chan string, n)
		var wg sync.WaitGroup
		for range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					resp, err := nodes[i%2].h.SendWebhook(bodies[i])
					if err != nil {
						failures <- err.Error()
						continue
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						failures <- fmt.Sprintf("%s #%d: %d %s", event, i, resp.StatusCode, b)
					}
				}
			}()
		}
		for i := range n {
			next <- i
		}
		close(next)
		wg.Wait()
		close(failures)
		for f := range failures {
			t.Error(f)
		}
	}
	liveCount := func() (int64, bool) {
		c, ok := num(e.h.Post(card.Id).GetProp("meeting_participants_count"))
		return int64(c), ok
	}

	wave(zoom.EventParticipantJoined, t0)
	e.waitFor("everyone on the card", func() bool {
		c, ok := liveCount()
		return ok && c == n && e.participantsFlushed(card.Id)
	})
	wave(zoom.EventParticipantLeft, t0.Add(time.Minute))
	e.waitFor("nobody left on the card", func() bool {
		c, ok := liveCount()
		return ok && c == 0 && e.participantsFlushed(card.Id)
	})
	gaps := e.cardEditGaps(card.Id)

	e.mustWebhook(e.simEvent(e.sim.EndMeeting(id)), "meeting.ended")
	e.waitFor("the ended card's attendees", func() bool {
		p := e.h.Post(card.Id)
		return p.GetProp("meeting_status") == "ENDED" && p.GetProp("meeting_attendees_count") != nil
	})
	ended := e.h.Post(card.Id)
	if c, _ := num(ended.GetProp("meeting_attendees_count")); c != n {
		t.Errorf("meeting_attendees_count %v, want %d", ended.GetProp("meeting_attendees_count"), n)
	}
	if names := stringsProp(ended, "meeting_attendees"); len(names) != n {
		t.Errorf("%d names in meeting_attendees, want %d", len(names), n)
	}
	if len(gaps) == 0 {
		t.Error("no post_edited events for the card's live updates")
	}
	for _, g := range gaps {
		if g < 5*time.Second {
			t.Errorf("live card updates %v apart, want at least 5s (all gaps: %v)", g, gaps)
		}
	}
}

// cardEditGaps is the time between consecutive post_edited events of a post, by the
// update_at each carries.
func (e *env) cardEditGaps(postID string) []time.Duration {
	var last int64
	var gaps []time.Duration
	for _, ev := range e.h.EventsNamed("post_edited") {
		raw, _ := ev.Data["post"].(string)
		var p struct {
			ID       string `json:"id"`
			UpdateAt int64  `json:"update_at"`
		}
		if json.Unmarshal([]byte(raw), &p) != nil || p.ID != postID {
			continue
		}
		if last != 0 {
			gaps = append(gaps, time.Duration(p.UpdateAt-last)*time.Millisecond)
		}
		last = p.UpdateAt
	}
	return gaps
}
