package app

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// recurring creates a recurring meeting hosted by user's Zoom account.
func (w *world) recurring(user *model.User) *zoom.Meeting {
	w.t.Helper()
	who, err := w.app.identityFor(w.ctx, user.Id)
	if err != nil {
		w.t.Fatal(err)
	}
	m, err := who.snap.zoom.CreateMeeting(w.ctx, who.accessToken, who.zoomUserID,
		zoom.CreateMeetingRequest{Topic: "Weekly design review", Type: zoom.MeetingTypeRecurringFixedTime, StartTime: "2026-03-12T15:00:00Z", Duration: 45})
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

func (w *world) subscribe(user *model.User, channel *model.Channel, id int64) (string, error) {
	return w.app.Subscribe(w.ctx, user.Id, channel.Id, id)
}

func (w *world) mustSubscribe(user *model.User, channel *model.Channel, id int64) {
	w.t.Helper()
	if msg, err := w.subscribe(user, channel, id); err != nil {
		w.t.Fatalf("subscribe: %v", err)
	} else if !strings.Contains(msg, "now subscribed") {
		w.t.Fatalf("subscribe said %q", msg)
	}
}

func wantRefusal(t *testing.T, err error, kind Kind, phrase string) {
	t.Helper()
	if err == nil || KindOf(err) != kind || !strings.Contains(MessageOf(err), phrase) {
		t.Fatalf("want kind %d %q, got %v (%q)", kind, phrase, err, MessageOf(err))
	}
}

func TestSubscribeByHostStoresSubscriptionAndIndex(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)
	w.mustSubscribe(w.alice, w.private, m.ID)
	mc, err := w.app.kv.GetMeetingChannel(m.ID)
	if err != nil || !mc.IsSubscription || mc.ChannelID != w.private.Id || mc.CreatedBy != w.alice.Id {
		t.Fatalf("subscription: %+v %v", mc, err)
	}
	if ids, _ := w.app.kv.Subscriptions(w.alice.Id); len(ids) != 1 || ids[0] != strconv.FormatInt(m.ID, 10) {
		t.Fatalf("index: %v", ids)
	}
	list, err := w.app.ListSubscriptions(w.alice.Id)
	if err != nil || !strings.Contains(list, "~design") || !strings.Contains(list, strconv.FormatInt(m.ID, 10)) {
		t.Fatalf("list: %q %v", list, err)
	}
	// One subscription per meeting, wherever the second attempt comes from.
	_, err = w.subscribe(w.alice, w.public, m.ID)
	wantRefusal(t, err, KindConflict, "~design")
}

func TestSubscribeRefusals(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)

	_, err := w.subscribe(w.bob, w.private, m.ID)
	wantRefusal(t, err, KindUnauthorized, "connect your Zoom account")

	w.mustConnect(w.bob, "bob@example.com")
	_, err = w.subscribe(w.bob, w.private, m.ID)
	wantRefusal(t, err, KindForbidden, "Only the host")

	carol := w.host.AddUser("carol", false)
	_, err = w.subscribe(carol, w.private, m.ID)
	wantRefusal(t, err, KindForbidden, "may post in")
	// Even a system admin, who may post anywhere, subscribes only a channel they are in.
	w.mustConnect(w.admin, "admin@example.com")
	elsewhere := w.host.AddChannel("elsewhere", model.ChannelTypeOpen, w.alice)
	_, err = w.subscribe(w.admin, elsewhere, m.ID)
	wantRefusal(t, err, KindForbidden, "may post in")

	_, err = w.subscribe(w.alice, w.private, 7391846250) // alice's personal room
	wantRefusal(t, err, KindBadInput, "personal meeting room")

	_, err = w.subscribe(w.alice, w.private, 99999999999)
	wantRefusal(t, err, KindNotFound, "no meeting 99999999999")

	if _, err := w.app.kv.GetMeetingChannel(m.ID); err == nil {
		t.Fatal("a refused subscription was stored")
	}
}

func TestSystemAdminSubscribesMeetingHostedByOthers(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.mustConnect(w.admin, "admin@example.com")
	m := w.recurring(w.alice)
	w.mustSubscribe(w.admin, w.public, m.ID)
	// The admin still reads the meeting with their own identity: it must exist.
	_, err := w.subscribe(w.admin, w.public, 99999999999)
	wantRefusal(t, err, KindNotFound, "no meeting")
}

