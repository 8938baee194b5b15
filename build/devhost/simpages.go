package devhost

import (
	"bytes"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
)

// A browser that opens `make run` knows nothing of the simulator's private CA: its
// HTTPS pages would stop the first connect with a certificate warning. With
// Options.SimPagesOverHTTP the devhost serves those pages itself, over its own plain
// http on the loopback address: it forwards the simulator's browser-facing paths, and
// in everything it sends a browser it replaces the simulator's https origin with its
// own. The plugin still talks to the simulator directly, over HTTPS.

// simPagePrefixes are the simulator's paths a browser visits: the OAuth sign-in page,
// start and join links, recording pages and pictures.
var simPagePrefixes = []string{"/oauth/authorize", "/j/", "/s/", "/rec/play/", "/rec/share/", "/p/"}

func isSimPage(path string) bool {
	for _, p := range simPagePrefixes {
		if path == p || strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// toBrowser rewrites the simulator's origin to the devhost's in what a browser gets.
func (h *Host) toBrowser(b []byte) []byte {
	if !h.opts.SimPagesOverHTTP {
		return b
	}
	return bytes.ReplaceAll(b, []byte(h.sim.URL()), []byte(h.siteURL))
}

// browserFacing wraps the devhost's routes: simulator pages are forwarded, every
// other answer (but the websocket, whose frames websocket.go rewrites) has the
// simulator's origin replaced.
func (h *Host) browserFacing(next http.Handler) http.Handler {
	if !h.opts.SimPagesOverHTTP {
		return next
	}
	target, _ := url.Parse(h.sim.URL())
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = h.sim.HTTPClient().Transport
	proxy.ModifyResponse = func(resp *http.Response) error {
		if loc := resp.Header.Get("Location"); loc != "" {
			resp.Header.Set("Location", string(h.toBrowser([]byte(loc))))
		}
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case isSimPage(r.URL.Path):
			proxy.ServeHTTP(w, r)
		case r.URL.Path == "/api/v4/websocket":
			next.ServeHTTP(w, r)
		default:
			buf := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
			next.ServeHTTP(buf, r)
			buf.writeTo(w, h.toBrowser)
		}
	})
}

// bufferedResponse holds an answer so that its text can be rewritten as a whole.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }

// writeTo sends the answer, rewriting the Location header and textual bodies (JSON,
// HTML, text); files and images pass unchanged.
func (b *bufferedResponse) writeTo(w http.ResponseWriter, rewrite func([]byte) []byte) {
	body := b.body.Bytes()
	ct := b.header.Get("Content-Type")
	if ct == "" || strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") {
		body = rewrite(body)
	}
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if loc := w.Header().Get("Location"); loc != "" {
		w.Header().Set("Location", string(rewrite([]byte(loc))))
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(b.status)
	_, _ = w.Write(body)
}
