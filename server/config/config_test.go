package config

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func valid() Settings {
	return Settings{
		Configuration: Configuration{
			OAuthClientID:     "id",
			OAuthClientSecret: "secret",
			EncryptionKey:     "0123456789abcdef0123456789abcdef",
			WebhookSecret:     "hook",
		},
		SiteURL: "https://chat.example.com/",
	}
}

func TestValidateNamesTheMissingSetting(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Settings)
		want   string
	}{
		{"client id", func(s *Settings) { s.OAuthClientID = "" }, "OAuthClientID"},
		{"client secret", func(s *Settings) { s.OAuthClientSecret = " " }, "OAuthClientSecret"},
		{"encryption key", func(s *Settings) { s.EncryptionKey = "" }, "EncryptionKey"},
		{"webhook secret", func(s *Settings) { s.WebhookSecret = "" }, "WebhookSecret"},
		{"site url", func(s *Settings) { s.SiteURL = "" }, "Site URL"},
		{"bad zoom url", func(s *Settings) { s.ZoomURL = "zoom.us" }, "ZoomURL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := valid()
			c.mutate(&s)
			err := s.Validate()
			if err == nil || !errors.Is(err, ErrNotConfigured) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Validate() = %v, want an ErrNotConfigured naming %s", err, c.want)
			}
		})
	}
	s := valid()
	if err := s.Validate(); err != nil {
		t.Fatalf("valid settings refused: %v", err)
	}
}

func TestValidateServerToServer(t *testing.T) {
	s2s := func() Settings {
		s := valid()
		s.OAuthClientID, s.OAuthClientSecret = "", ""
		s.ServerToServerApp = true
		s.S2SAccountID, s.S2SClientID, s.S2SClientSecret = "acct", "id", "secret"
		return s
	}
	s := s2s()
	if err := s.Validate(); err != nil {
		t.Fatalf("S2S settings without OAuth client refused: %v", err)
	}
	if s.Mode() != ModeServerToServer || s.UserConnects() {
		t.Fatalf("mode %s", s.Mode())
	}
	for want, mutate := range map[string]func(*Settings){
		"S2SAccountID":    func(s *Settings) { s.S2SAccountID = "" },
		"S2SClientID":     func(s *Settings) { s.S2SClientID = " " },
		"S2SClientSecret": func(s *Settings) { s.S2SClientSecret = "" },
		"EncryptionKey":   func(s *Settings) { s.EncryptionKey = "" },
		"WebhookSecret":   func(s *Settings) { s.WebhookSecret = "" },
	} {
		s := s2s()
		mutate(&s)
		if err := s.Validate(); err == nil || !errors.Is(err, ErrNotConfigured) || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want an ErrNotConfigured naming %s", err, want)
		}
	}
	// With S2S off, its settings are not needed and the OAuth client is.
	s = valid()
	s.S2SAccountID = ""
	if err := s.Validate(); err != nil || s.Mode() != ModeUserLevel || !s.UserConnects() {
		t.Fatalf("user-level: %v %s", err, s.Mode())
	}
	s.AccountLevelApp = true
	if s.Mode() != ModeAccountLevel || s.UserConnects() {
		t.Fatalf("account-level mode %s", s.Mode())
	}
}

func TestURLsAndHosts(t *testing.T) {
	s := valid()
	if s.WebURL() != DefaultZoomURL || s.APIURL() != DefaultZoomAPIURL {
		t.Fatalf("defaults: %s %s", s.WebURL(), s.APIURL())
	}
	custom := s
	custom.ZoomURL, custom.ZoomAPIURL = " https://zoom.example.com// ", "https://api.zoom.example.com/v2/"
	if custom.WebURL() != "https://zoom.example.com" || custom.APIURL() != "https://api.zoom.example.com/v2" {
		t.Fatalf("trimmed: %s %s", custom.WebURL(), custom.APIURL())
	}
	if got := s.PluginURL(); got != "https://chat.example.com/plugins/zoom" {
		t.Fatalf("plugin URL: %s", got)
	}
	for raw, want := range map[string]bool{
		"https://us05web.zoom.us/rec/play/x": true,
		"https://zoom.us/rec/play/x":         true,
		"http://us05web.zoom.us/rec/play/x":  false,
		"https://zoom.us.evil.example/x":     false,
		"https://evilzoom.us/x":              false,
		"https://user@us05web.zoom.us/x":     false,
		"https://api.zoom.us/v2/x":           true,
		"javascript:alert(1)":                false,
		"https://x)**b**(.zoom.us/j/1":       false,
		"https://a'b.zoom.us/x":              false,
		"https://US05WEB.zoom.us:443/x":      true,
	} {
		if got := s.IsZoomHost(raw); got != want {
			t.Errorf("IsZoomHost(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestLargeChannelThreshold(t *testing.T) {
	var s Settings
	if s.LargeChannelLimit() != DefaultLargeChannelThreshold {
		t.Fatalf("unset threshold = %d", s.LargeChannelLimit())
	}
	for raw, want := range map[string]int{`{"LargeChannelThreshold":0}`: 0, `{"LargeChannelThreshold":12}`: 12,
		`{"LargeChannelThreshold":"30"}`: 30, `{"LargeChannelThreshold":-4}`: 0, `{}`: DefaultLargeChannelThreshold} {
		var c Configuration
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		s := Settings{Configuration: c}
		if got := s.LargeChannelLimit(); got != want {
			t.Errorf("%s: limit %d, want %d", raw, got, want)
		}
	}
	var c Configuration
	if err := json.Unmarshal([]byte(`{"LargeChannelThreshold":"many"}`), &c); err == nil {
		t.Error("a non-number threshold was accepted")
	}
}
