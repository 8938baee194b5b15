package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// The "Share in this channel" button follows the askPMI pattern: a user route whose
// action context names the user the list was for, who must be the session's user.
func TestShareRouteAuth(t *testing.T) {
	e := newGateEnv(t, "secret")
	alice := e.user("alice")
	bob := e.host.AddUser("bob", false)
	before := e.snapshot()
	ctx := `"context":{"action":"share","userID":"` + alice.Id + `","channelID":"` + e.card.ChannelId + `","meetingID":"84512367890"}`
	if rec := e.serve(userRequest(http.MethodPost, "/api/v1/share", "", `{`+ctx+`}`)); rec.Code != http.StatusUnauthorized {
		t.Errorf("without a session: %d", rec.Code)
	}
	if rec := e.serve(userRequest(http.MethodPost, "/api/v1/share", bob.Id, `{"user_id":"`+bob.Id+`",`+ctx+`}`)); rec.Code != http.StatusForbidden {
		t.Errorf("clicked by another user: %d", rec.Code)
	}
	if rec := e.serve(userRequest(http.MethodPost, "/api/v1/share", alice.Id, `{"user_id":"`+bob.Id+`",`+ctx+`}`)); rec.Code != http.StatusForbidden {
		t.Errorf("action of another user in alice's session: %d", rec.Code)
	}
	for _, body := range []string{"", "{", `{"user_id":"x"}`, `[]`} {
		if rec := e.serve(userRequest(http.MethodPost, "/api/v1/share", alice.Id, body)); rec.Code != http.StatusBadRequest {
			t.Errorf("body %q: %d", body, rec.Code)
		}
	}
	if rec := e.serve(userRequest(http.MethodGet, "/api/v1/share", alice.Id, "")); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", rec.Code)
	}
	if e.snapshot() != before {
		t.Fatal("a refused share changed KV or posts")
	}
	// Alice's own click runs the share; not connected, the id alone cannot be shared.
	rec := e.serve(userRequest(http.MethodPost, "/api/v1/share", alice.Id, `{"user_id":"`+alice.Id+`",`+ctx+`}`))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "connect your Zoom account") {
		t.Fatalf("alice's click: %d %s", rec.Code, rec.Body)
	}
}

// A "Cancel meeting" click that cannot cancel is answered 200 with an ephemeral note
// saying why, so the card stays as it is; a body without context is still a 400.
func TestScheduleCancelFailureIsAnEphemeralNote(t *testing.T) {
	e := newGateEnv(t, "secret")
	alice := e.user("alice")
	before := e.snapshot()
	body := `{"user_id":"` + alice.Id + `","post_id":"` + e.card.Id + `","context":{"action":"cancel"}}`
	rec := e.serve(userRequest(http.MethodPost, "/api/v1/schedule/cancel", alice.Id, body))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"ephemeral_text":"This meeting`) {
		t.Fatalf("cancel of a card that is not a waiting schedule: %d %s", rec.Code, rec.Body)
	}
	if rec := e.serve(userRequest(http.MethodPost, "/api/v1/schedule/cancel", alice.Id, `{"post_id":"`+e.card.Id+`"}`)); rec.Code != http.StatusBadRequest {
		t.Errorf("without context: %d", rec.Code)
	}
	if e.snapshot() != before {
		t.Fatal("a refused cancel changed KV or posts")
	}
}
