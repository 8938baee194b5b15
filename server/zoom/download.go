package zoom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Download fetches a recording file with the webhook's download token. Only
// https is allowed, including on redirects, because the token is a bearer
// credential; a redirect must also stay where onZoom says Zoom is (nil: anywhere), so
// a file URL can never send the plugin to fetch from elsewhere. It never reads more
// than maxBytes+1 bytes.
func (c *Client) Download(ctx context.Context, fileURL, downloadToken string, maxBytes int64, onZoom func(rawURL string) bool) ([]byte, error) {
	u, err := url.Parse(fileURL)
	if err != nil {
		return nil, fmt.Errorf("zoom: bad download URL: %w", err)
	}
	if u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("zoom: refusing to download over anything but https")
	}
	maxBytes = max(maxBytes, 0)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	if downloadToken != "" {
		req.Header.Set("Authorization", "Bearer "+downloadToken)
	}
	req.Header.Set("User-Agent", userAgent)

	hc := *defaultHTTPClient(c.HTTP)
	hc.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if r.URL.Scheme != "https" || (onZoom != nil && !onZoom(r.URL.String())) {
			return fmt.Errorf("%w: %s", ErrRedirectRefused, r.URL.Redacted())
		}
		if len(via) >= 10 {
			return errors.New("zoom: too many redirects")
		}
		return nil
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("zoom: download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, readAPIError(resp)
	}
	if resp.ContentLength > maxBytes {
		return nil, ErrTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("zoom: download: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return nil, ErrTooLarge
	}
	return data, nil
}
