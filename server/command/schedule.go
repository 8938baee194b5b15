package command

import (
	"context"

	"github.com/mattermost/mattermost/server/public/model"
)

func scheduleAutocomplete() *model.AutocompleteData {
	schedule := model.NewAutocompleteData("schedule", "[when] [for 45m] [topic]",
		"Schedule a Zoom meeting here with a reminder: 14:30, tomorrow 9:00, friday 16:00 or 2026-05-04 10:00; alone, a form")
	schedule.AddTextArgument("When (your time zone), then optional length and topic", "[when] [for 45m] [topic]", "")
	return schedule
}

// schedule runs /zoom schedule: with a time, the grammar; alone, the dialog.
func (h *Handler) schedule(ctx context.Context, args *model.CommandArgs, p Parsed) error {
	if p.Rest == "" {
		return h.app.OpenScheduleDialog(args.UserId, args.ChannelId, args.RootId, args.TriggerId)
	}
	return h.app.ScheduleFromCommand(ctx, args.UserId, args.ChannelId, args.RootId, p.Rest)
}
