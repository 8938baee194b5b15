//go:build e2e

package e2e

import (
	"strings"
	"testing"
)

// A user whose Mattermost language is German gets the bot's replies in German:
// the help, the connect-first answer to a start, and the large-channel question.
func TestGermanUserGetsGermanReplies(t *testing.T) {
	e := start(t, map[string]any{"LargeChannelThreshold": 3}) // town-square has 4 members, design 3
	e.setLocale("alice", "de")

	e.command("alice", "design", "/zoom help")
	if help := e.lastEphemeral("alice").Message; !strings.Contains(help, "Zoom-Befehle") || !strings.Contains(help, "/zoom start [Thema]") {
		t.Errorf("/zoom help in German: %q", help)
	}
	e.command("alice", "design", "/zoom start")
	if reply := e.lastEphemeral("alice").Message; !strings.Contains(reply, "verbinde zuerst dein Zoom-Konto") {
		t.Errorf("start before connecting, in German: %q", reply)
	}

	e.connect("alice")
	e.setPreference("alice", "false")
	e.command("alice", "town-square", "/zoom start")
	question := e.lastEphemeral("alice")
	e.action(question, "Meeting starten")
	e.action(question, "Abbrechen")
	if text := question.Attachments()[0].Pretext; !strings.Contains(text, "Mitglieder") {
		t.Errorf("the large-channel question in German: %q", text)
	}
	// bob's language is still English.
	e.setPreference("bob", "false")
	e.connect("bob")
	e.command("bob", "off-topic", "/zoom start")
	e.action(e.lastEphemeral("bob"), "Start meeting")
}

// setLocale sets a user's Mattermost language, as Settings > Display > Language does.
func (e *env) setLocale(user, locale string) {
	e.t.Helper()
	u := e.h.User(user)
	if u == nil {
		e.t.Fatalf("no user %s", user)
	}
	u.Locale = locale
	e.h.Store().PutUser(u)
}
