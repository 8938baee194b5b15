package app

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

func threshold(n int) worldOption {
	return func(s *config.Settings) {
		c := config.Count(n)
		s.LargeChannelThreshold = &c
	}
}

// lastEphemeral is the newest ephemeral post a user got.
func (w *world) lastEphemeral(user *model.User) *model.Post {
	w.t.Helper()
	p := w.host.LastEphemeral(user.Id)
	if p == nil {
		w.t.Fatalf("no ephemeral post for %s", user.Username)
	}
	return p
}

// click plays Mattermost posting a button's context to its integration.
func click(post *model.Post, button int, by string) *model.PostActionIntegrationRequest {
	action := post.Attachments()[0].Actions[button]
	return &model.PostActionIntegrationRequest{UserId: by, ChannelId: post.ChannelId, PostId: post.Id, Context: action.Integration.Context}
}

func TestLargeChannelAsksFirstThenStartsWithOneZoomCall(t *testing.T) {
	w := newWorld(t, threshold(2)) // the channels have 3 members
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	w.sim.ResetCalls()
	w.host.ResetCalls()
	res, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.public.Id, Topic: "All hands", ConnectionID: "c1"})
	if err != nil || res.JoinURL != "" {
		t.Fatalf("unconfirmed start: %+v %v", res, err)
	}
	if n := len(w.sim.Calls()); n != 0 || len(w.cards(w.public)) != 0 {
		t.Fatalf("asked Zoom %d times / posted a card before confirmation", n)
	}
	if n := w.host.Calls()["GetChannelStats"]; n != 1 {
		t.Fatalf("GetChannelStats called %d times", n)
	}
	card := w.lastEphemeral(w.alice)
	att := card.Attachments()
	if len(att) != 1 || !strings.Contains(att[0].Pretext, "3 members") || len(att[0].Actions) != 2 ||
		att[0].Actions[0].Name != "Start meeting" || att[0].Actions[1].Name != "Cancel" ||
		att[0].Actions[0].Integration.URL != "/plugins/zoom/api/v1/confirm-start" {
		t.Fatalf("confirmation card %+v", att)
	}
	// Someone else cannot answer it.
	if _, err := w.app.ConfirmStart(w.ctx, w.bob.Id, click(card, 0, w.bob.Id)); !errors.Is(err, ErrForbidden) {
		t.Fatalf("bob answered alice's question: %v", err)
	}
	// Cancel starts nothing and removes the card; the card's Start is then spent.
	resp, err := w.app.ConfirmStart(w.ctx, w.alice.Id, click(card, 1, w.alice.Id))
	if err != nil || *resp != (model.PostActionIntegrationResponse{}) || shownCard(w, w.alice, card.Id) != nil || len(w.sim.Calls()) != 0 {
		t.Fatalf("cancel: %+v %v; card now %+v", resp, err, shownCard(w, w.alice, card.Id))
	}
	if _, err := w.app.ConfirmStart(w.ctx, w.alice.Id, click(card, 0, w.alice.Id)); err != nil || len(w.sim.Calls()) != 0 {
		t.Fatalf("Start on the cancelled card: %v, %d Zoom calls", err, len(w.sim.Calls()))
	}
	// Start meeting on a new card: exactly one Zoom call, the card keeps the request's
	// topic, and the question turns into its outcome in place.
	if _, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.public.Id, Topic: "All hands", ConnectionID: "c1"}); err != nil {
		t.Fatal(err)
	}
	card = w.lastEphemeral(w.alice)
	resp, err = w.app.ConfirmStart(w.ctx, w.alice.Id, click(card, 0, w.alice.Id))
	if err != nil || *resp != (model.PostActionIntegrationResponse{}) {
		t.Fatalf("confirm: %+v %v", resp, err)
	}
	if now := shownCard(w, w.alice, card.Id); now == nil || now.Message != "Meeting started." || len(now.Attachments()) != 0 ||
		now.ChannelId != w.public.Id || now.UserId != w.app.botUserID {
		t.Fatalf("the card after Start meeting: %+v", now)
	}
	if calls := w.sim.Calls(); len(calls) != 1 || calls[0].Method != http.MethodPost {
		t.Fatalf("Zoom calls of a confirmed start: %+v", calls)
	}
	cards := w.cards(w.public)
	if len(cards) != 1 || cards[0].GetProp("meeting_topic") != "All hands" {
		t.Fatalf("cards %+v", cards)
	}
	ev := w.lastEvent("custom_zoom_meeting_started")
	if ev.Broadcast.ConnectionId != "c1" {
		t.Fatalf("event %+v", ev)
	}
}

