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
	if snap.settings.AccountLevelApp && !a.IsSystemAdmin(userID) {
		return "", a.userErrorT(KindForbidden, ErrForbidden, "connect.adminOnly")
	}
	if !isID(channelID) {
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
	doneID := "connect.done"
	if snap.settings.AccountLevelApp {
		if !a.IsSystemAdmin(userID) {
			return a.userErrorT(KindForbidden, ErrForbidden, "connect.adminOnlyOrg")
		}
		if err := snap.tokens.SaveAdmin(tok, me.ID); err != nil {
			return err
		}
		doneID = "connect.doneOrg"
	} else if err := snap.tokens.SaveUser(&store.UserInfo{ZoomEmail: me.Email, OAuthToken: tok, UserID: userID, ZoomID: me.ID}); err != nil {
		return err
	}
	if state.ChannelID != "" {
		a.Reply(userID, state.ChannelID, "", a.T(userID, doneID, i18n.Args{"email": me.Email}))
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
		a.Reply(userID, pending.ChannelID, pending.RootID, a.MessageFor(userID, err))
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
		return a.T(userID, "s2s.noConnect"), nil
	}
	if snap.settings.AccountLevelApp {
		if !a.IsSystemAdmin(userID) {
			return "", a.userErrorT(KindForbidden, ErrForbidden, "disconnect.adminOnly")
		}
		if _, err := snap.tokens.GetAdmin(); errors.Is(err, store.ErrNotFound) {
			return a.T(userID, "disconnect.orgNotConnected"), nil
		}
		if err := snap.tokens.DeleteAdmin(); err != nil {
			return "", err
		}
		return a.T(userID, "disconnect.orgDone"), nil
	}
	if _, err := snap.tokens.GetUser(userID); errors.Is(err, store.ErrNotFound) {
		return a.T(userID, "disconnect.notConnected"), nil
	}
	if err := snap.tokens.DeleteUser(userID); err != nil {
		return "", err
	}
	return a.T(userID, "disconnect.done"), nil
}

// identityFor resolves the Zoom user and a fresh access token for a Mattermost user.
func (a *App) identityFor(ctx context.Context, userID string) (*identity, error) {
	snap, err := a.snap()
	if err != nil {
		return nil, err
	}
	if !snap.settings.UserConnects() {
		tok, err := a.accountToken(ctx, snap)
		if err != nil {
			return nil, err
		}
		return a.emailIdentity(ctx, snap, tok.AccessToken, userID)
	}
	slot := userTokens(snap, userID)
	stored, err := slot.load(ErrNotConnected)
	if err != nil {
		return nil, err
	}
	tok, err := freshToken(ctx, a, snap, slot, stored.OAuthToken)
	if err != nil {
		return nil, err
	}
	return &identity{snap: snap, accessToken: tok.AccessToken, zoomUserID: stored.ZoomID, zoomEmail: stored.ZoomEmail}, nil
}

// noZoomIdentity reports an identityFor failure that only a person can fix: nobody
// connected, the connection was lost, or the user's email is not a Zoom user.
func noZoomIdentity(err error) bool {
	return errors.Is(err, ErrNotConnected) || errors.Is(err, ErrReconnect) || errors.Is(err, ErrAdminNotConnected) || errors.Is(err, ErrZoomUserNotFound)
}

