package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/manifest"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// /zoom status: one report for a system admin that says what works and what to fix.
// Every problem names the setting (System Console > Plugins > Zoom > ...) or the Zoom
// page to change. It reads the last configuration offered, valid or not, so a plugin
// left unconfigured by a bad change can still explain itself.

const (
	// statusJobLimit bounds the job records one report reads.
	statusJobLimit = 500
	consolePath    = "System Console > Plugins > Zoom > "
)

type statusLevel int

const (
	statusOK statusLevel = iota
	statusInfo
	statusWarn
	statusProblem
)

var statusIcons = map[statusLevel]string{
	statusOK: ":white_check_mark:", statusInfo: ":information_source:",
	statusWarn: ":warning:", statusProblem: ":x:",
}

type statusLine struct {
	level statusLevel
	text  string
}

type statusSection struct {
	title string
	lines []statusLine
}

type statusReport struct {
	sections []*statusSection
}

func (r *statusReport) section(title string) *statusSection {
	s := &statusSection{title: title}
	r.sections = append(r.sections, s)
	return s
}

func (s *statusSection) add(level statusLevel, text string) {
	s.lines = append(s.lines, statusLine{level: level, text: text})
}

func (r *statusReport) count(level statusLevel) int {
	n := 0
	for _, s := range r.sections {
		for _, l := range s.lines {
			if l.level == level {
				n++
			}
		}
	}
	return n
}

// StatusReport builds the /zoom status report. Only system admins may see it.
func (a *App) StatusReport(ctx context.Context, userID string) (string, error) {
	if !a.isSystemAdmin(userID) {
		return "", userError(http.StatusForbidden, ErrForbidden, "Only system admins can see the Zoom plugin's status.")
	}
	r := &statusReport{}
	s := a.attempted.Load()
	a.statusConfiguration(r.section("Configuration"), s)
	zoomSection := r.section("Zoom")
	if snap, err := a.snap(); err != nil {
		zoomSection.add(statusWarn, "Zoom was not contacted, because the configuration above is not complete. Fix the problems marked :x: first.")
	} else {
		a.statusZoom(ctx, zoomSection, snap, userID)
	}
	a.statusWebhooks(r.section("Webhooks"), s)
	a.statusStorage(r.section("Users and pending work"), s)

	var b strings.Builder
	fmt.Fprintf(&b, "#### Zoom plugin status\nVersion %s. ", manifest.Version)
	problems, warnings := r.count(statusProblem), r.count(statusWarn)
	switch {
	case problems == 0 && warnings == 0:
		b.WriteString("Everything checked works.")
	default:
		fmt.Fprintf(&b, "%d to fix (:x:), %d to check (:warning:).", problems, warnings)
	}
	b.WriteString("\n")
	for _, sec := range r.sections {
		fmt.Fprintf(&b, "\n##### %s\n", sec.title)
		for _, l := range sec.lines {
			fmt.Fprintf(&b, "%s %s\n", statusIcons[l.level], l.text)
		}
	}
	return b.String(), nil
}

// modeName describes how the plugin connects to Zoom.
func modeName(s *config.Settings) string {
	if s.Mode() == config.ModeServerToServer {
		return "Server-to-Server OAuth: the plugin uses your Zoom account's Server-to-Server app for everyone, nobody connects, and users are matched to Zoom by their Mattermost email"
	}
	if s.AccountLevelApp {
		return "account-level OAuth: a system admin connects an admin-managed Zoom app once (/zoom connect) and users are matched to Zoom by their Mattermost email"
	}
	return "user-level OAuth: each user connects their own Zoom account (/zoom connect)"
}

