package devhost

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestActivationEnsuresBotAndCommand(t *testing.T) {
	h := startMini(t, Options{})

	bot := h.User("zoom")
	if bot == nil || !bot.IsBot {
		t.Fatalf("bot user zoom: %+v", bot)
	}
	if got := string(h.KVGet(botIDKey)); got != bot.Id {
		t.Errorf("mmi_botid = %q, want %q", got, bot.Id)
	}
	img, _ := h.Store().ProfileImage(bot.Id)
	if !strings.Contains(string(img), "<svg") {
		t.Errorf("bot profile image not set from assets: %q", img)
	}
	if _, ok := h.Commands()["mini"]; !ok {
		t.Errorf("command mini not registered: %v", h.Commands())
	}
	counts := h.APICallCounts()
	for _, name := range []string{"EnsureBotUser", "RegisterCommand", "LoadPluginConfiguration", "GetServerVersion", "KVSetWithOptions"} {
		if counts[name] == 0 {
			t.Errorf("API %s not counted: %v", name, counts)
		}
	}
	if st := h.HookStats()["OnActivate"]; st.Calls != 1 {
		t.Errorf("OnActivate hook stats = %+v", st)
	}
	h.ResetAPICalls()
	if len(h.APICallCounts()) != 0 {
		t.Errorf("ResetAPICalls left %v", h.APICallCounts())
	}
}

func TestActivationRefusedNamesTheSetting(t *testing.T) {
	_, err := Start(Options{Bundle: miniBundle, Addr: "127.0.0.1:0", Settings: map[string]any{"OAuthClientID": ""}})
	if err == nil || !strings.Contains(err.Error(), "OAuthClientID") {
		t.Fatalf("Start error = %v, want one naming OAuthClientID", err)
	}

	// With AllowInactive the host stays up, reports the error, and fixing the
	// setting activates the plugin.
	h := startMini(t, Options{AllowInactive: true, Settings: map[string]any{"OAuthClientID": ""}})
	if h.Active() || h.ActivationError() == nil {
		t.Fatalf("active=%v err=%v", h.Active(), h.ActivationError())
	}
	resp := h.Request("GET", "/plugins/zoom/hello", "", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("inactive plugin route: %d", resp.StatusCode)
	}
	if err := h.UpdateSettings(map[string]any{"OAuthClientID": "fixed"}); err != nil {
		t.Fatalf("UpdateSettings: %v", err)
	}
	if !h.Active() {
		t.Fatal("plugin not active after fixing the setting")
	}
}

func TestSettingsDefaultsOverlayAndChange(t *testing.T) {
	h := startMini(t, Options{Settings: map[string]any{"Greeting": "hi"}})
	got := decode(t, h.Request("GET", "/plugins/zoom/hello", "", nil), http.StatusOK)
	if got["greeting"] != "hi" || got["zoom_url"] != h.Sim().URL() {
		t.Errorf("settings seen by the plugin: %v", got)
	}
	calls := h.HookStats()["OnConfigurationChange"].Calls
	if err := h.UpdateSettings(map[string]any{"ZoomURL": "https://zoom.example"}); err != nil {
		t.Fatal(err)
	}
	got = decode(t, h.Request("GET", "/plugins/zoom/hello", "", nil), http.StatusOK)
	if got["zoom_url"] != "https://zoom.example" || got["greeting"] != "hi" {
		t.Errorf("after UpdateSettings: %v", got)
	}
	if n := h.HookStats()["OnConfigurationChange"].Calls; n != calls+1 {
		t.Errorf("OnConfigurationChange calls %d -> %d", calls, n)
	}
}

func TestRestartKeepsState(t *testing.T) {
	h := startMini(t, Options{})
	mustCommand(t, h, "alice", "town-square", "/mini kv color blue")
	mustCommand(t, h, "alice", "town-square", "/mini post before restart")
	botID := h.User("zoom").Id

	if err := h.Restart(); err != nil {
		t.Fatal(err)
	}
	if got := string(h.KVGet("color")); got != "blue" {
		t.Errorf("KV after restart = %q", got)
	}
	if h.User("zoom").Id != botID {
		t.Error("restart made a second bot")
	}
	if n := len(h.Posts(h.Channel("town-square").Id)); n != 1 {
		t.Errorf("posts after restart = %d", n)
	}
	// The command is registered again by the new process and works.
	if text := mustCommand(t, h, "alice", "town-square", "/mini kv color red"); text != "inserted=false" {
		t.Errorf("second atomic insert: %q", text)
	}
}

func TestTarGzBundle(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "zoom-0.0.1.tar.gz")
	if err := tarGz(miniBundle, "zoom", archive); err != nil {
		t.Fatal(err)
	}
	h := startMini(t, Options{})
	h.Close()
	h2, err := Start(Options{Bundle: archive, Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer h2.Close()
	if !h2.Active() {
		t.Fatal("not active from the .tar.gz")
	}
	resp := h2.Request("GET", "/plugins/zoom/public/hello.txt", "", nil)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(b)) != "public file" {
		t.Errorf("public file: %d %q", resp.StatusCode, b)
	}
}

func TestUnimplementedAPIIsReportedNotFatal(t *testing.T) {
	h := startMini(t, Options{})
	if text := mustCommand(t, h, "alice", "town-square", "/mini unimplemented"); text != "status=501" {
		t.Errorf("unimplemented API answered %q", text)
	}
	found := false
	for _, l := range h.Logs() {
		if l.Message == "devhost: plugin called unimplemented API GetTeamIcon" {
			found = true
		}
	}
	if !found {
		t.Errorf("no unimplemented log line in %v", h.Logs())
	}
	resp := h.Request("GET", "/plugins/zoom/hello", "", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("plugin stopped answering: %d", resp.StatusCode)
	}
}

func TestSharedStoreIsOneDatabase(t *testing.T) {
	a := startMini(t, Options{})
	b := startMini(t, Options{SharedStore: a.Store(), Sim: a.Sim()})
	mustCommand(t, a, "alice", "town-square", "/mini kv shared yes")
	if got := string(b.KVGet("shared")); got != "yes" {
		t.Errorf("node B sees %q", got)
	}
	if a.User("zoom").Id != b.User("zoom").Id {
		t.Error("two nodes made two bots")
	}
	// The second node's insert-if-absent loses against the first one's.
	if text := mustCommand(t, b, "bob", "town-square", "/mini kv shared no"); text != "inserted=false" {
		t.Errorf("node B atomic insert: %q", text)
	}
}

// tarGz packs dir as one top folder named top, like `make dist`.
func tarGz(dir, top, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(filepath.Join(top, rel))
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(tw, src)
		return err
	})
	if err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}