func TestUnsubscribeByCreatorOrAdminOnly(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m1, m2 := w.recurring(w.alice), w.recurring(w.alice)
	w.mustSubscribe(w.alice, w.private, m1.ID)
	w.mustSubscribe(w.alice, w.public, m2.ID)

	_, err := w.app.Unsubscribe(w.bob.Id, m1.ID)
	wantRefusal(t, err, KindForbidden, "@alice")

	msg, err := w.app.Unsubscribe(w.admin.Id, m1.ID)
	if err != nil || !strings.Contains(msg, "~design") {
		t.Fatalf("admin remove: %q %v", msg, err)
	}
	if msg, err := w.app.Unsubscribe(w.alice.Id, m2.ID); err != nil || !strings.Contains(msg, "Removed") {
		t.Fatalf("creator remove: %q %v", msg, err)
	}
	if msg, err := w.app.Unsubscribe(w.alice.Id, m2.ID); err != nil || !strings.Contains(msg, "nothing to remove") {
		t.Fatalf("second remove: %q %v", msg, err)
	}
	if list, _ := w.app.ListSubscriptions(w.alice.Id); !strings.Contains(list, "no meeting subscriptions") {
		t.Fatalf("list after removals: %q", list)
	}
	if ids, _ := w.app.kv.Subscriptions(w.alice.Id); len(ids) != 0 {
		t.Fatalf("index keeps %v", ids)
	}
}

func TestSubscribedMeetingPostsBotCardThatEndsAndGetsRecordings(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)
	w.mustSubscribe(w.alice, w.private, m.ID)

	started, err := w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	w.mustDeliver(w.app, started, nil) // repeated delivery
	cards := w.cards(w.private)
	if len(cards) != 1 {
		t.Fatalf("%d cards, want 1", len(cards))
	}
	card := cards[0]
	if card.UserId != w.bot.Id || card.GetProp("meeting_link") != m.JoinURL || card.GetProp("meeting_status") != StatusStarted ||
		card.GetProp("meeting_creator_username") != "alice" {
		t.Fatalf("card: %+v", card.GetProps())
	}
	ended, err := w.sim.EndMeeting(m.ID)
	w.mustDeliver(w.app, ended, err)
	if w.post(card.Id).GetProp("meeting_status") != StatusEnded {
		t.Fatal("subscription card did not end")
	}
	body := w.recordingEvent(m.ID)
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	w.assertRecordingReplies(card, m.ID, body)

	// The next occurrence gets its own card.
	started, err = w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	if n := len(w.cards(w.private)); n != 2 {
		t.Fatalf("%d cards after the second start", n)
	}
}

func TestSubscriptionSkippedWhenCreatorLostAccess(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)
	w.mustSubscribe(w.alice, w.private, m.ID)
	w.host.RemoveMember(w.private.Id, w.alice.Id)
	started, err := w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	if n := len(w.cards(w.private)); n != 0 {
		t.Fatalf("posted for a subscriber who left the channel: %d cards", n)
	}
}

func TestSubscriptionOfOriginalPluginKeepsPosting(t *testing.T) {
	w := newWorld(t)
	// Written by the original plugin: no join link of ours, no post id.
	if err := w.app.kv.Set("meeting_channel_84512367890", []byte(`{"channel_id":"`+w.public.Id+`","is_subscription":true,"created_by":"`+w.bob.Id+`"}`), 0); err != nil {
		t.Fatal(err)
	}
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingStarted, 84512367890, "/PpT+tUh6y9QtK5kryXZrQ==", ""), nil)
	cards := w.cards(w.public)
	if len(cards) != 1 || cards[0].GetProp("meeting_link") != w.settings.WebURL()+"/j/84512367890" {
		t.Fatalf("cards: %+v", cards)
	}
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingEnded, 84512367890, "/PpT+tUh6y9QtK5kryXZrQ==", ""), nil)
	if w.post(cards[0].Id).GetProp("meeting_status") != StatusEnded {
		t.Fatal("legacy subscription card did not end")
	}
}

func TestSubscriptionEndedBeforeStartedPostsEndedCard(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)
	w.mustSubscribe(w.alice, w.private, m.ID)
	started, err := w.sim.StartMeeting(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	ended, err := w.sim.EndMeeting(m.ID)
	w.mustDeliver(w.app, ended, err)
	w.mustDeliver(w.app, started, nil)
	cards := w.cards(w.private)
	if len(cards) != 1 || cards[0].GetProp("meeting_status") != StatusEnded {
		t.Fatalf("cards: %+v", cards)
	}
}

