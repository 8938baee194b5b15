package store

import "time"

// Meeting ID preference values stored under zoomUserPreference_<userID>.
const (
	PreferencePMI    = "true"
	PreferenceUnique = "false"
	PreferenceAsk    = "ask"
)

// GetUserPreference returns the stored preference, or "" when the user never chose.
func (kv *KV) GetUserPreference(userID string) (string, error) {
	v, err := kv.getWord(userPreferencePrefix + userID)
	switch v {
	case PreferencePMI, PreferenceUnique, PreferenceAsk:
		return v, err
	}
	return "", err
}

// SetUserPreference stores the preference as the bare word.
func (kv *KV) SetUserPreference(userID, value string) error {
	return kv.Set(userPreferencePrefix+userID, []byte(value), 0)
}

// SetUserPreferenceIfUnset stores value unless the user already has a preference;
// it reports whether it wrote.
func (kv *KV) SetUserPreferenceIfUnset(userID, value string) (bool, error) {
	return kv.Insert(userPreferencePrefix+userID, []byte(value), 0)
}

// Channel preferences: may meetings be started in the channel.
const (
	ChannelAllow    = "allow"
	ChannelRestrict = "restrict"
	ChannelDefault  = "default"
)

// ChannelSetting is one entry of zoomChannelSettings.
type ChannelSetting struct {
	Preference string `json:"Preference"`
}

// ChannelSettings returns the whole map (nil when unset). A failed read is an error,
// never "no settings", which would allow meetings in restricted channels.
func (kv *KV) ChannelSettings() (map[string]ChannelSetting, error) {
	return getOrZero[map[string]ChannelSetting](kv, channelSettingsKey)
}

// SetChannelPreference changes one channel with compare-and-set, so concurrent changes
// to other channels survive. "default" removes the entry.
func (kv *KV) SetChannelPreference(channelID, preference string) error {
	return UpdateJSON(kv, channelSettingsKey, 0, func(m *map[string]ChannelSetting) (bool, error) {
		if *m == nil {
			*m = map[string]ChannelSetting{}
		}
		current, had := (*m)[channelID]
		if preference == ChannelDefault {
			delete(*m, channelID)
			return had, nil
		}
		if had && current.Preference == preference {
			return false, nil
		}
		(*m)[channelID] = ChannelSetting{Preference: preference}
		return true, nil
	})
}

// PendingMeeting is a meeting request waiting for its user to finish connecting Zoom.
type PendingMeeting struct {
	ChannelID    string `json:"channel_id"`
	RootID       string `json:"root_id"`
	Topic        string `json:"topic"`
	UsePMI       string `json:"use_pmi"`
	ConnectionID string `json:"connection_id"`
	// Confirmed: the user already confirmed a start in a large channel (ours).
	Confirmed bool `json:"confirmed,omitempty"`
}

// OAuth state lives as long as Zoom's authorization code would.
const oauthStateTTL = 5 * time.Minute

// BeginOAuthState stores state as the user's connect state for 5 minutes and returns
// it, unless an unexpired state is stored: that one is returned and gets 5 more
// minutes. Opening the connect link again, which any site can make the user's browser
// do, then leads to the same state instead of cancelling the flow in progress.
func (kv *KV) BeginOAuthState(userID, state string) (string, error) {
	key := oauthStatePrefix + userID
	var kept []byte
	err := kv.RetryCAS(key, func() (bool, error) {
		current, err := kv.Get(key)
		if err != nil {
			return false, err
		}
		kept = current
		if current == nil {
			kept = []byte(state)
		}
		// Writing the same bytes back renews the TTL; nil current inserts.
		return kv.CompareAndSet(key, current, kept, oauthStateTTL)
	})
	if err != nil {
		return "", err
	}
	return string(kept), nil
}

// SavePendingMeeting remembers the meeting request a connect flow should continue.
func (kv *KV) SavePendingMeeting(userID string, pending PendingMeeting) error {
	return SetJSON(kv, pendingMeetingPrefix+userID, pending, oauthStateTTL)
}

// ConsumeOAuthState deletes the user's stored state if it is exactly state, in one
// compare-and-delete, and reports whether it was: a forged completion cannot cancel
// the real one, and two racing completions with the right state succeed once.
func (kv *KV) ConsumeOAuthState(userID, state string) (bool, error) {
	if state == "" {
		return false, nil
	}
	return kv.CompareAndSet(oauthStatePrefix+userID, []byte(state), nil, 0)
}

// TakePendingMeeting returns and deletes the meeting request a connect was started for.
func (kv *KV) TakePendingMeeting(userID string) (*PendingMeeting, error) {
	key := pendingMeetingPrefix + userID
	p, err := GetJSON[PendingMeeting](kv, key)
	if err == ErrNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, kv.Delete(key)
}
