package api

import (
	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/manifest"
)

// The plugin's routes, relative to its root. Mattermost serves the plugin under
// pluginRoot, so URLs handed out to posts and dialogs carry that prefix (Links).
const (
	pluginRoot = "/plugins/" + manifest.PluginID

	pathConnect           = "/oauth2/connect"
	pathOAuthComplete     = "/oauth2/complete"
	pathMeetings          = "/api/v1/meetings"
	pathAskPMI            = "/api/v1/askPMI"
	pathUpdatePMI         = "/api/v1/updatePMI"
	pathShare             = "/api/v1/share"
	pathChannelPreference = "/api/v1/channel-preference"
	pathConfirmStart      = "/api/v1/confirm-start"
	pathScheduleCancel    = "/api/v1/schedule/cancel"
	pathScheduleDialog    = "/api/v1/schedule/dialog"
	pathHealth            = "/api/v1/health"
	pathWebhook           = "/webhook"
	pathDeauthorization   = "/deauthorization"
)

// Links are the URLs of these routes as the app hands them out (app.Options.Links).
func Links() app.Links {
	return app.Links{
		AskPMI:            pluginRoot + pathAskPMI,
		UpdatePMI:         pluginRoot + pathUpdatePMI,
		ConfirmStart:      pluginRoot + pathConfirmStart,
		Share:             pluginRoot + pathShare,
		ChannelPreference: pluginRoot + pathChannelPreference,
		ScheduleCancel:    pluginRoot + pathScheduleCancel,
		ScheduleDialog:    pluginRoot + pathScheduleDialog,
		Connect:           pathConnect,
		OAuthComplete:     pathOAuthComplete,
		Webhook:           pathWebhook,
	}
}
