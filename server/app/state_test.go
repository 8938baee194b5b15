package app

import (
	"strings"
	"testing"
)

const (
	userA    = "abcdefghijklmnopqrstuvwxyz"
	channelA = "0123456789abcdefghijklmnop"
)

func TestOAuthStateRoundTrip(t *testing.T) {
	for _, just := range []bool{true, false} {
		s := newOAuthState(userA, channelA, just)
		if len(s.Nonce) != stateNonceLength {
			t.Fatalf("nonce %q", s.Nonce)
		}
		raw := s.String()
		if !strings.HasSuffix(raw, "_"+userA+"_"+channelA+map[bool]string{true: "_true", false: "_false"}[just]) {
			t.Fatalf("format: %s", raw)
		}
		got, err := parseOAuthState(raw)
		if err != nil || got != s {
			t.Fatalf("parse(%q) = %+v, %v", raw, got, err)
		}
	}
	if a, b := newOAuthState(userA, "", true), newOAuthState(userA, "", true); a.Nonce == b.Nonce {
		t.Fatal("nonces repeat")
	}
}

func TestOAuthStateRejectsMalformed(t *testing.T) {
	good := newOAuthState(userA, channelA, true).String()
	for _, bad := range []string{
		"", "_", "x_y_z_true",
		strings.Replace(good, "_true", "_yes", 1),
		strings.Replace(good, userA, "short", 1),
		strings.Replace(good, userA, strings.ToUpper(userA), 1),
		good + "_extra",
		"abc_" + userA + "_" + channelA + "_true",
		strings.Repeat("a", 300),
	} {
		if _, err := parseOAuthState(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func FuzzParseOAuthState(f *testing.F) {
	f.Add(newOAuthState(userA, channelA, true).String())
	f.Add(newOAuthState(userA, "", false).String())
	f.Add("___")
	f.Add("aaaaaaaaaaaaaaa_" + userA + "__maybe")
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := parseOAuthState(raw)
		if err != nil {
			return
		}
		// Whatever parses must print back to the same text and name a valid user.
		if s.String() != raw || !isID(s.UserID) {
			t.Fatalf("parse(%q) = %+v does not round-trip", raw, s)
		}
	})
}
