package config

import (
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

func TestURLsAndHosts(t *testing.T) {
	s := valid()
	if s.WebURL() != DefaultZoomURL || s.APIURL() != DefaultZoomAPIURL {
		t.Fatalf("defaults: %s %s", s.WebURL(), s.APIURL())
	}
	if got := s.OAuthRedirectURL(); got != "https://chat.example.com/plugins/zoom/oauth2/complete" {
		t.Fatalf("redirect: %s", got)
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
	} {
		if got := s.IsZoomHost(raw); got != want {
			t.Errorf("IsZoomHost(%q) = %v, want %v", raw, got, want)
		}
	}
}
