package zoom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Event names the plugin reacts to.
const (
	EventURLValidation                = "endpoint.url_validation"
	EventMeetingStarted               = "meeting.started"
	EventMeetingEnded                 = "meeting.ended"
	EventRecordingCompleted           = "recording.completed"
	EventRecordingTranscriptCompleted = "recording.transcript_completed"
	EventAppDeauthorized              = "app_deauthorized"
	EventParticipantJoined            = "meeting.participant_joined"
	EventParticipantLeft              = "meeting.participant_left"
	EventParticipantJoinedWaitingRoom = "meeting.participant_joined_waiting_room"
	EventParticipantJoinedBeforeHost  = "meeting.participant_jbh_joined"
	EventParticipantWaitingForHost    = "meeting.participant_jbh_waiting"
	EventParticipantLeftWaitingRoom   = "meeting.participant_left_waiting_room"
	EventParticipantPutInWaitingRoom  = "meeting.participant_put_in_waiting_room"
	EventMeetingSummaryCompleted      = "meeting.summary_completed"
)

// Event is the envelope of every webhook. EventTS is in milliseconds.
type Event struct {
	Event         string          `json:"event"`
	EventTS       int64           `json:"event_ts"`
	DownloadToken string          `json:"download_token,omitempty"`
	Payload       json.RawMessage `json:"payload"`
}

// ParseEvent decodes a webhook body: one JSON object with an event name and
// nothing after it.
func ParseEvent(body []byte) (*Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errors.New("zoom: webhook body is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	var e Event
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("zoom: webhook body: %w", err)
	}
	if dec.More() {
		return nil, errors.New("zoom: webhook body has data after the JSON object")
	}
	if e.Event == "" {
		return nil, errors.New("zoom: webhook body has no event name")
	}
	return &e, nil
}

// FlexInt64 is a meeting id: a string of digits in meeting.* events, a number in
// recording.* events and REST answers.
type FlexInt64 int64

// UnmarshalJSON accepts 123, "123", and null or "" (as 0).
func (f *FlexInt64) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(string(s), 10, 64)
	if err != nil {
		return fmt.Errorf("zoom: id %.30q is not an integer", s)
	}
	*f = FlexInt64(n)
	return nil
}

// Payload is the payload of most events: the account and the event's object.
type Payload[T any] struct {
	AccountID string `json:"account_id"`
	Object    T      `json:"object"`
}

// MeetingObject is payload.object of meeting.started and meeting.ended.
type MeetingObject struct {
	ID        FlexInt64 `json:"id"`
	UUID      string    `json:"uuid"`
	HostID    string    `json:"host_id"`
	Topic     string    `json:"topic"`
	Type      int       `json:"type"`
	StartTime string    `json:"start_time"`
	EndTime   string    `json:"end_time,omitempty"`
	Timezone  string    `json:"timezone"`
	Duration  int       `json:"duration"`
}

// MeetingPayload is the payload of meeting.started and meeting.ended.
type MeetingPayload = Payload[MeetingObject]

// RecordingFile is one entry of recording_files. MeetingID is the meeting uuid.
type RecordingFile struct {
	ID             string `json:"id"`
	MeetingID      string `json:"meeting_id"`
	RecordingStart string `json:"recording_start"`
	RecordingEnd   string `json:"recording_end"`
	FileType       string `json:"file_type"`
	FileExtension  string `json:"file_extension"`
	FileSize       int64  `json:"file_size"`
	PlayURL        string `json:"play_url,omitempty"`
	DownloadURL    string `json:"download_url"`
	Status         string `json:"status"`
	RecordingType  string `json:"recording_type"`
}

// RecordingObject is payload.object of recording.completed and
// recording.transcript_completed.
type RecordingObject struct {
	UUID                  string          `json:"uuid"`
	ID                    FlexInt64       `json:"id"`
	AccountID             string          `json:"account_id"`
	HostID                string          `json:"host_id"`
	HostEmail             string          `json:"host_email"`
	Topic                 string          `json:"topic"`
	Type                  int             `json:"type"`
	StartTime             string          `json:"start_time"`
	Timezone              string          `json:"timezone"`
	Duration              int             `json:"duration"`
	TotalSize             int64           `json:"total_size"`
	RecordingCount        int             `json:"recording_count"`
	ShareURL              string          `json:"share_url"`
	RecordingFiles        []RecordingFile `json:"recording_files"`
	Password              string          `json:"password"`
	RecordingPlayPasscode string          `json:"recording_play_passcode"`
	OnPrem                bool            `json:"on_prem"`
}

// RecordingPayload is the payload of the recording events.
type RecordingPayload = Payload[RecordingObject]

