package store

import (
	"bytes"
	"strings"
	"testing"
)

func TestPKCS7UnpadChecksEveryPaddingByte(t *testing.T) {
	block := func(tail ...byte) []byte {
		return append(bytes.Repeat([]byte("t"), 16-len(tail)), tail...)
	}
	for _, c := range []struct {
		data []byte
		want string
		ok   bool
	}{
		{block(3, 3, 3), "ttttttttttttt", true},
		{append(block(), bytes.Repeat([]byte{16}, 16)...), "tttttttttttttttt", true}, // a whole block of padding
		{block(2, 3, 3), "", false},                                                  // a padding byte differs
		{block(0), "", false},
		{block(17), "", false},
	} {
		got, ok := pkcs7Unpad(c.data)
		if ok != c.ok || string(got) != c.want {
			t.Errorf("pkcs7Unpad(%v) = %q %v, want %q %v", c.data, got, ok, c.want, c.ok)
		}
	}
}

// A plain-text legacy secret is only taken for a token when it looks like one, so a
// value that is not (noise from a wrong key, a tampered record) means "connect again".
func TestLegacyPlainAcceptsOnlyTokenShapedValues(t *testing.T) {
	for value, ok := range map[string]bool{
		"eyJhbGciOi.J9-_~!":       true,
		"":                        false,
		"two words":               false,
		"line\nbreak":             false,
		"tab\there":               false,
		"caf\u00e9":               false,
		"del\x7f":                 false,
		strings.Repeat("a", 8192): true,
		strings.Repeat("a", 8193): false,
	} {
		got, err := LegacyPlain(value)
		if (err == nil) != ok || (ok && got != value) {
			t.Errorf("LegacyPlain(%.20q) = %q, %v; want accepted %v", value, got, err, ok)
		}
	}
}
