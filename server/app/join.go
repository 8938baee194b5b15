package app

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Sharing meetings that already exist: /zoom join <id | link | personal link>, and
// /zoom list with a "Share in this channel" button per upcoming meeting.
const (
	// maxListed is how many upcoming meetings the list shows.
	maxListed  = 10
	maxLinkLen = 2048
)

// shareUsage is the /zoom join usage sentence that follows its errors.
var shareUsage = message{id: "join.usage"}

var joinPath = regexp.MustCompile(`^/j/(\d{9,12})/?$`)

// ShareRequest shares an existing meeting in a channel. Target is what the user typed:
// a meeting id, a Zoom join link or a personal link.
type ShareRequest struct {
	UserID, ChannelID, RootID string
	Target                    string
}

// meetingRef is what a share names: a meeting id, a join link (link) or a personal
// link (link and its name).
type meetingRef struct {
	id             int64
	link, personal string
}

// parseMeetingRef reads a meeting id (digits, spaces or dashes as Zoom prints them), or a
// join or personal link on the configured Zoom (path /j/<digits> or /my/<name>). A link
// comes back rebuilt from its checked parts.
func (a *App) parseMeetingRef(s *config.Settings, raw string) (meetingRef, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return meetingRef{}, a.userErrorMsgs(KindBadInput, nil, shareUsage)
	}
	if id, ok := zoom.ParseMeetingID(raw); ok {
		return meetingRef{id: id}, nil
	}
	raw = strings.Trim(raw, "<>")
	u, perr := url.Parse(raw)
	if perr != nil || u.Host == "" || len(raw) > maxLinkLen {
		return meetingRef{}, a.userErrorMsgs(KindBadInput, perr,
			message{id: "join.notIDOrLink", args: i18n.Args{"input": strconv.Quote(truncate(raw, 60))}}, shareUsage)
	}
	if !s.IsZoomHost(raw) {
		return meetingRef{}, a.userErrorT(KindBadInput, nil, "join.foreignHost",
			i18n.Args{"hosts": strings.Join(s.ZoomHosts(), ", "), "host": u.Hostname()})
	}
	if strings.HasPrefix(u.Path, "/my/") {
		return a.parsePersonalLink(s, u)
	}
	m := joinPath.FindStringSubmatch(u.Path)
	if m == nil {
		return meetingRef{}, a.userErrorMsgs(KindBadInput, nil,
			message{id: "join.notJoinLink", args: i18n.Args{"example": s.WebURL() + "/j/84512367890"}}, shareUsage)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	// Re-encoding the query keeps characters that mean something in markdown, such as
	// ")" and "]", out of the link the card prints.
	u.Fragment, u.RawQuery = "", u.Query().Encode()
	return meetingRef{id: id, link: u.String()}, nil
}

