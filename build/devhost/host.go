package devhost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/shared/mlog"

	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// DefaultAddr is where `make run` listens; its URL is the Site URL.
const DefaultAddr = "127.0.0.1:8065"

// Options configures a Host. Only Bundle is required.
type Options struct {
	// Bundle is the plugin: a .tar.gz as `make dist` builds it, or an
	// unpacked bundle directory (the folder holding plugin.json).
	Bundle string
	// Addr is the listen address; tests use "127.0.0.1:0".
	Addr string
	// SiteURL overrides the Site URL (default http://<listen address>).
	SiteURL string
	// Settings overlay the plugin settings the host starts with (which are
	// the manifest defaults, then a configuration against the simulator).
	Settings map[string]any
	// Sim is the Zoom simulator to configure the plugin against; nil starts
	// one (closed with the host).
	Sim *zoomsim.Server
	// SharedStore lets several hosts (plugin processes) share one state, as
	// the nodes of a cluster share one database. nil: a fresh demo store.
	SharedStore *Store
	// LogOutput receives the host's log, the plugin's stdout/stderr and its
	// LogX calls; nil discards (Logs() still keeps the plugin's LogX calls).
	LogOutput io.Writer
	// WebDir is the built devhost page (index.html and scripts); empty
	// serves a placeholder at /.
	WebDir string
	// AllowInactive keeps the host up when activation fails (the page and
	// /devhost/state then show the error); by default Start fails.
	AllowInactive bool
	// SimPagesOverHTTP serves the simulator's browser-facing pages through the
	// devhost's plain http, so that a browser needs no certificate exception
	// (simpages.go). `make run` sets it; tests talk to the simulator directly.
	SimPagesOverHTTP bool
}

// Host plays the Mattermost server for one plugin.
type Host struct {
	opts     Options
	store    *Store
	sim      *zoomsim.Server
	ownSim   bool
	ownStore bool

	manifest   *model.Manifest
	bundlePath string // <plugins>/<id>
	tempDir    string
	logger     *mlog.Logger
	metrics    *metrics
	env        *plugin.Environment

	listener net.Listener
	server   *http.Server
	siteURL  string
	client   *http.Client

	background sync.WaitGroup // config-change notifications in flight

	mu          sync.Mutex
	commands    commandTable
	tokens      map[string]string       // user id -> session token for Request
	zoomUsers   map[string]zoomsim.User // by lowercased email, see AddZoomUser
	logs        []LogEntry
	activateErr error
	closed      bool
}

// Start installs the bundle, starts the HTTP surface and activates the plugin.
func Start(opts Options) (h *Host, err error) {
	if opts.Bundle == "" {
		return nil, errors.New("devhost: Options.Bundle is required (a .tar.gz or an unpacked bundle dir)")
	}
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	h = &Host{opts: opts, metrics: newMetrics(), tokens: map[string]string{}}
	defer func() {
		if err != nil {
			h.Close()
			h = nil
		}
	}()

	h.store, h.ownStore = opts.SharedStore, opts.SharedStore == nil
	if h.ownStore {
		h.store = NewStore()
	}
	h.sim, h.ownSim = opts.Sim, opts.Sim == nil
	if h.ownSim {
		h.sim = zoomsim.New(zoomsim.Options{})
	}

	if h.tempDir, err = os.MkdirTemp("", "devhost-"); err != nil {
		return h, err
	}
	if err = h.trustSimulator(); err != nil {
		return h, err
	}
	pluginsDir, webappDir := filepath.Join(h.tempDir, "plugins"), filepath.Join(h.tempDir, "client")
	for _, d := range []string{pluginsDir, webappDir} {
		if err = os.MkdirAll(d, 0o755); err != nil {
			return h, err
		}
	}
	if h.manifest, h.bundlePath, err = installBundle(opts.Bundle, pluginsDir); err != nil {
		return h, err
	}

	if h.listener, err = net.Listen("tcp", opts.Addr); err != nil {
		return h, fmt.Errorf("devhost: listen on %s: %w", opts.Addr, err)
	}
	h.siteURL = opts.SiteURL
	if h.siteURL == "" {
		h.siteURL = "http://" + h.listener.Addr().String()
	}
	h.client = &http.Client{Timeout: 60 * time.Second}

	h.logger = newLogger(opts.LogOutput)
	h.initSettings()

	env, err := plugin.NewEnvironment(h.newAPI, nil, pluginsDir, webappDir, h.logger, h.metrics)
	if err != nil {
		return h, err
	}
	h.env = env

	h.server = &http.Server{Handler: h.browserFacing(h.routes()), ReadHeaderTimeout: 10 * time.Second}
	go h.server.Serve(h.listener) //nolint:errcheck // ends with ErrServerClosed at Close

	if err = h.activate(); err != nil && !opts.AllowInactive {
		return h, err
	}
	return h, nil
}

func newLogger(w io.Writer) *mlog.Logger {
	logger, err := mlog.NewLogger()
	if err != nil {
		panic("devhost: cannot create a logger: " + err.Error())
	}
	if w != nil {
		_ = mlog.AddWriterTarget(logger, w, false, mlog.StdAll...)
	}
	return logger
}

