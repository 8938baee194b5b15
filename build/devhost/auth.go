package devhost

import (
	"net/http"
	"strings"
)

// Cookie and header names the Mattermost webapp uses.
const (
	cookieToken  = "MMAUTHTOKEN"
	cookieUserID = "MMUSERID"
	cookieCSRF   = "MMCSRF"
	headerCSRF   = "X-CSRF-Token"
)

// sessionToken finds the token as the server does: Authorization header
// (Bearer or Token, any case), then the MMAUTHTOKEN cookie, then the
// access_token query parameter. fromCookie tells whether CSRF rules apply.
func sessionToken(r *http.Request) (token string, fromCookie bool) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		if len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
			return strings.TrimSpace(auth[7:]), false
		}
		if len(auth) > 6 && strings.EqualFold(auth[:6], "token ") {
			return strings.TrimSpace(auth[6:]), false
		}
	}
	if c, err := r.Cookie(cookieToken); err == nil && c.Value != "" {
		return c.Value, true
	}
	if t := r.URL.Query().Get("access_token"); t != "" {
		return t, false
	}
	return "", false
}

// csrfOK applies the server's rule for cookie-authenticated non-GET
// requests: X-CSRF-Token equal to the session token, or (non-strict mode)
// X-Requested-With: XMLHttpRequest.
func csrfOK(r *http.Request, token string) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	if r.Header.Get(headerCSRF) == token {
		return true
	}
	return r.Header.Get("X-Requested-With") == "XMLHttpRequest"
}

// sessionUser is the authenticated user of r, or "" when there is none (no
// or unknown token, or a cookie session failing the CSRF rule).
func (h *Host) sessionUser(r *http.Request) (userID, token string) {
	token, fromCookie := sessionToken(r)
	if token == "" {
		return "", ""
	}
	userID = h.store.SessionUser(token)
	if userID == "" || (fromCookie && !csrfOK(r, token)) {
		return "", ""
	}
	return userID, token
}

// tokenFor returns a session token for a user, made once per host, for the
// Go API's requests.
func (h *Host) tokenFor(userID string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t, ok := h.tokens[userID]; ok {
		return t
	}
	t := h.store.NewSession(userID)
	h.tokens[userID] = t
	return t
}

// login sets the webapp's cookies for a new session of the user.
func (h *Host) login(w http.ResponseWriter, userID string) {
	token := h.store.NewSession(userID)
	csrf := token // the server derives MMCSRF from the session; equality is what it checks
	http.SetCookie(w, &http.Cookie{Name: cookieToken, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.SetCookie(w, &http.Cookie{Name: cookieUserID, Value: userID, Path: "/", SameSite: http.SameSiteLaxMode})
	http.SetCookie(w, &http.Cookie{Name: cookieCSRF, Value: csrf, Path: "/", SameSite: http.SameSiteLaxMode})
}
