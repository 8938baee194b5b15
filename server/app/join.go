package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Sharing meetings that already exist: /zoom join <id | link>, and /zoom list with a
// "Share in this channel" button per upcoming meeting.
const (
	sharePath = "/plugins/zoom/api/v1/share"
	// propShared marks a card posted for an existing meeting (ours).
	propShared = "meeting_shared"
	// maxListed is how many upcoming meetings the list shows.
	maxListed  = 10
	maxLinkLen = 2048
	shareUsage = "Usage: /zoom join <meeting ID | Zoom join link>, for example /zoom join 845 1236 7890."
)

var joinPath = regexp.MustCompile(`^/j/(\d{9,12})/?$`)

// ShareRequest shares an existing meeting in a channel. Target is what the user typed:
// a meeting id, or a Zoom join link.
type ShareRequest struct {
	UserID, ChannelID, RootID string
	Target                    string
}

// parseMeetingRef reads a meeting id (digits, spaces or dashes as Zoom prints them) or
// a join link on the configured Zoom (https, path /j/<digits>). link is "" for an id.
func parseMeetingRef(s *config.Settings, raw string) (id int64, link string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, "", userError(http.StatusBadRequest, nil, shareUsage)
	}
	if id, ok := zoom.ParseMeetingID(raw); ok {
		return id, "", nil
	}
	raw = strings.Trim(raw, "<>")
	u, perr := url.Parse(raw)
	if perr != nil || u.Host == "" || len(raw) > maxLinkLen {
		return 0, "", userError(http.StatusBadRequest, perr, "%q is neither a Zoom meeting ID nor a link. %s", truncate(raw, 60), shareUsage)
	}
	if !s.IsZoomHost(raw) {
		return 0, "", userError(http.StatusBadRequest, nil,
			"Only links to this organisation's Zoom (https on %s) can be shared here; %s is not one. Paste the meeting's Zoom join link or its meeting ID.",
			strings.Join(s.ZoomHosts(), ", "), u.Hostname())
	}
	m := joinPath.FindStringSubmatch(u.Path)
	if m == nil {
		return 0, "", userError(http.StatusBadRequest, nil, "That Zoom link is not a meeting join link (they look like %s/j/84512367890). %s", s.WebURL(), shareUsage)
	}
	id, _ = strconv.ParseInt(m[1], 10, 64)
	u.Fragment = ""
	return id, u.String(), nil
}

// ShareMeeting posts a card for an existing meeting, authored by the user, with the
// same props (and the same KV mappings) as a card of a meeting started here, so it
// ends, shows participants and collects recordings the same way. The topic comes from
// Zoom when the user's identity may read the meeting; a pasted link is shared with a
// generic topic when Zoom will not say more.
func (a *App) ShareMeeting(ctx context.Context, req ShareRequest) (*model.Post, error) {
	snap, err := a.snap()
	if err != nil {
		return nil, err
	}
	if !isID(req.ChannelID) || (req.RootID != "" && !isID(req.RootID)) {
		return nil, userError(http.StatusBadRequest, nil, "The request names no valid channel. Open a channel and try again.")
	}
	id, link, err := parseMeetingRef(snap.settings, req.Target)
	if err != nil {
		return nil, err
	}
	if err := a.checkChannelAllows(snap.settings.RestrictMeetingCreation, req.ChannelID); err != nil {
		return nil, err
	}
	if _, appErr := a.host.GetChannelMember(req.ChannelID, req.UserID); appErr != nil {
		return nil, userError(http.StatusForbidden, ErrForbidden, "You can only share a meeting in a channel you are a member of. Join the channel first.")
	}

	var meeting *zoom.Meeting
	who, err := a.identityFor(ctx, req.UserID)
	if err == nil {
		meeting, err = who.snap.zoom.GetMeeting(ctx, who.accessToken, id)
	}
	if err != nil {
		if link == "" {
			return nil, a.explainShareError(req, id, err)
		}
		a.host.LogDebug("Sharing a Zoom link without its details", "meeting_id", id, "error", err.Error())
		meeting = nil
	}
	m := zoom.Meeting{ID: id, Topic: defaultTopic, JoinURL: link}
	if meeting != nil {
		m.UUID, m.PMI, m.Type = meeting.UUID, meeting.PMI, meeting.Type
		if t := cleanTopic(meeting.Topic); t != "" {
			m.Topic = t
		}
		if m.JoinURL == "" {
			m.JoinURL = meeting.JoinURL
		}
	}
	if m.JoinURL == "" || !snap.settings.IsZoomHost(m.JoinURL) {
		m.JoinURL = snap.settings.WebURL() + "/j/" + strconv.FormatInt(id, 10)
	}
	user, appErr := a.host.GetUser(req.UserID)
	if appErr != nil {
		return nil, appErr
	}
	card := buildCard(meetingCard{
		ChannelID: req.ChannelID, RootID: req.RootID, UserID: req.UserID,
		MeetingID: id, UUID: m.UUID, JoinURL: m.JoinURL, Topic: m.Topic,
		Personal: m.Type == zoom.MeetingTypePersonal || m.PMI != "", CreatorUsername: user.Username, StartTime: a.now(),
	})
	card.Message = "Join the Zoom meeting: " + m.Topic
	card.AddProp(propShared, true)
	post, appErr := a.host.CreatePost(card)
	if appErr != nil {
		return nil, appErr
	}
	a.rememberCard(&m, post, req.UserID)
	return post, nil
}

