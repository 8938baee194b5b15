package app

import (
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// A channel set to "restrict" never allows meetings (README, settings table): neither a
// new subscription of it, nor the cards of a subscription made before the restriction.
func TestRestrictedChannelGetsNoSubscriptionCards(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)
	w.mustSubscribe(w.alice, w.private, m.ID)
	if err := w.app.kv.SetChannelPreference(w.private.Id, store.ChannelRestrict); err != nil {
		t.Fatal(err)
	}
	started, err := w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	if n := len(w.cards(w.private)); n != 0 {
		t.Fatalf("%d subscription cards posted in a restricted channel", n)
	}

	other := w.recurring(w.alice)
	_, err = w.subscribe(w.alice, w.private, other.ID)
	wantRefusal(t, err, KindForbidden, "")
}
