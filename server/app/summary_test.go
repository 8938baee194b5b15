package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

func summariesOff(s *config.Settings) {
	off := false
	s.PostMeetingSummary = &off
}

func (w *world) summaryEvent(id int64, c zoomsim.SummaryContent) []byte {
	w.t.Helper()
	body, err := w.sim.CompleteSummaryWith(id, c)
	if err != nil {
		w.t.Fatal(err)
	}
	return body
}

func summaryUUID(t *testing.T, body []byte) string {
	t.Helper()
	ev, err := zoom.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ev.Summary()
	if err != nil {
		t.Fatal(err)
	}
	return p.Object.MeetingUUID
}

// summaryPath is the summary's REST path as the simulator records it (decoded once).
func summaryPath(t *testing.T, uuid string) string {
	t.Helper()
	seg, err := url.PathUnescape(zoom.EscapeUUIDPath(uuid))
	if err != nil {
		t.Fatal(err)
	}
	return "/v2/meetings/" + seg + "/meeting_summary"
}

func summaryText(p *model.Post) string {
	if atts := p.Attachments(); len(atts) == 1 {
		return atts[0].Title + "\n" + atts[0].Text
	}
	return ""
}

func TestSummaryIsPostedInCardThread(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	body := w.summaryEvent(id, zoomsim.DefaultSummary)
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()

	replies := repliesOfType(w.replies(card), PostTypeSummary)
	if len(replies) != 1 {
		t.Fatalf("%d summary replies: %+v", len(replies), w.replies(card))
	}
	p := replies[0]
	uuid := summaryUUID(t, body)
	if p.UserId != w.bot.Id || p.RootId != card.Id || p.GetProp("meeting_uuid") != uuid {
		t.Fatalf("reply by %s under %s, props %v", p.UserId, p.RootId, p.GetProps())
	}
	if mid, _ := numberProp(p.GetProp("meeting_id")); mid != id {
		t.Fatalf("meeting_id %v", p.GetProp("meeting_id"))
	}
	if !strings.Contains(p.Message, "AI Companion") || !strings.Contains(p.Message, "Design sync") {
		t.Fatalf("message %q", p.Message)
	}
	want := "Design sync: onboarding flow\n" +
		"The team reviewed the new onboarding flow and agreed to ship the shorter sign-up form first.\n\n" +
		"**Sign-up form**\nBob showed the three-step form; the group preferred dropping the company field.\n\n" +
		"**Release plan**\nCarol proposed shipping behind a flag next Tuesday.\n\n" +
		"**Next steps**\n- [ ] Bob removes the company field from the form.\n- [ ] Carol prepares the feature flag and the release note."
	if got := summaryText(p); got != want {
		t.Fatalf("attachment:\n%s", got)
	}
	details, _ := p.GetProp("summary_details").([]any)
	steps, _ := p.GetProp("summary_next_steps").([]any) // stored posts come back from JSON
	if p.GetProp("summary_title") != "Design sync: onboarding flow" || len(details) != 2 || len(steps) != 2 ||
		details[1].(map[string]any)["label"] != "Release plan" {
		t.Fatalf("props %v", p.GetProps())
	}
	// The full summary was read from Zoom with the card owner's token.
	if n := w.sim.CountCalls("GET", summaryPath(t, uuid)); n != 1 {
		t.Fatalf("%d summary reads", n)
	}
}

func TestSummaryIsPostedOnceAcrossNodesAndRetries(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	body := w.summaryEvent(id, zoomsim.DefaultSummary)
	other := w.fastJobs(w.newInstance(w.host)) // a second cluster node gets a retry
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.deliver([]*App{w.app, other}[i%2], body)
		}()
	}
	wg.Wait()
	w.waitJobs()
	w.mustDeliver(other, body, nil) // Zoom's late retry
	w.waitJobs()
	if n := len(repliesOfType(w.replies(card), PostTypeSummary)); n != 1 {
		t.Fatalf("%d summary replies, want 1", n)
	}
}

