package store

import (
	"bytes"
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
