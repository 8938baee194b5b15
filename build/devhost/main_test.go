package devhost

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// miniBundle is an unpacked bundle of testdata/miniplugin, built once per
// test binary by TestMain.
var miniBundle string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "devhost-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	miniBundle, err = buildMiniBundle(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "devhost tests: cannot build the mini plugin:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildMiniBundle copies testdata/miniplugin/bundle and builds the plugin
// binary into it, as `make dist` would for the real plugin.
func buildMiniBundle(dir string) (string, error) {
	bundle := filepath.Join(dir, "zoom")
	if err := copyTree(filepath.Join("testdata", "miniplugin", "bundle"), bundle); err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(bundle, "server", "dist", "plugin"), "./testdata/miniplugin")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%v: %s", err, out)
	}
	return bundle, nil
}

// testLog is an io.Writer into t.Log, safe after the test ends.
type testLog struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done && testing.Verbose() {
		l.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

// startMini starts a host with the mini plugin and closes it after the test.
func startMini(t testing.TB, opts Options) *Host {
	t.Helper()
	opts.Bundle = miniBundle
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	tl := &testLog{t: t}
	opts.LogOutput = tl
	h, err := Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		h.Close()
		tl.mu.Lock()
		tl.done = true
		tl.mu.Unlock()
	})
	return h
}

// waitCtx is a deadline for waiting on the host, never a sleep.
func waitCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// decode reads a JSON response body into a map and checks the status.
func decode(t testing.TB, resp *http.Response, wantStatus int) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, wantStatus, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	return m
}

func mustCommand(t testing.TB, h *Host, user, channel, text string) string {
	t.Helper()
	resp, err := h.ExecuteCommand(h.User(user).Id, h.Channel(channel).Id, "", text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return resp.Text
}
