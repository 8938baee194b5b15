package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/manifest"
)

const repoRoot = "../.."

// The committed generated files must match plugin.json; `make manifest` fixes this.
func TestCommittedFilesMatchPluginJSON(t *testing.T) {
	if err := check(repoRoot); err != nil {
		t.Fatal(err)
	}
}

// The compiled server/manifest package must describe the same manifest as plugin.json.
func TestServerManifestPackage(t *testing.T) {
	want, _, err := loadManifest(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	if manifest.PluginID != want.Id || manifest.Version != want.Version || manifest.MinServerVersion != want.MinServerVersion {
		t.Errorf("constants = %q %q %q, plugin.json has %q %q %q",
			manifest.PluginID, manifest.Version, manifest.MinServerVersion, want.Id, want.Version, want.MinServerVersion)
	}
	if !reflect.DeepEqual(manifest.Manifest, want) {
		t.Error("manifest.Manifest differs from plugin.json")
	}
}

func validManifest() map[string]any {
	return map[string]any{
		"id":                 "zoom",
		"name":               "Zoom",
		"version":            "2.0.0",
		"min_server_version": "10.7.0",
		"server": map[string]any{"executables": map[string]any{
			"linux-amd64":   "server/dist/plugin-linux-amd64",
			"linux-arm64":   "server/dist/plugin-linux-arm64",
			"darwin-amd64":  "server/dist/plugin-darwin-amd64",
			"darwin-arm64":  "server/dist/plugin-darwin-arm64",
			"windows-amd64": "server/dist/plugin-windows-amd64.exe",
		}},
		"webapp": map[string]any{"bundle_path": "webapp/dist/main.js"},
	}
}

func executables(m map[string]any) map[string]any {
	return m["server"].(map[string]any)["executables"].(map[string]any)
}

func TestParseManifest(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(m map[string]any)
		wantErr string // empty: valid
	}{
		{"valid", func(map[string]any) {}, ""},
		{"bad id", func(m map[string]any) { m["id"] = "z" }, "invalid plugin ID"},
		{"no name", func(m map[string]any) { m["name"] = " " }, "name"},
		{"missing version", func(m map[string]any) { delete(m, "version") }, "version is missing"},
		{"loose version", func(m map[string]any) { m["version"] = "2.0" }, "Version"},
		{"v-prefixed version", func(m map[string]any) { m["version"] = "v2.0.0" }, "Version"},
		{"missing min_server_version", func(m map[string]any) { delete(m, "min_server_version") }, "min_server_version is missing"},
		{"loose min_server_version", func(m map[string]any) { m["min_server_version"] = "10" }, "MinServerVersion"},
		{"no server", func(m map[string]any) { delete(m, "server") }, "server.executables is missing"},
		{"missing platform", func(m map[string]any) { delete(executables(m), "darwin-arm64") }, `"darwin-arm64"`},
		{"windows without .exe", func(m map[string]any) {
			executables(m)["windows-amd64"] = "server/dist/plugin-windows-amd64"
		}, "windows-amd64"},
		{"extra platform", func(m map[string]any) {
			executables(m)["freebsd-amd64"] = "server/dist/plugin-freebsd-amd64"
		}, "freebsd-amd64"},
		{"unknown field", func(m map[string]any) { m["min_server_versoin"] = "10.7.0" }, "unknown field"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := validManifest()
			c.edit(m)
			raw, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseManifest(raw)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if got.Id != "zoom" || got.Version != "2.0.0" {
					t.Fatalf("parsed %+v", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error = %v, want one mentioning %q", err, c.wantErr)
			}
		})
	}
}

func TestParseManifestRejectsTrailingData(t *testing.T) {
	raw, _ := json.Marshal(validManifest())
	if _, err := parseManifest(append(raw, []byte(` {}`)...)); err == nil {
		t.Fatal("accepted two JSON values")
	}
	if _, err := parseManifest([]byte(`{"id": `)); err == nil {
		t.Fatal("accepted truncated JSON")
	}
}

