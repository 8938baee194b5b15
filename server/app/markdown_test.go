package app

import (
	"net/url"
	"strings"
	"testing"
)

func TestLinkTargetKeepsTheURLAndNothingEndsTheTarget(t *testing.T) {
	raw := "https://zoom.us/j/1?pwd=a b\t(c)<d>\\e\"f'g`h\nend"
	got := linkTarget(raw)
	if strings.ContainsAny(got, " \t\n()<>\\\"'`") {
		t.Fatalf("%q still holds a character that ends or changes a link target", got)
	}
	if back, err := url.PathUnescape(got); err != nil || back != raw {
		t.Fatalf("%q decodes to %q (%v), want %q", got, back, err, raw)
	}
	if plain := "https://zoom.us/j/123?pwd=Ab.c_d-9~"; linkTarget(plain) != plain {
		t.Fatalf("an ordinary link changed: %q", linkTarget(plain))
	}
}

func TestCodeSpanHoldsBackticksAndLineBreaks(t *testing.T) {
	for in, want := range map[string]string{
		"s3cret":   "`s3cret`",
		"a`b":      "``a`b``",
		"``x":      "``` ``x ```",
		"a\n\n# b": "`a  # b`",
	} {
		if got := codeSpan(in); got != want {
			t.Errorf("codeSpan(%q) = %q, want %q", in, got, want)
		}
	}
}
