package devhost

import (
	"errors"
	"net/http"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// The server lets a click on an ephemeral card through only when the user may still
// read the channel the card's cookie names: someone removed from a private channel
// cannot use the buttons of a card they were shown there.
func TestEphemeralClickNeedsTheChannel(t *testing.T) {
	h := startMini(t, Options{})
	alice := h.User("alice").Id
	design := h.Channel("design")
	mustCommand(t, h, "alice", "design", "/mini ephemeral")
	eph := h.Ephemerals(alice)
	card := eph[len(eph)-1]
	if card.ChannelId != design.Id || len(card.Attachments()) == 0 {
		t.Fatalf("card: %+v", card)
	}
	yes := ""
	for _, a := range card.Attachments()[0].Actions {
		if a.Name == "Yes" {
			yes = a.Id
		}
	}
	h.store.RemoveMember(design.Id, alice)
	_, err := h.ClickAction(alice, card.Id, yes)
	var appErr *model.AppError
	if !errors.As(err, &appErr) || appErr.StatusCode != http.StatusForbidden {
		t.Fatalf("click after leaving the channel: %v", err)
	}
	if got := h.Ephemerals(alice); got[len(got)-1].Id != card.Id || got[len(got)-1].Message != card.Message {
		t.Fatalf("the click changed the card: %+v", got)
	}
}
