package app

import (
	"context"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// Contexts of the PMI question's buttons (SPEC §5.5): exact strings.
const (
	ActionUsePMI    = "USE PERSONAL MEETING ID"
	ActionUseUnique = "USE A UNIQUE MEETING ID"

	askPMIPath    = "/plugins/zoom/api/v1/askPMI"
	updatePMIPath = "/plugins/zoom/api/v1/updatePMI"

	// The old Mattermost preference the original plugin used before the KV key.
	legacyPreferenceCategory = "plugin:zoom"
	legacyPreferenceName     = "use-pmi"
)

// userPreference returns "true", "false", "ask" or "" (never chose). A preference left
// in Mattermost's preferences by older versions is moved into the KV on first read.
func (a *App) userPreference(userID string) (string, error) {
	pref, err := a.kv.GetUserPreference(userID)
	if err != nil || pref != "" {
		return pref, err
	}
	prefs, appErr := a.host.GetPreferencesForUser(userID)
	if appErr != nil {
		return "", nil // no migration possible now; ask instead
	}
	for _, p := range prefs {
		if p.Category != legacyPreferenceCategory || p.Name != legacyPreferenceName {
			continue
		}
		switch p.Value {
		case store.PreferencePMI, store.PreferenceUnique, store.PreferenceAsk:
			if _, err := a.kv.SetUserPreferenceIfUnset(userID, p.Value); err != nil {
				return "", err
			}
			if appErr := a.host.DeletePreferencesForUser(userID, []model.Preference{p}); appErr != nil {
				a.host.LogWarn("Could not delete the migrated preference", "error", appErr.Error())
			}
			return a.kv.GetUserPreference(userID)
		}
	}
	return "", nil
}

func (a *App) askPMIQuestion(req StartRequest) {
	button := func(name, action string) *model.PostAction {
		return &model.PostAction{
			Id: actionID(action), Name: name, Type: model.PostActionTypeButton,
			Integration: &model.PostActionIntegration{URL: askPMIPath, Context: map[string]any{
				"action": action, "userID": req.UserID, "channelID": req.ChannelID, "rootID": req.RootID,
				"topic": req.Topic, "connectionID": req.ConnectionID, "confirmed": req.Confirmed || req.Force,
			}},
		}
	}
	post := &model.Post{UserId: a.botUserID, ChannelId: req.ChannelID, RootId: req.RootID}
	model.ParseSlackAttachment(post, []*model.SlackAttachment{{
		Pretext: "Which meeting ID should this meeting use?",
		Text:    "Your Personal Meeting ID (PMI) is always the same link; a unique ID is new for each meeting. Your first answer is remembered; change it any time with /zoom settings.",
		Actions: []*model.PostAction{
			button("Use Personal Meeting ID", ActionUsePMI),
			button("Use a unique meeting ID", ActionUseUnique),
		},
	}})
	a.host.SendEphemeralPost(req.UserID, post)
}

func actionID(action string) string {
	switch action {
	case ActionUsePMI:
		return "usepmi"
	case ActionUseUnique:
		return "useunique"
	}
	return "action"
}

// AnswerPMIQuestion handles a click on the PMI question. The clicking user must be the
// user the question was for.
func (a *App) AnswerPMIQuestion(ctx context.Context, sessionUserID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	str := func(k string) string { s, _ := req.Context[k].(string); return s }
	if str("userID") != sessionUserID || req.UserId != "" && req.UserId != sessionUserID {
		return nil, userError(http.StatusForbidden, ErrForbidden, "This question was for someone else.")
	}
	var choice string
	switch str("action") {
	case ActionUsePMI:
		choice = store.PreferencePMI
	case ActionUseUnique:
		choice = store.PreferenceUnique
	default:
		return nil, userError(http.StatusBadRequest, nil, "Unknown answer; start the meeting again.")
	}
	if _, err := a.kv.SetUserPreferenceIfUnset(sessionUserID, choice); err != nil {
		return nil, err
	}
	_, err := a.StartMeeting(ctx, StartRequest{
		UserID: sessionUserID, ChannelID: str("channelID"), RootID: str("rootID"),
		Topic: str("topic"), UsePMI: choice, ConnectionID: str("connectionID"), Confirmed: req.Context["confirmed"] == true,
	})
	resp := &model.PostActionIntegrationResponse{Update: &model.Post{Message: "Starting your meeting…"}}
	if err != nil {
		resp.Update.Message = MessageOf(err)
		return resp, nil
	}
	if choice == store.PreferencePMI {
		resp.Update.Message = "Meeting started with your Personal Meeting ID."
	} else {
		resp.Update.Message = "Meeting started with a unique meeting ID."
	}
	return resp, nil
}

// SettingsCard is the ephemeral /zoom settings card.
func (a *App) SettingsCard(userID, channelID string) *model.Post {
	pref, _ := a.userPreference(userID)
	post := &model.Post{UserId: a.botUserID, ChannelId: channelID}
	model.ParseSlackAttachment(post, []*model.SlackAttachment{settingsAttachment(pref)})
	return post
}

func settingsAttachment(pref string) *model.SlackAttachment {
	current := "Ask each time"
	switch pref {
	case store.PreferencePMI:
		current = "Yes, always use my Personal Meeting ID"
	case store.PreferenceUnique:
		current = "No, always use a unique meeting ID"
	}
	button := func(name string) *model.PostAction {
		return &model.PostAction{
			Id: "pmi" + name, Name: name, Type: model.PostActionTypeButton,
			Integration: &model.PostActionIntegration{URL: updatePMIPath, Context: map[string]any{"action": name}},
		}
	}
	return &model.SlackAttachment{
		Title:   "Zoom settings",
		Text:    "Use your Personal Meeting ID for meetings you start here?\nCurrent choice: **" + current + "**",
		Actions: []*model.PostAction{button("Yes"), button("No"), button("Ask")},
	}
}

// UpdatePMI stores the choice made on the settings card and returns the card to show
// in its place.
func (a *App) UpdatePMI(userID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	if req.UserId != "" && req.UserId != userID {
		return nil, userError(http.StatusForbidden, ErrForbidden, "This card belongs to someone else.")
	}
	action, _ := req.Context["action"].(string)
	var pref string
	switch action {
	case "Yes":
		pref = store.PreferencePMI
	case "No":
		pref = store.PreferenceUnique
	case "Ask":
		pref = store.PreferenceAsk
	default:
		return nil, userError(http.StatusBadRequest, nil, "Unknown choice; run /zoom settings again.")
	}
	if err := a.kv.SetUserPreference(userID, pref); err != nil {
		return nil, err
	}
	update := &model.Post{}
	model.ParseSlackAttachment(update, []*model.SlackAttachment{settingsAttachment(pref)})
	return &model.PostActionIntegrationResponse{Update: update, EphemeralText: "Saved. Meetings you start from now on follow this choice."}, nil
}
