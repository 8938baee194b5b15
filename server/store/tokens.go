package store

import (
	"encoding/json"
	"fmt"
	"time"

	"golang.org/x/oauth2"
)

// UserInfo is a connected user, stored under zoomtoken_<mmUserID> and
// zoomtokenbyzoomid_<zoomID> with the field names existing installations use. Both
// secrets of the token are sealed in the KV, plain in memory.
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

// StoredUser is a user with the bytes it was read from, which ReplaceUser compares.
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
	var info UserInfo
	raw, err := t.load(key, &info, &info.OAuthToken, t.sealer.LegacyCFB, func() ([]byte, error) { return t.sealUser(info) })
	if err != nil {
		return nil, err
	}
	return &StoredUser{UserInfo: info, raw: raw}, nil
}

// SaveUser stores a newly connected user under both keys, and drops the index entry of
// a Zoom account the user connected before: it would keep a sealed refresh token, and a
// deauthorization of that account would find this user through it.
func (t *Tokens) SaveUser(info *UserInfo) error {
	data, err := t.sealUser(*info)
	if err != nil {
		return err
	}
	previous, err := t.kv.Get(userTokenPrefix + info.UserID)
	if err != nil {
		return err
	}
	if err := t.kv.Set(userTokenPrefix+info.UserID, data, 0); err != nil {
		return err
	}
	if err := t.kv.Set(userByZoomIDPrefix+info.ZoomID, data, 0); err != nil {
		return err
	}
	if old := peek(previous).ZoomID; old != "" && old != info.ZoomID {
		return t.deleteIndexOf(old, info.UserID)
	}
	return nil
}

// ReplaceUser swaps in a refreshed token if the stored value is still the one read;
// false means a concurrent writer won.
func (t *Tokens) ReplaceUser(old *StoredUser, tok *oauth2.Token) (bool, error) {
	next := old.UserInfo
	next.OAuthToken = tok
	data, err := t.sealUser(next)
	if err != nil {
		return false, err
	}
	ok, err := t.kv.CompareAndSet(userTokenPrefix+old.UserID, old.raw, data, 0)
	if err != nil || !ok {
		return ok, err
	}
	// An index changed since (a deauthorization, another user's connect) stays.
	_, err = t.kv.CompareAndSet(userByZoomIDPrefix+old.ZoomID, old.raw, data, 0)
	return true, err
}

// DeleteUser removes a user's connection and the index entry naming them (not one
// naming another user of the same Zoom account), even when the tokens cannot be
// decrypted any more.
func (t *Tokens) DeleteUser(mmUserID string) error {
	raw, err := t.kv.Get(userTokenPrefix + mmUserID)
	if err != nil {
		return err
	}
	if zoomID := peek(raw).ZoomID; zoomID != "" {
		if err := t.deleteIndexOf(zoomID, mmUserID); err != nil {
			return err
		}
	}
	return t.kv.Delete(userTokenPrefix + mmUserID)
}

// DeleteUserIf removes a connection Zoom refused if it is still the record read (a
// reconnect meanwhile stays), and the index entry while it holds the same grant. It
// reports whether the connection went.
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
	if err != nil || index.UserID != read.UserID || !SameGrant(index.OAuthToken, read.OAuthToken) {
		return true, nil
	}
	_, err = t.kv.CompareAndSet(indexKey, index.raw, nil, 0)
	return true, err
}

