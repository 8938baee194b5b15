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
	if rec.Token == nil || rec.Fingerprint != fingerprint {
		return nil, ErrNotFound
	}
	if _, err := t.openToken(rec.Token, func(string) (string, error) { return "", ErrUndecryptable }); err != nil {
		return nil, ErrNotFound
	}
	return rec.Token, nil
}

// SaveS2S stores a Server-to-Server token until it expires.
func (t *Tokens) SaveS2S(fingerprint string, tok *oauth2.Token, now time.Time) error {
	sealed, err := t.sealed(tok)
	if err != nil {
		return err
	}
	ttl := time.Duration(0)
	if !tok.Expiry.IsZero() {
		if ttl = tok.Expiry.Sub(now); ttl <= 0 {
			return nil // already expired: nothing worth sharing
		}
	}
	return SetJSON(t.kv, s2sTokenKey, s2sRecord{Fingerprint: fingerprint, Token: sealed}, ttl)
}
