package app

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// mustShare shares meeting id in channel as user and returns the card.
func (w *world) mustShare(user *model.User, channel *model.Channel, id int64) *model.Post {
	w.t.Helper()
	post, err := w.share(user, channel, fmt.Sprint(id))
	if err != nil {
		w.t.Fatalf("share %d in %s: %v", id, channel.Name, err)
	}
	return post
}

func (w *world) mustStatus(ids []string, want string) {
	w.t.Helper()
	for _, id := range ids {
		p := w.post(id)
		if got := p.GetProp("meeting_status"); got != want {
			w.t.Fatalf("card %s in %s is %v, want %s", id, p.ChannelId, got, want)
		}
	}
}

func (w *world) ended(id int64) []byte {
	w.t.Helper()
	body, err := w.sim.EndMeeting(id)
	if err != nil {
		w.t.Fatal(err)
	}
	return body
}

func totalCalls(calls map[string]int) int {
	n := 0
	for _, c := range calls {
		n += c
	}
	return n
}

func TestMeetingSharedInTwoChannelsEndsBothCards(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.schedule(w.alice, "All hands")
	first := w.mustShare(w.alice, w.private, m.ID)
	second := w.mustShare(w.alice, w.public, m.ID)

	// The first card keeps the instance's mapping (recordings and participants go
	// there); both are listed and marked.
	if got, _ := w.app.kv.MeetingPostByUUID(m.UUID); got != first.Id {
		t.Fatalf("uuid maps to %q, want the first card %q", got, first.Id)
	}
	if ids, _ := w.app.kv.MeetingCardIDs(m.ID); !slices.Equal(ids, []string{second.Id, first.Id}) && !slices.Equal(ids, []string{first.Id, second.Id}) {
		t.Fatalf("index %v", ids)
	}
	for _, id := range []string{first.Id, second.Id} {
		if w.post(id).GetProp(propMoreCards) != true {
			t.Fatalf("card %s not marked", id)
		}
	}

	started, err := w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	ended := w.ended(m.ID)
	w.host.ResetCalls()
	w.mustDeliver(w.app, ended, nil)
	// The card found as ever, then the index (one KV read) and the other card.
	if calls := w.host.Calls(); calls["UpdatePost"] != 2 || calls["GetPost"] != 2 || calls["KVGet"] != 1 || totalCalls(calls) != 5 {
		t.Fatalf("meeting.ended of two cards: %v", calls)
	}
	w.mustStatus([]string{first.Id, second.Id}, StatusEnded)

	// Duplicates and retries change nothing, on this node or another.
	before := []int64{w.post(first.Id).UpdateAt, w.post(second.Id).UpdateAt}
	w.host.ResetCalls()
	w.mustDeliver(w.app, ended, nil)
	w.mustDeliver(w.newInstance(w.host), ended, nil)
	if n := w.host.Calls()["UpdatePost"]; n != 0 {
		t.Fatalf("a repeated meeting.ended wrote %d posts", n)
	}
	if after := []int64{w.post(first.Id).UpdateAt, w.post(second.Id).UpdateAt}; !slices.Equal(before, after) {
		t.Fatalf("a repeated meeting.ended changed a card: %v → %v", before, after)
	}
	if n := len(w.cards(w.private)) + len(w.cards(w.public)); n != 2 {
		t.Fatalf("%d cards", n)
	}
}

func TestMeetingStartedHereAndSharedElsewhereEndsBothOnAnotherNode(t *testing.T) {
	w := newWorld(t)
	card, id := w.startCard()
	shared := w.mustShare(w.alice, w.public, id)
	other := w.newInstance(w.host)
	started, err := w.sim.StartMeeting(id)
	w.mustDeliver(other, started, err)
	w.mustDeliver(other, w.ended(id), nil)
	w.mustStatus([]string{card.Id, shared.Id}, StatusEnded)
}

