package command

import (
	"context"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/app"
	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Handler runs /zoom for one App.
type Handler struct {
	app *app.App
}

// New returns a Handler.
func New(a *app.App) *Handler { return &Handler{app: a} }

// Command is the registration of /zoom, with autocomplete for what the mode allows.
func Command(accountLevel bool, iconData string) *model.Command {
	data := autocomplete(accountLevel)
	var names []string
	for _, sub := range data.SubCommands {
		if sub.Trigger != "status" { // for admins only, who find it in the help
			names = append(names, sub.Trigger)
		}
	}
	return &model.Command{
		Trigger:              Trigger,
		DisplayName:          "Zoom",
		Description:          "Start Zoom meetings and manage the Zoom connection.",
		AutoComplete:         true,
		AutoCompleteDesc:     "Available commands: " + strings.Join(names, ", "),
		AutoCompleteHint:     "[command]",
		AutocompleteData:     data,
		AutocompleteIconData: iconData,
	}
}

// withText is a subcommand that takes free text, hinted the same way in both places.
func withText(trigger, hint, helpText, argHelp string) *model.AutocompleteData {
	cmd := model.NewAutocompleteData(trigger, hint, helpText)
	cmd.AddTextArgument(argHelp, hint, "")
	return cmd
}

func autocomplete(accountLevel bool) *model.AutocompleteData {
	root := model.NewAutocompleteData(Trigger, "[command]", "Start Zoom meetings and manage the Zoom connection.")
	root.AddCommand(withText("start", "[topic]", "Start a Zoom meeting in this channel (or thread)", "Meeting topic (optional)"))
	root.AddCommand(withText("meeting", "[topic]", "Start a Zoom meeting in this channel (the same as start)", "Meeting topic (optional)"))
	root.AddCommand(withText("schedule", "[when] [for 45m] [topic]",
		"Schedule a Zoom meeting here with a reminder: 14:30, tomorrow 9:00, friday 16:00 or 2026-05-04 10:00; alone, a form",
		"When (your time zone), then optional length and topic"))
	root.AddCommand(withText("join", "[me | meeting ID | Zoom link]",
		"Start your personal meeting room (me), or share an existing Zoom meeting or personal link in this channel",
		"me, a Zoom meeting ID, a join link or a personal link"))
	root.AddCommand(model.NewAutocompleteData("list", "", "List your upcoming Zoom meetings to share one here"))
	if !accountLevel {
		// With an account-level app connecting is an admin's one-time job; it stays
		// callable, not advertised.
		root.AddCommand(model.NewAutocompleteData("connect", "", "Connect your Zoom account"))
		root.AddCommand(model.NewAutocompleteData("disconnect", "", "Disconnect your Zoom account"))
		root.AddCommand(model.NewAutocompleteData("logout", "", "Disconnect your Zoom account (the same as disconnect)"))
	}
	root.AddCommand(model.NewAutocompleteData("settings", "", "Choose whether meetings use your Personal Meeting ID"))
	channel := model.NewAutocompleteData("channel-settings", "[list]", "System admins: allow or restrict meetings in this channel")
	channel.RoleID = model.SystemAdminRoleId
	channel.AddCommand(model.NewAutocompleteData("list", "", "List channels with their own meeting setting"))
	root.AddCommand(channel)
	status := model.NewAutocompleteData("status", "", "System admins: check the configuration, the Zoom connection and webhooks")
	status.RoleID = model.SystemAdminRoleId
	root.AddCommand(status)
	sub := model.NewAutocompleteData("subscription", "add|remove|list", "Post every start of a recurring Zoom meeting in this channel")
	sub.AddCommand(withText("add", "[meeting ID]", "Subscribe this channel to a Zoom meeting", "Zoom meeting ID"))
	sub.AddCommand(withText("remove", "[meeting ID]", "Remove a subscription", "Zoom meeting ID"))
	sub.AddCommand(model.NewAutocompleteData("list", "", "List your subscriptions"))
	root.AddCommand(sub)
	root.AddCommand(model.NewAutocompleteData("help", "", "Show what you can do with /zoom"))
	return root
}

// Execute runs one /zoom invocation. Every answer is an ephemeral reply from the bot;
// the returned response is empty so Mattermost adds nothing of its own.
func (h *Handler) Execute(args *model.CommandArgs) (*model.CommandResponse, error) {
	if msg := h.answer(args); msg != "" {
		h.app.Reply(args.UserId, args.ChannelId, args.RootId, msg)
	}
	return &model.CommandResponse{}, nil
}

// answer runs the subcommand and returns the text of its reply ("" for none).
func (h *Handler) answer(args *model.CommandArgs) string {
	user, p := args.UserId, Parse(args.Command)
	if p.Sub == "status" {
		return h.status(user)
	}
	if h.app.Settings() == nil {
		return h.errText(user, app.ErrNotConfigured)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	textOrErr := func(msg string, err error) string {
		if err != nil {
			return h.errText(user, err)
		}
		return msg
	}
	switch p.Sub {
	case "", "help":
		return h.help(user)
	case "start", "meeting":
		_, err := h.app.StartMeeting(ctx, app.StartRequest{UserID: user, ChannelID: args.ChannelId, RootID: args.RootId, Topic: p.Rest})
		return h.errText(user, err)
	case "schedule":
		// With a time, the grammar; alone, the dialog.
		if p.Rest == "" {
			return h.errText(user, h.app.OpenScheduleDialog(user, args.ChannelId, args.RootId, args.TriggerId))
		}
		return h.errText(user, h.app.ScheduleFromCommand(ctx, user, args.ChannelId, args.RootId, p.Rest))
	case "join":
		err := h.app.Join(ctx, app.ShareRequest{UserID: user, ChannelID: args.ChannelId, RootID: args.RootId, Target: p.Rest})
		return h.errText(user, err)
	case "list":
		return h.errText(user, h.app.SendUpcomingMeetings(ctx, user, args.ChannelId, args.RootId))
	case "connect":
		return h.connect(args)
	case "disconnect", "logout":
		return textOrErr(h.app.Disconnect(user))
	case "settings":
		h.app.SendSettingsCard(user, args.ChannelId, args.RootId)
		return ""
	case "channel-settings":
		if len(p.Args) > 0 && strings.EqualFold(p.Args[0], "list") {
			return textOrErr(h.app.ChannelSettingsList(user))
		}
		return h.errText(user, h.app.OpenChannelSettings(user, args.ChannelId, args.TriggerId))
	case "subscription":
		return textOrErr(h.subscription(ctx, args, p))
	}
	return h.app.T(user, "command.unknown", i18n.Args{"command": p.Sub})
}

func (h *Handler) connect(args *model.CommandArgs) string {
	s := h.app.Settings()
	if s.Mode() == config.ModeServerToServer {
		return h.app.T(args.UserId, "s2s.noConnect")
	}
	if s.AccountLevelApp && !h.app.IsSystemAdmin(args.UserId) {
		return h.app.T(args.UserId, "command.connectNotNeeded")
	}
	link := i18n.Args{"link": h.app.ConnectLink(args.ChannelId, false)}
	if s.AccountLevelApp {
		return h.app.T(args.UserId, "command.connectOrg", link)
	}
	return h.app.T(args.UserId, "command.connect", link)
}

// subscription runs /zoom subscription add|remove|list; anything else gets the usage.
func (h *Handler) subscription(ctx context.Context, args *model.CommandArgs, p Parsed) (string, error) {
	usage := h.app.T(args.UserId, "command.subscriptionUsage")
	verb := ""
	if len(p.Args) > 0 {
		verb = strings.ToLower(p.Args[0])
	}
	if verb == "list" {
		return h.app.ListSubscriptions(args.UserId)
	}
	if (verb != "add" && verb != "remove") || len(p.Args) != 2 {
		return usage, nil
	}
	id, ok := zoom.ParseMeetingID(p.Args[1])
	if !ok {
		return h.app.T(args.UserId, "command.notMeetingID", i18n.Args{"id": p.Args[1], "usage": usage}), nil
	}
	if verb == "add" {
		return h.app.Subscribe(ctx, args.UserId, args.ChannelId, id)
	}
	return h.app.Unsubscribe(args.UserId, id)
}

func (h *Handler) help(userID string) string {
	s := h.app.Settings()
	admin := h.app.IsSystemAdmin(userID)
	ids := []string{"help.title", "help.start", "help.meeting", "help.schedule", "help.join", "help.joinMe", "help.list"}
	if s.UserConnects() || (admin && s.Mode() == config.ModeAccountLevel) {
		ids = append(ids, "help.connect", "help.disconnect", "help.logout")
	}
	ids = append(ids, "help.settings", "help.subscription")
	if admin {
		ids = append(ids, "help.channelSettings", "help.channelSettingsList", "help.status")
	}
	ids = append(ids, "help.help")
	lines := make([]string, len(ids))
	for i, id := range ids {
		lines[i] = h.app.T(userID, id)
	}
	return strings.Join(lines, "\n")
}

// errText is the one place an app error becomes the text of a reply: the message the
// app wrote for the user in their language, or a generic one; failures on our side
// (app.Kind.Logged) are logged too.
func (h *Handler) errText(userID string, err error) string {
	if err == nil {
		return ""
	}
	h.app.LogIfInternal("/zoom failed", err)
	return h.app.MessageFor(userID, err)
}
