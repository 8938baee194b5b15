package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/config"
)

func TestConfirmStartRoute(t *testing.T) {
	e := newGateEnv(t, "secret")
	limit := config.Count(1)
	e.settings.LargeChannelThreshold = &limit
	e.configure()
	alice, bob := e.user("alice"), e.host.AddUser("bob", false)
	channel := e.card.ChannelId
	e.host.AddChannelMember(channel, bob.Id)

	rec := e.serve(userRequest(http.MethodPost, "/api/v1/meetings", alice.Id, `{"channel_id":"`+channel+`","topic":"All hands"}`))
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"meeting_url":""}` {
		t.Fatalf("start in a large channel: %d %s", rec.Code, rec.Body)
	}
	card := e.host.LastEphemeral(alice.Id)
	if len(card.Attachments()) != 1 || len(card.Attachments()[0].Actions) != 2 {
		t.Fatalf("no confirmation card: %+v", card)
	}
	body := func(button int, user string) string {
		b, _ := json.Marshal(model.PostActionIntegrationRequest{UserId: user, ChannelId: channel, Context: card.Attachments()[0].Actions[button].Integration.Context})
		return string(b)
	}
	before := e.snapshot()
	for _, c := range []struct {
		session, body string
		want          int
	}{
		{bob.Id, body(0, bob.Id), http.StatusForbidden},
		{bob.Id, body(0, alice.Id), http.StatusForbidden},
		{"", body(0, alice.Id), http.StatusUnauthorized},
		{alice.Id, `{"user_id":"` + alice.Id + `"}`, http.StatusBadRequest},
		{alice.Id, `{"context":{"action":"maybe","userID":"` + alice.Id + `"}}`, http.StatusBadRequest},
		{alice.Id, "garbage", http.StatusBadRequest},
	} {
		if rec := e.serve(userRequest(http.MethodPost, "/api/v1/confirm-start", c.session, c.body)); rec.Code != c.want {
			t.Errorf("session %q body %.60s: %d, want %d", c.session, c.body, rec.Code, c.want)
		}
	}
	if e.snapshot() != before {
		t.Fatal("a refused confirmation changed something")
	}
	// Cancel, as Mattermost delivers a click: the card is removed through the API (an
	// `update` answer cannot change an ephemeral post) and the answer is empty.
	clicked, _ := json.Marshal(model.PostActionIntegrationRequest{UserId: alice.Id, ChannelId: channel, PostId: card.Id,
		Context: card.Attachments()[0].Actions[1].Integration.Context})
	e.host.ResetCalls()
	rec = e.serve(userRequest(http.MethodPost, "/api/v1/confirm-start", alice.Id, string(clicked)))
	var resp model.PostActionIntegrationResponse
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &resp) != nil || resp.Update != nil || resp.EphemeralText != "" ||
		e.host.Calls()["DeleteEphemeralPost"] != 1 {
		t.Fatalf("cancel: %d %s; host calls %v", rec.Code, rec.Body, e.host.Calls())
	}
	// Confirmed (a request naming no card): alice is not connected, so she gets the
	// connect link, not the card again, and the outcome as the click's text.
	n := len(e.host.EphemeralsFor(alice.Id))
	rec = e.serve(userRequest(http.MethodPost, "/api/v1/confirm-start", alice.Id, body(0, alice.Id)))
	if after := e.host.EphemeralsFor(alice.Id); rec.Code != http.StatusOK || len(after) != n+1 || !strings.Contains(after[n].Message, "/oauth2/connect") ||
		!strings.Contains(rec.Body.String(), "The message below says what happens next.") {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
}