func TestSubscribedMeetingSharedElsewhereEndsBothCards(t *testing.T) {
	for _, c := range []struct {
		name                  string
		recurring, shareFirst bool
	}{
		{"shared before the start", false, true},
		{"shared after the start", false, false},
		// A recurring meeting's instance has a new uuid: the shared card's uuid is not
		// the instance's, so only the index brings the cards together.
		{"recurring, shared before the start", true, true},
		{"recurring, shared after the start", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.mustConnect(w.alice, "alice@example.com")
			m := w.schedule(w.alice, "Weekly")
			if c.recurring {
				m = w.recurring(w.alice)
			}
			w.mustSubscribe(w.alice, w.private, m.ID)
			var shared *model.Post
			if c.shareFirst {
				shared = w.mustShare(w.alice, w.public, m.ID)
			}
			started, err := w.sim.StartMeeting(m.ID)
			w.mustDeliver(w.app, started, err)
			subCards := w.cards(w.private)
			if len(subCards) != 1 || subCards[0].UserId != w.bot.Id {
				t.Fatalf("subscription cards %v", subCards)
			}
			sub := subCards[0]
			if !c.shareFirst {
				shared = w.mustShare(w.alice, w.public, m.ID)
			}
			w.mustStatus([]string{sub.Id, shared.Id}, StatusStarted)
			ended := w.ended(m.ID)
			w.mustDeliver(w.app, ended, nil)
			w.mustStatus([]string{sub.Id, shared.Id}, StatusEnded)

			before := []int64{w.post(sub.Id).UpdateAt, w.post(shared.Id).UpdateAt}
			w.mustDeliver(w.app, ended, nil)
			w.mustDeliver(w.app, started, nil) // a late repeat of the start posts nothing
			if after := []int64{w.post(sub.Id).UpdateAt, w.post(shared.Id).UpdateAt}; !slices.Equal(before, after) {
				t.Fatalf("a repeated webhook changed a card")
			}
			if n := len(w.cards(w.private)) + len(w.cards(w.public)); n != 2 {
				t.Fatalf("%d cards", n)
			}
		})
	}
}

func TestSubscribedMeetingEndedBeforeStartedEndsSharedCardAndPostsEnded(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)
	w.mustSubscribe(w.alice, w.private, m.ID)
	shared := w.mustShare(w.alice, w.public, m.ID)
	started, err := w.sim.StartMeeting(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.mustDeliver(w.app, w.ended(m.ID), nil)
	w.mustStatus([]string{shared.Id}, StatusEnded)
	w.mustDeliver(w.app, started, nil)
	sub := w.cards(w.private)
	if len(sub) != 1 {
		t.Fatalf("%d subscription cards", len(sub))
	}
	w.mustStatus([]string{sub[0].Id}, StatusEnded)
}

