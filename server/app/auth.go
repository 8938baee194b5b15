package app

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/pluginapi/cluster"
	"golang.org/x/oauth2"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// refreshMargin refreshes a token a little before Zoom would reject it.
const refreshMargin = time.Minute

// identity is what a Zoom call on behalf of a Mattermost user needs.
type identity struct {
	snap        *snapshot
	accessToken string
	zoomUserID  string
	// zoomEmail is the Zoom user's email, which Zoom lists for alternative hosts.
	zoomEmail string
}

// ConnectLink is the URL a user opens to connect Zoom. forMeeting marks a connect that
// should continue the user's pending meeting request.
func (a *App) ConnectLink(channelID string, forMeeting bool) string {
	s := a.Settings()
	if s == nil {
		return ""
	}
	q := url.Values{}
	if channelID != "" {
		q.Set("channelID", channelID)
	}
	if forMeeting {
		q.Set("from", "meeting")
	}
	link := s.PluginURL() + a.links.Connect
	if len(q) > 0 {
		link += "?" + q.Encode()
	}
	return link
}

// BeginConnect starts the OAuth flow for a user and returns Zoom's authorize URL.
func (a *App) BeginConnect(userID, channelID string, forMeeting bool) (string, error) {
	snap, err := a.snap()
	if err != nil {
		return "", err
	}
	if snap.settings.Mode() == config.ModeServerToServer {
		return "", a.userErrorT(KindBadInput, nil, "s2s.noConnect")
	}
	if snap.settings.AccountLevelApp && !a.isSystemAdmin(userID) {
		return "", a.userErrorT(KindForbidden, ErrForbidden, "connect.adminOnly")
	}
	if channelID != "" && !isID(channelID) {
		channelID = ""
	}
	state, err := a.kv.BeginOAuthState(userID, newOAuthState(userID, channelID, !forMeeting).String())
	if err != nil {
		return "", err
	}
	return snap.oauth.AuthCodeURL(state), nil
}

// CompleteConnect finishes the OAuth flow in the user's browser session.
func (a *App) CompleteConnect(ctx context.Context, userID, code, rawState string) error {
	snap, err := a.snap()
	if err != nil {
		return err
	}
	state, err := parseOAuthState(rawState)
	if err != nil || !SameSecret(userID, state.UserID) {
		return a.userErrorT(KindBadInput, ErrBadState, "connect.badLink")
	}
	consumed, err := a.kv.ConsumeOAuthState(userID, rawState)
	if err != nil {
		return err
	}
	if !consumed {
		return a.userErrorT(KindBadInput, ErrBadState, "connect.expired")
	}
	if code == "" || len(code) > 2048 {
		return a.userErrorT(KindBadInput, ErrBadState, "connect.noCode")
	}
	tok, err := zoom.Exchange(ctx, snap.oauth, a.http, code)
	if err != nil {
		if zoom.IsInvalidGrant(err) {
			return a.userErrorT(KindBadInput, err, "connect.refused")
		}
		return a.zoomFailure(err, "zoom.action.finishConnect")
	}
	me, err := snap.zoom.GetUser(ctx, tok.AccessToken, "me")
	if err != nil {
		return a.zoomFailure(err, "zoom.action.readProfile")
	}
	if snap.settings.AccountLevelApp {
		if !a.isSystemAdmin(userID) {
			return a.userErrorT(KindForbidden, ErrForbidden, "connect.adminOnlyOrg")
		}
		if err := snap.tokens.SaveAdmin(tok, me.ID); err != nil {
			return err
		}
	} else if err := snap.tokens.SaveUser(&store.UserInfo{ZoomEmail: me.Email, OAuthToken: tok, UserID: userID, ZoomID: me.ID}); err != nil {
		return err
	}

	if state.ChannelID != "" {
		id := "connect.done"
		if snap.settings.AccountLevelApp {
			id = "connect.doneOrg"
		}
		a.ephemeral(userID, state.ChannelID, "", a.t(userID, id, i18n.Args{"email": me.Email}))
	}
	pending, err := a.kv.TakePendingMeeting(userID)
	if err != nil || pending == nil || state.JustConnect {
		return err
	}
	_, err = a.StartMeeting(ctx, StartRequest{
		UserID: userID, ChannelID: pending.ChannelID, RootID: pending.RootID,
		Topic: pending.Topic, UsePMI: pending.UsePMI, ConnectionID: pending.ConnectionID, Confirmed: pending.Confirmed,
	})
	if err != nil {
		a.ephemeral(userID, pending.ChannelID, pending.RootID, a.MessageFor(userID, err))
	}
	return nil
}

