package store

import (
	"net/http"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

// failingGets fails every read of key, as a database outage would.
type failingGets struct {
	*devhosttest.Host
	key string
}

func (f *failingGets) KVGet(key string) ([]byte, *model.AppError) {
	if key == f.key {
		return nil, model.NewAppError("KVGet", "database unavailable", nil, "", http.StatusInternalServerError)
	}
	return f.Host.KVGet(key)
}

// A failed read of the channel settings is an error, never "no settings": that would
// allow meetings in every restricted channel.
func TestChannelSettingsReportAFailedRead(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	if settings, err := NewKV(backend).ChannelSettings(); len(settings) != 0 || err != nil {
		t.Fatalf("unset: %v %v", settings, err)
	}
	if err := NewKV(backend).SetChannelPreference("c", ChannelRestrict); err != nil {
		t.Fatal(err)
	}
	settings, err := NewKV(&failingGets{Host: backend, key: channelSettingsKey}).ChannelSettings()
	if err == nil {
		t.Fatalf("a failed read answered %v and no error", settings)
	}
}
