//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// A meeting ends in Zoom but its meeting.ended webhook is lost: the card sweeper (a
// cluster job, run here by two plugin instances sharing one store) ends the card with
// Zoom's real start and end, once, and a late meeting.ended changes nothing.
func TestSweeperEndsCardWhoseMeetingEndedWasLost(t *testing.T) {
	// The plugin processes inherit the environment: a job every 250ms, a card's
	// first check a second after it is posted (production: 5 and 15 minutes).
	t.Setenv("ZOOM_PLUGIN_SWEEP_INTERVAL", "250ms")
	t.Setenv("ZOOM_PLUGIN_SWEEP_FIRST_CHECK", "1s")
	e := start(t, nil)
	nodes := []*env{e, e.node()}

	e.connect("alice")
	card := e.startedCard("alice", "design")
	id := e.cardMeetingID(card)
	e.mustWebhook(e.simEvent(e.sim.StartMeeting(id)), "meeting.started")
	// Zoom ends the meeting (GET /past_meetings now reports it); the webhook is lost.
	ended := e.simEvent(e.sim.EndMeeting(id))
	begin, end := meetingTimes(t, ended)

	e.waitFor("a sweep to end the card", func() bool { return sweptEnded(nodes) > 0 })
	// Each node runs the job again afterwards; neither ends the card a second time.
	e.waitForSweeps(nodes)
	if n := sweptEnded(nodes); n != 1 {
		t.Fatalf("the sweeps ended %d cards, want 1; sweeps: %s", n, sweepLogs(nodes))
	}
	got := e.h.Post(card.Id)
	gotBegin, _ := num(got.GetProp("meeting_start_time"))
	gotEnd, _ := num(got.GetProp("meeting_end_time"))
	if got.GetProp("meeting_status") != "ENDED" || got.Message != "The meeting has ended" ||
		gotBegin != begin.UnixMilli() || gotEnd != end.UnixMilli() {
		t.Fatalf("card after the sweep (want Zoom's start %v and end %v): %q %v", begin, end, got.Message, got.GetProps())
	}
	if text := attachmentText([]*model.Post{got}); !strings.Contains(text, "Length:") {
		t.Errorf("summary attachment: %q", text)
	}
	if names := stringsProp(got, "meeting_attendees"); strings.Join(names, ",") != "@alice" {
		t.Errorf("meeting_attendees %q, want @alice from Zoom's report", names)
	}
	if e.h.KVGet("zoomopencard_"+card.Id) != nil {
		t.Error("the ended card is still tracked")
	}
	if n := e.sim.CountCalls(http.MethodGet, "/v2/past_meetings/"); n == 0 {
		t.Error("the sweeper never asked Zoom for the past meeting")
	}
	if cards, replies := e.cards("design"), e.replies(got); len(cards) != 1 || len(replies) != 0 {
		t.Errorf("design has %d cards and the card %d replies: %s", len(cards), len(replies), messages(replies))
	}

	// Zoom retries the webhook late, to each node: nothing changes, then or after
	// the next sweeps.
	before := e.state()
	for _, n := range nodes {
		n.mustWebhook(ended, "late meeting.ended")
	}
	e.waitForSweeps(nodes)
	if diff := before.diff(e.state()); diff != "" {
		t.Errorf("a late meeting.ended changed: %s", diff)
	}
	if n := sweptEnded(nodes); n != 1 {
		t.Errorf("the sweeps ended %d cards after the late webhook, want 1", n)
	}
}

// meetingTimes are the start and end an event reports.
func meetingTimes(t *testing.T, body []byte) (time.Time, time.Time) {
	t.Helper()
	ev, err := zoom.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ev.Meeting()
	if err != nil {
		t.Fatal(err)
	}
	begin, err1 := time.Parse(time.RFC3339, p.Object.StartTime)
	end, err2 := time.Parse(time.RFC3339, p.Object.EndTime)
	if err1 != nil || err2 != nil {
		t.Fatalf("event times %q %q", p.Object.StartTime, p.Object.EndTime)
	}
	return begin, end
}

// sweepsDone is how many sweeps (runs of the card sweeper job) a node has logged.
func (e *env) sweepsDone() int {
	n := 0
	for _, l := range e.h.Logs() {
		if l.Message == "Zoom card sweep" {
			n++
		}
	}
	return n
}

// waitForSweeps waits until every node has finished one more sweep. The job's
// cluster mutex keeps sweeps from overlapping, so each of these started after every
// sweep already logged.
func (e *env) waitForSweeps(nodes []*env) {
	e.t.Helper()
	seen := make([]int, len(nodes))
	for i, n := range nodes {
		seen[i] = n.sweepsDone()
	}
	e.waitFor("a sweep on every node", func() bool {
		for i, n := range nodes {
			if n.sweepsDone() <= seen[i] {
				return false
			}
		}
		return true
	})
	now := make([]int, len(nodes))
	for i, n := range nodes {
		now[i] = n.sweepsDone()
	}
	e.t.Logf("sweeps per node: %v, then %v", seen, now)
}

// sweptEnded is how many cards the nodes' sweeps report they ended.
func sweptEnded(nodes []*env) int64 {
	var total int64
	for _, n := range nodes {
		for _, l := range n.h.Logs() {
			if l.Message == "Zoom card sweep" {
				// Log values cross the RPC boundary as text.
				ended, _ := strconv.ParseInt(fmt.Sprint(l.Fields["ended"]), 10, 64)
				total += ended
			}
		}
	}
	return total
}

// sweepLogs lists the nodes' sweeps that did something, for failure messages.
func sweepLogs(nodes []*env) string {
	var out []string
	for i, n := range nodes {
		for _, l := range n.h.Logs() {
			if l.Message == "Zoom card sweep" && l.Level != "debug" {
				out = append(out, fmt.Sprintf("node %d: %s", i+1, l))
			}
		}
	}
	return strings.Join(out, "\n")
}
