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
	return &model.Command{
		Trigger:              Trigger,
		DisplayName:          "Zoom",
		Description:          "Start Zoom meetings and manage the Zoom connection.",
		AutoComplete:         true,
		AutoCompleteDesc:     "Available commands: " + strings.Join(subcommandNames(accountLevel), ", "),
		AutoCompleteHint:     "[command]",
		AutocompleteData:     autocomplete(accountLevel),
		AutocompleteIconData: iconData,
	}
}

func subcommandNames(accountLevel bool) []string {
	names := []string{"start", "meeting", "schedule", "join", "list", "connect", "disconnect", "logout", "settings", "channel-settings", "subscription", "help"}
	if accountLevel {
		// Connecting is an admin's one-time job there; it stays callable, not advertised.
		names = []string{"start", "meeting", "schedule", "join", "list", "settings", "channel-settings", "subscription", "help"}
	}
	return names
}

func autocomplete(accountLevel bool) *model.AutocompleteData {
	root := model.NewAutocompleteData(Trigger, "[command]", "Start Zoom meetings and manage the Zoom connection.")
	start := model.NewAutocompleteData("start", "[topic]", "Start a Zoom meeting in this channel (or thread)")
	start.AddTextArgument("Meeting topic (optional)", "[topic]", "")
	root.AddCommand(start)
	meeting := model.NewAutocompleteData("meeting", "[topic]", "Start a Zoom meeting in this channel (the same as start)")
	meeting.AddTextArgument("Meeting topic (optional)", "[topic]", "")
	root.AddCommand(meeting)
	root.AddCommand(scheduleAutocomplete())
	join := model.NewAutocompleteData("join", "[me | meeting ID | Zoom link]", "Start your personal meeting room (me), or share an existing Zoom meeting or personal link in this channel")
	join.AddTextArgument("me, a Zoom meeting ID, a join link or a personal link", "[me | meeting ID | Zoom link]", "")
	root.AddCommand(join)
	root.AddCommand(model.NewAutocompleteData("list", "", "List your upcoming Zoom meetings to share one here"))
	if !accountLevel {
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
	add := model.NewAutocompleteData("add", "[meeting ID]", "Subscribe this channel to a Zoom meeting")
	add.AddTextArgument("Zoom meeting ID", "[meeting ID]", "")
	remove := model.NewAutocompleteData("remove", "[meeting ID]", "Remove a subscription")
	remove.AddTextArgument("Zoom meeting ID", "[meeting ID]", "")
	sub.AddCommand(add)
	sub.AddCommand(remove)
	sub.AddCommand(model.NewAutocompleteData("list", "", "List your subscriptions"))
	root.AddCommand(sub)
	root.AddCommand(model.NewAutocompleteData("help", "", "Show what you can do with /zoom"))
	return root
}

// Execute runs one /zoom invocation. Every answer is an ephemeral reply from the bot;
// the returned response is empty so Mattermost adds nothing of its own.
func (h *Handler) Execute(args *model.CommandArgs) (*model.CommandResponse, error) {
	reply := func(msg string) (*model.CommandResponse, error) {
		if msg != "" {
			h.app.Reply(args.UserId, args.ChannelId, args.RootId, msg)
		}
		return &model.CommandResponse{}, nil
	}
	if Parse(args.Command).Sub == "status" {
		return reply(h.status(args.UserId))
	}
	if h.app.Settings() == nil {
		return reply(h.errText(args.UserId, app.ErrNotConfigured))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p := Parse(args.Command)
	switch p.Sub {
	case "", "help":
		return reply(h.help(args.UserId))
	case "start", "meeting":
		_, err := h.app.StartMeeting(ctx, app.StartRequest{UserID: args.UserId, ChannelID: args.ChannelId, RootID: args.RootId, Topic: p.Rest})
		return reply(h.errText(args.UserId, err))
	case "schedule":
		return reply(h.errText(args.UserId, h.schedule(ctx, args, p)))
	case "join":
		err := h.app.Join(ctx, app.ShareRequest{UserID: args.UserId, ChannelID: args.ChannelId, RootID: args.RootId, Target: p.Rest})
		return reply(h.errText(args.UserId, err))
	case "list":
		return reply(h.errText(args.UserId, h.app.SendUpcomingMeetings(ctx, args.UserId, args.ChannelId, args.RootId)))
	case "connect":
		return reply(h.connect(args))
	case "disconnect", "logout":
		msg, err := h.app.Disconnect(args.UserId)
		if err != nil {
			msg = h.errText(args.UserId, err)
		}
		return reply(msg)
	case "settings":
		h.app.SendSettingsCard(args.UserId, args.ChannelId, args.RootId)
		return reply("")
	case "channel-settings":
		if len(p.Args) > 0 && strings.EqualFold(p.Args[0], "list") {
			msg, err := h.app.ChannelSettingsList(args.UserId)
			if err != nil {
				msg = h.errText(args.UserId, err)
			}
			return reply(msg)
		}
		return reply(h.errText(args.UserId, h.app.OpenChannelSettings(args.UserId, args.ChannelId, args.TriggerId)))
	case "subscription":
		return reply(h.subscription(ctx, args, p))
	default:
		return reply(h.app.T(args.UserId, "command.unknown", i18n.Args{"command": p.Sub}))
	}
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

func (h *Handler) subscription(ctx context.Context, args *model.CommandArgs, p Parsed) string {
	usage := h.app.T(args.UserId, "command.subscriptionUsage")
	if len(p.Args) == 0 {
		return usage
	}
	var (
		msg string
		err error
	)
	switch strings.ToLower(p.Args[0]) {
	case "list":
		msg, err = h.app.ListSubscriptions(args.UserId)
	case "add", "remove":
		if len(p.Args) != 2 {
			return usage
		}
		id, ok := zoom.ParseMeetingID(p.Args[1])
		if !ok {
			return h.app.T(args.UserId, "command.notMeetingID", i18n.Args{"id": p.Args[1], "usage": usage})
		}
		if strings.EqualFold(p.Args[0], "add") {
			msg, err = h.app.Subscribe(ctx, args.UserId, args.ChannelId, id)
		} else {
			msg, err = h.app.Unsubscribe(args.UserId, id)
		}
	default:
		return usage
	}
	if err != nil {
		return h.errText(args.UserId, err)
	}
	return msg
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
