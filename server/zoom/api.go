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

// GetUser reads a user by "me", id or email.
func (c *Client) GetUser(ctx context.Context, accessToken, userID string) (*User, error) {
	var u User
	if err := c.call(ctx, http.MethodGet, userPath(userID), accessToken, nil, http.StatusOK, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateMeeting creates a meeting hosted by userID ("me" for the token's owner).
func (c *Client) CreateMeeting(ctx context.Context, accessToken, userID string, req CreateMeetingRequest) (*Meeting, error) {
	var m Meeting
	if err := c.call(ctx, http.MethodPost, userPath(userID)+"/meetings", accessToken, req, http.StatusCreated, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// GetMeeting reads a meeting by its numeric id.
func (c *Client) GetMeeting(ctx context.Context, accessToken string, meetingID int64) (*Meeting, error) {
	var m Meeting
	path := "/meetings/" + strconv.FormatInt(meetingID, 10)
	if err := c.call(ctx, http.MethodGet, path, accessToken, nil, http.StatusOK, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// ListUpcomingMeetings returns the first page (up to 30) of the user's upcoming
// meetings, which is all a picker in chat can sensibly show.
func (c *Client) ListUpcomingMeetings(ctx context.Context, accessToken, userID string) ([]Meeting, error) {
	var l meetingList
	path := userPath(userID) + "/meetings?type=upcoming&page_size=30"
	if err := c.call(ctx, http.MethodGet, path, accessToken, nil, http.StatusOK, &l); err != nil {
		return nil, err
	}
	return l.Meetings, nil
}

// GetPastMeeting reads a finished meeting instance by uuid.
func (c *Client) GetPastMeeting(ctx context.Context, accessToken, meetingUUID string) (*PastMeeting, error) {
	var p PastMeeting
	if err := c.call(ctx, http.MethodGet, "/past_meetings/"+EscapeUUIDPath(meetingUUID), accessToken, nil, http.StatusOK, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetMeetingSummary reads the AI Companion summary of a meeting instance by uuid.
func (c *Client) GetMeetingSummary(ctx context.Context, accessToken, meetingUUID string) (*MeetingSummary, error) {
	var s MeetingSummary
	path := "/meetings/" + EscapeUUIDPath(meetingUUID) + "/meeting_summary"
	if err := c.call(ctx, http.MethodGet, path, accessToken, nil, http.StatusOK, &s); err != nil {
		return nil, err
	}
	return &s, nil
}
