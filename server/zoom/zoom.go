// Package zoom speaks Zoom's wire formats: OAuth 2.0, the REST API v2 and signed
// webhooks. It knows nothing about Mattermost so that the simulator, the plugin and
// the tools can share one faithful description of Zoom.
package zoom

// Meeting types as Zoom numbers them; 4 appears only in responses and webhooks.
const (
	MeetingTypeInstant               = 1
	MeetingTypeScheduled             = 2
	MeetingTypeRecurringNoFixedTime  = 3
	MeetingTypePersonal              = 4
	MeetingTypeRecurringFixedTime    = 8
	MeetingTypeScreenShareOnlyLegacy = 10
)
