package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// maxJSONBody bounds every JSON answer we read from Zoom, so a broken or hostile
// peer cannot make us buffer without limit.
const maxJSONBody = 1 << 20

func defaultHTTPClient(hc *http.Client) *http.Client {
	if hc != nil {
		return hc
	}
	return &http.Client{Timeout: DefaultTimeout}
}

// tokenResponse is Zoom's token answer (see testdata/token-response.json).
type tokenResponse struct {
	AccessToken  string      `json:"access_token"`
	TokenType    string      `json:"token_type"`
	RefreshToken string      `json:"refresh_token"`
	ExpiresIn    json.Number `json:"expires_in"`
	Scope        string      `json:"scope"`
	APIURL       string      `json:"api_url"`
}

// AccountCredentialsToken obtains a Server-to-Server OAuth token. Zoom issues no
// refresh token for this grant; the caller asks again when it expires.
func AccountCredentialsToken(ctx context.Context, hc *http.Client, zoomURL, accountID, clientID, clientSecret string) (*oauth2.Token, error) {
	form := url.Values{"grant_type": {"account_credentials"}, "account_id": {accountID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(zoomURL, "/")+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(clientID, clientSecret)
	resp, err := defaultHTTPClient(hc).Do(req)
	if err != nil {
		return nil, fmt.Errorf("zoom: token request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBody))
	if err != nil {
		return nil, fmt.Errorf("zoom: reading token response: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Same error type as the x/oauth2 grants so IsInvalidGrant works on all.
		re := &oauth2.RetrieveError{Response: resp, Body: body}
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil {
			re.ErrorCode = e.Error
		}
		return nil, re
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return nil, fmt.Errorf("zoom: decoding token response: %w", err)
	}
	if tr.AccessToken == "" {
		return nil, errors.New("zoom: token response without access_token")
	}
	tok := &oauth2.Token{AccessToken: tr.AccessToken, TokenType: tr.TokenType, RefreshToken: tr.RefreshToken}
	if secs, err := tr.ExpiresIn.Int64(); err == nil && secs > 0 {
		tok.Expiry = time.Now().Add(time.Duration(secs) * time.Second)
	}
	return tok.WithExtra(map[string]any{"scope": tr.Scope, "api_url": tr.APIURL}), nil
}

// ComplianceRequest tells Zoom that a deauthorized user's data was handled.
type ComplianceRequest struct {
	ClientID                     string                 `json:"client_id"`
	UserID                       string                 `json:"user_id"`
	AccountID                    string                 `json:"account_id"`
	DeauthorizationEventReceived DeauthorizationPayload `json:"deauthorization_event_received"`
	ComplianceCompleted          bool                   `json:"compliance_completed"`
}

// SendDataCompliance posts to zoomURL/oauth/data/compliance. The previous plugin
// posted under the API base instead; pass that as zoomURL to reproduce it.
func SendDataCompliance(ctx context.Context, hc *http.Client, zoomURL, clientID, clientSecret string, req ComplianceRequest) error {
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(zoomURL, "/")+"/oauth/data/compliance", bytes.NewReader(body))
	if err != nil {
		return err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	hr.SetBasicAuth(clientID, clientSecret)
	resp, err := defaultHTTPClient(hc).Do(hr)
	if err != nil {
		return fmt.Errorf("zoom: data compliance: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return readAPIError(resp)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxJSONBody))
	return nil
}
