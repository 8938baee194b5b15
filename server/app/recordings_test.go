package app

import (
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// endedMeeting starts a card from Mattermost and runs the meeting in the simulator
// through its end (events delivered in order).
func (w *world) endedMeeting() (*model.Post, int64) {
	w.t.Helper()
	card, id := w.startCard()
	body, err := w.sim.StartMeeting(id)
	w.mustDeliver(w.app, body, err)
	body, err = w.sim.EndMeeting(id)
	w.mustDeliver(w.app, body, err)
	return card, id
}

func (w *world) recordingEvent(id int64) []byte {
	w.t.Helper()
	body, err := w.sim.CompleteRecording(id)
	if err != nil {
		w.t.Fatal(err)
	}
	return body
}

// assertRecordingReplies checks one links reply and one chat reply in the thread.
func (w *world) assertRecordingReplies(card *model.Post, id int64, body []byte) {
	w.t.Helper()
	replies := w.replies(card)
	if len(replies) != 2 {
		w.t.Fatalf("%d replies, want links and chat: %+v", len(replies), replies)
	}
	ev, _ := zoom.ParseEvent(body)
	rec, _ := ev.Recording()
	links := replies[0]
	for _, f := range rec.Object.RecordingFiles {
		has := strings.Contains(links.Message, f.PlayURL) && f.PlayURL != ""
		if (f.FileType == "MP4") != has {
			w.t.Fatalf("%s play_url posted=%v: %q", f.FileType, has, links.Message)
		}
	}
	if links.UserId != w.bot.Id || links.RootId != card.Id {
		w.t.Fatalf("links reply by %s under %s", links.UserId, links.RootId)
	}
	chat := replies[1]
	if chat.Type != PostTypeChat || len(chat.FileIds) != 1 || chat.RootId != card.Id {
		w.t.Fatalf("chat reply: %+v", chat)
	}
	if mid, _ := numberProp(chat.GetProp("meeting_id")); mid != id || chat.GetProp("meeting_uuid") != rec.Object.UUID {
		w.t.Fatalf("chat props: %v", chat.GetProps())
	}
	info, _ := w.host.GetFileInfo(chat.FileIds[0])
	data, _ := w.host.GetFile(chat.FileIds[0])
	if info == nil || info.Name != "Chat-history.txt" || !strings.Contains(string(data), "Welcome to") {
		w.t.Fatalf("chat file: %+v", info)
	}
}

func TestRecordingPostsLinksAndChatInCardThread(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	w.assertRecordingReplies(card, id, body)
	if strings.Contains(w.replies(card)[0].Message, "Password") {
		t.Fatal("password posted although EnablePostingRecordingPassword is off")
	}
	for _, c := range w.sim.Calls() {
		if strings.HasPrefix(c.Path, "/rec/webhook_download/") && c.Authorization != "Bearer" {
			t.Fatalf("download without the Bearer download token: %+v", c)
		}
	}
	if n := w.downloads(); n != 1 {
		t.Fatalf("%d downloads, want only the chat file", n)
	}
}

func TestRecordingPasswordOnlyWhenEnabled(t *testing.T) {
	w := newWorld(t, func(s *config.Settings) { s.EnablePostingRecordingPassword = true })
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	ev, _ := zoom.ParseEvent(body)
	rec, _ := ev.Recording()
	if msg := w.replies(card)[0].Message; !strings.Contains(msg, "Password: `"+rec.Object.Password+"`") {
		t.Fatalf("no password in %q", msg)
	}
	if raw := w.host.KV(); strings.Contains(string(rawValues(raw)), rec.Object.Password) || strings.Contains(string(rawValues(raw)), ev.DownloadToken) {
		t.Fatal("the job stores the password or download token in plain text")
	}
}

func rawValues(m map[string][]byte) []byte {
	var out []byte
	for _, v := range m {
		out = append(out, v...)
	}
	return out
}

func TestTranscriptIsAttachedInThread(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	body, err := w.sim.CompleteTranscript(id)
	w.mustDeliver(w.app, body, err)
	w.waitJobs()
	replies := w.replies(card)
	if len(replies) != 1 || replies[0].Type != PostTypeTranscript || len(replies[0].FileIds) != 1 {
		t.Fatalf("replies: %+v", replies)
	}
	info, _ := w.host.GetFileInfo(replies[0].FileIds[0])
	data, _ := w.host.GetFile(replies[0].FileIds[0])
	if info == nil || info.Name != "Transcript.vtt" || !strings.HasPrefix(string(data), "WEBVTT") {
		t.Fatalf("transcript file %+v: %q", info, data)
	}
}

func TestRepeatedRecordingDeliveryPostsOnce(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	body := w.recordingEvent(id)
	transcript, err := w.sim.CompleteTranscript(id)
	if err != nil {
		t.Fatal(err)
	}
	other := w.fastJobs(w.newInstance(w.host)) // a second cluster node gets a retry
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := []*App{w.app, other}[i%2]
			w.deliver(a, body)
			w.deliver(a, transcript)
		}()
	}
	wg.Wait()
	w.waitJobs()
	// And once more after everything finished, as Zoom's late retry would.
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	replies := w.replies(card)
	if len(replies) != 3 || len(repliesOfType(replies, PostTypeChat)) != 1 || len(repliesOfType(replies, PostTypeTranscript)) != 1 {
		t.Fatalf("%d replies: %+v", len(replies), replies)
	}
	if n := w.downloads(); n != 2 {
		t.Fatalf("%d downloads, want 2", n)
	}
}

