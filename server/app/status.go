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

// statusJobLimit bounds the job records one report reads.
const statusJobLimit = 500

// statusLevel is how a line of the report counts, shown as its icon.
type statusLevel string

const (
	statusOK      statusLevel = ":white_check_mark:"
	statusInfo    statusLevel = ":information_source:"
	statusWarn    statusLevel = ":warning:"
	statusProblem statusLevel = ":x:"
)

// statusReport is written in the language of the admin who asked (t); it counts its
// lines by level for the summary at the top.
type statusReport struct {
	t      func(id string, args ...i18n.Args) string
	body   strings.Builder
	counts map[statusLevel]int
}

func (r *statusReport) section(titleID string) {
	fmt.Fprintf(&r.body, "\n##### %s\n", r.t(titleID))
}

// add appends the translated message id as a line of the given level.
func (r *statusReport) add(level statusLevel, id string, args ...i18n.Args) {
	r.counts[level]++
	fmt.Fprintf(&r.body, "%s %s\n", level, r.t(id, args...))
}

// StatusReport builds the /zoom status report. Only system admins may see it.
func (a *App) StatusReport(ctx context.Context, userID string) (string, error) {
	if !a.IsSystemAdmin(userID) {
		return "", a.userErrorT(KindForbidden, ErrForbidden, "status.adminOnly")
	}
	r := &statusReport{t: a.translator(userID), counts: map[statusLevel]int{}}
	s := a.attempted.Load()
	r.section("status.section.configuration")
	a.statusConfiguration(r, s)
	r.section("status.section.zoom")
	if snap, err := a.snap(); err != nil {
		r.add(statusWarn, "status.notContacted")
	} else {
		a.statusZoom(ctx, r, snap, userID)
	}
	r.section("status.section.webhooks")
	a.statusWebhooks(r, s)
	r.section("status.section.storage")
	a.statusStorage(r, s)

	summary := r.t("status.allGood")
	if problems, warnings := r.counts[statusProblem], r.counts[statusWarn]; problems+warnings > 0 {
		summary = r.t("status.counts", i18n.Args{"problems": problems, "warnings": warnings})
	}
	return r.t("status.title", i18n.Args{"version": manifest.Version}) + " " + summary + "\n" + r.body.String(), nil
}

// statusModes names the message that describes each way of connecting to Zoom.
var statusModes = map[string]string{
	config.ModeUserLevel:      "status.modeUserLevel",
	config.ModeAccountLevel:   "status.modeAccountLevel",
	config.ModeServerToServer: "status.modeS2S",
}

func (a *App) statusConfiguration(r *statusReport, s *config.Settings) {
	if s == nil {
		r.add(statusProblem, "status.noSettings")
		return
	}
	problemsBefore := r.counts[statusProblem]
	r.add(statusInfo, "status.mode", i18n.Args{"mode": r.t(statusModes[s.Mode()])})
	if !s.UserConnects() {
		r.add(statusInfo, "status.emailVerification")
	}
	if s.Mode() == config.ModeServerToServer && s.AccountLevelApp {
		r.add(statusInfo, "status.accountLevelIgnored")
	}
	// Setting names stay as the System Console shows them (plugin.json, English).
	fixes := map[string]string{"EncryptionKey": "status.fixEncryptionKey", "WebhookSecret": "status.fixWebhookSecret"}
	for _, setting := range s.Required() {
		args := i18n.Args{"setting": setting.Label}
		if strings.TrimSpace(setting.Value) != "" {
			r.add(statusOK, "status.settingSet", args)
			continue
		}
		fix, ok := fixes[setting.Key]
		if !ok {
			fix = "status.fixCredential"
		}
		args["fix"] = r.t(fix, args)
		r.add(statusProblem, "status.settingEmpty", args)
	}
	if strings.TrimSpace(s.ZoomWebhookSecret) == "" {
		r.add(statusProblem, "status.zoomWebhookSecretEmpty")
	} else {
		r.add(statusOK, "status.settingSet", i18n.Args{"setting": "Zoom Webhook Secret"})
	}
	for _, u := range []struct{ label, value, def string }{
		{"Zoom URL", s.ZoomURL, config.DefaultZoomURL},
		{"Zoom API URL", s.ZoomAPIURL, config.DefaultZoomAPIURL},
	} {
		args := i18n.Args{"setting": u.label, "value": u.value, "default": u.def}
		switch {
		case u.value == "":
			r.add(statusOK, "status.urlDefault", args)
		case !config.IsAbsoluteHTTP(u.value):
			args["value"] = strconv.Quote(u.value)
			r.add(statusProblem, "status.urlInvalid", args)
		default:
			r.add(statusInfo, "status.urlCustom", args)
		}
	}
	a.statusSiteURL(r, s)
	if s.RestrictMeetingCreation {
		r.add(statusInfo, "status.restrictOn")
	} else {
		r.add(statusInfo, "status.restrictOff")
	}
	if limit := s.LargeChannelLimit(); limit > 0 {
		r.add(statusInfo, "status.largeChannel", i18n.Args{"limit": limit})
	} else {
		r.add(statusInfo, "status.largeChannelOff")
	}
	if s.EnablePostingRecordingPassword {
		r.add(statusInfo, "status.passwordOn")
	} else {
		r.add(statusInfo, "status.passwordOff")
	}
	// The lines above flag each setting Validate refuses, in the admin's language; its
	// own English reason shows only for a refusal none of them explains.
	if err := s.Validate(); err != nil && r.counts[statusProblem] == problemsBefore {
		r.add(statusProblem, "status.invalid", i18n.Args{"reason": strings.TrimPrefix(err.Error(), config.ErrNotConfigured.Error()+": ")})
	}
}