// writeRepo lays out a minimal repository for apply and check.
func writeRepo(t *testing.T, m map[string]any) string {
	t.Helper()
	root := t.TempDir()
	raw, err := json.MarshalIndent(m, "", "    ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "plugin.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestApplyThenCheck(t *testing.T) {
	m := validManifest()
	m["description"] = "Has `backticks`, \"quotes\" and a\ttab."
	root := writeRepo(t, m)

	if err := check(root); err == nil || !strings.Contains(err.Error(), "server/manifest/manifest.go is missing") {
		t.Fatalf("check before apply = %v", err)
	}
	if _, err := apply(root); err != nil {
		t.Fatal(err)
	}
	if err := check(root); err != nil {
		t.Fatalf("check after apply = %v", err)
	}

	ts, err := os.ReadFile(filepath.Join(root, tsOutPath))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DO NOT EDIT", "id: 'zoom',", "version: '2.0.0',", "} as const;", "export default manifest;"} {
		if !strings.Contains(string(ts), want) {
			t.Errorf("manifest.ts lacks %q:\n%s", want, ts)
		}
	}
	goSrc, err := os.ReadFile(filepath.Join(root, goOutPath))
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(goSrc)), " ")
	for _, want := range []string{"// Code generated by build/manifest; DO NOT EDIT.", "package manifest", `PluginID = "zoom"`, `Version = "2.0.0"`, `MinServerVersion = "10.7.0"`} {
		if !strings.Contains(flat, want) {
			t.Errorf("manifest.go lacks %q", want)
		}
	}

	// A new version makes both files stale.
	m["version"] = "2.0.1"
	raw, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(root, "plugin.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	err = check(root)
	if err == nil || !strings.Contains(err.Error(), "server/manifest/manifest.go is out of date") ||
		!strings.Contains(err.Error(), "webapp/src/manifest.ts is out of date") || !strings.Contains(err.Error(), "make manifest") {
		t.Fatalf("check after a version bump = %v", err)
	}
	if _, err := apply(root); err != nil {
		t.Fatal(err)
	}
	if err := check(root); err != nil {
		t.Fatal(err)
	}
}

// The Go file embeds plugin.json as a string; it must decode back to the same manifest
// whatever characters the manifest holds.
func TestEmbeddedJSONRoundTrips(t *testing.T) {
	m := validManifest()
	m["description"] = "`tick` \"quote\" back\\slash \u2028 line separator, ünïcödé"
	raw, _ := json.Marshal(m)
	want, err := parseManifest(raw)
	if err != nil {
		t.Fatal(err)
	}
	root := writeRepo(t, m)
	_, pretty, err := loadManifest(root)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(pretty, &got); err != nil {
		t.Fatal(err)
	}
	if got["description"] != want.Description {
		t.Fatalf("description = %q, want %q", got["description"], want.Description)
	}
	if _, err := goFile(want, pretty); err != nil {
		t.Fatal(err)
	}
}

func TestLoadManifestChecksIconPath(t *testing.T) {
	m := validManifest()
	m["icon_path"] = "assets/missing.svg"
	if _, _, err := loadManifest(writeRepo(t, m)); err == nil || !strings.Contains(err.Error(), "assets/missing.svg") {
		t.Fatalf("err = %v, want one naming the missing icon", err)
	}
}

func TestTSString(t *testing.T) {
	cases := map[string]string{
		"zoom":     `'zoom'`,
		"it's":     `'it\'s'`,
		`back\`:    `'back\\'`,
		"line\nx":  `'line\u000ax'`,
		"a\u2028b": `'a\u2028b'`,
	}
	for in, want := range cases {
		if got := tsString(in); got != want {
			t.Errorf("tsString(%q) = %s, want %s", in, got, want)
		}
	}
}

// The README's settings table is written by hand for admins; it must still name every
// setting in plugin.json, by key and by the label the System Console shows.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	m, _, err := loadManifest(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if m.SettingsSchema == nil {
		t.Fatal("plugin.json has no settings_schema")
	}
	for _, s := range m.SettingsSchema.Settings {
		label := strings.TrimSuffix(strings.TrimSpace(s.DisplayName), ":")
		row := "| **" + label + "** (`" + s.Key + "`) |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md's settings table has no row starting %q", row)
		}
	}
}