func TestLargeChannelThresholdOffOrNotReachedCountsNothingOrStarts(t *testing.T) {
	off := newWorld(t, threshold(0))
	off.mustConnect(off.alice, "alice@example.com")
	off.setPreference(off.alice, store.PreferenceUnique)
	off.host.ResetCalls()
	if _, err := off.start(off.alice, off.public); err != nil || len(off.cards(off.public)) != 1 {
		t.Fatalf("start with the question off: %v", err)
	}
	if n := off.host.Calls()["GetChannelStats"]; n != 0 {
		t.Fatalf("members counted %d times with the threshold off", n)
	}
	def := newWorld(t) // never saved: 50
	if def.settings.LargeChannelLimit() != 50 {
		t.Fatal("default threshold")
	}
	def.mustConnect(def.alice, "alice@example.com")
	def.setPreference(def.alice, store.PreferenceUnique)
	if _, err := def.start(def.alice, def.public); err != nil || len(def.cards(def.public)) != 1 {
		t.Fatalf("small channel: %v", err)
	}
	// Exactly at the threshold: no question.
	at := newWorld(t, threshold(3))
	at.mustConnect(at.alice, "alice@example.com")
	at.setPreference(at.alice, store.PreferenceUnique)
	if _, err := at.start(at.alice, at.public); err != nil || len(at.cards(at.public)) != 1 {
		t.Fatalf("channel at the threshold: %v", err)
	}
}

// The confirmation survives the PMI question and a connect in between: nobody is asked
// twice.
func TestLargeChannelConfirmationCarriesThroughPMIQuestionAndConnect(t *testing.T) {
	w := newWorld(t, threshold(2))
	w.mustConnect(w.alice, "alice@example.com")
	if _, err := w.start(w.alice, w.private); err != nil {
		t.Fatal(err)
	}
	confirm := w.lastEphemeral(w.alice)
	if _, err := w.app.ConfirmStart(w.ctx, w.alice.Id, click(confirm, 0, w.alice.Id)); err != nil {
		t.Fatal(err)
	}
	// The confirmation is replaced in place; the question is a new post.
	var question *model.Post
	for _, p := range w.host.EphemeralsFor(w.alice.Id) {
		if p.Id != confirm.Id {
			question = p
		}
	}
	if question == nil || len(question.Attachments()) != 1 || question.Attachments()[0].Actions[0].Integration.URL != testLinks.AskPMI {
		t.Fatalf("expected the PMI question, got %+v", question)
	}
	if _, err := w.app.AnswerPMIQuestion(w.ctx, w.alice.Id, click(question, 1, w.alice.Id)); err != nil {
		t.Fatal(err)
	}
	if len(w.cards(w.private)) != 1 {
		t.Fatal("the answered PMI question asked for confirmation again instead of starting")
	}

	// Bob is not connected: he confirms, connects, and the meeting starts at once.
	w.setPreference(w.bob, store.PreferenceUnique)
	w.advance(w.app, recentWindow*2)
	if _, err := w.start(w.bob, w.public); err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.ConfirmStart(w.ctx, w.bob.Id, click(w.lastEphemeral(w.bob), 0, w.bob.Id)); err != nil {
		t.Fatal(err)
	}
	authorize, err := w.app.BeginConnect(w.bob.Id, w.public.Id, true)
	if err != nil {
		t.Fatal(err)
	}
	code, state := w.authorize(authorize, "bob@example.com")
	if err := w.app.CompleteConnect(w.ctx, w.bob.Id, code, state); err != nil {
		t.Fatal(err)
	}
	if len(w.cards(w.public)) != 1 {
		t.Fatal("the pending meeting asked for confirmation again after connecting")
	}
}
