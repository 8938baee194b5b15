//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// The bot's cards with buttons are ephemeral posts. Mattermost keeps no copy of them
// and refuses an action's `update` for them (the devhost does too), so each click must
// change its card through the API. These tests click through the devhost's action
// routing and check what the user then sees under the card's id, and what happened.

// clickRoute presses the button labelled name on post through the browser's route
// (POST /api/v4/posts/{id}/actions/{action}) and requires a 200.
func (e *env) clickRoute(user string, post *model.Post, name string) {
	e.t.Helper()
	act := e.action(post, name)
	status, body := e.do("POST", "/api/v4/posts/"+post.Id+"/actions/"+act.Id, user, `{"selected_option":"","cookie":""}`, nil)
	if status != http.StatusOK {
		e.t.Fatalf("click %q as %s: %d %s", name, user, status, body)
	}
}

// clickStale presses the button labelled name on an old copy of a card, as Mattermost
// delivers a click from a tab that still shows it (the server reads an ephemeral
// post's buttons from the copy the client sends back): the integration request goes
// straight to the plugin. It requires a 200 and an answer that shows nothing.
func (e *env) clickStale(user string, old *model.Post, name string) {
	e.t.Helper()
	if err := e.staleClick(user, old, e.action(old, name)); err != "" {
		e.t.Fatal(err)
	}
}

// staleClick is clickStale's request; it returns what went wrong ("" if nothing), so
// it can run off the test's goroutine.
func (e *env) staleClick(user string, old *model.Post, act *model.PostAction) string {
	req := model.PostActionIntegrationRequest{UserId: e.userID(user), PostId: old.Id, ChannelId: old.ChannelId,
		Type: act.Type, Context: act.Integration.Context}
	b, _ := json.Marshal(req)
	resp := e.h.Request("POST", act.Integration.URL, e.userID(user), bytes.NewReader(b))
	defer resp.Body.Close()
	body := readAll(resp.Body)
	var answer model.PostActionIntegrationResponse
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &answer) != nil || answer.Update != nil || answer.EphemeralText != "" {
		return fmt.Sprintf("stale click %q as %s: %d %s", act.Name, user, resp.StatusCode, body)
	}
	return ""
}

// shown is what user sees under a card's id now (nil once it is gone).
func (e *env) shown(user, id string) *model.Post {
	for _, p := range e.h.Ephemerals(e.userID(user)) {
		if p.Id == id {
			return p
		}
	}
	return nil
}

// closedCard fails unless the card is still shown in its place, as a message from the
// bot with no buttons left, containing want.
func (e *env) closedCard(user string, card *model.Post, want string) {
	e.t.Helper()
	now := e.shown(user, card.Id)
	if now == nil {
		e.t.Fatalf("the card %s is gone; %s saw: %s", card.Id, user, e.ephemeralText(user))
	}
	if !strings.Contains(now.Message, want) || len(now.Attachments()) != 0 || now.ChannelId != card.ChannelId ||
		now.RootId != card.RootId || now.UserId != e.h.User("zoom").Id || now.Type != model.PostTypeEphemeral || now.CreateAt == 0 {
		e.t.Fatalf("the card now: %q (attachments %d, channel %s, user %s, type %q, create_at %d); want %q in place",
			now.Message, len(now.Attachments()), now.ChannelId, now.UserId, now.Type, now.CreateAt, want)
	}
}

// editedFor reports whether a post_edited event for the post went to user alone.
func (e *env) editedFor(user, postID string) bool {
	for _, ev := range e.h.EventsNamed(string(model.WebsocketEventPostEdited)) {
		var p model.Post
		raw, _ := ev.Data["post"].(string)
		if json.Unmarshal([]byte(raw), &p) == nil && p.Id == postID && ev.Broadcast != nil && ev.Broadcast.UserId == e.userID(user) {
			return true
		}
	}
	return false
}

