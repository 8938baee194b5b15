package command

import (
	"context"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/api"
	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// /zoom subscription dispatches each verb to its app call and answers anything else
// with the usage.
func TestSubscriptionDispatch(t *testing.T) {
	sim := zoomsim.New(zoomsim.Options{})
	t.Cleanup(sim.Close)
	host := devhosttest.NewHost(nil)
	bot := host.AddUser("zoom", false)
	alice := host.AddUser("alice", false)
	channel := host.AddChannel("design", model.ChannelTypeOpen, alice)
	a := app.New(app.Options{Links: api.Links(), Host: host, BotUserID: bot.Id, HTTPClient: sim.HTTPClient()})
	t.Cleanup(a.StopJobs)
	if err := a.Configure(&config.Settings{Configuration: config.Configuration{
		ZoomURL: sim.URL(), ZoomAPIURL: sim.APIURL(), OAuthClientID: "sim-client-id", OAuthClientSecret: "sim-client-secret",
		EncryptionKey: "0123456789abcdef0123456789abcdef", WebhookSecret: "hook",
	}, SiteURL: "https://chat.example.com"}); err != nil {
		t.Fatal(err)
	}
	h := New(a)
	reply := func(command string) string {
		t.Helper()
		before := len(host.EphemeralsFor(alice.Id))
		if _, err := h.Execute(&model.CommandArgs{Command: command, UserId: alice.Id, ChannelId: channel.Id}); err != nil {
			t.Fatal(err)
		}
		replies := host.EphemeralsFor(alice.Id)[before:]
		if len(replies) != 1 {
			t.Fatalf("%s: %d replies", command, len(replies))
		}
		return replies[0].Message
	}
	usage := a.T(alice.Id, "command.subscriptionUsage")
	for _, command := range []string{"/zoom subscription", "/zoom subscription add", "/zoom subscription add 1 2", "/zoom subscription drop 123456789"} {
		if got := reply(command); got != usage {
			t.Errorf("%s: %q, want the usage", command, got)
		}
	}
	if got := reply("/zoom subscription add 12"); !strings.Contains(got, `"12" is not a Zoom meeting ID`) || !strings.Contains(got, usage) {
		t.Errorf("short id: %q", got)
	}
	if got := reply("/zoom subscription LIST anything"); !strings.Contains(got, "You have no meeting subscriptions") {
		t.Errorf("list: %q", got)
	}
	if got := reply("/zoom subscription Remove 123-456-789"); !strings.Contains(got, "No channel is subscribed to meeting 123456789") {
		t.Errorf("remove: %q", got)
	}
	_, err := a.Subscribe(context.Background(), alice.Id, channel.Id, 123456789)
	if err == nil {
		t.Fatal("an unconnected user subscribed")
	}
	if got, want := reply("/zoom subscription add 123456789"), a.MessageFor(alice.Id, err); got != want {
		t.Errorf("add: %q, want Subscribe's answer %q", got, want)
	}
}
