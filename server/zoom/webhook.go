package zoom

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// Errors from VerifySignature.
var (
	ErrBadSignature   = errors.New("zoom: webhook signature does not match")
	ErrStaleTimestamp = errors.New("zoom: webhook timestamp missing or outside the allowed window")
	ErrNoSecret       = errors.New("zoom: no webhook secret token configured")
)

// SignatureWindow is how far a webhook timestamp may be from now, either way.
// It limits replays of captured requests while tolerating clock skew.
const SignatureWindow = 5 * time.Minute

// maxTimestamp is far beyond any real clock (year 36812).
const maxTimestamp = 1 << 40

// Webhook header names.
const (
	HeaderSignature = "x-zm-signature"
	HeaderTimestamp = "x-zm-request-timestamp"
)

func hmacHex(secret string, parts ...[]byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	for _, p := range parts {
		m.Write(p)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// Sign computes x-zm-signature for a raw body and its x-zm-request-timestamp.
func Sign(secret, timestamp string, body []byte) string {
	return "v0=" + hmacHex(secret, []byte("v0:"+timestamp+":"), body)
}

// VerifySignature checks a webhook's signature and timestamp (Unix seconds). An
// empty secret fails closed, since an unsigned webhook could be forged.
func VerifySignature(secret, timestamp, signature string, body []byte, now time.Time) error {
	if secret == "" {
		return ErrNoSecret
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	// The bound keeps time.Unix far from overflow for absurd header values.
	if err != nil || ts <= 0 || ts > maxTimestamp {
		return ErrStaleTimestamp
	}
	if d := now.Sub(time.Unix(ts, 0)); d > SignatureWindow || d < -SignatureWindow {
		return ErrStaleTimestamp
	}
	want := Sign(secret, timestamp, body)
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return ErrBadSignature
	}
	return nil
}

// URLValidationResponse answers endpoint.url_validation.
type URLValidationResponse struct {
	PlainToken     string `json:"plainToken"`
	EncryptedToken string `json:"encryptedToken"`
}

// URLValidation computes the answer Zoom expects when it validates the endpoint.
func URLValidation(secret, plainToken string) URLValidationResponse {
	return URLValidationResponse{PlainToken: plainToken, EncryptedToken: hmacHex(secret, []byte(plainToken))}
}
