package app

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Card states of scheduled meetings (beside STARTED and ENDED).
const (
	StatusScheduled = "SCHEDULED"
	StatusCancelled = "CANCELLED"
)

// ScheduleRequest is one request to schedule a meeting, from the command or the dialog.
type ScheduleRequest struct {
	UserID, ChannelID, RootID string
	Start                     time.Time // in the user's time zone
	Duration                  time.Duration
	Topic                     string
}

// ScheduleFromCommand runs "/zoom schedule <when> [for <N>m|h] [topic]". A <when> it
// cannot read gets the accepted forms with examples.
func (a *App) ScheduleFromCommand(ctx context.Context, userID, channelID, rootID, text string) error {
	loc := a.userTimezone(userID)
	when, err := parseScheduleWhen(text, a.now(), loc)
	if err != nil {
		return a.scheduleUsage(userID, text, loc, err)
	}
	return a.ScheduleMeeting(ctx, ScheduleRequest{UserID: userID, ChannelID: channelID, RootID: rootID,
		Start: when.Start, Duration: when.Duration, Topic: when.Topic})
}

// scheduleUsage explains why a <when> was refused and shows the forms it accepts.
func (a *App) scheduleUsage(userID, text string, loc *time.Location, err error) error {
	reason := "schedule.reasonUnknown"
	switch {
	case errors.Is(err, errWhenPast):
		reason = "schedule.reasonPast"
	case errors.Is(err, errWhenNoSuchTime):
		reason = "schedule.reasonNoSuchTime"
	case errors.Is(err, errWhenBadDuration):
		reason = "schedule.reasonDuration"
	}
	return a.userErrorT(KindBadInput, err, "schedule.usage", i18n.Args{
		"when": truncate(text, 60), "reason": a.T(userID, reason), "zone": loc.String(),
	})
}

// userTimezone is the user's Mattermost time zone (UTC when unset or unreadable).
func (a *App) userTimezone(userID string) *time.Location {
	user, appErr := a.host.GetUser(userID)
	if appErr != nil || user == nil {
		return time.UTC
	}
	return userLocation(user.GetPreferredTimezone())
}

// ScheduleMeeting creates a scheduled meeting on the user's Zoom account and posts its
// card. The permission check of /zoom start applies.
func (a *App) ScheduleMeeting(ctx context.Context, req ScheduleRequest) error {
	snap, err := a.snap()
	if err != nil {
		return err
	}
	if !req.Start.After(a.now()) {
		return a.scheduleUsage(req.UserID, req.Start.Format("2006-01-02 15:04"), req.Start.Location(), errWhenPast)
	}
	if err := a.checkMayPost(snap.settings.RestrictMeetingCreation, req.ChannelID, req.RootID, req.UserID, "schedule.noPermission", "schedule.noPermission"); err != nil {
		return err
	}
	who, err := a.identityFor(ctx, req.UserID)
	if err != nil {
		// Unlike a start, nothing is kept for after connecting: the user runs the
		// command again.
		return a.identityError(err, req.ChannelID, "schedule.connectFirst")
	}
	topic := cleanTopic(req.Topic)
	minutes := int(req.Duration / time.Minute)
	meeting, err := who.snap.zoom.CreateMeeting(ctx, who.accessToken, who.zoomUserID, zoom.CreateMeetingRequest{
		Topic: topic, Type: zoom.MeetingTypeScheduled, StartTime: zoom.FormatStartTime(req.Start),
		Duration: minutes, Timezone: req.Start.Location().String(),
	})
	if err != nil {
		return a.zoomFailure(err, "zoom.action.createMeeting")
	}
	user, err := a.profile(req.UserID)
	if err != nil {
		return err
	}
	card := &model.Post{UserId: req.UserID, ChannelId: req.ChannelID, RootId: req.RootID, Type: PostTypeMeeting}
	propsOf(card).setMeeting(meetingCard{MeetingID: meeting.ID, UUID: meeting.UUID, JoinURL: meeting.JoinURL,
		Topic: topic, CreatorUsername: user.username})
	a.showScheduled(card, req.Start, minutes)
	post, appErr := a.host.CreatePost(card)
	if appErr != nil {
		return appErr
	}
	rec := store.ScheduledMeeting{PostID: post.Id, ChannelID: post.ChannelId, CreatorID: req.UserID, MeetingID: meeting.ID,
		Start: req.Start.UnixMilli(), Duration: minutes, Timezone: req.Start.Location().String(), State: store.ScheduleWaiting,
		RemindAt: a.reminderTime(req.Start)}
	if err := a.kv.SaveSchedule(rec, store.ScheduleTTL(req.Start, a.now())); err != nil {
		// The meeting and its card exist; only the reminder and the card's later
		// changes are lost, so the user hears about it.
		a.host.LogWarn("Could not remember a scheduled meeting", "error", err.Error())
		return a.userErrorT(KindUnavailable, err, "schedule.notRemembered")
	}
	a.armReminder(rec)
	return nil
}

