package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

func meetingEvent(event string, id int64, uuid, endTime string) []byte {
	end := ""
	if endTime != "" {
		end = fmt.Sprintf(`,"end_time":%q`, endTime)
	}
	return fmt.Appendf(nil, `{"event":%q,"event_ts":1773157720874,"payload":{"account_id":"RT7-vfD3WtR7cNIvzXvliw","object":{"id":"%d","uuid":%q,"host_id":"h","topic":"Design sync","type":2,"start_time":"2026-03-10T15:02:11Z","timezone":"UTC","duration":60%s}}}`,
		event, id, uuid, end)
}

func assertEnded(t *testing.T, p *model.Post, end time.Time) {
	t.Helper()
	if p.GetProp("meeting_status") != StatusEnded || p.Message != "The meeting has ended" {
		t.Fatalf("card not ended: %q %v", p.Message, p.GetProp("meeting_status"))
	}
	// endCard never lets a meeting end before its card's start.
	if start, _ := numberProp(p.GetProp("meeting_start_time")); !end.IsZero() && end.UnixMilli() < start {
		end = time.UnixMilli(start)
	}
	if ms, _ := numberProp(p.GetProp("meeting_end_time")); !end.IsZero() && ms != end.UnixMilli() {
		t.Fatalf("meeting_end_time %d, want %d", ms, end.UnixMilli())
	}
}

func TestMeetingEndedEndsCardInThreeHostCallsAndOnlyOnce(t *testing.T) {
	w := newWorld(t)
	card, id := w.startCard()
	started, err := w.sim.StartMeeting(id)
	w.mustDeliver(w.app, started, err)
	ended, err := w.sim.EndMeeting(id)
	if err != nil {
		t.Fatal(err)
	}
	obj := w.meetingObject(ended)
	end, _ := time.Parse(time.RFC3339, obj.EndTime)

	w.host.ResetCalls()
	w.mustDeliver(w.app, ended, nil)
	calls, total := w.host.Calls(), 0
	for _, n := range calls {
		total += n
	}
	// The node that started the meeting remembers its card: read it, update it.
	if total != 2 || calls["GetPost"] != 1 || calls["UpdatePost"] != 1 {
		t.Fatalf("meeting.ended cost %d host calls: %v", total, calls)
	}
	after := w.post(card.Id)
	assertEnded(t, after, end)

	// Zoom may send meeting.ended twice (and retries): nothing changes.
	w.mustDeliver(w.app, ended, nil)
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingEnded, id, obj.UUID, time.Now().Add(time.Hour).UTC().Format(time.RFC3339)), nil)
	if again := w.post(card.Id); again.UpdateAt != after.UpdateAt {
		t.Fatalf("an ended card was changed again")
	}
	if n := len(w.cards(w.private)); n != 1 {
		t.Fatalf("%d cards", n)
	}
}

func TestMeetingEndedFindsCardByIDWhenUUIDIsNew(t *testing.T) {
	w := newWorld(t)
	card, id := w.startCard()
	// A recurring or PMI instance reports a uuid the card was not created with.
	end := time.Now().Add(time.Hour).Truncate(time.Second)
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingEnded, id, "7sc/P//jiDY19i6xtoft/w==", end.UTC().Format(time.RFC3339)), nil)
	assertEnded(t, w.post(card.Id), end)
}

func TestMeetingStartedRemembersNewUUIDOfOwnCard(t *testing.T) {
	w := newWorld(t)
	card, id := w.startCard()
	uuid := "/PpT+tUh6y9QtK5kryXZrQ=="
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingStarted, id, uuid, ""), nil)
	if got, _ := w.app.kv.MeetingPostByUUID(uuid); got != card.Id {
		t.Fatalf("uuid maps to %q, want the card %q", got, card.Id)
	}
	if n := len(w.cards(w.private)); n != 1 {
		t.Fatalf("meeting.started of our own card posted another: %d cards", n)
	}
	// With the mapping gone by id, the uuid alone still finds the card.
	if err := w.app.kv.Delete(store.MeetingChannelKey(id)); err != nil {
		t.Fatal(err)
	}
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingEnded, id, uuid, ""), nil)
	assertEnded(t, w.post(card.Id), time.Time{})
}

