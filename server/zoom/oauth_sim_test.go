package zoom_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

func TestAuthorizeExchangeAndGetMe(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	code, state := e.authorize(t, "alice@example.com", "xyz_state")
	if code == "" || state != "xyz_state" {
		t.Fatalf("code %q state %q", code, state)
	}
	tok, err := zoom.Exchange(ctx, e.cfg, e.hc, code)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.AccessToken, "eyJ") || tok.RefreshToken == "" || !strings.EqualFold(tok.TokenType, "bearer") {
		t.Fatalf("token %+v", tok)
	}
	if left := time.Until(tok.Expiry); left < 59*time.Minute || left > time.Hour {
		t.Fatalf("expiry in %s", left)
	}
	if tok.Extra("api_url") != e.sim.URL() {
		t.Fatalf("api_url %v", tok.Extra("api_url"))
	}
	me, err := e.api.GetUser(ctx, tok.AccessToken, "me")
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != e.alice.ID || me.Email != "alice@example.com" || me.PMI != 7391846250 || me.AccountID != zoomsimAccount ||
		me.DisplayName != "Alice Archer" || !strings.Contains(me.PersonalMeetingURL, "/j/7391846250") {
		t.Fatalf("me = %+v", me)
	}
	// The token endpoint saw Basic auth, the API a bearer, and the log holds no secret.
	for _, c := range e.sim.Calls() {
		want := map[string]string{"/oauth/token": "Basic", "/v2/users/me": "Bearer", "/oauth/authorize": ""}[c.Path]
		if c.Authorization != want {
			t.Errorf("%s %s authorization %q, want %q", c.Method, c.Path, c.Authorization, want)
		}
		if strings.Contains(c.Query, code) || strings.Contains(c.Query, tok.AccessToken) {
			t.Errorf("call log leaks a secret: %+v", c)
		}
	}
}

const zoomsimAccount = "RT7-vfD3WtR7cNIvzXvliw"

func TestCodeIsSingleUseAndBoundToRedirect(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	code, _ := e.authorize(t, "alice@example.com", "s")
	if _, err := zoom.Exchange(ctx, e.cfg, e.hc, code); err != nil {
		t.Fatal(err)
	}
	if _, err := zoom.Exchange(ctx, e.cfg, e.hc, code); !zoom.IsInvalidGrant(err) {
		t.Fatalf("reused code: %v", err)
	}
	code, _ = e.authorize(t, "alice@example.com", "s")
	other := *e.cfg
	other.RedirectURL = "https://evil.example.com/cb"
	if _, err := zoom.Exchange(ctx, &other, e.hc, code); !zoom.IsInvalidGrant(err) {
		t.Fatalf("redirect mismatch: %v", err)
	}
	code, _ = e.authorize(t, "alice@example.com", "s")
	bad := *e.cfg
	bad.ClientSecret = "wrong"
	_, err := zoom.Exchange(ctx, &bad, e.hc, code)
	if err == nil || zoom.IsInvalidGrant(err) {
		t.Fatalf("a wrong client secret is a configuration error, not a dead grant: %v", err)
	}
}

func TestRefreshRotates(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first := e.connect(t, "alice@example.com")
	second, err := zoom.Refresh(ctx, e.cfg, e.hc, first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
		t.Fatal("refresh did not rotate")
	}
	if _, err := zoom.Refresh(ctx, e.cfg, e.hc, first.RefreshToken); !zoom.IsInvalidGrant(err) {
		t.Fatalf("old refresh token: %v", err)
	}
	if _, err := e.api.GetUser(ctx, second.AccessToken, "me"); err != nil {
		t.Fatal(err)
	}
	if _, err := zoom.Refresh(ctx, e.cfg, e.hc, second.RefreshToken); err != nil {
		t.Fatalf("new refresh token: %v", err)
	}
}

func TestConcurrentRefreshesOneWins(t *testing.T) {
	e := newEnv(t)
	tok := e.connect(t, "alice@example.com")
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = zoom.Refresh(context.Background(), e.cfg, e.hc, tok.RefreshToken)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !zoom.IsInvalidGrant(err) {
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d refreshes succeeded, want 1", ok)
	}
}