// showScheduled writes a scheduled card's status, time props and text. The time is
// in UTC ms for the webapp, which shows it in each reader's time zone; the text (what
// other clients show) states it in the creator's zone, named.
func (a *App) showScheduled(card *model.Post, start time.Time, minutes int) {
	props := propsOf(card)
	topic, link, id := props.topic(), props.link(), props.meetingID()
	props.setScheduled(start, minutes)
	card.Message = a.channelT("schedule.card", i18n.Args{"topic": topic})
	args := i18n.Args{"topic": strconv.Quote(topic), "link": linkTarget(link), "id": id, "minutes": minutes,
		"date": start.Format(a.channelT("schedule.dateLayout")), "zone": start.Location().String()}
	model.ParseSlackAttachment(card, []*model.SlackAttachment{{
		Fallback:  a.channelT("schedule.cardFallback", args),
		Title:     topic,
		TitleLink: link,
		Text: a.channelT("schedule.cardWhen", args) + "\n\n" + a.channelT("card.meetingID", args) +
			"\n\n" + a.channelT("card.join", args),
		Actions: []*model.PostAction{button("zoomschedulecancel", a.channelT("schedule.cancelButton"), "danger",
			a.links.ScheduleCancel, map[string]any{"meeting_id": id})},
	}})
}

// showCancelled turns a scheduled card into a note that the meeting was cancelled.
func (a *App) showCancelled(card *model.Post, byID string) {
	topic := propsOf(card).topic()
	propsOf(card).setStatus(StatusCancelled)
	card.Message = a.channelT("schedule.cancelled", i18n.Args{"topic": topic})
	text := a.channelT("schedule.cancelledInZoom", i18n.Args{"topic": strconv.Quote(topic)})
	if byID != "" {
		if who, err := a.profile(byID); err == nil && who.username != "" {
			text = a.channelT("schedule.cancelledBy", i18n.Args{"topic": strconv.Quote(topic), "user": "@" + who.username})
		}
	}
	model.ParseSlackAttachment(card, []*model.SlackAttachment{{Fallback: text, Title: topic, Text: text}})
}

// scheduledCard reads a card if it is a scheduled meeting's card still waiting.
func (a *App) scheduledCard(postID string) *model.Post {
	card := a.cardPost(postID)
	if card == nil || propsOf(card).status() != StatusScheduled {
		return nil
	}
	return card
}

// CancelScheduledMeeting handles the card's "Cancel meeting" button: only the person
// who scheduled the meeting, or a system admin, may cancel it. The meeting is deleted
// in Zoom (with its creator's account) before anything here changes.
func (a *App) CancelScheduledMeeting(ctx context.Context, sessionUserID string, req *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	if _, err := a.snap(); err != nil {
		return nil, err
	}
	if req.UserId != "" && req.UserId != sessionUserID {
		return nil, a.userErrorT(KindForbidden, ErrForbidden, "schedule.cancelNotYours")
	}
	if !isID(req.PostId) {
		return nil, a.userErrorT(KindBadInput, nil, "schedule.notWaiting")
	}
	card := a.scheduledCard(req.PostId)
	rec, err := a.kv.GetSchedule(req.PostId)
	if card == nil || err != nil || rec.State != store.ScheduleWaiting {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		return nil, a.userErrorT(KindConflict, nil, "schedule.notWaiting")
	}
	if sessionUserID != rec.CreatorID && !a.IsSystemAdmin(sessionUserID) {
		return nil, a.userErrorT(KindForbidden, ErrForbidden, "schedule.cancelNotYours")
	}
	who, err := a.identityFor(ctx, rec.CreatorID)
	if err != nil {
		return nil, a.userErrorT(KindZoomFailed, err, "schedule.cancelNoAccount")
	}
	err = who.snap.zoom.DeleteMeeting(ctx, who.accessToken, rec.MeetingID)
	if err != nil && !zoom.IsNotFound(err) {
		return nil, a.zoomFailure(err, "zoom.action.deleteMeeting")
	}
	if err := a.cancelSchedule(req.PostId, sessionUserID); err != nil {
		return nil, err
	}
	return &model.PostActionIntegrationResponse{}, nil
}

// cancelSchedule records that a scheduled meeting is gone, turns its card into the
// cancellation note and drops its reminder. Repeating it changes nothing.
func (a *App) cancelSchedule(postID, byID string) error {
	if err := a.stopWaiting(postID, store.ScheduleCancelled); err != nil {
		return err
	}
	if card := a.scheduledCard(postID); card != nil {
		a.showCancelled(card, byID)
		if _, appErr := a.host.UpdatePost(card); appErr != nil {
			return appErr
		}
	}
	return nil
}

