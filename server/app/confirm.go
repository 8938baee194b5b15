package app

import (
	"context"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
)

// Large-channel confirmation: a start in a channel with more members than
// LargeChannelThreshold first shows the user an ephemeral card with "Start meeting" and
// "Cancel"; "Start meeting" repeats the request as confirmed. The members are counted
// only while the threshold is on, and nothing is asked of Zoom before the user
// confirms, so a confirmed start still costs one Zoom call.

const (
	// ConfirmActionStart and ConfirmActionCancel are the card's button contexts.
	ConfirmActionStart  = "start"
	ConfirmActionCancel = "cancel"
)

// askLargeChannel shows the confirmation card when the channel is larger than the
// threshold and reports whether it did. A failure to count members is logged and
// lets the start go on: the question is a courtesy, not a permission.
func (a *App) askLargeChannel(limit int, req StartRequest) bool {
	if limit <= 0 || req.Confirmed || req.Force {
		return false
	}
	stats, appErr := a.host.GetChannelStats(req.ChannelID)
	if appErr != nil || stats == nil {
		if appErr != nil {
			a.host.LogWarn("Could not count the channel's members; starting without asking", "channel_id", req.ChannelID, "error", appErr.Error())
		}
		return false
	}
	if stats.MemberCount <= int64(limit) {
		return false
	}
	a.host.SendEphemeralPost(req.UserID, a.confirmCard(req, stats.MemberCount))
	return true
}

func (a *App) confirmCard(req StartRequest, members int64) *model.Post {
	button := func(id, name, action, style string) *model.PostAction {
		return &model.PostAction{
			Id: id, Name: name, Type: model.PostActionTypeButton, Style: style,
			Integration: &model.PostActionIntegration{URL: a.links.ConfirmStart, Context: map[string]any{
				"action": action, "userID": req.UserID, "channelID": req.ChannelID, "rootID": req.RootID,
				"topic": req.Topic, "usePMI": req.UsePMI, "connectionID": req.ConnectionID,
			}},
		}
	}
	post := &model.Post{UserId: a.botUserID, ChannelId: req.ChannelID, RootId: req.RootID}
	model.ParseSlackAttachment(post, []*model.SlackAttachment{{
		Pretext: a.t(req.UserID, "confirm.question", i18n.Args{"members": members}),
		Text:    a.t(req.UserID, "confirm.help"),
		Actions: []*model.PostAction{
			button("confirmstart", a.t(req.UserID, "confirm.start"), ConfirmActionStart, "primary"),
			button("confirmcancel", a.t(req.UserID, "confirm.cancel"), ConfirmActionCancel, "default"),
		},
	}})
	return post
}

// ConfirmStart handles a click on the confirmation card, or on "Create a new meeting"
// on the recent-meeting card. The clicking user must be the user it was shown to. The
// card is answered once: Cancel removes it, a start turns it into its outcome.
func (a *App) ConfirmStart(ctx context.Context, sessionUserID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	str, err := a.actionContext(sessionUserID, req, "action.notYours")
	if err != nil {
		return nil, err
	}
	action := str("action")
	if action != ConfirmActionStart && action != ConfirmActionCancel {
		return nil, a.userErrorT(KindBadInput, nil, "action.unknownAnswer")
	}
	if first, err := a.answerOnce(sessionUserID, req); err != nil || !first {
		return &model.PostActionIntegrationResponse{}, err
	}
	if action == ConfirmActionCancel {
		return a.removeCard(sessionUserID, req), nil
	}
	res, err := a.StartMeeting(ctx, StartRequest{
		UserID: sessionUserID, ChannelID: str("channelID"), RootID: str("rootID"), Topic: str("topic"),
		UsePMI: str("usePMI"), ConnectionID: str("connectionID"), Confirmed: true,
		Force: str("force") == "true", // "create new" on the recent-meeting card
	})
	return a.closeCard(sessionUserID, str("rootID"), req, a.startOutcome(sessionUserID, res, err, "")), nil
}