// trustSimulator adds the simulator's CA to the bundle SSL_CERT_FILE names,
// before any plugin process starts, so the plugin trusts its HTTPS.
func (h *Host) trustSimulator() error {
	path := filepath.Join(h.tempDir, "sim-ca.pem")
	if err := h.sim.WriteCAFile(path); err != nil {
		return fmt.Errorf("devhost: write the simulator CA: %w", err)
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return trustCA(h, pem)
}

// initSettings saves the starting configuration unless the (shared) store
// already has one; Options.Settings always go on top.
func (h *Host) initSettings() {
	id := h.manifest.Id
	saved := h.store.PluginConfig(id)
	if saved == nil {
		saved = simSettings(h.sim.URL(), h.sim.APIURL(), h.sim.ClientID(), h.sim.ClientSecret(), h.sim.WebhookSecret())
	}
	h.store.SavePluginConfig(id, overlay(saved, h.opts.Settings))
}

// activate starts the plugin process and runs OnActivate.
func (h *Host) activate() error {
	_, _, err := h.env.Activate(h.manifest.Id)
	h.mu.Lock()
	h.activateErr = err
	h.mu.Unlock()
	if err != nil {
		h.logger.Error("devhost: plugin activation failed", mlog.String("plugin_id", h.manifest.Id), mlog.Err(err))
		return fmt.Errorf("devhost: activate %s: %w", h.manifest.Id, err)
	}
	return nil
}

// hooks returns the running plugin's hooks.
func (h *Host) hooks() (plugin.Hooks, error) {
	if h.env == nil || !h.env.IsActive(h.manifest.Id) {
		return nil, fmt.Errorf("devhost: plugin %s is not active: %v", h.manifest.Id, h.ActivationError())
	}
	return h.env.HooksForPlugin(h.manifest.Id)
}

// Active reports whether the plugin is running.
func (h *Host) Active() bool { return h.env != nil && h.env.IsActive(h.manifest.Id) }

// ActivationError is the error of the last activation (nil if it worked).
func (h *Host) ActivationError() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.activateErr
}

// Restart stops the plugin process and starts it again, as disabling and
// enabling a plugin does; state in the store survives.
func (h *Host) Restart() error {
	h.env.Deactivate(h.manifest.Id)
	h.commands.clear()
	return h.activate()
}

// Settings returns the saved plugin settings (lowercased keys).
func (h *Host) Settings() map[string]any { return h.store.PluginConfig(h.manifest.Id) }

// UpdateSettings saves settings over the current ones and tells the plugin,
// as saving in the System Console does. An inactive plugin is activated
// again (an admin would re-enable it after fixing its settings).
func (h *Host) UpdateSettings(settings map[string]any) error {
	h.store.SavePluginConfig(h.manifest.Id, overlay(h.Settings(), settings))
	if !h.Active() {
		return h.activate()
	}
	hooks, err := h.hooks()
	if err != nil {
		return err
	}
	return hooks.OnConfigurationChange()
}

// notifyConfigChange runs OnConfigurationChange after the plugin saved its
// own config, outside the API call that did it.
func (h *Host) notifyConfigChange() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.background.Add(1)
	h.mu.Unlock()
	go func() {
		defer h.background.Done()
		if hooks, err := h.hooks(); err == nil {
			if err := hooks.OnConfigurationChange(); err != nil {
				h.logger.Warn("devhost: OnConfigurationChange failed", mlog.Err(err))
			}
		}
	}()
}

// Close stops the plugin, the HTTP server and what the host started.
func (h *Host) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	h.mu.Unlock()

	h.background.Wait()
	if h.env != nil {
		h.env.Shutdown()
	}
	if h.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = h.server.Shutdown(ctx)
		cancel()
	} else if h.listener != nil {
		h.listener.Close()
	}
	if h.store != nil {
		h.store.hub.closeOwnedBy(h)
	}
	if h.ownSim && h.sim != nil {
		h.sim.Close()
	}
	if h.logger != nil {
		_ = h.logger.Shutdown()
	}
	if h.tempDir != "" {
		os.RemoveAll(h.tempDir)
	}
	releaseCA(h)
}

// URL is the Site URL, e.g. http://127.0.0.1:8065.
func (h *Host) URL() string { return h.siteURL }

// Sim is the Zoom simulator the plugin is configured against.
func (h *Host) Sim() *zoomsim.Server { return h.sim }

// Store is the state behind the host (shared with other hosts if so configured).
func (h *Host) Store() *Store { return h.store }

// Manifest is the plugin's manifest as installed.
func (h *Host) Manifest() *model.Manifest { return h.manifest }

// PluginID is the manifest id ("zoom").
func (h *Host) PluginID() string { return h.manifest.Id }

// APICallCounts returns how often the plugin called each API method since
// start (or the last ResetAPICalls), as the loader's metrics saw them.
func (h *Host) APICallCounts() map[string]int { return h.metrics.apiCounts() }

// HookStats returns how often each hook ran and for how long.
func (h *Host) HookStats() map[string]HookStat { return h.metrics.hookStats() }

// ResetAPICalls zeroes the API and hook counters.
func (h *Host) ResetAPICalls() { h.metrics.reset() }
