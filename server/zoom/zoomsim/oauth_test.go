package zoomsim_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

func TestTokenResponseShape(t *testing.T) {
	s := newSim(t, zoomsim.Options{AccessTokenTTL: 10 * time.Minute})
	body := login(t, s, "alice@example.com")
	if body["token_type"] != "bearer" || body["expires_in"] != float64(600) || body["api_url"] != s.URL() ||
		!strings.HasPrefix(body["access_token"].(string), "eyJ") || body["refresh_token"] == "" ||
		!strings.Contains(body["scope"].(string), "meeting:write:meeting") {
		t.Fatalf("%v", body)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	cases := []struct {
		name   string
		form   url.Values
		basic  bool
		status int
		want   map[string]any
	}{
		{"dead refresh token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"}}, true, 400,
			map[string]any{"reason": "Invalid Token!", "error": "invalid_grant"}},
		{"bad code", url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "redirect_uri": {redirect}}, true, 400,
			map[string]any{"reason": "Invalid authorization code", "error": "invalid_request"}},
		{"no client credentials", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"}}, false, 401, nil},
		{"credentials in the body are accepted", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"},
			"client_id": {s.ClientID()}, "client_secret": {s.ClientSecret()}}, false, 400,
			map[string]any{"reason": "Invalid Token!", "error": "invalid_grant"}},
		{"unknown grant", url.Values{"grant_type": {"password"}}, true, 400, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := post(t, s, c.form, c.basic)
			if status != c.status {
				t.Fatalf("status %d %v", status, body)
			}
			if c.want != nil && !equalJSON(body, c.want) {
				t.Fatalf("body %v, want %v", body, c.want)
			}
		})
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestAuthorizeValidationAndPicker(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	b := noFollow(s)
	for name, extra := range map[string]url.Values{
		"wrong client":      {"client_id": {"other"}},
		"no redirect":       {"redirect_uri": {""}},
		"wrong type":        {"response_type": {"token"}},
		"relative redirect": {"redirect_uri": {"/cb"}},
	} {
		resp, err := b.Get(authorizeURL(s, extra))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d", name, resp.StatusCode)
		}
	}

	// Without a login user the page lists users; each link completes as that user.
	bob := s.AddUser(zoomsim.User{Email: "bob@example.com", FirstName: "Bob"})
	resp, err := b.Get(authorizeURL(s, nil))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`href="([^"]+)" data-email="bob@example.com"`).FindSubmatch(page)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("picker %d: %s", resp.StatusCode, page)
	}
	link := strings.ReplaceAll(string(m[1]), "&amp;", "&")
	resp, err = b.Get(s.URL() + link)
	if err != nil {
		t.Fatal(err)
	}
	code := codeFrom(t, resp)
	_, tok := post(t, s, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}}, true)
	_, me := api(t, s, "GET", "/users/me", tok["access_token"].(string), "")
	if me["id"] != bob.ID {
		t.Fatalf("authorized as %v", me["id"])
	}

	s.SetLoginUser("nobody@example.com")
	resp, _ = b.Get(authorizeURL(s, nil))
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("unknown login user: %d", resp.StatusCode)
	}
}

func TestPKCE(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	s.SetLoginUser("alice@example.com")
	verifier := "a-verifier-of-at-least-forty-three-characters-long"
	sum := sha256.Sum256([]byte(verifier))
	extra := url.Values{"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	for _, c := range []struct {
		verifier string
		status   int
	}{{"wrong", 400}, {verifier, 200}} {
		resp, err := noFollow(s).Get(authorizeURL(s, extra))
		if err != nil {
			t.Fatal(err)
		}
		status, body := post(t, s, url.Values{"grant_type": {"authorization_code"}, "code": {codeFrom(t, resp)},
			"redirect_uri": {redirect}, "code_verifier": {c.verifier}}, true)
		if status != c.status {
			t.Fatalf("verifier %q: %d %v", c.verifier, status, body)
		}
	}
}

func TestRevokeAccessOnRefreshSwitch(t *testing.T) {
	for _, revoke := range []bool{false, true} {
		s := newSim(t, zoomsim.Options{RevokeAccessOnRefresh: revoke})
		tok := login(t, s, "alice@example.com")
		post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}}, true)
		status, _ := api(t, s, "GET", "/users/me", tok["access_token"].(string), "")
		if (status == 200) == revoke {
			t.Fatalf("revoke=%v: old access token answered %d", revoke, status)
		}
	}
}