func TestUUIDWithSlashesEndsTheRightCard(t *testing.T) {
	w := newWorld(t)
	for _, uuid := range []string{"/PpT+tUh6y9QtK5kryXZrQ==", "7sc/P//jiDY19i6xtoft/w=="} {
		post, appErr := w.host.CreatePost(w.app.buildCard(meetingCard{ChannelID: w.private.Id, UserID: w.alice.Id, MeetingID: 84512367890, UUID: uuid, JoinURL: "https://zoom.us/j/84512367890", Topic: "Design sync", StartTime: time.Now()}))
		if appErr != nil {
			t.Fatal(appErr)
		}
		if err := w.app.kv.SaveMeetingPost(uuid, post.Id); err != nil {
			t.Fatal(err)
		}
		w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingEnded, 84512367890, uuid, ""), nil)
		assertEnded(t, w.post(post.Id), time.Time{})
	}
	if _, ok := w.host.KV()["post_meeting_%2FPpT+tUh6y9QtK5kryXZrQ=="]; !ok {
		t.Fatalf("uuid key not path-escaped: %v", w.host.KV())
	}
}

func TestLegacyCardOfOriginalPluginEnds(t *testing.T) {
	w := newWorld(t)
	// The original plugin (up to 1.12) posted the card and mapped post_meeting_<id>.
	legacy := &model.Post{UserId: w.alice.Id, ChannelId: w.public.Id, Type: PostTypeMeeting, Message: "I have started a meeting"}
	legacy.AddProp("meeting_id", float64(84512367890))
	legacy.AddProp("meeting_link", "https://us05web.zoom.us/j/84512367890")
	legacy.AddProp("meeting_status", StatusStarted)
	legacy.AddProp("meeting_topic", "Old meeting")
	legacy.AddProp("meeting_provider", providerZoom)
	end := time.Now().Add(30 * time.Minute).Truncate(time.Second)
	post, appErr := w.host.CreatePost(legacy)
	if appErr != nil {
		t.Fatal(appErr)
	}
	if err := w.app.kv.Set("post_meeting_84512367890", []byte(post.Id), 0); err != nil {
		t.Fatal(err)
	}
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingEnded, 84512367890, "/PpT+tUh6y9QtK5kryXZrQ==", end.UTC().Format(time.RFC3339)), nil)
	ended := w.post(post.Id)
	assertEnded(t, ended, end)
	// No meeting_start_time on old cards: the length comes from the post's creation.
	if ms, _ := numberProp(ended.GetProp("meeting_end_time")); time.UnixMilli(ms).Sub(time.UnixMilli(post.CreateAt)) < 29*time.Minute {
		t.Fatalf("length not measured from the card's creation")
	}
}

func TestEndedBeforeStartedEndsCardAndStartedChangesNothing(t *testing.T) {
	w := newWorld(t)
	card, id := w.startCard()
	started, err := w.sim.StartMeeting(id)
	if err != nil {
		t.Fatal(err)
	}
	ended, err := w.sim.EndMeeting(id)
	w.mustDeliver(w.app, ended, err)
	w.mustDeliver(w.app, started, nil)
	assertEnded(t, w.post(card.Id), time.Time{})
	if n := len(w.cards(w.private)); n != 1 {
		t.Fatalf("%d cards", n)
	}
}

func TestUnknownMeetingsAndOtherEventsAnswer200AndChangeNothing(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	before := w.host.KV()
	for _, body := range [][]byte{
		meetingEvent(zoom.EventMeetingStarted, 12345678901, "abc/def+ghi==", ""),
		meetingEvent(zoom.EventMeetingEnded, 12345678901, "abc/def+ghi==", ""),
		meetingEvent(zoom.EventMeetingEnded, 0, "", ""),
		meetingEvent(zoom.EventParticipantJoined, 12345678901, "abc/def+ghi==", ""),
		[]byte(`{"event":"meeting.created","payload":{"object":{"id":1}}}`),
		[]byte(`{"event":"recording.completed","payload":{"object":{"id":1,"uuid":"u","recording_files":[]}}}`),
	} {
		if err := w.deliver(w.app, body); err != nil {
			t.Fatalf("%s answered %v", body, err)
		}
	}
	if after := w.host.KV(); len(after) != len(before) {
		t.Fatalf("KV changed: %d keys before, %d after", len(before), len(after))
	}
	if len(w.host.ChannelPosts(w.private.Id))+len(w.host.ChannelPosts(w.public.Id)) != 0 {
		t.Fatal("something was posted")
	}
}

func TestMalformedMeetingPayloadIs400NotServerError(t *testing.T) {
	w := newWorld(t)
	for _, body := range []string{
		`{"event":"meeting.ended","payload":"nope"}`,
		`{"event":"meeting.ended","payload":{"object":{"id":"12ab"}}}`,
		`{"event":"recording.completed","payload":{"object":{"id":"x"}}}`,
	} {
		ev, err := zoom.ParseEvent([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.app.HandleWebhook(w.ctx, ev); KindOf(err) != KindBadInput {
			t.Fatalf("%s: %v", body, err)
		}
	}
}

func TestMeetingEndedWithoutEndTimeUsesNow(t *testing.T) {
	w := newWorld(t)
	card, id := w.startCard()
	now := time.Now().Add(45 * time.Minute)
	w.app.now = func() time.Time { return now }
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingEnded, id, "", ""), nil)
	assertEnded(t, w.post(card.Id), now)
}

