// Package api serves the plugin's HTTP routes: OAuth pages, the webapp's API, message
// actions and dialogs, and Zoom's webhooks. Handlers parse and authorise, call the app,
// and shape the answer; behaviour lives in server/app.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/app"
)

// Limits on what a request may send us.
const (
	maxAPIBody     = 64 << 10 // webapp JSON, actions, dialogs
	maxWebhookBody = 1 << 20  // Zoom events
	userIDHeader   = "Mattermost-User-Id"
)

// Logger is the logging the router needs (plugin.API satisfies it).
type Logger interface {
	LogError(msg string, keyValuePairs ...any)
	LogWarn(msg string, keyValuePairs ...any)
}

// Router is the plugin's http.Handler.
type Router struct {
	app      *app.App
	log      Logger
	mux      *http.ServeMux
	webhooks *webhookGate
}

// NewRouter builds the routes. Every route refuses to work while the plugin is
// unconfigured (501), every user route requires the Mattermost-User-Id header the
// server sets from the session (401), and no panic escapes.
func NewRouter(a *app.App, log Logger) *Router {
	r := &Router{app: a, log: log, mux: http.NewServeMux(), webhooks: &webhookGate{app: a, log: log}}
	user := func(pattern string, h func(http.ResponseWriter, *http.Request, string)) {
		r.mux.Handle(pattern, r.configured(requireUser(h)))
	}
	user("GET "+pathConnect, r.connect)
	user("GET "+pathOAuthComplete, r.complete)
	user("POST "+pathMeetings, r.startMeeting)
	user("POST "+pathAskPMI, r.postAction(a.AnswerPMIQuestion))
	// The "Share in this channel" button of /zoom list; its context names the user it
	// was for, who must be the session's user.
	user("POST "+pathShare, r.postAction(a.ShareFromList))
	user("POST "+pathUpdatePMI, r.postAction(func(_ context.Context, userID string, action *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
		return a.UpdatePMI(userID, action)
	}))
	user("POST "+pathChannelPreference, dialogSubmission(r, r.channelPreference))
	// The buttons of the large-channel confirmation card.
	user("POST "+pathConfirmStart, r.postAction(a.ConfirmStart))
	user("POST "+pathScheduleCancel, r.postAction(r.cancelSchedule))
	user("POST "+pathScheduleDialog, dialogSubmission(r, a.SubmitScheduleDialog))
	r.mux.Handle("POST "+pathWebhook, r.configured(http.HandlerFunc(r.webhooks.serveWebhook)))
	r.mux.Handle("POST "+pathDeauthorization, r.configured(http.HandlerFunc(r.webhooks.serveDeauthorization)))
	r.mux.HandleFunc("GET "+pathHealth, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return r
}

// ServeHTTP recovers from panics so one bad request never takes the plugin down.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			r.log.LogError("Recovered from a panic in an HTTP handler", "path", req.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	r.mux.ServeHTTP(w, req)
}

// configured answers 501 with an explanation until the admin finishes the settings.
func (r *Router) configured(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.app.Settings() == nil {
			// In the language of the user the request is from (English for Zoom's webhooks).
			http.Error(w, r.app.MessageFor(req.Header.Get(userIDHeader), app.ErrNotConfigured), http.StatusNotImplemented)
			return
		}
		next.ServeHTTP(w, req)
	})
}

func requireUser(h func(http.ResponseWriter, *http.Request, string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		userID := req.Header.Get(userIDHeader)
		if userID == "" {
			http.Error(w, "Not authorized: log in to Mattermost first.", http.StatusUnauthorized)
			return
		}
		h(w, req, userID)
	})
}

// decodeJSON reads a size-limited JSON object into v.
func decodeJSON(w http.ResponseWriter, req *http.Request, v any) error {
	body := http.MaxBytesReader(w, req.Body, maxAPIBody)
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			return &httpError{status: http.StatusRequestEntityTooLarge, msg: "request body too large"}
		}
		return &httpError{status: http.StatusBadRequest, msg: "request body is not valid JSON"}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &httpError{status: http.StatusBadRequest, msg: "request body has trailing data"}
	}
	return nil
}

type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers a JSON {"error"} with the status that fits, in the language of
// the user the request is from; internal errors are logged and shown as a generic
// message.
func (r *Router) writeError(w http.ResponseWriter, req *http.Request, err error) {
	var he *httpError
	if errors.As(err, &he) {
		writeJSON(w, he.status, map[string]string{"error": he.msg})
		return
	}
	r.app.LogIfInternal("Request failed", err)
	writeJSON(w, statusOf(err), map[string]string{"error": r.app.MessageFor(req.Header.Get(userIDHeader), err)})
}

// statusByKind is the one place an app error kind becomes an HTTP status.
var statusByKind = map[app.Kind]int{
	app.KindBadInput:      http.StatusBadRequest,
	app.KindUnauthorized:  http.StatusUnauthorized,
	app.KindForbidden:     http.StatusForbidden,
	app.KindNotFound:      http.StatusNotFound,
	app.KindConflict:      http.StatusConflict,
	app.KindRateLimited:   http.StatusTooManyRequests,
	app.KindZoomFailed:    http.StatusBadGateway,
	app.KindUnavailable:   http.StatusServiceUnavailable,
	app.KindNotConfigured: http.StatusNotImplemented,
}

// statusOf answers 500 for every kind the table does not name.
func statusOf(err error) int {
	if status, ok := statusByKind[app.KindOf(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}

func isTrue(v string) bool { return strings.EqualFold(v, "true") || v == "1" }
