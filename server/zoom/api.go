package zoom

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

func userPath(userID string) string {
	if userID == "" {
		userID = "me"
	}
	return "/users/" + url.PathEscape(userID)
}

// get reads path's JSON answer into a new T.
func get[T any](ctx context.Context, c *Client, accessToken, path string) (*T, error) {
	var out T
	if err := c.call(ctx, http.MethodGet, path, accessToken, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetUser reads a user by "me", id or email.
func (c *Client) GetUser(ctx context.Context, accessToken, userID string) (*User, error) {
	return get[User](ctx, c, accessToken, userPath(userID))
}

// CreateMeeting creates a meeting hosted by userID ("me" for the token's owner).
func (c *Client) CreateMeeting(ctx context.Context, accessToken, userID string, req CreateMeetingRequest) (*Meeting, error) {
	var m Meeting
	if err := c.call(ctx, http.MethodPost, userPath(userID)+"/meetings", accessToken, req, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// GetMeeting reads a meeting by its numeric id.
func (c *Client) GetMeeting(ctx context.Context, accessToken string, meetingID int64) (*Meeting, error) {
	return get[Meeting](ctx, c, accessToken, "/meetings/"+strconv.FormatInt(meetingID, 10))
}

// ListUpcomingMeetings returns the first page (up to 30) of the user's upcoming
// meetings, which is all a picker in chat can sensibly show.
func (c *Client) ListUpcomingMeetings(ctx context.Context, accessToken, userID string) ([]Meeting, error) {
	page, err := get[struct {
		Meetings []Meeting `json:"meetings"`
	}](ctx, c, accessToken, userPath(userID)+"/meetings?type=upcoming&page_size=30")
	if err != nil {
		return nil, err
	}
	return page.Meetings, nil
}

// GetPastMeeting reads a finished meeting instance by uuid.
func (c *Client) GetPastMeeting(ctx context.Context, accessToken, meetingUUID string) (*PastMeeting, error) {
	return get[PastMeeting](ctx, c, accessToken, "/past_meetings/"+EscapeUUIDPath(meetingUUID))
}

// GetMeetingSummary reads the AI Companion summary of a meeting instance by uuid.
func (c *Client) GetMeetingSummary(ctx context.Context, accessToken, meetingUUID string) (*MeetingSummary, error) {
	return get[MeetingSummary](ctx, c, accessToken, "/meetings/"+EscapeUUIDPath(meetingUUID)+"/meeting_summary")
}
