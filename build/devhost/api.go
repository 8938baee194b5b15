package devhost

import (
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// hostAPI is the plugin.API the plugin talks to. apiStubs answers every
// method the devhost does not implement; the methods in the api_*.go files
// override it. One hostAPI is made per plugin start (the loader calls the
// factory each time), bound to the manifest's id.
type hostAPI struct {
	apiStubs
	h        *Host
	pluginID string
}

// newAPI is the factory handed to plugin.NewEnvironment. The recovering
// wrapper keeps a panic in the devhost's own code from killing the host.
func (h *Host) newAPI(m *model.Manifest) plugin.API {
	api := &hostAPI{h: h, pluginID: m.Id}
	api.apiStubs = apiStubs{unimplemented: h.unimplemented}
	return recoveringAPI{impl: api, panicked: h.apiPanicked}
}

// unimplemented is what every stub reports: a log line the developer can act
// on and a 501 the plugin can handle.
func (h *Host) unimplemented(method string) *model.AppError {
	msg := "devhost: plugin called unimplemented API " + method
	h.record("warn", msg, map[string]any{"method": method})
	return model.NewAppError(method, "devhost.unimplemented", nil, msg, http.StatusNotImplemented)
}

func (h *Host) apiPanicked(method string, v any) *model.AppError {
	msg := fmt.Sprintf("devhost: API %s panicked: %v", method, v)
	h.record("error", msg, map[string]any{"method": method, "stack": string(debug.Stack())})
	return model.NewAppError(method, "devhost.panic", nil, msg, http.StatusInternalServerError)
}

// ---- configuration and server facts ----------------------------------------

func (a *hostAPI) LoadPluginConfiguration(dest any) error {
	settings := effectiveSettings(a.h.manifest, a.h.store.PluginConfig(a.pluginID))
	// The RPC server passes *any and JSON-encodes what we put there; keep a
	// JSON round trip for other callers (a struct pointer).
	if p, ok := dest.(*any); ok {
		*p = settings
		return nil
	}
	return jsonRoundTrip(settings, dest)
}

func (a *hostAPI) GetConfig() *model.Config { return siteConfig(a.h.siteURL) }

func (a *hostAPI) GetUnsanitizedConfig() *model.Config { return siteConfig(a.h.siteURL) }

func (a *hostAPI) GetPluginConfig() map[string]any {
	return effectiveSettings(a.h.manifest, a.h.store.PluginConfig(a.pluginID))
}

func (a *hostAPI) SavePluginConfig(config map[string]any) *model.AppError {
	a.h.store.SavePluginConfig(a.pluginID, overlay(nil, config))
	a.h.notifyConfigChange()
	return nil
}

func (a *hostAPI) GetBundlePath() (string, error) { return a.h.bundlePath, nil }

func (a *hostAPI) GetLicense() *model.License { return nil }

func (a *hostAPI) IsEnterpriseReady() bool { return false }

// GetServerVersion must be semver: pluginapi must-parses it.
func (a *hostAPI) GetServerVersion() string { return model.CurrentVersion }

func (a *hostAPI) GetDiagnosticId() string { return "devhost" }

func (a *hostAPI) GetTelemetryId() string { return "devhost" }

// ---- logs -------------------------------------------------------------------

func (a *hostAPI) LogDebug(msg string, kv ...any) { a.h.record("debug", msg, logPairs(kv)) }
func (a *hostAPI) LogInfo(msg string, kv ...any)  { a.h.record("info", msg, logPairs(kv)) }
func (a *hostAPI) LogWarn(msg string, kv ...any)  { a.h.record("warn", msg, logPairs(kv)) }
func (a *hostAPI) LogError(msg string, kv ...any) { a.h.record("error", msg, logPairs(kv)) }

// ---- websocket --------------------------------------------------------------

// PublishWebSocketEvent reaches clients as custom_<plugin id>_<event>.
func (a *hostAPI) PublishWebSocketEvent(event string, payload map[string]any, broadcast *model.WebsocketBroadcast) {
	var b *model.WebsocketBroadcast
	if broadcast != nil {
		c := *broadcast
		b = &c
	}
	a.h.store.recordEvent(Event{Event: "custom_" + a.pluginID + "_" + event, Data: payload, Broadcast: b})
}
