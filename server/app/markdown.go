package app

import (
	"fmt"
	"strings"
)

// markdownEscaper turns text chosen by someone else (a Zoom topic, a participant's
// name, a pasted value) into literal markdown: punctuation that would make formatting,
// links, images, headings, tables or HTML is backslash-escaped, line breaks become
// spaces, and "@" gets a zero-width space after it so the text never mentions anyone
// (@channel included).
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "~", `\~`,
	"[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`, "!", `\!`,
	"<", `\<`, ">", `\>`, "#", `\#`, "|", `\|`,
	"@", "@\u200b", "\r\n", " ", "\n", " ", "\r", " ",
)

// escapeMarkdown is the one escaping of untrusted text put into markdown.
func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }

// linkTarget makes a URL (a Zoom join or play link, ever untrusted) safe inside a
// markdown link's parentheses or as a bare autolink. Mattermost's parser ends the target
// at the first ")" even within <...>, and whitespace, quotes, "<", ">" and "\" change
// how the rest is read, so those are percent-encoded: the same URL to a browser.
func linkTarget(u string) string {
	var b strings.Builder
	for _, r := range u {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`()<>\"'`+"`", r) {
			fmt.Fprintf(&b, "%%%02X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// codeSpan shows a value (a recording password) verbatim as inline code: the fence is
// one backtick longer than any run inside, padded when the value starts or ends with
// one. A line break cannot be shown inside inline code and would end it, so each
// becomes a space.
func codeSpan(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