// accountToken is the token of the modes that act for the whole Zoom account: the
// Server-to-Server token, or the one a system admin connected for the account-level app.
func (a *App) accountToken(ctx context.Context, snap *snapshot) (*oauth2.Token, error) {
	if snap.settings.Mode() == config.ModeServerToServer {
		return a.s2sToken(ctx, snap)
	}
	slot := adminTokens(snap)
	stored, err := slot.load(ErrAdminNotConnected)
	if err != nil {
		return nil, err
	}
	return freshToken(ctx, a, snap, slot, stored.Token)
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

// valid reports whether tok stays usable for another minute: a token is refreshed a
// little before Zoom would reject it.
func (a *App) valid(tok *oauth2.Token) bool {
	return tok != nil && tok.AccessToken != "" && (tok.Expiry.IsZero() || tok.Expiry.After(a.now().Add(time.Minute)))
}

// tokenSlot is where a refreshable token is stored: a user's connection (T is
// *store.StoredUser) or the account-level one (*store.StoredToken). A replace or
// delete is a compare-and-set against the record as read.
type tokenSlot[T any] struct {
	owner    string // whose refreshes take turns: a user id, or "admin"
	lost     error  // what a missing or refused token means to the caller
	renewID  string // the action a failed renewal names
	read     func() (T, error)
	token    func(T) *oauth2.Token
	replace  func(T, *oauth2.Token) (bool, error)
	deleteIf func(T) (bool, error)
}

// load reads the slot's record. absent is what a missing record means to the caller;
// an unreadable one is lost, and a KV failure is worth a retry, never a reconnect.
func (slot tokenSlot[T]) load(absent error) (T, error) {
	stored, err := slot.read()
	switch {
	case errors.Is(err, store.ErrNotFound):
		return stored, absent
	case errors.Is(err, store.ErrUndecryptable):
		return stored, slot.lost
	case err != nil:
		return stored, unavailable(err)
	}
	return stored, nil
}

func userTokens(snap *snapshot, userID string) tokenSlot[*store.StoredUser] {
	return tokenSlot[*store.StoredUser]{
		owner: userID, lost: ErrReconnect, renewID: "zoom.action.renew",
		read:     func() (*store.StoredUser, error) { return snap.tokens.GetUser(userID) },
		token:    func(u *store.StoredUser) *oauth2.Token { return u.OAuthToken },
		replace:  snap.tokens.ReplaceUser,
		deleteIf: snap.tokens.DeleteUserIf,
	}
}

func adminTokens(snap *snapshot) tokenSlot[*store.StoredToken] {
	return tokenSlot[*store.StoredToken]{
		owner: "admin", lost: ErrAdminNotConnected, renewID: "zoom.action.renewOrg",
		read:     snap.tokens.GetAdmin,
		token:    func(t *store.StoredToken) *oauth2.Token { return t.Token },
		replace:  snap.tokens.ReplaceAdmin,
		deleteIf: snap.tokens.DeleteAdminIf,
	}
}

// freshToken returns the slot's token, refreshed when it expires soon (seen is the
// token read before). Zoom rotates refresh tokens and kills the old one at once, so
// two plugin processes refreshing together would disconnect the owner: a cluster
// mutex serialises refreshes, and inside it the token is read again, because another
// node may have refreshed it meanwhile.
func freshToken[T any](ctx context.Context, a *App, snap *snapshot, slot tokenSlot[T], seen *oauth2.Token) (*oauth2.Token, error) {
	if a.valid(seen) {
		return seen, nil
	}
	unlock, err := a.lock(ctx, store.RefreshLockKey(slot.owner))
	if err != nil {
		return nil, err
	}
	defer unlock()
	current, err := slot.load(slot.lost)
	if err != nil {
		return nil, err
	}
	if tok := slot.token(current); a.valid(tok) {
		return tok, nil
	}
	tok, err := zoom.Refresh(ctx, snap.oauth, a.http, slot.token(current).RefreshToken)
	if zoom.IsInvalidGrant(err) {
		a.host.LogWarn("Zoom rejected a refresh token; its owner must run /zoom connect again", "owner", slot.owner)
		// Only the rejected record goes: a reconnect during the call is newer and stays.
		deleted, err := slot.deleteIf(current)
		if err != nil {
			a.host.LogWarn("Could not remove a rejected Zoom token", "error", err.Error())
		}
		if latest, err := slot.read(); !deleted && err == nil && a.valid(slot.token(latest)) {
			return slot.token(latest), nil
		}
		return nil, slot.lost
	}
	if err != nil {
		return nil, a.zoomFailure(err, slot.renewID)
	}
	return saveRefreshed(a, slot, current, tok)
}

// saveRefreshed stores a refreshed token with compare-and-set. Zoom has already
// rotated the old refresh token away, so a lost compare-and-set is looked at: a record
// with the same token (another process re-sealed one in the old storage format) is
// tried again, after a growing wait, because keeping it would disconnect the owner at
// the next refresh; a record with another token was written by a reconnect and is
// newer than ours.
func saveRefreshed[T any](a *App, slot tokenSlot[T], current T, tok *oauth2.Token) (*oauth2.Token, error) {
	kept := tok
	err := a.kv.RetryCAS(store.RefreshLockKey(slot.owner), func() (bool, error) {
		if ok, err := slot.replace(current, tok); err != nil || ok {
			return true, err
		}
		latest, err := slot.load(slot.lost)
		if err != nil {
			return false, err
		}
		if !store.SameGrant(slot.token(latest), slot.token(current)) {
			kept = slot.token(latest)
			return true, nil
		}
		current = latest
		return false, nil
	})
	if errors.Is(err, store.ErrConflict) {
		a.host.LogWarn("Could not store a renewed Zoom token; its owner may have to run /zoom connect again", "owner", slot.owner)
		return tok, nil
	}
	if err != nil {
		return nil, err
	}
	return kept, nil
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
		return unavailable(err)
	}
	if removed != "" {
		a.directMessage(removed, a.T(removed, "deauthorized"))
	}
	if snap.settings.AccountLevelApp {
		if gone, err := snap.tokens.DeleteAdminOf(p.UserID); err != nil {
			return unavailable(err)
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
