package zoomsim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"strings"
)

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randString draws from alphabet with crypto/rand: these strings stand in for
// secrets, and tests must not be able to guess them.
func randString(n int, alphabet string) string {
	var b strings.Builder
	max := big.NewInt(int64(len(alphabet)))
	for i := 0; i < n; i++ {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err)
		}
		b.WriteByte(alphabet[k.Int64()])
	}
	return b.String()
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// newUserID looks like Zoom's: 22 characters of URL-safe base64.
func newUserID() string {
	return randString(22, alnum+"-_")
}

// newMeetingUUID is standard base64 of 16 bytes, so it has "==" and may hold "/"
// and "+". When forceSlash is set it starts with "/", the case that needs
// double encoding in paths.
func newMeetingUUID(forceSlash bool) string {
	b := randBytes(16)
	if forceSlash {
		b[0] |= 0xFC // the first base64 digit becomes 63, which is "/"
	}
	return base64.StdEncoding.EncodeToString(b)
}

// newMeetingID is an 11-digit id, never below 10^10.
func newMeetingID() int64 {
	k, err := rand.Int(rand.Reader, big.NewInt(89_999_999_999))
	if err != nil {
		panic(err)
	}
	return 10_000_000_000 + k.Int64()
}

func newHex(n int) string {
	return hex.EncodeToString(randBytes(n))
}

// newJWT makes an opaque token shaped like Zoom's ("eyJ…" in three parts).
// Nothing verifies the signature: the simulator looks tokens up in its tables.
func newJWT(claims map[string]any) string {
	claims["jti"] = newHex(12)
	head, _ := json.Marshal(map[string]string{"alg": "HS512", "v": "2.0", "kid": "sim-key-1"})
	body, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(head) + "." + enc.EncodeToString(body) + "." + enc.EncodeToString(randBytes(48))
}