// SameGrant reports whether two tokens are the same grant (sealed alike or not).
func SameGrant(a, b *oauth2.Token) bool {
	return a != nil && b != nil && a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

// DeleteByZoomID removes what is stored for a deauthorized Zoom user, decryptable or
// not: the index entry, and the connection of the user it names while that is still
// this Zoom account. It returns that user ("" when no connection went).
func (t *Tokens) DeleteByZoomID(zoomID string) (string, error) {
	indexKey := userByZoomIDPrefix + zoomID
	raw, err := t.kv.Get(indexKey)
	if err != nil || raw == nil {
		return "", err
	}
	removed := ""
	if mmUserID := peek(raw).UserID; mmUserID != "" {
		// A user who reconnected with another Zoom account meanwhile stays.
		gone, err := t.deleteWhile(userTokenPrefix+mmUserID, func(user identity) bool { return user.ZoomID == zoomID })
		if err != nil {
			return "", err
		}
		if gone {
			removed = mmUserID
		}
	}
	// Compare-and-delete: an entry rewritten meanwhile (a new connect) stays.
	_, err = t.kv.CompareAndSet(indexKey, raw, nil, 0)
	return removed, err
}

// deleteIndexOf deletes zoomtokenbyzoomid_<zoomID> while it names mmUserID.
func (t *Tokens) deleteIndexOf(zoomID, mmUserID string) error {
	_, err := t.deleteWhile(userByZoomIDPrefix+zoomID, func(index identity) bool { return index.UserID == mmUserID })
	return err
}

// deleteWhile deletes the user record at key while match approves whose it is, and
// reports whether it did.
func (t *Tokens) deleteWhile(key string, match func(identity) bool) (bool, error) {
	deleted := false
	_, err := editJSON(t.kv, key, func(id *identity, found bool) (edit, time.Duration, error) {
		if deleted = found && match(*id); deleted {
			return drop, 0, nil
		}
		return keep, 0, nil
	})
	return deleted, err
}

// identity is whose a stored user record is. It is read without opening the tokens,
// so records sealed under a lost key can still be found and deleted.
type identity struct{ UserID, ZoomID string }

// peek reads a record's identity (zero when absent or unreadable).
func peek(raw []byte) identity {
	var id identity
	_ = json.Unmarshal(raw, &id)
	return id
}

// StoredToken is the account-level admin token with the raw bytes it was read from.
type StoredToken struct {
	Token *oauth2.Token
	raw   []byte
}

// GetAdmin returns the account-level token (ErrNotFound when no admin connected).
func (t *Tokens) GetAdmin() (*StoredToken, error) {
	tok := &oauth2.Token{}
	raw, err := t.load(adminTokenKey, tok, &tok, LegacyPlain, func() ([]byte, error) { return t.sealToken(tok) })
	if err != nil {
		return nil, err
	}
	return &StoredToken{Token: tok, raw: raw}, nil
}

// SaveAdmin stores the account-level token and the Zoom user it was granted by, which
// a deauthorization names.
func (t *Tokens) SaveAdmin(tok *oauth2.Token, zoomUserID string) error {
	data, err := t.sealToken(tok)
	if err != nil {
		return err
	}
	// The owner first: while the new owner stands beside the old token, a
	// deauthorization of the old owner leaves that token alone, and the new token
	// replaces it next. The other order would let it delete the new token.
	if err := t.kv.Set(adminOwnerKey, []byte(zoomUserID), 0); err != nil {
		return err
	}
	return t.kv.Set(adminTokenKey, data, 0)
}

// DeleteAdminOf removes the account-level token if zoomUserID granted it or its
// grantor is unknown (stored by an older version). It reports whether it did. The token
// is deleted only as it was read: a reconnect meanwhile is kept, and a refresh meanwhile
// is read and judged again.
func (t *Tokens) DeleteAdminOf(zoomUserID string) (bool, error) {
	deleted := false
	err := t.kv.RetryCAS(adminTokenKey, func() (bool, error) {
		raw, err := t.kv.Get(adminTokenKey)
		if err != nil || raw == nil {
			return true, err
		}
		owner, err := t.kv.Get(adminOwnerKey)
		if err != nil || (owner != nil && string(owner) != zoomUserID) {
			return true, err
		}
		deleted, err = t.deleteAdmin(raw, owner)
		return deleted, err
	})
	return deleted, err
}

// ReplaceAdmin swaps in a refreshed admin token if nobody else did.
func (t *Tokens) ReplaceAdmin(old *StoredToken, tok *oauth2.Token) (bool, error) {
	data, err := t.sealToken(tok)
	if err != nil {
		return false, err
	}
	return t.kv.CompareAndSet(adminTokenKey, old.raw, data, 0)
}

// DeleteAdminIf removes an account-level token Zoom refused if it is still the one
// read (a reconnect meanwhile stays), with its owner unless that was rewritten too.
func (t *Tokens) DeleteAdminIf(read *StoredToken) (bool, error) {
	owner, err := t.kv.Get(adminOwnerKey)
	if err != nil {
		return false, err
	}
	return t.deleteAdmin(read.raw, owner)
}

// deleteAdmin deletes the account-level token if it is still raw, then its owner if that
// is still owner, as read before the token: a reconnect writes its owner first, so a
// changed owner is the new connection's and stays.
func (t *Tokens) deleteAdmin(raw, owner []byte) (bool, error) {
	ok, err := t.kv.CompareAndSet(adminTokenKey, raw, nil, 0)
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

// load reads the JSON value at key into v and decrypts the token *tok inside it (see
// openToken). A value with a legacy secret is rewritten as seal gives it. It returns
// the bytes stored now.
func (t *Tokens) load(key string, v any, tok **oauth2.Token, legacyAccess func(string) (string, error), seal func() ([]byte, error)) ([]byte, error) {
	raw, err := t.kv.Get(key)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, ErrNotFound
	}
	if json.Unmarshal(raw, v) != nil || *tok == nil {
		return nil, ErrUndecryptable
	}
	legacy, err := t.openToken(*tok, legacyAccess)
	if err != nil || !legacy {
		return raw, err
	}
	// Best effort: if another node rewrites it first, the compare-and-set simply loses.
	if sealed, err := seal(); err == nil {
		if ok, _ := t.kv.CompareAndSet(key, raw, sealed, 0); ok {
			return sealed, nil
		}
	}
	return raw, nil
}

// openToken decrypts tok's secrets in place and reports whether any was in a legacy
// format. legacyAccess says how the original plugin stored the access token here.
func (t *Tokens) openToken(tok *oauth2.Token, legacyAccess func(string) (string, error)) (legacy bool, err error) {
	noting := func(open func(string) (string, error)) func(string) (string, error) {
		return func(v string) (string, error) {
			legacy = true
			return open(v)
		}
	}
	access, err := t.sealer.Open(tok.AccessToken, noting(legacyAccess))
	if err != nil {
		return false, err
	}
	refresh, err := t.sealer.Open(tok.RefreshToken, noting(LegacyPlain))
	if err != nil {
		return false, err
	}
	if access == "" {
		return false, fmt.Errorf("stored token has no access token: %w", ErrUndecryptable)
	}
	tok.AccessToken, tok.RefreshToken = access, refresh
	return legacy, nil
}

// sealed returns a copy of tok with both secrets sealed.
func (t *Tokens) sealed(tok *oauth2.Token) *oauth2.Token {
	sealed := *tok
	sealed.AccessToken, sealed.RefreshToken = t.sealer.Seal(tok.AccessToken), t.sealer.Seal(tok.RefreshToken)
	return &sealed
}

func (t *Tokens) sealToken(tok *oauth2.Token) ([]byte, error) {
	return json.Marshal(t.sealed(tok))
}

func (t *Tokens) sealUser(info UserInfo) ([]byte, error) {
	info.OAuthToken = t.sealed(info.OAuthToken)
	return json.Marshal(info)
}