func TestRevokedAndExpiredTokens(t *testing.T) {
	ctx := context.Background()
	t.Run("revoked", func(t *testing.T) {
		e := newEnv(t)
		tok := e.connect(t, "alice@example.com")
		e.sim.RevokeUserTokens(e.alice.ID)
		_, err := e.api.GetUser(ctx, tok.AccessToken, "me")
		if ae := apiError(t, err); ae.StatusCode != 401 || ae.Code != 124 || ae.Message != "Invalid access token." || !zoom.IsUnauthorized(err) {
			t.Fatalf("revoked access: %+v", ae)
		}
		if _, err := zoom.Refresh(ctx, e.cfg, e.hc, tok.RefreshToken); !zoom.IsInvalidGrant(err) {
			t.Fatalf("revoked refresh: %v", err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		e := newEnv(t)
		tok := e.connect(t, "alice@example.com")
		e.sim.ExpireAccessTokens()
		_, err := e.api.GetUser(ctx, tok.AccessToken, "me")
		if ae := apiError(t, err); ae.StatusCode != 401 || ae.Code != 124 || ae.Message != "Access token is expired." || !zoom.IsUnauthorized(err) {
			t.Fatalf("expired access: %+v", ae)
		}
		fresh, err := zoom.Refresh(ctx, e.cfg, e.hc, tok.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.api.GetUser(ctx, fresh.AccessToken, "me"); err != nil {
			t.Fatalf("refreshed token: %v", err)
		}
	})
	t.Run("reauthorizing revokes the earlier grant", func(t *testing.T) {
		e := newEnv(t)
		old := e.connect(t, "alice@example.com")
		e.connect(t, "alice@example.com")
		if _, err := zoom.Refresh(ctx, e.cfg, e.hc, old.RefreshToken); !zoom.IsInvalidGrant(err) {
			t.Fatalf("earlier refresh token: %v", err)
		}
	})
	t.Run("deauthorized", func(t *testing.T) {
		e := newEnv(t)
		tok := e.connect(t, "alice@example.com")
		body, err := e.sim.DeauthorizeEvent(e.alice.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := zoom.ParseEvent(body)
		if err != nil {
			t.Fatal(err)
		}
		d, err := ev.Deauthorization()
		if err != nil || d.UserID != e.alice.ID || d.UserDataRetention != "false" || d.ClientID != "sim-client-id" {
			t.Fatalf("%+v %v", d, err)
		}
		if _, err := e.api.GetUser(ctx, tok.AccessToken, "me"); !zoom.IsUnauthorized(err) {
			t.Fatalf("token survived deauthorization: %v", err)
		}
	})
}

func TestAccountCredentials(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok, err := zoom.AccountCredentialsToken(ctx, e.hc, e.sim.URL(), zoomsimAccount, "sim-client-id", "sim-client-secret")
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != "" || tok.Expiry.IsZero() {
		t.Fatalf("token %+v", tok)
	}
	u, err := e.api.GetUser(ctx, tok.AccessToken, "carol@example.com")
	if err != nil || u.ID != e.carol.ID {
		t.Fatalf("%+v %v", u, err)
	}
	if _, err := zoom.AccountCredentialsToken(ctx, e.hc, e.sim.URL(), "other", "sim-client-id", "sim-client-secret"); err == nil {
		t.Fatal("wrong account accepted")
	}
	if _, err := zoom.AccountCredentialsToken(ctx, e.hc, e.sim.URL(), zoomsimAccount, "sim-client-id", "nope"); err == nil || zoom.IsInvalidGrant(err) {
		t.Fatalf("wrong secret: %v", err)
	}
}

func TestDataCompliance(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	req := zoom.ComplianceRequest{ClientID: "sim-client-id", UserID: e.alice.ID, AccountID: zoomsimAccount, ComplianceCompleted: true,
		DeauthorizationEventReceived: zoom.DeauthorizationPayload{UserDataRetention: "false", UserID: e.alice.ID, ClientID: "sim-client-id"}}
	for _, base := range []string{e.sim.URL(), e.sim.APIURL()} {
		if err := zoom.SendDataCompliance(ctx, e.hc, base, "sim-client-id", "sim-client-secret", req); err != nil {
			t.Fatalf("%s: %v", base, err)
		}
	}
	err := zoom.SendDataCompliance(ctx, e.hc, e.sim.URL(), "sim-client-id", "wrong", req)
	if ae := apiError(t, err); ae.StatusCode != 401 {
		t.Fatalf("wrong secret: %+v", ae)
	}
	got := e.sim.ComplianceRequests()
	if len(got) != 2 || got[0] != req || got[1] != req {
		t.Fatalf("recorded %+v", got)
	}
}