func (a *App) statusSiteURL(r *statusReport, s *config.Settings) {
	if strings.TrimSpace(s.SiteURL) == "" {
		r.add(statusProblem, "status.siteURLMissing")
		return
	}
	plain, quoted := i18n.Args{"url": s.SiteURL}, i18n.Args{"url": strconv.Quote(s.SiteURL)}
	u, err := url.Parse(s.SiteURL)
	switch {
	case err != nil || !config.IsAbsoluteHTTP(s.SiteURL):
		r.add(statusProblem, "status.siteURLNotAbsolute", quoted)
		return
	case u.RawQuery != "" || u.Fragment != "":
		r.add(statusProblem, "status.siteURLQuery", quoted)
		return
	case u.Scheme != "https":
		r.add(statusWarn, "status.siteURLNotHTTPS", plain)
	case isLocalHost(u.Hostname()):
		r.add(statusWarn, "status.siteURLLocal", plain)
	default:
		r.add(statusOK, "status.siteURLOK", plain)
	}
	r.add(statusInfo, "status.zoomAppURLs", i18n.Args{"redirect": s.PluginURL() + a.links.OAuthComplete, "plugin": s.PluginURL()})
}

func isLocalHost(host string) bool {
	host = strings.ToLower(host)
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}

// statusZoom checks that Zoom answers with the current credentials, with as few calls
// as it can: one to the token endpoint, one to the API where a token is at hand.
func (a *App) statusZoom(ctx context.Context, r *statusReport, snap *snapshot, userID string) {
	s := snap.settings
	if s.Mode() == config.ModeServerToServer {
		a.statusServerToServer(ctx, r, snap, userID)
		return
	}
	switch err := zoom.ProbeClientCredentials(ctx, snap.oauth, a.http); {
	case err == nil:
		r.add(statusOK, "status.clientOK")
	case errors.Is(err, zoom.ErrClientRejected):
		r.add(statusProblem, "status.clientRefused")
	default:
		r.add(statusProblem, "status.tokenEndpoint", i18n.Args{"url": s.WebURL() + "/oauth/token", "reason": shortError(err)})
	}
	if s.AccountLevelApp {
		statusConnection(ctx, a, r, snap, userID, adminTokens(snap), statusProblem, "status.orgNotConnected", "status.orgOK", "status.orgFailed")
	} else {
		statusConnection(ctx, a, r, snap, userID, userTokens(snap, userID), statusInfo, "status.ownNotConnected", "status.ownOK", "status.ownFailed")
	}
}

// statusConnection reports the stored connection of an OAuth mode: missing (at the
// level given), or whether Zoom answers "me" with its token, refreshed if need be.
func statusConnection[T any](ctx context.Context, a *App, r *statusReport, snap *snapshot, userID string, slot tokenSlot[T],
	missingLevel statusLevel, missingID, okID, failedID string) {
	stored, err := slot.read()
	if err != nil {
		r.add(missingLevel, missingID)
		return
	}
	tok, err := freshToken(ctx, a, snap, slot, slot.token(stored))
	var me *zoom.User
	if err == nil {
		me, err = snap.zoom.GetUser(ctx, tok.AccessToken, "me")
	}
	if err != nil {
		r.add(statusProblem, failedID, i18n.Args{"reason": a.statusReason(userID, err)})
		return
	}
	r.add(statusOK, okID, i18n.Args{"email": me.Email})
}

