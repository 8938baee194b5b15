package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeServer plays the part of Mattermost's REST API for the calls deploy makes,
// checking each request the way the server would.
type fakeServer struct {
	t          *testing.T
	wantAuth   string // the session or access token every plugin call must carry
	username   string
	password   string
	uploadCode int // status for the upload; 0 means 201 Created

	mu       sync.Mutex
	calls    []string
	uploaded []byte
	force    string
}

func (f *fakeServer) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeServer) authorized(w http.ResponseWriter, r *http.Request) bool {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "bearer") || token != f.wantAuth {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"id":"api.context.session_expired.app_error","message":"Invalid or expired session, please login again.","status_code":401}`)
		return false
	}
	return true
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.record(r.Method + " " + r.URL.Path)
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/v4/users/login":
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if body["login_id"] != f.username || body["password"] != f.password {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"id":"api.user.login.invalid_credentials_email_username","message":"Enter a valid email or username and/or password.","status_code":401}`)
			return
		}
		w.Header().Set("Token", f.wantAuth)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"admin0000000000000000000000","username":"`+f.username+`","roles":"system_admin system_user"}`)

	case r.Method == http.MethodPost && r.URL.Path == "/api/v4/plugins":
		if !f.authorized(w, r) {
			return
		}
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			f.t.Errorf("upload is not multipart: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		file, _, err := r.FormFile("plugin")
		if err != nil {
			f.t.Errorf("upload has no 'plugin' file: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		data, _ := io.ReadAll(file)
		f.mu.Lock()
		f.uploaded, f.force = data, r.FormValue("force")
		f.mu.Unlock()
		if f.uploadCode != 0 {
			w.WriteHeader(f.uploadCode)
			io.WriteString(w, `{"id":"app.plugin.upload_disabled.app_error","message":"Plugins and/or plugin uploads have been disabled.","status_code":501}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"id":"zoom","name":"Zoom","version":"2.0.0"}`)

	case r.Method == http.MethodPost && r.URL.Path == "/api/v4/plugins/zoom/enable":
		if !f.authorized(w, r) {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"OK"}`)

	default:
		f.t.Errorf("unexpected call %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
	}
}

func writeBundle(t *testing.T) (string, []byte) {
	t.Helper()
	data := []byte("\x1f\x8b pretend this is zoom-2.0.0.tar.gz")
	path := filepath.Join(t.TempDir(), "zoom-2.0.0.tar.gz")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

func TestDeployWithAccessToken(t *testing.T) {
	fake := &fakeServer{t: t, wantAuth: "personal-access-token"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	bundle, data := writeBundle(t)

	var out bytes.Buffer
	err := deploy(context.Background(), target{siteURL: srv.URL + "/", token: "personal-access-token"}, bundle, &out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"POST /api/v4/plugins", "POST /api/v4/plugins/zoom/enable"}
	if strings.Join(fake.calls, ", ") != strings.Join(want, ", ") {
		t.Fatalf("calls = %v, want %v", fake.calls, want)
	}
	if !bytes.Equal(fake.uploaded, data) {
		t.Errorf("uploaded %q, want the bundle's bytes", fake.uploaded)
	}
	if fake.force != "true" {
		t.Errorf("force = %q, want true", fake.force)
	}
	if !strings.Contains(out.String(), "zoom 2.0.0 is installed and enabled") {
		t.Errorf("output = %q", out.String())
	}
}

func TestDeployWithPasswordLogin(t *testing.T) {
	fake := &fakeServer{t: t, wantAuth: "session-token-from-login", username: "sysadmin", password: "Sys@dmin-sample1"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	bundle, _ := writeBundle(t)

	err := deploy(context.Background(), target{siteURL: srv.URL, username: "sysadmin", password: "Sys@dmin-sample1"}, bundle, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"POST /api/v4/users/login", "POST /api/v4/plugins", "POST /api/v4/plugins/zoom/enable"}
	if strings.Join(fake.calls, ", ") != strings.Join(want, ", ") {
		t.Fatalf("calls = %v, want %v", fake.calls, want)
	}
}

func TestDeployStopsWhenLoginFails(t *testing.T) {
	fake := &fakeServer{t: t, wantAuth: "x", username: "sysadmin", password: "right"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	bundle, _ := writeBundle(t)

	err := deploy(context.Background(), target{siteURL: srv.URL, username: "sysadmin", password: "wrong"}, bundle, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "logging in") || !strings.Contains(err.Error(), "HTTP 401") {
		t.Fatalf("err = %v", err)
	}
	if len(fake.calls) != 1 {
		t.Fatalf("calls after a failed login = %v", fake.calls)
	}
}

func TestDeployWithWrongTokenIsRefused(t *testing.T) {
	fake := &fakeServer{t: t, wantAuth: "right"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	bundle, _ := writeBundle(t)

	err := deploy(context.Background(), target{siteURL: srv.URL, token: "wrong"}, bundle, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "uploading the bundle: HTTP 401") {
		t.Fatalf("err = %v", err)
	}
	if len(fake.calls) != 1 {
		t.Fatalf("the plugin was enabled after a failed upload: %v", fake.calls)
	}
}

func TestDeployExplainsDisabledUploads(t *testing.T) {
	fake := &fakeServer{t: t, wantAuth: "tok", uploadCode: http.StatusNotImplemented}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	bundle, _ := writeBundle(t)

	err := deploy(context.Background(), target{siteURL: srv.URL, token: "tok"}, bundle, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "HTTP 501") || !strings.Contains(err.Error(), "EnableUploads") {
		t.Fatalf("err = %v", err)
	}
}

func TestDeployNeedsTheBundle(t *testing.T) {
	err := deploy(context.Background(), target{siteURL: "http://127.0.0.1:1", token: "t"}, filepath.Join(t.TempDir(), "nope.tar.gz"), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "make dist") {
		t.Fatalf("err = %v", err)
	}
}

func TestTargetFromEnv(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string // empty: valid
	}{
		{"token", map[string]string{envSiteURL: "https://chat.example.com", envToken: "tok"}, ""},
		{"password", map[string]string{envSiteURL: "http://localhost:8065", envUsername: "admin", envPassword: "pw"}, ""},
		{"no site URL", map[string]string{envToken: "tok"}, envSiteURL + " is not set"},
		{"site URL without scheme", map[string]string{envSiteURL: "chat.example.com", envToken: "tok"}, "http:// or https://"},
		{"no credentials", map[string]string{envSiteURL: "https://chat.example.com"}, envToken},
		{"no password", map[string]string{envSiteURL: "https://chat.example.com", envUsername: "admin"}, envPassword + " is not"},
		{"no username", map[string]string{envSiteURL: "https://chat.example.com", envPassword: "pw"}, envUsername + " is not"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := targetFromEnv(func(k string) string { return c.env[k] })
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, c.wantErr)
			}
		})
	}
}
