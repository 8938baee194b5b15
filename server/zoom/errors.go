package zoom

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// ErrTooLarge means a download exceeded the caller's size limit.
var ErrTooLarge = errors.New("zoom: file exceeds the size limit")

// ErrRedirectRefused means a download was redirected somewhere it may not go.
var ErrRedirectRefused = errors.New("zoom: download redirected away from Zoom")

// Zoom error codes worth matching on; the wording of messages varies, codes do not.
const (
	CodeInvalidToken    = 124
	CodeMeetingNotFound = 3001
)

// APIError is a non-2xx answer from Zoom. Code and Message come from Zoom's
// {"code","message"} body when there is one.
type APIError struct {
	StatusCode int
	Code       int
	Message    string
	// RetryAfter is how long Zoom asked us to wait on a 429; zero when unknown.
	RetryAfter time.Duration

	waitKnown bool // a 429 where Zoom named a wait (possibly zero); unknown waits are not retried
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("zoom: HTTP %d", e.StatusCode)
	if e.Code != 0 {
		s += fmt.Sprintf(" code %d", e.Code)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// maxErrorBody is small because error bodies are only ever a code and a sentence.
const maxErrorBody = 64 << 10

// readAPIError turns an error response into *APIError without trusting the body
// to be JSON, or small.
func readAPIError(resp *http.Response) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &APIError{StatusCode: resp.StatusCode}
	var z struct {
		Code    json.Number `json:"code"`
		Message string      `json:"message"`
	}
	if json.Unmarshal(body, &z) == nil {
		if n, err := z.Code.Int64(); err == nil {
			e.Code = int(n)
		}
		e.Message = z.Message
	}
	if e.Message == "" {
		text := strings.TrimSpace(string(body))
		e.Message = cmp.Or(text[:min(len(text), 200)], http.StatusText(resp.StatusCode))
	}
	return e
}

// IsNotFound reports a 404 (unknown user, meeting or past meeting).
func IsNotFound(err error) bool {
	ae, ok := errors.AsType[*APIError](err)
	return ok && ae.StatusCode == http.StatusNotFound
}

// IsUnauthorized reports an access token Zoom no longer accepts; a refresh or a
// reconnect is needed.
func IsUnauthorized(err error) bool {
	ae, ok := errors.AsType[*APIError](err)
	return ok && (ae.StatusCode == http.StatusUnauthorized || ae.Code == CodeInvalidToken)
}

// IsRateLimited reports a 429 that was not (or could not be) retried.
func IsRateLimited(err error) bool {
	ae, ok := errors.AsType[*APIError](err)
	return ok && ae.StatusCode == http.StatusTooManyRequests
}

// IsRefusedForGood reports an answer that asking again will not change: a 4xx other
// than 408 (timeout) and 429 (rate limit), from the API or from the token endpoint.
func IsRefusedForGood(err error) bool {
	status := 0
	if ae, ok := errors.AsType[*APIError](err); ok {
		status = ae.StatusCode
	} else if re, ok := errors.AsType[*oauth2.RetrieveError](err); ok && re.Response != nil {
		status = re.Response.StatusCode
	}
	return status >= 400 && status < 500 && status != http.StatusTooManyRequests && status != http.StatusRequestTimeout
}

// IsUnavailable reports failures a later retry may fix: 5xx answers, timeouts
// and broken connections. A cancellation by the caller is not one of them.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if ae, ok := errors.AsType[*APIError](err); ok {
		return ae.StatusCode >= 500
	}
	// A certificate Zoom's host does not pass is a configuration problem;
	// retrying cannot fix it.
	if errors.As(err, new(*tls.CertificateVerificationError)) || errors.As(err, new(x509.UnknownAuthorityError)) ||
		errors.As(err, new(x509.HostnameError)) || errors.As(err, new(x509.CertificateInvalidError)) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	return errors.As(err, new(net.Error))
}
