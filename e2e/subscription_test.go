//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// The host of a scheduled meeting subscribes a channel; every start of the
// meeting is then posted there by the bot, once per start.
func TestSubscriptionPostsBotCardOnStart(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.connect("bob")
	m := e.scheduleMeeting("alice", "Weekly design review")

	e.command("bob", "off-topic", fmt.Sprintf("/zoom subscription add %d", m.ID))
	if !strings.Contains(e.ephemeralText("bob"), "Only the host") {
		t.Errorf("a non-host subscribed: bob saw %q", e.ephemeralText("bob"))
	}
	e.command("alice", "design", fmt.Sprintf("/zoom subscription add %d", m.ID))
	if !strings.Contains(e.ephemeralText("alice"), "now subscribed") {
		t.Fatalf("subscribe: alice saw %q", e.ephemeralText("alice"))
	}
	var mc struct {
		ChannelID      string `json:"channel_id"`
		IsSubscription bool   `json:"is_subscription"`
		CreatedBy      string `json:"created_by"`
	}
	e.kvJSON(fmt.Sprintf("meeting_channel_%d", m.ID), &mc)
	if mc.ChannelID != e.channelID("design") || !mc.IsSubscription || mc.CreatedBy != e.userID("alice") {
		t.Errorf("meeting_channel_%d: %+v", m.ID, mc)
	}
	var index struct {
		MeetingIDs []any `json:"meeting_ids"` // numbers or strings
	}
	e.kvJSON("subscription_index_"+e.userID("alice"), &index)
	if len(index.MeetingIDs) != 1 || idText(index.MeetingIDs[0]) != fmt.Sprint(m.ID) {
		t.Errorf("subscription index: %+v", index)
	}

	started := e.simEvent(e.sim.StartMeeting(int64(m.ID)))
	e.mustWebhook(started, "meeting.started")
	e.mustWebhook(started, "meeting.started again")
	card := e.lastCard("design")
	if card == nil || len(e.cards("design")) != 1 {
		t.Fatalf("cards in design: %d", len(e.cards("design")))
	}
	if card.UserId != e.h.User("zoom").Id || e.cardMeetingID(card) != int64(m.ID) ||
		card.GetProp("meeting_status") != "STARTED" || card.GetProp("meeting_topic") != "Weekly design review" {
		t.Errorf("subscription card by %s: %v", card.UserId, card.GetProps())
	}

	e.command("alice", "design", "/zoom subscription list")
	if !strings.Contains(e.ephemeralText("alice"), fmt.Sprint(m.ID)) {
		t.Errorf("list: %q", e.ephemeralText("alice"))
	}
}

// idText renders a meeting id stored as a JSON number or string.
func idText(v any) string {
	if f, ok := v.(float64); ok {
		return fmt.Sprint(int64(f))
	}
	return fmt.Sprint(v)
}
