//go:build e2e

package e2e

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"golang.org/x/oauth2"
)

var connectLink = regexp.MustCompile(`\((http[^)\s]+/plugins/zoom/oauth2/connect[^)\s]*)\)`)

// linkIn finds the connect link in what user was told.
func (e *env) linkIn(user string) string {
	e.t.Helper()
	m := connectLink.FindStringSubmatch(e.ephemeralText(user))
	if m == nil {
		e.t.Fatalf("no connect link; %s saw: %s", user, e.ephemeralText(user))
	}
	return m[1]
}

// User-level mode: /zoom connect offers the link, the OAuth flow stores the
// token under both keys, the one-time state is used up, and the secrets at
// rest are sealed.
func TestUserLevelConnect(t *testing.T) {
	e := start(t, nil)
	e.command("alice", "town-square", "/zoom connect")
	if link := e.linkIn("alice"); !strings.HasPrefix(link, e.h.URL()+"/plugins/zoom/oauth2/connect") {
		t.Fatalf("connect link %q", link)
	}

	e.connect("alice")
	zoomID, err := e.h.ZoomUserID(e.userID("alice"))
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		ZoomEmail, UserID, ZoomID string
		OAuthToken                *oauth2.Token
	}
	e.kvJSON("zoomtoken_"+e.userID("alice"), &info)
	if info.ZoomEmail != "alice@example.com" || info.UserID != e.userID("alice") || info.ZoomID != zoomID {
		t.Errorf("stored user info: %+v", info)
	}
	if e.h.KVGet("zoomtokenbyzoomid_"+zoomID) == nil {
		t.Errorf("no zoomtokenbyzoomid_ key; keys: %v", e.h.KVKeys())
	}
	for _, k := range e.h.KVKeys() {
		if strings.HasPrefix(k, "zoomuserstate_") {
			t.Errorf("OAuth state %s left behind after use", k)
		}
	}
	e.requireSealed(info.OAuthToken, "alice's token")
}

// A meeting request from an unconnected user replies with a connect link; the
// connect then continues the request: the meeting starts in that channel.
func TestConnectContinuesPendingMeeting(t *testing.T) {
	e := start(t, nil)
	status, out := e.startMeeting("bob", "design", "false")
	if status != http.StatusOK || e.lastCard("design") != nil {
		t.Fatalf("unconnected start: %d %v, card %v", status, out, e.lastCard("design"))
	}
	if status, page := e.oauthFrom("bob", e.linkIn("bob")); status != http.StatusOK {
		t.Fatalf("connect from the link: %d %s", status, page)
	}
	card := e.lastCard("design")
	if card == nil || card.UserId != e.userID("bob") || card.GetProp("meeting_status") != "STARTED" {
		t.Fatalf("no card after connecting; bob saw: %s", e.ephemeralText("bob"))
	}
}

// Account-level mode: only a system admin connects (one admin token for
// everybody, sealed); users are matched by email; a user whose email is not
// in the Zoom account is told so, by email.
func TestAccountLevelConnect(t *testing.T) {
	e := start(t, nil)
	if err := e.h.UpdateSettings(map[string]any{"AccountLevelApp": true}); err != nil {
		t.Fatal(err)
	}
	if ac := e.h.Commands()["zoom"].AutocompleteData; ac == nil || strings.Contains(autocompleteNames(ac), "connect") {
		t.Errorf("account-level autocomplete still offers connect: %s", autocompleteNames(ac))
	}

	e.command("alice", "town-square", "/zoom start")
	if text := e.ephemeralText("alice"); !strings.Contains(text, "system admin") {
		t.Errorf("start before the admin connected: %q", text)
	}
	e.command("alice", "town-square", "/zoom connect")
	if strings.Contains(e.ephemeralText("alice"), "/oauth2/connect") {
		t.Errorf("a non-admin was offered the connect link: %s", e.ephemeralText("alice"))
	}
	if status, page := e.oauth("alice"); status != http.StatusForbidden {
		t.Errorf("non-admin OAuth flow: %d %s", status, short(page))
	}
	if e.h.KVGet("zoomSuperUserToken_") != nil {
		t.Fatal("a non-admin stored the admin token")
	}

	if status, page := e.oauth("admin"); status != http.StatusOK {
		t.Fatalf("admin connect: %d %s", status, page)
	}
	var tok oauth2.Token
	e.kvJSON("zoomSuperUserToken_", &tok)
	e.requireSealed(&tok, "the admin token")
	if e.h.KVGet("zoomtoken_"+e.userID("admin")) != nil {
		t.Error("account-level connect also stored a user token")
	}

	e.setPreference("alice", "false")
	e.command("alice", "town-square", "/zoom start Standup")
	card := e.lastCard("town-square")
	if card == nil || card.UserId != e.userID("alice") {
		t.Fatalf("no card for alice; she saw: %s", e.ephemeralText("alice"))
	}
	if m, ok := e.sim.Meeting(e.cardMeetingID(card)); !ok || m.HostEmail != "alice@example.com" {
		t.Errorf("meeting host %q, want alice's Zoom account", m.HostEmail)
	}

	carol := e.h.User("carol")
	carol.Email = "carol.elsewhere@example.org"
	e.h.Store().PutUser(carol)
	e.setPreference("carol", "false")
	e.command("carol", "off-topic", "/zoom start")
	if text := e.ephemeralText("carol"); !strings.Contains(text, "carol.elsewhere@example.org") {
		t.Errorf("unknown email: carol saw %q", text)
	}
	if e.lastCard("off-topic") != nil {
		t.Error("a meeting was posted for a user who is not in the Zoom account")
	}
}

// requireSealed checks a stored token holds no usable secret: both secrets
// are in the sealed format, and Zoom refuses the stored access token.
func (e *env) requireSealed(tok *oauth2.Token, what string) {
	e.t.Helper()
	if tok == nil {
		e.t.Fatalf("%s: no token", what)
	}
	for name, v := range map[string]string{"access": tok.AccessToken, "refresh": tok.RefreshToken} {
		if !strings.HasPrefix(v, "v1:") {
			e.t.Errorf("%s: %s token is not sealed at rest: %q", what, name, short(v))
		}
	}
	req, _ := http.NewRequest("GET", e.sim.APIURL()+"/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := e.sim.HTTPClient().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		e.t.Errorf("%s: Zoom accepts the access token as stored in KV (%d)", what, resp.StatusCode)
	}
}

func autocompleteNames(ac *model.AutocompleteData) string {
	if ac == nil {
		return ""
	}
	var names []string
	for _, s := range ac.SubCommands {
		names = append(names, s.Trigger)
	}
	return strings.Join(names, ",")
}
