package devhost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// ExecuteCommand runs a slash command as Mattermost's server does: the
// user must be allowed to post in the channel; CommandArgs carry team, Site
// URL and a fresh trigger id; a reply is posted ephemerally to the user (or
// in the channel for response_type "in_channel").
func (h *Host) ExecuteCommand(userID, channelID, rootID, text string) (*model.CommandResponse, error) {
	resp, appErr := h.executeCommand(userID, channelID, "", rootID, text)
	if appErr != nil {
		return nil, appErr
	}
	return resp, nil
}

func (h *Host) executeCommand(userID, channelID, teamID, rootID, text string) (*model.CommandResponse, *model.AppError) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") {
		return nil, badRequest("ExecuteCommand", "a command starts with /")
	}
	ch, appErr := h.store.Channel(channelID)
	if appErr != nil {
		return nil, appErr
	}
	if !h.hasChannelPermission(userID, channelID, model.PermissionCreatePost) {
		return nil, model.NewAppError("ExecuteCommand", "api.command.execute_command.permission", nil,
			"the user may not post in this channel", http.StatusForbidden)
	}
	if teamID == "" {
		teamID = ch.TeamId
	}
	if teamID == "" { // DMs belong to no team; the webapp sends the current one
		if teams := h.store.Teams(); len(teams) > 0 {
			teamID = teams[0].Id
		}
	}

	trigger := strings.ToLower(strings.TrimPrefix(strings.Fields(text)[0], "/"))
	if !h.commands.has(trigger) {
		return nil, model.NewAppError("ExecuteCommand", "api.command.execute_command.not_found.app_error", nil,
			"command /"+trigger+" not found", http.StatusNotFound)
	}
	hooks, err := h.hooks()
	if err != nil {
		return nil, model.NewAppError("ExecuteCommand", "devhost.inactive", nil, err.Error(), http.StatusServiceUnavailable)
	}

	token := h.tokenFor(userID)
	_, sid := h.store.Session(token)
	args := &model.CommandArgs{
		UserId:    userID,
		ChannelId: channelID,
		TeamId:    teamID,
		RootId:    rootID,
		ParentId:  rootID,
		TriggerId: h.newTriggerID(userID),
		Command:   text,
		SiteURL:   h.siteURL,
	}
	resp, appErr := hooks.ExecuteCommand(&plugin.Context{SessionId: sid, RequestId: model.NewId()}, args)
	if appErr != nil {
		return nil, appErr
	}
	if resp == nil {
		return nil, model.NewAppError("ExecuteCommand", "api.command.execute_command.not_found.app_error", nil,
			"the plugin returned no response for /"+trigger, http.StatusNotFound)
	}
	h.postCommandResponse(userID, channelID, rootID, resp)
	return resp, nil
}

// postCommandResponse shows the command's reply like the server does.
func (h *Host) postCommandResponse(userID, channelID, rootID string, resp *model.CommandResponse) {
	if resp.Text == "" && len(resp.Attachments) == 0 {
		return
	}
	post := &model.Post{UserId: userID, ChannelId: channelID, RootId: rootID, Message: resp.Text, Type: resp.Type}
	post.SetProps(maps.Clone(resp.Props))
	if len(resp.Attachments) > 0 {
		post.AddProp(model.PostPropsAttachments, resp.Attachments)
	}
	if resp.ResponseType == model.CommandResponseTypeInChannel {
		if _, appErr := h.store.CreatePost(post, false); appErr != nil {
			h.record("warn", "devhost: cannot post the command response", map[string]any{"error": appErr.Error()})
		}
		return
	}
	h.store.SendEphemeral(userID, post)
}

// ClickAction clicks a message button, as Mattermost's server handles it, as userID on a stored post
// or on one of the user's ephemeral posts, and applies the plugin's answer.
func (h *Host) ClickAction(userID, postID, actionID string) (*model.PostActionIntegrationResponse, error) {
	resp, _, appErr := h.doPostAction(userID, postID, actionID, "")
	if appErr != nil {
		return nil, appErr
	}
	return resp, nil
}

func (h *Host) doPostAction(userID, postID, actionID, selected string) (*model.PostActionIntegrationResponse, string, *model.AppError) {
	post, ephemeral := h.store.Ephemeral(userID, postID)
	if !ephemeral {
		var appErr *model.AppError
		if post, appErr = h.store.Post(postID); appErr != nil {
			return nil, "", appErr
		}
	}
	// The server checks the stored post's channel, or for an ephemeral post the channel
	// its action cookie names: the user must still be able to read it.
	if !h.hasChannelPermission(userID, post.ChannelId, model.PermissionReadChannelContent) {
		return nil, "", model.NewAppError("DoPostAction", "api.context.permissions.app_error", nil, "", http.StatusForbidden)
	}
	action := post.GetAction(actionID)
	if action == nil || action.Integration == nil || action.Integration.URL == "" {
		return nil, "", notFound("DoPostAction", "action")
	}

	user, appErr := h.store.User(userID)
	if appErr != nil {
		return nil, "", appErr
	}
	req := model.PostActionIntegrationRequest{
		UserId: userID, UserName: user.Username, ChannelId: post.ChannelId, PostId: postID,
		Type: action.Type, DataSource: action.DataSource, Context: maps.Clone(action.Integration.Context),
	}
	if ch, appErr := h.store.Channel(post.ChannelId); appErr == nil {
		req.ChannelName, req.TeamId = ch.Name, ch.TeamId
		if t, appErr := h.store.Team(ch.TeamId); appErr == nil {
			req.TeamName = t.Name
		}
	}
	if selected != "" {
		if req.Context == nil {
			req.Context = map[string]any{}
		}
		req.Context["selected_option"] = selected
	}
	clientTriggerID, _, appErr := req.GenerateTriggerId(h.store.triggerKey)
	if appErr != nil {
		return nil, "", appErr
	}

	body, status, err := h.callIntegration(userID, action.Integration.URL, req)
	if err != nil {
		return nil, "", model.NewAppError("DoPostAction", "devhost.action", nil, err.Error(), http.StatusBadRequest)
	}
	if status != http.StatusOK {
		return nil, "", model.NewAppError("DoPostAction", "api.post.do_action.action_integration.app_error", nil,
			fmt.Sprintf("the integration answered %d: %s", status, body), http.StatusBadRequest)
	}
	var resp model.PostActionIntegrationResponse
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &resp); err != nil {
			return nil, "", model.NewAppError("DoPostAction", "api.post.do_action.action_integration.app_error", nil,
				"unparseable integration response: "+err.Error(), http.StatusBadRequest)
		}
	}
	if appErr := h.applyActionResponse(userID, post, ephemeral, &resp); appErr != nil {
		return nil, "", appErr
	}
	return &resp, clientTriggerID, nil
}

