package zoom

import (
	"bytes"
	"strconv"
	"testing"
	"time"
)

var exampleEvents = []string{
	"webhook-meeting-started.json",
	"webhook-meeting-ended.json",
	"webhook-recording-completed.json",
	"webhook-recording-transcript-completed.json",
	"webhook-app-deauthorized.json",
	"webhook-url-validation.json",
}

func FuzzParseWebhook(f *testing.F) {
	for _, name := range exampleEvents {
		f.Add(readExample(f, name))
	}
	f.Add([]byte(vecBody))
	f.Add([]byte(`{"event":"x","payload":{"object":{"id":"1e9"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := ParseEvent(body)
		if err != nil {
			return
		}
		if e.Event == "" {
			t.Fatal("accepted an event without a name")
		}
		_, _ = e.Meeting()
		_, _ = e.Recording()
		_, _ = e.Participant()
		_, _ = e.Deauthorization()
		_, _ = e.PlainToken()
	})
}

func FuzzVerifySignature(f *testing.F) {
	for _, name := range exampleEvents {
		f.Add(vecSecret, int64(1773157721), readExample(f, name), 0)
	}
	f.Add(vecSecret, int64(0), []byte(vecBody), 7)
	f.Add("s", int64(-1), []byte{}, 0)
	f.Fuzz(func(t *testing.T, secret string, ts int64, body []byte, flip int) {
		// Real timestamps are positive and modest; others are covered below.
		ts = 1 + (ts&(1<<40-1))%(1<<40-1)
		now := time.Unix(ts, 0)
		stamp := strconv.FormatInt(ts, 10)
		sig := Sign(secret, stamp, body)
		err := VerifySignature(secret, stamp, sig, body, now)
		if secret == "" {
			if err != ErrNoSecret {
				t.Fatalf("empty secret: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("own signature rejected: %v", err)
		}
		if len(body) > 0 {
			changed := bytes.Clone(body)
			i := flip % len(changed)
			if i < 0 {
				i = -i
			}
			changed[i] ^= 0x01
			if err := VerifySignature(secret, stamp, sig, changed, now); err != ErrBadSignature {
				t.Fatalf("flipped byte %d accepted: %v", i, err)
			}
		}
		if err := VerifySignature(secret, stamp, sig, body, now.Add(SignatureWindow+time.Second)); err != ErrStaleTimestamp {
			t.Fatalf("stale accepted: %v", err)
		}
		// Arbitrary header values must never panic.
		_ = VerifySignature(secret, string(body), string(body), body, now)
		_ = VerifySignature(secret, strconv.FormatInt(-ts, 10), sig, body, time.Unix(-ts, 0))
	})
}
