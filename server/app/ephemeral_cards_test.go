package app

import (
	"maps"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// shownCard is what user sees under a card's id now: the newest ephemeral post with
// that id, or nil once it was deleted (or never sent).
func shownCard(w *world, user *model.User, id string) *model.Post {
	var last *model.Post
	for _, p := range w.host.EphemeralsFor(user.Id) {
		if p.Id == id {
			last = p
		}
	}
	if last != nil && last.DeleteAt != 0 {
		return nil
	}
	return last
}

// pmiQuestion connects alice, whose meeting id preference is unset, and returns the
// question her start in the private channel shows her.
func pmiQuestion(w *world) *model.Post {
	w.t.Helper()
	w.mustConnect(w.alice, "alice@example.com")
	if _, err := w.start(w.alice, w.private); err != nil {
		w.t.Fatal(err)
	}
	return w.host.LastEphemeral(w.alice.Id)
}

// A double click on the PMI question (or a tab still showing it) starts one meeting:
// the second click finds the card answered and does nothing, not even a recent-meeting
// card.
func TestPMIQuestionAnsweredOnce(t *testing.T) {
	w := newWorld(t)
	q := pmiQuestion(w)
	if _, err := w.app.AnswerPMIQuestion(w.ctx, w.alice.Id, click(q, 0, w.alice.Id)); err != nil {
		t.Fatal(err)
	}
	sent := len(w.host.EphemeralsFor(w.alice.Id))
	w.host.ResetCalls()
	for _, button := range []int{0, 1} {
		resp, err := w.app.AnswerPMIQuestion(w.ctx, w.alice.Id, click(q, button, w.alice.Id))
		if err != nil || *resp != (model.PostActionIntegrationResponse{}) {
			t.Fatalf("second answer: %+v %v", resp, err)
		}
	}
	if n := len(w.cards(w.private)); n != 1 {
		t.Fatalf("%d meetings from one question", n)
	}
	if n := len(w.host.EphemeralsFor(w.alice.Id)); n != sent {
		t.Fatalf("the second answer showed alice %d more posts", n-sent)
	}
	if now := shownCard(w, w.alice, q.Id); now == nil || now.Message != "Meeting started with your Personal Meeting ID." {
		t.Fatalf("the answered question now shows %+v", now)
	}
	if got, _ := w.app.kv.GetUserPreference(w.alice.Id); got != store.PreferencePMI {
		t.Fatalf("preference %q", got)
	}
}

// A start that fails turns the question into the error, which says what to do next.
func TestPMIQuestionShowsTheFailureInPlace(t *testing.T) {
	w := newWorld(t)
	q := pmiQuestion(w)
	w.host.RemoveMember(w.private.Id, w.alice.Id)
	resp, err := w.app.AnswerPMIQuestion(w.ctx, w.alice.Id, click(q, 1, w.alice.Id))
	if err != nil || *resp != (model.PostActionIntegrationResponse{}) || len(w.cards(w.private)) != 0 {
		t.Fatalf("answer: %+v %v", resp, err)
	}
	if now := shownCard(w, w.alice, q.Id); now == nil || !strings.Contains(now.Message, "Join the channel first.") {
		t.Fatalf("the question after a refused start: %+v", now)
	}
}

// "Share in this channel" turns the list into the outcome; a second click on the list
// shares nothing more.
func TestShareFromListClosesTheList(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.schedule(w.alice, "Weekly *planning*")
	w.schedule(w.alice, "Retro")
	if err := w.app.SendUpcomingMeetings(w.ctx, w.alice.Id, w.private.Id, ""); err != nil {
		t.Fatal(err)
	}
	list := w.host.LastEphemeral(w.alice.Id)
	for _, button := range []int{0, 0} {
		req := click(list, 0, w.alice.Id)
		req.Context = list.Attachments()[button].Actions[0].Integration.Context
		resp, err := w.app.ShareFromList(w.ctx, w.alice.Id, req)
		if err != nil || *resp != (model.PostActionIntegrationResponse{}) {
			t.Fatalf("share: %+v %v", resp, err)
		}
	}
	if n := len(w.cards(w.private)); n != 1 {
		t.Fatalf("%d shared cards after clicking the list twice", n)
	}
	now := shownCard(w, w.alice, list.Id)
	if now == nil || now.Message != `Shared "Weekly \*planning\*" in this channel.` || len(now.Attachments()) != 0 || now.ChannelId != w.private.Id {
		t.Fatalf("the list after sharing: %+v", now)
	}
}

// A request that names no card (not a click through Mattermost) still gets its answer,
// as the click's ephemeral text.
func TestCardAnswerWithoutACardComesAsText(t *testing.T) {
	w := newWorld(t)
	resp, err := w.app.UpdatePMI(w.alice.Id, &model.PostActionIntegrationRequest{UserId: w.alice.Id, Context: map[string]any{"action": "No"}})
	if err != nil || !strings.HasPrefix(resp.EphemeralText, "Saved.") || resp.Update != nil {
		t.Fatalf("settings without a card: %+v %v", resp, err)
	}
	if n := w.host.Calls()["UpdateEphemeralPost"]; n != 0 {
		t.Fatalf("updated %d ephemeral posts without a card", n)
	}
}

// A click whose context the card could not have sent (an unknown answer) is refused
// and does not spend the card: its real answer still works afterwards.
func TestUnknownAnswerIsRefusedAndLeavesTheQuestionOpen(t *testing.T) {
	w := newWorld(t)
	q := pmiQuestion(w)
	forged := click(q, 0, w.alice.Id)
	forged.Context = maps.Clone(forged.Context)
	forged.Context["action"] = "USE SOMEONE ELSE'S ID"
	if _, err := w.app.AnswerPMIQuestion(w.ctx, w.alice.Id, forged); KindOf(err) != KindBadInput {
		t.Fatalf("unknown answer: %v", err)
	}
	if n := len(w.cards(w.private)); n != 0 {
		t.Fatalf("an unknown answer started %d meetings", n)
	}
	if _, err := w.app.AnswerPMIQuestion(w.ctx, w.alice.Id, click(q, 0, w.alice.Id)); err != nil {
		t.Fatal(err)
	}
	if n := len(w.cards(w.private)); n != 1 {
		t.Fatalf("the real answer after an unknown one started %d meetings", n)
	}
}