// ShareMeeting posts a card for an existing meeting, authored by the user. A share
// becomes the meeting's home in Mattermost (the same props and KV mappings as a card
// started here, so it ends, shows participants and collects recordings) only when Zoom
// confirms the user hosts the meeting (or is an alternative host), or the user is a
// system admin. Anyone else gets a link-only post: meeting ids are easy to learn (a
// personal meeting id is printed on every card), and a share must never redirect
// someone else's meeting data into the sharer's channel. The topic comes from Zoom
// when the user's identity may read the meeting. A personal link counts as its room's id
// only when it is the user's own.
func (a *App) ShareMeeting(ctx context.Context, req ShareRequest) (*model.Post, error) {
	snap, err := a.snap()
	if err != nil {
		return nil, err
	}
	ref, err := a.parseMeetingRef(snap.settings, req.Target)
	if err != nil {
		return nil, err
	}
	if err := a.checkMayPost(snap.settings.RestrictMeetingCreation, req.ChannelID, req.RootID, req.UserID, "join.notMember", "channel.readOnly"); err != nil {
		return nil, err
	}
	if ref.personal != "" {
		pmi := a.ownPersonalRoom(ctx, req.UserID, ref.personal)
		if pmi == 0 {
			return a.sharePersonalLinkOnly(req, ref.link)
		}
		ref = meetingRef{id: pmi}
	}
	var meeting *zoom.Meeting
	who, err := a.identityFor(ctx, req.UserID)
	unconnected := needsConnect(err)
	if err == nil {
		meeting, err = who.snap.zoom.GetMeeting(ctx, who.accessToken, ref.id)
	}
	if err != nil {
		if ref.link == "" {
			return nil, a.explainShareError(req, ref.id, err)
		}
		a.host.LogDebug("Sharing a Zoom link without its details", "meeting_id", ref.id, "error", err.Error())
	}
	m := zoom.Meeting{ID: ref.id, Topic: defaultTopic, JoinURL: ref.link}
	if meeting != nil {
		m.UUID, m.PMI, m.Type = meeting.UUID, meeting.PMI, meeting.Type
		m.Topic = cleanTopic(meeting.Topic)
		m.JoinURL = cmp.Or(ref.link, meeting.JoinURL)
	}
	if m.JoinURL == "" || !snap.settings.IsZoomHost(m.JoinURL) {
		m.JoinURL = snap.settings.WebURL() + "/j/" + strconv.FormatInt(m.ID, 10)
	}
	if !hostsMeeting(who, meeting) && !a.IsSystemAdmin(req.UserID) {
		return a.shareLinkOnly(req, &m, unconnected)
	}
	user, err := a.profile(req.UserID)
	if err != nil {
		return nil, err
	}
	card := a.buildCard(meetingCard{
		ChannelID: req.ChannelID, RootID: req.RootID, UserID: req.UserID,
		MeetingID: m.ID, UUID: m.UUID, JoinURL: m.JoinURL, Topic: m.Topic,
		Personal: m.Type == zoom.MeetingTypePersonal || m.PMI != "", CreatorUsername: user.username, StartTime: a.now(),
	})
	card.Message = a.channelT("card.shared", i18n.Args{"topic": escapeMarkdown(m.Topic)})
	propsOf(card).setShared()
	post, appErr := a.host.CreatePost(card)
	if appErr != nil {
		return nil, appErr
	}
	a.rememberCard(&m, post, req.UserID)
	return post, nil
}

// hostsMeeting reports whether Zoom names the user as the meeting's host or one of its
// alternative hosts. Without Zoom's description of the meeting nothing is confirmed.
func hostsMeeting(who *identity, m *zoom.Meeting) bool {
	if who == nil || m == nil {
		return false
	}
	if m.HostID != "" && m.HostID == who.zoomUserID {
		return true
	}
	if m.Settings == nil || who.zoomEmail == "" {
		return false
	}
	for _, email := range strings.FieldsFunc(m.Settings.AlternativeHosts, func(r rune) bool { return r == ';' || r == ',' }) {
		if strings.EqualFold(strings.TrimSpace(email), who.zoomEmail) {
			return true
		}
	}
	return false
}

// shareLinkOnly posts a meeting the user does not host as a plain link: no meeting
// props and no KV mappings, so no webhook, sweep or report ever finds it, and the
// meeting's start, participants and recordings stay with its host. The user is told why,
// and what would make it a full card (connecting Zoom, when they are not connected).
func (a *App) shareLinkOnly(req ShareRequest, m *zoom.Meeting, unconnected bool) (*model.Post, error) {
	args := i18n.Args{"id": m.ID, "link": linkTarget(m.JoinURL), "topic": escapeMarkdown(m.Topic)}
	post := &model.Post{Message: a.channelT("card.sharedLink", args)}
	model.ParseSlackAttachment(post, []*model.SlackAttachment{{
		// The fallback is plain text: nothing to escape.
		Fallback:  a.channelT("card.sharedLink", i18n.Args{"topic": m.Topic}) + " " + m.JoinURL,
		Title:     m.Topic, // plain text beside a title link
		TitleLink: m.JoinURL,
		Text:      a.channelT("card.meetingID", args) + "\n\n" + a.channelT("card.join", args),
	}})
	tell := "join.linkOnly"
	if unconnected {
		tell = "join.linkOnlyConnect"
		args["connect"] = a.ConnectLink(req.ChannelID, false)
	}
	return a.postLinkOnly(req, post, a.T(req.UserID, tell, args))
}

