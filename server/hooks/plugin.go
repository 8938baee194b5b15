// Package hooks is the plugin's face to Mattermost: the hook methods the server calls.
// It stays thin: load settings, wire the app, hand requests to the transport layer.
package hooks

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/mattermost/mattermost/server/public/pluginapi/cluster"

	"github.com/zoom-for-mattermost/zoom/server/api"
	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/command"
	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

// plugin.API must satisfy the app's narrow Host interface.
var _ app.Host = plugin.API(nil)

// Plugin implements the hooks. Fields set in OnActivate are read-only afterwards;
// the configuration lives in the app as an atomically swapped snapshot.
type Plugin struct {
	plugin.MattermostPlugin

	mu       sync.Mutex // serialises configuration changes
	app      *app.App
	router   http.Handler
	commands *command.Handler
	lastMode *bool // account-level mode the command was last registered for
	sweeper  *cluster.Job
}

// New returns the plugin for plugin.ClientMain.
func New() *Plugin { return &Plugin{} }

// loadSettings reads the plugin settings, the server's Site URL and default language.
func (p *Plugin) loadSettings() (*config.Settings, error) {
	var c config.Configuration
	if err := p.API.LoadPluginConfiguration(&c); err != nil {
		return nil, fmt.Errorf("could not load the plugin configuration: %w", err)
	}
	s := &config.Settings{Configuration: c}
	if sc := p.API.GetConfig(); sc != nil {
		if sc.ServiceSettings.SiteURL != nil {
			s.SiteURL = *sc.ServiceSettings.SiteURL
		}
		if sc.LocalizationSettings.DefaultServerLocale != nil {
			s.DefaultLocale = *sc.LocalizationSettings.DefaultServerLocale
		}
	}
	return s, nil
}

// OnActivate refuses to start without a usable configuration, naming what is missing.
func (p *Plugin) OnActivate() error {
	settings, err := p.loadSettings()
	if err != nil {
		return err
	}
	if err := settings.Validate(); err != nil {
		return err
	}
	client := pluginapi.NewClient(p.API, p.Driver)
	botID, err := client.Bot.EnsureBot(&model.Bot{
		Username:    "zoom",
		DisplayName: "Zoom",
		Description: "Created by the Zoom plugin.",
	}, pluginapi.ProfileImagePath(filepath.Join("assets", "profile.png")))
	if err != nil {
		return fmt.Errorf("could not create the zoom bot: %w", err)
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	localizer, err := p.loadTranslations()
	if err != nil {
		return err
	}
	// Tests shorten the sweeper's schedule through the environment (README, Reference).
	sweep, problems := app.SweepScheduleFromEnv(os.Getenv)
	for _, problem := range problems {
		p.API.LogWarn("Ignoring a card sweeper setting from the environment", "problem", problem)
	}
	if os.Getenv(app.EnvSweepInterval)+os.Getenv(app.EnvSweepFirstCheck) != "" {
		p.API.LogInfo("The card sweeper's schedule comes from the environment",
			"interval", sweep.Interval.String(), "first_check", sweep.FirstCheck.String())
	}
	jobLease, problem := jobs.LeaseFromEnv(os.Getenv)
	if problem != "" {
		p.API.LogWarn("Ignoring a webhook job setting from the environment", "problem", problem)
	}
	// Reminders of scheduled meetings: one scheduler per process, whose callback must
	// be set before it starts (Start also fires the reminders that fell due while no
	// node ran).
	reminders := cluster.GetJobOnceScheduler(p.API)
	p.app = app.New(app.Options{Host: p.API, BotUserID: botID, Links: api.Links(), Localizer: localizer, Sweep: sweep, JobLease: jobLease,
		Reminders: reminderJobs{reminders}, ReminderLead: app.ReminderLeadFromEnv(os.Getenv, p.API)})
	p.router = api.NewRouter(p.app, p.API)
	p.commands = command.New(p.app)
	if err := p.applyLocked(settings); err != nil {
		return err
	}
	p.app.ResumeJobs()
	if err := reminders.SetCallback(p.app.RemindScheduled); err != nil {
		return fmt.Errorf("could not set up meeting reminders: %w", err)
	}
	// A second activation in the same process finds the scheduler started; the new
	// callback above is then the one it calls.
	if err := reminders.Start(); err != nil {
		p.API.LogInfo("Meeting reminder scheduler not started again", "reason", err.Error())
	}
	// One node of the cluster ends cards whose meeting.ended never arrived. Rounding
	// the wait to multiples of the interval suits a shortened one too (tests: 250ms).
	sweeper, err := cluster.Schedule(p.API, store.SweepJobKey, cluster.MakeWaitForRoundedInterval(sweep.Interval), p.app.SweepOpenCards)
	if err != nil {
		p.API.LogWarn("Could not schedule the meeting card sweeper; cards end only by webhook", "error", err.Error())
	}
	p.sweeper = sweeper
	return nil
}

// reminderJobs adapts pluginapi's scheduler to the app's ReminderScheduler.
type reminderJobs struct{ *cluster.JobOnceScheduler }

func (r reminderJobs) ScheduleOnce(key string, runAt time.Time, props any) error {
	_, err := r.JobOnceScheduler.ScheduleOnce(key, runAt, props)
	return err
}

// OnConfigurationChange takes effect at once. During activation it runs before
// OnActivate, when there is no app yet; OnActivate then applies the settings itself.
func (p *Plugin) OnConfigurationChange() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.app == nil {
		return nil
	}
	settings, err := p.loadSettings()
	if err != nil {
		return err
	}
	if err := p.applyLocked(settings); err != nil {
		p.API.LogWarn("Zoom plugin settings are incomplete; its routes answer 501 until they are fixed", "error", err.Error())
	}
	return nil
}

