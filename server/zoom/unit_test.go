package zoom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestEscapeUUIDPath(t *testing.T) {
	for in, want := range map[string]string{
		"/PpT+tUh6y9QtK5kryXZrQ==": "%252FPpT%252BtUh6y9QtK5kryXZrQ%253D%253D",
		"7sc/P//jiDY19i6xtoft/w==": "7sc%252FP%252F%252FjiDY19i6xtoft%252Fw%253D%253D",
		"abc/def+gh==":             "abc%2Fdef+gh==",
		"4444AAAiAAAAAiAiAiiAii==": "4444AAAiAAAAAiAiAiiAii==",
		"/a b":                     "%252Fa%2520b", // a space is %20 in both encodings
	} {
		if got := EscapeUUIDPath(in); got != want {
			t.Errorf("EscapeUUIDPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseWait(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"1", time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{"1773154830", 30 * time.Second, true}, // Unix time
		{"Tue, 10 Mar 2026 15:00:05 GMT", 5 * time.Second, true},
		{"2026-03-11T00:00:00Z", 9 * time.Hour, true},
		{"2026-03-10T16:00:00+01:00", 0, true}, // already passed
		{"2026-03-10T15:00:02.500Z", 2500 * time.Millisecond, true},
		{"1773154000", 0, true},                    // a Unix time already passed
		{"Tue, 10 Mar 2026 14:59:00 GMT", 0, true}, // an HTTP date already passed
		{"2026-03-10T14:00:00Z", 0, true},          // an ISO date already passed
		{"-3", 0, false},
		{"soon", 0, false},
	}
	for _, c := range cases {
		got, ok := parseWait(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("parseWait(%q) = %s, %v; want %s, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	h := http.Header{}
	if retryAfter(h, now) != -1 {
		t.Error("no header should mean unknown")
	}
	h.Set("X-RateLimit-Reset", "2")
	h.Set("Retry-After", "2026-03-11T00:00:00Z")
	if got := retryAfter(h, now); got != 9*time.Hour {
		t.Errorf("Retry-After should win, got %s", got)
	}
}

// The Basic header for client credentials: base64 of "<client id>:<client secret>".
const basicVector = "Basic WE1FN3ZvT0w3eTJjZGRfN01ycUJOdzpzaW0tY2xpZW50LXNlY3JldC0wMDAx"

func TestBasicAuthVector(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Path+" "+r.Header.Get("Authorization"))
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/oauth/token" && strings.Contains(string(body), "client_secret") {
			t.Errorf("client secret in the body: %s", body)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"eyJx","token_type":"bearer","refresh_token":"r","expires_in":3599,"scope":"s","api_url":"https://api.zoom.us"}`)
	}))
	defer srv.Close()
	ctx := context.Background()
	cfg := OAuthConfig(srv.URL, "XME7voOL7y2cdd_7MrqBNw", "sim-client-secret-0001", "https://mm/cb")
	if _, err := Exchange(ctx, cfg, srv.Client(), "code"); err != nil {
		t.Fatal(err)
	}
	if _, err := Refresh(ctx, cfg, srv.Client(), "r"); err != nil {
		t.Fatal(err)
	}
	tok, err := AccountCredentialsToken(ctx, srv.Client(), srv.URL, "acc", "XME7voOL7y2cdd_7MrqBNw", "sim-client-secret-0001")
	if err != nil || tok.AccessToken != "eyJx" || tok.Extra("api_url") != "https://api.zoom.us" {
		t.Fatalf("%+v %v", tok, err)
	}
	if err := SendDataCompliance(ctx, srv.Client(), srv.URL, "XME7voOL7y2cdd_7MrqBNw", "sim-client-secret-0001", ComplianceRequest{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"/oauth/token " + basicVector, "/oauth/token " + basicVector, "/oauth/token " + basicVector, "/oauth/data/compliance " + basicVector}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s", strings.Join(got, "\n"))
	}
}

func TestIsInvalidGrantOnlyForRejectedGrants(t *testing.T) {
	cases := []struct {
		status int
		body   string
		want   bool
	}{
		{400, `{"reason":"Invalid Token!","error":"invalid_grant"}`, true},
		{401, `{"reason":"Invalid Token!","error":"invalid_grant"}`, true},
		{400, `{"reason":"Invalid authorization code","error":"invalid_request"}`, true},
		{400, `{"reason":"Invalid Token!"}`, true},
		{401, `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}`, false},
		{500, `{"reason":"Invalid Token!","error":"invalid_grant"}`, false},
		{503, `<html>down</html>`, false},
	}
	for _, c := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(c.status)
			_, _ = io.WriteString(w, c.body)
		}))
		_, err := Refresh(context.Background(), OAuthConfig(srv.URL, "id", "secret", ""), srv.Client(), "r")
		srv.Close()
		if err == nil || IsInvalidGrant(err) != c.want {
			t.Errorf("%d %s: IsInvalidGrant(%v) != %v", c.status, c.body, err, c.want)
		}
	}
	// A JSON body under another content type: x/oauth2 leaves ErrorCode empty.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_grant"}`)
	}))
	_, err := Refresh(context.Background(), OAuthConfig(srv.URL, "id", "secret", ""), srv.Client(), "r")
	srv.Close()
	if !IsInvalidGrant(err) {
		t.Errorf("invalid_grant in a text/plain body: IsInvalidGrant(%v) = false", err)
	}
	if IsInvalidGrant(errors.New("dial tcp: connection refused")) || IsInvalidGrant(nil) {
		t.Error("plain errors are not invalid grants")
	}
}

