package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// schedule creates a scheduled meeting on a connected user's Zoom account.
func (w *world) schedule(user *model.User, topic string) *zoom.Meeting {
	w.t.Helper()
	who, err := w.app.identityFor(w.ctx, user.Id)
	if err != nil {
		w.t.Fatal(err)
	}
	m, err := who.snap.zoom.CreateMeeting(w.ctx, who.accessToken, "me", zoom.CreateMeetingRequest{
		Topic: topic, Type: zoom.MeetingTypeScheduled, StartTime: "2026-03-12T14:00:00Z", Duration: 30, Timezone: "UTC"})
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

func (w *world) share(user *model.User, channel *model.Channel, target string) (*model.Post, error) {
	return w.app.ShareMeeting(w.ctx, ShareRequest{UserID: user.Id, ChannelID: channel.Id, Target: target})
}

func TestShareOwnScheduledMeetingByID(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.schedule(w.alice, "Weekly planning")
	post, err := w.share(w.alice, w.private, fmt.Sprintf("%d", m.ID)[:3]+" "+fmt.Sprintf("%d", m.ID)[3:])
	if err != nil {
		t.Fatal(err)
	}
	p := w.post(post.Id)
	id, _ := numberProp(p.GetProp("meeting_id"))
	if p.Type != PostTypeMeeting || p.UserId != w.alice.Id || id != m.ID || p.GetProp("meeting_uuid") != m.UUID ||
		p.GetProp("meeting_link") != m.JoinURL || p.GetProp("meeting_status") != StatusStarted ||
		p.GetProp("meeting_topic") != "Weekly planning" || p.GetProp("meeting_personal") != false ||
		p.GetProp("meeting_creator_username") != "alice" || p.GetProp("meeting_provider") != "Zoom" ||
		p.GetProp(propShared) != true || len(p.Attachments()) != 1 {
		t.Fatalf("card: %q %v", p.Message, p.GetProps())
	}
	// The same mappings as a card started here.
	if got, _ := w.app.kv.MeetingPostByUUID(m.UUID); got != post.Id {
		t.Fatalf("uuid maps to %q", got)
	}
	if mc, err := w.app.kv.GetMeetingChannel(m.ID); err != nil || mc.PostID != post.Id || mc.CreatedBy != w.alice.Id {
		t.Fatalf("meeting channel %+v %v", mc, err)
	}
	if _, ok := w.openCard(post.Id); !ok {
		t.Fatal("shared card not tracked")
	}
	// It ends like our own cards.
	started, err := w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	ended, err := w.sim.EndMeeting(m.ID)
	w.mustDeliver(w.app, ended, err)
	assertEnded(t, w.post(post.Id), time.Time{})
}

func TestSharePastedLink(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.schedule(w.alice, "Design review")
	// Alice's own link: the topic comes from Zoom, the pasted link is kept.
	link := m.JoinURL + "#success"
	post, err := w.share(w.alice, w.private, "<"+link+">")
	if err != nil {
		t.Fatal(err)
	}
	if post.GetProp("meeting_topic") != "Design review" || post.GetProp("meeting_link") != m.JoinURL {
		t.Fatalf("card %v", post.GetProps())
	}
	// Bob is not connected and pastes a link Zoom will not describe to him: Zoom cannot
	// confirm he hosts it, so it is shared as a link only, which nothing ever finds.
	other := w.sim.URL() + "/j/84512367899?pwd=abc"
	post, err = w.share(w.bob, w.private, other)
	if err != nil {
		t.Fatal(err)
	}
	if post.UserId != w.bob.Id || !strings.Contains(post.Message, defaultTopic) {
		t.Fatalf("post %q", post.Message)
	}
	assertLinkOnly(t, post, other)
	if msg := w.host.LastEphemeral(w.bob.Id).Message; !strings.Contains(msg, "not connected to Zoom") || !strings.Contains(msg, "/oauth2/connect") {
		t.Fatalf("bob was told %q", msg)
	}
	if _, err := w.app.kv.GetMeetingChannel(84512367899); err == nil {
		t.Fatal("a link-only post is findable by id")
	}
	// Alice pastes a link to a meeting her account cannot read (404 from Zoom).
	post, err = w.share(w.alice, w.private, other)
	if err != nil || !strings.Contains(post.Message, defaultTopic) {
		t.Fatalf("404 link: %v %v", err, post)
	}
	assertLinkOnly(t, post, other)
}

func TestShareRefusals(t *testing.T) {
	w := newWorld(t, restrictPublic)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.schedule(w.alice, "Weekly planning")
	id := fmt.Sprintf("%d", m.ID)
	outsider := w.host.AddUser("outsider", false)
	cases := []struct {
		name    string
		user    *model.User
		channel *model.Channel
		target  string
		kind    Kind
		msg     string
	}{
		{"foreign host", w.alice, w.private, "https://evil.example.com/j/84512367890", KindBadInput, "evil.example.com is not one"},
		{"look-alike host", w.alice, w.private, "https://zoom.us.evil.example.com/j/84512367890", KindBadInput, "is not one"},
		{"plain http", w.alice, w.private, strings.Replace(w.sim.URL(), "https", "http", 1) + "/j/84512367890", KindBadInput, "is not one"},
		{"not a join path", w.alice, w.private, w.sim.URL() + "/rec/play/abc", KindBadInput, "not a meeting join link"},
		{"garbage", w.alice, w.private, "tomorrow", KindBadInput, "neither a Zoom meeting ID nor a link"},
		{"empty", w.alice, w.private, " ", KindBadInput, "Usage"},
		{"unknown id", w.alice, w.private, "84512367899", KindNotFound, "Zoom has no meeting 84512367899"},
		{"id while unconnected", w.bob, w.private, id, KindUnauthorized, "connect your Zoom account"},
		{"restricted public channel", w.alice, w.public, id, KindForbidden, ""},
		{"not a member", outsider, w.private, id, KindForbidden, "member"},
	}
	for _, c := range cases {
		_, err := w.share(c.user, c.channel, c.target)
		if err == nil || KindOf(err) != c.kind || !strings.Contains(MessageOf(err), c.msg) {
			t.Errorf("%s: %d %q", c.name, KindOf(err), MessageOf(err))
		}
	}
	if n := len(w.cards(w.private)) + len(w.cards(w.public)); n != 0 {
		t.Fatalf("%d cards posted by refused shares", n)
	}
}

func TestListUpcomingMeetingsAndShareButton(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.schedule(w.alice, "Weekly planning")
	w.schedule(w.alice, "Retro")
	if err := w.app.SendUpcomingMeetings(w.ctx, w.alice.Id, w.private.Id, ""); err != nil {
		t.Fatal(err)
	}
	list := w.host.LastEphemeral(w.alice.Id)
	atts := list.Attachments()
	if len(atts) != 2 || atts[0].Title != "Weekly planning" || len(atts[0].Actions) != 1 {
		t.Fatalf("list %q %+v", list.Message, atts)
	}
	action := atts[0].Actions[0]
	if action.Name != "Share in this channel" || action.Integration.URL != testLinks.Share || action.Integration.Context["meetingID"] != fmt.Sprint(m.ID) {
		t.Fatalf("button %+v", action.Integration)
	}
	click := func(sessionUser string) (*model.PostActionIntegrationResponse, error) {
		return w.app.ShareFromList(w.ctx, sessionUser, &model.PostActionIntegrationRequest{
			UserId: sessionUser, ChannelId: w.private.Id, Context: action.Integration.Context})
	}
	// Someone else clicking (a forged request) is refused and posts nothing.
	if _, err := click(w.bob.Id); KindOf(err) != KindForbidden {
		t.Fatalf("click by bob: %v", err)
	}
	if n := len(w.cards(w.private)); n != 0 {
		t.Fatalf("%d cards", n)
	}
	resp, err := click(w.alice.Id)
	if err != nil || !strings.Contains(resp.EphemeralText, "Weekly planning") {
		t.Fatalf("click: %+v %v", resp, err)
	}
	cards := w.cards(w.private)
	if len(cards) != 1 || cards[0].UserId != w.alice.Id || cards[0].GetProp("meeting_topic") != "Weekly planning" {
		t.Fatalf("cards %v", cards)
	}
	// Nothing upcoming, and not connected.
	w.mustConnect(w.bob, "bob@example.com")
	if err := w.app.SendUpcomingMeetings(w.ctx, w.bob.Id, w.private.Id, ""); err != nil ||
		!strings.Contains(w.host.LastEphemeral(w.bob.Id).Message, "no upcoming") {
		t.Fatalf("empty list: %v", err)
	}
	if err := w.app.SendUpcomingMeetings(w.ctx, w.admin.Id, w.private.Id, ""); err != nil ||
		!strings.Contains(w.host.LastEphemeral(w.admin.Id).Message, "connect your Zoom account") {
		t.Fatalf("unconnected list: %v", err)
	}
	w.sim.InjectFault(zoomsim.Fault{Method: http.MethodGet, PathPrefix: "/v2/users/", Status: http.StatusServiceUnavailable})
	if err := w.app.SendUpcomingMeetings(w.ctx, w.alice.Id, w.private.Id, ""); KindOf(err) != KindZoomFailed {
		t.Fatalf("outage: %v", err)
	}
}

func TestSharedPersonalRoomIsMarked(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferencePMI)
	post, err := w.share(w.alice, w.private, "7391846250")
	if err != nil {
		t.Fatal(err)
	}
	if post.GetProp("meeting_personal") != true || !strings.HasSuffix(post.GetProp("meeting_topic").(string), "Personal Meeting Room") {
		t.Fatalf("card %v", post.GetProps())
	}
}