// explainShareError answers a share by meeting id that Zoom could not confirm.
func (a *App) explainShareError(req ShareRequest, id int64, err error) error {
	var ae *zoom.APIError
	switch {
	case errors.Is(err, ErrNotConnected), errors.Is(err, ErrReconnect):
		return userError(http.StatusUnauthorized, err,
			"To share a meeting by its ID, [connect your Zoom account](%s) first, or paste the meeting's Zoom join link instead.", a.ConnectLink(req.ChannelID, false))
	case errors.As(err, &ae) && (ae.StatusCode == http.StatusNotFound || ae.StatusCode == http.StatusForbidden):
		return userError(http.StatusNotFound, err,
			"Zoom has no meeting %d that your account can see. Check the ID, or paste the meeting's Zoom join link instead.", id)
	case errors.As(err, &ae):
		return a.zoomFailure(err, "zoom.action.readMeeting")
	}
	return err
}

// SendUpcomingMeetings shows the user their upcoming meetings, each with a button that
// shares it in this channel.
func (a *App) SendUpcomingMeetings(ctx context.Context, userID, channelID, rootID string) error {
	who, err := a.identityFor(ctx, userID)
	if errors.Is(err, ErrNotConnected) || errors.Is(err, ErrReconnect) {
		a.ephemeral(userID, channelID, rootID, "To list your Zoom meetings, [connect your Zoom account]("+a.ConnectLink(channelID, false)+") first.")
		return nil
	}
	if err != nil {
		return err
	}
	meetings, err := who.snap.zoom.ListUpcomingMeetings(ctx, who.accessToken, who.zoomUserID)
	if err != nil {
		return a.zoomFailure(err, "zoom.action.listMeetings")
	}
	if len(meetings) == 0 {
		a.ephemeral(userID, channelID, rootID, "You have no upcoming Zoom meetings. To share any meeting here, use /zoom join <meeting ID or link>.")
		return nil
	}
	post := &model.Post{UserId: a.botUserID, ChannelId: channelID, RootId: rootID}
	var atts []*model.SlackAttachment
	for i, m := range meetings {
		if i == maxListed {
			break
		}
		id := strconv.FormatInt(m.ID, 10)
		text := "Meeting ID: " + id
		if when := meetingWhen(m); when != "" {
			text += "\n" + when
		}
		atts = append(atts, &model.SlackAttachment{
			Title: cleanTopic(m.Topic),
			Text:  text,
			Actions: []*model.PostAction{{
				Id: "share" + id, Name: "Share in this channel", Type: model.PostActionTypeButton,
				Integration: &model.PostActionIntegration{URL: sharePath, Context: map[string]any{
					"action": "share", "userID": userID, "channelID": channelID, "rootID": rootID, "meetingID": id,
				}},
			}},
		})
	}
	post.Message = "Your upcoming Zoom meetings:"
	if len(meetings) > maxListed {
		post.Message = fmt.Sprintf("Your next %d upcoming Zoom meetings:", maxListed)
	}
	model.ParseSlackAttachment(post, atts)
	a.host.SendEphemeralPost(userID, post)
	return nil
}

func meetingWhen(m zoom.Meeting) string {
	t, err := time.Parse(time.RFC3339, m.StartTime)
	if err != nil {
		return ""
	}
	if loc, err := time.LoadLocation(m.Timezone); err == nil && m.Timezone != "" {
		t = t.In(loc)
	} else {
		t = t.UTC()
	}
	return "Starts " + t.Format("Mon, Jan 2, 2006 at 15:04 MST")
}

// ShareFromList handles a click on "Share in this channel". The clicking user must be
// the user the list was for; the share then runs every check a /zoom join does.
func (a *App) ShareFromList(ctx context.Context, sessionUserID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	str := func(k string) string { s, _ := req.Context[k].(string); return s }
	if str("userID") != sessionUserID || req.UserId != "" && req.UserId != sessionUserID {
		return nil, userError(http.StatusForbidden, ErrForbidden, "This list was for someone else.")
	}
	id, ok := zoom.ParseMeetingID(str("meetingID"))
	if !ok || str("action") != "share" {
		return nil, userError(http.StatusBadRequest, nil, "This button names no meeting; run /zoom list again.")
	}
	post, err := a.ShareMeeting(ctx, ShareRequest{
		UserID: sessionUserID, ChannelID: str("channelID"), RootID: str("rootID"), Target: strconv.FormatInt(id, 10),
	})
	if err != nil {
		return &model.PostActionIntegrationResponse{EphemeralText: MessageOf(err)}, nil
	}
	topic, _ := post.GetProp("meeting_topic").(string)
	return &model.PostActionIntegrationResponse{EphemeralText: "Shared \"" + topic + "\" in this channel."}, nil
}
