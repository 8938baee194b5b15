package devhost

import (
	"crypto/rand"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// schemaDefaults are the manifest's settings_schema defaults, keys lowercased
// as the server's config loader leaves them.
func schemaDefaults(m *model.Manifest) map[string]any {
	out := map[string]any{}
	if m == nil || m.SettingsSchema == nil {
		return out
	}
	all := append([]*model.PluginSetting(nil), m.SettingsSchema.Settings...)
	for _, sec := range m.SettingsSchema.Sections {
		if sec != nil {
			all = append(all, sec.Settings...)
		}
	}
	for _, s := range all {
		if s == nil || s.Key == "" || s.Default == nil {
			continue
		}
		out[strings.ToLower(s.Key)] = s.Default
	}
	return out
}

// overlay copies src onto dst with lowercased keys (settings keys match
// case-insensitively, as in the server's config).
func overlay(dst, src map[string]any) map[string]any {
	if dst == nil {
		dst = map[string]any{}
	}
	for k, v := range src {
		dst[strings.ToLower(k)] = v
	}
	return dst
}

// effectiveSettings is what LoadPluginConfiguration hands the plugin: the
// schema defaults with the saved values on top.
func effectiveSettings(m *model.Manifest, saved map[string]any) map[string]any {
	return overlay(schemaDefaults(m), saved)
}

// simSettings configures the plugin against the simulator, with fresh
// generated secrets, the way an admin would after reading the README.
func simSettings(zoomURL, apiURL, clientID, clientSecret, zoomWebhookSecret string) map[string]any {
	return map[string]any{
		"zoomurl":           zoomURL,
		"zoomapiurl":        apiURL,
		"oauthclientid":     clientID,
		"oauthclientsecret": clientSecret,
		"encryptionkey":     randomString(32),
		"webhooksecret":     randomString(32),
		"zoomwebhooksecret": zoomWebhookSecret,
	}
}

// randomString is like the System Console's "Regenerate": URL-safe letters
// and digits, so it can sit in a query string unescaped.
func randomString(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("devhost: no randomness: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// siteConfig is the server configuration the plugin sees through GetConfig.
func siteConfig(siteURL string) *model.Config {
	c := &model.Config{}
	c.SetDefaults()
	c.ServiceSettings.SiteURL = model.NewPointer(siteURL)
	return c
}
