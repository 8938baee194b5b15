package app

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"strconv"
	"strings"
)

// oauthState is the OAuth state value, in the format existing installations use:
// <15 random chars>_<mmUserID>_<channelID>_<true|false>, true meaning "connect only".
type oauthState struct {
	Nonce       string
	UserID      string
	ChannelID   string
	JustConnect bool
}

const stateNonceLength = 15

func newOAuthState(userID, channelID string, justConnect bool) oauthState {
	return oauthState{Nonce: rand.Text()[:stateNonceLength], UserID: userID, ChannelID: channelID, JustConnect: justConnect}
}

func (s oauthState) String() string {
	return s.Nonce + "_" + s.UserID + "_" + s.ChannelID + "_" + strconv.FormatBool(s.JustConnect)
}

var errMalformedState = errors.New("malformed OAuth state")

// parseOAuthState parses a state coming back from the browser. Mattermost ids contain
// no underscore, so exactly four parts are expected; the channel may be empty.
func parseOAuthState(raw string) (oauthState, error) {
	if len(raw) > 256 {
		return oauthState{}, errMalformedState
	}
	parts := strings.Split(raw, "_")
	if len(parts) != 4 || len(parts[0]) != stateNonceLength || !isID(parts[1]) ||
		(parts[2] != "" && !isID(parts[2])) || (parts[3] != "true" && parts[3] != "false") {
		return oauthState{}, errMalformedState
	}
	return oauthState{Nonce: parts[0], UserID: parts[1], ChannelID: parts[2], JustConnect: parts[3] == "true"}, nil
}

// SameSecret compares secrets in constant time; an empty expected secret never matches.
func SameSecret(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// isID accepts Mattermost ids: 26 lowercase letters and digits.
func isID(s string) bool {
	return len(s) == 26 && !strings.ContainsFunc(s, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	})
}