// Disconnect removes the user's Zoom connection (or, for an admin in account-level
// mode, the organisation's) and says what happened.
func (a *App) Disconnect(userID string) (string, error) {
	snap, err := a.snap()
	if err != nil {
		return "", err
	}
	if snap.settings.Mode() == config.ModeServerToServer {
		return a.t(userID, "s2s.noConnect"), nil
	}
	if snap.settings.AccountLevelApp {
		if !a.isSystemAdmin(userID) {
			return "", a.userErrorT(KindForbidden, ErrForbidden, "disconnect.adminOnly")
		}
		if _, err := snap.tokens.GetAdmin(); errors.Is(err, store.ErrNotFound) {
			return a.t(userID, "disconnect.orgNotConnected"), nil
		}
		if err := snap.tokens.DeleteAdmin(); err != nil {
			return "", err
		}
		return a.t(userID, "disconnect.orgDone"), nil
	}
	if _, err := snap.tokens.GetUser(userID); errors.Is(err, store.ErrNotFound) {
		return a.t(userID, "disconnect.notConnected"), nil
	}
	if err := snap.tokens.DeleteUser(userID); err != nil {
		return "", err
	}
	return a.t(userID, "disconnect.done"), nil
}

// identityFor resolves the Zoom user and a fresh access token for a Mattermost user.
func (a *App) identityFor(ctx context.Context, userID string) (*identity, error) {
	snap, err := a.snap()
	if err != nil {
		return nil, err
	}
	switch snap.settings.Mode() {
	case config.ModeServerToServer:
		return a.s2sIdentity(ctx, snap, userID)
	case config.ModeAccountLevel:
		return a.accountIdentity(ctx, snap, userID)
	}
	stored, err := snap.tokens.GetUser(userID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, ErrNotConnected
	case errors.Is(err, store.ErrUndecryptable):
		return nil, ErrReconnect
	case err != nil:
		return nil, err
	}
	tok, err := a.freshUserToken(ctx, snap, userID, stored)
	if err != nil {
		return nil, err
	}
	return &identity{snap: snap, accessToken: tok.AccessToken, zoomUserID: stored.ZoomID, zoomEmail: stored.ZoomEmail}, nil
}

func (a *App) accountIdentity(ctx context.Context, snap *snapshot, userID string) (*identity, error) {
	stored, err := snap.tokens.GetAdmin()
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrUndecryptable):
		return nil, ErrAdminNotConnected
	case err != nil:
		return nil, err
	}
	tok, err := a.freshAdminToken(ctx, snap, stored)
	if err != nil {
		return nil, err
	}
	return a.emailIdentity(ctx, snap, tok.AccessToken, userID)
}

// emailIdentity finds the Zoom user with the Mattermost user's email through an
// account-wide token (account-level and Server-to-Server modes), caching the id. The
// email must be one Mattermost vouches for (verified, or from SSO/LDAP): anyone may
// type a colleague's address into their profile, and would then act as that colleague
// in Zoom.
func (a *App) emailIdentity(ctx context.Context, snap *snapshot, accessToken, userID string) (*identity, error) {
	user, appErr := a.host.GetUser(userID)
	if appErr != nil {
		return nil, appErr
	}
	if !emailTrusted(user) {
		return nil, a.userErrorT(KindForbidden, ErrEmailUnverified, "identity.emailUnverified", i18n.Args{"email": user.Email})
	}
	zoomID, err := a.kv.CachedZoomUser(userID, user.Email)
	if err != nil {
		return nil, err
	}
	if zoomID == "" {
		zu, err := snap.zoom.GetUser(ctx, accessToken, user.Email)
		if zoom.IsNotFound(err) {
			return nil, a.userErrorT(KindNotFound, ErrZoomUserNotFound, "identity.emailNotInZoom", i18n.Args{"email": user.Email})
		}
		if err != nil {
			return nil, a.zoomFailure(err, "zoom.action.lookUpAccount")
		}
		zoomID = zu.ID
		if err := a.kv.CacheZoomUser(userID, user.Email, zoomID); err != nil {
			a.host.LogWarn("Could not cache the Zoom user id", "error", err.Error())
		}
	}
	return &identity{snap: snap, accessToken: accessToken, zoomUserID: zoomID, zoomEmail: user.Email}, nil
}

