// Package config holds the plugin's settings as one immutable value.
//
// The System Console writes the settings; the plugin reads them once per change into a
// Settings value and swaps it atomically, so a request never sees half of an update.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/manifest"
)

// Default Zoom hosts, used when the admin leaves the URL settings empty.
const (
	DefaultZoomURL    = "https://zoom.us"
	DefaultZoomAPIURL = "https://api.zoom.us/v2"
)

// Configuration mirrors plugin.json's settings_schema; field names are the setting keys.
type Configuration struct {
	ZoomURL                        string
	ZoomAPIURL                     string
	AccountLevelApp                bool
	OAuthClientID                  string
	OAuthClientSecret              string
	EncryptionKey                  string
	WebhookSecret                  string
	ZoomWebhookSecret              string
	RestrictMeetingCreation        bool
	EnablePostingRecordingPassword bool

	// Ours, beyond the settings existing installations have: Server-to-Server OAuth (see README).
	ServerToServerApp bool
	S2SAccountID      string
	S2SClientID       string
	S2SClientSecret   string

	// PostMeetingSummary posts AI Companion summaries in the meeting's thread. nil
	// (never saved) means on, the manifest's default.
	PostMeetingSummary *bool

	// LargeChannelThreshold: starting a meeting in a channel with more members asks
	// for confirmation first. nil (never saved) means DefaultLargeChannelThreshold;
	// 0 turns the question off.
	LargeChannelThreshold *Count

	// ScheduleReminderMinutes: how long before a scheduled meeting (/zoom schedule)
	// the bot reminds its channel. nil (never saved) means
	// DefaultScheduleReminderMinutes; 0 turns reminders off.
	ScheduleReminderMinutes *Count
}

// DefaultScheduleReminderMinutes applies while ScheduleReminderMinutes was never saved.
const DefaultScheduleReminderMinutes = 10

// ReminderLead is how long before a scheduled meeting's start its reminder is due; 0
// means no reminders.
func (s *Settings) ReminderLead() time.Duration {
	if s.ScheduleReminderMinutes == nil {
		return DefaultScheduleReminderMinutes * time.Minute
	}
	return time.Duration(max(int(*s.ScheduleReminderMinutes), 0)) * time.Minute
}

// DefaultLargeChannelThreshold applies while LargeChannelThreshold was never saved.
const DefaultLargeChannelThreshold = 50

// Count is a whole-number setting. The System Console may send it as a JSON number or
// as a string; both are accepted, and an empty string means unset.
type Count int