func TestSubscriptionCardAfterSharedCardEndedIsPostedEnded(t *testing.T) {
	// meeting.ended arrives before meeting.started: the shared card of the instance ends,
	// and the subscription's late card is posted ended although the shared card owns
	// the uuid (no "ended early" mark then).
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.schedule(w.alice, "Weekly")
	w.mustSubscribe(w.alice, w.private, m.ID)
	shared := w.mustShare(w.alice, w.public, m.ID)
	started, err := w.sim.StartMeeting(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.mustDeliver(w.app, w.ended(m.ID), nil)
	w.mustDeliver(w.app, started, nil)
	sub := w.cards(w.private)
	if len(sub) != 1 {
		t.Fatalf("%d subscription cards", len(sub))
	}
	w.mustStatus([]string{shared.Id, sub[0].Id}, StatusEnded)
}

func TestOneCardMeetingsMakeNoIndexAndNoMark(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	res, err := w.start(w.alice, w.private)
	if err != nil {
		t.Fatal(err)
	}
	m := w.schedule(w.alice, "Planning")
	shared := w.mustShare(w.alice, w.public, m.ID)
	for _, id := range []string{res.PostID, shared.Id} {
		if w.post(id).GetProp(propMoreCards) != nil {
			t.Fatalf("a lone card is marked")
		}
	}
	for key := range w.host.KV() {
		if len(key) > len("zoommeetingcards_") && key[:len("zoommeetingcards_")] == "zoommeetingcards_" {
			t.Fatalf("a lone card made an index: %s", key)
		}
	}
}

func TestRetriedEndedLeavesCardsOfALaterInstance(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)
	a1 := w.mustShare(w.alice, w.private, m.ID)
	a2 := w.mustShare(w.alice, w.public, m.ID)
	started, err := w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	ended := w.ended(m.ID)
	w.mustDeliver(w.app, ended, nil)
	w.mustStatus([]string{a1.Id, a2.Id}, StatusEnded)

	// An hour later the meeting is shared again for its next instance, twice.
	w.advance(w.app, time.Hour)
	b1 := w.mustShare(w.alice, w.private, m.ID)
	b2 := w.mustShare(w.alice, w.public, m.ID)
	if ids, _ := w.app.kv.MeetingCardIDs(m.ID); len(ids) != 4 {
		t.Fatalf("index %v", ids)
	}
	// Zoom retries the first instance's meeting.ended: the new cards stay started.
	w.mustDeliver(w.app, ended, nil)
	w.mustStatus([]string{b1.Id, b2.Id}, StatusStarted)
	// The next instance's end ends them.
	started, err = w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	w.mustDeliver(w.app, editEvent(t, w.ended(m.ID), func(obj map[string]any) {
		obj["end_time"] = time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	}), nil)
	w.mustStatus([]string{b1.Id, b2.Id}, StatusEnded)
}

// failingUpdates fails UpdatePost for the given post ids.
type failingUpdates struct {
	*devhosttest.Host
	fail map[string]bool
}

func (f *failingUpdates) UpdatePost(p *model.Post) (*model.Post, *model.AppError) {
	if f.fail[p.Id] {
		return nil, model.NewAppError("test", "database unavailable", nil, "", http.StatusInternalServerError)
	}
	return f.Host.UpdatePost(p)
}

func TestEndedThatFailsHalfWayIsFinishedByTheRetry(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.schedule(w.alice, "All hands")
	first := w.mustShare(w.alice, w.private, m.ID)
	second := w.mustShare(w.alice, w.public, m.ID)
	started, err := w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	body := w.ended(m.ID)
	ev, err := zoom.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	flaky := &failingUpdates{Host: w.host, fail: map[string]bool{second.Id: true}}
	w.app.host = flaky
	if err := w.app.HandleWebhook(w.ctx, ev); KindOf(err) != KindUnavailable {
		t.Fatalf("a failed card update answered %v, want a retry", err)
	}
	w.mustStatus([]string{first.Id}, StatusEnded)
	w.mustStatus([]string{second.Id}, StatusStarted)
	endedAt := w.post(first.Id).UpdateAt

	flaky.fail = nil
	w.mustDeliver(w.app, body, nil)
	w.mustStatus([]string{first.Id, second.Id}, StatusEnded)
	if w.post(first.Id).UpdateAt != endedAt {
		t.Fatal("the retry wrote the card that had ended")
	}
}

func TestPersonalRoomStartedInTwoChannelsEndsBothCards(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferencePMI)
	first, err := w.start(w.alice, w.private)
	if err != nil || first.PostID == "" {
		t.Fatalf("start: %+v %v", first, err)
	}
	second, err := w.start(w.alice, w.public)
	if err != nil || second.PostID == "" {
		t.Fatalf("start: %+v %v", second, err)
	}
	id, _ := numberProp(w.post(second.PostID).GetProp("meeting_id"))
	started, err := w.sim.StartMeeting(id)
	w.mustDeliver(w.app, started, err)
	w.mustDeliver(w.app, w.ended(id), nil)
	w.mustStatus([]string{first.PostID, second.PostID}, StatusEnded)
}
