package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/oauth2"
)

// UserInfo is a connected user, stored under zoomtoken_<mmUserID> and
// zoomtokenbyzoomid_<zoomID> with these exact JSON field names (existing installations store them). In memory the
// token is plain; in the KV both its secrets are sealed.
type UserInfo struct {
	ZoomEmail  string
	OAuthToken *oauth2.Token
	UserID     string
	ZoomID     string
}

// Tokens reads and writes Zoom tokens, sealing every secret.
type Tokens struct {
	kv     *KV
	sealer *Sealer
}

// NewTokens binds the token store to a KV and the current encryption key.
func NewTokens(kv *KV, sealer *Sealer) *Tokens { return &Tokens{kv: kv, sealer: sealer} }

// StoredUser is a user read from the KV together with the raw bytes it was read from,
// which a later ReplaceUser compares against.
type StoredUser struct {
	UserInfo
	raw []byte
}

// GetUser returns the connected user. ErrNotFound: never connected. ErrUndecryptable:
// the key changed or the value was altered; the user must connect again. A value in the
// original plugin's format is rewritten sealed on the way.
func (t *Tokens) GetUser(mmUserID string) (*StoredUser, error) {
	return t.getUserAt(userTokenPrefix + mmUserID)
}

// GetUserByZoomID finds a connected user by their Zoom user id.
func (t *Tokens) GetUserByZoomID(zoomID string) (*StoredUser, error) {
	return t.getUserAt(userByZoomIDPrefix + zoomID)
}

func (t *Tokens) getUserAt(key string) (*StoredUser, error) {
	raw, err := t.kv.Get(key)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, ErrNotFound
	}
	var info UserInfo
	if err := json.Unmarshal(raw, &info); err != nil || info.OAuthToken == nil {
		return nil, ErrUndecryptable
	}
	legacy, err := t.openToken(info.OAuthToken, t.sealer.LegacyCFB)
	if err != nil {
		return nil, err
	}
	stored := &StoredUser{UserInfo: info, raw: raw}
	if legacy {
		// Best effort: if another node rewrites it first, the CAS simply loses.
		if sealed, err := t.sealUser(&info); err == nil {
			if ok, _ := t.kv.CompareAndSet(key, raw, sealed, 0); ok {
				stored.raw = sealed
			}
		}
	}
	return stored, nil
}

// SaveUser stores a newly connected user under both keys. A user who connects another
// Zoom account leaves no index entry behind for the old one: a stale entry would still
// hold a sealed refresh token, and a later deauthorization of the old account would
// find this user through it.
func (t *Tokens) SaveUser(info *UserInfo) error {
	data, err := t.sealUser(info)
	if err != nil {
		return err
	}
	previous, _, err := t.peekUser(userTokenPrefix + info.UserID)
	if err != nil {
		return err
	}
	if err := t.kv.Set(userTokenPrefix+info.UserID, data, 0); err != nil {
		return err
	}
	if err := t.kv.Set(userByZoomIDPrefix+info.ZoomID, data, 0); err != nil {
		return err
	}
	if previous.ZoomID != "" && previous.ZoomID != info.ZoomID {
		return t.deleteIndexOf(previous.ZoomID, info.UserID)
	}
	return nil
}

// ReplaceUser swaps in a refreshed token only if the stored value is still the one
// read, so a concurrent writer is never overwritten. false means someone else won.
func (t *Tokens) ReplaceUser(old *StoredUser, info *UserInfo) (bool, error) {
	data, err := t.sealUser(info)
	if err != nil {
		return false, err
	}
	read := old.raw
	ok, err := t.kv.CompareAndSet(userTokenPrefix+info.UserID, read, data, 0)
	if err != nil || !ok {
		return ok, err
	}
	old.raw = data
	// The index holds what the user's record held, unless something changed it since
	// (a deauthorization deleted it, another user connected this Zoom account): then it
	// stays as that left it.
	_, err = t.kv.CompareAndSet(userByZoomIDPrefix+info.ZoomID, read, data, 0)
	return true, err
}

// DeleteUser removes a user's connection and the index entry that names them, whether
// or not the tokens can still be decrypted; absent users are fine. An index entry
// naming another Mattermost user (two people connected one Zoom account) is theirs
// and stays.
func (t *Tokens) DeleteUser(mmUserID string) error {
	info, _, err := t.peekUser(userTokenPrefix + mmUserID)
	if err != nil {
		return err
	}
	if info.ZoomID != "" {
		if err := t.deleteIndexOf(info.ZoomID, mmUserID); err != nil {
			return err
		}
	}
	return t.kv.Delete(userTokenPrefix + mmUserID)
}

