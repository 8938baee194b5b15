package store

import (
	"time"

	"golang.org/x/oauth2"
)

// s2sTokenKey holds the Server-to-Server OAuth token every plugin process shares (ours;
// see README Reference). Its secret is sealed like every other token.
const s2sTokenKey = "zooms2stoken"

// s2sRecord is the stored form: the token (sealed) and a fingerprint of the credentials
// it was granted for, so changed settings never reuse a token of the old app.
type s2sRecord struct {
	Fingerprint string        `json:"fingerprint"`
	Token       *oauth2.Token `json:"token"`
}

// GetS2S returns the shared Server-to-Server token granted for fingerprint.
// ErrNotFound: none, another app's, or unreadable with the current key.
func (t *Tokens) GetS2S(fingerprint string) (*oauth2.Token, error) {
	rec, err := GetJSON[s2sRecord](t.kv, s2sTokenKey)
	if err != nil {
		return nil, err
	}
	if rec.Fingerprint != fingerprint || t.openS2S(&rec) != nil {
		return nil, ErrNotFound
	}
	return rec.Token, nil
}

// DropS2S deletes the shared token if it still is accessToken, one Zoom refused; a
// newer token stays.
func (t *Tokens) DropS2S(accessToken string) error {
	_, err := editJSON(t.kv, s2sTokenKey, func(rec *s2sRecord, found bool) (edit, time.Duration, error) {
		if found && t.openS2S(rec) == nil && rec.Token.AccessToken == accessToken {
			return drop, 0, nil
		}
		return keep, 0, nil
	})
	return err
}

// openS2S decrypts the record's token in place.
func (t *Tokens) openS2S(rec *s2sRecord) error {
	if rec.Token == nil {
		return ErrNotFound
	}
	_, err := t.openToken(rec.Token, func(string) (string, error) { return "", ErrUndecryptable })
	return err
}

// SaveS2S stores a Server-to-Server token until it expires.
func (t *Tokens) SaveS2S(fingerprint string, tok *oauth2.Token, now time.Time) error {
	ttl := time.Duration(0)
	if !tok.Expiry.IsZero() {
		if ttl = tok.Expiry.Sub(now); ttl <= 0 {
			return nil // already expired: nothing worth sharing
		}
	}
	return SetJSON(t.kv, s2sTokenKey, s2sRecord{Fingerprint: fingerprint, Token: t.sealed(tok)}, ttl)
}
