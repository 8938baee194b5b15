//go:build e2e

package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// endedMeeting starts a meeting as alice in design, lets Zoom report its start
// and end, and returns the card once it shows the summary, with the event.
func (e *env) endedMeeting() (*model.Post, []byte) {
	e.t.Helper()
	e.connect("alice")
	card := e.startedCard("alice", "design")
	id := e.cardMeetingID(card)
	e.mustWebhook(e.simEvent(e.sim.StartMeeting(id)), "meeting.started")
	ended := e.simEvent(e.sim.EndMeeting(id))
	e.mustWebhook(ended, "meeting.ended")
	e.waitFor("the card to end", func() bool { return e.h.Post(card.Id).GetProp("meeting_status") == "ENDED" })
	// The attendee summary follows off the request path; the card is tracked
	// as open until it is final.
	e.waitFor("the card's final summary", func() bool { return e.h.KVGet("zoomopencard_"+card.Id) == nil })
	return e.h.Post(card.Id), ended
}

// meeting.ended turns the card into a summary; a repeated delivery changes nothing.
func TestMeetingEndedEndsCardOnce(t *testing.T) {
	e := start(t, nil)
	card, ended := e.endedMeeting()
	end, ok := num(card.GetProp("meeting_end_time"))
	begin, _ := num(card.GetProp("meeting_start_time"))
	if !ok || end < begin || end == 0 || card.Message != "The meeting has ended" {
		t.Fatalf("ended card: %q props %v", card.Message, card.GetProps())
	}
	if text := attachmentText([]*model.Post{card}); !strings.Contains(text, "Length:") {
		t.Errorf("summary attachment: %q", text)
	}

	before := e.state()
	e.mustWebhook(ended, "repeated meeting.ended")
	if diff := before.diff(e.state()); diff != "" {
		t.Errorf("a repeated meeting.ended changed: %s", diff)
	}
}

// recording.completed replies in the card's thread with the MP4's play link
// and the chat log as a file, once, although Zoom delivers the event twice.
func TestRecordingCompletedPostsLinkAndChatOnce(t *testing.T) {
	e := start(t, nil)
	card, _ := e.endedMeeting()
	body := e.simEvent(e.sim.CompleteRecording(e.cardMeetingID(card)))
	e.mustWebhook(body, "recording.completed")
	e.mustWebhook(body, "recording.completed again")
	e.waitFor("the recording job", e.jobsFinished)

	var mp4, m4a string
	for _, f := range recordingFiles(t, body) {
		switch f.FileType {
		case "MP4":
			mp4 = f.PlayURL
		case "M4A":
			m4a = f.PlayURL
		}
	}
	links := e.repliesOfType(card, "")
	if len(links) != 1 || !strings.Contains(links[0].Message, mp4) || strings.Contains(links[0].Message, m4a) {
		t.Fatalf("link replies (want one with %s): %v", mp4, messages(links))
	}
	chats := e.repliesOfType(card, "custom_zoom_chat")
	if len(chats) != 1 {
		t.Fatalf("chat replies: %d; thread: %v", len(chats), messages(e.replies(card)))
	}
	info, appErr := e.h.Store().FileInfo(chats[0].FileIds[0])
	if appErr != nil || info.Name != "Chat-history.txt" || !strings.Contains(e.fileText(chats[0]), "Welcome to") {
		t.Errorf("chat file %+v %v: %q", info, appErr, e.fileText(chats[0]))
	}
	if chats[0].UserId != e.h.User("zoom").Id || chats[0].RootId != card.Id {
		t.Errorf("chat reply by %s under %s", chats[0].UserId, chats[0].RootId)
	}
}

// recording.transcript_completed replies with the transcript attached.
func TestTranscriptCompletedPostsTranscript(t *testing.T) {
	e := start(t, nil)
	card, _ := e.endedMeeting()
	e.mustWebhook(e.simEvent(e.sim.CompleteTranscript(e.cardMeetingID(card))), "recording.transcript_completed")
	e.waitFor("the transcript job", e.jobsFinished)

	got := e.repliesOfType(card, "custom_zoom_transcript")
	if len(got) != 1 || !strings.HasPrefix(e.fileText(got[0]), "WEBVTT") {
		t.Fatalf("transcript replies: %v", messages(e.replies(card)))
	}
}

// Deauthorizing the app in Zoom removes both token keys, tells the user in a
// DM from the bot, and confirms data removal to Zoom when asked to.
func TestDeauthorizationDMsAndRemovesTokens(t *testing.T) {
	e := start(t, nil)
	e.connect("bob")
	bob := e.userID("bob")
	zoomID, err := e.h.ZoomUserID(bob)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.h.SendSigned(e.h.DeauthorizationURL(), e.simEvent(e.sim.DeauthorizeEvent(zoomID, false)))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("deauthorization: %v %v", resp, err)
	}
	if e.h.KVGet("zoomtoken_"+bob) != nil || e.h.KVGet("zoomtokenbyzoomid_"+zoomID) != nil {
		t.Errorf("tokens left: %v", e.h.KVKeys())
	}
	dm := e.h.DirectChannel(bob, e.h.User("zoom").Id)
	posts := e.h.Posts(dm.Id)
	if len(posts) != 1 || posts[0].UserId != e.h.User("zoom").Id || !strings.Contains(posts[0].Message, "/zoom connect") {
		t.Errorf("DM to bob: %v", messages(posts))
	}
	if reqs := e.sim.ComplianceRequests(); len(reqs) != 1 || reqs[0].UserID != zoomID || !reqs[0].ComplianceCompleted {
		t.Errorf("data compliance calls: %+v", reqs)
	}
}

func recordingFiles(t *testing.T, body []byte) []zoom.RecordingFile {
	t.Helper()
	ev, err := zoom.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ev.Recording()
	if err != nil {
		t.Fatal(err)
	}
	return p.Object.RecordingFiles
}

func messages(posts []*model.Post) string {
	b, _ := json.Marshal(func() []string {
		var out []string
		for _, p := range posts {
			out = append(out, p.Type+": "+p.Message)
		}
		return out
	}())
	return string(b)
}