// DeleteUserIf removes a user's connection only if it is still the record read (a
// refresh token Zoom refused): a reconnect that landed meanwhile is newer and stays.
// The index entry goes only while it holds that same grant for this user. It reports
// whether the connection went.
func (t *Tokens) DeleteUserIf(read *StoredUser) (bool, error) {
	ok, err := t.kv.CompareAndSet(userTokenPrefix+read.UserID, read.raw, nil, 0)
	if err != nil || !ok {
		return false, err
	}
	indexKey := userByZoomIDPrefix + read.ZoomID
	if gone, err := t.kv.CompareAndSet(indexKey, read.raw, nil, 0); err != nil || gone {
		return true, err
	}
	// The index may hold the same grant in another encoding (an old-format record
	// re-sealed under the user's key only).
	index, err := t.getUserAt(indexKey)
	if err != nil || index.UserID != read.UserID || !sameGrant(index.OAuthToken, read.OAuthToken) {
		return true, nil
	}
	_, err = t.kv.CompareAndSet(indexKey, index.raw, nil, 0)
	return true, err
}

func sameGrant(a, b *oauth2.Token) bool {
	return a != nil && b != nil && a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

// DeleteByZoomID removes what is stored for a Zoom user (a deauthorization): the index
// entry, and the connection of the Mattermost user it names if that connection is
// still this Zoom account. It works on records that can no longer be decrypted, and
// returns the Mattermost user whose connection went ("" when none did).
func (t *Tokens) DeleteByZoomID(zoomID string) (string, error) {
	indexKey := userByZoomIDPrefix + zoomID
	index, raw, err := t.peekUser(indexKey)
	if err != nil || raw == nil {
		return "", err
	}
	removed := ""
	if index.UserID != "" {
		userKey := userTokenPrefix + index.UserID
		for range 3 { // retried only when the record changed under us
			current, currentRaw, err := t.peekUser(userKey)
			if err != nil {
				return "", err
			}
			if currentRaw == nil || current.ZoomID != zoomID {
				break // the user reconnected with another Zoom account meanwhile
			}
			ok, err := t.kv.CompareAndSet(userKey, currentRaw, nil, 0)
			if err != nil {
				return "", err
			}
			if ok {
				removed = index.UserID
				break
			}
		}
	}
	// Compare-and-delete: an entry rewritten meanwhile (a new connect) stays.
	_, err = t.kv.CompareAndSet(indexKey, raw, nil, 0)
	return removed, err
}

// deleteIndexOf deletes zoomtokenbyzoomid_<zoomID> if it names mmUserID, with a
// compare-and-delete so an entry another user writes meanwhile survives.
func (t *Tokens) deleteIndexOf(zoomID, mmUserID string) error {
	key := userByZoomIDPrefix + zoomID
	index, raw, err := t.peekUser(key)
	if err != nil || raw == nil || index.UserID != mmUserID {
		return err
	}
	_, err = t.kv.CompareAndSet(key, raw, nil, 0)
	return err
}

// peekUser reads the plain fields of a stored user (who, which Zoom account) without
// opening its tokens, so records sealed under a lost key can still be found and
// deleted. A missing or unreadable record gives zero fields.
func (t *Tokens) peekUser(key string) (UserInfo, []byte, error) {
	var info struct{ UserID, ZoomID, ZoomEmail string }
	raw, err := t.kv.Get(key)
	if err != nil || raw == nil {
		return UserInfo{}, nil, err
	}
	_ = json.Unmarshal(raw, &info)
	return UserInfo{UserID: info.UserID, ZoomID: info.ZoomID, ZoomEmail: info.ZoomEmail}, raw, nil
}

// StoredToken is the account-level admin token with the raw bytes it was read from.
type StoredToken struct {
	Token *oauth2.Token
	raw   []byte
}

// GetAdmin returns the account-level token (ErrNotFound when no admin connected).
func (t *Tokens) GetAdmin() (*StoredToken, error) {
	raw, err := t.kv.Get(adminTokenKey)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, ErrNotFound
	}
	var tok oauth2.Token
	if err := json.Unmarshal(raw, &tok); err != nil {
		return nil, ErrUndecryptable
	}
	legacy, err := t.openToken(&tok, LegacyPlain)
	if err != nil {
		return nil, err
	}
	stored := &StoredToken{Token: &tok, raw: raw}
	if legacy {
		if sealed, err := t.sealToken(&tok); err == nil {
			if ok, _ := t.kv.CompareAndSet(adminTokenKey, raw, sealed, 0); ok {
				stored.raw = sealed
			}
		}
	}
	return stored, nil
}

