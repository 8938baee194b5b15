package command

import (
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/api"
	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

func TestStatusIsForAdminsAndWorksUnconfigured(t *testing.T) {
	sim := zoomsim.New(zoomsim.Options{})
	t.Cleanup(sim.Close)
	host := devhosttest.NewHost(nil)
	bot := host.AddUser("zoom", false)
	admin := host.AddUser("admin", true)
	alice := host.AddUser("alice", false)
	channel := host.AddChannel("design", model.ChannelTypePrivate, admin, alice)
	a := app.New(app.Options{Links: api.Links(), Host: host, BotUserID: bot.Id, HTTPClient: sim.HTTPClient()})
	t.Cleanup(a.StopJobs)
	settings := &config.Settings{Configuration: config.Configuration{
		ZoomURL: sim.URL(), ZoomAPIURL: sim.APIURL(), OAuthClientID: "sim-client-id", OAuthClientSecret: "sim-client-secret",
		EncryptionKey: "0123456789abcdef0123456789abcdef", WebhookSecret: "hook",
	}, SiteURL: "https://chat.example.com"}
	if err := a.Configure(settings); err != nil {
		t.Fatal(err)
	}
	h := New(a)
	last := func(user *model.User) string {
		t.Helper()
		before := len(host.EphemeralsFor(user.Id))
		if _, err := h.Execute(&model.CommandArgs{Command: "/zoom status", UserId: user.Id, ChannelId: channel.Id}); err != nil {
			t.Fatal(err)
		}
		replies := host.EphemeralsFor(user.Id)[before:]
		if len(replies) != 1 {
			t.Fatalf("%d replies", len(replies))
		}
		return replies[0].Message
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
