package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"

	"golang.org/x/oauth2"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Server-to-Server OAuth: the plugin holds one account token from Zoom's
// account_credentials grant, shared by every plugin process through the KV (sealed,
// until it expires), and users are matched to Zoom by email as in account-level mode.
// Nobody connects. A token is fetched under a cluster mutex so a cluster asks Zoom
// once per expiry, not once per node.

// ErrServerToServerRefused means Zoom refused the Server-to-Server credentials.
var ErrServerToServerRefused = errors.New("zoom refused the Server-to-Server OAuth credentials")

// s2sFingerprint ties a stored token to the credentials and Zoom it was granted for.
// It is an HMAC under the encryption key, so the KV never holds a plain hash of the
// client secret.
func s2sFingerprint(s *config.Settings) string {
	mac := hmac.New(sha256.New, []byte(s.EncryptionKey))
	for _, part := range []string{s.WebURL(), s.S2SAccountID, s.S2SClientID, s.S2SClientSecret} {
		mac.Write(binary.BigEndian.AppendUint64(nil, uint64(len(part))))
		mac.Write([]byte(part))
	}
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// s2sToken returns a valid Server-to-Server token, from the shared cache when it can.
func (a *App) s2sToken(ctx context.Context, snap *snapshot) (*oauth2.Token, error) {
	fp := s2sFingerprint(snap.settings)
	if tok, err := snap.tokens.GetS2S(fp); err == nil && a.valid(tok) {
		return tok, nil
	}
	unlock, err := a.lock(ctx, store.RefreshLockKey("s2s"))
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Another process may have fetched one while we waited.
	if tok, err := snap.tokens.GetS2S(fp); err == nil && a.valid(tok) {
		return tok, nil
	}
	s := snap.settings
	tok, err := zoom.AccountCredentialsToken(ctx, a.http, s.WebURL(), s.S2SAccountID, s.S2SClientID, s.S2SClientSecret)
	if err != nil {
		return nil, a.s2sFailure(err)
	}
	if err := snap.tokens.SaveS2S(fp, tok, a.now()); err != nil {
		a.host.LogWarn("Could not share the Server-to-Server token; other servers will ask Zoom for their own", "error", err.Error())
	}
	return tok, nil
}

// dropRefusedS2S forgets the shared token when Zoom refuses it before it expires
// (revoked, or the app's scopes changed), so that the next call fetches a new one.
func (a *App) dropRefusedS2S(tokens *store.Tokens) func(accessToken string) {
	return func(accessToken string) {
		if err := tokens.DropS2S(accessToken); err != nil {
			a.host.LogWarn("Could not drop the Server-to-Server token Zoom refused", "error", err.Error())
		}
	}
}

// s2sFailure explains a failed account_credentials grant. Wrong credentials are the
// admin's to fix; anything else is Zoom being unreachable.
func (a *App) s2sFailure(err error) error {
	if zoom.IsRefusedForGood(err) {
		return a.userErrorT(KindUnavailable, errors.Join(ErrServerToServerRefused, err), "s2s.refused")
	}
	return a.zoomFailure(err, "zoom.action.connectS2S")
}
