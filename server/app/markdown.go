package app

import "strings"

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
