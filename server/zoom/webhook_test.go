package zoom

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"
)

// A webhook signed by Zoom's scheme: HMAC-SHA256 of "v0:<timestamp>:<body>" with the
// secret token, hex, prefixed "v0=".
const (
	vecSecret    = "Sim_Webhook_Secret_Token"
	vecTimestamp = "1773157721"
	vecBody      = `{"event":"meeting.ended","event_ts":1773157720874,"payload":{"account_id":"RT7-vfD3WtR7cNIvzXvliw","object":{"id":"84512367890"}}}`
	vecSignature = "v0=c632f3457ce3cb1f51ea748208f44291c8046b8a8e0b135e51048d79e404bb8a"
)

func TestSignVector(t *testing.T) {
	if got := Sign(vecSecret, vecTimestamp, []byte(vecBody)); got != vecSignature {
		t.Fatalf("Sign = %s, want %s", got, vecSignature)
	}
}

func TestURLValidationVector(t *testing.T) {
	got := URLValidation(vecSecret, "6uo0vwQRRGlyPw8LLUhehw")
	var want URLValidationResponse
	readJSON(t, "webhook-url-validation-response.json", &want)
	if got != want {
		t.Fatalf("URLValidation = %+v, want %+v", got, want)
	}
	b, _ := json.Marshal(got)
	if string(b) != `{"plainToken":"6uo0vwQRRGlyPw8LLUhehw","encryptedToken":"7ba88265617403c58a97cf0e20d7b2923cc5475b4a42482fc3587e437a6b5cff"}` {
		t.Fatalf("wire form %s", b)
	}
}

func TestVerifySignature(t *testing.T) {
	at := time.Unix(1773157721, 0)
	cases := []struct {
		name, secret, ts, sig, body string
		now                         time.Time
		want                        error
	}{
		{"valid", vecSecret, vecTimestamp, vecSignature, vecBody, at, nil},
		{"valid at window edge", vecSecret, vecTimestamp, vecSignature, vecBody, at.Add(5 * time.Minute), nil},
		{"clock behind", vecSecret, vecTimestamp, vecSignature, vecBody, at.Add(-5 * time.Minute), nil},
		{"stale", vecSecret, vecTimestamp, vecSignature, vecBody, at.Add(5*time.Minute + time.Second), ErrStaleTimestamp},
		{"future", vecSecret, vecTimestamp, vecSignature, vecBody, at.Add(-5*time.Minute - time.Second), ErrStaleTimestamp},
		{"timestamp in ms", vecSecret, "1773157721000", vecSignature, vecBody, at, ErrStaleTimestamp},
		{"missing timestamp", vecSecret, "", vecSignature, vecBody, at, ErrStaleTimestamp},
		{"body changed", vecSecret, vecTimestamp, vecSignature, vecBody + " ", at, ErrBadSignature},
		{"wrong secret", "other", vecTimestamp, vecSignature, vecBody, at, ErrBadSignature},
		{"missing signature", vecSecret, vecTimestamp, "", vecBody, at, ErrBadSignature},
		{"uppercase hex", vecSecret, vecTimestamp, "v0=C632F3457CE3CB1F51EA748208F44291C8046B8A8E0B135E51048D79E404BB8A", vecBody, at, ErrBadSignature},
		{"no secret", "", vecTimestamp, vecSignature, vecBody, at, ErrNoSecret},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := VerifySignature(c.secret, c.ts, c.sig, []byte(c.body), c.now)
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(readExample(t, name), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func readExample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
