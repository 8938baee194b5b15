package zoomsim

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// apiDeleteMeeting is DELETE /meetings/{id}: 204 without a body, 404 (3001) for a
// meeting that does not exist or belongs to another account, as Zoom answers.
func (s *Server) apiDeleteMeeting(w http.ResponseWriter, tok *accessToken, idText string) {
	id, err := strconv.ParseInt(idText, 10, 64)
	s.mu.Lock()
	m := s.meetings[id]
	ok := err == nil && m != nil && !m.personal && m.accountID == tok.accountID
	if ok {
		s.deleteMeetingLocked(id)
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, zoom.CodeMeetingNotFound, "Meeting does not exist: "+idText+".")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) deleteMeetingLocked(id int64) {
	delete(s.meetings, id)
	for i, v := range s.meetingOrder {
		if v == id {
			s.meetingOrder = append(s.meetingOrder[:i:i], s.meetingOrder[i+1:]...)
			break
		}
	}
}

// RescheduleMeeting moves a scheduled meeting, as its host does in the Zoom app, and
// returns the meeting.updated body: start_time in UTC ("…Z"), with the old value in
// old_object.
func (s *Server) RescheduleMeeting(id int64, start time.Time) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.meetings[id]
	if m == nil {
		return nil, fmt.Errorf("zoomsim: no meeting %d", id)
	}
	old, next := m.m.StartTime, zoom.FormatStartTime(start)
	m.m.StartTime = next
	host := s.userByIDLocked(m.m.HostID)
	p := zoom.UpdatePayload{AccountID: m.accountID, OperatorID: m.m.HostID, TimeStamp: time.Now().UnixMilli(),
		Object:    zoom.MeetingChange{ID: zoom.FlexInt64(id), StartTime: &next},
		OldObject: zoom.MeetingChange{ID: zoom.FlexInt64(id), StartTime: &old}}
	if host != nil {
		p.Operator = host.Email
	}
	return eventBody(zoom.EventMeetingUpdated, p, "")
}

type deletedPayload struct {
	AccountID  string             `json:"account_id"`
	Operator   string             `json:"operator"`
	OperatorID string             `json:"operator_id"`
	Operation  string             `json:"operation"`
	Object     deletedEventObject `json:"object"`
}

// deletedEventObject has id as a number, as meeting.deleted does.
type deletedEventObject struct {
	ID        int64  `json:"id"`
	UUID      string `json:"uuid"`
	HostID    string `json:"host_id"`
	Topic     string `json:"topic"`
	Type      int    `json:"type"`
	StartTime string `json:"start_time"`
	Duration  int    `json:"duration"`
	Timezone  string `json:"timezone"`
}

// DeleteMeetingEvent deletes a meeting, as its host does in the Zoom app, and returns
// the meeting.deleted body.
func (s *Server) DeleteMeetingEvent(id int64) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.meetings[id]
	if m == nil || m.personal {
		return nil, fmt.Errorf("zoomsim: no meeting %d", id)
	}
	s.deleteMeetingLocked(id)
	p := deletedPayload{AccountID: m.accountID, OperatorID: m.m.HostID, Operation: "all",
		Object: deletedEventObject{ID: id, UUID: m.m.UUID, HostID: m.m.HostID, Topic: m.m.Topic, Type: m.m.Type,
			StartTime: m.m.StartTime, Duration: m.m.Duration, Timezone: m.m.Timezone}}
	if host := s.userByIDLocked(m.m.HostID); host != nil {
		p.Operator = host.Email
	}
	return eventBody(zoom.EventMeetingDeleted, p, "")
}
