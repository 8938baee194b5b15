package app

import (
	"net/http"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

// settingsOutage fails every read of the channel settings, as a database outage would.
type settingsOutage struct{ *devhosttest.Host }

func (h settingsOutage) KVGet(key string) ([]byte, *model.AppError) {
	if key == "zoomChannelSettings" {
		return nil, model.NewAppError("KVGet", "database unavailable", nil, "", http.StatusInternalServerError)
	}
	return h.Host.KVGet(key)
}

// While the channel settings cannot be read, nothing acts as if there were none: a
// start in a restricted channel is refused as "try again", not allowed, and the admin's
// dialog and list say so too.
func TestChannelSettingsOutageIsUnavailableNotUnrestricted(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	if err := w.app.kv.SetChannelPreference(w.private.Id, store.ChannelRestrict); err != nil {
		t.Fatal(err)
	}
	w.app.kv = store.NewKV(settingsOutage{w.host})
	w.sim.ResetCalls()
	if _, err := w.start(w.alice, w.private); KindOf(err) != KindUnavailable {
		t.Fatalf("start during the outage: %v (%v), want unavailable", err, KindOf(err))
	}
	if len(w.cards(w.private)) != 0 || len(w.sim.Calls()) != 0 {
		t.Fatal("a meeting was started in a restricted channel during the outage")
	}
	if err := w.app.OpenChannelSettings(w.admin.Id, w.private.Id, w.host.TriggerID(w.admin.Id)); KindOf(err) != KindUnavailable {
		t.Fatalf("dialog during the outage: %v, want unavailable", err)
	}
	if len(w.host.Dialogs(w.admin.Id)) != 0 {
		t.Fatal("the dialog opened without the current setting")
	}
	if _, err := w.app.ChannelSettingsList(w.admin.Id); KindOf(err) != KindUnavailable {
		t.Fatalf("list during the outage: %v, want unavailable", err)
	}
}
