package app

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

// The /zoom join forms people know from Zoom for Slack: "me" for one's personal
// meeting room, and personal links (https://<zoom host>/my/<name>).

// personalPath is the path of a personal link; Zoom's personal link names are short
// words of letters, digits, dots, dashes and underscores.
var personalPath = regexp.MustCompile(`^/my/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/?$`)

// Join runs /zoom join: "me" starts a meeting in the user's personal meeting room
// whatever their stored preference, a personal link is shared, and anything else is a
// meeting id or join link for ShareMeeting.
func (a *App) Join(ctx context.Context, req ShareRequest) error {
	target := strings.TrimSpace(req.Target)
	if strings.EqualFold(target, "me") {
		_, err := a.StartMeeting(ctx, StartRequest{UserID: req.UserID, ChannelID: req.ChannelID, RootID: req.RootID, UsePMI: store.PreferencePMI})
		return err
	}
	s := a.Settings()
	if s == nil {
		return ErrNotConfigured
	}
	link, name, err := a.parsePersonalLink(s, target)
	if err != nil {
		return err
	}
	if link == "" {
		_, err := a.ShareMeeting(ctx, req)
		return err
	}
	return a.sharePersonalLink(ctx, req, link, name)
}

// parsePersonalLink reads https://<configured zoom host>/my/<name>[?pwd=...] and
// returns the link rebuilt from its checked parts (so nothing else of what was typed
// reaches the post) and the name. link is "" for anything that is not a personal link.
func (a *App) parsePersonalLink(s *config.Settings, raw string) (link, name string, err error) {
	raw = strings.Trim(raw, "<>")
	u, perr := url.Parse(raw)
	if perr != nil || u.Host == "" || len(raw) > maxLinkLen || !strings.HasPrefix(u.Path, "/my/") || !s.IsZoomHost(raw) {
		return "", "", nil
	}
	m := personalPath.FindStringSubmatch(u.Path)
	if m == nil {
		return "", "", a.userErrorT(KindBadInput, nil, "join.badPersonalLink", i18n.Args{"example": s.WebURL() + "/my/name"})
	}
	link = "https://" + strings.ToLower(u.Host) + "/my/" + m[1]
	if pwd := u.Query().Get("pwd"); pwd != "" {
		link += "?pwd=" + url.QueryEscape(pwd)
	}
	return link, m[1], nil
}

// sharePersonalLink shares a personal link. Zoom cannot say whose room a personal
// link names, so it becomes the meeting's home only when the user's own Zoom profile
// names it as their personal link: then it is their personal meeting room, shared by
// its id. Anyone else's link (or one Zoom does not confirm) is posted as a link only,
// which no webhook ever finds.
func (a *App) sharePersonalLink(ctx context.Context, req ShareRequest, link, name string) error {
	if !isID(req.ChannelID) || (req.RootID != "" && !isID(req.RootID)) {
		return a.userErrorT(KindBadInput, nil, "start.noChannel")
	}
	if err := a.checkMayPost(a.Settings().RestrictMeetingCreation, req.ChannelID, req.UserID, "join.notMember"); err != nil {
		return err
	}
	if pmi := a.ownPersonalRoom(ctx, req.UserID, name); pmi != 0 {
		req.Target = strconv.FormatInt(pmi, 10)
		_, err := a.ShareMeeting(ctx, req)
		return err
	}
	post := &model.Post{
		UserId: req.UserID, ChannelId: req.ChannelID, RootId: req.RootID,
		Message: a.channelT("card.sharedPersonalLink", i18n.Args{"link": linkTarget(link)}),
	}
	if _, appErr := a.host.CreatePost(post); appErr != nil {
		return appErr
	}
	a.ephemeral(req.UserID, req.ChannelID, req.RootID, a.t(req.UserID, "join.personalLinkOnly", i18n.Args{"link": linkTarget(link)}))
	return nil
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
