package app

import (
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

func TestChannelSettingsDialogNeedsNoZoom(t *testing.T) {
	w := newWorld(t)
	w.sim.ResetCalls()
	if err := w.app.OpenChannelSettings(w.alice.Id, w.public.Id, w.host.TriggerID(w.alice.Id)); KindOf(err) != KindForbidden {
		t.Fatalf("non-admin opened the dialog: %v", err)
	}
	if err := w.app.OpenChannelSettings(w.admin.Id, w.public.Id, w.host.TriggerID(w.admin.Id)); err != nil {
		t.Fatalf("admin without a Zoom connection: %v", err)
	}
	if len(w.sim.Calls()) != 0 {
		t.Fatal("the dialog talked to Zoom")
	}
	dialogs := w.host.Dialogs(w.admin.Id)
	if len(dialogs) != 1 || dialogs[0].URL != "/plugins/zoom/api/v1/channel-preference" || dialogs[0].Dialog.State != w.public.Id {
		t.Fatalf("dialogs: %+v", dialogs)
	}
	dm, _ := w.host.GetDirectChannel(w.alice.Id, w.admin.Id)
	if err := w.app.OpenChannelSettings(w.admin.Id, dm.Id, w.host.TriggerID(w.admin.Id)); KindOf(err) != KindBadInput {
		t.Fatalf("dialog for a DM: %v", err)
	}
}

func TestChannelSettingsSubmission(t *testing.T) {
	w := newWorld(t)
	submit := func(session string, req model.SubmitDialogRequest) error {
		return w.app.SubmitChannelSettings(session, &req)
	}
	good := model.SubmitDialogRequest{UserId: w.admin.Id, State: w.public.Id, Submission: map[string]any{"preference": "restrict"}}
	mismatch := good
	mismatch.UserId = w.alice.Id
	if err := submit(w.admin.Id, mismatch); KindOf(err) != KindUnauthorized {
		t.Fatalf("user mismatch: %v", err)
	}
	nonAdmin := good
	nonAdmin.UserId = w.alice.Id
	if err := submit(w.alice.Id, nonAdmin); KindOf(err) != KindForbidden {
		t.Fatalf("non-admin: %v", err)
	}
	bad := good
	bad.Submission = map[string]any{"preference": "sometimes"}
	if err := submit(w.admin.Id, bad); KindOf(err) != KindBadInput {
		t.Fatalf("bad value: %v", err)
	}
	if raw := w.host.KV()["zoomChannelSettings"]; raw != nil {
		t.Fatalf("a refused submission stored %s", raw)
	}
	if err := submit(w.admin.Id, good); err != nil {
		t.Fatal(err)
	}
	settings, _ := w.app.kv.ChannelSettings()
	if settings[w.public.Id].Preference != store.ChannelRestrict {
		t.Fatalf("stored %+v", settings)
	}
	list, err := w.app.ChannelSettingsList(w.admin.Id)
	if err != nil || !strings.Contains(list, "~town-square") || !strings.Contains(list, "Restricted") {
		t.Fatalf("list: %q %v", list, err)
	}
	if _, err := w.app.ChannelSettingsList(w.alice.Id); KindOf(err) != KindForbidden {
		t.Fatalf("non-admin list: %v", err)
	}
}

func TestConcurrentChannelPreferencesAllSurvive(t *testing.T) {
	for _, n := range []int{20, 200} {
		w := newWorld(t)
		other := w.newInstance(w.host)
		channels := make([]*model.Channel, n)
		for i := range channels {
			channels[i] = w.host.AddChannel("c", model.ChannelTypeOpen)
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i, ch := range channels {
			a := []*App{w.app, other}[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- a.SubmitChannelSettings(w.admin.Id, &model.SubmitDialogRequest{
					UserId: w.admin.Id, State: ch.Id, Submission: map[string]any{"preference": "allow"},
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		settings, _ := w.app.kv.ChannelSettings()
		if len(settings) != n {
			t.Fatalf("%d concurrent submissions, %d stored", n, len(settings))
		}
	}
}

// A stored value the list has no word for is shown as it is.
func TestChannelSettingsListShowsUnknownValues(t *testing.T) {
	w := newWorld(t)
	if err := w.app.kv.SetChannelPreference(w.public.Id, "legacy-value"); err != nil {
		t.Fatal(err)
	}
	if list, err := w.app.ChannelSettingsList(w.admin.Id); err != nil || !strings.Contains(list, "| ~town-square | legacy-value |") {
		t.Fatalf("list: %q %v", list, err)
	}
}
