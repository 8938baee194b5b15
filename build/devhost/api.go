package devhost

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// hostAPI is the plugin.API the plugin talks to. apiStubs answers every
// method the devhost does not implement; the methods in the api_*.go files
// override it. A Host makes one per plugin start (the loader calls the
// factory each time), bound to the manifest's id; NewAPI makes one without a
// bundle. It holds no state of its own beyond what a server node keeps for a
// plugin (its slash commands): everything else lives in the shared Store.
type hostAPI struct {
	apiStubs
	store       *Store
	pluginID    string
	siteURL     string
	manifest    *model.Manifest // settings_schema defaults; nil from NewAPI
	bundlePath  string          // "" from NewAPI
	commands    *commandTable
	log         func(level, msg string, fields map[string]any)
	configSaved func() // after the plugin saved its own settings
}

// APIOptions are the optional parts of NewAPI.
type APIOptions struct {
	// SiteURL is the Site URL GetConfig reports (default http://localhost:8065).
	SiteURL string
	// Log receives the plugin's LogX calls and the host's notes about it
	// (unimplemented or panicking methods); nil drops them.
	Log func(LogEntry)
	// Called hears every API call by method name, before it runs; nil: none.
	Called func(method string)
}

// NewAPI returns the plugin.API the devhost hands a plugin process, over s and
// bound to pluginID, without a bundle, a plugin process or an HTTP surface:
// tests run plugin code in-process against it and see the same checks the
// e2e tests and `make run` see. Several APIs over one Store are the nodes of
// one cluster.
func NewAPI(s *Store, pluginID string, opts APIOptions) plugin.API {
	if opts.SiteURL == "" {
		opts.SiteURL = "http://localhost:8065"
	}
	log := func(level, msg string, fields map[string]any) {
		if opts.Log != nil {
			opts.Log(LogEntry{Time: time.Now(), Level: level, Message: msg, Fields: fields})
		}
	}
	return wrapAPI(&hostAPI{store: s, pluginID: pluginID, siteURL: opts.SiteURL,
		commands: &commandTable{}, log: log, configSaved: func() {}}, opts.Called)
}

// newAPI is the factory handed to plugin.NewEnvironment.
func (h *Host) newAPI(m *model.Manifest) plugin.API {
	return wrapAPI(&hostAPI{store: h.store, pluginID: m.Id, siteURL: h.siteURL, manifest: h.manifest,
		bundlePath: h.bundlePath, commands: &h.commands, log: h.record, configSaved: h.notifyConfigChange}, nil)
}

// wrapAPI gives api its stubs and the recovering wrapper, which keeps a panic
// in the devhost's own code from killing the host.
func wrapAPI(api *hostAPI, called func(method string)) plugin.API {
	api.apiStubs = apiStubs{unimplemented: func(method string) *model.AppError {
		// A log line the developer can act on and a 501 the plugin can handle.
		msg := "devhost: plugin called unimplemented API " + method
		api.log("warn", msg, map[string]any{"method": method})
		return model.NewAppError(method, "devhost.unimplemented", nil, msg, http.StatusNotImplemented)
	}}
	panicked := func(method string, v any) *model.AppError {
		msg := fmt.Sprintf("devhost: API %s panicked: %v", method, v)
		api.log("error", msg, map[string]any{"method": method, "stack": string(debug.Stack())})
		return model.NewAppError(method, "devhost.panic", nil, msg, http.StatusInternalServerError)
	}
	return recoveringAPI{impl: api, panicked: panicked, called: called}
}

// observe tells the wrapper's listener about a call.
func (a recoveringAPI) observe(method string) {
	if a.called != nil {
		a.called(method)
	}
}

// ---- configuration and server facts ----------------------------------------

func (a *hostAPI) LoadPluginConfiguration(dest any) error {
	settings := effectiveSettings(a.manifest, a.store.PluginConfig(a.pluginID))
	// The RPC server passes *any and JSON-encodes what we put there; keep a
	// JSON round trip for other callers (a struct pointer).
	if p, ok := dest.(*any); ok {
		*p = settings
		return nil
	}
	return jsonRoundTrip(settings, dest)
}

func (a *hostAPI) GetConfig() *model.Config { return siteConfig(a.siteURL) }

func (a *hostAPI) GetUnsanitizedConfig() *model.Config { return siteConfig(a.siteURL) }

func (a *hostAPI) GetPluginConfig() map[string]any {
	return effectiveSettings(a.manifest, a.store.PluginConfig(a.pluginID))
}

func (a *hostAPI) SavePluginConfig(config map[string]any) *model.AppError {
	a.store.SavePluginConfig(a.pluginID, overlay(nil, config))
	a.configSaved()
	return nil
}

func (a *hostAPI) GetBundlePath() (string, error) {
	if a.bundlePath == "" {
		return "", errors.New("devhost: this plugin API was made without a bundle")
	}
	return a.bundlePath, nil
}

func (a *hostAPI) GetLicense() *model.License { return nil }

func (a *hostAPI) IsEnterpriseReady() bool { return false }

// GetServerVersion must be semver: pluginapi must-parses it.
func (a *hostAPI) GetServerVersion() string { return model.CurrentVersion }

func (a *hostAPI) GetDiagnosticId() string { return "devhost" }

func (a *hostAPI) GetTelemetryId() string { return "devhost" }

// ---- logs -------------------------------------------------------------------

func (a *hostAPI) LogDebug(msg string, kv ...any) { a.log("debug", msg, logPairs(kv)) }
func (a *hostAPI) LogInfo(msg string, kv ...any)  { a.log("info", msg, logPairs(kv)) }
func (a *hostAPI) LogWarn(msg string, kv ...any)  { a.log("warn", msg, logPairs(kv)) }
func (a *hostAPI) LogError(msg string, kv ...any) { a.log("error", msg, logPairs(kv)) }

// ---- websocket --------------------------------------------------------------

// PublishWebSocketEvent reaches clients as custom_<plugin id>_<event>.
func (a *hostAPI) PublishWebSocketEvent(event string, payload map[string]any, broadcast *model.WebsocketBroadcast) {
	var b *model.WebsocketBroadcast
	if broadcast != nil {
		c := *broadcast
		b = &c
	}
	a.store.recordEvent(Event{Event: "custom_" + a.pluginID + "_" + event, Data: payload, Broadcast: b})
}
