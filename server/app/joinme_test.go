package app

import (
	"errors"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

func (w *world) join(user *model.User, channel *model.Channel, target string) error {
	return w.app.Join(w.ctx, ShareRequest{UserID: user.Id, ChannelID: channel.Id, Target: target})
}

// newPosts returns the channel's posts created after the first n.
func (w *world) newPosts(channel *model.Channel, n int) []*model.Post {
	return w.host.ChannelPosts(channel.Id)[n:]
}

func TestJoinMeStartsThePersonalRoomWhateverThePreference(t *testing.T) {
	for _, pref := range []string{"", store.PreferenceUnique} {
		w := newWorld(t)
		w.mustConnect(w.alice, "alice@example.com")
		if pref != "" {
			w.setPreference(w.alice, pref)
		}
		asked := len(w.host.EphemeralsFor(w.alice.Id))
		if err := w.join(w.alice, w.private, "ME"); err != nil {
			t.Fatal(err)
		}
		cards := w.cards(w.private)
		if len(cards) != 1 || cards[0].GetProp("meeting_personal") != true {
			t.Fatalf("preference %q: cards %+v", pref, cards)
		}
		if !strings.Contains(cards[0].GetProp("meeting_link").(string), "/j/7391846250") {
			t.Fatalf("preference %q: not the personal room: %v", pref, cards[0].GetProps())
		}
		if pref == "" && len(w.host.EphemeralsFor(w.alice.Id)) != asked {
			t.Fatalf("asked a question: %+v", w.host.LastEphemeral(w.alice.Id))
		}
	}
}

func TestJoinOwnPersonalLinkMakesTheCardTheMeetingsHome(t *testing.T) {
	w := newWorld(t)
	w.sim.AddUser(zoomsim.User{Email: "alice@example.com", FirstName: "Alice", PMI: 7391846250, VanityName: "alice.archer"})
	w.mustConnect(w.alice, "alice@example.com")
	if err := w.join(w.alice, w.private, w.sim.URL()+"/my/Alice.Archer"); err != nil {
		t.Fatal(err)
	}
	cards := w.cards(w.private)
	if len(cards) != 1 || cards[0].GetProp("meeting_personal") != true {
		t.Fatalf("cards %+v", cards)
	}
	if id, _ := numberProp(cards[0].GetProp("meeting_id")); id != 7391846250 {
		t.Fatalf("meeting_id %v", cards[0].GetProp("meeting_id"))
	}
	mc, err := w.app.kv.GetMeetingChannel(7391846250)
	if err != nil || mc.PostID != cards[0].Id {
		t.Fatalf("the card is not the meeting's home: %+v %v", mc, err)
	}
}

func TestJoinSomeoneElsesPersonalLinkIsALinkOnly(t *testing.T) {
	w := newWorld(t)
	w.sim.AddUser(zoomsim.User{Email: "alice@example.com", FirstName: "Alice", PMI: 7391846250, VanityName: "alice.archer"})
	w.mustConnect(w.alice, "alice@example.com")
	for _, c := range []struct {
		user *model.User
		link string
	}{
		{w.alice, "/my/bob.builder"}, // connected, but the profile names another link
		{w.bob, "/my/alice.archer"},  // not connected: Zoom confirms nothing
	} {
		before := len(w.host.ChannelPosts(w.private.Id))
		if err := w.join(c.user, w.private, "<"+w.sim.URL()+c.link+"?pwd=a)b&x=[y]#frag>"); err != nil {
			t.Fatalf("%s: %v", c.link, err)
		}
		posts := w.newPosts(w.private, before)
		if len(posts) != 1 {
			t.Fatalf("%s: %d posts", c.link, len(posts))
		}
		p := posts[0]
		want := w.sim.URL() + c.link + "?pwd=a%29b"
		if p.Type != "" || p.UserId != c.user.Id || !strings.HasSuffix(p.Message, want) || hasMeetingProps(p) {
			t.Fatalf("%s: not a link-only post: %q %q %v", c.link, p.Type, p.Message, p.GetProps())
		}
		if note := w.host.LastEphemeral(c.user.Id); note == nil || !strings.Contains(note.Message, "link only") {
			t.Fatalf("%s: the user was not told: %+v", c.link, note)
		}
	}
	if _, err := w.app.kv.GetMeetingChannel(7391846250); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a link-only post became a home: %v", err)
	}
}

func TestJoinPersonalLinkRefusals(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	outsider := w.host.AddUser("outsider", false)
	for _, c := range []struct {
		user   *model.User
		target string
		kind   Kind
		says   string
	}{
		{w.alice, w.sim.URL() + "/my/<script>", KindBadInput, "personal link"},
		{w.alice, w.sim.URL() + "/my/", KindBadInput, "personal link"},
		{w.alice, "https://zoom.evil.example/my/alice", KindBadInput, "zoom.evil.example"},
		{w.alice, "http" + strings.TrimPrefix(w.sim.URL(), "https") + "/my/alice", KindBadInput, ""},
		{outsider, w.sim.URL() + "/my/alice", KindForbidden, "member"},
	} {
		before := len(w.host.ChannelPosts(w.private.Id))
		err := w.join(c.user, w.private, c.target)
		if KindOf(err) != c.kind || !strings.Contains(w.app.MessageFor(c.user.Id, err), c.says) {
			t.Errorf("%s: %d %q", c.target, KindOf(err), w.app.MessageFor(c.user.Id, err))
		}
		if n := len(w.host.ChannelPosts(w.private.Id)); n != before {
			t.Errorf("%s: posted anyway", c.target)
		}
	}
}

func hasMeetingProps(p *model.Post) bool {
	for k := range p.GetProps() {
		if strings.HasPrefix(k, "meeting_") || k == "attachments" {
			return true
		}
	}
	return false
}
