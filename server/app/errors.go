package app

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// UserError carries a message written for the person who asked, and the HTTP status
// that fits it. Everything else that goes wrong is logged and shown as a generic
// apology, so internals never leak into chat.
type UserError struct {
	Status  int
	Message string
	cause   error
	// msgs translate Message, one whole sentence each (userErrorT, zoomFailure);
	// empty for untranslated messages.
	msgs []message
}

// message is one translatable sentence: an id of assets/i18n and its arguments.
type message struct {
	id   string
	args i18n.Args
}

func (e *UserError) Error() string {
	if e.cause != nil {
		return e.Message + ": " + e.cause.Error()
	}
	return e.Message
}

func (e *UserError) Unwrap() error { return e.cause }

func userError(status int, cause error, format string, args ...any) *UserError {
	return &UserError{Status: status, Message: fmt.Sprintf(format, args...), cause: cause}
}

// Sentinel causes the transport layer can match.
var (
	ErrNotConnected      = errors.New("not connected to Zoom")
	ErrReconnect         = errors.New("the Zoom connection is no longer valid")
	ErrAdminNotConnected = errors.New("no admin has connected the account-level Zoom app")
	ErrZoomUserNotFound  = errors.New("no Zoom user with this email")
	ErrEmailUnverified   = errors.New("the Mattermost email is not verified")
	ErrForbidden         = errors.New("forbidden")
	ErrBadState          = errors.New("invalid or expired OAuth state")
)

// MessageOf returns the text to show a user for err.
func MessageOf(err error) string {
	var ue *UserError
	if errors.As(err, &ue) {
		return ue.Message
	}
	if errors.Is(err, ErrNotConfigured) {
		return errNotConfiguredEnglish
	}
	return errInternalEnglish
}

// errNotConfiguredEnglish is en.json's error.notConfigured, for callers without an App.
const errNotConfiguredEnglish = "The Zoom plugin is not configured yet: a system admin must finish its settings in System Console > Plugins > Zoom."

// errInternalEnglish is en.json's error.internal, for callers without an App.
const errInternalEnglish = "Something went wrong on our side and the Zoom plugin could not finish. Please try again; if it keeps happening, ask your system admin to check the server logs."

// StatusOf returns the HTTP status that fits err.
func StatusOf(err error) int {
	var ue *UserError
	if errors.As(err, &ue) && ue.Status != 0 {
		return ue.Status
	}
	if errors.Is(err, ErrNotConfigured) {
		return http.StatusNotImplemented
	}
	return http.StatusInternalServerError
}

// zoomFailure turns an error from the Zoom API into something a person can act on:
// what failed (actionID, a whole sentence such as "zoom.action.readMeeting") followed
// by why and what to do. An outage never asks anyone to reconnect.
func (a *App) zoomFailure(err error, actionID string) error {
	status, cause, reason := http.StatusBadGateway, err, message{id: "zoom.unreachable"}
	var apiErr *zoom.APIError
	switch {
	case zoom.IsRateLimited(err):
		status, reason.id = http.StatusTooManyRequests, "zoom.rateLimited"
	case zoom.IsUnavailable(err):
		reason.id = "zoom.unavailable"
	case zoom.IsUnauthorized(err):
		status, cause, reason.id = http.StatusUnauthorized, errors.Join(ErrReconnect, err), "zoom.unauthorized"
	case errors.As(err, &apiErr) && apiErr.Message != "":
		reason = message{id: "zoom.refused", args: i18n.Args{"reason": apiErr.Message}}
	}
	return a.userErrorMsgs(status, cause, message{id: actionID}, reason)
}

// LogIfInternal logs errors the user was only told to report: the ones that are ours,
// not theirs (5xx other than "not configured").
func (a *App) LogIfInternal(what string, err error) {
	if status := StatusOf(err); status >= 500 && status != http.StatusNotImplemented {
		a.host.LogError(what, "error", err.Error())
	}
}