func (a *App) statusConfiguration(sec *statusSection, s *config.Settings) {
	if s == nil {
		sec.add(statusProblem, "The plugin has no settings yet. Fill them in at System Console > Plugins > Zoom and save.")
		return
	}
	sec.add(statusInfo, "Mode: "+modeName(s)+".")
	required := func(label, value, fix string) {
		if strings.TrimSpace(value) == "" {
			sec.add(statusProblem, fmt.Sprintf("**%s** is empty. %s", label, fix))
		} else {
			sec.add(statusOK, fmt.Sprintf("**%s** is set.", label))
		}
	}
	credentials := "Copy it from your Zoom app's **App Credentials** page (Zoom App Marketplace > Manage > your app) into " + consolePath
	if s.Mode() == config.ModeServerToServer {
		if s.AccountLevelApp {
			sec.add(statusInfo, "**OAuth by Account Level App** is also on; it is ignored while **Use a Server-to-Server OAuth App** is on.")
		}
		required("Server-to-Server Account ID", s.S2SAccountID, credentials+"Server-to-Server Account ID.")
		required("Server-to-Server Client ID", s.S2SClientID, credentials+"Server-to-Server Client ID.")
		required("Server-to-Server Client Secret", s.S2SClientSecret, credentials+"Server-to-Server Client Secret.")
	} else {
		required("Zoom OAuth Client ID", s.OAuthClientID, credentials+"Zoom OAuth Client ID.")
		required("Zoom OAuth Client Secret", s.OAuthClientSecret, credentials+"Zoom OAuth Client Secret.")
	}
	required("At Rest Token Encryption Key", s.EncryptionKey, "Click **Regenerate** next to it in "+consolePath+"At Rest Token Encryption Key, then save.")
	required("Webhook Secret", s.WebhookSecret, "Click **Regenerate** next to it in "+consolePath+"Webhook Secret, save, and put it in the webhook URLs of your Zoom app.")
	if strings.TrimSpace(s.ZoomWebhookSecret) == "" {
		sec.add(statusProblem, "**Zoom Webhook Secret** is empty, so every webhook is refused (meeting cards never end, recordings never arrive). Copy the **Secret Token** from your Zoom app's **Features > Event Subscriptions** page into "+consolePath+"Zoom Webhook Secret.")
	} else {
		sec.add(statusOK, "**Zoom Webhook Secret** is set.")
	}
	for _, u := range []struct{ label, value, def string }{
		{"Zoom URL", s.ZoomURL, config.DefaultZoomURL},
		{"Zoom API URL", s.ZoomAPIURL, config.DefaultZoomAPIURL},
	} {
		switch {
		case strings.TrimSpace(u.value) == "":
			sec.add(statusOK, fmt.Sprintf("**%s** is empty, so %s is used.", u.label, u.def))
		case !absoluteHTTP(u.value):
			sec.add(statusProblem, fmt.Sprintf("**%s** is %q, which is not an absolute https URL. Empty it in %s%s to use %s, or enter your on-premise Zoom's address.", u.label, u.value, consolePath, u.label, u.def))
		default:
			sec.add(statusInfo, fmt.Sprintf("**%s** is %s (instead of %s).", u.label, u.value, u.def))
		}
	}
	a.statusSiteURL(sec, s)
	if s.RestrictMeetingCreation {
		sec.add(statusInfo, "**Restrict Meeting Creation** is on: meetings cannot be started in public channels unless a channel allows them (/zoom channel-settings).")
	} else {
		sec.add(statusInfo, "**Restrict Meeting Creation** is off: meetings may be started in every channel that does not restrict them.")
	}
	if limit := s.LargeChannelLimit(); limit > 0 {
		sec.add(statusInfo, fmt.Sprintf("**Large Channel Confirmation** is %d: starting a meeting in a channel with more members asks for confirmation first.", limit))
	} else {
		sec.add(statusInfo, "**Large Channel Confirmation** is off (0).")
	}
	if s.EnablePostingRecordingPassword {
		sec.add(statusInfo, "**Post the Recording Password** is on: recording passwords are posted with their links.")
	} else {
		sec.add(statusInfo, "**Post the Recording Password** is off.")
	}
	if err := s.Validate(); err != nil && !hasProblem(sec) {
		sec.add(statusProblem, strings.TrimPrefix(err.Error(), config.ErrNotConfigured.Error()+": ")+".")
	}
}

func hasProblem(sec *statusSection) bool {
	for _, l := range sec.lines {
		if l.level == statusProblem {
			return true
		}
	}
	return false
}

