package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Defaults for NewClient.
const (
	DefaultTimeout      = 15 * time.Second
	DefaultMaxRetryWait = 2 * time.Second
)

const userAgent = "zoom-for-mattermost"

// Client calls Zoom's REST API v2 on behalf of whoever's access token is passed
// to each call; it holds no credentials itself.
type Client struct {
	// BaseURL is the API root including /v2; access tokens are only ever sent here.
	BaseURL string
	HTTP    *http.Client
	// MaxRetryWait is the longest 429 wait worth sitting through once; longer
	// waits are returned to the caller as a rate-limit error.
	MaxRetryWait time.Duration
	// OnUnauthorized, when set, learns of each access token the API refused, so that a
	// cached token can be dropped.
	OnUnauthorized func(accessToken string)
}

// NewClient returns a client for baseURL, such as https://api.zoom.us/v2. A nil hc gets
// a client with DefaultTimeout, since net/http's default never times out.
func NewClient(baseURL string, hc *http.Client) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: defaultHTTPClient(hc), MaxRetryWait: DefaultMaxRetryWait}
}

// call performs one API request; any 2xx answer is success. path must already be
// escaped. A 429 is retried once when Zoom's requested wait fits within MaxRetryWait.
func (c *Client) call(ctx context.Context, method, path, accessToken string, in, out any) error {
	if accessToken == "" {
		return errors.New("zoom: no access token")
	}
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	err := c.once(ctx, method, path, accessToken, body, out)
	if ae, ok := errors.AsType[*APIError](err); ok && ae.waitKnown && ae.RetryAfter <= c.MaxRetryWait {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(ae.RetryAfter):
		}
		err = c.once(ctx, method, path, accessToken, body, out)
	}
	if c.OnUnauthorized != nil && IsUnauthorized(err) {
		c.OnUnauthorized(accessToken)
	}
	return err
}

func (c *Client) once(ctx context.Context, method, path, accessToken string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	// The REST API never redirects; following one could hand the access token
	// to another host (net/http keeps it for the same host on any port).
	hc := *defaultHTTPClient(c.HTTP)
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("zoom: %s %s: %w", method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		ae := readAPIError(resp)
		if resp.StatusCode == http.StatusTooManyRequests {
			if d := retryAfter(resp.Header, time.Now()); d >= 0 {
				ae.RetryAfter, ae.waitKnown = d, true
			}
		}
		return ae
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxJSONBody))
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBody+1))
	if err != nil {
		return fmt.Errorf("zoom: reading %s: %w", req.URL.Path, err)
	}
	if len(data) > maxJSONBody {
		return fmt.Errorf("zoom: %s: response larger than %d bytes", req.URL.Path, maxJSONBody)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("zoom: decoding %s: %w", req.URL.Path, err)
	}
	return nil
}