// emailTrusted reports whether Mattermost vouches for a user's email: verified, or
// managed by a sign-in service (SSO, LDAP), so nobody can claim a colleague's address.
func emailTrusted(u *model.User) bool { return u.EmailVerified || u.AuthService != "" }

func valid(tok *oauth2.Token, now time.Time) bool {
	return tok != nil && tok.AccessToken != "" && (tok.Expiry.IsZero() || tok.Expiry.After(now.Add(refreshMargin)))
}

// freshUserToken refreshes an expiring token. Zoom rotates refresh tokens and kills the
// old one at once, so two plugin processes refreshing together would disconnect the
// user. A cluster mutex serialises refreshes per user; inside it the stored token is
// read again, because another node may have refreshed it meanwhile.
func (a *App) freshUserToken(ctx context.Context, snap *snapshot, userID string, stored *store.StoredUser) (*oauth2.Token, error) {
	if valid(stored.OAuthToken, a.now()) {
		return stored.OAuthToken, nil
	}
	unlock, err := a.lock(ctx, store.RefreshLockKey(userID))
	if err != nil {
		return nil, err
	}
	defer unlock()
	current, err := snap.tokens.GetUser(userID)
	if err != nil {
		return nil, ErrReconnect
	}
	if valid(current.OAuthToken, a.now()) {
		return current.OAuthToken, nil
	}
	tok, err := zoom.Refresh(ctx, snap.oauth, a.http, current.OAuthToken.RefreshToken)
	if zoom.IsInvalidGrant(err) {
		a.host.LogInfo("Zoom rejected a refresh token; disconnecting the user", "user_id", userID)
		// Only the rejected record goes: a reconnect during the call is newer and stays.
		deleted, err := snap.tokens.DeleteUserIf(current)
		if err != nil {
			a.host.LogWarn("Could not remove a rejected Zoom token", "error", err.Error())
		}
		if latest, err := snap.tokens.GetUser(userID); !deleted && err == nil && valid(latest.OAuthToken, a.now()) {
			return latest.OAuthToken, nil
		}
		return nil, ErrReconnect
	}
	if err != nil {
		return nil, a.zoomFailure(err, "zoom.action.renew")
	}
	return a.saveRefreshedUser(snap, userID, current, tok)
}

// saveRefreshedUser stores a refreshed token with compare-and-set. Zoom has already
// rotated the old refresh token away, so a lost compare-and-set is looked at: a record
// with the same token (another process re-sealed one in the old storage format) is
// retried against, because keeping it would disconnect the user at the next refresh; a
// record with another token was written by a reconnect and is newer than ours.
func (a *App) saveRefreshedUser(snap *snapshot, userID string, current *store.StoredUser, tok *oauth2.Token) (*oauth2.Token, error) {
	for range 3 {
		next := current.UserInfo
		next.OAuthToken = tok
		ok, err := snap.tokens.ReplaceUser(current, &next)
		if err != nil || ok {
			return tok, err
		}
		latest, err := snap.tokens.GetUser(userID)
		if err != nil {
			return nil, ErrReconnect
		}
		if !sameToken(latest.OAuthToken, current.OAuthToken) {
			return latest.OAuthToken, nil
		}
		current = latest
	}
	a.host.LogWarn("Could not store a renewed Zoom token; the user may have to connect again", "user_id", userID)
	return tok, nil
}

