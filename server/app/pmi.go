package app

import (
	"context"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

// Contexts of the PMI question's buttons: exact strings, as posts made by earlier
// versions of the plugin carry them.
const (
	ActionUsePMI    = "USE PERSONAL MEETING ID"
	ActionUseUnique = "USE A UNIQUE MEETING ID"

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
			Integration: &model.PostActionIntegration{URL: a.links.AskPMI, Context: map[string]any{
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
		return nil, a.userErrorT(KindBadInput, nil, "action.unknownAnswer")
	}
	if first, err := a.answerOnce(sessionUserID, req); err != nil || !first {
		return &model.PostActionIntegrationResponse{}, err
	}
	if _, err := a.kv.SetUserPreferenceIfUnset(sessionUserID, choice); err != nil {
		return nil, err
	}
	res, err := a.StartMeeting(ctx, StartRequest{
		UserID: sessionUserID, ChannelID: str("channelID"), RootID: str("rootID"),
		Topic: str("topic"), UsePMI: choice, ConnectionID: str("connectionID"), Confirmed: req.Context["confirmed"] == true,
	})
	return a.closeCard(sessionUserID, str("rootID"), req, a.startOutcome(sessionUserID, res, err, choice)), nil
}

// startOutcome is what a card that started a meeting says afterwards. A start that
// ended in another answer (a connect link, the recent-meeting card) has already told
// the user what comes next.
func (a *App) startOutcome(userID string, res StartResult, err error, choice string) string {
	switch {
	case err != nil:
		return a.MessageFor(userID, err)
	case res.JoinURL == "":
		return a.t(userID, "card.answered")
	case choice == store.PreferencePMI:
		return a.t(userID, "pmi.startedPMI")
	case choice == store.PreferenceUnique:
		return a.t(userID, "pmi.startedUnique")
	}
	return a.t(userID, "confirm.started")
}

// SettingsCard is the ephemeral /zoom settings card.
func (a *App) SettingsCard(userID, channelID, rootID string) *model.Post {
	pref, _ := a.userPreference(userID)
	post := &model.Post{UserId: a.botUserID, ChannelId: channelID, RootId: rootID}
	model.ParseSlackAttachment(post, []*model.SlackAttachment{a.settingsAttachment(userID, rootID, pref)})
	return post
}

// settingsChoices are the settings card's buttons. Their "action" contexts are the
// exact "Yes"/"No"/"Ask" other versions send; only the labels are translated.
var settingsChoices = []struct{ action, pref, label, current string }{
	{"Yes", store.PreferencePMI, "settings.yes", "settings.currentYes"},
	{"No", store.PreferenceUnique, "settings.no", "settings.currentNo"},
	{"Ask", store.PreferenceAsk, "settings.ask", "settings.currentAsk"},
}

// settingsAttachment is the settings card with the current choice in its text and on
// its highlighted button; a user who never chose is asked each time.
func (a *App) settingsAttachment(userID, rootID, pref string) *model.SlackAttachment {
	if pref != store.PreferencePMI && pref != store.PreferenceUnique {
		pref = store.PreferenceAsk
	}
	att := &model.SlackAttachment{Title: a.t(userID, "settings.title")}
	for _, c := range settingsChoices {
		style := "default"
		if c.pref == pref {
			style = "primary"
			att.Text = a.t(userID, "settings.text", i18n.Args{"current": a.t(userID, c.current)})
		}
		att.Actions = append(att.Actions, &model.PostAction{
			Id: "pmi" + c.action, Name: a.t(userID, c.label), Type: model.PostActionTypeButton, Style: style,
			Integration: &model.PostActionIntegration{URL: a.links.UpdatePMI, Context: map[string]any{"action": c.action, "rootID": rootID}},
		})
	}
	return att
}

// UpdatePMI stores the choice made on the settings card and shows the card again in
// its place, with the new choice and a word that it was saved.
func (a *App) UpdatePMI(userID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	if req.UserId != "" && req.UserId != userID {
		return nil, a.userErrorT(KindForbidden, ErrForbidden, "action.cardNotYours")
	}
	action, _ := req.Context["action"].(string)
	pref := ""
	for _, c := range settingsChoices {
		if c.action == action {
			pref = c.pref
		}
	}
	if pref == "" {
		return nil, a.userErrorT(KindBadInput, nil, "settings.unknownChoice")
	}
	if err := a.kv.SetUserPreference(userID, pref); err != nil {
		return nil, err
	}
	rootID, _ := req.Context["rootID"].(string)
	att := a.settingsAttachment(userID, rootID, pref)
	att.Footer = a.t(userID, "settings.saved")
	card := &model.Post{}
	model.ParseSlackAttachment(card, []*model.SlackAttachment{att})
	return a.replaceCard(userID, rootID, req, card, att.Footer), nil
}
