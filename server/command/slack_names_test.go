package command

import (
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
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
	help := newCommandEnv(t).reply(t, "/zoom help")
	for _, want := range []string{"`/zoom meeting [topic]`", "`/zoom join me`", "`/zoom logout`", "zoom.us/my/name"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q: %q", want, help)
		}
	}
}
