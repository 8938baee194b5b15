package app

import (
	"cmp"
	"context"
	"strconv"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Subscribe subscribes a channel to a (non-personal) meeting: every start of
// it is posted there by the bot. The caller must be a member who may post there and
// must host the meeting unless they are a system admin; either way the meeting is read
// with the caller's own Zoom identity, so it must exist for them.
func (a *App) Subscribe(ctx context.Context, userID, channelID string, meetingID int64) (string, error) {
	snap, err := a.snap()
	if err != nil {
		return "", err
	}
	if meetingID <= 0 {
		return "", a.userErrorT(KindBadInput, nil, "subscription.badID", i18n.Args{"id": meetingID})
	}
	if err := a.checkMayPost(snap.settings.RestrictMeetingCreation, channelID, "", userID, "subscription.cannotPost", "subscription.cannotPost"); err != nil {
		return "", err
	}
	who, err := a.identityFor(ctx, userID)
	if err != nil {
		return "", a.identityError(err, channelID, "subscription.connectFirst")
	}
	meeting, err := who.snap.zoom.GetMeeting(ctx, who.accessToken, meetingID)
	if zoom.IsNotFound(err) {
		return "", a.userErrorT(KindNotFound, err, "subscription.noMeeting", i18n.Args{"id": meetingID})
	}
	if err != nil {
		return "", a.zoomFailure(err, "zoom.action.readMeeting")
	}
	if meeting.Type == zoom.MeetingTypePersonal {
		return "", a.userErrorT(KindBadInput, nil, "subscription.personal", i18n.Args{"id": meetingID})
	}
	if meeting.HostID != who.zoomUserID && !a.IsSystemAdmin(userID) {
		return "", a.userErrorT(KindForbidden, ErrForbidden, "subscription.notHost", i18n.Args{"id": meetingID})
	}
	created, err := a.kv.AddSubscription(meetingID, store.MeetingChannel{ChannelID: channelID, CreatedBy: userID})
	if err != nil {
		return "", err
	}
	if !created {
		return "", a.alreadySubscribed(userID, meetingID)
	}
	if meeting.JoinURL != "" {
		if err := a.kv.SaveSubscriptionLink(meetingID, meeting.JoinURL); err != nil {
			a.host.LogWarn("Could not store a subscribed meeting's join link", "error", err.Error())
		}
	}
	topic := cmp.Or(meeting.Topic, defaultTopic)
	return a.T(userID, "subscription.added", i18n.Args{"id": meetingID, "topic": escapeMarkdown(topic)}), nil
}

// alreadySubscribed explains that a meeting has its one subscription already.
func (a *App) alreadySubscribed(userID string, meetingID int64) error {
	where := a.T(userID, "subscription.anotherChannel")
	if mc, err := a.kv.GetMeetingChannel(meetingID); err == nil {
		where = a.channelLabel(userID, mc.ChannelID)
	}
	return a.userErrorT(KindConflict, nil, "subscription.already", i18n.Args{"id": meetingID, "channel": where})
}

// Unsubscribe removes a channel subscription: its creator or a system admin.
func (a *App) Unsubscribe(userID string, meetingID int64) (string, error) {
	if _, err := a.snap(); err != nil {
		return "", err
	}
	removed, err := a.kv.RemoveSubscription(meetingID, func(mc store.MeetingChannel) error {
		if mc.CreatedBy == userID || a.IsSystemAdmin(userID) {
			return nil
		}
		if u, appErr := a.host.GetUser(mc.CreatedBy); appErr == nil {
			return a.userErrorT(KindForbidden, ErrForbidden, "subscription.removeNotYoursBy", i18n.Args{"id": meetingID, "creator": u.Username})
		}
		return a.userErrorT(KindForbidden, ErrForbidden, "subscription.removeNotYours", i18n.Args{"id": meetingID})
	})
	if err != nil {
		return "", err
	}
	if !removed.IsSubscription {
		return a.T(userID, "subscription.noneToRemove", i18n.Args{"id": meetingID}), nil
	}
	if err := a.kv.DeleteSubscriptionLink(meetingID); err != nil {
		a.host.LogWarn("Could not delete a subscribed meeting's join link", "error", err.Error())
	}
	return a.T(userID, "subscription.removed", i18n.Args{"id": meetingID, "channel": a.channelLabel(userID, removed.ChannelID)}), nil
}

// ListSubscriptions lists the caller's subscriptions.
func (a *App) ListSubscriptions(userID string) (string, error) {
	if _, err := a.snap(); err != nil {
		return "", err
	}
	ids, err := a.kv.Subscriptions(userID)
	if err != nil {
		return "", err
	}
	var lines []string
	for _, raw := range ids {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			continue
		}
		mc, err := a.kv.GetMeetingChannel(id)
		// The index may name a subscription removed by an admin; only live ones count.
		if err != nil || !mc.IsSubscription || mc.CreatedBy != userID {
			continue
		}
		lines = append(lines, a.T(userID, "subscription.listLine", i18n.Args{"id": id, "channel": a.channelLabel(userID, mc.ChannelID)}))
	}
	if len(lines) == 0 {
		return a.T(userID, "subscription.listEmpty"), nil
	}
	return a.T(userID, "subscription.listTitle") + "\n" + strings.Join(lines, "\n") + "\n\n" + a.T(userID, "subscription.listFooter"), nil
}

// channelLabel names a channel for a message to userID: ~name where that links, else
// its display name; a neutral phrase when userID may not read the channel, whose name
// (a private channel's, a direct message's members) is not theirs to learn.
func (a *App) channelLabel(userID, channelID string) string {
	if !a.host.HasPermissionToChannel(userID, channelID, model.PermissionReadChannel) {
		return a.T(userID, "subscription.hiddenChannel")
	}
	ch, appErr := a.host.GetChannel(channelID)
	switch {
	case appErr != nil || ch == nil:
		return a.T(userID, "subscription.hiddenChannel")
	case ch.Type == model.ChannelTypeOpen || ch.Type == model.ChannelTypePrivate:
		return "~" + ch.Name
	}
	return cmp.Or(ch.DisplayName, a.T(userID, "subscription.directMessage"))
}
