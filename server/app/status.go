package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/i18n"
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
	t     func(id string, args ...i18n.Args) string
}

// statusReport is written in the language of the admin who asked (t).
type statusReport struct {
	sections []*statusSection
	t        func(id string, args ...i18n.Args) string
}

func (r *statusReport) section(titleID string) *statusSection {
	s := &statusSection{title: r.t(titleID), t: r.t}
	r.sections = append(r.sections, s)
	return s
}

// add appends the translated message id.
func (s *statusSection) add(level statusLevel, id string, args ...i18n.Args) {
	s.addText(level, s.t(id, args...))
}

func (s *statusSection) addText(level statusLevel, text string) {
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
		return "", a.userErrorT(KindForbidden, ErrForbidden, "status.adminOnly")
	}
	r := &statusReport{t: func(id string, args ...i18n.Args) string { return a.t(userID, id, args...) }}
	s := a.attempted.Load()
	a.statusConfiguration(r.section("status.section.configuration"), s)
	zoomSection := r.section("status.section.zoom")
	if snap, err := a.snap(); err != nil {
		zoomSection.add(statusWarn, "status.notContacted")
	} else {
		a.statusZoom(ctx, zoomSection, snap, userID)
	}
	a.statusWebhooks(r.section("status.section.webhooks"), s)
	a.statusStorage(r.section("status.section.storage"), s)

	var b strings.Builder
	b.WriteString(r.t("status.title", i18n.Args{"version": manifest.Version}) + " ")
	problems, warnings := r.count(statusProblem), r.count(statusWarn)
	switch {
	case problems == 0 && warnings == 0:
		b.WriteString(r.t("status.allGood"))
	default:
		b.WriteString(r.t("status.counts", i18n.Args{"problems": problems, "warnings": warnings}))
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

// modeID names the message describing how the plugin connects to Zoom.
func modeID(s *config.Settings) string {
	if s.Mode() == config.ModeServerToServer {
		return "status.modeS2S"
	}
	if s.AccountLevelApp {
		return "status.modeAccountLevel"
	}
	return "status.modeUserLevel"
}

func (a *App) statusConfiguration(sec *statusSection, s *config.Settings) {
	if s == nil {
		sec.add(statusProblem, "status.noSettings")
		return
	}
	sec.add(statusInfo, "status.mode", i18n.Args{"mode": sec.t(modeID(s))})
	if s.Mode() != config.ModeUserLevel {
		sec.add(statusInfo, "status.emailVerification")
	}
	if s.Mode() == config.ModeServerToServer && s.AccountLevelApp {
		sec.add(statusInfo, "status.accountLevelIgnored")
	}
	// Setting names stay as the System Console shows them (plugin.json, English).
	fixes := map[string]string{"EncryptionKey": "status.fixEncryptionKey", "WebhookSecret": "status.fixWebhookSecret"}
	for _, r := range s.Required() {
		args := i18n.Args{"setting": r.Label}
		if strings.TrimSpace(r.Value) != "" {
			sec.add(statusOK, "status.settingSet", args)
			continue
		}
		fix, ok := fixes[r.Key]
		if !ok {
			fix = "status.fixCredential"
		}
		args["fix"] = sec.t(fix, args)
		sec.add(statusProblem, "status.settingEmpty", args)
	}
	if strings.TrimSpace(s.ZoomWebhookSecret) == "" {
		sec.add(statusProblem, "status.zoomWebhookSecretEmpty")
	} else {
		sec.add(statusOK, "status.settingSet", i18n.Args{"setting": "Zoom Webhook Secret"})
	}
	for _, u := range []struct{ label, value, def string }{
		{"Zoom URL", s.ZoomURL, config.DefaultZoomURL},
		{"Zoom API URL", s.ZoomAPIURL, config.DefaultZoomAPIURL},
	} {
		args := i18n.Args{"setting": u.label, "value": u.value, "default": u.def}
		switch {
		case strings.TrimSpace(u.value) == "":
			sec.add(statusOK, "status.urlDefault", args)
		case !config.IsAbsoluteHTTP(u.value):
			args["value"] = strconv.Quote(u.value)
			sec.add(statusProblem, "status.urlInvalid", args)
		default:
			sec.add(statusInfo, "status.urlCustom", args)
		}
	}
	a.statusSiteURL(sec, s)
	if s.RestrictMeetingCreation {
		sec.add(statusInfo, "status.restrictOn")
	} else {
		sec.add(statusInfo, "status.restrictOff")
	}
	if limit := s.LargeChannelLimit(); limit > 0 {
		sec.add(statusInfo, "status.largeChannel", i18n.Args{"limit": limit})
	} else {
		sec.add(statusInfo, "status.largeChannelOff")
	}
	if s.EnablePostingRecordingPassword {
		sec.add(statusInfo, "status.passwordOn")
	} else {
		sec.add(statusInfo, "status.passwordOff")
	}
	if err := s.Validate(); err != nil && !hasProblem(sec) {
		// The validation names the setting in English, as the System Console does.
		sec.add(statusProblem, "status.invalid", i18n.Args{"reason": strings.TrimPrefix(err.Error(), config.ErrNotConfigured.Error()+": ")})
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

func (a *App) statusSiteURL(sec *statusSection, s *config.Settings) {
	if strings.TrimSpace(s.SiteURL) == "" {
		sec.add(statusProblem, "status.siteURLMissing")
		return
	}
	url1 := i18n.Args{"url": s.SiteURL}
	quoted := i18n.Args{"url": strconv.Quote(s.SiteURL)}
	if !config.IsAbsoluteHTTP(s.SiteURL) {
		sec.add(statusProblem, "status.siteURLNotAbsolute", quoted)
		return
	}
	u, _ := url.Parse(s.SiteURL)
	if u.RawQuery != "" || u.Fragment != "" {
		sec.add(statusProblem, "status.siteURLQuery", quoted)
		return
	}
	if u.Scheme != "https" {
		sec.add(statusWarn, "status.siteURLNotHTTPS", url1)
	} else if isLocalHost(u.Hostname()) {
		sec.add(statusWarn, "status.siteURLLocal", url1)
	} else {
		sec.add(statusOK, "status.siteURLOK", url1)
	}
	sec.add(statusInfo, "status.zoomAppURLs", i18n.Args{"redirect": s.PluginURL() + a.links.OAuthComplete, "plugin": s.PluginURL()})
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
	switch err := zoom.ProbeClientCredentials(ctx, snap.oauth, a.http); {
	case err == nil:
		sec.add(statusOK, "status.clientOK")
	case errors.Is(err, zoom.ErrClientRejected):
		sec.add(statusProblem, "status.clientRefused")
	default:
		sec.add(statusProblem, "status.tokenEndpoint", i18n.Args{"url": s.WebURL() + "/oauth/token", "reason": shortError(err)})
	}

	if s.AccountLevelApp {
		stored, err := snap.tokens.GetAdmin()
		if err != nil {
			sec.add(statusProblem, "status.orgNotConnected")
			return
		}
		tok, err := a.freshAdminToken(ctx, snap, stored)
		if err == nil {
			var me *zoom.User
			if me, err = snap.zoom.GetUser(ctx, tok.AccessToken, "me"); err == nil {
				sec.add(statusOK, "status.orgOK", i18n.Args{"email": me.Email})
				return
			}
		}
		sec.add(statusProblem, "status.orgFailed", i18n.Args{"reason": a.statusReason(userID, err)})
		return
	}

	if _, err := snap.tokens.GetUser(userID); err != nil {
		sec.add(statusInfo, "status.ownNotConnected")
		return
	}
	who, err := a.identityFor(ctx, userID)
	if err == nil {
		var me *zoom.User
		if me, err = snap.zoom.GetUser(ctx, who.accessToken, "me"); err == nil {
			sec.add(statusOK, "status.ownOK", i18n.Args{"email": me.Email})
			return
		}
	}
	sec.add(statusProblem, "status.ownFailed", i18n.Args{"reason": a.statusReason(userID, err)})
}

// statusServerToServer checks the token grant (or the shared token it produced with
// the current credentials) and one email lookup, as a meeting start would do.
func (a *App) statusServerToServer(ctx context.Context, sec *statusSection, snap *snapshot, userID string) {
	tok, err := a.s2sToken(ctx, snap)
	if err != nil {
		if errors.Is(err, ErrServerToServerRefused) {
			sec.add(statusProblem, "status.s2sRefused")
		} else {
			sec.add(statusProblem, "status.s2sTokenEndpoint", i18n.Args{"reason": a.statusReason(userID, err), "url": snap.settings.WebURL()})
		}
		return
	}
	sec.add(statusOK, "status.s2sOK")
	user, appErr := a.host.GetUser(userID)
	if appErr != nil {
		return
	}
	zu, err := snap.zoom.GetUser(ctx, tok.AccessToken, user.Email)
	switch {
	case err == nil:
		sec.add(statusOK, "status.s2sUserOK", i18n.Args{"email": user.Email, "zoomUser": zu.ID})
	case zoom.IsNotFound(err):
		sec.add(statusWarn, "status.s2sUserNotFound", i18n.Args{"email": user.Email})
	default:
		sec.add(statusProblem, "status.s2sLookupRefused", i18n.Args{"reason": a.statusReason(userID, err)})
	}
}

// statusReason is a short account of why a Zoom check failed, in the admin's language.
func (a *App) statusReason(userID string, err error) string {
	switch {
	case errors.Is(err, ErrReconnect), errors.Is(err, ErrAdminNotConnected):
		return a.t(userID, "status.reasonStoredToken")
	case zoom.IsUnauthorized(err):
		return a.t(userID, "status.reasonTokenRefused")
	}
	var ue *UserError
	if errors.As(err, &ue) {
		return strings.TrimSuffix(a.MessageFor(userID, err), ".")
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
	base := "<Site URL>/plugins/" + manifest.PluginID
	if s != nil && strings.TrimSpace(s.SiteURL) != "" {
		base = s.PluginURL()
	}
	endpoint := "`" + base + a.links.Webhook + "?secret=<Webhook Secret>`"
	d := a.diag.Snapshot()
	if !d.LastEventAt.IsZero() {
		sec.add(statusOK, "status.lastWebhook", i18n.Args{"event": d.LastEvent, "time": d.LastEventAt.UTC().Format("2006-01-02 15:04 MST"), "ago": a.now().Sub(d.LastEventAt).Round(time.Second)})
	} else {
		sec.add(statusWarn, "status.noWebhook", i18n.Args{"endpoint": endpoint})
	}
	if d.FailClosed > 0 {
		sec.add(statusProblem, "status.failClosed", i18n.Args{"count": d.FailClosed})
	}
	if failed := d.Refusals - d.FailClosed; failed > 0 {
		sec.add(statusProblem, "status.signatureFailed", i18n.Args{"count": failed, "last": d.LastRefusal, "time": d.LastRefusalAt.UTC().Format("2006-01-02 15:04 MST")})
	}
	if d.Refusals == 0 {
		sec.add(statusOK, "status.noRefusals")
	}
}

func (a *App) statusStorage(sec *statusSection, s *config.Settings) {
	if n, more, err := a.kv.CountUnfinishedJobs(statusJobLimit); err != nil {
		sec.add(statusWarn, "status.jobsUncounted", i18n.Args{"reason": shortError(err)})
	} else if n == 0 {
		sec.add(statusOK, "status.noJobs")
	} else if more {
		sec.add(statusInfo, "status.jobsMore", i18n.Args{"count": n})
	} else {
		sec.add(statusInfo, "status.jobs", i18n.Args{"count": n})
	}
	n, err := a.kv.CountConnectedUsers()
	switch {
	case err != nil:
		sec.add(statusWarn, "status.usersUncounted", i18n.Args{"reason": shortError(err)})
	case s != nil && !s.UserConnects():
		sec.add(statusInfo, "status.usersUnused", i18n.Args{"count": n})
	default:
		sec.add(statusInfo, "status.users", i18n.Args{"count": n})
	}
}
