package app

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

const channelPreferencePath = "/plugins/zoom/api/v1/channel-preference"

// checkChannelAllows applies SPEC §7: "restrict" always refuses; "default" (or unset)
// refuses in public channels when RestrictMeetingCreation is on. The channel itself is
// only read when its type matters.
func (a *App) checkChannelAllows(restrictPublic bool, channelID string) error {
	settings, err := a.kv.ChannelSettings()
	if err != nil {
		return err
	}
	switch settings[channelID].Preference {
	case store.ChannelRestrict:
		return a.userErrorT(http.StatusForbidden, ErrForbidden, "channel.restricted")
	case store.ChannelAllow:
		return nil
	}
	if !restrictPublic {
		return nil
	}
	channel, appErr := a.host.GetChannel(channelID)
	if appErr != nil {
		return a.userErrorT(http.StatusNotFound, appErr, "channel.notFound")
	}
	if channel.Type == model.ChannelTypeOpen {
		return a.userErrorT(http.StatusForbidden, ErrForbidden, "channel.publicRestricted")
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
	if !a.isSystemAdmin(userID) {
		return userError(http.StatusForbidden, ErrForbidden, "Only system admins can change where meetings may be started.")
	}
	channel, appErr := a.host.GetChannel(channelID)
	if appErr != nil {
		return userError(http.StatusNotFound, appErr, "This channel could not be found.")
	}
	if channel.IsGroupOrDirect() {
		return userError(http.StatusBadRequest, nil, "Direct and group messages always allow meetings; channel settings apply to public and private channels only.")
	}
	settings, err := a.kv.ChannelSettings()
	if err != nil {
		return err
	}
	current := settings[channelID].Preference
	if current == "" {
		current = store.ChannelDefault
	}
	defaultRule := "allowed"
	if snap.settings.RestrictMeetingCreation && channel.Type == model.ChannelTypeOpen {
		defaultRule = "not allowed (public channels are restricted plugin-wide)"
	}
	name := channel.DisplayName
	if name == "" {
		name = channel.Name
	}
	return toAppErr(a.host.OpenInteractiveDialog(model.OpenDialogRequest{
		TriggerId: triggerID,
		URL:       channelPreferencePath,
		Dialog: model.Dialog{
			CallbackId:       channelID,
			Title:            "Zoom channel settings", // Mattermost allows at most 24 characters
			IntroductionText: "Where may people start Zoom meetings? This applies to ~" + truncate(name, 60) + ".",
			SubmitLabel:      "Save",
			State:            channelID,
			Elements: []model.DialogElement{{
				DisplayName: "Zoom meetings", // at most 24 characters
				Name:        "preference",
				Type:        "radio",
				Default:     current,
				HelpText:    "With the plugin-wide default, meetings here are " + defaultRule + ".",
				Options: []*model.PostActionOptions{
					{Text: "Allow meetings", Value: store.ChannelAllow},
					{Text: "Restrict meetings", Value: store.ChannelRestrict},
					{Text: "Use the plugin-wide default", Value: store.ChannelDefault},
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
		return userError(http.StatusUnauthorized, ErrForbidden, "This dialog was opened by someone else.")
	}
	if !a.isSystemAdmin(sessionUserID) {
		return userError(http.StatusForbidden, ErrForbidden, "Only system admins can change where meetings may be started.")
	}
	channelID := req.State
	if channelID == "" {
		channelID = req.ChannelId
	}
	if !isID(channelID) {
		return userError(http.StatusBadRequest, nil, "The dialog names no valid channel.")
	}
	pref, _ := req.Submission["preference"].(string)
	switch pref {
	case store.ChannelAllow, store.ChannelRestrict, store.ChannelDefault:
	default:
		return userError(http.StatusBadRequest, nil, "Choose allow, restrict or default.")
	}
	if _, appErr := a.host.GetChannel(channelID); appErr != nil {
		return userError(http.StatusNotFound, appErr, "This channel could not be found.")
	}
	return a.kv.SetChannelPreference(channelID, pref)
}

// ChannelSettingsList is the /zoom channel-settings list report for admins.
func (a *App) ChannelSettingsList(userID string) (string, error) {
	snap, err := a.snap()
	if err != nil {
		return "", err
	}
	if !a.isSystemAdmin(userID) {
		return "", userError(http.StatusForbidden, ErrForbidden, "Only system admins can list channel settings.")
	}
	settings, err := a.kv.ChannelSettings()
	if err != nil {
		return "", err
	}
	def := "meetings are allowed in every channel"
	if snap.settings.RestrictMeetingCreation {
		def = "meetings are not allowed in public channels"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Plugin-wide default: %s (System Console > Plugins > Zoom > Restrict Meeting Creation).\n\n", def)
	if len(settings) == 0 {
		b.WriteString("No channel has its own setting. Change one with /zoom channel-settings in that channel.")
		return b.String(), nil
	}
	ids := make([]string, 0, len(settings))
	for id := range settings {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	b.WriteString("| Channel | Zoom meetings |\n|---|---|\n")
	for _, id := range ids {
		name := id
		if ch, appErr := a.host.GetChannel(id); appErr == nil {
			name = "~" + ch.Name
		}
		fmt.Fprintf(&b, "| %s | %s |\n", name, settings[id].Preference)
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
