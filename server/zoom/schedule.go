package zoom

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Events about scheduled meetings.
const (
	EventMeetingUpdated = "meeting.updated"
	EventMeetingDeleted = "meeting.deleted"
)

// FormatStartTime writes t as a create request's UTC start_time.
func FormatStartTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// MeetingChange is payload.object (or old_object) of meeting.updated: the meeting id
// and only the fields that changed, so every other field may be absent.
type MeetingChange struct {
	ID        FlexInt64 `json:"id"`
	UUID      string    `json:"uuid,omitempty"`
	Topic     *string   `json:"topic,omitempty"`
	StartTime *string   `json:"start_time,omitempty"`
	Duration  *int      `json:"duration,omitempty"`
	Timezone  *string   `json:"timezone,omitempty"`
}

// UpdatePayload is the payload of meeting.updated.
type UpdatePayload struct {
	AccountID  string        `json:"account_id"`
	Operator   string        `json:"operator"`
	OperatorID string        `json:"operator_id"`
	Operation  string        `json:"operation,omitempty"`
	Object     MeetingChange `json:"object"`
	OldObject  MeetingChange `json:"old_object"`
	TimeStamp  int64         `json:"time_stamp"`
}

// DeletedPayload is the payload of meeting.deleted; Operation is "single" (one
// occurrence of a recurring meeting) or "all".
type DeletedPayload struct {
	AccountID  string        `json:"account_id"`
	Operator   string        `json:"operator"`
	OperatorID string        `json:"operator_id"`
	Operation  string        `json:"operation,omitempty"`
	Object     MeetingObject `json:"object"`
}

// Update decodes a meeting.updated payload.
func (e *Event) Update() (*UpdatePayload, error) { return decodeAs[UpdatePayload](e) }

// Deleted decodes a meeting.deleted payload.
func (e *Event) Deleted() (*DeletedPayload, error) { return decodeAs[DeletedPayload](e) }

// DeleteMeeting deletes a meeting (every occurrence). Zoom answers 204.
func (c *Client) DeleteMeeting(ctx context.Context, accessToken string, meetingID int64) error {
	path := "/meetings/" + strconv.FormatInt(meetingID, 10)
	return c.call(ctx, http.MethodDelete, path, accessToken, nil, nil)
}