// SaveAdmin stores the account-level token and the Zoom user it was granted by, which
// a deauthorization names.
func (t *Tokens) SaveAdmin(tok *oauth2.Token, zoomUserID string) error {
	data, err := t.sealToken(tok)
	if err != nil {
		return err
	}
	if err := t.kv.Set(adminTokenKey, data, 0); err != nil {
		return err
	}
	return t.kv.Set(adminOwnerKey, []byte(zoomUserID), 0)
}

// DeleteAdminOf removes the account-level token if zoomUserID granted it, or if nobody
// knows who did (connected before this was recorded). It reports whether it did.
func (t *Tokens) DeleteAdminOf(zoomUserID string) (bool, error) {
	raw, err := t.kv.Get(adminTokenKey)
	if err != nil || raw == nil {
		return false, err
	}
	owner, err := t.kv.Get(adminOwnerKey)
	if err != nil || (owner != nil && string(owner) != zoomUserID) {
		return false, err
	}
	return true, t.DeleteAdmin()
}

// ReplaceAdmin swaps in a refreshed admin token if nobody else did.
func (t *Tokens) ReplaceAdmin(old *StoredToken, tok *oauth2.Token) (bool, error) {
	data, err := t.sealToken(tok)
	if err != nil {
		return false, err
	}
	ok, err := t.kv.CompareAndSet(adminTokenKey, old.raw, data, 0)
	if ok {
		old.raw = data
	}
	return ok, err
}

// DeleteAdminIf removes the account-level token only if it is still the one read (a
// refresh token Zoom refused), so an admin's reconnect meanwhile stays. Its owner goes
// with it unless a reconnect rewrote that too.
func (t *Tokens) DeleteAdminIf(read *StoredToken) (bool, error) {
	owner, err := t.kv.Get(adminOwnerKey)
	if err != nil {
		return false, err
	}
	ok, err := t.kv.CompareAndSet(adminTokenKey, read.raw, nil, 0)
	if err != nil || !ok || owner == nil {
		return ok, err
	}
	_, err = t.kv.CompareAndSet(adminOwnerKey, owner, nil, 0)
	return true, err
}

// DeleteAdmin removes the account-level token and its owner.
func (t *Tokens) DeleteAdmin() error {
	if err := t.kv.Delete(adminTokenKey); err != nil {
		return err
	}
	return t.kv.Delete(adminOwnerKey)
}

// openToken decrypts tok's secrets in place and reports whether any was in a legacy
// format. legacyAccess says how the original plugin stored the access token here.
func (t *Tokens) openToken(tok *oauth2.Token, legacyAccess func(string) (string, error)) (bool, error) {
	legacy := false
	access, err := t.sealer.Open(tok.AccessToken, func(v string) (string, error) {
		legacy = true
		return legacyAccess(v)
	})
	if err != nil {
		return false, err
	}
	refresh, err := t.sealer.Open(tok.RefreshToken, func(v string) (string, error) {
		legacy = true
		return LegacyPlain(v)
	})
	if err != nil {
		return false, err
	}
	if access == "" {
		return false, fmt.Errorf("stored token has no access token: %w", ErrUndecryptable)
	}
	tok.AccessToken, tok.RefreshToken = access, refresh
	return legacy, nil
}

func (t *Tokens) sealToken(tok *oauth2.Token) ([]byte, error) {
	if tok == nil {
		return nil, errors.New("no token to store")
	}
	sealed := *tok
	var err error
	if sealed.AccessToken, err = t.sealer.Seal(tok.AccessToken); err != nil {
		return nil, err
	}
	if sealed.RefreshToken, err = t.sealer.Seal(tok.RefreshToken); err != nil {
		return nil, err
	}
	return json.Marshal(&sealed)
}

func (t *Tokens) sealUser(info *UserInfo) ([]byte, error) {
	tok, err := t.sealToken(info.OAuthToken)
	if err != nil {
		return nil, err
	}
	copyInfo := *info
	copyInfo.OAuthToken = nil
	withToken := struct {
		ZoomEmail  string
		OAuthToken json.RawMessage
		UserID     string
		ZoomID     string
	}{copyInfo.ZoomEmail, tok, copyInfo.UserID, copyInfo.ZoomID}
	return json.Marshal(withToken)
}
