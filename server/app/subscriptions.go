package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Subscribe subscribes a channel to a (non-personal) meeting (SPEC §8): every start of
// it is posted there by the bot. The caller must be able to post in the channel and
// must host the meeting unless they are a system admin; either way the meeting is read
// with the caller's own Zoom identity, so it must exist for them.
func (a *App) Subscribe(ctx context.Context, userID, channelID string, meetingID int64) (string, error) {
	if _, err := a.snap(); err != nil {
		return "", err
	}
	if meetingID <= 0 {
		return "", userError(http.StatusBadRequest, nil, "%d is not a Zoom meeting ID. Use the number in the meeting's Zoom link.", meetingID)
	}
	if !a.host.HasPermissionToChannel(userID, channelID, model.PermissionCreatePost) {
		return "", userError(http.StatusForbidden, ErrForbidden, "You can only subscribe a channel you may post in. Join the channel first, or ask one of its members.")
	}
	who, err := a.identityFor(ctx, userID)
	if err != nil {
		return "", a.subscriptionIdentityError(channelID, err)
	}
	meeting, err := who.snap.zoom.GetMeeting(ctx, who.accessToken, meetingID)
	if zoom.IsNotFound(err) {
		return "", userError(http.StatusNotFound, err, "Zoom has no meeting %d that your Zoom account can see. Check the number in the meeting's link.", meetingID)
	}
	if err != nil {
		return "", a.zoomFailure(err, "zoom.action.readMeeting")
	}
	if meeting.Type == zoom.MeetingTypePersonal {
		return "", userError(http.StatusBadRequest, nil, "Meeting %d is a personal meeting room, which cannot be subscribed: it starts too often for a channel to follow. Subscribe a scheduled or recurring meeting instead.", meetingID)
	}
	admin := a.isSystemAdmin(userID)
	if !admin && meeting.HostID != who.zoomUserID {
		return "", userError(http.StatusForbidden, ErrForbidden, "Only the host of meeting %d (or a system admin) can subscribe a channel to it. Ask its host to run this command.", meetingID)
	}
	created, err := a.kv.AddSubscription(meetingID, store.MeetingChannel{ChannelID: channelID, CreatedBy: userID})
	if err != nil {
		return "", err
	}
	if !created {
		return "", a.alreadySubscribed(meetingID)
	}
	if meeting.JoinURL != "" {
		if err := a.kv.SaveSubscriptionLink(meetingID, meeting.JoinURL); err != nil {
			a.host.LogWarn("Could not store a subscribed meeting's join link", "error", err.Error())
		}
	}
	topic := meeting.Topic
	if topic == "" {
		topic = defaultTopic
	}
	return fmt.Sprintf("This channel is now subscribed to meeting %d (%s). Every time it starts, its card is posted here. To stop, run `/zoom subscription remove %d`.",
		meetingID, escapeMarkdown(topic), meetingID), nil
}

func (a *App) subscriptionIdentityError(channelID string, err error) error {
	switch {
	case errors.Is(err, ErrNotConnected), errors.Is(err, ErrReconnect):
		return userError(http.StatusUnauthorized, err, "To subscribe a channel, first [connect your Zoom account](%s) so the meeting can be checked, then run the command again.", a.ConnectLink(channelID, false))
	case errors.Is(err, ErrAdminNotConnected):
		return userError(http.StatusServiceUnavailable, err, "Zoom is not connected for your organisation yet. Ask a system admin to run /zoom connect.")
	}
	return err
}

// alreadySubscribed explains that a meeting has its one subscription already.
func (a *App) alreadySubscribed(meetingID int64) error {
	where := "another channel"
	if mc, err := a.kv.GetMeetingChannel(meetingID); err == nil {
		where = a.channelLabel(mc.ChannelID)
	}
	return userError(http.StatusConflict, nil, "Meeting %d is already subscribed in %s; a meeting can post to one channel only. Remove that subscription first with `/zoom subscription remove %d`.", meetingID, where, meetingID)
}

// Unsubscribe removes a channel subscription (SPEC §8): its creator or a system admin.
func (a *App) Unsubscribe(userID string, meetingID int64) (string, error) {
	if _, err := a.snap(); err != nil {
		return "", err
	}
	mc, err := a.kv.GetMeetingChannel(meetingID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !mc.IsSubscription) {
		return fmt.Sprintf("No channel is subscribed to meeting %d, so there is nothing to remove. `/zoom subscription list` shows yours.", meetingID), nil
	}
	if err != nil {
		return "", err
	}
	if mc.CreatedBy != userID && !a.isSystemAdmin(userID) {
		who := "the person who created it"
		if u, appErr := a.host.GetUser(mc.CreatedBy); appErr == nil {
			who = "@" + u.Username
		}
		return "", userError(http.StatusForbidden, ErrForbidden, "Only %s or a system admin can remove the subscription of meeting %d.", who, meetingID)
	}
	if err := a.kv.RemoveSubscription(meetingID, mc.CreatedBy); err != nil {
		return "", err
	}
	if err := a.kv.DeleteSubscriptionLink(meetingID); err != nil {
		a.host.LogWarn("Could not delete a subscribed meeting's join link", "error", err.Error())
	}
	return fmt.Sprintf("Removed the subscription of %s to meeting %d. Its starts are no longer posted there.", a.channelLabel(mc.ChannelID), meetingID), nil
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
		lines = append(lines, fmt.Sprintf("* Meeting %d → %s", id, a.channelLabel(mc.ChannelID)))
	}
	if len(lines) == 0 {
		return "You have no meeting subscriptions. To post every start of a meeting you host in a channel, run `/zoom subscription add <meeting ID>` there.", nil
	}
	return "#### Your meeting subscriptions\n" + strings.Join(lines, "\n") + "\n\nRemove one with `/zoom subscription remove <meeting ID>`.", nil
}

// channelLabel names a channel for a message: ~name where that links, else its
// display name.
func (a *App) channelLabel(channelID string) string {
	ch, appErr := a.host.GetChannel(channelID)
	if appErr != nil || ch == nil {
		return "a channel you cannot see"
	}
	if ch.Type == model.ChannelTypeOpen || ch.Type == model.ChannelTypePrivate {
		return "~" + ch.Name
	}
	if ch.DisplayName != "" {
		return ch.DisplayName
	}
	return "a direct message"
}
