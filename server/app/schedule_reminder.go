package app

import (
	"math"
	"strconv"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
)

// Reminders of scheduled meetings run on pluginapi's cluster.JobOnceScheduler: its
// jobs live in the KV store, so they survive restarts, and a cluster mutex lets one
// node run each. The record's RemindAt and Reminded make the callback safe to run
// again (a stale job of a moved meeting, a job picked up twice): only the job for the
// record's current RemindAt posts, once.

// ReminderScheduler is the part of cluster.JobOnceScheduler the app uses.
type ReminderScheduler interface {
	ScheduleOnce(key string, runAt time.Time, props any) error
	Cancel(key string)
}

// EnvReminderLead overrides the reminder setting with a Go duration (tests use it to
// make a reminder due within seconds).
const EnvReminderLead = "ZOOM_PLUGIN_REMINDER_LEAD"

// ReminderLeadFromEnv reads EnvReminderLead with getenv (os.Getenv): a positive
// duration replaces the reminder setting; anything else is logged and ignored (0).
func ReminderLeadFromEnv(getenv func(string) string, log jobs.Logger) time.Duration {
	text := getenv(EnvReminderLead)
	if text == "" {
		return 0
	}
	d, err := time.ParseDuration(text)
	if err != nil || d <= 0 {
		log.LogWarn("Ignoring a reminder lead from the environment", "value", text)
		return 0
	}
	log.LogInfo("The reminder lead comes from the environment", "lead", d.String())
	return d
}

// reminderTime is when a meeting starting at start is reminded of (ms), 0 for no
// reminder: reminders are off, or the reminder's time has already come (the card was
// only just posted).
func (a *App) reminderTime(start time.Time) int64 {
	lead := a.reminderLeadOverride
	if s := a.Settings(); lead <= 0 && s != nil {
		lead = s.ReminderLead()
	}
	at := start.Add(-lead)
	if lead <= 0 || !at.After(a.now()) {
		return 0
	}
	return at.UnixMilli()
}

// armReminder schedules a record's reminder job, if it has one.
func (a *App) armReminder(rec store.ScheduledMeeting) {
	if rec.RemindAt == 0 || rec.Reminded || rec.State != store.ScheduleWaiting || a.reminders == nil {
		return
	}
	if err := a.reminders.ScheduleOnce(store.ReminderJobKey(rec.PostID, rec.RemindAt), time.UnixMilli(rec.RemindAt), nil); err != nil {
		a.host.LogWarn("Could not schedule a meeting reminder", "post_id", rec.PostID, "error", err.Error())
	}
}

// dropReminder cancels a record's reminder job; the callback would skip it anyway.
func (a *App) dropReminder(rec store.ScheduledMeeting) {
	if rec.RemindAt != 0 && a.reminders != nil {
		a.reminders.Cancel(store.ReminderJobKey(rec.PostID, rec.RemindAt))
	}
}

// RemindScheduled is the reminder jobs' callback: the bot replies in the card's thread
// that the meeting starts soon, with the join link, unless the meeting was cancelled,
// moved, started, or already reminded of.
func (a *App) RemindScheduled(key string, _ any) {
	postID, at, ok := store.ParseReminderJobKey(key)
	if !ok || !isID(postID) || a.Settings() == nil {
		return
	}
	rec, changed, err := a.kv.UpdateSchedule(postID, a.now(), func(s *store.ScheduledMeeting) bool {
		if s.State != store.ScheduleWaiting || s.Reminded || s.RemindAt != at || !a.now().Before(time.UnixMilli(s.Start)) {
			return false
		}
		s.Reminded = true
		return true
	})
	if err != nil || !changed {
		if err != nil {
			a.host.LogWarn("Could not read a scheduled meeting for its reminder", "post_id", postID, "error", err.Error())
		}
		return
	}
	card := a.scheduledCard(postID)
	if card == nil {
		return
	}
	topic, link := propsOf(card).topic(), propsOf(card).link()
	minutes := int(math.Ceil(time.UnixMilli(rec.Start).Sub(a.now()).Minutes()))
	id := "schedule.reminder"
	if minutes == 1 {
		id = "schedule.reminderOneMinute"
	}
	msg := a.channelT(id, i18n.Args{"minutes": minutes, "topic": strconv.Quote(topic), "link": linkTarget(link)})
	if _, appErr := a.host.CreatePost(&model.Post{UserId: a.botUserID, ChannelId: card.ChannelId, RootId: propsOf(card).threadRoot(), Message: msg}); appErr != nil {
		a.host.LogWarn("Could not post a meeting reminder", "post_id", postID, "error", appErr.Error())
		_, _, _ = a.kv.UpdateSchedule(postID, a.now(), func(s *store.ScheduledMeeting) bool {
			s.Reminded = false
			return true
		})
	}
}
