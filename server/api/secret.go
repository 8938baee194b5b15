package api

import "crypto/subtle"

// sameSecret compares secrets in constant time; an empty expected secret never matches.
func sameSecret(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
