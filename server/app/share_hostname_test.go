package app

import (
	"net/url"
	"strings"
	"testing"
)

// A pasted join link whose host name carries markdown punctuation under a configured
// Zoom host (Go's URL parser accepts "x)**boom**(.zoom.us") must be refused: the link is
// printed unescaped inside "[...](link)" in the card and in the recent-meeting card,
// where ")" would end the link and the rest would render as markdown.
func TestShareRefusesZoomHostNamesWithMarkdownPunctuation(t *testing.T) {
	w := newWorld(t)
	sim, err := url.Parse(w.sim.URL())
	if err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"x)**boom**(", "a)b", "x'y", "x<b>y"} {
		link := "https://" + label + "." + sim.Host + "/j/84512367890"
		if _, err := url.Parse(link); err != nil {
			t.Fatalf("the parser refuses %q itself (%v): the case proves nothing", link, err)
		}
		post, err := w.share(w.bob, w.private, link)
		if err == nil {
			t.Errorf("%q shared: %q %v", link, post.Message, post.Attachments()[0].Text)
		}
	}
	for _, p := range w.host.ChannelPosts(w.private.Id) {
		if strings.Contains(p.Message+p.Attachments()[0].Text, "boom") {
			t.Fatalf("posted: %q", p.Attachments()[0].Text)
		}
	}
}
