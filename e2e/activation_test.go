//go:build e2e

package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
)

func TestActivatesWithGoodSettings(t *testing.T) {
	e := start(t, nil)
	if !e.h.Active() || e.h.ActivationError() != nil {
		t.Fatalf("active=%v err=%v", e.h.Active(), e.h.ActivationError())
	}
	bot := e.h.User("zoom")
	if bot == nil || !bot.IsBot || bot.FirstName != "Zoom" {
		t.Fatalf("bot zoom: %+v", bot)
	}
	if _, ok := e.h.Commands()["zoom"]; !ok {
		t.Fatalf("/zoom not registered: %v", e.h.Commands())
	}
}

func TestRefusesActivationWithoutClientID(t *testing.T) {
	_, err := devhost.Start(devhost.Options{Bundle: bundle(t), Addr: "127.0.0.1:0",
		Settings: map[string]any{"OAuthClientID": ""}})
	if err == nil {
		t.Fatal("activated without OAuthClientID")
	}
	if !strings.Contains(err.Error(), "OAuthClientID") {
		t.Fatalf("error does not name the setting: %v", err)
	}
}

func TestHealthRouteAnswers(t *testing.T) {
	e := start(t, nil)
	status, body := e.do("GET", "/plugins/zoom/api/v1/health", "", "", nil)
	if status != http.StatusOK || !strings.Contains(body, "ok") {
		t.Fatalf("health: %d %s", status, body)
	}
}

// A client that sends Mattermost-User-Id itself gets nothing for it: the host
// strips the header, so the plugin sees an anonymous request.
func TestForgedUserHeaderIsStripped(t *testing.T) {
	e := start(t, nil)
	forged := http.Header{"Mattermost-User-Id": {e.userID("alice")}}
	body := `{"channel_id":"` + e.channelID("town-square") + `","use_pmi":"false"}`
	status, resp := e.do("POST", "/plugins/zoom/api/v1/meetings", "", body, forged)
	if status != http.StatusUnauthorized {
		t.Fatalf("forged user header: %d %s", status, resp)
	}
	if n := len(e.h.Posts(e.channelID("town-square"))); n != 0 {
		t.Fatalf("a forged request posted %d posts", n)
	}
}

func TestHelpCommand(t *testing.T) {
	e := start(t, nil)
	e.command("alice", "town-square", "/zoom help")
	if text := e.ephemeralText("alice"); !strings.Contains(text, "start") {
		t.Fatalf("help reply: %q", text)
	}
}
