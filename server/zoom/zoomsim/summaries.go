package zoomsim

import (
	"fmt"
	"net/http"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// SummaryContent is what AI Companion wrote about a meeting; the simulator adds the
// meeting's identity and times.
type SummaryContent struct {
	Title     string
	Overview  string
	Details   []zoom.SummaryDetail
	NextSteps []string
}

// DefaultSummary is the summary of the README's example.
var DefaultSummary = SummaryContent{
	Title:    "Design sync: onboarding flow",
	Overview: "The team reviewed the new onboarding flow and agreed to ship the shorter sign-up form first.",
	Details: []zoom.SummaryDetail{
		{Label: "Sign-up form", Summary: "Bob showed the three-step form; the group preferred dropping the company field."},
		{Label: "Release plan", Summary: "Carol proposed shipping behind a flag next Tuesday."},
	},
	NextSteps: []string{
		"Bob removes the company field from the form.",
		"Carol prepares the feature flag and the release note.",
	},
}

// CompleteSummary summarises the meeting's latest instance with DefaultSummary and
// returns its meeting.summary_completed body.
func (s *Server) CompleteSummary(id int64) ([]byte, error) {
	return s.CompleteSummaryWith(id, DefaultSummary)
}

// CompleteSummaryWith summarises the meeting's latest instance with c: the summary is
// then served by GET /meetings/{uuid}/meeting_summary, and the returned body is the
// meeting.summary_completed event Zoom sends for it.
func (s *Server) CompleteSummaryWith(id int64, c SummaryContent) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, in, err := s.startedLocked(id)
	if err != nil {
		return nil, err
	}
	end := in.endOrNow()
	created := time.Now().UTC().Format(time.RFC3339)
	sum := zoom.MeetingSummary{
		MeetingID: zoom.FlexInt64(in.reportedID), MeetingUUID: in.uuid, MeetingTopic: m.m.Topic,
		MeetingHostID: m.m.HostID, MeetingStartTime: in.start.UTC().Format(time.RFC3339),
		MeetingEndTime: end.UTC().Format(time.RFC3339), SummaryTitle: c.Title, SummaryOverview: c.Overview,
		SummaryDetails: c.Details, NextSteps: c.NextSteps,
	}
	if host := s.userByIDLocked(m.m.HostID); host != nil {
		sum.MeetingHostEmail = host.Email
	}
	if sum.SummaryDetails == nil {
		sum.SummaryDetails = []zoom.SummaryDetail{}
	}
	if sum.NextSteps == nil {
		sum.NextSteps = []string{}
	}
	obj := summaryJSON{MeetingSummary: sum, SummaryStartTime: sum.MeetingStartTime, SummaryEndTime: sum.MeetingEndTime,
		SummaryCreatedTime: created, SummaryLastModifiedTime: created}
	if s.summaries == nil {
		s.summaries = map[string]summaryJSON{}
	}
	s.summaries[in.uuid] = obj
	return eventBody(zoom.EventMeetingSummaryCompleted, summaryPayloadJSON{AccountID: m.accountID, Object: obj}, "")
}

// summaryJSON adds the summary's own times, which the plugin does not read.
type summaryJSON struct {
	zoom.MeetingSummary
	SummaryStartTime        string `json:"summary_start_time"`
	SummaryEndTime          string `json:"summary_end_time"`
	SummaryCreatedTime      string `json:"summary_created_time"`
	SummaryLastModifiedTime string `json:"summary_last_modified_time"`
}

type summaryPayloadJSON struct {
	AccountID string      `json:"account_id"`
	Object    summaryJSON `json:"object"`
}

// apiGetSummary serves GET /meetings/{uuid}/meeting_summary to tokens of the
// meeting's account; a meeting without a summary is a 404, as on Zoom.
func (s *Server) apiGetSummary(w http.ResponseWriter, tok *accessToken, uuid string) {
	s.mu.Lock()
	sum, ok := s.summaries[uuid]
	if ok {
		in, known := s.instanceLocked(uuid)
		ok = known && in.mtg.accountID == tok.accountID
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, 3001, fmt.Sprintf("Meeting summary does not exist: %s.", uuid))
		return
	}
	writeJSON(w, http.StatusOK, sum)
}

// instanceLocked finds an instance, ended or running, by uuid. Hold s.mu.
func (s *Server) instanceLocked(uuid string) (*instance, bool) {
	if in, ok := s.past[uuid]; ok {
		return in, true
	}
	for _, m := range s.meetings {
		for _, in := range m.instances {
			if in.uuid == uuid {
				return in, true
			}
		}
	}
	return nil, false
}
