package app

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// AI Companion meeting summaries: meeting.summary_completed becomes a durable job
// (like a recording), which posts the summary once in the meeting card's thread.

// PostTypeSummary is the thread reply holding an AI Companion summary.
const PostTypeSummary = "custom_zoom_summary"

const (
	jobKindSummary = "summary"
	stepSummary    = "summary"
)

// Caps on what a summary may put in a post: Mattermost refuses messages over 16,383
// characters, and nobody reads more in a thread anyway.
const (
	maxSummarySections = 20
	maxSummaryNextStep = 30
	maxSummaryText     = 1000 // characters per value
)

// summaryJob is what a summary job keeps: the meeting, and the summary the webhook
// carried, posted when Zoom's API will not give the full one.
type summaryJob struct {
	jobMeeting
	Summary zoom.MeetingSummary `json:"summary"`
}

// summaryEvent stores meeting.summary_completed as a job and answers at once. A
// repeated delivery maps to the same job, so the summary is posted once.
func (a *App) summaryEvent(snap *snapshot, ev *zoom.Event) error {
	if !snap.settings.MeetingSummaryOn() {
		return nil
	}
	p, err := ev.Summary()
	if err != nil {
		return userError(KindBadInput, err, "malformed %s payload", ev.Event)
	}
	obj := clipSummary(p.Object)
	if obj.MeetingUUID == "" && obj.MeetingID == 0 {
		return nil
	}
	data := summaryJob{jobMeeting: jobMeeting{MeetingID: int64(obj.MeetingID), UUID: obj.MeetingUUID, Topic: obj.MeetingTopic}, Summary: obj}
	return a.enqueueJob(jobKindSummary, data, ev.Event, obj.MeetingUUID, strconv.FormatInt(int64(obj.MeetingID), 10))
}

// planSummaryJob binds a summary job to the thread of the meeting's home card.
func (a *App) planSummaryJob(job *store.Job) ([]jobs.Step, error) {
	snap, err := a.snap()
	if err != nil {
		return nil, err
	}
	if !snap.settings.MeetingSummaryOn() {
		return nil, jobs.Permanent(errors.New("meeting summaries are turned off"))
	}
	data, card, th, err := jobThread[summaryJob](a, job)
	if err != nil {
		return nil, err
	}
	th.Topic = cmp.Or(th.Topic, propsOf(card).topic())
	return []jobs.Step{{
		ID:     stepSummary,
		Posted: th.posted(stepSummary),
		Run: func(ctx context.Context) error {
			sum, err := a.fullSummary(ctx, card, data)
			if err != nil {
				return err
			}
			return a.postSummary(th, sum)
		},
		// Zoom's API kept failing: what the webhook carried is still worth posting.
		GiveUp: func(error) {
			if err := a.postSummary(th, data.Summary); err != nil {
				a.host.LogWarn("Could not post a meeting summary", "error", err.Error())
			}
		},
	}}, nil
}

// fullSummary asks Zoom for the summary with the card owner's identity, falling back
// to the webhook's copy when Zoom will not say (no connection, no scope, no summary).
// Only failures a retry may fix are returned.
func (a *App) fullSummary(ctx context.Context, card *model.Post, data summaryJob) (zoom.MeetingSummary, error) {
	owner := a.cardOwner(card)
	if data.UUID == "" || owner == "" {
		return data.Summary, nil
	}
	who, err := a.identityFor(ctx, owner)
	if err != nil {
		if noZoomIdentity(err) {
			return data.Summary, nil
		}
		return zoom.MeetingSummary{}, err
	}
	sum, err := who.snap.zoom.GetMeetingSummary(ctx, who.accessToken, data.UUID)
	if err != nil {
		if zoom.IsRefusedForGood(err) {
			a.host.LogDebug("Zoom's meeting summary is not available; posting the webhook's", "error", err.Error())
			return data.Summary, nil
		}
		return zoom.MeetingSummary{}, err
	}
	if sum.MeetingUUID != "" && sum.MeetingUUID != data.UUID {
		return data.Summary, nil
	}
	return clipSummary(*sum), nil
}

