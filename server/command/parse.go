// Package command implements the /zoom slash command: parsing, help, autocomplete and
// dispatch to the app.
package command

import (
	"strings"
)

// Trigger is the slash command's name.
const Trigger = "zoom"

// maxCommandLength bounds what we bother to parse; Mattermost posts are ≤ 16k runes.
const maxCommandLength = 4096

// Parsed is a /zoom invocation split into its subcommand and arguments.
type Parsed struct {
	Sub  string   // lowercased; "" for a bare /zoom
	Args []string // remaining words
	Rest string   // everything after the subcommand, trimmed (the topic of start)
}

// Parse splits "/zoom start My topic" into {start, [My topic], "My topic"}.
func Parse(text string) Parsed {
	if len(text) > maxCommandLength {
		text = text[:maxCommandLength]
	}
	fields := strings.Fields(text)
	if len(fields) < 2 || !strings.EqualFold(strings.TrimPrefix(fields[0], "/"), Trigger) {
		return Parsed{}
	}
	p := Parsed{Sub: strings.ToLower(fields[1]), Args: fields[2:]}
	// Rest keeps the user's own spacing inside the topic.
	afterTrigger := strings.TrimSpace(text[strings.Index(strings.ToLower(text), strings.ToLower(Trigger))+len(Trigger):])
	p.Rest = strings.TrimSpace(afterTrigger[len(fields[1]):])
	return p
}
