package zoom

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// OAuthConfig describes a Zoom OAuth app. AuthStyleInHeader is explicit because
// auto-detection retries every failed request with body credentials, doubling
// the traffic and hiding which form Zoom rejected.
func OAuthConfig(zoomURL, clientID, clientSecret, redirectURL string) *oauth2.Config {
	base := strings.TrimRight(zoomURL, "/")
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		RedirectURL:  redirectURL,
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/oauth/authorize",
			TokenURL:  base + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
}

// withHTTPClient always installs a client, because x/oauth2's fallback,
// http.DefaultClient, has no timeout.
func withHTTPClient(ctx context.Context, hc *http.Client) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, defaultHTTPClient(hc))
}

// Exchange trades an authorization code for a token.
func Exchange(ctx context.Context, cfg *oauth2.Config, hc *http.Client, code string) (*oauth2.Token, error) {
	return cfg.Exchange(withHTTPClient(ctx, hc), code)
}

// Refresh always calls the token endpoint. Zoom rotates refresh tokens, so the
// caller must store the returned token before using it: the old refresh token
// is dead as soon as this returns.
func Refresh(ctx context.Context, cfg *oauth2.Config, hc *http.Client, refreshToken string) (*oauth2.Token, error) {
	if refreshToken == "" {
		return nil, errors.New("zoom: no refresh token")
	}
	// A token without an access token is never valid, so the source must refresh.
	src := cfg.TokenSource(withHTTPClient(ctx, hc), &oauth2.Token{RefreshToken: refreshToken})
	return src.Token()
}

// IsInvalidGrant reports whether Zoom rejected the code or refresh token itself,
// which only a new authorization can fix. Network failures and 5xx answers are
// transient and report false.
func IsInvalidGrant(err error) bool {
	re, ok := errors.AsType[*oauth2.RetrieveError](err)
	if !ok || re.Response == nil {
		return false
	}
	if re.Response.StatusCode != http.StatusBadRequest && re.Response.StatusCode != http.StatusUnauthorized {
		return false
	}
	// x/oauth2 fills ErrorCode only from a body whose content type it knows.
	var body struct {
		Error  string `json:"error"`
		Reason string `json:"reason"`
	}
	_ = json.Unmarshal(re.Body, &body)
	code := cmp.Or(re.ErrorCode, body.Error)
	return code == "invalid_grant" || code == "invalid_request" || body.Reason == "Invalid Token!"
}
