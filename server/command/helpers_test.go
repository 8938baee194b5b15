package command

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
	"github.com/zoom-for-mattermost/zoom/server/api"
	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// commandEnv is a configured App (each user connects their own Zoom account) over the
// fake Mattermost and the Zoom simulator, with alice in the channel "design".
type commandEnv struct {
	host     *devhosttest.Host
	app      *app.App
	alice    *model.User
	channel  *model.Channel
	settings *config.Settings
}

func newCommandEnv(t *testing.T) *commandEnv {
	t.Helper()
	sim := zoomsim.New(zoomsim.Options{})
	t.Cleanup(sim.Close)
	host := devhosttest.NewHost(nil)
	bot := host.AddUser("zoom", false)
	alice := host.AddUser("alice", false)
	channel := host.AddChannel("design", model.ChannelTypePrivate, alice)
	a := app.New(app.Options{Links: api.Links(), Host: host, BotUserID: bot.Id, HTTPClient: sim.HTTPClient()})
	t.Cleanup(a.StopJobs)
	settings := &config.Settings{Configuration: config.Configuration{
		ZoomURL: sim.URL(), ZoomAPIURL: sim.APIURL(), OAuthClientID: "sim-client-id", OAuthClientSecret: "sim-client-secret",
		EncryptionKey: "0123456789abcdef0123456789abcdef", WebhookSecret: "hook",
	}, SiteURL: "https://chat.example.com"}
	if err := a.Configure(settings); err != nil {
		t.Fatal(err)
	}
	return &commandEnv{host: host, app: a, alice: alice, channel: channel, settings: settings}
}

// reply runs command as alice in the channel and returns its one ephemeral reply.
func (e *commandEnv) reply(t *testing.T, command string) string {
	t.Helper()
	return e.replyTo(t, e.alice, command)
}

// replyTo runs command as user in the channel and returns its one ephemeral reply.
func (e *commandEnv) replyTo(t *testing.T, user *model.User, command string) string {
	t.Helper()
	before := len(e.host.EphemeralsFor(user.Id))
	if _, err := New(e.app).Execute(&model.CommandArgs{Command: command, UserId: user.Id, ChannelId: e.channel.Id}); err != nil {
		t.Fatal(err)
	}
	replies := e.host.EphemeralsFor(user.Id)[before:]
	if len(replies) != 1 {
		t.Fatalf("%s: %d replies", command, len(replies))
	}
	return replies[0].Message
}
