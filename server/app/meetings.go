package app

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

const (
	defaultTopic = "Zoom Meeting"
	maxTopic     = 200
	// recentWindow is how far back the recent-meeting guard looks.
	recentWindow = 30 * time.Second
	// startClaimTTL bounds how long a crashed start can block its channel.
	startClaimTTL = 30 * time.Second
)

// StartRequest is one request to start a meeting, from any entry point.
type StartRequest struct {
	UserID, ChannelID, RootID string
	Topic                     string
	// UsePMI is "true" or "false" to decide for this start, "" to use the preference.
	UsePMI       string
	ConnectionID string
	// Force skips the recent-meeting guard ("create new" on the guard card).
	Force bool
	// Confirmed skips the large-channel question (the user answered it).
	Confirmed bool
}

// buttonContext is the context of a button that repeats the request (action says how).
func (r StartRequest) buttonContext(action string) map[string]any {
	return map[string]any{
		"action": action, "userID": r.UserID, "channelID": r.ChannelID, "rootID": r.RootID, "topic": r.Topic,
		"usePMI": r.UsePMI, "connectionID": r.ConnectionID, "confirmed": r.Confirmed || r.Force,
	}
}

// startRequestFrom reads back the request a button's context carries, for the user who
// clicked it.
func startRequestFrom(userID string, fields map[string]any) StartRequest {
	str := func(k string) string { s, _ := fields[k].(string); return s }
	return StartRequest{
		UserID: userID, ChannelID: str("channelID"), RootID: str("rootID"), Topic: str("topic"),
		UsePMI: str("usePMI"), ConnectionID: str("connectionID"), Confirmed: fields["confirmed"] == true,
		Force: str("force") == "true", // "create new" on the guard card
	}
}

// StartResult says what happened. JoinURL is empty when the user got an ephemeral
// answer instead of a meeting (a question, the guard card, a connect link).
type StartResult struct {
	JoinURL string
	PostID  string
}

// StartMeeting is the one start path: restriction, membership, Zoom identity,
// recent-meeting guard, meeting ID preference, card, websocket.
func (a *App) StartMeeting(ctx context.Context, req StartRequest) (StartResult, error) {
	snap, err := a.snap()
	if err != nil {
		return StartResult{}, err
	}
	req.Topic = cleanTopic(req.Topic)
	if err := a.checkMayPost(snap.settings.RestrictMeetingCreation, req.ChannelID, req.RootID, req.UserID, "start.notMember", "channel.readOnly"); err != nil {
		return StartResult{}, err
	}
	if a.askLargeChannel(snap.settings.LargeChannelLimit(), req) {
		return StartResult{}, nil
	}

	who, err := a.identityFor(ctx, req.UserID)
	if err != nil {
		return StartResult{}, a.explainIdentityError(req, err)
	}

	if !req.Force {
		claimed, err := a.claimChannel(req)
		if err != nil || !claimed {
			return StartResult{}, err
		}
		defer a.releaseChannel(req.ChannelID)
	}

	usePMI := req.UsePMI
	if !isMeetingIDChoice(usePMI) {
		if usePMI, err = a.userPreference(req.UserID); err != nil {
			return StartResult{}, err
		}
		if !isMeetingIDChoice(usePMI) {
			a.askPMIQuestion(req)
			return StartResult{}, nil
		}
	}

	meeting, hint, err := a.createZoomMeeting(ctx, who, req.Topic, usePMI == store.PreferencePMI)
	if err != nil {
		return StartResult{}, err
	}
	user, err := a.profile(req.UserID)
	if err != nil {
		return StartResult{}, err
	}
	post, appErr := a.host.CreatePost(a.buildCard(meetingCard{
		ChannelID: req.ChannelID, RootID: req.RootID, UserID: req.UserID,
		MeetingID: meeting.ID, UUID: meeting.UUID, JoinURL: meeting.JoinURL, Topic: req.Topic,
		Personal: meeting.PMI != "", CreatorUsername: user.username, StartTime: a.now(),
	}))
	if appErr != nil {
		return StartResult{}, appErr
	}
	a.rememberCard(meeting, post, req.UserID)
	if hint != "" {
		a.Reply(req.UserID, req.ChannelID, req.RootID, a.T(req.UserID, hint))
	}
	broadcast := &model.WebsocketBroadcast{UserId: req.UserID, ConnectionId: req.ConnectionID}
	a.host.PublishWebSocketEvent("meeting_started", map[string]any{"meeting_url": meeting.JoinURL}, broadcast)
	return StartResult{JoinURL: meeting.JoinURL, PostID: post.Id}, nil
}

