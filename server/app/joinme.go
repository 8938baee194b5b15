package app

import (
	"context"
	"net/url"
	"regexp"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

// The /zoom join forms people know from Zoom for Slack: "me" for one's personal
// meeting room, and personal links (https://<zoom host>/my/<name>). A personal link
// becomes the meeting's home only when the user's own Zoom profile names it as theirs:
// then it is their personal meeting room, shared by its id.

// personalPath is the path of a personal link; Zoom's personal link names are short
// words of letters, digits, dots, dashes and underscores.
var personalPath = regexp.MustCompile(`^/my/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/?$`)

// Join runs /zoom join: "me" starts a meeting in the user's personal meeting room
// whatever their stored preference; anything else is shared by ShareMeeting.
func (a *App) Join(ctx context.Context, req ShareRequest) error {
	var err error
	if strings.EqualFold(strings.TrimSpace(req.Target), "me") {
		_, err = a.StartMeeting(ctx, StartRequest{UserID: req.UserID, ChannelID: req.ChannelID, RootID: req.RootID, UsePMI: store.PreferencePMI})
	} else {
		_, err = a.ShareMeeting(ctx, req)
	}
	return err
}

// parsePersonalLink reads the path and passcode of https://<zoom host>/my/<name>[?pwd=...]
// and rebuilds the link from them, so nothing else of what was typed reaches the post.
func (a *App) parsePersonalLink(s *config.Settings, u *url.URL) (meetingRef, error) {
	m := personalPath.FindStringSubmatch(u.Path)
	if m == nil {
		return meetingRef{}, a.userErrorT(KindBadInput, nil, "join.badPersonalLink", i18n.Args{"example": s.WebURL() + "/my/name"})
	}
	link := "https://" + strings.ToLower(u.Host) + "/my/" + m[1]
	if pwd := u.Query().Get("pwd"); pwd != "" {
		link += "?pwd=" + url.QueryEscape(pwd)
	}
	return meetingRef{link: link, personal: m[1]}, nil
}

// sharePersonalLinkOnly posts a personal link that is not the user's own room as a link
// only: Zoom cannot say whose room it names, so no webhook may ever find it.
func (a *App) sharePersonalLinkOnly(req ShareRequest, link string) (*model.Post, error) {
	args := i18n.Args{"link": linkTarget(link)}
	post := &model.Post{Message: a.channelT("card.sharedPersonalLink", args)}
	return a.postLinkOnly(req, post, a.T(req.UserID, "join.personalLinkOnly", args))
}

// ownPersonalRoom returns the user's personal meeting id when their Zoom profile names
// the link as their personal link, else 0 (not connected, Zoom unreachable, or not
// theirs).
func (a *App) ownPersonalRoom(ctx context.Context, userID, name string) int64 {
	who, err := a.identityFor(ctx, userID)
	if err != nil {
		return 0
	}
	u, err := who.snap.zoom.GetUser(ctx, who.accessToken, who.zoomUserID)
	if err != nil {
		a.host.LogDebug("Could not read the Zoom profile to check a personal link", "error", err.Error())
		return 0
	}
	if u.PMI == 0 || !(isPersonalLinkNamed(u.VanityURL, name) || isPersonalLinkNamed(u.PersonalMeetingURL, name)) {
		return 0
	}
	return u.PMI
}

// isPersonalLinkNamed reports whether profileURL, from the user's Zoom profile, is a
// personal link with this name. Names are unique across Zoom and compared without
// regard to case; the host may differ (zoom.us or the account's own subdomain).
func isPersonalLinkNamed(profileURL, name string) bool {
	p, err := url.Parse(profileURL)
	if err != nil {
		return false
	}
	m := personalPath.FindStringSubmatch(p.Path)
	return m != nil && strings.EqualFold(m[1], name)
}