// The list shows a meeting's start in the meeting's own time zone, UTC without one.
func TestMeetingWhenUsesTheMeetingsTimeZone(t *testing.T) {
	for zone, want := range map[string]string{"Europe/Berlin": "16:00", "": "15:00", "Not/AZone": "15:00"} {
		if got := meetingWhen(zoom.Meeting{StartTime: "2026-03-12T15:00:00Z", Timezone: zone}, "15:04"); got != want {
			t.Errorf("zone %q: %q, want %q", zone, got, want)
		}
	}
	if got := meetingWhen(zoom.Meeting{StartTime: "soon"}, "15:04"); got != "" {
		t.Errorf("an unreadable start: %q", got)
	}
}

// A pasted join link is the card's link even when Zoom describes the meeting with its
// own: what the user pasted may carry more (a name, a passcode) than Zoom's.
func TestSharePastedLinkKeepsWhatWasPasted(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.schedule(w.alice, "Design review")
	u, err := url.Parse(m.JoinURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("uname", "Alice")
	u.RawQuery = q.Encode()
	post, err := w.share(w.alice, w.private, u.String())
	if err != nil || post.GetProp("meeting_link") != u.String() || post.GetProp("meeting_topic") != "Design review" {
		t.Fatalf("card: %v %v", post.GetProps(), err)
	}
}