// sameToken reports whether two stored tokens are the same grant.
func sameToken(a, b *oauth2.Token) bool {
	return a != nil && b != nil && a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

func (a *App) freshAdminToken(ctx context.Context, snap *snapshot, stored *store.StoredToken) (*oauth2.Token, error) {
	if valid(stored.Token, a.now()) {
		return stored.Token, nil
	}
	unlock, err := a.lock(ctx, store.RefreshLockKey("admin"))
	if err != nil {
		return nil, err
	}
	defer unlock()
	current, err := snap.tokens.GetAdmin()
	if err != nil {
		return nil, ErrAdminNotConnected
	}
	if valid(current.Token, a.now()) {
		return current.Token, nil
	}
	tok, err := zoom.Refresh(ctx, snap.oauth, a.http, current.Token.RefreshToken)
	if zoom.IsInvalidGrant(err) {
		a.host.LogWarn("Zoom rejected the account-level refresh token; a system admin must run /zoom connect again")
		deleted, err := snap.tokens.DeleteAdminIf(current)
		if err != nil {
			a.host.LogWarn("Could not remove the rejected admin token", "error", err.Error())
		}
		if latest, err := snap.tokens.GetAdmin(); !deleted && err == nil && valid(latest.Token, a.now()) {
			return latest.Token, nil
		}
		return nil, ErrAdminNotConnected
	}
	if err != nil {
		return nil, a.zoomFailure(err, "zoom.action.renewOrg")
	}
	return a.saveRefreshedAdmin(snap, current, tok)
}

// saveRefreshedAdmin is saveRefreshedUser for the account-level token.
func (a *App) saveRefreshedAdmin(snap *snapshot, current *store.StoredToken, tok *oauth2.Token) (*oauth2.Token, error) {
	for range 3 {
		ok, err := snap.tokens.ReplaceAdmin(current, tok)
		if err != nil || ok {
			return tok, err
		}
		latest, err := snap.tokens.GetAdmin()
		if err != nil {
			return nil, ErrAdminNotConnected
		}
		if !sameToken(latest.Token, current.Token) {
			return latest.Token, nil
		}
		current = latest
	}
	a.host.LogWarn("Could not store the renewed account-level Zoom token; a system admin may have to run /zoom connect again")
	return tok, nil
}

// lock takes a cluster-wide mutex, giving up with the request's context.
func (a *App) lock(ctx context.Context, key string) (func(), error) {
	m, err := cluster.NewMutex(a.host, key)
	if err != nil {
		return nil, err
	}
	lockCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := m.LockWithContext(lockCtx); err != nil {
		return nil, a.userErrorT(KindUnavailable, err, "zoom.renewBusy")
	}
	return m.Unlock, nil
}

// Deauthorize handles Zoom's app_deauthorized event: the Zoom user's tokens go (and the
// account-level token they granted), the Mattermost user is told, and only then is Zoom
// told that the data is gone, when it asked for that. A failed deletion answers an
// error, so Zoom retries instead of hearing that it is done.
func (a *App) Deauthorize(ctx context.Context, p *zoom.DeauthorizationPayload) error {
	snap, err := a.snap()
	if err != nil {
		return err
	}
	if p.UserID == "" {
		return userError(KindBadInput, nil, "the deauthorization event has no user_id")
	}
	removed, err := snap.tokens.DeleteByZoomID(p.UserID)
	if err != nil {
		return err
	}
	if removed != "" {
		a.directMessage(removed, a.t(removed, "deauthorized"))
	}
	if snap.settings.AccountLevelApp {
		if gone, err := snap.tokens.DeleteAdminOf(p.UserID); err != nil {
			return err
		} else if gone {
			a.host.LogWarn("Zoom removed the account-level app; a system admin must run /zoom connect again")
		}
	}
	if p.UserDataRetention == "false" {
		req := zoom.ComplianceRequest{
			ClientID: snap.settings.OAuthClientID, UserID: p.UserID, AccountID: p.AccountID,
			DeauthorizationEventReceived: *p, ComplianceCompleted: true,
		}
		if err := zoom.SendDataCompliance(ctx, a.http, snap.settings.WebURL(), snap.settings.OAuthClientID, snap.settings.OAuthClientSecret, req); err != nil {
			a.host.LogWarn("Zoom data compliance call failed", "error", err.Error())
			return a.zoomFailure(err, "zoom.action.confirmRemoval")
		}
	}
	return nil
}

// directMessage sends a DM from the bot.
func (a *App) directMessage(userID, message string) {
	ch, appErr := a.host.GetDirectChannel(userID, a.botUserID)
	if appErr != nil {
		a.host.LogWarn("Could not open a DM with the user", "user_id", userID, "error", appErr.Error())
		return
	}
	if _, appErr := a.host.CreatePost(&model.Post{UserId: a.botUserID, ChannelId: ch.Id, Message: message}); appErr != nil {
		a.host.LogWarn("Could not send a DM", "user_id", userID, "error", appErr.Error())
	}
}