func (e *env) meetingsCreated() int { return e.sim.CountCalls(http.MethodPost, "/v2/users/") }

// The PMI question turns into the outcome in place; clicking it again (a double click,
// or a tab still showing the buttons) starts nothing more and shows nothing more.
func TestPMIQuestionCardBecomesTheOutcome(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.command("alice", "design", "/zoom start Planning")
	question := e.lastEphemeral("alice")
	e.clickRoute("alice", question, "Use a unique meeting ID")

	e.closedCard("alice", question, "Meeting started with a unique meeting ID.")
	if !e.editedFor("alice", question.Id) {
		t.Error("no post_edited event for alice's question")
	}
	if len(e.cards("design")) != 1 || e.meetingsCreated() != 1 || e.kvString("zoomUserPreference_"+e.userID("alice")) != "false" {
		t.Fatalf("after answering: %d cards, %d meetings, preference %q", len(e.cards("design")), e.meetingsCreated(),
			e.kvString("zoomUserPreference_"+e.userID("alice")))
	}

	seen := len(e.h.Ephemerals(e.userID("alice")))
	var wg sync.WaitGroup // a double click on a tab that still shows the question
	for _, name := range []string{"Use Personal Meeting ID", "Use a unique meeting ID"} {
		act := e.action(question, name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.staleClick("alice", question, act); err != "" {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(e.cards("design")) != 1 || e.meetingsCreated() != 1 || len(e.h.Ephemerals(e.userID("alice"))) != seen {
		t.Fatalf("clicking the answered question again: %d cards, %d meetings; alice saw: %s",
			len(e.cards("design")), e.meetingsCreated(), e.ephemeralText("alice"))
	}
	e.closedCard("alice", question, "Meeting started with a unique meeting ID.")
}

// Each of Yes, No and Ask on the settings card stores the choice and shows the same
// card again in place with that choice named and highlighted.
func TestSettingsCardShowsEachChoiceInPlace(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.command("alice", "design", "/zoom settings")
	card := e.lastEphemeral("alice")
	seen := len(e.h.Ephemerals(e.userID("alice")))
	for _, c := range []struct{ button, stored, current string }{
		{"Yes", "true", "Yes, always use my Personal Meeting ID"},
		{"No", "false", "No, always use a unique meeting ID"},
		{"Ask", "ask", "Ask each time"},
	} {
		e.clickRoute("alice", e.shown("alice", card.Id), c.button)
		if got := e.kvString("zoomUserPreference_" + e.userID("alice")); got != c.stored {
			t.Fatalf("after %s: preference %q, want %q", c.button, got, c.stored)
		}
		now := e.shown("alice", card.Id)
		if now == nil || len(now.Attachments()) != 1 {
			t.Fatalf("after %s the card is %+v", c.button, now)
		}
		att := now.Attachments()[0]
		if !strings.Contains(att.Text, "Current choice: **"+c.current+"**") || !strings.HasPrefix(att.Footer, "Saved.") ||
			e.action(now, c.button).Style != "primary" || now.ChannelId != card.ChannelId || now.UserId != e.h.User("zoom").Id {
			t.Fatalf("after %s the card says %q / %q, %s is %q", c.button, att.Text, att.Footer, c.button, e.action(now, c.button).Style)
		}
		for _, other := range []string{"Yes", "No", "Ask"} {
			if other != c.button && e.action(now, other).Style == "primary" {
				t.Errorf("after %s, %s is highlighted too", c.button, other)
			}
		}
	}
	if n := len(e.h.Ephemerals(e.userID("alice"))); n != seen {
		t.Errorf("the clicks added %d posts instead of changing the card", n-seen)
	}
}

// On the large-channel card, Cancel removes the card and starts nothing; Start meeting
// starts one meeting and the card says so in place, however often it is clicked.
func TestLargeChannelCardStartAndCancel(t *testing.T) {
	e := start(t, map[string]any{"LargeChannelThreshold": 2})
	e.connect("alice")
	e.setPreference("alice", "false")

	e.command("alice", "town-square", "/zoom start Town hall")
	cancelled := e.confirmCard("alice")
	e.clickRoute("alice", cancelled, "Cancel")
	if e.shown("alice", cancelled.Id) != nil {
		t.Fatalf("the cancelled card is still shown: %+v", e.shown("alice", cancelled.Id))
	}
	removed := false
	for _, ev := range e.h.EventsNamed(string(model.WebsocketEventPostDeleted)) {
		removed = removed || ev.Broadcast.UserId == e.userID("alice") && strings.Contains(ev.Data["post"].(string), cancelled.Id)
	}
	if !removed || e.meetingsCreated() != 0 || e.lastCard("town-square") != nil {
		t.Fatalf("Cancel: post_deleted sent %v, %d meetings", removed, e.meetingsCreated())
	}
	e.clickStale("alice", cancelled, "Start meeting") // a tab that missed the removal
	if e.meetingsCreated() != 0 {
		t.Fatal("Start on a cancelled card started a meeting")
	}

	e.command("alice", "town-square", "/zoom start Town hall")
	card := e.confirmCard("alice")
	e.clickRoute("alice", card, "Start meeting")
	e.closedCard("alice", card, "Meeting started.")
	e.clickStale("alice", card, "Start meeting")
	if c := e.lastCard("town-square"); c == nil || c.GetProp("meeting_topic") != "Town hall" || len(e.cards("town-square")) != 1 || e.meetingsCreated() != 1 {
		t.Fatalf("after Start meeting twice: %d cards, %d meetings; alice saw: %s", len(e.cards("town-square")), e.meetingsCreated(), e.ephemeralText("alice"))
	}
}

// "Create a new meeting" on the recent-meeting card starts one more meeting, once, and
// the card turns into the outcome without its meeting props.
func TestRecentMeetingCardCreateNew(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.connect("bob")
	e.setPreference("bob", "false")
	e.startedCard("alice", "design")

	e.command("bob", "design", "/zoom start")
	guard := e.lastEphemeral("bob")
	if guard.GetProp("meeting_status") != "RECENTLY_CREATED" {
		t.Fatalf("expected the recent-meeting card, got %q %v", guard.Message, guard.GetProps())
	}
	e.clickRoute("bob", guard, "Create a new meeting")
	e.closedCard("bob", guard, "Meeting started.")
	if now := e.shown("bob", guard.Id); now.GetProp("meeting_status") != nil || now.GetProp("meeting_link") != nil {
		t.Errorf("the answered card keeps its meeting props: %v", now.GetProps())
	}
	e.clickStale("bob", guard, "Create a new meeting")
	if n := len(e.cards("design")); n != 2 || e.meetingsCreated() != 2 {
		t.Fatalf("after create new twice: %d cards, %d meetings", n, e.meetingsCreated())
	}
	if c := e.lastCard("design"); c.UserId != e.userID("bob") {
		t.Errorf("the new card is by %s", c.UserId)
	}
}

// "Share in this channel" on /zoom list shares the meeting once and turns the list into
// the outcome.
func TestListShareCardBecomesTheOutcome(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	m := e.scheduleMeeting("alice", "Design critique")
	e.command("alice", "design", "/zoom list")
	list := e.lastEphemeral("alice")
	e.clickRoute("alice", list, "Share in this channel")

	e.closedCard("alice", list, `Shared "Design critique" in this channel.`)
	e.clickStale("alice", list, "Share in this channel")
	card := e.lastCard("design")
	if n := len(e.cards("design")); n != 1 || e.cardMeetingID(card) != m.ID || card.GetProp("meeting_shared") != true {
		t.Fatalf("after sharing twice: %d cards; alice saw: %s", n, e.ephemeralText("alice"))
	}
}