// checkMayPost is every start and share path's check: valid ids, the channel's meeting
// rule, membership, and the right to post in the channel; notMember and readOnly are
// the messages for the last two refusals. The plugin's CreatePost skips Mattermost's
// permission checks, so without the last one a member of a read-only channel could post
// cards there.
func (a *App) checkMayPost(restrictPublic bool, channelID, rootID, userID, notMember, readOnly string) error {
	if !isID(channelID) || (rootID != "" && !isID(rootID)) {
		return a.userErrorT(KindBadInput, nil, "start.noChannel")
	}
	if err := a.checkChannelAllows(restrictPublic, channelID); err != nil {
		return err
	}
	if _, appErr := a.host.GetChannelMember(channelID, userID); appErr != nil {
		return a.userErrorT(KindForbidden, ErrForbidden, notMember)
	}
	if !a.host.HasPermissionToChannel(userID, channelID, model.PermissionCreatePost) {
		return a.userErrorT(KindForbidden, ErrForbidden, readOnly)
	}
	return nil
}

// createZoomMeeting makes the one Zoom call of a start. A PMI that Zoom refuses (none,
// or disabled by the admin) falls back to a new meeting with a hint. Zoom names the
// meeting's PMI only when it is held in the personal room.
func (a *App) createZoomMeeting(ctx context.Context, who *identity, topic string, usePMI bool) (*zoom.Meeting, string, error) {
	req := zoom.CreateMeetingRequest{Topic: topic, Type: zoom.MeetingTypeInstant}
	if usePMI {
		req.Settings = &zoom.MeetingSettings{UsePMI: true}
	}
	meeting, err := who.snap.zoom.CreateMeeting(ctx, who.accessToken, who.zoomUserID, req)
	var apiErr *zoom.APIError
	if err != nil && usePMI && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest {
		req.Settings = nil
		meeting, err = who.snap.zoom.CreateMeeting(ctx, who.accessToken, who.zoomUserID, req)
		if err == nil {
			return meeting, "start.pmiFallback", nil // a message id
		}
	}
	if err != nil {
		return nil, "", a.zoomFailure(err, "zoom.action.createMeeting")
	}
	return meeting, "", nil
}

// rememberCard stores the mappings webhooks use to find the card. Failures are logged:
// the card is posted, only its ending could be missed. A meeting that already has a card
// keeps its first card's mappings and joins the cards' index (cardgroup.go).
func (a *App) rememberCard(meeting *zoom.Meeting, post *model.Post, userID string) {
	var others []string
	// A meeting shared by link alone has no uuid to map.
	if meeting.UUID != "" {
		owner, err := a.kv.ClaimMeetingPost(meeting.UUID, post.Id)
		if err != nil {
			a.host.LogWarn("Could not remember the meeting's card", "error", err.Error())
		} else if owner != post.Id {
			others = append(others, owner)
		}
	}
	a.trackOpenCard(post, meeting.ID, meeting.UUID, userID)
	mc := store.MeetingChannel{ChannelID: post.ChannelId, CreatedBy: userID, PostID: post.Id}
	ids := []int64{meeting.ID}
	// Zoom reports a meeting held in a personal room under the PMI, with a new uuid,
	// so the card must be findable by the PMI too.
	if pmi, err := strconv.ParseInt(meeting.PMI, 10, 64); err == nil && pmi > 0 && pmi != meeting.ID {
		ids = append(ids, pmi)
	}
	subscribed := false
	for _, id := range ids {
		previous, err := a.kv.SaveMeetingChannel(id, mc)
		if err != nil {
			a.host.LogWarn("Could not remember the meeting's channel", "error", err.Error())
			continue
		}
		subscribed = subscribed || previous.IsSubscription
		if previous.PostID != "" && previous.PostID != post.Id {
			others = append(others, previous.PostID)
		}
	}
	if len(others) > 0 || subscribed {
		a.joinCardGroup(ids, post, others, subscribed)
	}
}

// explainIdentityError answers a start that has no usable Zoom identity.
func (a *App) explainIdentityError(req StartRequest, err error) error {
	if !needsConnect(err) {
		return a.identityError(err, req.ChannelID, "start.connectFirst")
	}
	pending := store.PendingMeeting{ChannelID: req.ChannelID, RootID: req.RootID, Topic: req.Topic, UsePMI: req.UsePMI, ConnectionID: req.ConnectionID, Confirmed: req.Confirmed || req.Force}
	if err := a.kv.SavePendingMeeting(req.UserID, pending); err != nil {
		return err
	}
	id := "start.connectFirst"
	if errors.Is(err, ErrReconnect) {
		id = "start.reconnect"
	}
	a.Reply(req.UserID, req.ChannelID, req.RootID, a.T(req.UserID, id, i18n.Args{"link": a.ConnectLink(req.ChannelID, true)}))
	return nil
}

// needsConnect reports an identity error the user fixes by connecting (again) to Zoom.
func needsConnect(err error) bool {
	return errors.Is(err, ErrNotConnected) || errors.Is(err, ErrReconnect)
}