func TestSummaryAcceptedByADyingProcessIsPostedOnceByTheNext(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	pause(w.app)
	body := w.summaryEvent(id, zoomsim.DefaultSummary)
	w.mustDeliver(w.app, body, nil)
	w.app.StopJobs() // the process dies after answering Zoom
	if n := len(w.replies(card)); n != 0 {
		t.Fatalf("%d replies from the dead process", n)
	}
	next := w.fastJobs(w.newInstance(w.host))
	next.ResumeJobs()
	w.waitJobs()
	w.deliver(next, body) // and Zoom retries anyway
	w.waitJobs()
	if n := len(repliesOfType(w.replies(card), PostTypeSummary)); n != 1 {
		t.Fatalf("%d summary replies, want 1", n)
	}
}

func TestSummaryOffBySetting(t *testing.T) {
	w := newWorld(t, summariesOff)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	if err := w.deliver(w.app, w.summaryEvent(id, zoomsim.DefaultSummary)); err != nil {
		t.Fatalf("answered %v", err)
	}
	if n := len(w.jobIDs()); n != 0 {
		t.Fatalf("%d jobs stored while summaries are off", n)
	}

	// Turned off after Zoom was answered: the stored job posts nothing either.
	if err := w.reconfigure(func(s *config.Settings) { s.PostMeetingSummary = nil }); err != nil {
		t.Fatal(err)
	}
	pause(w.app)
	w.mustDeliver(w.app, w.summaryEvent(id, zoomsim.DefaultSummary), nil)
	w.app.StopJobs()
	if err := w.reconfigure(summariesOff); err != nil {
		t.Fatal(err)
	}
	next := w.fastJobs(w.newInstance(w.host))
	next.ResumeJobs()
	w.waitJobs()
	if n := len(w.replies(card)); n != 0 {
		t.Fatalf("%d replies while summaries are off", n)
	}
}

func TestSummaryEscapesZoomText(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	hostile := zoomsim.SummaryContent{
		Title:     "[Click me](https://evil.example/t)",
		Overview:  "**Loud** <b>html</b>\n# Heading\n- item",
		Details:   []zoom.SummaryDetail{{Label: "_Label_ `code`", Summary: "![pixel](https://evil.example/p.png)"}},
		NextSteps: []string{"~~gone~~\n\n[x](javascript:alert(1))"},
	}
	w.mustDeliver(w.app, w.summaryEvent(id, hostile), nil)
	w.waitJobs()
	replies := repliesOfType(w.replies(card), PostTypeSummary)
	if len(replies) != 1 {
		t.Fatalf("%d summary replies", len(replies))
	}
	text := summaryText(replies[0])
	for _, raw := range []string{"[Click me](", "**Loud**", "<b>", "\n# Heading", "\n- item", "_Label_", "`code`", "![pixel](", "~~gone~~", "[x]("} {
		if strings.Contains(text, raw) {
			t.Errorf("unescaped %q in:\n%s", raw, text)
		}
	}
	for _, escaped := range []string{`\[Click me\]`, `\*\*Loud\*\*`, `\<b\>`, `\_Label\_`, "- [ ] \\~\\~gone\\~\\~ \\[x\\]"} {
		if !strings.Contains(text, escaped) {
			t.Errorf("missing %q in:\n%s", escaped, text)
		}
	}
	// The webapp gets the text as Zoom wrote it and renders it as text.
	if replies[0].GetProp("summary_title") != hostile.Title {
		t.Errorf("title prop %v", replies[0].GetProp("summary_title"))
	}
}

func TestSummaryFallsBackToTheWebhookWhenZoomWillNotSay(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	body := w.summaryEvent(id, zoomsim.DefaultSummary)
	// The webhook's copy differs from Zoom's, so the reply shows which was used.
	body = editEvent(t, body, func(obj map[string]any) { obj["summary_overview"] = "From the webhook." })
	path := summaryPath(t, summaryUUID(t, body))
	w.sim.InjectFault(zoomsim.Fault{Method: "GET", PathPrefix: path, Status: http.StatusBadRequest})
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	replies := repliesOfType(w.replies(card), PostTypeSummary)
	if len(replies) != 1 || !strings.Contains(summaryText(replies[0]), "From the webhook.") {
		t.Fatalf("replies %+v", replies)
	}
	// A refusal (a missing scope) is an answer, not a failure to retry.
	if n := w.sim.CountCalls("GET", path); n != 1 {
		t.Fatalf("%d summary reads, want 1", n)
	}
}

