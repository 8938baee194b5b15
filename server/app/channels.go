package app

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

// maxDialogLabel is Mattermost's limit on a dialog's title and field names.
const maxDialogLabel = 24

// checkChannelAllows applies the channel preference: "restrict" always refuses; "default" (or unset)
// refuses in public channels when RestrictMeetingCreation is on. The channel itself is
// only read when its type matters.
func (a *App) checkChannelAllows(restrictPublic bool, channelID string) error {
	settings, err := a.kv.ChannelSettings()
	if err != nil {
		return unavailable(err)
	}
	switch settings[channelID].Preference {
	case store.ChannelRestrict:
		return a.userErrorT(KindForbidden, ErrForbidden, "channel.restricted")
	case store.ChannelAllow:
		return nil
	}
	if !restrictPublic {
		return nil
	}
	channel, appErr := a.host.GetChannel(channelID)
	if appErr != nil {
		return a.userErrorT(KindNotFound, appErr, "channel.notFound")
	}
	if channel.Type == model.ChannelTypeOpen {
		return a.userErrorT(KindForbidden, ErrForbidden, "channel.publicRestricted")
	}
	return nil
}

// OpenChannelSettings opens the channel preference dialog for a system admin. It needs
// no Zoom connection and sends nothing to Zoom.
func (a *App) OpenChannelSettings(userID, channelID, triggerID string) error {
	snap, err := a.snap()
	if err != nil {
		return err
	}
	if !a.IsSystemAdmin(userID) {
		return a.userErrorT(KindForbidden, ErrForbidden, "channelSettings.adminOnly")
	}
	channel, appErr := a.host.GetChannel(channelID)
	if appErr != nil {
		return a.userErrorT(KindNotFound, appErr, "channelSettings.notFound")
	}
	if channel.IsGroupOrDirect() {
		return a.userErrorT(KindBadInput, nil, "channelSettings.directMessage")
	}
	settings, err := a.kv.ChannelSettings()
	if err != nil {
		return unavailable(err)
	}
	current := cmp.Or(settings[channelID].Preference, store.ChannelDefault)
	defaultRule := "channelSettings.defaultAllowed"
	if snap.settings.RestrictMeetingCreation && channel.Type == model.ChannelTypeOpen {
		defaultRule = "channelSettings.defaultRestricted"
	}
	t := a.translator(userID)
	name := cmp.Or(channel.DisplayName, channel.Name)
	return toAppErr(a.host.OpenInteractiveDialog(model.OpenDialogRequest{
		TriggerId: triggerID,
		URL:       a.links.ChannelPreference,
		Dialog: model.Dialog{
			CallbackId:       channelID,
			Title:            truncate(t("channelSettings.title"), maxDialogLabel),
			IntroductionText: t("channelSettings.intro", i18n.Args{"channel": "~" + truncate(name, 60)}),
			SubmitLabel:      t("channelSettings.save"),
			State:            channelID,
			Elements: []model.DialogElement{{
				DisplayName: truncate(t("channelSettings.field"), maxDialogLabel),
				Name:        "preference",
				Type:        "radio",
				Default:     current,
				HelpText:    t(defaultRule),
				Options: []*model.PostActionOptions{
					{Text: t("channelSettings.allow"), Value: store.ChannelAllow},
					{Text: t("channelSettings.restrict"), Value: store.ChannelRestrict},
					{Text: t("channelSettings.useDefault"), Value: store.ChannelDefault},
				},
			}},
		},
	}))
}

// SubmitChannelSettings stores a dialog submission. The dialog's user must be the
// session's user, and a system admin; anything else changes nothing.
func (a *App) SubmitChannelSettings(sessionUserID string, req *model.SubmitDialogRequest) error {
	if _, err := a.snap(); err != nil {
		return err
	}
	if req.UserId != sessionUserID {
		return a.userErrorT(KindUnauthorized, ErrForbidden, "channelSettings.notYours")
	}
	if !a.IsSystemAdmin(sessionUserID) {
		return a.userErrorT(KindForbidden, ErrForbidden, "channelSettings.adminOnly")
	}
	channelID := cmp.Or(req.State, req.ChannelId)
	if !isID(channelID) {
		return a.userErrorT(KindBadInput, nil, "channelSettings.noChannel")
	}
	pref, _ := req.Submission["preference"].(string)
	if pref != store.ChannelAllow && pref != store.ChannelRestrict && pref != store.ChannelDefault {
		return a.userErrorT(KindBadInput, nil, "channelSettings.choose")
	}
	if _, appErr := a.host.GetChannel(channelID); appErr != nil {
		return a.userErrorT(KindNotFound, appErr, "channelSettings.notFound")
	}
	return a.kv.SetChannelPreference(channelID, pref)
}

// ChannelSettingsList is the /zoom channel-settings list report for admins.
func (a *App) ChannelSettingsList(userID string) (string, error) {
	snap, err := a.snap()
	if err != nil {
		return "", err
	}
	if !a.IsSystemAdmin(userID) {
		return "", a.userErrorT(KindForbidden, ErrForbidden, "channelSettings.listAdminOnly")
	}
	settings, err := a.kv.ChannelSettings()
	if err != nil {
		return "", unavailable(err)
	}
	def := "channelSettings.listDefaultAllowed"
	if snap.settings.RestrictMeetingCreation {
		def = "channelSettings.listDefaultRestricted"
	}
	var b strings.Builder
	b.WriteString(a.T(userID, def) + "\n\n")
	if len(settings) == 0 {
		b.WriteString(a.T(userID, "channelSettings.listEmpty"))
		return b.String(), nil
	}
	b.WriteString(a.T(userID, "channelSettings.listHeader") + "\n|---|---|\n")
	values := map[string]string{
		store.ChannelAllow:    a.T(userID, "channelSettings.valueAllow"),
		store.ChannelRestrict: a.T(userID, "channelSettings.valueRestrict"),
		store.ChannelDefault:  a.T(userID, "channelSettings.valueDefault"),
	}
	for _, id := range slices.Sorted(maps.Keys(settings)) {
		name := id
		if ch, appErr := a.host.GetChannel(id); appErr == nil {
			name = "~" + ch.Name
		}
		pref := settings[id].Preference
		fmt.Fprintf(&b, "| %s | %s |\n", name, cmp.Or(values[pref], pref))
	}
	return b.String(), nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func toAppErr(appErr *model.AppError) error {
	if appErr == nil {
		return nil
	}
	return appErr
}
