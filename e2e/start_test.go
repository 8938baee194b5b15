//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mattermost/mattermost/server/public/model"
)

// /zoom start [topic] posts the card with the contract's props and stores the
// mappings webhooks need; in a thread the card is a reply.
func TestStartCommandPostsCard(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.setPreference("alice", "false")

	e.command("alice", "town-square", "/zoom start Design review")
	card := e.lastCard("town-square")
	if card == nil {
		t.Fatalf("no card; alice saw: %s", e.ephemeralText("alice"))
	}
	id := e.cardMeetingID(card)
	m, ok := e.sim.Meeting(id)
	if !ok || m.Topic != "Design review" || m.HostEmail != "alice@example.com" {
		t.Fatalf("Zoom meeting %d: %+v", id, m)
	}
	want := map[string]any{
		"meeting_status": "STARTED", "meeting_topic": "Design review", "meeting_provider": "Zoom",
		"meeting_link": m.JoinURL, "meeting_uuid": m.UUID, "meeting_personal": false,
		"meeting_creator_username": "alice",
	}
	for k, v := range want {
		if got := card.GetProp(k); got != v {
			t.Errorf("card prop %s = %v, want %v", k, got, v)
		}
	}
	if card.UserId != e.userID("alice") || card.Type != "custom_zoom" || len(card.Attachments()) == 0 {
		t.Errorf("card: user %s type %s attachments %d", card.UserId, card.Type, len(card.Attachments()))
	}
	if got := e.kvString("post_meeting_" + url.PathEscape(m.UUID)); got != card.Id {
		t.Errorf("post_meeting_<uuid> = %q, want the card %s", got, card.Id)
	}
	var mc struct {
		ChannelID      string `json:"channel_id"`
		IsSubscription bool   `json:"is_subscription"`
		CreatedBy      string `json:"created_by"`
	}
	e.kvJSON(fmt.Sprintf("meeting_channel_%d", id), &mc)
	if mc.ChannelID != card.ChannelId || mc.IsSubscription || mc.CreatedBy != e.userID("alice") {
		t.Errorf("meeting_channel_%d: %+v", id, mc)
	}

	// In a thread, the card replies to the root.
	root, appErr := e.h.Store().CreatePost(&model.Post{UserId: e.userID("alice"), ChannelId: e.channelID("off-topic"), Message: "Shall we talk?"}, false)
	if appErr != nil {
		t.Fatal(appErr)
	}
	if _, err := e.h.ExecuteCommand(e.userID("alice"), root.ChannelId, root.Id, "/zoom start"); err != nil {
		t.Fatal(err)
	}
	reply := e.lastCard("off-topic")
	if reply == nil || reply.RootId != root.Id || reply.GetProp("meeting_topic") != "Zoom Meeting" {
		t.Fatalf("thread card: %+v; alice saw: %s", reply, e.ephemeralText("alice"))
	}
}

// The webapp's route answers {"meeting_url"} and tells only the connection
// that asked (connection_id) to open the meeting.
func TestStartRouteOpensMeetingInOneConnection(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	asking, otherTab := e.websocket("alice"), e.websocket("alice")

	body := fmt.Sprintf(`{"channel_id":%q,"root_id":"","topic":"Planning","use_pmi":false,"connection_id":%q}`,
		e.channelID("design"), asking.id)
	status, raw := e.do("POST", "/plugins/zoom/api/v1/meetings", "alice", body, nil)
	var out map[string]string
	if status != http.StatusOK || json.Unmarshal([]byte(raw), &out) != nil || len(out) != 1 {
		t.Fatalf("POST meetings: %d %s", status, raw)
	}
	card := e.lastCard("design")
	if card == nil || out["meeting_url"] != card.GetProp("meeting_link") || out["meeting_url"] == "" {
		t.Fatalf("meeting_url %q, card %v", out["meeting_url"], card)
	}

	if data := asking.next("custom_zoom_meeting_started", ""); data["meeting_url"] != out["meeting_url"] {
		t.Errorf("asking tab got meeting_url %v", data["meeting_url"])
	}
	// A marker posted afterwards reaches both tabs; the other tab must see it
	// without seeing the meeting event first.
	marker, appErr := e.h.Store().CreatePost(&model.Post{UserId: e.userID("bob"), ChannelId: e.channelID("design"), Message: "marker"}, false)
	if appErr != nil {
		t.Fatal(appErr)
	}
	otherTab.next("posted", marker.Id)
	if otherTab.seen["custom_zoom_meeting_started"] > 0 {
		t.Error("the meeting opened in a tab that did not ask for it")
	}
}

