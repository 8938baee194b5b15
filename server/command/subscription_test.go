package command

import (
	"context"
	"strings"
	"testing"
)

// /zoom subscription dispatches each verb to its app call and answers anything else
// with the usage.
func TestSubscriptionDispatch(t *testing.T) {
	e := newCommandEnv(t)
	alice := e.alice.Id
	usage := e.app.T(alice, "command.subscriptionUsage")
	for _, command := range []string{"/zoom subscription", "/zoom subscription add", "/zoom subscription add 1 2", "/zoom subscription drop 123456789"} {
		if got := e.reply(t, command); got != usage {
			t.Errorf("%s: %q, want the usage", command, got)
		}
	}
	if got := e.reply(t, "/zoom subscription add 12"); !strings.Contains(got, `"12" is not a Zoom meeting ID`) || !strings.Contains(got, usage) {
		t.Errorf("short id: %q", got)
	}
	if got := e.reply(t, "/zoom subscription LIST anything"); !strings.Contains(got, "You have no meeting subscriptions") {
		t.Errorf("list: %q", got)
	}
	if got := e.reply(t, "/zoom subscription Remove 123-456-789"); !strings.Contains(got, "No channel is subscribed to meeting 123456789") {
		t.Errorf("remove: %q", got)
	}
	_, err := e.app.Subscribe(context.Background(), alice, e.channel.Id, 123456789)
	if err == nil {
		t.Fatal("an unconnected user subscribed")
	}
	if got, want := e.reply(t, "/zoom subscription add 123456789"), e.app.MessageFor(alice, err); got != want {
		t.Errorf("add: %q, want Subscribe's answer %q", got, want)
	}
}