func TestRecordingBeforeEndedStillGoesToThread(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.startCard()
	started, err := w.sim.StartMeeting(id)
	w.mustDeliver(w.app, started, err)
	ended, err := w.sim.EndMeeting(id)
	if err != nil {
		t.Fatal(err)
	}
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil) // overtakes meeting.ended
	w.waitJobs()
	w.assertRecordingReplies(card, id, body)
	w.mustDeliver(w.app, ended, nil)
	if w.post(card.Id).GetProp("meeting_status") != StatusEnded {
		t.Fatal("card did not end after its recording")
	}
}

func TestRecordingInThreadOfCardPostedInThread(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	root, _ := w.host.CreatePost(&model.Post{UserId: w.alice.Id, ChannelId: w.private.Id, Message: "let's talk"})
	res, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id, RootID: root.Id})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := numberProp(w.post(res.PostID).GetProp("meeting_id"))
	started, err := w.sim.StartMeeting(id)
	w.mustDeliver(w.app, started, err)
	w.mustDeliver(w.app, w.recordingEvent(id), nil)
	w.waitJobs()
	if n := len(w.replies(root)); n != 3 { // the card and two replies
		t.Fatalf("%d posts in the thread, want the card and two replies", n)
	}
}

func TestUntrustedRecordingURLsAreNeverFetched(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	simPort := w.sim.URL()[strings.LastIndex(w.sim.URL(), ":"):]
	body := editEvent(t, w.recordingEvent(id), func(obj map[string]any) {
		for _, f := range recordingFiles(obj) {
			switch f["recording_type"] {
			case "shared_screen_with_speaker_view": // plain http on the Zoom host
				f["play_url"] = strings.Replace(f["play_url"].(string), "https://", "http://", 1)
			case "chat_file": // https, but a host that is not configured (same server)
				f["download_url"] = "https://localhost" + simPort + "/rec/webhook_download/x/y"
			}
		}
	})
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	if n := len(w.replies(card)); n != 0 {
		t.Fatalf("untrusted links were posted: %+v", w.replies(card))
	}
	if n := w.downloads(); n != 0 {
		t.Fatalf("%d downloads from untrusted URLs", n)
	}
	if !w.logged("not https on a configured Zoom host", w.app) {
		t.Fatal("skipped URLs were not logged")
	}
}

func TestDownloadRetriesThenSucceeds(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	w.sim.InjectFault(zoomsim.Fault{PathPrefix: "/rec/webhook_download/", Status: 503, Times: 2})
	body := w.recordingEvent(id)
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	w.assertRecordingReplies(card, id, body)
	if n := w.downloads(); n != 3 {
		t.Fatalf("%d download attempts, want 3", n)
	}
}

func TestDownloadGivesUpAfterBoundedAttemptsAndSaysSo(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	w.sim.InjectFault(zoomsim.Fault{PathPrefix: "/rec/webhook_download/", Status: 500})
	w.mustDeliver(w.app, w.recordingEvent(id), nil)
	w.waitJobs()
	if n := w.downloads(); n != jobs.DefaultMaxAttempts {
		t.Fatalf("%d download attempts, want %d", n, jobs.DefaultMaxAttempts)
	}
	replies := w.replies(card)
	if len(replies) != 2 || !strings.Contains(replies[1].Message, "could not be attached") {
		t.Fatalf("replies: %+v", replies)
	}
}

func TestDownloadRefusedByZoomIsNotRetried(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	body := editEvent(t, w.recordingEvent(id), func(map[string]any) {})
	body = []byte(strings.Replace(string(body), `"download_token":"`, `"download_token":"x`, 1))
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	if n := w.downloads(); n != 1 {
		t.Fatalf("%d attempts for a refused token", n)
	}
	if r := w.replies(card); len(r) != 2 || !strings.Contains(r[1].Message, "refused") {
		t.Fatalf("replies: %+v", r)
	}
}

// A play link and a password are Zoom's values: a ")" or space in the link must not end
// the markdown link, and a backtick or blank line in the password must not end its code
// span; both stay exactly what Zoom sent.
func TestRecordingLinkAndPasswordCannotBreakOutOfTheirMarkdown(t *testing.T) {
	w := newWorld(t, func(s *config.Settings) { s.EnablePostingRecordingPassword = true })
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	var play string
	body := editEvent(t, w.recordingEvent(id), func(obj map[string]any) {
		obj["password"] = "a`b\n\n# title"
		for _, f := range recordingFiles(obj) {
			if f["file_type"] == "MP4" {
				f["play_url"] = f["play_url"].(string) + "/x) [evil](https://evil.example/) <b>"
				play = f["play_url"].(string)
			}
		}
	})
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	replies := w.replies(card)
	if len(replies) == 0 {
		t.Fatal("no links reply")
	}
	msg := replies[0].Message
	want := strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(play)
	if !strings.Contains(msg, "]("+want+")") {
		t.Fatalf("the play link is not one whole link target %q in %q", want, msg)
	}
	if unescaped, err := url.PathUnescape(want); err != nil || unescaped != play {
		t.Fatalf("the link no longer leads to Zoom's URL: %q %v", unescaped, err)
	}
	if !strings.Contains(msg, "Password: ``a`b  # title``") || strings.Contains(msg, "\n#") {
		t.Fatalf("the password left its code span: %q", msg)
	}
}