// UnmarshalJSON accepts 12, 12.0 and "12".
func (c *Count) UnmarshalJSON(data []byte) error {
	text := strings.Trim(strings.TrimSpace(string(data)), `"`)
	if text == "" || text == "null" {
		*c = 0
		return nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil {
		return fmt.Errorf("not a number: %s", data)
	}
	*c = Count(int(f))
	return nil
}

// LargeChannelLimit is the member count above which a start asks for confirmation;
// 0 means never ask.
func (s *Settings) LargeChannelLimit() int {
	if s.LargeChannelThreshold == nil {
		return DefaultLargeChannelThreshold
	}
	return max(int(*s.LargeChannelThreshold), 0)
}

// MeetingSummaryOn reports whether AI Companion summaries are posted.
func (s *Settings) MeetingSummaryOn() bool {
	return s.PostMeetingSummary == nil || *s.PostMeetingSummary
}

// Settings is everything a request needs to know about the configuration: the plugin's
// settings and the server's Site URL. Never mutate a Settings after it is published.
type Settings struct {
	Configuration
	SiteURL string
	// DefaultLocale is the server's default language (Localization > Default Server
	// Language), read with the Site URL; channel posts everyone reads use it.
	DefaultLocale string
}

// ErrNotConfigured wraps every validation failure, so callers can tell "the admin has
// work to do" apart from other activation errors.
var ErrNotConfigured = errors.New("the Zoom plugin is not configured")

// Setting is one plugin setting: its key in plugin.json, its System Console label and
// its value.
type Setting struct{ Key, Label, Value string }

// Required lists the settings the current mode cannot work without, in the order the
// System Console shows them.
func (s *Settings) Required() []Setting {
	required := []Setting{
		{"OAuthClientID", "Zoom OAuth Client ID", s.OAuthClientID},
		{"OAuthClientSecret", "Zoom OAuth Client Secret", s.OAuthClientSecret},
	}
	if s.ServerToServerApp {
		// The Server-to-Server app replaces the OAuth app entirely.
		required = []Setting{
			{"S2SAccountID", "Server-to-Server Account ID", s.S2SAccountID},
			{"S2SClientID", "Server-to-Server Client ID", s.S2SClientID},
			{"S2SClientSecret", "Server-to-Server Client Secret", s.S2SClientSecret},
		}
	}
	return append(required,
		Setting{"EncryptionKey", "At Rest Token Encryption Key", s.EncryptionKey},
		Setting{"WebhookSecret", "Webhook Secret", s.WebhookSecret})
}

// Validate reports the first missing or malformed setting, naming it the way the System
// Console shows it.
func (s *Settings) Validate() error {
	for _, r := range s.Required() {
		if strings.TrimSpace(r.Value) == "" {
			return fmt.Errorf("%w: the setting %s (%s) is empty; set it in System Console > Plugins > Zoom", ErrNotConfigured, r.Key, r.Label)
		}
	}
	if strings.TrimSpace(s.SiteURL) == "" {
		return fmt.Errorf("%w: the server has no Site URL; set it in System Console > Environment > Web Server > Site URL", ErrNotConfigured)
	}
	for _, u := range []struct{ key, value string }{
		{"ZoomURL (Zoom URL)", s.ZoomURL},
		{"ZoomAPIURL (Zoom API URL)", s.ZoomAPIURL},
		{"Site URL", s.SiteURL},
	} {
		if u.value != "" && !IsAbsoluteHTTP(u.value) {
			return fmt.Errorf("%w: the setting %s must be an absolute http(s) URL, not %q", ErrNotConfigured, u.key, u.value)
		}
	}
	return nil
}

// IsAbsoluteHTTP reports whether raw is an absolute http(s) URL with a host.
func IsAbsoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Connection modes, from Mode.
const (
	ModeUserLevel      = "user"
	ModeAccountLevel   = "account"
	ModeServerToServer = "s2s"
)

// Mode says how the plugin connects to Zoom. Server-to-Server wins over account-level
// when both are switched on.
func (s *Settings) Mode() string {
	switch {
	case s.ServerToServerApp:
		return ModeServerToServer
	case s.AccountLevelApp:
		return ModeAccountLevel
	}
	return ModeUserLevel
}

// UserConnects reports whether each user connects their own Zoom account.
func (s *Settings) UserConnects() bool { return s.Mode() == ModeUserLevel }

// WebURL is the Zoom web/OAuth base without a trailing slash.
func (s *Settings) WebURL() string { return cmp.Or(trimURL(s.ZoomURL), DefaultZoomURL) }

// APIURL is the Zoom REST base without a trailing slash.
func (s *Settings) APIURL() string { return cmp.Or(trimURL(s.ZoomAPIURL), DefaultZoomAPIURL) }

// PluginURL is the public base of the plugin's routes, e.g. https://chat.example.com/plugins/zoom.
func (s *Settings) PluginURL() string {
	return strings.TrimRight(s.SiteURL, "/") + "/plugins/" + manifest.PluginID
}

// ZoomHosts lists the hosts that may serve recordings and downloads: the configured web
// and API hosts and their subdomains (Zoom serves recordings from regional hosts such as
// us05web.zoom.us).
func (s *Settings) ZoomHosts() []string {
	var hosts []string
	for _, raw := range []string{s.WebURL(), s.APIURL()} {
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			hosts = append(hosts, strings.ToLower(u.Hostname()))
		}
	}
	return hosts
}

// IsZoomHost reports whether a URL is https on one of ZoomHosts or a subdomain of one.
func (s *Settings) IsZoomHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	// Letters, digits, dots and dashes only: Go's parser also accepts ")", "*", "<" and
	// the like in host names, and these links are printed into markdown, where such a
	// character would end the link or add formatting.
	if host == "" || strings.ContainsFunc(host, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '.' && r != '-'
	}) {
		return false
	}
	for _, allowed := range s.ZoomHosts() {
		if host == allowed || strings.HasSuffix(host, "."+allowed) {
			return true
		}
	}
	return false
}

func trimURL(value string) string { return strings.TrimRight(strings.TrimSpace(value), "/") }
