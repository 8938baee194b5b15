package app

import (
	"context"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
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
		Pretext: a.t(req.UserID, "pmi.question"),
		Text:    a.t(req.UserID, "pmi.questionHelp"),
		Actions: []*model.PostAction{
			button(a.t(req.UserID, "pmi.usePMI"), ActionUsePMI),
			button(a.t(req.UserID, "pmi.useUnique"), ActionUseUnique),
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
	str, err := a.actionContext(sessionUserID, req, "action.notYours")
	if err != nil {
		return nil, err
	}
	var choice string
	switch str("action") {
	case ActionUsePMI:
		choice = store.PreferencePMI
	case ActionUseUnique:
		choice = store.PreferenceUnique
	default:
		return nil, a.userErrorT(http.StatusBadRequest, nil, "action.unknownAnswer")
	}
	if _, err := a.kv.SetUserPreferenceIfUnset(sessionUserID, choice); err != nil {
		return nil, err
	}
	_, err = a.StartMeeting(ctx, StartRequest{
		UserID: sessionUserID, ChannelID: str("channelID"), RootID: str("rootID"),
		Topic: str("topic"), UsePMI: choice, ConnectionID: str("connectionID"), Confirmed: req.Context["confirmed"] == true,
	})
	resp := &model.PostActionIntegrationResponse{Update: &model.Post{}}
	if err != nil {
		resp.Update.Message = a.MessageFor(sessionUserID, err)
		return resp, nil
	}
	if choice == store.PreferencePMI {
		resp.Update.Message = a.t(sessionUserID, "pmi.startedPMI")
	} else {
		resp.Update.Message = a.t(sessionUserID, "pmi.startedUnique")
	}
	return resp, nil
}

// SettingsCard is the ephemeral /zoom settings card.
func (a *App) SettingsCard(userID, channelID string) *model.Post {
	pref, _ := a.userPreference(userID)
	post := &model.Post{UserId: a.botUserID, ChannelId: channelID}
	model.ParseSlackAttachment(post, []*model.SlackAttachment{a.settingsAttachment(userID, pref)})
	return post
}

// settingsAttachment is the settings card. The buttons' contexts are SPEC's exact
// "Yes"/"No"/"Ask"; only their labels are translated.
func (a *App) settingsAttachment(userID, pref string) *model.SlackAttachment {
	current := a.t(userID, "settings.currentAsk")
	switch pref {
	case store.PreferencePMI:
		current = a.t(userID, "settings.currentYes")
	case store.PreferenceUnique:
		current = a.t(userID, "settings.currentNo")
	}
	button := func(action, label string) *model.PostAction {
		return &model.PostAction{
			Id: "pmi" + action, Name: a.t(userID, label), Type: model.PostActionTypeButton,
			Integration: &model.PostActionIntegration{URL: updatePMIPath, Context: map[string]any{"action": action}},
		}
	}
	return &model.SlackAttachment{
		Title:   a.t(userID, "settings.title"),
		Text:    a.t(userID, "settings.text", i18n.Args{"current": current}),
		Actions: []*model.PostAction{button("Yes", "settings.yes"), button("No", "settings.no"), button("Ask", "settings.ask")},
	}
}

// UpdatePMI stores the choice made on the settings card and returns the card to show
// in its place.
func (a *App) UpdatePMI(userID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	if req.UserId != "" && req.UserId != userID {
		return nil, a.userErrorT(http.StatusForbidden, ErrForbidden, "action.cardNotYours")
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
		return nil, a.userErrorT(http.StatusBadRequest, nil, "settings.unknownChoice")
	}
	if err := a.kv.SetUserPreference(userID, pref); err != nil {
		return nil, err
	}
	update := &model.Post{}
	model.ParseSlackAttachment(update, []*model.SlackAttachment{a.settingsAttachment(userID, pref)})
	return &model.PostActionIntegrationResponse{Update: update, EphemeralText: a.t(userID, "settings.saved")}, nil
}
