package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
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

// AccountCredentialsToken obtains a Server-to-Server OAuth token. Zoom issues no
// refresh token for this grant; the caller asks again when it expires. The grant is
// client credentials with Zoom's own grant_type and the account id.
func AccountCredentialsToken(ctx context.Context, hc *http.Client, zoomURL, accountID, clientID, clientSecret string) (*oauth2.Token, error) {
	cfg := clientcredentials.Config{
		ClientID:       clientID,
		ClientSecret:   clientSecret,
		TokenURL:       strings.TrimRight(zoomURL, "/") + "/oauth/token",
		AuthStyle:      oauth2.AuthStyleInHeader,
		EndpointParams: url.Values{"grant_type": {"account_credentials"}, "account_id": {accountID}},
	}
	return cfg.Token(withHTTPClient(ctx, hc))
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