// A subscription's private channel is named only to whoever may read it: the host who
// has left it learns that the meeting is taken, not the channel's name.
func TestSubscriptionMessagesHideChannelsTheCallerCannotRead(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	secret := w.host.AddChannel("acquisition-talks", model.ChannelTypePrivate, w.alice, w.bob)
	m := w.recurring(w.alice)
	w.mustSubscribe(w.alice, secret, m.ID)
	w.host.RemoveMember(secret.Id, w.alice.Id)

	_, err := w.subscribe(w.alice, w.public, m.ID)
	wantRefusal(t, err, KindConflict, "a channel you cannot see")
	if strings.Contains(MessageOf(err), "acquisition-talks") {
		t.Fatalf("named the private channel: %q", MessageOf(err))
	}
	list, err := w.app.ListSubscriptions(w.alice.Id)
	if err != nil || strings.Contains(list, "acquisition-talks") || !strings.Contains(list, "a channel you cannot see") {
		t.Fatalf("list: %q %v", list, err)
	}
	// A member still sees where it goes.
	w.host.AddChannelMember(secret.Id, w.alice.Id)
	_, err = w.subscribe(w.alice, w.public, m.ID)
	wantRefusal(t, err, KindConflict, "~acquisition-talks")
}

// afterRead runs then once, right after the first read of key: what another user does
// between this process's read and its write.
type afterRead struct {
	*devhosttest.Host
	key  string
	then func()
}

func (h *afterRead) KVGet(key string) ([]byte, *model.AppError) {
	v, appErr := h.Host.KVGet(key)
	if key == h.key && h.then != nil {
		then := h.then
		h.then = nil
		then()
	}
	return v, appErr
}

// A subscription removed and made again by someone else while the creator's remove was
// checking it is the new one's to keep: the late remove answers as for that one.
func TestUnsubscribeLeavesASubscriptionReplacedMeanwhile(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)
	w.mustSubscribe(w.alice, w.private, m.ID)
	hooked := &afterRead{Host: w.host, key: store.MeetingChannelKey(m.ID)}
	late := New(Options{Host: hooked, BotUserID: w.bot.Id, HTTPClient: w.sim.HTTPClient()})
	if err := late.Configure(w.settings); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(late.StopJobs)
	t.Cleanup(late.StopLiveUpdates)
	hooked.then = func() {
		if _, err := w.app.Unsubscribe(w.admin.Id, m.ID); err != nil {
			t.Fatalf("admin remove: %v", err)
		}
		if ok, err := w.app.kv.AddSubscription(m.ID, store.MeetingChannel{ChannelID: w.public.Id, CreatedBy: w.bob.Id}); !ok || err != nil {
			t.Fatalf("bob's subscription: %v %v", ok, err)
		}
	}

	_, err := late.Unsubscribe(w.alice.Id, m.ID)
	wantRefusal(t, err, KindForbidden, "bob")
	if mc, err := w.app.kv.GetMeetingChannel(m.ID); err != nil || mc.CreatedBy != w.bob.Id || mc.ChannelID != w.public.Id {
		t.Fatalf("bob's subscription is gone: %+v %v", mc, err)
	}
	if ids, _ := w.app.kv.Subscriptions(w.bob.Id); len(ids) != 1 || ids[0] != strconv.FormatInt(m.ID, 10) {
		t.Fatalf("bob's index: %v", ids)
	}
}

// A delivery of meeting.started that finds another delivery of the same event posting
// the card (its claim held) posts nothing; once that claim is given up, Zoom's retry
// posts the card.
func TestSubscriptionCardIsPostedByOneDeliveryOfItsStart(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.recurring(w.alice)
	w.mustSubscribe(w.alice, w.private, m.ID)
	started, err := w.sim.StartMeeting(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	uuid := w.meetingObject(started).UUID
	if claimed, err := w.app.kv.ClaimEvent(time.Minute, zoom.EventMeetingStarted, uuid); err != nil || !claimed {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	w.mustDeliver(w.app, started, nil)
	if n := len(w.cards(w.private)); n != 0 {
		t.Fatalf("%d cards posted while another delivery held the event", n)
	}
	if err := w.app.kv.ReleaseEvent(zoom.EventMeetingStarted, uuid); err != nil {
		t.Fatal(err)
	}
	w.mustDeliver(w.app, started, nil)
	if n := len(w.cards(w.private)); n != 1 {
		t.Fatalf("%d cards after the retry", n)
	}
}
