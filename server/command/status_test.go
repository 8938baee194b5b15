package command

import (
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

func TestStatusIsForAdminsAndWorksUnconfigured(t *testing.T) {
	e := newCommandEnv(t)
	a, host, settings, alice := e.app, e.host, e.settings, e.alice
	admin := host.AddUser("admin", true)
	last := func(user *model.User) string {
		t.Helper()
		return e.replyTo(t, user, "/zoom status")
	}
	if msg := last(alice); !strings.Contains(msg, "#### Zoom commands") || strings.Contains(msg, "/zoom status") {
		t.Errorf("non-admin got %q, want the help without status", msg)
	}
	if msg := last(admin); !strings.Contains(msg, "#### Zoom plugin status") || !strings.Contains(msg, "**Zoom Webhook Secret** is empty") {
		t.Errorf("admin got %q", msg)
	}
	broken := *settings
	broken.OAuthClientID = ""
	if err := a.Configure(&broken); err == nil {
		t.Fatal("accepted settings without a client id")
	}
	if msg := last(admin); !strings.Contains(msg, "**Zoom OAuth Client ID** is empty") {
		t.Errorf("unconfigured admin report %q", msg)
	}
	if msg := last(alice); !strings.Contains(msg, "not configured") {
		t.Errorf("unconfigured non-admin got %q", msg)
	}
	if err := a.Configure(settings); err != nil {
		t.Fatal(err)
	}
	carol := host.AddUser("carol", false)
	host.SetLocale(carol.Id, "de")
	if msg := last(carol); !strings.Contains(msg, "#### Zoom-Befehle") || !strings.Contains(msg, "Zoom-Meeting in diesem Kanal oder Thread starten") {
		t.Errorf("German help: %q", msg)
	}
	var found bool
	for _, c := range autocomplete(false).SubCommands {
		found = found || (c.Trigger == "status" && c.RoleID == model.SystemAdminRoleId)
	}
	if !found {
		t.Error("no admin-only autocomplete entry for status")
	}
}
