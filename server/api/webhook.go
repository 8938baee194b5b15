package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"sync/atomic"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// plainTokenPattern is the shape of Zoom's URL-validation tokens. Anything else is
// refused: answering HMAC(secret, x) for an arbitrary x would let anyone forge webhook
// signatures, which are HMACs under the same secret.
var plainTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// webhookGate checks everything about a webhook request before the app sees it.
type webhookGate struct {
	app *app.App
	log Logger
	// failClosedLogged remembers for which configuration the "no secret" refusal was
	// logged, so the log says it once per configuration, not once per request.
	failClosedLogged atomic.Pointer[config.Settings]
}

// readBody runs the checks every Zoom call shares: URL secret, content type and size.
// It answers the request itself on failure.
func (g *webhookGate) readBody(w http.ResponseWriter, req *http.Request) (*config.Settings, []byte, bool) {
	s := g.app.Settings()
	if !app.SameSecret(req.URL.Query().Get("secret"), s.WebhookSecret) {
		http.Error(w, "invalid webhook secret", http.StatusUnauthorized)
		return nil, nil, false
	}
	mediaType, _, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		http.Error(w, "expected Content-Type application/json", http.StatusBadRequest)
		return nil, nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxWebhookBody))
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "could not read body", http.StatusBadRequest)
		}
		return nil, nil, false
	}
	return s, body, true
}

// verified checks Zoom's signature. With no Zoom secret configured it fails closed:
// an unsigned webhook could be forged by anyone who learns the URL.
func (g *webhookGate) verified(w http.ResponseWriter, req *http.Request, s *config.Settings, body []byte) bool {
	if s.ZoomWebhookSecret == "" {
		if g.failClosedLogged.Swap(s) != s {
			g.log.LogWarn("Refusing Zoom webhooks: the Zoom Webhook Secret setting is empty, so their signatures cannot be checked. Copy the Secret Token from your Zoom app's Feature page into System Console > Plugins > Zoom > Zoom Webhook Secret.")
		}
		g.app.Diagnostics().RecordFailClosed()
		http.Error(w, "webhooks are refused until the Zoom Webhook Secret is configured", http.StatusUnauthorized)
		return false
	}
	ts, sig := req.Header.Get(zoom.HeaderTimestamp), req.Header.Get(zoom.HeaderSignature)
	if err := zoom.VerifySignature(s.ZoomWebhookSecret, ts, sig, body, time.Now()); err != nil {
		g.app.Diagnostics().RecordRefusal(err.Error())
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return false
	}
	return true
}

func (g *webhookGate) serveWebhook(w http.ResponseWriter, req *http.Request) {
	s, body, ok := g.readBody(w, req)
	if !ok {
		return
	}
	event, err := zoom.ParseEvent(body)
	if err != nil {
		http.Error(w, "malformed event: "+err.Error(), http.StatusBadRequest)
		return
	}
	if event.Event == zoom.EventURLValidation {
		g.urlValidation(w, req, s, body, event)
		return
	}
	if !g.verified(w, req, s, body) {
		return
	}
	if err := g.app.HandleWebhook(req.Context(), event); err != nil {
		g.failed(w, err, "Webhook processing failed", "event", event.Event)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// urlValidation answers Zoom's endpoint check. Zoom may or may not sign it; when it
// does, the signature must verify.
func (g *webhookGate) urlValidation(w http.ResponseWriter, req *http.Request, s *config.Settings, body []byte, event *zoom.Event) {
	if s.ZoomWebhookSecret == "" {
		http.Error(w, "set the Zoom Webhook Secret in System Console > Plugins > Zoom first", http.StatusBadRequest)
		return
	}
	if req.Header.Get(zoom.HeaderSignature) != "" && !g.verified(w, req, s, body) {
		return
	}
	plain, err := event.PlainToken()
	if err != nil || !plainTokenPattern.MatchString(plain) {
		http.Error(w, "malformed plainToken", http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusOK, zoom.URLValidation(s.ZoomWebhookSecret, plain))
}

// serveDeauthorization handles app_deauthorized. It deletes a user's connection, so
// like every webhook it must carry Zoom's signature, and without a Zoom secret to check
// it with, it is refused (the URL secret alone leaks too easily: logs, proxies).
func (g *webhookGate) serveDeauthorization(w http.ResponseWriter, req *http.Request) {
	s, body, ok := g.readBody(w, req)
	if !ok {
		return
	}
	if !g.verified(w, req, s, body) {
		return
	}
	event, err := zoom.ParseEvent(body)
	if err != nil {
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	if event.Event != zoom.EventAppDeauthorized {
		w.WriteHeader(http.StatusOK)
		return
	}
	payload, err := event.Deauthorization()
	if err != nil {
		http.Error(w, "malformed deauthorization payload", http.StatusBadRequest)
		return
	}
	if err := g.app.Deauthorize(req.Context(), payload); err != nil {
		g.failed(w, err, "Deauthorization failed")
		return
	}
	w.WriteHeader(http.StatusOK)
}

// failed answers a Zoom call the app could not handle, in English, with the status
// that tells Zoom whether a retry may help; failures on our side are logged.
func (g *webhookGate) failed(w http.ResponseWriter, err error, what string, keyValues ...any) {
	g.app.LogIfInternal(what, err, keyValues...)
	http.Error(w, g.app.MessageFor("", err), statusOf(err))
}