// postSummary writes the summary reply; an empty summary posts nothing.
func (a *App) postSummary(th thread, s zoom.MeetingSummary) error {
	if s.SummaryTitle == "" && s.SummaryOverview == "" && len(s.SummaryDetails) == 0 && len(s.NextSteps) == 0 {
		return jobs.Permanent(errors.New("the meeting summary is empty"))
	}
	return a.createReply(a.summaryPost(th, s))
}

// summaryPost builds the reply: props for the webapp's renderer, and a message and
// attachment in markdown (every value from Zoom escaped) for mobile and other clients.
func (a *App) summaryPost(th thread, s zoom.MeetingSummary) *model.Post {
	topic := cmp.Or(th.Topic, defaultTopic)
	p := a.stepReply(th, stepSummary, PostTypeSummary, a.channelT("summary.posted", i18n.Args{"topic": escapeMarkdown(oneLine(topic))}))
	details := make([]any, 0, len(s.SummaryDetails))
	for _, d := range s.SummaryDetails {
		details = append(details, map[string]any{"label": d.Label, "summary": d.Summary})
	}
	steps := s.NextSteps
	if steps == nil {
		steps = []string{}
	}
	// Props (besides meeting_id and meeting_uuid) hold the raw text, for the webapp's
	// renderer; the message and attachment carry the escaped markdown.
	p.AddProp("summary_title", s.SummaryTitle)
	p.AddProp("summary_overview", s.SummaryOverview)
	p.AddProp("summary_details", details)
	p.AddProp("summary_next_steps", steps)
	model.ParseSlackAttachment(p, []*model.SlackAttachment{{
		Fallback: a.channelT("summary.fallback", i18n.Args{"topic": oneLine(topic)}),
		Title:    escapeMarkdown(oneLine(s.SummaryTitle)),
		Text:     a.summaryMarkdown(s),
	}})
	return p
}

// summaryMarkdown lays the summary out: the overview, each section under its label in
// bold, and the next steps as a checklist. Each value is one escaped line, so no value
// can start a heading, list or link of its own.
func (a *App) summaryMarkdown(s zoom.MeetingSummary) string {
	var parts []string
	if s.SummaryOverview != "" {
		parts = append(parts, escapeMarkdown(oneLine(s.SummaryOverview)))
	}
	for _, d := range s.SummaryDetails {
		section := escapeMarkdown(oneLine(d.Summary))
		if label := oneLine(d.Label); label != "" {
			section = "**" + escapeMarkdown(label) + "**\n" + section
		}
		parts = append(parts, section)
	}
	if len(s.NextSteps) > 0 {
		lines := []string{"**" + a.channelT("summary.nextSteps") + "**"}
		for _, step := range s.NextSteps {
			lines = append(lines, "- [ ] "+escapeMarkdown(oneLine(step)))
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n\n")
}

// oneLine collapses runs of white space (line breaks included) into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clipSummary bounds a summary from Zoom to what a post can hold.
func clipSummary(s zoom.MeetingSummary) zoom.MeetingSummary {
	clip := func(v string) string { return truncate(v, maxSummaryText) }
	if s.MeetingTopic != "" {
		s.MeetingTopic = cleanTopic(s.MeetingTopic)
	}
	s.SummaryTitle = clip(s.SummaryTitle)
	s.SummaryOverview = clip(s.SummaryOverview)
	var details []zoom.SummaryDetail
	for _, d := range s.SummaryDetails {
		if len(details) == maxSummarySections {
			break
		}
		if d.Label == "" && d.Summary == "" {
			continue
		}
		details = append(details, zoom.SummaryDetail{Label: clip(d.Label), Summary: clip(d.Summary)})
	}
	s.SummaryDetails = details
	var steps []string
	for _, st := range s.NextSteps {
		if len(steps) == maxSummaryNextStep {
			break
		}
		if strings.TrimSpace(st) != "" {
			steps = append(steps, clip(st))
		}
	}
	s.NextSteps = steps
	return s
}
