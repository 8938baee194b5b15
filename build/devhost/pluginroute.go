package devhost

import (
	"net"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// servePlugin routes /plugins/<id>[/...] to the plugin exactly as the server
// does. The user header is set here from the session and never
// taken from the client.
func (h *Host) servePlugin(w http.ResponseWriter, r *http.Request) {
	prefix := "/plugins/" + h.manifest.Id

	// Public files need no session and never reach the plugin.
	if rest, ok := strings.CutPrefix(r.URL.Path, prefix+"/public/"); ok {
		http.ServeFile(w, r, filepath.Join(h.bundlePath, "public", filepath.FromSlash(filepath.Clean("/"+rest))))
		return
	}

	hooks, err := h.hooks()
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}

	token, fromCookie := sessionToken(r)
	r.Header.Del("Mattermost-User-Id")
	r.Header.Del("Mattermost-Plugin-ID")
	r.Header.Del("Referer")
	dropCookie(r, cookieToken)
	if q := r.URL.Query(); q.Has("access_token") {
		q.Del("access_token")
		r.URL.RawQuery = q.Encode()
	}

	ctx := &plugin.Context{
		RequestId:      model.NewId(),
		IPAddress:      clientIP(r),
		AcceptLanguage: r.Header.Get("Accept-Language"),
		UserAgent:      r.UserAgent(),
	}
	if userID, sid := h.store.Session(token); userID != "" {
		r.Header.Del("Authorization")
		if !fromCookie || csrfOK(r, token) {
			r.Header.Set("Mattermost-User-Id", userID)
			ctx.SessionId = sid
		} else {
			h.record("warn", "devhost: CSRF check failed for a cookie-authenticated plugin request; forwarded without a user",
				map[string]any{"path": r.URL.Path, "method": r.Method})
		}
	}

	r.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
	if r.URL.RawPath != "" {
		r.URL.RawPath = strings.TrimPrefix(r.URL.RawPath, prefix)
	}
	hooks.ServeHTTP(ctx, w, r)
}

// dropCookie removes one cookie from the request's Cookie header.
func dropCookie(r *http.Request, name string) {
	cookies := r.Cookies()
	r.Header.Del("Cookie")
	for _, c := range cookies {
		if c.Name != name {
			r.AddCookie(c)
		}
	}
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