func absoluteHTTP(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func (a *App) statusSiteURL(sec *statusSection, s *config.Settings) {
	fix := "Set it in System Console > Environment > Web Server > Site URL"
	if strings.TrimSpace(s.SiteURL) == "" {
		sec.add(statusProblem, "The server has no **Site URL**, and every link the plugin builds starts with it. "+fix+".")
		return
	}
	u, err := url.Parse(s.SiteURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		sec.add(statusProblem, fmt.Sprintf("The **Site URL** %q is not an absolute URL like https://chat.example.com. %s.", s.SiteURL, fix))
		return
	}
	if u.RawQuery != "" || u.Fragment != "" {
		sec.add(statusProblem, fmt.Sprintf("The **Site URL** %q has a query or fragment, which breaks every plugin URL. %s.", s.SiteURL, fix))
		return
	}
	if u.Scheme != "https" {
		sec.add(statusWarn, fmt.Sprintf("The **Site URL** %s is not https. Zoom only redirects to and sends webhooks to https URLs with a public certificate. %s.", s.SiteURL, fix))
	} else if isLocalHost(u.Hostname()) {
		sec.add(statusWarn, fmt.Sprintf("The **Site URL** %s points to a local or private address, which Zoom cannot reach for webhooks. %s to the public address of this server.", s.SiteURL, fix))
	} else {
		sec.add(statusOK, fmt.Sprintf("**Site URL** is %s.", s.SiteURL))
	}
	sec.add(statusInfo, fmt.Sprintf("In your Zoom app: OAuth redirect URL `%s`; Event Subscriptions endpoint `%s/webhook?secret=<Webhook Secret>`; deauthorization endpoint `%s/deauthorization?secret=<Webhook Secret>`.",
		s.OAuthRedirectURL(), s.PluginURL(), s.PluginURL()))
}

func isLocalHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") || strings.HasSuffix(strings.ToLower(host), ".local") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}

// statusZoom checks that Zoom answers with the current credentials, with as few calls
// as it can: one to the token endpoint, one to the API where a token is at hand.
func (a *App) statusZoom(ctx context.Context, sec *statusSection, snap *snapshot, userID string) {
	s := snap.settings
	if s.Mode() == config.ModeServerToServer {
		a.statusServerToServer(ctx, sec, snap, userID)
		return
	}
	credFix := "Copy the **Client ID** and **Client Secret** again from your Zoom app's **App Credentials** page into " + consolePath + "Zoom OAuth Client ID and Zoom OAuth Client Secret."
	switch err := zoom.ProbeClientCredentials(ctx, snap.oauth, a.http); {
	case err == nil:
		sec.add(statusOK, "Zoom accepted the Client ID and Client Secret.")
	case errors.Is(err, zoom.ErrClientRejected):
		sec.add(statusProblem, "Zoom refused the Client ID or Client Secret. "+credFix)
	default:
		sec.add(statusProblem, fmt.Sprintf("Zoom's token endpoint %s did not answer as expected (%s). Check that this server can reach it, and the **Zoom URL** setting.", s.WebURL()+"/oauth/token", shortError(err)))
	}

	if s.AccountLevelApp {
		stored, err := snap.tokens.GetAdmin()
		if err != nil {
			sec.add(statusProblem, "No system admin has connected the account-level Zoom app, so nobody can start meetings. Run /zoom connect (as a system admin) and approve the admin-managed app.")
			return
		}
		tok, err := a.freshAdminToken(ctx, snap, stored)
		if err == nil {
			var me *zoom.User
			if me, err = snap.zoom.GetUser(ctx, tok.AccessToken, "me"); err == nil {
				sec.add(statusOK, fmt.Sprintf("Zoom answers with the organisation's connection (connected as %s).", me.Email))
				return
			}
		}
		sec.add(statusProblem, fmt.Sprintf("The organisation's Zoom connection failed (%s). Run /zoom connect again as a system admin; if it keeps failing, check the app's scopes (`user:read:user:admin`, `meeting:write:meeting:admin`, `meeting:read:meeting:admin`) on its **Scopes** page.", statusReason(err)))
		return
	}

	if _, err := snap.tokens.GetUser(userID); err != nil {
		sec.add(statusInfo, "You have not connected your own Zoom account, so no API call was tried. Run /zoom connect to test the whole path.")
		return
	}
	who, err := a.identityFor(ctx, userID)
	if err == nil {
		var me *zoom.User
		if me, err = snap.zoom.GetUser(ctx, who.accessToken, "me"); err == nil {
			sec.add(statusOK, fmt.Sprintf("Zoom answers with your own connection (connected as %s).", me.Email))
			return
		}
	}
	sec.add(statusProblem, fmt.Sprintf("Your own Zoom connection failed (%s). Run /zoom connect again; if it keeps failing, check the app's scopes (`user:read:user`, `meeting:write:meeting`, `meeting:read:meeting`) on its **Scopes** page.", statusReason(err)))
}

// statusServerToServer checks the token grant (or the shared token it produced with
// the current credentials) and one email lookup, as a meeting start would do.
func (a *App) statusServerToServer(ctx context.Context, sec *statusSection, snap *snapshot, userID string) {
	tok, err := a.s2sToken(ctx, snap)
	if err != nil {
		if errors.Is(err, ErrServerToServerRefused) {
			sec.add(statusProblem, "Zoom refused the Server-to-Server credentials. Copy the **Account ID**, **Client ID** and **Client Secret** again from your Server-to-Server app's **App Credentials** page into "+consolePath+"Server-to-Server Account ID, Server-to-Server Client ID and Server-to-Server Client Secret, and make sure the app is activated in Zoom.")
		} else {
			sec.add(statusProblem, fmt.Sprintf("Zoom's token endpoint did not answer (%s). Check that this server can reach %s, and the **Zoom URL** setting.", statusReason(err), snap.settings.WebURL()))
		}
		return
	}
	sec.add(statusOK, "Zoom granted a Server-to-Server token with the current credentials.")
	user, appErr := a.host.GetUser(userID)
	if appErr != nil {
		return
	}
	zu, err := snap.zoom.GetUser(ctx, tok.AccessToken, user.Email)
	switch {
	case err == nil:
		sec.add(statusOK, fmt.Sprintf("Zoom answers: your email %s is Zoom user %s.", user.Email, zu.ID))
	case zoom.IsNotFound(err):
		sec.add(statusWarn, fmt.Sprintf("Zoom answers, but your email %s is not a user of the Zoom account. Users are matched by email: people whose Mattermost email is not in Zoom cannot start meetings.", user.Email))
	default:
		sec.add(statusProblem, fmt.Sprintf("Zoom refused to look up users (%s). Add the scopes `user:read:user:admin`, `meeting:write:meeting:admin` and `meeting:read:meeting:admin` on your Server-to-Server app's **Scopes** page.", statusReason(err)))
	}
}

// statusReason is a short account of why a Zoom check failed.
func statusReason(err error) string {
	switch {
	case errors.Is(err, ErrReconnect), errors.Is(err, ErrAdminNotConnected):
		return "Zoom no longer accepts the stored token"
	case zoom.IsUnauthorized(err):
		return "Zoom refused the token"
	}
	var ue *UserError
	if errors.As(err, &ue) {
		return strings.TrimSuffix(ue.Message, ".")
	}
	return shortError(err)
}

func shortError(err error) string {
	msg := err.Error()
	if r := []rune(msg); len(r) > 160 {
		msg = string(r[:160]) + "…"
	}
	return msg
}

func (a *App) statusWebhooks(sec *statusSection, s *config.Settings) {
	endpoint := "`<Site URL>/plugins/zoom/webhook?secret=<Webhook Secret>`"
	if s != nil && strings.TrimSpace(s.SiteURL) != "" {
		endpoint = "`" + s.PluginURL() + "/webhook?secret=<Webhook Secret>`"
	}
	d := a.diag.Snapshot()
	if !d.LastEventAt.IsZero() {
		sec.add(statusOK, fmt.Sprintf("Last webhook on this server: `%s`, %s (%s ago).", d.LastEvent, d.LastEventAt.UTC().Format("2006-01-02 15:04 MST"), a.now().Sub(d.LastEventAt).Round(time.Second)))
	} else {
		sec.add(statusWarn, "No webhook has arrived on this server since the plugin was activated. In your Zoom app's **Features > Event Subscriptions**, set the endpoint URL to "+endpoint+", add the events meeting.started, meeting.ended, recording.completed and recording.transcript_completed, save the Secret Token in "+consolePath+"Zoom Webhook Secret, then click **Validate**.")
	}
	if d.FailClosed > 0 {
		sec.add(statusProblem, fmt.Sprintf("%d webhooks were refused on this server since activation because **Zoom Webhook Secret** was empty. Copy the Secret Token from your Zoom app's **Features > Event Subscriptions** page into %sZoom Webhook Secret.", d.FailClosed, consolePath))
	}
	if failed := d.Refusals - d.FailClosed; failed > 0 {
		sec.add(statusProblem, fmt.Sprintf("%d webhooks failed the signature check on this server since activation (last: %s, %s). **Zoom Webhook Secret** must equal the Secret Token on your Zoom app's **Features > Event Subscriptions** page (paste it again after regenerating it in Zoom); \"timestamp\" errors mean this server's clock is wrong.",
			failed, d.LastRefusal, d.LastRefusalAt.UTC().Format("2006-01-02 15:04 MST")))
	}
	if d.Refusals == 0 {
		sec.add(statusOK, "No webhook was refused on this server since activation.")
	}
}

func (a *App) statusStorage(sec *statusSection, s *config.Settings) {
	if n, more, err := a.kv.CountUnfinishedJobs(statusJobLimit); err != nil {
		sec.add(statusWarn, "Could not count pending webhook work: "+shortError(err))
	} else if n == 0 {
		sec.add(statusOK, "No webhook work is waiting (recording, chat and transcript downloads).")
	} else {
		more := map[bool]string{true: " (or more)", false: ""}[more]
		sec.add(statusInfo, fmt.Sprintf("%d webhook jobs%s are not finished yet (recording, chat and transcript downloads); they are retried automatically.", n, more))
	}
	n, err := a.kv.CountConnectedUsers()
	switch {
	case err != nil:
		sec.add(statusWarn, "Could not count connected users: "+shortError(err))
	case s != nil && !s.UserConnects():
		sec.add(statusInfo, fmt.Sprintf("%d users have a personal Zoom connection stored (not used in this mode).", n))
	default:
		sec.add(statusInfo, fmt.Sprintf("%d users have connected their Zoom account.", n))
	}
}