func (p *Plugin) applyLocked(settings *config.Settings) error {
	cfgErr := p.app.Configure(settings)
	// Connect/disconnect are advertised only when each user connects (not in
	// account-level or Server-to-Server mode).
	noUserConnect := !settings.UserConnects()
	if p.lastMode == nil || *p.lastMode != noUserConnect {
		if err := p.API.RegisterCommand(command.Command(noUserConnect, p.iconData())); err != nil {
			return fmt.Errorf("could not register /zoom: %w", err)
		}
		p.lastMode = &noUserConnect
	}
	return cfgErr
}

// loadTranslations reads the bundle's assets/i18n (Mattermost's plugin convention).
func (p *Plugin) loadTranslations() (*i18n.Localizer, error) {
	bundle, err := p.API.GetBundlePath()
	if err != nil {
		return nil, fmt.Errorf("could not find the plugin bundle: %w", err)
	}
	localizer, err := i18n.Load(filepath.Join(bundle, "assets", "i18n"))
	if err != nil {
		return nil, fmt.Errorf("could not load the plugin's translations (the bundle is incomplete; reinstall it): %w", err)
	}
	return localizer, nil
}

// iconData is the command's icon as a data URL, read from the bundle.
func (p *Plugin) iconData() string {
	bundle, err := p.API.GetBundlePath()
	if err != nil {
		return ""
	}
	svg, err := os.ReadFile(filepath.Join(bundle, "assets", "profile.svg"))
	if err != nil {
		return ""
	}
	return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg)
}

// OnDeactivate stops background work.
func (p *Plugin) OnDeactivate() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.app != nil {
		p.app.StopLiveUpdates() // also cancels a sweep in progress
		if p.sweeper != nil {
			_ = p.sweeper.Close()
			p.sweeper = nil
		}
		p.app.StopJobs()
	}
	return nil
}

// ServeHTTP hands requests to the router.
func (p *Plugin) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	router := p.router
	p.mu.Unlock()
	if router == nil {
		http.Error(w, "The Zoom plugin is starting; try again in a moment.", http.StatusServiceUnavailable)
		return
	}
	router.ServeHTTP(w, r)
}

// ExecuteCommand runs /zoom.
func (p *Plugin) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	p.mu.Lock()
	commands := p.commands
	p.mu.Unlock()
	if commands == nil {
		return &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: "The Zoom plugin is starting; try again in a moment."}, nil
	}
	resp, err := commands.Execute(args)
	if err != nil {
		return nil, model.NewAppError("ExecuteCommand", "zoom.command.error", nil, err.Error(), http.StatusInternalServerError)
	}
	return resp, nil
}