func TestSummaryFallsBackToTheWebhookWhenTheOwnerDisconnected(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	card, id := w.endedMeeting()
	if _, err := w.app.Disconnect(w.alice.Id); err != nil {
		t.Fatal(err)
	}
	body := w.summaryEvent(id, zoomsim.DefaultSummary)
	body = editEvent(t, body, func(obj map[string]any) { obj["summary_overview"] = "From the webhook." })
	w.mustDeliver(w.app, body, nil)
	w.waitJobs()
	// Nobody can read Zoom's copy until alice reconnects: the webhook's is posted at
	// once, without retrying.
	replies := repliesOfType(w.replies(card), PostTypeSummary)
	if len(replies) != 1 || !strings.Contains(summaryText(replies[0]), "From the webhook.") {
		t.Fatalf("replies %+v", replies)
	}
	if w.logged("step failed; retrying", w.app) {
		t.Fatal("retried a summary nobody can read")
	}
}

func TestSummaryOfAMeetingWithoutOurCardPostsNothing(t *testing.T) {
	w := newWorld(t)
	w.fastJobs(w.app)
	w.mustConnect(w.alice, "alice@example.com")
	m := w.schedule(w.alice, "Not shared here")
	if _, err := w.sim.StartMeeting(m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.sim.EndMeeting(m.ID); err != nil {
		t.Fatal(err)
	}
	w.mustDeliver(w.app, w.summaryEvent(m.ID, zoomsim.DefaultSummary), nil)
	w.waitJobs()
	for _, ch := range []*model.Channel{w.private, w.public} {
		if posts := repliesOfType(w.host.ChannelPosts(ch.Id), PostTypeSummary); len(posts) != 0 {
			t.Fatalf("summary posted in %s without a card", ch.Name)
		}
	}
}

func TestMalformedSummaryIsRefused(t *testing.T) {
	w := newWorld(t)
	body := []byte(`{"event":"meeting.summary_completed","event_ts":1,"payload":{"object":{"meeting_id":"x"}}}`)
	if err := w.deliver(w.app, body); KindOf(err) != KindBadInput {
		t.Fatalf("answered %v", err)
	}
	if n := len(w.jobIDs()); n != 0 {
		t.Fatalf("%d jobs stored", n)
	}
}

// A worker that dies after posting the summary, before recording the step as done,
// leaves a job the next process resumes: the summary is not posted a second time.
func TestResumedSummaryJobDoesNotRepostTheSummary(t *testing.T) {
	w := newWorld(t)
	card, id := w.endedMeeting()
	pause(w.app)
	w.mustDeliver(w.app, w.summaryEvent(id, zoomsim.DefaultSummary), nil)
	w.app.StopJobs()
	now := time.Now()
	job, err := w.app.kv.ClaimJob(w.jobIDs()[0], "dead-node", now, now)
	if err != nil || job == nil {
		t.Fatalf("claim: %v %v", job, err)
	}
	steps, err := w.app.planSummaryJob(job)
	if err != nil || len(steps) != 1 {
		t.Fatalf("plan: %d steps, %v", len(steps), err)
	}
	if err := steps[0].Run(context.Background()); err != nil { // posted, then died
		t.Fatal(err)
	}

	next := w.fastJobs(w.newInstance(w.host))
	next.ResumeJobs()
	w.waitJobs()
	stopWithin(t, next, 5*time.Second)
	if n := len(repliesOfType(w.replies(card), PostTypeSummary)); n != 1 {
		t.Fatalf("%d summary replies after the resume", n)
	}
}
