package command

import (
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		sub  string
		rest string
		args int
	}{
		{"/zoom", "", "", 0},
		{"/zoom   ", "", "", 0},
		{"/zoom start", "start", "", 0},
		{"/zoom START Design  sync", "start", "Design  sync", 2},
		{"/Zoom subscription add 845 1236 7890", "subscription", "add 845 1236 7890", 4},
		{"/other start", "", "", 0},
		{"", "", "", 0},
	}
	for _, c := range cases {
		p := Parse(c.in)
		if p.Sub != c.sub || p.Rest != c.rest || len(p.Args) != c.args {
			t.Errorf("Parse(%q) = %+v, want sub %q rest %q args %d", c.in, p, c.sub, c.rest, c.args)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/zoom", "/zoom start topic", "/zoom subscription add 84512367890", "/zoom channel-settings list", "/ZOOM\tstart\n x", "/zoomstart"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Parse(s)
		if p.Sub == "" && (p.Rest != "" || len(p.Args) != 0) {
			t.Fatalf("args without a subcommand: %+v", p)
		}
		if id, ok := zoom.ParseMeetingID(s); ok && id <= 0 {
			t.Fatalf("non-positive id accepted: %d", id)
		}
	})
}