func TestAPIErrorFromOddBodies(t *testing.T) {
	cases := []struct {
		status   int
		body     string
		code     int
		message  string
		notFound bool
	}{
		{404, `{"code":1001,"message":"User does not exist: bob@example.com."}`, 1001, "User does not exist: bob@example.com.", true},
		{404, `{"code":"3001","message":"Meeting does not exist: 1."}`, 3001, "Meeting does not exist: 1.", true},
		{502, `<html>Bad gateway</html>`, 0, "<html>Bad gateway</html>", false},
		{500, ``, 0, "Internal Server Error", false},
		{400, strings.Repeat("x", 1<<20), 0, strings.Repeat("x", 200), false},
	}
	for _, c := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(c.status)
			_, _ = io.WriteString(w, c.body)
		}))
		_, err := NewClient(srv.URL, srv.Client()).GetMeeting(context.Background(), "tok", 1)
		srv.Close()
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != c.status || ae.Code != c.code || ae.Message != c.message || IsNotFound(err) != c.notFound {
			t.Errorf("%d %.30s: %#v", c.status, c.body, err)
		}
		if IsUnavailable(err) != (c.status >= 500) {
			t.Errorf("%d: IsUnavailable wrong", c.status)
		}
	}
}

func TestClientRefusesHugeAndMalformedJSON(t *testing.T) {
	for name, body := range map[string]string{
		"huge":      `{"id":"` + strings.Repeat("a", maxJSONBody) + `"}`,
		"malformed": `{"id":`,
		"bad pmi":   `{"id":"x","pmi":{"a":1}}`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, body)
		}))
		_, err := NewClient(srv.URL, srv.Client()).GetUser(context.Background(), "tok", "me")
		srv.Close()
		if err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestTolerantDecoding(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/users/me":
			_, _ = io.WriteString(w, `{"id":"u","pmi":"7391846250"}`)
		default:
			_, _ = io.WriteString(w, `{"id":"83011223344","pmi":7391846250,"uuid":"x"}`)
		}
	}))
	defer srv.Close()
	c := NewClient(srv.URL, srv.Client())
	u, err := c.GetUser(context.Background(), "tok", "me")
	if err != nil || u.PMI != 7391846250 {
		t.Fatalf("%+v %v", u, err)
	}
	m, err := c.GetMeeting(context.Background(), "tok", 83011223344)
	if err != nil || m.ID != 83011223344 || m.PMI != "7391846250" {
		t.Fatalf("%+v %v", m, err)
	}
}

func TestExampleResponsesDecode(t *testing.T) {
	var u User
	readJSON(t, "users-me.json", &u)
	if u.ID != "7ImKnOIj9cs8rPhnRsstmQ" || u.PMI != 7391846250 || u.Type != 2 || u.AccountID != "RT7-vfD3WtR7cNIvzXvliw" {
		t.Fatalf("%+v", u)
	}
	var m Meeting
	readJSON(t, "get-meeting-pmi-response.json", &m)
	if m.ID != 83011223344 || m.PMI != "7391846250" || m.Settings == nil || !m.Settings.UsePMI || m.Settings.AutoRecording != "cloud" {
		t.Fatalf("%+v", m)
	}
	readJSON(t, "create-meeting-response.json", &m)
	if m.ID != 84512367890 || m.PMI != "" || m.UUID != "/PpT+tUh6y9QtK5kryXZrQ==" || m.EncryptedPassword == "" {
		t.Fatalf("%+v", m)
	}
}

func TestAccessTokenStaysOnBaseURL(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("token leaked to another host")
		}
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/elsewhere", http.StatusFound)
	}))
	defer api.Close()
	_, err := NewClient(api.URL, nil).GetUser(context.Background(), "secret-token", "me")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusFound {
		t.Fatalf("redirect should surface as an error: %v", err)
	}
}

// The total is Zoom's total_records, which may exceed the people of the pages read.
func TestPastParticipantsTotalIsZoomsCount(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"page_size":300,"total_records":4000,"next_page_token":"","participants":[{"id":"","name":"Ann","user_email":"a@example.com"}]}`)
	}))
	defer srv.Close()
	people, total, err := NewClient(srv.URL, srv.Client()).ListPastMeetingParticipants(context.Background(), "tok", "uuid==")
	if err != nil || len(people) != 1 || people[0].Name != "Ann" || total != 4000 {
		t.Fatalf("%+v, total %d, %v", people, total, err)
	}
}

func TestAPIErrorText(t *testing.T) {
	for want, e := range map[string]*APIError{
		"zoom: HTTP 404": {StatusCode: 404},
		"zoom: HTTP 429 code 429: Too many requests (retry after 2s)": {StatusCode: 429, Code: 429, Message: "Too many requests", RetryAfter: 2 * time.Second},
		"zoom: HTTP 400: bad": {StatusCode: 400, Message: "bad"},
	} {
		if got := e.Error(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestIsRefusedForGood(t *testing.T) {
	retrieve := func(status int) error {
		return &oauth2.RetrieveError{Response: &http.Response{StatusCode: status}}
	}
	cases := []struct {
		err  error
		want bool
	}{
		{&APIError{StatusCode: 400}, true},
		{fmt.Errorf("wrapped: %w", &APIError{StatusCode: 404}), true},
		{&APIError{StatusCode: 499}, true},
		{&APIError{StatusCode: 408}, false},
		{&APIError{StatusCode: 429}, false},
		{&APIError{StatusCode: 500}, false},
		{&APIError{StatusCode: 302}, false},
		{retrieve(401), true},
		{retrieve(408), false},
		{retrieve(429), false},
		{retrieve(503), false},
		{&oauth2.RetrieveError{}, false},
		{errors.New("dial tcp: connection refused"), false},
		{nil, false},
	}
	for _, c := range cases {
		if got := IsRefusedForGood(c.err); got != c.want {
			t.Errorf("IsRefusedForGood(%v) = %v", c.err, got)
		}
	}
}