// postLinkOnly posts a share as the user and tells them why it is a link only.
func (a *App) postLinkOnly(req ShareRequest, post *model.Post, why string) (*model.Post, error) {
	post.UserId, post.ChannelId, post.RootId = req.UserID, req.ChannelID, req.RootID
	created, appErr := a.host.CreatePost(post)
	if appErr != nil {
		return nil, appErr
	}
	a.Reply(req.UserID, req.ChannelID, req.RootID, why)
	return created, nil
}

// explainShareError answers a share by meeting id that Zoom could not confirm.
func (a *App) explainShareError(req ShareRequest, id int64, err error) error {
	var ae *zoom.APIError
	switch {
	case !errors.As(err, &ae):
		return a.identityError(err, req.ChannelID, "join.connectFirst")
	case ae.StatusCode == http.StatusNotFound || ae.StatusCode == http.StatusForbidden:
		return a.userErrorT(KindNotFound, err, "join.noMeeting", i18n.Args{"id": id})
	}
	return a.zoomFailure(err, "zoom.action.readMeeting")
}

// SendUpcomingMeetings shows the user their upcoming meetings, each with a button that
// shares it in this channel.
func (a *App) SendUpcomingMeetings(ctx context.Context, userID, channelID, rootID string) error {
	who, err := a.identityFor(ctx, userID)
	if needsConnect(err) {
		a.Reply(userID, channelID, rootID, a.T(userID, "list.connectFirst", i18n.Args{"link": a.ConnectLink(channelID, false)}))
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
		a.Reply(userID, channelID, rootID, a.T(userID, "list.empty"))
		return nil
	}
	var atts []*model.SlackAttachment
	for _, m := range meetings[:min(len(meetings), maxListed)] {
		id := strconv.FormatInt(m.ID, 10)
		text := a.T(userID, "list.meetingID", i18n.Args{"id": id})
		if when := meetingWhen(m, a.T(userID, "list.timeLayout")); when != "" {
			text += "\n" + a.T(userID, "list.starts", i18n.Args{"time": when})
		}
		atts = append(atts, &model.SlackAttachment{
			Title: escapeMarkdown(cleanTopic(m.Topic)), // a title without a link is markdown
			Text:  text,
			Actions: []*model.PostAction{button("share"+id, a.T(userID, "list.share"), "", a.links.Share, map[string]any{
				"action": "share", "userID": userID, "channelID": channelID, "rootID": rootID, "meetingID": id,
			})},
		})
	}
	post := a.botCard(channelID, rootID, atts...)
	post.Message = a.T(userID, "list.title")
	if len(meetings) > maxListed {
		post.Message = a.T(userID, "list.titleFirst", i18n.Args{"count": maxListed})
	}
	a.host.SendEphemeralPost(userID, post)
	return nil
}

// meetingWhen is the meeting's start in its own time zone, laid out as layout.
func meetingWhen(m zoom.Meeting, layout string) string {
	t, err := time.Parse(time.RFC3339, m.StartTime)
	if err != nil {
		return ""
	}
	if loc, err := time.LoadLocation(m.Timezone); err == nil { // "" is UTC
		return t.In(loc).Format(layout)
	}
	return t.UTC().Format(layout)
}

// ShareFromList handles a click on "Share in this channel". The clicking user must be
// the user the list was for; the share then runs every check a /zoom join does. The
// list is answered once: it turns into the outcome, and /zoom list shows it again.
func (a *App) ShareFromList(ctx context.Context, sessionUserID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	str := func(k string) string { s, _ := req.Context[k].(string); return s }
	id, known := zoom.ParseMeetingID(str("meetingID"))
	known = known && str("action") == "share"
	if first, err := a.claimAnswer(sessionUserID, req, "list.notYours", known, "list.noMeeting"); !first {
		return &model.PostActionIntegrationResponse{}, err
	}
	post, err := a.ShareMeeting(ctx, ShareRequest{
		UserID: sessionUserID, ChannelID: str("channelID"), RootID: str("rootID"), Target: strconv.FormatInt(id, 10),
	})
	if err != nil {
		return a.closeCard(sessionUserID, str("rootID"), req, a.MessageFor(sessionUserID, err)), nil
	}
	shared := a.T(sessionUserID, "list.shared", i18n.Args{"topic": escapeMarkdown(propsOf(post).topic())})
	return a.closeCard(sessionUserID, str("rootID"), req, shared), nil
}
