package zoom_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// A recording download follows redirects only while they stay on Zoom's hosts.
func TestDownloadRedirectsStayOnZoom(t *testing.T) {
	var elsewhereHit atomic.Bool
	var loops atomic.Int32
	elsewhere := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhereHit.Store(true)
		_, _ = w.Write([]byte("not zoom"))
	}))
	defer elsewhere.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rec/away":
			http.Redirect(w, r, elsewhere.URL+"/file", http.StatusFound)
		case "/rec/moved":
			http.Redirect(w, r, "/rec/file", http.StatusFound)
		case "/rec/file":
			_, _ = w.Write([]byte("recording"))
		case "/rec/loop":
			loops.Add(1)
			http.Redirect(w, r, "/rec/loop", http.StatusFound)
		}
	}))
	defer srv.Close()
	// Both test servers share one certificate authority, so the client trusts both.
	c := zoom.NewClient(srv.URL, srv.Client())
	zoomHost := srv.Listener.Addr().String()
	onZoom := func(raw string) bool {
		u, err := url.Parse(raw)
		return err == nil && u.Host == zoomHost
	}
	ctx := context.Background()

	data, err := c.Download(ctx, srv.URL+"/rec/away", "download-token", 1<<10, onZoom)
	if !errors.Is(err, zoom.ErrRedirectRefused) || data != nil || elsewhereHit.Load() {
		t.Fatalf("redirect away from Zoom: %q %v (fetched: %v)", data, err, elsewhereHit.Load())
	}
	data, err = c.Download(ctx, srv.URL+"/rec/moved", "download-token", 1<<10, onZoom)
	if err != nil || string(data) != "recording" {
		t.Fatalf("redirect within Zoom: %q %v", data, err)
	}
	// Like net/http's default, at most 10 redirects are followed.
	if data, err := c.Download(ctx, srv.URL+"/rec/loop", "download-token", 1<<10, onZoom); err == nil || loops.Load() != 10 {
		t.Fatalf("an endless redirect loop: %q %v after %d requests", data, err, loops.Load())
	}
}