// applyActionResponse replaces the post with `update` and shows `ephemeral_text` to
// the clicker, as the server does: `update` goes through UpdatePost, which fails for
// an ephemeral post (the server never stored it), and then the click fails, the card
// stays as it was and no `ephemeral_text` is shown. A plugin changes its ephemeral
// cards with UpdateEphemeralPost / DeleteEphemeralPost instead.
func (h *Host) applyActionResponse(userID string, post *model.Post, ephemeral bool, resp *model.PostActionIntegrationResponse) *model.AppError {
	if resp.Update != nil {
		if ephemeral {
			return model.NewAppError("UpdatePost", "app.post.get.app_error", nil,
				"the action answered with `update` for ephemeral post "+post.Id+", which the server never stored", http.StatusNotFound)
		}
		upd := resp.Update.Clone()
		upd.Id = post.Id
		// The server keeps these props of the original whatever the update says.
		for _, k := range []string{model.PostPropsFromWebhook, model.PostPropsOverrideUsername, model.PostPropsOverrideIconURL} {
			if v, ok := post.GetProps()[k]; ok {
				upd.AddProp(k, v)
			} else {
				upd.DelProp(k)
			}
		}
		if _, appErr := h.store.UpdatePost(upd, false); appErr != nil {
			return appErr
		}
	}
	if resp.EphemeralText != "" {
		h.store.SendEphemeral(userID, &model.Post{UserId: userID, ChannelId: post.ChannelId, RootId: post.RootId, Message: resp.EphemeralText})
	}
	return nil
}

// SubmitDialog submits a dialog as userID, as Mattermost's server does: the user id comes
// from the session, never from the request.
func (h *Host) SubmitDialog(userID string, req model.SubmitDialogRequest) (*model.SubmitDialogResponse, error) {
	resp, appErr := h.submitDialog(userID, req)
	if appErr != nil {
		return nil, appErr
	}
	return resp, nil
}

func (h *Host) submitDialog(userID string, req model.SubmitDialogRequest) (*model.SubmitDialogResponse, *model.AppError) {
	if req.URL == "" {
		return nil, badRequest("SubmitDialog", "missing url")
	}
	req.UserId = userID
	req.Type = "dialog_submission"
	if req.ChannelId != "" && !h.hasChannelPermission(userID, req.ChannelId, model.PermissionReadChannel) {
		return nil, model.NewAppError("SubmitDialog", "api.context.permissions.app_error", nil, "", http.StatusForbidden)
	}
	body, status, err := h.callIntegration(userID, req.URL, req)
	if err != nil {
		return nil, model.NewAppError("SubmitDialog", "devhost.dialog", nil, err.Error(), http.StatusBadRequest)
	}
	if status != http.StatusOK {
		return nil, model.NewAppError("SubmitDialog", "api.dialog.submit.app_error", nil,
			fmt.Sprintf("the integration answered %d: %s", status, body), http.StatusBadRequest)
	}
	var resp model.SubmitDialogResponse
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &resp); err != nil {
			return nil, model.NewAppError("SubmitDialog", "api.dialog.submit.app_error", nil,
				"unparseable dialog response: "+err.Error(), http.StatusBadRequest)
		}
	}
	return &resp, nil
}

// callIntegration POSTs payload to a plugin URL in-process, through the same
// routing as a browser request, with userID's session and no Content-Type
// (as the server delivers actions and dialogs to plugins).
func (h *Host) callIntegration(userID, rawURL string, payload any) ([]byte, int, error) {
	path := strings.TrimPrefix(rawURL, h.siteURL)
	prefix := "/plugins/" + h.manifest.Id
	if path != prefix && !strings.HasPrefix(path, prefix+"/") && !strings.HasPrefix(path, prefix+"?") {
		return nil, 0, fmt.Errorf("devhost only delivers to this plugin's URLs (%s/...), not %q", prefix, rawURL)
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, 0, err
	}
	r, err := http.NewRequest(http.MethodPost, path, bytes.NewReader(b))
	if err != nil {
		return nil, 0, err
	}
	r.RequestURI = path
	r.RemoteAddr = "127.0.0.1:0"
	r.Header.Set("Authorization", "Bearer "+h.tokenFor(userID))
	w := httptest.NewRecorder()
	h.servePlugin(w, r)
	return w.Body.Bytes(), w.Code, nil
}