func TestCorruptKVValuesAreTreatedAsAbsent(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	uuid := "/PpT+tUh6y9QtK5kryXZrQ=="
	for key, value := range map[string]string{
		store.PostMeetingKey(uuid):              "not a post id",
		store.MeetingChannelKey(84512367890):    "{not json",
		store.LegacyPostMeetingKey(84512367890): `"` + model.NewId() + `"`, // a post that does not exist
		"zoomjob_corrupt":                       "nope",
	} {
		if err := w.app.kv.Set(key, []byte(value), 0); err != nil {
			t.Fatal(err)
		}
	}
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingStarted, 84512367890, uuid, ""), nil)
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingEnded, 84512367890, uuid, ""), nil)
	w.app.ResumeJobs()
	w.waitFor("the corrupt job to be dropped", func() bool {
		_, ok := w.host.KV()["zoomjob_corrupt"]
		return !ok
	})
	if len(w.host.ChannelPosts(w.private.Id))+len(w.host.ChannelPosts(w.public.Id)) != 0 {
		t.Fatal("something was posted")
	}
}

func TestMeetingEndedOnAnotherNodeReadsTheMappingFromKV(t *testing.T) {
	w := newWorld(t)
	card, id := w.startCard()
	other := w.newInstance(w.host) // a second node: it did not start the meeting
	meeting, _ := w.sim.Meeting(id)
	w.host.ResetCalls()
	w.mustDeliver(other, meetingEvent(zoom.EventMeetingEnded, id, meeting.UUID, time.Now().Add(time.Hour).UTC().Format(time.RFC3339)), nil)
	calls := w.host.Calls()
	if calls["KVGet"] < 1 || calls["GetPost"] != 1 || calls["UpdatePost"] != 1 {
		t.Fatalf("meeting.ended on another node: %v", calls)
	}
	if got := w.post(card.Id); got.GetProp("meeting_status") != StatusEnded {
		t.Fatal("the other node did not end the card")
	}
}

// meeting.started reads two KV keys for a meeting Mattermost does not know, or one
// whose card this node posted: its scheduled card and its channel mapping. Both stay
// needed: see the next test.
func TestMeetingStartedReadsTheScheduledCardAndTheMappingOnly(t *testing.T) {
	w := newWorld(t)
	w.host.ResetCalls()
	w.mustDeliver(w.app, meetingEvent(zoom.EventMeetingStarted, 84512367890, "/PpT+tUh6y9QtK5kryXZrQ==", ""), nil)
	if calls := w.host.Calls(); calls["KVGet"] != 2 || totalCalls(calls) != 2 {
		t.Fatalf("meeting.started of an unknown meeting cost %v", calls)
	}
	_, id := w.startCard()
	body, err := w.sim.StartMeeting(id)
	w.host.ResetCalls()
	w.mustDeliver(w.app, body, err)
	if calls := w.host.Calls(); calls["KVGet"] != 2 || totalCalls(calls) != 2 {
		t.Fatalf("meeting.started of this node's card cost %v", calls)
	}
}

// A scheduled meeting shared in another channel has a channel mapping to the shared
// card; its scheduled card must still go live (so the scheduled lookup cannot be
// skipped when a mapping exists), and both cards end together.
func TestSharedScheduledMeetingGoesLiveAndEndsWithItsShare(t *testing.T) {
	sw := newScheduleWorld(t)
	card := sw.schedule("10:30 Standup")
	id, _ := numberProp(card.GetProp("meeting_id"))
	shared := sw.mustShare(sw.alice, sw.public, id)
	body, err := sw.sim.StartMeeting(id)
	sw.mustDeliver(sw.app, body, err)
	sw.mustStatus([]string{card.Id, shared.Id}, StatusStarted)
	sw.mustDeliver(sw.app, sw.ended(id), nil)
	sw.mustStatus([]string{card.Id, shared.Id}, StatusEnded)
}

// A scheduled meeting whose meeting.started never arrived is found by its scheduled
// card when it ends, after every other mapping.
func TestScheduledCardEndsWithoutMeetingStarted(t *testing.T) {
	sw := newScheduleWorld(t)
	card := sw.schedule("10:30 Standup")
	id, _ := numberProp(card.GetProp("meeting_id"))
	if _, err := sw.sim.StartMeeting(id); err != nil {
		t.Fatal(err)
	}
	sw.mustDeliver(sw.app, sw.ended(id), nil)
	sw.mustStatus([]string{card.Id}, StatusEnded)
}
