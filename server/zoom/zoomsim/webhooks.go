package zoomsim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

var webhookClient = &http.Client{Timeout: 30 * time.Second}

// SignedRequest builds a webhook delivery exactly as Zoom sends it, stamped ts.
func (s *Server) SignedRequest(ctx context.Context, url string, body []byte, ts time.Time) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	stamp := strconv.FormatInt(ts.Unix(), 10)
	h := req.Header
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("User-Agent", "Zoom Marketplace/1.0a")
	h.Set("X-Zm-Request-Timestamp", stamp)
	h.Set("X-Zm-Signature", zoom.Sign(s.opts.WebhookSecret, stamp, body))
	h.Set("X-Zm-Trackingid", "v=2.0&s="+newHex(10)+"&c=us05")
	h.Set("Clientid", s.opts.ClientID)
	return req, nil
}

// SendWebhook delivers body to url, signed and stamped now.
func (s *Server) SendWebhook(ctx context.Context, url string, body []byte) (*http.Response, error) {
	req, err := s.SignedRequest(ctx, url, body, time.Now())
	if err != nil {
		return nil, err
	}
	return webhookClient.Do(req)
}

type envelope struct {
	Event         string `json:"event"`
	EventTS       int64  `json:"event_ts"`
	DownloadToken string `json:"download_token,omitempty"`
	Payload       any    `json:"payload"`
}

type meetingEventPayload struct {
	AccountID string             `json:"account_id"`
	Object    meetingEventObject `json:"object"`
}

// meetingEventObject has id as a string, as meeting.* events do.
type meetingEventObject struct {
	ID          string            `json:"id"`
	UUID        string            `json:"uuid"`
	HostID      string            `json:"host_id"`
	Topic       string            `json:"topic"`
	Type        int               `json:"type"`
	StartTime   string            `json:"start_time"`
	Timezone    string            `json:"timezone"`
	Duration    int               `json:"duration"`
	EndTime     string            `json:"end_time,omitempty"`
	Participant *zoom.Participant `json:"participant,omitempty"`
}

func eventBody(event string, payload any, downloadToken string) ([]byte, error) {
	return json.Marshal(envelope{Event: event, EventTS: time.Now().UnixMilli(), DownloadToken: downloadToken, Payload: payload})
}

func (in *instance) object() meetingEventObject {
	m := in.mtg
	dur := m.m.Duration
	if dur == 0 {
		dur = 60
	}
	return meetingEventObject{ID: strconv.FormatInt(in.reportedID, 10), UUID: in.uuid, HostID: m.m.HostID,
		Topic: m.m.Topic, Type: in.reportedType, StartTime: in.start.UTC().Format(time.RFC3339),
		Timezone: m.m.Timezone, Duration: dur}
}

// StartMeeting starts a new instance and returns its meeting.started body. The
// first start of a one-off meeting keeps the uuid from creation; restarts,
// recurring and personal-room meetings get a new uuid, and meetings held in the
// personal room are reported with the PMI as id and type 4, as Zoom does.
func (s *Server) StartMeeting(id int64) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.meetingLocked(id)
	if m == nil {
		return nil, fmt.Errorf("zoomsim: no meeting %d", id)
	}
	if m.m.Status == "started" {
		return nil, fmt.Errorf("zoomsim: meeting %d is already started", id)
	}
	in := &instance{mtg: m, reportedID: m.m.ID, reportedType: m.m.Type, start: time.Now(), participants: map[string]bool{}}
	switch {
	case len(m.instances) == 0 && !m.usePMI && !m.personal && m.m.Type != zoom.MeetingTypeRecurringNoFixedTime && m.m.Type != zoom.MeetingTypeRecurringFixedTime:
		in.uuid = m.m.UUID
	default:
		in.uuid = newMeetingUUID(false)
	}
	if m.usePMI {
		in.reportedID, in.reportedType = m.pmi, zoom.MeetingTypePersonal
	}
	m.instances = append(m.instances, in)
	m.m.UUID, m.m.Status = in.uuid, "started"
	return eventBody(zoom.EventMeetingStarted, meetingEventPayload{AccountID: m.accountID, Object: in.object()}, "")
}

// EndMeeting ends the current instance and returns its meeting.ended body. The
// instance becomes visible under /past_meetings.
func (s *Server) EndMeeting(id int64) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.meetingLocked(id)
	if m == nil {
		return nil, fmt.Errorf("zoomsim: no meeting %d", id)
	}
	in := m.current()
	if in == nil || m.m.Status != "started" {
		return nil, fmt.Errorf("zoomsim: meeting %d is not started", id)
	}
	in.end, in.ended = time.Now(), true
	m.m.Status = "waiting"
	s.past[in.uuid] = in
	obj := in.object()
	obj.EndTime = in.end.UTC().Format(time.RFC3339)
	return eventBody(zoom.EventMeetingEnded, meetingEventPayload{AccountID: m.accountID, Object: obj}, "")
}

// ParticipantEvent returns a meeting.participant_* body for the current
// instance; join and leave times default to now.
func (s *Server) ParticipantEvent(id int64, event string, p zoom.Participant) ([]byte, error) {
	return s.participantEvent(id, event, p, time.Now())
}

func (s *Server) participantEvent(id int64, event string, p zoom.Participant, at time.Time) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, in, err := s.startedLocked(id)
	if err != nil {
		return nil, err
	}
	now := at.UTC().Format(time.RFC3339)
	if p.ParticipantUUID == "" {
		p.ParticipantUUID = newHex(16)
	}
	switch event {
	case zoom.EventParticipantLeft, zoom.EventParticipantLeftWaitingRoom:
		if p.LeaveTime == "" {
			p.LeaveTime = now
		}
	default:
		if p.JoinTime == "" {
			p.JoinTime = now
		}
	}
	if event == zoom.EventParticipantJoined {
		if !in.participants[p.ParticipantUUID] {
			in.attendees = append(in.attendees, p)
		}
		in.participants[p.ParticipantUUID] = true
	}
	obj := in.object()
	obj.Participant = &p
	return json.Marshal(envelope{Event: event, EventTS: at.UnixMilli(), Payload: meetingEventPayload{AccountID: m.accountID, Object: obj}})
}

// DeauthorizeEvent returns an app_deauthorized body and revokes the user's
// tokens, as removing the app in Zoom does.
func (s *Server) DeauthorizeEvent(zoomUserID string, retainData bool) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByIDLocked(zoomUserID)
	if u == nil {
		return nil, errors.New("zoomsim: no user " + zoomUserID)
	}
	s.revokeUserLocked(zoomUserID)
	p := zoom.DeauthorizationPayload{UserDataRetention: strconv.FormatBool(retainData), AccountID: u.AccountID,
		UserID: u.ID, Signature: newHex(32), DeauthorizationTime: time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		ClientID: s.opts.ClientID}
	return eventBody(zoom.EventAppDeauthorized, p, "")
}

// startedLocked finds a meeting and its current instance, which an event about it
// needs: a meeting that was never started has no instance to report. Hold s.mu.
func (s *Server) startedLocked(id int64) (*meeting, *instance, error) {
	m := s.meetingLocked(id)
	if m == nil {
		return nil, nil, fmt.Errorf("zoomsim: no meeting %d", id)
	}
	in := m.current()
	if in == nil {
		return nil, nil, fmt.Errorf("zoomsim: meeting %d was never started", id)
	}
	return m, in, nil
}
