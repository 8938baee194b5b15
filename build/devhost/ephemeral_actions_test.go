package devhost

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// miniCard runs /mini ephemeral as alice and returns the card and its buttons by name.
func miniCard(t *testing.T, h *Host) (*model.Post, map[string]string) {
	t.Helper()
	mustCommand(t, h, "alice", "town-square", "/mini ephemeral")
	eph := h.Ephemerals(h.User("alice").Id)
	card := eph[len(eph)-1]
	ids := map[string]string{}
	for _, a := range card.Attachments() {
		for _, act := range a.Actions {
			ids[act.Name] = act.Id
		}
	}
	if len(ids) != 3 {
		t.Fatalf("card buttons: %+v", card.Attachments())
	}
	return card, ids
}

// As on the server, an action answer's `update` cannot change an ephemeral post: the
// click fails with UpdatePost's error, through the test API and the HTTP route alike,
// and the card stays exactly as it was, with no `ephemeral_text` shown.
func TestActionUpdateOfAnEphemeralPostFailsTheClick(t *testing.T) {
	h := startMini(t, Options{})
	alice := h.User("alice").Id
	card, ids := miniCard(t, h)

	_, err := h.ClickAction(alice, card.Id, ids["Old"])
	var appErr *model.AppError
	if !errors.As(err, &appErr) || appErr.StatusCode != http.StatusNotFound || appErr.Id != "app.post.get.app_error" {
		t.Fatalf("click answered with update: %v", err)
	}
	resp := h.Request("POST", "/api/v4/posts/"+card.Id+"/actions/"+ids["Old"], alice, strings.NewReader(`{"selected_option":"","cookie":""}`))
	body := decode(t, resp, http.StatusNotFound)
	if body["id"] != "app.post.get.app_error" || body["status_code"] != float64(http.StatusNotFound) {
		t.Errorf("action route: %v", body)
	}
	eph := h.Ephemerals(alice)
	if len(eph) != 1 || eph[0].Message != "choose" || eph[0].UpdateAt != card.UpdateAt || len(eph[0].Attachments()[0].Actions) != 3 {
		t.Fatalf("the card changed or text was shown: %+v", eph)
	}
	if n := len(h.EventsNamed(string(model.WebsocketEventPostEdited))); n != 0 {
		t.Errorf("%d post_edited events for a failed click", n)
	}
}

// UpdateEphemeralPost replaces the user's card in place and tells only that user
// (post_edited, the post as the server stamps it); DeleteEphemeralPost removes it and
// sends post_deleted with the id, to that user only.
func TestEphemeralPostUpdatedAndDeletedThroughTheAPI(t *testing.T) {
	h := startMini(t, Options{})
	alice := h.User("alice").Id
	card, ids := miniCard(t, h)

	resp, err := h.ClickAction(alice, card.Id, ids["Yes"])
	if err != nil || resp.EphemeralText != "thanks alice" {
		t.Fatalf("click: %+v %v", resp, err)
	}
	eph := h.Ephemerals(alice)
	if len(eph) != 2 || eph[0].Id != card.Id || eph[0].Message != "chose yes ()" || eph[0].Type != model.PostTypeEphemeral ||
		eph[0].UpdateAt < card.UpdateAt || len(eph[0].Attachments()) != 0 || eph[1].Message != "thanks alice" {
		t.Fatalf("after the click: %+v", eph)
	}
	edited := h.EventsNamed(string(model.WebsocketEventPostEdited))
	if len(edited) != 1 || edited[0].Broadcast.UserId != alice || !strings.Contains(edited[0].Data["post"].(string), `"id":"`+card.Id+`"`) {
		t.Fatalf("post_edited: %+v", edited)
	}

	card, ids = miniCard(t, h)
	if _, err := h.ClickAction(alice, card.Id, ids["Remove"]); err != nil {
		t.Fatal(err)
	}
	for _, p := range h.Ephemerals(alice) {
		if p.Id == card.Id {
			t.Fatalf("the deleted card is still shown: %+v", p)
		}
	}
	deleted := h.EventsNamed(string(model.WebsocketEventPostDeleted))
	if len(deleted) != 1 || deleted[0].Broadcast.UserId != alice || deleted[0].Broadcast.ChannelId != "" {
		t.Fatalf("post_deleted: %+v", deleted)
	}
	var gone model.Post
	if err := json.Unmarshal([]byte(deleted[0].Data["post"].(string)), &gone); err != nil || gone.Id != card.Id || gone.UserId != alice || gone.DeleteAt == 0 || gone.Type != model.PostTypeEphemeral {
		t.Errorf("post_deleted payload: %s", deleted[0].Data["post"])
	}
	if _, err := h.ClickAction(alice, card.Id, ids["Yes"]); err == nil {
		t.Error("a button of the deleted card still works")
	}
}

// A stored post is still changed by `update`, and the click's text still comes.
func TestActionUpdateOfAStoredPostApplies(t *testing.T) {
	h := startMini(t, Options{})
	alice := h.User("alice").Id
	mustCommand(t, h, "alice", "town-square", "/mini card")
	card := h.Posts(h.Channel("town-square").Id)[0]
	var old string
	for _, act := range card.Attachments()[0].Actions {
		if act.Name == "Old" {
			old = act.Id
		}
	}
	resp, err := h.ClickAction(alice, card.Id, old)
	if err != nil || resp.EphemeralText != "thanks alice" {
		t.Fatalf("click: %+v %v", resp, err)
	}
	if got := h.Post(card.Id); got.Message != "chose old ()" || got.EditAt == 0 {
		t.Errorf("stored post after update: %+v", got)
	}
}
