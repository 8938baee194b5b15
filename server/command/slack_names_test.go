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

func triggers(d *model.AutocompleteData) map[string]*model.AutocompleteData {
	out := map[string]*model.AutocompleteData{}
	for _, c := range d.SubCommands {
		out[c.Trigger] = c
	}
	return out
}

// The names people know from Zoom for Slack are offered beside ours; logout, like
// disconnect, only where users connect themselves.
func TestAutocompleteOffersTheSlackNames(t *testing.T) {
	user := triggers(autocomplete(false))
	if user["meeting"] == nil || user["logout"] == nil || !strings.Contains(user["join"].Hint, "me") {
		t.Fatalf("user-level autocomplete: %v", user)
	}
	org := triggers(autocomplete(true))
	if org["meeting"] == nil || org["logout"] != nil {
		t.Fatalf("account-level autocomplete: %v", org)
	}
	if desc := Command(false, "").AutoCompleteDesc; !strings.Contains(desc, "meeting") || !strings.Contains(desc, "logout") {
		t.Fatalf("description %q", desc)
	}
}

// The description names every subcommand the autocomplete offers but status, in the
// autocomplete's order.
func TestDescriptionListsTheAutocomplete(t *testing.T) {
	for accountLevel, want := range map[bool]string{
		false: "start, meeting, schedule, join, list, connect, disconnect, logout, settings, channel-settings, subscription, help",
		true:  "start, meeting, schedule, join, list, settings, channel-settings, subscription, help",
	} {
		if got := Command(accountLevel, "").AutoCompleteDesc; got != "Available commands: "+want {
			t.Errorf("account level %v: description %q", accountLevel, got)
		}
	}
}

func TestHelpListsTheSlackNames(t *testing.T) {
	sim := zoomsim.New(zoomsim.Options{})
	t.Cleanup(sim.Close)
	host := devhosttest.NewHost(nil)
	bot := host.AddUser("zoom", false)
	alice := host.AddUser("alice", false)
	channel := host.AddChannel("design", model.ChannelTypePrivate, alice)
	a := app.New(app.Options{Links: api.Links(), Host: host, BotUserID: bot.Id, HTTPClient: sim.HTTPClient()})
	t.Cleanup(a.StopJobs)
	if err := a.Configure(&config.Settings{Configuration: config.Configuration{
		ZoomURL: sim.URL(), ZoomAPIURL: sim.APIURL(), OAuthClientID: "sim-client-id", OAuthClientSecret: "sim-client-secret",
		EncryptionKey: "0123456789abcdef0123456789abcdef", WebhookSecret: "hook",
	}, SiteURL: "https://chat.example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := New(a).Execute(&model.CommandArgs{Command: "/zoom help", UserId: alice.Id, ChannelId: channel.Id}); err != nil {
		t.Fatal(err)
	}
	help := host.LastEphemeral(alice.Id)
	for _, want := range []string{"`/zoom meeting [topic]`", "`/zoom join me`", "`/zoom logout`", "zoom.us/my/name"} {
		if help == nil || !strings.Contains(help.Message, want) {
			t.Errorf("help lacks %q: %+v", want, help)
		}
	}
}
