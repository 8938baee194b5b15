package app

import (
	"context"
	"slices"

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
	i := slices.IndexFunc(prefs, func(p model.Preference) bool {
		return p.Category == legacyPreferenceCategory && p.Name == legacyPreferenceName
	})
	if i < 0 || (!isMeetingIDChoice(prefs[i].Value) && prefs[i].Value != store.PreferenceAsk) {
		return "", nil
	}
	if _, err := a.kv.SetUserPreferenceIfUnset(userID, prefs[i].Value); err != nil {
		return "", err
	}
	if appErr := a.host.DeletePreferencesForUser(userID, prefs[i:i+1]); appErr != nil {
		a.host.LogWarn("Could not delete the migrated preference", "error", appErr.Error())
	}
	return a.kv.GetUserPreference(userID)
}

func (a *App) askPMIQuestion(req StartRequest) {
	t := a.translator(req.UserID)
	a.askBeforeStart(req, t("pmi.question"), t("pmi.questionHelp"),
		button("usepmi", t("pmi.usePMI"), "", a.links.AskPMI, req.buttonContext(ActionUsePMI)),
		button("useunique", t("pmi.useUnique"), "", a.links.AskPMI, req.buttonContext(ActionUseUnique)))
}

// AnswerPMIQuestion handles a click on the PMI question. The clicking user must be the
// user the question was for.
func (a *App) AnswerPMIQuestion(ctx context.Context, sessionUserID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	action, _ := req.Context["action"].(string)
	choice, known := map[string]string{ActionUsePMI: store.PreferencePMI, ActionUseUnique: store.PreferenceUnique}[action]
	if first, err := a.claimAnswer(sessionUserID, req, "action.notYours", known, "action.unknownAnswer"); !first {
		return &model.PostActionIntegrationResponse{}, err
	}
	if _, err := a.kv.SetUserPreferenceIfUnset(sessionUserID, choice); err != nil {
		return nil, err
	}
	start := startRequestFrom(sessionUserID, req.Context)
	start.UsePMI = choice
	res, err := a.StartMeeting(ctx, start)
	return a.closeCard(sessionUserID, start.RootID, req, a.startOutcome(sessionUserID, res, err, choice)), nil
}

// startOutcome is what a card that started a meeting says afterwards. A start that
// ended in another answer (a connect link, the recent-meeting card) has already told
// the user what comes next.
func (a *App) startOutcome(userID string, res StartResult, err error, choice string) string {
	switch {
	case err != nil:
		return a.MessageFor(userID, err)
	case res.JoinURL == "":
		return a.T(userID, "card.answered")
	case choice == store.PreferencePMI:
		return a.T(userID, "pmi.startedPMI")
	case choice == store.PreferenceUnique:
		return a.T(userID, "pmi.startedUnique")
	}
	return a.T(userID, "confirm.started")
}

// SendSettingsCard shows the ephemeral /zoom settings card.
func (a *App) SendSettingsCard(userID, channelID, rootID string) {
	pref, _ := a.userPreference(userID)
	a.host.SendEphemeralPost(userID, a.botCard(channelID, rootID, a.settingsAttachment(userID, rootID, pref)))
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
	if !isMeetingIDChoice(pref) {
		pref = store.PreferenceAsk
	}
	att := &model.SlackAttachment{Title: a.T(userID, "settings.title")}
	for _, c := range settingsChoices {
		style := "default"
		if c.pref == pref {
			style = "primary"
			att.Text = a.T(userID, "settings.text", i18n.Args{"current": a.T(userID, c.current)})
		}
		att.Actions = append(att.Actions, button("pmi"+c.action, a.T(userID, c.label), style, a.links.UpdatePMI,
			map[string]any{"action": c.action, "rootID": rootID}))
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
	att.Footer = a.T(userID, "settings.saved")
	return a.replaceCard(userID, rootID, req, a.botCard("", "", att), att.Footer), nil
}
