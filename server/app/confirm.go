package app

import (
	"context"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
)

// Large-channel confirmation: a start in a channel with more members than
// LargeChannelThreshold first asks the user ("Start meeting" repeats the request as
// confirmed). Nothing is asked of Zoom before that, so a start still costs one Zoom call.

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
	if appErr != nil {
		a.host.LogWarn("Could not count the channel's members; starting without asking", "channel_id", req.ChannelID, "error", appErr.Error())
		return false
	}
	if stats == nil || stats.MemberCount <= int64(limit) {
		return false
	}
	t := a.translator(req.UserID)
	a.askBeforeStart(req, t("confirm.question", i18n.Args{"members": stats.MemberCount}), t("confirm.help"),
		button("confirmstart", t("confirm.start"), "primary", a.links.ConfirmStart, req.buttonContext(ConfirmActionStart)),
		button("confirmcancel", t("confirm.cancel"), "default", a.links.ConfirmStart, req.buttonContext(ConfirmActionCancel)))
	return true
}

// askBeforeStart shows req's user a question whose answers repeat the request.
func (a *App) askBeforeStart(req StartRequest, question, help string, answers ...*model.PostAction) {
	a.host.SendEphemeralPost(req.UserID, a.botCard(req.ChannelID, req.RootID, &model.SlackAttachment{
		Pretext: question,
		Text:    help,
		Actions: answers,
	}))
}

// ConfirmStart handles a click on the confirmation card, or on "Create a new meeting"
// on the recent-meeting card. The clicking user must be the user it was shown to. The
// card is answered once: Cancel removes it, a start turns it into its outcome.
func (a *App) ConfirmStart(ctx context.Context, sessionUserID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	action, _ := req.Context["action"].(string)
	known := action == ConfirmActionStart || action == ConfirmActionCancel
	if first, err := a.claimAnswer(sessionUserID, req, "action.notYours", known, "action.unknownAnswer"); !first {
		return &model.PostActionIntegrationResponse{}, err
	}
	if action == ConfirmActionCancel {
		return a.removeCard(sessionUserID, req), nil
	}
	start := startRequestFrom(sessionUserID, req.Context)
	start.Confirmed = true
	res, err := a.StartMeeting(ctx, start)
	return a.closeCard(sessionUserID, start.RootID, req, a.startOutcome(sessionUserID, res, err, "")), nil
}
