package app

import (
	"errors"
	"fmt"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Kind says what sort of failure an error is. The app decides the kind; the transport
// decides what it means there (api: an HTTP status, command: a reply), so the app
// knows nothing about HTTP. Read it with KindOf.
type Kind int

const (
	// KindInternal is a failure on our side: logged, and shown as a generic apology.
	KindInternal Kind = iota
	// KindBadInput: the request or payload cannot be used as it is.
	KindBadInput
	// KindUnauthorized: the user must connect (or reconnect) Zoom, or is not the user
	// the request was made for.
	KindUnauthorized
	// KindForbidden: the user may not do this here.
	KindForbidden
	// KindNotFound: what the request names does not exist (in Mattermost or Zoom).
	KindNotFound
	// KindConflict: the state changed under the request (already done, no longer waiting).
	KindConflict
	// KindRateLimited: Zoom asked us to slow down.
	KindRateLimited
	// KindZoomFailed: Zoom could not be reached or refused the call.
	KindZoomFailed
	// KindUnavailable: the KV store, the server or a lock failed for now; a retry may
	// succeed (Zoom retries webhooks answered this way).
	KindUnavailable
	// KindNotConfigured: the plugin's settings are incomplete.
	KindNotConfigured
)

// Logged reports whether failures of this kind are logged for an admin: the user is
// only told to try again or to ask for help.
func (k Kind) Logged() bool {
	return k == KindInternal || k == KindZoomFailed || k == KindUnavailable
}

// KindOf returns the kind of err: the outermost kind in its chain, KindNotConfigured for
// ErrNotConfigured, and KindInternal for anything else.
func KindOf(err error) Kind {
	var k interface{ errorKind() Kind }
	if errors.As(err, &k) {
		return k.errorKind()
	}
	if errors.Is(err, ErrNotConfigured) {
		return KindNotConfigured
	}
	return KindInternal
}

// kindError gives an internal error a kind without a message for the user.
type kindError struct {
	kind Kind
	err  error
}

func (e *kindError) Error() string   { return e.err.Error() }
func (e *kindError) Unwrap() error   { return e.err }
func (e *kindError) errorKind() Kind { return e.kind }

// unavailable marks err (a KV or server failure) as worth a retry: a webhook answered
// this way is delivered again by Zoom.
func unavailable(err error) error {
	return &kindError{kind: KindUnavailable, err: err}
}

// UserError carries a message written for the person who asked, and the Kind of
// failure. Everything else that goes wrong is logged and shown as a generic apology,
// so internals never leak into chat.
type UserError struct {
	Kind    Kind
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

func (e *UserError) Unwrap() error   { return e.cause }
func (e *UserError) errorKind() Kind { return e.Kind }

func userError(kind Kind, cause error, format string, args ...any) *UserError {
	return &UserError{Kind: kind, Message: fmt.Sprintf(format, args...), cause: cause}
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

// zoomFailure turns an error from the Zoom API into something a person can act on:
// what failed (actionID, a whole sentence such as "zoom.action.readMeeting") followed
// by why and what to do. An outage never asks anyone to reconnect.
func (a *App) zoomFailure(err error, actionID string) error {
	kind, cause, reason := KindZoomFailed, err, message{id: "zoom.unreachable"}
	var apiErr *zoom.APIError
	switch {
	case zoom.IsRateLimited(err):
		kind, reason.id = KindRateLimited, "zoom.rateLimited"
	case zoom.IsUnavailable(err):
		reason.id = "zoom.unavailable"
	case zoom.IsUnauthorized(err):
		kind, cause, reason.id = KindUnauthorized, errors.Join(ErrReconnect, err), "zoom.unauthorized"
	case errors.As(err, &apiErr) && apiErr.Message != "":
		reason = message{id: "zoom.refused", args: i18n.Args{"reason": apiErr.Message}}
	}
	return a.userErrorMsgs(kind, cause, message{id: actionID}, reason)
}

// LogIfInternal logs errors the user was only told to report: the ones that are ours,
// not theirs (Kind.Logged).
func (a *App) LogIfInternal(what string, err error, keyValues ...any) {
	if KindOf(err).Logged() {
		a.host.LogError(what, append(keyValues, "error", err.Error())...)
	}
}
