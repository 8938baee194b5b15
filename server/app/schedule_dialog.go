package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
)

// scheduleDurations are the dialog's choices, in minutes.
var scheduleDurations = []int{15, 30, 45, 60, 90, 120}

// OpenScheduleDialog opens the form of /zoom schedule: date, time, duration, topic,
// read in the user's time zone. The channel and thread travel in the dialog's state.
func (a *App) OpenScheduleDialog(userID, channelID, rootID, triggerID string) error {
	if _, err := a.snap(); err != nil {
		return err
	}
	if !isID(channelID) || (rootID != "" && !isID(rootID)) {
		return a.userErrorT(KindBadInput, nil, "start.noChannel")
	}
	loc := a.userTimezone(userID)
	tomorrow := a.tomorrow(loc)
	t := a.translator(userID)
	durations := make([]*model.PostActionOptions, len(scheduleDurations))
	for i, m := range scheduleDurations {
		durations[i] = &model.PostActionOptions{Text: t("schedule.dialogMinutes", i18n.Args{"minutes": m}), Value: strconv.Itoa(m)}
	}
	return toAppErr(a.host.OpenInteractiveDialog(model.OpenDialogRequest{
		TriggerId: triggerID,
		URL:       a.links.ScheduleDialog,
		Dialog: model.Dialog{
			CallbackId:       "zoomschedule",
			Title:            truncate(t("schedule.dialogTitle"), maxDialogLabel),
			IntroductionText: t("schedule.dialogIntro", i18n.Args{"zone": loc.String()}),
			SubmitLabel:      t("schedule.dialogSubmit"),
			State:            channelID + ":" + rootID,
			Elements: []model.DialogElement{
				{DisplayName: truncate(t("schedule.dialogDate"), maxDialogLabel), Name: "date", Type: "text", Default: tomorrow,
					Placeholder: "YYYY-MM-DD", HelpText: t("schedule.dialogDateHelp", i18n.Args{"example": tomorrow}), MaxLength: 10},
				{DisplayName: truncate(t("schedule.dialogTime"), maxDialogLabel), Name: "time", Type: "text", Default: "10:00",
					Placeholder: "HH:MM", HelpText: t("schedule.dialogTimeHelp"), MaxLength: 5},
				{DisplayName: truncate(t("schedule.dialogDuration"), maxDialogLabel), Name: "duration", Type: "select",
					Default: "30", Options: durations},
				{DisplayName: truncate(t("schedule.dialogTopic"), maxDialogLabel), Name: "topic", Type: "text",
					Optional: true, Placeholder: defaultTopic, MaxLength: maxTopic},
			},
		},
	}))
}

// tomorrow is tomorrow's date in loc as the dialog's date field reads it: its
// default, and the example of a date it refuses.
func (a *App) tomorrow(loc *time.Location) string {
	return a.now().In(loc).AddDate(0, 0, 1).Format("2006-01-02")
}

// SubmitScheduleDialog schedules the meeting a dialog describes. The submission's
// user must be the session's user. Field mistakes come back as field errors; the
// rest (channel rules, Zoom) as the dialog's error.
func (a *App) SubmitScheduleDialog(ctx context.Context, sessionUserID string, req *model.SubmitDialogRequest) (*model.SubmitDialogResponse, error) {
	if _, err := a.snap(); err != nil {
		return nil, err
	}
	if req.UserId != sessionUserID {
		return nil, a.userErrorT(KindForbidden, ErrForbidden, "schedule.dialogNotYours")
	}
	channelID, rootID, _ := strings.Cut(req.State, ":")
	field := func(name string) string { s, _ := req.Submission[name].(string); return strings.TrimSpace(s) }
	loc := a.userTimezone(sessionUserID)
	errs := map[string]string{}
	h, m, ok := parseClock(field("time"))
	if !ok {
		errs["time"] = a.T(sessionUserID, "schedule.dialogBadTime")
	}
	minutes, err := strconv.Atoi(field("duration"))
	if err != nil || minutes < 1 || time.Duration(minutes)*time.Minute > maxScheduleDuration {
		errs["duration"] = a.T(sessionUserID, "schedule.dialogBadDuration")
	}
	start, err := dateAt(field("date"), h, m, loc)
	if err != nil && len(errs) == 0 {
		if errors.Is(err, errWhenNoSuchTime) {
			errs["time"] = a.T(sessionUserID, "schedule.reasonNoSuchTime")
		} else {
			errs["date"] = a.T(sessionUserID, "schedule.dialogBadDate", i18n.Args{"example": a.tomorrow(loc)})
		}
	}
	if len(errs) == 0 && !start.After(a.now()) {
		errs["time"] = a.T(sessionUserID, "schedule.reasonPast")
	}
	if len(errs) > 0 {
		return &model.SubmitDialogResponse{Errors: errs}, nil
	}
	err = a.ScheduleMeeting(ctx, ScheduleRequest{UserID: sessionUserID, ChannelID: channelID, RootID: rootID,
		Start: start, Duration: time.Duration(minutes) * time.Minute, Topic: field("topic")})
	if err != nil {
		// The user's own mistakes are shown in the dialog; our failures go to the caller.
		if k := KindOf(err); !k.Logged() && k != KindNotConfigured {
			return &model.SubmitDialogResponse{Error: a.MessageFor(sessionUserID, err)}, nil
		}
		return nil, err
	}
	return &model.SubmitDialogResponse{}, nil
}
