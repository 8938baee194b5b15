//go:build e2e

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
)

// s2sSettings switch the plugin to the simulator's Server-to-Server app.
func (e *env) s2sSettings() map[string]any {
	return map[string]any{
		"ServerToServerApp": true, "S2SAccountID": e.sim.AccountID(),
		"S2SClientID": e.sim.ClientID(), "S2SClientSecret": e.sim.ClientSecret(),
	}
}

// In Server-to-Server mode a user who never connected starts a meeting on their
// Zoom account (matched by email), and /zoom connect says there is nothing to do.
func TestServerToServerStartsWithoutConnect(t *testing.T) {
	e := start(t, nil)
	if err := e.h.UpdateSettings(e.s2sSettings()); err != nil {
		t.Fatal(err)
	}
	card := e.startedCard("bob", "design")
	m, ok := e.sim.Meeting(e.cardMeetingID(card))
	if !ok || m.HostEmail != "bob@example.com" || card.UserId != e.userID("bob") {
		t.Fatalf("meeting %+v, card by %s", m, card.UserId)
	}
	if e.h.KVGet("zooms2stoken") == nil || e.h.KVGet("zoomtoken_"+e.userID("bob")) != nil {
		t.Errorf("KV keys after a Server-to-Server start: %v", e.h.KVKeys())
	}

	e.command("bob", "design", "/zoom connect")
	if reply := e.lastEphemeral("bob").Message; !strings.Contains(reply, "nothing to connect") || strings.Contains(reply, "/oauth2/connect") {
		t.Errorf("/zoom connect in Server-to-Server mode: %q", reply)
	}
}

// Two plugin processes sharing one store start meetings at once; the cluster asks
// Zoom's token endpoint once (one account_credentials grant, shared through KV).
func TestServerToServerTokenSharedAcrossNodes(t *testing.T) {
	e := start(t, nil)
	e.sim.ResetCalls()
	if err := e.h.UpdateSettings(e.s2sSettings()); err != nil {
		t.Fatal(err)
	}
	b := e.node()

	var wg sync.WaitGroup
	answers := make([]string, 2)
	for i, n := range []struct {
		node            *devhost.Host
		userID, channel string
	}{{e.h, e.userID("alice"), e.channelID("design")}, {b.h, e.userID("bob"), e.channelID("off-topic")}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"channel_id":%q,"root_id":"","topic":"","use_pmi":"false"}`, n.channel)
			resp := n.node.Request("POST", "/plugins/zoom/api/v1/meetings", n.userID, strings.NewReader(body))
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			answers[i] = fmt.Sprintf("%d %s", resp.StatusCode, b)
		}()
	}
	wg.Wait()
	for i, ch := range []string{"design", "off-topic"} {
		if c := e.lastCard(ch); c == nil || !strings.HasPrefix(answers[i], "200 ") {
			t.Errorf("start in %s: %s; card %v", ch, answers[i], c)
		}
	}
	if n := e.sim.CountCalls(http.MethodPost, "/oauth/token"); n != 1 {
		t.Errorf("token requests: %d, want one account_credentials grant for the cluster; calls: %+v", n, e.sim.Calls())
	}
}

// node starts a second plugin process (devhost) on e's store and simulator, as
// another server of the cluster; it reads the settings already saved.
func (e *env) node() *env {
	e.t.Helper()
	h, err := devhost.Start(devhost.Options{
		Bundle: bundle(e.t), Addr: "127.0.0.1:0", Sim: e.sim, SharedStore: e.h.Store(), LogOutput: newTestLog(e.t),
	})
	if err != nil {
		e.t.Fatalf("second node: %v", err)
	}
	e.t.Cleanup(h.Close)
	return &env{t: e.t, h: h, sim: e.sim}
}

// Wrong Server-to-Server credentials: the start is refused with a message that
// points to /zoom status, which names the settings to fix; fixing the secret makes
// the next start ask Zoom for a new token.
func TestServerToServerWrongSecretThenFixed(t *testing.T) {
	e := start(t, nil)
	wrong := e.s2sSettings()
	wrong["S2SClientSecret"] = "not-the-secret"
	if err := e.h.UpdateSettings(wrong); err != nil {
		t.Fatal(err)
	}
	e.command("bob", "design", "/zoom start")
	if reply := e.lastEphemeral("bob").Message; e.lastCard("design") != nil || !strings.Contains(reply, "/zoom status") {
		t.Fatalf("start with a wrong secret: card %v; bob saw %q", e.lastCard("design"), reply)
	}
	report := e.status("admin")
	if !strings.Contains(report, "Server-to-Server Client Secret") || !strings.Contains(report, "**App Credentials**") {
		t.Errorf("the report does not name the credentials to fix:\n%s", report)
	}

	if err := e.h.UpdateSettings(e.s2sSettings()); err != nil {
		t.Fatal(err)
	}
	e.setPreference("bob", "false")
	e.command("bob", "design", "/zoom start")
	if c := e.lastCard("design"); c == nil || c.UserId != e.userID("bob") {
		t.Fatalf("start after fixing the secret: %v; bob saw: %s", c, e.ephemeralText("bob"))
	}
}