// With no preference the user is asked which meeting ID to use; the answer
// starts the meeting and becomes the stored preference.
func TestPMIQuestionStartsMeetingAndStoresPreference(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.command("alice", "design", "/zoom start")
	if e.lastCard("design") != nil {
		t.Fatal("a meeting started before alice chose a meeting ID")
	}
	question := e.lastEphemeral("alice")
	e.click("alice", question, "Use Personal Meeting ID")

	card := e.lastCard("design")
	if card == nil {
		t.Fatalf("no card after answering; alice saw: %s", e.ephemeralText("alice"))
	}
	link, _ := card.GetProp("meeting_link").(string)
	if card.GetProp("meeting_personal") != true || !strings.Contains(link, fmt.Sprintf("/j/%d", alicePMI)) {
		t.Fatalf("card after answering: %v; alice saw: %s", card, e.ephemeralText("alice"))
	}
	if got := e.kvString("zoomUserPreference_" + e.userID("alice")); got != "true" {
		t.Errorf("stored preference %q, want true", got)
	}
	if q := e.ephemeral("alice", question.Id); len(q.Attachments()) != 0 || !strings.Contains(q.Message, "Personal Meeting ID") {
		t.Errorf("the answered question: %q with %d attachments", q.Message, len(q.Attachments()))
	}
}

// /zoom settings shows a card whose buttons store the preference and replace
// the card; the next start follows it without asking.
func TestSettingsCardUpdatesPreference(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.command("alice", "design", "/zoom settings")
	card := e.lastEphemeral("alice")

	e.click("alice", card, "No")
	if got := e.kvString("zoomUserPreference_" + e.userID("alice")); got != "false" {
		t.Fatalf("after No: preference %q", got)
	}
	updated := e.ephemeral("alice", card.Id)
	if !strings.Contains(attachmentText([]*model.Post{updated}), "No, always use a unique meeting ID") {
		t.Errorf("the card does not show the new choice: %s", attachmentText([]*model.Post{updated}))
	}

	e.click("alice", updated, "Yes")
	if got := e.kvString("zoomUserPreference_" + e.userID("alice")); got != "true" {
		t.Fatalf("after Yes: preference %q", got)
	}
	e.command("alice", "design", "/zoom start")
	if c := e.lastCard("design"); c == nil || c.GetProp("meeting_personal") != true {
		t.Fatalf("start after Yes: %v; alice saw: %s", c, e.ephemeralText("alice"))
	}
}

// ephemeral is user's ephemeral post with that id (fails if gone).
func (e *env) ephemeral(user, id string) *model.Post {
	e.t.Helper()
	for _, p := range e.h.Ephemerals(e.userID(user)) {
		if p.Id == id {
			return p
		}
	}
	e.t.Fatalf("%s has no ephemeral post %s", user, id)
	return nil
}

func attachmentText(posts []*model.Post) string {
	var b strings.Builder
	for _, p := range posts {
		for _, a := range p.Attachments() {
			b.WriteString(a.Title + " " + a.Text + "\n")
		}
	}
	return b.String()
}

// wsConn is one browser tab's websocket to the devhost.
type wsConn struct {
	t    testing.TB
	c    *websocket.Conn
	id   string
	seen map[string]int
}

// websocket opens a websocket as user and reads its hello.
func (e *env) websocket(user string) *wsConn {
	e.t.Helper()
	u := "ws" + strings.TrimPrefix(e.h.URL(), "http") + "/api/v4/websocket"
	hdr := http.Header{"Authorization": {"Bearer " + e.h.SessionToken(e.userID(user))}}
	c, _, err := websocket.DefaultDialer.Dial(u, hdr)
	if err != nil {
		e.t.Fatalf("websocket: %v", err)
	}
	e.t.Cleanup(func() { c.Close() })
	w := &wsConn{t: e.t, c: c, seen: map[string]int{}}
	w.id, _ = w.next("hello", "")["connection_id"].(string)
	return w
}

// next reads frames until event (for a post with postID, when given) and
// returns its data. The deadline only bounds a broken run.
func (w *wsConn) next(event, postID string) map[string]any {
	w.t.Helper()
	_ = w.c.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		var f struct {
			Event string         `json:"event"`
			Data  map[string]any `json:"data"`
		}
		if err := w.c.ReadJSON(&f); err != nil {
			w.t.Fatalf("waiting for %s: %v (seen %v)", event, err, w.seen)
		}
		w.seen[f.Event]++
		if f.Event != event {
			continue
		}
		if postID != "" {
			raw, _ := f.Data["post"].(string)
			var p model.Post
			if json.Unmarshal([]byte(raw), &p) != nil || p.Id != postID {
				continue
			}
		}
		return f.Data
	}
}
