// Package app is the plugin's behaviour: connecting people to Zoom, starting meetings,
// channel rules, subscriptions and webhook processing. It talks to Mattermost through
// the small Host interface (plugin.API satisfies it) and to Zoom through server/zoom.
package app

import (
	"cmp"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"golang.org/x/oauth2"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Host is the part of plugin.API the app uses. Keeping it narrow documents every
// dependency on Mattermost and lets app tests run against an in-memory host.
type Host interface {
	store.Backend
	GetUser(userID string) (*model.User, *model.AppError)
	GetUserByEmail(email string) (*model.User, *model.AppError)
	GetChannel(channelID string) (*model.Channel, *model.AppError)
	GetChannelMember(channelID, userID string) (*model.ChannelMember, *model.AppError)
	GetChannelStats(channelID string) (*model.ChannelStats, *model.AppError)
	HasPermissionTo(userID string, permission *model.Permission) bool
	HasPermissionToChannel(userID, channelID string, permission *model.Permission) bool
	CreatePost(post *model.Post) (*model.Post, *model.AppError)
	UpdatePost(post *model.Post) (*model.Post, *model.AppError)
	GetPost(postID string) (*model.Post, *model.AppError)
	GetPostsSince(channelID string, time int64) (*model.PostList, *model.AppError)
	SendEphemeralPost(userID string, post *model.Post) *model.Post
	UpdateEphemeralPost(userID string, post *model.Post) *model.Post
	DeleteEphemeralPost(userID, postID string)
	PublishWebSocketEvent(event string, payload map[string]any, broadcast *model.WebsocketBroadcast)
	GetDirectChannel(userID1, userID2 string) (*model.Channel, *model.AppError)
	UploadFile(data []byte, channelID string, filename string) (*model.FileInfo, *model.AppError)
	GetPreferencesForUser(userID string) ([]model.Preference, *model.AppError)
	DeletePreferencesForUser(userID string, preferences []model.Preference) *model.AppError
	OpenInteractiveDialog(dialog model.OpenDialogRequest) *model.AppError
	LogWarn(msg string, keyValuePairs ...any)
	LogInfo(msg string, keyValuePairs ...any)
	LogDebug(msg string, keyValuePairs ...any)
}

// ErrNotConfigured is returned by every operation while the settings are invalid; it is
// config's error, which every validation failure wraps.
var ErrNotConfigured = config.ErrNotConfigured

// App is safe for concurrent use. Its configuration is an immutable snapshot swapped
// atomically by Configure.
type App struct {
	host      Host
	kv        *store.KV
	botUserID string
	http      *http.Client
	now       func() time.Time
	current   atomic.Pointer[snapshot]
	jobs      *jobs.Runner
	diag      Diagnostics
	// attempted is the last configuration offered to Configure, valid or not, so
	// /zoom status can say what is wrong with it.
	attempted atomic.Pointer[config.Settings]
	// tr translates messages into each user's language (i18n.go).
	tr *translator
	// live debounces participant updates of meeting cards (participants.go).
	live *liveUpdates
	// sweep times the card sweeper (sweeper.go).
	sweep SweepSchedule
	// reminders runs scheduled meetings' reminders (schedule_reminder.go); nil: none.
	reminders            ReminderScheduler
	reminderLeadOverride time.Duration
	// links are the plugin's own URLs, given by the api package (links.go).
	links Links
}

// snapshot is everything derived from one configuration.
type snapshot struct {
	settings *config.Settings
	tokens   *store.Tokens
	zoom     *zoom.Client
	oauth    *oauth2.Config
}

// Options are the App's dependencies.
type Options struct {
	Host      Host
	BotUserID string
	// HTTPClient talks to Zoom (REST, OAuth, downloads). nil uses a client with timeouts.
	HTTPClient *http.Client
	// Now is the clock; nil uses time.Now.
	Now func() time.Time
	// Localizer translates messages; nil loads the source tree's assets/i18n (tests).
	Localizer *i18n.Localizer
	// Sweep times the card sweeper (sweeper.go); zero fields mean the defaults.
	Sweep SweepSchedule
	// Reminders schedules the reminders of scheduled meetings; its callback must be
	// RemindScheduled. ReminderLead, when positive, overrides the reminder setting.
	Reminders    ReminderScheduler
	ReminderLead time.Duration
	// JobLease is the lease of webhook jobs (jobs.go); zero means the default.
	JobLease time.Duration
	// Links are the plugin's route URLs for buttons, dialogs and messages (api.Links).
	Links Links
}

// New builds an unconfigured App; call Configure before use.
func New(o Options) *App {
	hc := cmp.Or(o.HTTPClient, &http.Client{Timeout: 30 * time.Second})
	now := o.Now
	if now == nil {
		now = time.Now
	}
	a := &App{host: o.Host, kv: store.NewKV(o.Host), botUserID: o.BotUserID, http: hc, now: now, sweep: o.Sweep.orDefaults(),
		reminders: o.Reminders, reminderLeadOverride: o.ReminderLead, links: o.Links}
	a.jobs = newJobRunner(a, o.JobLease)
	a.tr = newTranslator(o.Localizer)
	a.live = newLiveUpdates(a)
	return a
}

// Configure publishes a new configuration. Invalid settings leave the App unconfigured
// (every operation answers ErrNotConfigured) and return the validation error.
func (a *App) Configure(s *config.Settings) error {
	a.attempted.Store(s)
	if s == nil {
		a.current.Store(nil)
		return ErrNotConfigured
	}
	if err := s.Validate(); err != nil {
		a.current.Store(nil)
		return err
	}
	sealer, err := store.NewSealer(s.EncryptionKey)
	if err != nil {
		a.current.Store(nil)
		return err
	}
	snap := &snapshot{
		settings: s,
		tokens:   store.NewTokens(a.kv, sealer),
		zoom:     zoom.NewClient(s.APIURL(), a.http),
		oauth:    zoom.OAuthConfig(s.WebURL(), s.OAuthClientID, s.OAuthClientSecret, s.PluginURL()+a.links.OAuthComplete),
	}
	if s.Mode() == config.ModeServerToServer {
		snap.zoom.OnUnauthorized = a.dropRefusedS2S(snap.tokens)
	}
	a.current.Store(snap)
	return nil
}

// Settings returns the current settings, or nil while unconfigured.
func (a *App) Settings() *config.Settings {
	if snap := a.current.Load(); snap != nil {
		return snap.settings
	}
	return nil
}

func (a *App) snap() (*snapshot, error) {
	snap := a.current.Load()
	if snap == nil {
		return nil, ErrNotConfigured
	}
	return snap, nil
}

// Diagnostics returns the process's webhook counters.
func (a *App) Diagnostics() *Diagnostics { return &a.diag }

// IsSystemAdmin is the one permission check for admin-only actions.
func (a *App) IsSystemAdmin(userID string) bool {
	return a.host.HasPermissionTo(userID, model.PermissionManageSystem)
}

// Reply sends a bot reply only the user sees: the answer to a command, or a note.
func (a *App) Reply(userID, channelID, rootID, message string) {
	a.host.SendEphemeralPost(userID, &model.Post{
		UserId:    a.botUserID,
		ChannelId: channelID,
		RootId:    rootID,
		Message:   message,
	})
}