// statusServerToServer checks the token grant (or the shared token it produced with
// the current credentials) and one email lookup, as a meeting start would do.
func (a *App) statusServerToServer(ctx context.Context, r *statusReport, snap *snapshot, userID string) {
	tok, err := a.s2sToken(ctx, snap)
	if err != nil {
		if errors.Is(err, ErrServerToServerRefused) {
			r.add(statusProblem, "status.s2sRefused")
		} else {
			r.add(statusProblem, "status.s2sTokenEndpoint", i18n.Args{"reason": a.statusReason(userID, err), "url": snap.settings.WebURL()})
		}
		return
	}
	r.add(statusOK, "status.s2sOK")
	user, appErr := a.host.GetUser(userID)
	if appErr != nil {
		return
	}
	zu, err := snap.zoom.GetUser(ctx, tok.AccessToken, user.Email)
	switch {
	case err == nil:
		r.add(statusOK, "status.s2sUserOK", i18n.Args{"email": user.Email, "zoomUser": zu.ID})
	case zoom.IsNotFound(err):
		r.add(statusWarn, "status.s2sUserNotFound", i18n.Args{"email": user.Email})
	default:
		r.add(statusProblem, "status.s2sLookupRefused", i18n.Args{"reason": a.statusReason(userID, err)})
	}
}

// statusReason is a short account of why a Zoom check failed, in the admin's language.
func (a *App) statusReason(userID string, err error) string {
	switch {
	case errors.Is(err, ErrReconnect), errors.Is(err, ErrAdminNotConnected):
		return a.T(userID, "status.reasonStoredToken")
	case zoom.IsUnauthorized(err):
		return a.T(userID, "status.reasonTokenRefused")
	}
	if _, ok := errors.AsType[*UserError](err); ok {
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

func (a *App) statusWebhooks(r *statusReport, s *config.Settings) {
	base := "<Site URL>/plugins/" + manifest.PluginID
	if s != nil && strings.TrimSpace(s.SiteURL) != "" {
		base = s.PluginURL()
	}
	endpoint := "`" + base + a.links.Webhook + "?secret=<Webhook Secret>`"
	d := a.diag.Snapshot()
	if !d.LastEventAt.IsZero() {
		r.add(statusOK, "status.lastWebhook", i18n.Args{"event": d.LastEvent, "time": d.LastEventAt.UTC().Format("2006-01-02 15:04 MST"), "ago": a.now().Sub(d.LastEventAt).Round(time.Second)})
	} else {
		r.add(statusWarn, "status.noWebhook", i18n.Args{"endpoint": endpoint})
	}
	if d.FailClosed > 0 {
		r.add(statusProblem, "status.failClosed", i18n.Args{"count": d.FailClosed})
	}
	if failed := d.Refusals - d.FailClosed; failed > 0 {
		r.add(statusProblem, "status.signatureFailed", i18n.Args{"count": failed, "last": d.LastRefusal, "time": d.LastRefusalAt.UTC().Format("2006-01-02 15:04 MST")})
	}
	if d.Refusals == 0 {
		r.add(statusOK, "status.noRefusals")
	}
}

func (a *App) statusStorage(r *statusReport, s *config.Settings) {
	if n, more, err := a.kv.CountUnfinishedJobs(statusJobLimit); err != nil {
		r.add(statusWarn, "status.jobsUncounted", i18n.Args{"reason": shortError(err)})
	} else if n == 0 {
		r.add(statusOK, "status.noJobs")
	} else if more {
		r.add(statusInfo, "status.jobsMore", i18n.Args{"count": n})
	} else {
		r.add(statusInfo, "status.jobs", i18n.Args{"count": n})
	}
	n, err := a.kv.CountConnectedUsers()
	switch {
	case err != nil:
		r.add(statusWarn, "status.usersUncounted", i18n.Args{"reason": shortError(err)})
	case s != nil && !s.UserConnects():
		r.add(statusInfo, "status.usersUnused", i18n.Args{"count": n})
	default:
		r.add(statusInfo, "status.users", i18n.Args{"count": n})
	}
}
