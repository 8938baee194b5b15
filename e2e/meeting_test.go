//go:build e2e

package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The whole user-level story: connect through OAuth, start a meeting from the
// webapp's route, see the card and the websocket event, end it with a signed
// webhook, see the summary.
func TestConnectStartAndEndMeeting(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")

	status, out := e.startMeeting("alice", "town-square", "false")
	if status != http.StatusOK {
		t.Fatalf("start meeting: %d %v", status, out)
	}
	var card = e.lastCard("town-square")
	if card == nil {
		t.Fatalf("no card posted; alice saw: %s", e.ephemeralText("alice"))
	}
	if card.UserId != e.userID("alice") || card.GetProp("meeting_status") != "STARTED" || card.GetProp("meeting_provider") != "Zoom" {
		t.Fatalf("card: user=%s props=%v", card.UserId, card.GetProps())
	}
	link, _ := card.GetProp("meeting_link").(string)
	if out["meeting_url"] != link || !strings.HasPrefix(link, e.sim.URL()) {
		t.Errorf("meeting_url %v, card link %q", out["meeting_url"], link)
	}
	if len(e.h.EventsNamed("custom_zoom_meeting_started")) != 1 {
		t.Errorf("meeting_started events: %v", e.h.EventsNamed("custom_zoom_meeting_started"))
	}

	// Zoom reports the start when the host joins, then the end.
	id := meetingID(t, card.GetProp("meeting_id"))
	started, err := e.sim.StartMeeting(id)
	if err != nil {
		t.Fatal(err)
	}
	if status, resp := e.webhook(started); status != http.StatusOK {
		t.Fatalf("meeting.started webhook: %d %s", status, resp)
	}
	body, err := e.sim.EndMeeting(id)
	if err != nil {
		t.Fatal(err)
	}
	if status, resp := e.webhook(body); status != http.StatusOK {
		t.Fatalf("meeting.ended webhook: %d %s", status, resp)
	}
	e.waitFor("the card to show the summary", func() bool {
		p := e.h.Post(card.Id)
		return p != nil && p.GetProp("meeting_status") == "ENDED"
	})

	// The same event again changes nothing and is not an error.
	if status, resp := e.webhook(body); status >= 300 {
		t.Errorf("repeated meeting.ended: %d %s", status, resp)
	}
}

func meetingID(t *testing.T, v any) int64 {
	t.Helper()
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	case json.Number:
		i, _ := n.Int64()
		return i
	}
	t.Fatalf("meeting_id %v (%T)", v, v)
	return 0
}