// scheduledMeetingStarted turns a scheduled meeting's card into a live card on its
// first meeting.started and maps it as a started card is; anything else (not a
// scheduled meeting, a later instance) is left to the usual way, through the mappings
// made here. The card changes before the record, so a failure in between leaves the
// card for Zoom's retry.
func (a *App) scheduledMeetingStarted(obj *zoom.MeetingObject) error {
	postID, err := a.kv.ScheduledCard(int64(obj.ID))
	if err != nil || postID == "" {
		return err
	}
	// The card says SCHEDULED exactly while its meeting waits; its author scheduled it.
	if card := a.scheduledCard(postID); card != nil {
		props := propsOf(card)
		live := a.buildCard(meetingCard{ChannelID: card.ChannelId, RootID: card.RootId, UserID: card.UserId,
			MeetingID: int64(obj.ID), UUID: obj.UUID, JoinURL: props.link(), Topic: props.topic(), CreatorUsername: props.creator(),
			StartTime: zoomTime(obj.StartTime, a.now())})
		card.Message = live.Message
		card.SetProps(live.GetProps())
		if _, appErr := a.host.UpdatePost(card); appErr != nil {
			return appErr
		}
		a.rememberCard(&zoom.Meeting{ID: int64(obj.ID), UUID: obj.UUID}, card, card.UserId)
	}
	return a.stopWaiting(postID, store.ScheduleStarted)
}

// stopWaiting moves a waiting scheduled meeting to state and drops its reminder. A
// record that is gone has nothing left to wait for.
func (a *App) stopWaiting(postID, state string) error {
	rec, changed, err := a.kv.UpdateSchedule(postID, a.now(), func(s *store.ScheduledMeeting) bool {
		if s.State != store.ScheduleWaiting {
			return false
		}
		s.State = state
		return true
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err == nil && changed {
		a.dropReminder(rec)
	}
	return err
}

// meetingRescheduled applies a meeting.updated from Zoom (the host changed the time or
// topic in Zoom) to a waiting scheduled card and moves its reminder.
func (a *App) meetingRescheduled(ev *zoom.Event) error {
	p, err := ev.Update()
	if err != nil {
		return userError(KindBadInput, err, "malformed %s payload", ev.Event)
	}
	postID, err := a.kv.ScheduledCard(int64(p.Object.ID))
	if err != nil {
		return unavailable(err)
	}
	card := a.scheduledCard(postID)
	if card == nil {
		return nil
	}
	var start time.Time // zero: unchanged
	if p.Object.StartTime != nil {
		if start, err = time.Parse(time.RFC3339, *p.Object.StartTime); err != nil {
			return userError(KindBadInput, err, "malformed start_time in %s", ev.Event)
		}
	}
	var before store.ScheduledMeeting
	rec, changed, err := a.kv.UpdateSchedule(postID, a.now(), func(s *store.ScheduledMeeting) bool {
		before = *s
		if s.State != store.ScheduleWaiting {
			return false
		}
		if !start.IsZero() {
			s.Start = start.UnixMilli()
		}
		if p.Object.Duration != nil && *p.Object.Duration > 0 {
			s.Duration = *p.Object.Duration
		}
		if *s == before {
			return false
		}
		s.RemindAt, s.Reminded = a.reminderTime(time.UnixMilli(s.Start)), false
		return true
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	if changed {
		a.dropReminder(before)
		a.armReminder(rec)
	}
	if p.Object.Topic != nil && *p.Object.Topic != "" {
		propsOf(card).setTopic(cleanTopic(*p.Object.Topic))
	}
	if rec.State == store.ScheduleWaiting {
		a.showScheduled(card, time.UnixMilli(rec.Start).In(userLocation(rec.Timezone)), rec.Duration)
		if _, appErr := a.host.UpdatePost(card); appErr != nil {
			return unavailable(appErr)
		}
	}
	return nil
}

// meetingDeletedInZoom cancels a waiting scheduled card whose meeting was deleted in
// Zoom (one occurrence of a recurring meeting is not ours to follow).
func (a *App) meetingDeletedInZoom(ev *zoom.Event) error {
	p, err := ev.Deleted()
	if err != nil {
		return userError(KindBadInput, err, "malformed %s payload", ev.Event)
	}
	if p.Operation == "single" {
		return nil
	}
	postID, err := a.kv.ScheduledCard(int64(p.Object.ID))
	if err != nil {
		return unavailable(err)
	}
	if postID == "" {
		return nil
	}
	if err := a.cancelSchedule(postID, ""); err != nil {
		return unavailable(err)
	}
	return nil
}