// identityError explains a missing or unusable Zoom identity: connectID (a message
// with a {link} to connect) when the user must connect, or that the account-level
// connection is missing. Other errors pass through.
func (a *App) identityError(err error, channelID, connectID string) error {
	switch {
	case needsConnect(err):
		return a.userErrorT(KindUnauthorized, err, connectID, i18n.Args{"link": a.ConnectLink(channelID, false)})
	case errors.Is(err, ErrAdminNotConnected):
		return a.userErrorT(KindUnavailable, err, "start.adminNotConnected")
	}
	return err
}

// claimChannel implements the recent-meeting guard. A card posted in the last 30
// seconds gets the user the guard card; a start already under way in another request
// (a double click, two people at once) is found through an insert-if-absent claim, so
// two simultaneous starts make one meeting. false means the user got the guard card.
func (a *App) claimChannel(req StartRequest) (bool, error) {
	recent := a.recentCard(req.ChannelID)
	if recent == nil {
		claimed, err := a.kv.ClaimChannelStart(req.ChannelID, req.UserID, startClaimTTL)
		if err != nil || claimed {
			return claimed, err
		}
		// Another start holds the channel. Its card may already be there.
		recent = a.recentCard(req.ChannelID)
	}
	a.sendGuardCard(req, recent)
	return false, nil
}

func (a *App) releaseChannel(channelID string) {
	if err := a.kv.ReleaseChannelStart(channelID); err != nil {
		a.host.LogWarn("Could not release the channel's start claim", "error", err.Error())
	}
}

func (a *App) recentCard(channelID string) *model.Post {
	since := a.now().Add(-recentWindow).UnixMilli()
	list, appErr := a.host.GetPostsSince(channelID, since)
	if appErr != nil || list == nil {
		return nil
	}
	var newest *model.Post
	for _, p := range list.Posts {
		if p.CreateAt >= since && (newest == nil || p.CreateAt > newest.CreateAt) && a.isOurOpenCard(p) {
			newest = p
		}
	}
	return newest
}

// isOurOpenCard reports whether a post is an open meeting card this plugin posted. Any
// member can post a look-alike, and the guard shows its link to whoever starts a
// meeting, so the card must be one we track, made by a plugin, linking to our Zoom.
func (a *App) isOurOpenCard(p *model.Post) bool {
	card := propsOf(p)
	if !card.open() || !card.fromPlugin() {
		return false
	}
	if s := a.Settings(); s == nil || !s.IsZoomHost(card.link()) {
		return false
	}
	rec, err := a.kv.GetOpenCard(p.Id)
	return err == nil && rec.PostID == p.Id && rec.ChannelID == p.ChannelId
}

// sendGuardCard shows the RECENTLY_CREATED card. recent may be nil when the other start
// has not posted yet; the card then says a meeting is on its way.
func (a *App) sendGuardCard(req StartRequest, recent *model.Post) {
	// Mattermost turns every ephemeral post into a system message, so the card's own
	// renderer never shows it: the "create new" choice must be a message button.
	createNew := req.buttonContext(ConfirmActionStart)
	createNew["force"] = "true"
	post := a.botCard(req.ChannelID, req.RootID, &model.SlackAttachment{Actions: []*model.PostAction{
		button("guardcreatenew", a.T(req.UserID, "guard.createNew"), "", a.links.ConfirmStart, createNew),
	}})
	post.Type = PostTypeMeeting
	props := propsOf(post)
	props.setStatus(StatusRecentlyCreated)
	props.setTopic(req.Topic)
	props.setProvider()
	post.Message = a.T(req.UserID, "guard.starting")
	if recent != nil {
		link, creator := propsOf(recent).link(), propsOf(recent).creator()
		if !model.IsValidUsername(creator) {
			creator = "" // a username is a mention, nothing else
		}
		props.setLink(link)
		props.setCreator(creator)
		post.Message = a.T(req.UserID, "guard.recent")
		if creator != "" {
			post.Message = a.T(req.UserID, "guard.recentBy", i18n.Args{"creator": creator})
		}
		if link != "" {
			post.Message += "\n\n" + a.T(req.UserID, "guard.join", i18n.Args{"link": linkTarget(link)})
		}
	}
	a.host.SendEphemeralPost(req.UserID, post)
}

// isMeetingIDChoice reports whether pref decides between the PMI and a new meeting id.
func isMeetingIDChoice(pref string) bool {
	return pref == store.PreferencePMI || pref == store.PreferenceUnique
}

func cleanTopic(topic string) string {
	topic = strings.TrimSpace(strings.ReplaceAll(topic, "\n", " "))
	if topic == "" {
		return defaultTopic
	}
	if r := []rune(topic); len(r) > maxTopic {
		topic = string(r[:maxTopic])
	}
	return topic
}
