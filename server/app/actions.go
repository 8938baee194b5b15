package app

import (
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Cards with buttons that the bot shows one user are ephemeral: Mattermost keeps no copy,
// so an action's `update` answer cannot change them (the click fails). A click replaces
// or removes its card itself through the API and answers with an empty response.

// answeredTTL outlives any browser tab that could still show the card's buttons.
const answeredTTL = 24 * time.Hour

// botCard is a card from the bot made of attachments, for an ephemeral post.
func (a *App) botCard(channelID, rootID string, atts ...*model.SlackAttachment) *model.Post {
	post := &model.Post{UserId: a.botUserID, ChannelId: channelID, RootId: rootID}
	model.ParseSlackAttachment(post, atts)
	return post
}

// button is a message button that sends context to url.
func button(id, name, style, url string, context map[string]any) *model.PostAction {
	return &model.PostAction{
		Id: id, Name: name, Type: model.PostActionTypeButton, Style: style,
		Integration: &model.PostActionIntegration{URL: url, Context: context},
	}
}

// claimAnswer checks a click on a one-time card and claims the card for it. Whoever
// clicked must be the context's userID (and the request's user, when it names one),
// else notYours is the message; a context the card cannot have sent (known false) gets
// badAnswer. false with a nil error means the card was answered already (a double
// click, a stale tab) and the click must do nothing. A request that names no card did
// not come from a click and is not tracked.
func (a *App) claimAnswer(sessionUserID string, req *model.PostActionIntegrationRequest, notYours string, known bool, badAnswer string) (bool, error) {
	if userID, _ := req.Context["userID"].(string); userID != sessionUserID || req.UserId != "" && req.UserId != sessionUserID {
		return false, a.userErrorT(KindForbidden, ErrForbidden, notYours)
	}
	if !known {
		return false, a.userErrorT(KindBadInput, nil, badAnswer)
	}
	if !isID(req.PostId) {
		return true, nil
	}
	return a.kv.MarkAnswered(sessionUserID, req.PostId, answeredTTL)
}

// replaceCard shows post in place of the clicked ephemeral card: same id and channel,
// the bot as author, the card's thread. Without a card to replace (a request not made
// by a click), the user gets fallback as the click's ephemeral text instead.
func (a *App) replaceCard(userID, rootID string, req *model.PostActionIntegrationRequest, post *model.Post, fallback string) *model.PostActionIntegrationResponse {
	if !isID(req.PostId) || !isID(req.ChannelId) {
		return &model.PostActionIntegrationResponse{EphemeralText: fallback}
	}
	if !isID(rootID) {
		rootID = ""
	}
	post.Id, post.ChannelId, post.RootId, post.UserId = req.PostId, req.ChannelId, rootID, a.botUserID
	post.CreateAt = a.now().UnixMilli() // the server sends the post as given; 0 would show as 1970
	a.host.UpdateEphemeralPost(userID, post)
	return &model.PostActionIntegrationResponse{}
}

// closeCard replaces the clicked card with a short message and no buttons.
func (a *App) closeCard(userID, rootID string, req *model.PostActionIntegrationRequest, message string) *model.PostActionIntegrationResponse {
	return a.replaceCard(userID, rootID, req, &model.Post{Message: message}, message)
}

// removeCard deletes the clicked ephemeral card from the user's view.
func (a *App) removeCard(userID string, req *model.PostActionIntegrationRequest) *model.PostActionIntegrationResponse {
	if isID(req.PostId) {
		a.host.DeleteEphemeralPost(userID, req.PostId)
	}
	return &model.PostActionIntegrationResponse{}
}
