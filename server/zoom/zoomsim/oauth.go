package zoomsim

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// codeTTL is how long an authorization code lives at Zoom.
const codeTTL = 5 * time.Minute

type authCode struct {
	userID        string
	redirectURI   string
	challenge     string
	challengeMeth string
	expires       time.Time
}

type accessToken struct {
	userID    string // "" for account (server-to-server) tokens
	accountID string
	expires   time.Time
}

type refreshToken struct {
	userID    string
	accountID string
	access    string // the access token issued with it
}

type oauthError struct {
	Reason string `json:"reason"`
	Error  string `json:"error"`
}

func writeOAuthError(w http.ResponseWriter, status int, errCode, reason string) {
	writeJSON(w, status, oauthError{Reason: reason, Error: errCode})
}

// clientAuthOK accepts Basic auth, or client_id/client_secret parameters as
// Zoom also does.
func (s *Server) clientAuthOK(w http.ResponseWriter, r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.Form.Get("client_id"), r.Form.Get("client_secret")
	}
	if id == "" || secret == "" {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client",
			"Client ID or client secret is missing. Please provide client ID and client secret either in the header or in the request parameter.")
		return false
	}
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.opts.ClientID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) != 1 {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret")
		return false
	}
	return true
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "Method not allowed")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid request")
		return
	}
	if !s.clientAuthOK(w, r) {
		return
	}
	switch r.Form.Get("grant_type") {
	case "authorization_code":
		s.grantCode(w, r)
	case "refresh_token":
		s.grantRefresh(w, r)
	case "account_credentials":
		s.grantAccount(w, r)
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing grant type")
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type")
	}
}

func (s *Server) grantCode(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[r.Form.Get("code")]
	if !ok {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid authorization code")
		return
	}
	// Single use: a failed exchange burns the code too.
	delete(s.codes, r.Form.Get("code"))
	switch {
	case time.Now().After(c.expires):
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Code is expired")
		return
	case r.Form.Get("redirect_uri") != c.redirectURI:
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Redirect URI mismatch.")
		return
	case c.challenge != "" && !pkceOK(c.challenge, c.challengeMeth, r.Form.Get("code_verifier")):
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid code_verifier")
		return
	}
	u := s.userByIDLocked(c.userID)
	if u == nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid Token!")
		return
	}
	// Re-authorizing revokes the tokens of the earlier authorization.
	s.revokeUserLocked(u.ID)
	s.issueLocked(w, u.ID, u.AccountID, true)
}

func pkceOK(challenge, method, verifier string) bool {
	if verifier == "" {
		return false
	}
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		verifier = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(challenge), []byte(verifier)) == 1
}

// grantRefresh rotates: the presented refresh token dies at once, so of two
// concurrent refreshes with the same token exactly one succeeds.
func (s *Server) grantRefresh(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refresh[r.Form.Get("refresh_token")]
	if !ok {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid Token!")
		return
	}
	delete(s.refresh, r.Form.Get("refresh_token"))
	if s.opts.RevokeAccessOnRefresh {
		delete(s.access, rt.access)
	}
	s.issueLocked(w, rt.userID, rt.accountID, true)
}

func (s *Server) grantAccount(w http.ResponseWriter, r *http.Request) {
	if r.Form.Get("account_id") != s.opts.AccountID {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid account_id")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issueLocked(w, "", s.opts.AccountID, false)
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	Scope        string `json:"scope"`
	APIURL       string `json:"api_url"`
}

func (s *Server) issueLocked(w http.ResponseWriter, userID, accountID string, withRefresh bool) {
	claims := map[string]any{"aud": "https://oauth.zoom.us", "uid": userID, "ver": 10, "typ": "access"}
	at := newJWT(claims)
	s.access[at] = &accessToken{userID: userID, accountID: accountID, expires: time.Now().Add(s.opts.AccessTokenTTL)}
	resp := tokenResponse{AccessToken: at, TokenType: "bearer", ExpiresIn: int64(s.opts.AccessTokenTTL / time.Second),
		Scope: scopes, APIURL: s.URL()}
	if withRefresh {
		claims["typ"] = "refresh"
		resp.RefreshToken = newJWT(claims)
		s.refresh[resp.RefreshToken] = &refreshToken{userID: userID, accountID: accountID, access: at}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

// checkBearer enforces Zoom's token rules for /v2: header only, known, unexpired.
func (s *Server) checkBearer(w http.ResponseWriter, r *http.Request) (*accessToken, bool) {
	if r.URL.Query().Has("access_token") {
		writeError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		return nil, false
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	s.mu.Lock()
	tok, ok := s.access[strings.TrimSpace(token)]
	var copied accessToken
	if ok {
		copied = *tok
	}
	s.mu.Unlock()
	if !strings.EqualFold(scheme, "Bearer") || !ok {
		writeError(w, http.StatusUnauthorized, 124, "Invalid access token.")
		return nil, false
	}
	if !time.Now().Before(copied.expires) {
		writeError(w, http.StatusUnauthorized, 124, "Access token is expired.")
		return nil, false
	}
	return &copied, true
}

// RevokeUserTokens kills every access and refresh token of a Zoom user, as
// when the user removes the app.
func (s *Server) RevokeUserTokens(zoomUserID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeUserLocked(zoomUserID)
}

func (s *Server) revokeUserLocked(zoomUserID string) {
	for k, t := range s.access {
		if t.userID == zoomUserID {
			delete(s.access, k)
		}
	}
	for k, t := range s.refresh {
		if t.userID == zoomUserID {
			delete(s.refresh, k)
		}
	}
}

// ExpireAccessTokens makes every access token issued so far expired; refresh
// tokens stay valid, so clients must refresh.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := time.Now().Add(-time.Second)
	for _, t := range s.access {
		t.expires = past
	}
}

// redirectWithCode sends the browser back to the app with a fresh code.
func (s *Server) redirectWithCode(w http.ResponseWriter, r *http.Request, u *User, q url.Values) {
	code := randString(32, alnum)
	s.mu.Lock()
	s.codes[code] = &authCode{userID: u.ID, redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"),
		challengeMeth: q.Get("code_challenge_method"), expires: time.Now().Add(codeTTL)}
	s.mu.Unlock()
	target, _ := url.Parse(q.Get("redirect_uri"))
	tq := target.Query()
	tq.Set("code", code)
	if st := q.Get("state"); st != "" {
		tq.Set("state", st)
	}
	target.RawQuery = tq.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}
