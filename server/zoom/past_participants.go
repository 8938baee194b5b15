package zoom

import (
	"context"
	"net/http"
	"net/url"
)

// PastParticipant is one entry of GET /past_meetings/{uuid}/participants. ID is the
// participant's Zoom user id when they were signed in to Zoom, else empty.
type PastParticipant struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	UserEmail string `json:"user_email"`
}

// maxParticipantPages bounds the report we read: 10 pages of 300 is more people than
// any card can list.
const maxParticipantPages = 10

// ListPastMeetingParticipants reads who attended a finished meeting instance (by uuid,
// or by meeting id for its latest instance). Zoom serves it only to paid accounts with
// the meeting:read:past_participant scope; other accounts get a 4xx, which callers
// treat as "not available" rather than a failure. The total is Zoom's total_records.
func (c *Client) ListPastMeetingParticipants(ctx context.Context, accessToken, meetingUUID string) ([]PastParticipant, int, error) {
	var (
		out   []PastParticipant
		total int
		token string
	)
	for page := 0; page < maxParticipantPages; page++ {
		q := url.Values{"page_size": {"300"}}
		if token != "" {
			q.Set("next_page_token", token)
		}
		var p struct {
			TotalRecords  int               `json:"total_records"`
			NextPageToken string            `json:"next_page_token"`
			Participants  []PastParticipant `json:"participants"`
		}
		path := "/past_meetings/" + EscapeUUIDPath(meetingUUID) + "/participants?" + q.Encode()
		if err := c.call(ctx, http.MethodGet, path, accessToken, nil, &p); err != nil {
			return nil, 0, err
		}
		out = append(out, p.Participants...)
		total = max(p.TotalRecords, len(out))
		if p.NextPageToken == "" {
			break
		}
		token = p.NextPageToken
	}
	return out, total, nil
}
