// Command deploy uploads a plugin bundle to a running Mattermost server and enables it.
//
//	go run ./build/deploy dist/zoom-<version>.tar.gz
//
// It reads the server and the credentials from the environment:
//
//	MM_SERVICESETTINGS_SITEURL   the server's URL, e.g. https://chat.example.com (required)
//	MM_ADMIN_TOKEN               a system admin's personal access token, or
//	MM_ADMIN_USERNAME            a system admin's username (or email) and
//	MM_ADMIN_PASSWORD            password, used to log in
//
// The server must allow plugin uploads (System Console > Plugins > Plugin Management,
// or PluginSettings.EnableUploads in config.json).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Environment variables read by deploy.
const (
	envSiteURL  = "MM_SERVICESETTINGS_SITEURL"
	envToken    = "MM_ADMIN_TOKEN"
	envUsername = "MM_ADMIN_USERNAME"
	envPassword = "MM_ADMIN_PASSWORD"
)

// A big bundle over a slow link takes a while; a hung server should not take forever.
const deployTimeout = 5 * time.Minute

func main() {
	if len(os.Args) != 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: go run ./build/deploy <bundle.tar.gz>")
		fmt.Fprintf(os.Stderr, "environment: %s, and %s or %s + %s\n", envSiteURL, envToken, envUsername, envPassword)
		os.Exit(2)
	}
	target, err := targetFromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "deploy:", err)
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), deployTimeout)
	defer cancel()
	if err := deploy(ctx, target, os.Args[1], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "deploy:", err)
		os.Exit(1)
	}
}

// target is the server to deploy to and how to authenticate there.
type target struct {
	siteURL  string
	token    string
	username string
	password string
}

// targetFromEnv reads the target, naming the first variable that is missing.
func targetFromEnv(getenv func(string) string) (target, error) {
	t := target{
		siteURL:  strings.TrimSpace(getenv(envSiteURL)),
		token:    strings.TrimSpace(getenv(envToken)),
		username: strings.TrimSpace(getenv(envUsername)),
		password: getenv(envPassword),
	}
	switch {
	case t.siteURL == "":
		return t, fmt.Errorf("%s is not set: set it to your Mattermost server's URL, e.g. https://chat.example.com", envSiteURL)
	case !strings.HasPrefix(t.siteURL, "http://") && !strings.HasPrefix(t.siteURL, "https://"):
		return t, fmt.Errorf("%s is %q: it must start with http:// or https://", envSiteURL, t.siteURL)
	case t.token != "":
		return t, nil
	case t.username == "" && t.password == "":
		return t, fmt.Errorf("no credentials: set %s to a system admin's access token, or %s and %s", envToken, envUsername, envPassword)
	case t.username == "":
		return t, fmt.Errorf("%s is set but %s is not", envPassword, envUsername)
	case t.password == "":
		return t, fmt.Errorf("%s is set but %s is not", envUsername, envPassword)
	}
	return t, nil
}

// deploy logs in if needed, uploads the bundle (replacing any installed version) and
// enables the plugin it holds.
func deploy(ctx context.Context, t target, bundlePath string, out io.Writer) error {
	bundle, err := os.Open(bundlePath)
	if err != nil {
		return fmt.Errorf("opening the bundle: %w (build it with `make dist`)", err)
	}
	defer bundle.Close()

	client := model.NewAPIv4Client(t.siteURL)
	if t.token != "" {
		client.SetToken(t.token)
	} else {
		if _, resp, err := client.Login(ctx, t.username, t.password); err != nil {
			return fmt.Errorf("logging in to %s as %s: %s", t.siteURL, t.username, describe(resp, err))
		}
	}

	fmt.Fprintf(out, "uploading %s to %s\n", bundlePath, t.siteURL)
	m, resp, err := client.UploadPluginForced(ctx, bundle)
	if err != nil {
		msg := describe(resp, err)
		if resp != nil && resp.StatusCode == http.StatusNotImplemented {
			msg += " (turn on plugin uploads: System Console > Plugins > Plugin Management > Enable Plugin Uploads, or PluginSettings.EnableUploads)"
		}
		return fmt.Errorf("uploading the bundle: %s", msg)
	}
	if m == nil || m.Id == "" {
		return errors.New("uploading the bundle: the server did not say which plugin it installed")
	}

	if resp, err := client.EnablePlugin(ctx, m.Id); err != nil {
		return fmt.Errorf("enabling %s: %s", m.Id, describe(resp, err))
	}
	fmt.Fprintf(out, "%s %s is installed and enabled\n", m.Id, m.Version)
	return nil
}

// describe turns a Client4 failure into one line: the HTTP status when there was an
// answer, and the server's own message.
func describe(resp *model.Response, err error) string {
	var appErr *model.AppError
	msg := err.Error()
	if errors.As(err, &appErr) {
		msg = appErr.Message
		if appErr.DetailedError != "" {
			msg += ": " + appErr.DetailedError
		}
	}
	if resp != nil && resp.StatusCode != 0 {
		return fmt.Sprintf("HTTP %d: %s", resp.StatusCode, msg)
	}
	return msg
}
