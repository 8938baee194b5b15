package zoom

import (
	"context"
	"errors"
	"net/http"

	"golang.org/x/oauth2"
)

// ErrClientRejected means Zoom's token endpoint refused the app's client id or secret.
var ErrClientRejected = errors.New("zoom: the OAuth client id or client secret was refused")

// probeRefreshToken is a refresh token Zoom cannot know.
const probeRefreshToken = "zoom-plugin-credential-check"

// ProbeClientCredentials checks an OAuth app's client id and secret without any user:
// it asks the token endpoint to refresh a token that does not exist. Zoom checks the
// client first, so "invalid_client" (or a 401) means the credentials are wrong, while
// "invalid_grant"/"invalid_request" on a 400 means they were accepted. Anything else
// (network, 5xx) is returned as is.
func ProbeClientCredentials(ctx context.Context, cfg *oauth2.Config, hc *http.Client) error {
	_, err := Refresh(ctx, cfg, hc, probeRefreshToken)
	if err == nil {
		return nil // Zoom accepted a refresh token it never issued; the client is fine
	}
	re, ok := errors.AsType[*oauth2.RetrieveError](err)
	if !ok || re.Response == nil {
		return err
	}
	if re.ErrorCode == "invalid_client" || re.Response.StatusCode == http.StatusUnauthorized {
		return errors.Join(ErrClientRejected, err)
	}
	if IsInvalidGrant(err) {
		return nil
	}
	return err
}