// Participant is payload.object.participant of the meeting.participant_* events.
type Participant struct {
	UserID          string `json:"user_id"`
	UserName        string `json:"user_name"`
	ID              string `json:"id"`
	Email           string `json:"email"`
	JoinTime        string `json:"join_time,omitempty"`
	LeaveTime       string `json:"leave_time,omitempty"`
	LeaveReason     string `json:"leave_reason,omitempty"`
	ParticipantUUID string `json:"participant_uuid"`
	RegistrantID    string `json:"registrant_id,omitempty"`
}

// ParticipantObject is payload.object of the meeting.participant_* events.
type ParticipantObject struct {
	ID          FlexInt64   `json:"id"`
	UUID        string      `json:"uuid"`
	HostID      string      `json:"host_id"`
	Topic       string      `json:"topic"`
	Type        int         `json:"type"`
	StartTime   string      `json:"start_time,omitempty"`
	Timezone    string      `json:"timezone,omitempty"`
	Duration    int         `json:"duration,omitempty"`
	Participant Participant `json:"participant"`
}

// ParticipantPayload is the payload of the meeting.participant_* events.
type ParticipantPayload = Payload[ParticipantObject]

// SummaryDetail is one section of an AI Companion meeting summary.
type SummaryDetail struct {
	Label   string `json:"label"`
	Summary string `json:"summary"`
}

// MeetingSummary is an AI Companion summary: payload.object of
// meeting.summary_completed, and the answer of GET /meetings/{uuid}/meeting_summary.
// Times are ISO 8601 strings.
type MeetingSummary struct {
	MeetingID        FlexInt64       `json:"meeting_id"`
	MeetingUUID      string          `json:"meeting_uuid"`
	MeetingTopic     string          `json:"meeting_topic"`
	MeetingHostID    string          `json:"meeting_host_id"`
	MeetingHostEmail string          `json:"meeting_host_email"`
	MeetingStartTime string          `json:"meeting_start_time,omitempty"`
	MeetingEndTime   string          `json:"meeting_end_time,omitempty"`
	SummaryTitle     string          `json:"summary_title"`
	SummaryOverview  string          `json:"summary_overview,omitempty"`
	SummaryDetails   []SummaryDetail `json:"summary_details"`
	NextSteps        []string        `json:"next_steps"`
}

// SummaryPayload is the payload of meeting.summary_completed.
type SummaryPayload = Payload[MeetingSummary]

// DeauthorizationPayload is the payload of app_deauthorized. UserDataRetention
// is the string "true" or "false", not a JSON bool.
type DeauthorizationPayload struct {
	UserDataRetention   string `json:"user_data_retention"`
	AccountID           string `json:"account_id"`
	UserID              string `json:"user_id"`
	Signature           string `json:"signature"`
	DeauthorizationTime string `json:"deauthorization_time"`
	ClientID            string `json:"client_id"`
}

// urlValidationPayload is the payload of endpoint.url_validation.
type urlValidationPayload struct {
	PlainToken string `json:"plainToken"`
}

// decodeAs decodes the event's payload object into a new T.
func decodeAs[T any](e *Event) (*T, error) {
	payload := bytes.TrimSpace(e.Payload)
	if len(payload) == 0 || payload[0] != '{' {
		return nil, fmt.Errorf("zoom: %s event has no payload object", e.Event)
	}
	var p T
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("zoom: %s payload: %w", e.Event, err)
	}
	return &p, nil
}

// Meeting decodes a meeting.started or meeting.ended payload.
func (e *Event) Meeting() (*MeetingPayload, error) { return decodeAs[MeetingPayload](e) }

// Recording decodes a recording.completed or recording.transcript_completed payload.
func (e *Event) Recording() (*RecordingPayload, error) { return decodeAs[RecordingPayload](e) }

// Participant decodes a meeting.participant_* payload.
func (e *Event) Participant() (*ParticipantPayload, error) { return decodeAs[ParticipantPayload](e) }

// Summary decodes a meeting.summary_completed payload.
func (e *Event) Summary() (*SummaryPayload, error) { return decodeAs[SummaryPayload](e) }

// Deauthorization decodes an app_deauthorized payload, which must name a user.
func (e *Event) Deauthorization() (*DeauthorizationPayload, error) {
	p, err := decodeAs[DeauthorizationPayload](e)
	if err == nil && p.UserID == "" {
		return nil, errors.New("zoom: app_deauthorized payload has no user_id")
	}
	return p, err
}

// PlainToken returns the token of an endpoint.url_validation event.
func (e *Event) PlainToken() (string, error) {
	p, err := decodeAs[urlValidationPayload](e)
	if err != nil {
		return "", err
	}
	if p.PlainToken == "" {
		return "", errors.New("zoom: url_validation payload has no plainToken")
	}
	return p.PlainToken, nil
}
