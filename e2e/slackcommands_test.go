//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// The Zoom-for-Slack names: /zoom meeting starts like /zoom start.
func TestSlackMeetingCommandStarts(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.setPreference("alice", "false")
	e.command("alice", "design", "/zoom meeting Weekly retro")
	card := e.lastCard("design")
	if card == nil || card.GetProp("meeting_topic") != "Weekly retro" || card.UserId != e.userID("alice") {
		t.Fatalf("card %v; alice saw: %s", card, e.ephemeralText("alice"))
	}
}

// /zoom join me starts alice's personal meeting room although her preference says a
// new meeting ID.
func TestSlackJoinMeStartsThePersonalRoom(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.setPreference("alice", "false")
	e.command("alice", "design", "/zoom join me")
	card := e.lastCard("design")
	if card == nil || card.GetProp("meeting_personal") != true ||
		!strings.Contains(fmt.Sprint(card.GetProp("meeting_link")), fmt.Sprintf("/j/%d", alicePMI)) {
		t.Fatalf("card %v; alice saw: %s", card, e.ephemeralText("alice"))
	}
}

// /zoom join <personal link>: alice's own link (her Zoom profile says so) is her
// personal room's card; bob's link, pasted by alice, is a link-only post.
func TestSlackJoinPersonalLinks(t *testing.T) {
	e := start(t, nil)
	alice := e.h.User("alice")
	e.h.AddZoomUser(zoomsim.User{Email: alice.Email, FirstName: alice.FirstName, LastName: alice.LastName, PMI: alicePMI, VanityName: "alice.archer"})
	e.connect("alice")

	e.command("alice", "design", "/zoom join "+e.sim.URL()+"/my/alice.archer")
	card := e.lastCard("design")
	if card == nil || e.cardMeetingID(card) != alicePMI || card.GetProp("meeting_shared") != true {
		t.Fatalf("own personal link: card %v; alice saw: %s", card, e.ephemeralText("alice"))
	}
	if mapped := e.kvString(fmt.Sprintf("meeting_channel_%d", alicePMI)); !strings.Contains(mapped, card.Id) {
		t.Fatalf("the card is not the meeting's home: %q", mapped)
	}

	before := len(e.h.Posts(e.channelID("town-square")))
	e.command("alice", "town-square", "/zoom join "+e.sim.URL()+"/my/bob.builder")
	posts := e.h.Posts(e.channelID("town-square"))
	if len(posts) != before+1 {
		t.Fatalf("%d new posts", len(posts)-before)
	}
	p := posts[len(posts)-1]
	if p.Type != "" || p.GetProp("meeting_id") != nil || !strings.Contains(p.Message, e.sim.URL()+"/my/bob.builder") {
		t.Fatalf("not a link-only post: %q %q %v", p.Type, p.Message, p.GetProps())
	}
	if note := e.lastEphemeral("alice").Message; !strings.Contains(note, "link only") {
		t.Errorf("alice was not told: %q", note)
	}
}

// /zoom logout forgets the user's Zoom tokens, like /zoom disconnect.
func TestSlackLogoutDisconnects(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	key := "zoomtoken_" + e.userID("alice")
	if e.h.KVGet(key) == nil {
		t.Fatal("not connected")
	}
	e.command("alice", "design", "/zoom logout")
	if e.h.KVGet(key) != nil {
		t.Fatalf("tokens kept; alice saw: %s", e.ephemeralText("alice"))
	}
}

// /zoom help lists the Slack names in every language we ship.
func TestSlackNamesInHelpInEveryLanguage(t *testing.T) {
	e := start(t, nil)
	for _, c := range []struct{ user, locale, joinMe string }{
		{"alice", "en", "personal meeting room"},
		{"bob", "de", "persönlichen Meetingraum"},
		{"carol", "fr", "salle de réunion personnelle"},
	} {
		e.setLocale(c.user, c.locale)
		e.command(c.user, "town-square", "/zoom help")
		help := e.lastEphemeral(c.user).Message
		for _, want := range []string{"/zoom meeting", "/zoom join me", "/zoom logout", c.joinMe} {
			if !strings.Contains(help, want) {
				t.Errorf("%s help lacks %q: %s", c.locale, want, help)
			}
		}
	}
}
