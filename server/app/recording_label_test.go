package app

import (
	"strings"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// A recording's label comes from the webhook's recording_type. It is printed inside a
// link's text, so markdown in it must stay literal: no second link, no mention.
func TestRecordingLinkLabelIsEscaped(t *testing.T) {
	w := newWorld(t)
	sealer, err := store.NewSealer(w.app.Settings().EncryptionKey)
	if err != nil {
		t.Fatal(err)
	}
	msg := w.app.linksMessage(thread{jobMeeting: jobMeeting{Topic: "Review"}}, recordingStep{Links: []recordingLink{
		{URL: w.sim.URL() + "/rec/play/a", Label: "shared screen"},
		{URL: w.sim.URL() + "/rec/play/b", Label: "x](https://evil.example) @channel [y"},
	}}, sealer)
	if strings.Contains(msg, "](https://evil.example)") || strings.Contains(msg, "@channel") {
		t.Fatalf("label reached the markdown as markdown: %q", msg)
	}
	if !strings.Contains(msg, "(shared screen)") {
		t.Fatalf("plain label lost: %q", msg)
	}
}
