//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// A user whose Mattermost language is German gets the bot's replies in German:
// the help, the connect-first answer to a start, /zoom join and /zoom list, the DM
// about someone waiting, and the large-channel question.
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

	e.command("alice", "design", "/zoom join https://zoom.evil.example/j/84512367890")
	if reply := e.lastEphemeral("alice").Message; !strings.Contains(reply, "gehört nicht dazu") {
		t.Errorf("a foreign link refused in German: %q", reply)
	}

	e.connect("alice")
	e.setPreference("alice", "false")
	m := e.scheduleMeeting("alice", "Planung")
	e.command("alice", "design", "/zoom list")
	list := e.lastEphemeral("alice")
	if !strings.Contains(list.Message, "Deine anstehenden Zoom-Meetings") {
		t.Errorf("/zoom list in German: %q", list.Message)
	}
	e.click("alice", list, "In diesem Kanal teilen")
	if now := e.ephemeral("alice", list.Id); !strings.Contains(now.Message, "geteilt") {
		t.Errorf("the share answer in German: %q", now.Message)
	}
	// Someone waiting for alice is announced to her in German.
	e.mustWebhook(e.simEvent(e.sim.StartMeeting(m.ID)), "meeting.started")
	e.mustWebhook(e.simEvent(e.sim.ParticipantEvent(m.ID, zoom.EventParticipantWaitingForHost, zoom.Participant{UserName: "Walter Waiting"})), "waiting")
	dm := e.h.DirectChannel(e.userID("alice"), e.h.User("zoom").Id)
	e.waitFor("the waiting DM", func() bool { return len(e.h.Posts(dm.Id)) > 0 })
	if msg := e.h.Posts(dm.Id)[0].Message; !strings.Contains(msg, "Walter Waiting wartet darauf") {
		t.Errorf("the waiting DM in German: %q", msg)
	}

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
