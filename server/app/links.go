package app

// Links are the plugin's own URLs that the app puts into posts, dialogs and messages.
// The api package owns the routes and fills these in (api.Links); the app keeps no
// copies of route paths.
type Links struct {
	// Integration URLs of buttons and dialogs, server-relative as Mattermost expects
	// (e.g. /plugins/zoom/api/v1/askPMI).
	AskPMI            string
	UpdatePMI         string
	ConfirmStart      string
	Share             string
	ChannelPreference string
	ScheduleCancel    string
	ScheduleDialog    string
	// Paths under the plugin's public URL (config.Settings.PluginURL).
	Connect       string // starts the OAuth connect flow
	OAuthComplete string // Zoom's OAuth redirect target
	Webhook       string // where Zoom delivers events
}
