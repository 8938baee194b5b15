package app

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

// reminderJobs stands in for pluginapi's JobOnceScheduler (which is one per process):
// it records what the app scheduled and cancelled; tests run a job by calling the
// app's callback, as the scheduler does when the time comes.
type reminderJobs struct {
	mu        sync.Mutex
	scheduled map[string]time.Time
	cancelled []string
}

func (r *reminderJobs) ScheduleOnce(key string, runAt time.Time, _ any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scheduled[key] = runAt
	return nil
}

func (r *reminderJobs) Cancel(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cancelled = append(r.cancelled, key)
	delete(r.scheduled, key)
}

func (r *reminderJobs) only(t *testing.T) (string, time.Time) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.scheduled) != 1 {
		t.Fatalf("scheduled reminders: %v, want one", r.scheduled)
	}
	for k, at := range r.scheduled {
		return k, at
	}
	return "", time.Time{}
}

// scheduleWorld is a world whose app has a reminder scheduler, a fixed clock and
// alice in Berlin: Wednesday 2026-03-25 10:00 there.
type scheduleWorld struct {
	*world
	jobs *reminderJobs
	now  time.Time
}

func newScheduleWorld(t *testing.T) *scheduleWorld {
	w := newWorld(t)
	sw := &scheduleWorld{world: w, jobs: &reminderJobs{scheduled: map[string]time.Time{}},
		now: time.Date(2026, 3, 25, 10, 0, 0, 0, userLocation("Europe/Berlin"))}
	w.app = sw.instance()
	w.alice.Timezone = model.StringMap{"useAutomaticTimezone": "false", "manualTimezone": "Europe/Berlin"}
	w.host.SetTimezone(w.alice.Id, w.alice.Timezone)
	w.mustConnect(w.alice, "alice@example.com")
	w.sim.ResetCalls()
	return sw
}

// instance is another plugin process on the same Mattermost, sharing the scheduler.
func (sw *scheduleWorld) instance() *App {
	a := sw.newInstance(sw.host)
	a.reminders = sw.jobs
	a.now = func() time.Time { return sw.now }
	return a
}

func (sw *scheduleWorld) schedule(text string) *model.Post {
	sw.t.Helper()
	if err := sw.app.ScheduleFromCommand(sw.ctx, sw.alice.Id, sw.private.Id, "", text); err != nil {
		sw.t.Fatalf("/zoom schedule %s: %v", text, err)
	}
	cards := sw.cards(sw.private)
	return cards[len(cards)-1]
}

func (sw *scheduleWorld) reminders(card *model.Post) []*model.Post {
	var out []*model.Post
	for _, p := range sw.replies(card) {
		if p.UserId == sw.bot.Id && strings.Contains(p.Message, "starts in") {
			out = append(out, p)
		}
	}
	return out
}

func TestScheduleCreatesAScheduledMeetingAndCard(t *testing.T) {
	sw := newScheduleWorld(t)
	sw.sim.ResetCalls()
	card := sw.schedule("tomorrow 9:30 for 45m Design review")

	start := time.Date(2026, 3, 26, 8, 30, 0, 0, time.UTC) // 09:30 in Berlin
	id, _ := numberProp(card.GetProp("meeting_id"))
	meeting, ok := sw.sim.Meeting(id)
	if !ok || meeting.Type != 2 || meeting.StartTime != "2026-03-26T08:30:00Z" || meeting.Duration != 45 ||
		meeting.Timezone != "Europe/Berlin" || meeting.Topic != "Design review" {
		t.Fatalf("Zoom meeting %+v (found %v)", meeting, ok)
	}
	if calls := sw.sim.Calls(); len(calls) != 1 || calls[0].Method != http.MethodPost {
		t.Fatalf("Zoom calls: %+v, want one create", calls)
	}
	if card.UserId != sw.alice.Id || card.GetProp("meeting_status") != StatusScheduled ||
		card.GetProp("meeting_link") != meeting.JoinURL || card.GetProp("meeting_topic") != "Design review" {
		t.Fatalf("card props %v", card.GetProps())
	}
	if ms, _ := numberProp(card.GetProp("meeting_start_time")); ms != start.UnixMilli() {
		t.Fatalf("meeting_start_time %d, want %d", ms, start.UnixMilli())
	}
	att := card.Attachments()
	if len(att) != 1 || !strings.Contains(att[0].Fallback, "Thu, Mar 26, 2026 at 09:30 (Europe/Berlin)") ||
		!strings.Contains(att[0].Fallback, meeting.JoinURL) || len(att[0].Actions) != 1 {
		t.Fatalf("attachment %+v", att)
	}
	key, at := sw.jobs.only(t)
	if !at.Equal(start.Add(-10*time.Minute)) || !strings.Contains(key, card.Id) {
		t.Fatalf("reminder %s at %s, want 10 minutes before %s", key, at, start)
	}
	// A scheduled card is not a live meeting: /zoom start is not stopped by it.
	if sw.app.recentCard(sw.private.Id) != nil {
		t.Fatal("the recent-meeting guard counts a scheduled card")
	}
}

func TestScheduleRefusesWhatItCannotRead(t *testing.T) {
	sw := newScheduleWorld(t)
	cases := map[string]string{
		"soon":             "is not one of the forms",
		"2026-03-29 02:30": "does not exist on that day",
		"2026-03-25 09:00": "already passed",
		"10:30 for 2d":     "length must be",
	}
	for text, reason := range cases {
		err := sw.app.ScheduleFromCommand(sw.ctx, sw.alice.Id, sw.private.Id, "", text)
		msg := sw.app.MessageFor(sw.alice.Id, err)
		if KindOf(err) != KindBadInput || !strings.Contains(msg, reason) ||
			!strings.Contains(msg, "/zoom schedule tomorrow 9:00") || !strings.Contains(msg, "Europe/Berlin") {
			t.Errorf("%q: %d %q", text, KindOf(err), msg)
		}
	}
	if len(sw.cards(sw.private)) != 0 || len(sw.sim.Calls()) != 0 {
		t.Fatal("a refused schedule reached Zoom or posted")
	}
}

func TestScheduleFollowsTheChannelRules(t *testing.T) {
	sw := newScheduleWorld(t)
	sw.host.RemoveMember(sw.private.Id, sw.alice.Id)
	err := sw.app.ScheduleFromCommand(sw.ctx, sw.alice.Id, sw.private.Id, "", "14:00")
	if KindOf(err) != KindForbidden || !strings.Contains(sw.app.MessageFor(sw.alice.Id, err), "cannot post in this channel") {
		t.Fatalf("no permission: %v", err)
	}
	// Membership counts, not only permissions: a system admin outside the channel may
	// not schedule there either.
	sw.host.RemoveMember(sw.private.Id, sw.admin.Id)
	if err := sw.app.ScheduleFromCommand(sw.ctx, sw.admin.Id, sw.private.Id, "", "14:00"); KindOf(err) != KindForbidden {
		t.Fatalf("admin outside the channel: %v", err)
	}
	if err := sw.app.kv.SetChannelPreference(sw.public.Id, store.ChannelRestrict); err != nil {
		t.Fatal(err)
	}
	if err := sw.app.ScheduleFromCommand(sw.ctx, sw.alice.Id, sw.public.Id, "", "14:00"); KindOf(err) != KindForbidden {
		t.Fatalf("restricted channel: %v", err)
	}
	if len(sw.sim.Calls()) != 0 {
		t.Fatal("a refused schedule reached Zoom")
	}
}

func TestReminderIsPostedOnceAcrossNodes(t *testing.T) {
	sw := newScheduleWorld(t)
	card := sw.schedule("11:00 Retro")
	key, at := sw.jobs.only(t)
	other := sw.instance()
	sw.now = at
	var wg sync.WaitGroup
	for _, a := range []*App{sw.app, other, sw.app, other} {
		wg.Add(1)
		go func() { defer wg.Done(); a.RemindScheduled(key, nil) }()
	}
	wg.Wait()
	reminders := sw.reminders(card)
	if len(reminders) != 1 {
		t.Fatalf("%d reminders, want 1", len(reminders))
	}
	link, _ := card.GetProp("meeting_link").(string)
	if r := reminders[0]; r.RootId != card.Id || !strings.Contains(r.Message, "starts in 10 minutes") || !strings.Contains(r.Message, link) {
		t.Fatalf("reminder %q in thread %q", r.Message, r.RootId)
	}
}

func TestCancelDeletesInZoomAndSilencesTheReminder(t *testing.T) {
	sw := newScheduleWorld(t)
	card := sw.schedule("friday 16:00 Retro")
	key, at := sw.jobs.only(t)
	id, _ := numberProp(card.GetProp("meeting_id"))
	cancel := card.Attachments()[0].Actions[0]
	if cancel.Type != model.PostActionTypeButton || cancel.Style != "danger" || cancel.Integration.URL != "/plugins/zoom/api/v1/schedule/cancel" {
		t.Fatalf("cancel button %+v", cancel)
	}
	// The click carries the button's own context.
	click := &model.PostActionIntegrationRequest{PostId: card.Id, ChannelId: card.ChannelId, Context: cancel.Integration.Context}

	click.UserId = sw.bob.Id
	if _, err := sw.app.CancelScheduledMeeting(sw.ctx, sw.bob.Id, click); KindOf(err) != KindForbidden {
		t.Fatalf("bob cancelled alice's meeting: %v", err)
	}
	if _, ok := sw.sim.Meeting(id); !ok {
		t.Fatal("a refused cancel deleted the meeting")
	}
	click.UserId = sw.alice.Id
	if _, err := sw.app.CancelScheduledMeeting(sw.ctx, sw.alice.Id, click); err != nil {
		t.Fatal(err)
	}
	if _, ok := sw.sim.Meeting(id); ok || sw.sim.CountCalls(http.MethodDelete, "/v2/meetings/") != 1 {
		t.Fatal("the meeting was not deleted in Zoom")
	}
	got := sw.post(card.Id)
	if got.GetProp("meeting_status") != StatusCancelled || !strings.Contains(got.Attachments()[0].Text, "cancelled by @alice") || len(got.Attachments()[0].Actions) != 0 {
		t.Fatalf("card after cancel: %v %+v", got.GetProps(), got.Attachments())
	}
	if len(sw.jobs.cancelled) != 1 || sw.jobs.cancelled[0] != key {
		t.Fatalf("reminder jobs cancelled: %v", sw.jobs.cancelled)
	}
	sw.now = at
	sw.app.RemindScheduled(key, nil) // a node that had not heard of the cancel
	if len(sw.reminders(card)) != 0 {
		t.Fatal("a cancelled meeting was reminded of")
	}
	if _, err := sw.app.CancelScheduledMeeting(sw.ctx, sw.alice.Id, click); KindOf(err) != KindConflict {
		t.Fatalf("second cancel: %v", err)
	}
}

func TestAnAdminMayCancelWithTheCreatorsAccount(t *testing.T) {
	sw := newScheduleWorld(t)
	card := sw.schedule("16:00")
	id, _ := numberProp(card.GetProp("meeting_id"))
	click := &model.PostActionIntegrationRequest{UserId: sw.admin.Id, PostId: card.Id, Context: map[string]any{"meeting_id": id}}
	if _, err := sw.app.CancelScheduledMeeting(sw.ctx, sw.admin.Id, click); err != nil {
		t.Fatal(err)
	}
	if _, ok := sw.sim.Meeting(id); ok {
		t.Fatal("not deleted in Zoom")
	}
}

func TestTimeChangedInZoomMovesCardAndReminder(t *testing.T) {
	sw := newScheduleWorld(t)
	card := sw.schedule("2026-04-02 12:00 Launch")
	oldKey, _ := sw.jobs.only(t)
	id, _ := numberProp(card.GetProp("meeting_id"))
	moved := time.Date(2026, 4, 2, 14, 0, 0, 0, time.UTC) // 16:00 in Berlin
	body, err := sw.sim.RescheduleMeeting(id, moved)
	sw.mustDeliver(sw.app, body, err)
	sw.mustDeliver(sw.app, body, nil) // Zoom's retry changes nothing more

	got := sw.post(card.Id)
	if ms, _ := numberProp(got.GetProp("meeting_start_time")); ms != moved.UnixMilli() || !strings.Contains(got.Attachments()[0].Fallback, "at 16:00 (Europe/Berlin)") {
		t.Fatalf("card after the move: %v %q", got.GetProp("meeting_start_time"), got.Attachments()[0].Fallback)
	}
	newKey, at := sw.jobs.only(t)
	if newKey == oldKey || !at.Equal(moved.Add(-10*time.Minute)) {
		t.Fatalf("reminder %s at %s after the move", newKey, at)
	}
	sw.now = at
	sw.app.RemindScheduled(oldKey, nil)
	if len(sw.reminders(card)) != 0 {
		t.Fatal("the old reminder time still fired")
	}
	sw.app.RemindScheduled(newKey, nil)
	if len(sw.reminders(card)) != 1 {
		t.Fatal("the new reminder time did not fire")
	}
}

// A meeting moved days later is still followed at its new time: the move extends its
// record and its meeting id's card past the new start.
func TestMeetingMovedDaysLaterKeepsItsRecords(t *testing.T) {
	sw := newScheduleWorld(t)
	sw.host.SetClock(func() time.Time { return sw.now }) // KV expiry follows the app's clock
	card := sw.schedule("tomorrow 9:30 Launch")
	id, _ := numberProp(card.GetProp("meeting_id"))
	body, err := sw.sim.RescheduleMeeting(id, sw.now.Add(10*24*time.Hour))
	sw.mustDeliver(sw.app, body, err)

	// Past the records' first lifetime (the old start and two days), before the new start.
	sw.now = sw.now.Add(6 * 24 * time.Hour)
	if _, err := sw.app.kv.GetSchedule(card.Id); err != nil {
		t.Fatalf("the record expired before the new start: %v", err)
	}
	body, err = sw.sim.StartMeeting(id)
	sw.mustDeliver(sw.app, body, err)
	if got := sw.post(card.Id); got.GetProp("meeting_status") != StatusStarted {
		t.Fatalf("card after meeting.started: %v", got.GetProps())
	}
}

func TestDeletedInZoomCancelsTheCard(t *testing.T) {
	sw := newScheduleWorld(t)
	card := sw.schedule("16:00 Retro")
	id, _ := numberProp(card.GetProp("meeting_id"))
	body, err := sw.sim.DeleteMeetingEvent(id)
	sw.mustDeliver(sw.app, body, err)
	got := sw.post(card.Id)
	if got.GetProp("meeting_status") != StatusCancelled || !strings.Contains(got.Message, "cancelled") {
		t.Fatalf("card after meeting.deleted: %q %v", got.Message, got.GetProps())
	}
	if len(sw.jobs.scheduled) != 0 {
		t.Fatalf("reminder still scheduled: %v", sw.jobs.scheduled)
	}
}

func TestScheduledCardGoesLiveThenEnds(t *testing.T) {
	sw := newScheduleWorld(t)
	card := sw.schedule("10:30 Standup")
	key, _ := sw.jobs.only(t)
	id, _ := numberProp(card.GetProp("meeting_id"))
	body, err := sw.sim.StartMeeting(id)
	sw.mustDeliver(sw.app, body, err)
	live := sw.post(card.Id)
	if live.GetProp("meeting_status") != StatusStarted || len(live.Attachments()[0].Actions) != 0 {
		t.Fatalf("card after meeting.started: %v", live.GetProps())
	}
	if got, _ := numberProp(live.GetProp("meeting_id")); got != id {
		t.Fatalf("live card's meeting id %d, want %d", got, id)
	}
	// The sweeper reads the meeting with the account of whoever scheduled it.
	if rec, err := sw.app.kv.GetOpenCard(card.Id); err != nil || rec.UserID != sw.alice.Id || rec.MeetingID != id {
		t.Fatalf("live card tracked as %+v (%v)", rec, err)
	}
	if len(sw.jobs.scheduled) != 0 || len(sw.jobs.cancelled) != 1 || sw.jobs.cancelled[0] != key {
		t.Fatalf("reminder after the start: scheduled %v cancelled %v", sw.jobs.scheduled, sw.jobs.cancelled)
	}
	body, err = sw.sim.EndMeeting(id)
	sw.mustDeliver(sw.app, body, err)
	if ended := sw.post(card.Id); ended.GetProp("meeting_status") != StatusEnded {
		t.Fatalf("card after meeting.ended: %v", ended.GetProps())
	}
}

// A scheduled card whose record is gone (expired, unreadable) still goes live on
// meeting.started, and Zoom hears success rather than retrying for nothing.
func TestScheduledCardWithoutItsRecordGoesLive(t *testing.T) {
	sw := newScheduleWorld(t)
	card := sw.schedule("10:30 Standup")
	if err := sw.app.kv.Delete("zoomschedule_" + card.Id); err != nil {
		t.Fatal(err)
	}
	id, _ := numberProp(card.GetProp("meeting_id"))
	body, err := sw.sim.StartMeeting(id)
	sw.mustDeliver(sw.app, body, err)
	if live := sw.post(card.Id); live.GetProp("meeting_status") != StatusStarted {
		t.Fatalf("card after meeting.started: %v", live.GetProps())
	}
}

func TestScheduleDialog(t *testing.T) {
	sw := newScheduleWorld(t)
	if err := sw.app.OpenScheduleDialog(sw.alice.Id, sw.private.Id, "", sw.host.TriggerID(sw.alice.Id)); err != nil {
		t.Fatal(err)
	}
	submit := func(user *model.User, fields map[string]any) (*model.SubmitDialogResponse, error) {
		return sw.app.SubmitScheduleDialog(sw.ctx, sw.alice.Id, &model.SubmitDialogRequest{
			UserId: user.Id, ChannelId: sw.private.Id, State: sw.private.Id + ":", Submission: fields})
	}
	good := map[string]any{"date": "2026-03-27", "time": "15:15", "duration": "60", "topic": "Planning"}
	if _, err := submit(sw.bob, good); KindOf(err) != KindForbidden {
		t.Fatalf("another user's submission: %v", err)
	}
	resp, err := submit(sw.alice, map[string]any{"date": "27.03.2026", "time": "25:00", "duration": "60"})
	if err != nil || resp.Errors["date"] == "" && resp.Errors["time"] == "" {
		t.Fatalf("bad fields: %+v %v", resp, err)
	}
	if len(sw.cards(sw.private)) != 0 {
		t.Fatal("a refused submission posted a card")
	}
	resp, err = submit(sw.alice, good)
	if err != nil || resp.Error != "" || len(resp.Errors) != 0 {
		t.Fatalf("good submission: %+v %v", resp, err)
	}
	card := sw.cards(sw.private)[0]
	if ms, _ := numberProp(card.GetProp("meeting_start_time")); ms != time.Date(2026, 3, 27, 14, 15, 0, 0, time.UTC).UnixMilli() || card.GetProp("meeting_topic") != "Planning" {
		t.Fatalf("card %v", card.GetProps())
	}
}

// countingLog counts the warnings and notes it is given.
type countingLog struct{ warnings, infos int }

func (l *countingLog) LogWarn(string, ...any) { l.warnings++ }
func (l *countingLog) LogInfo(string, ...any) { l.infos++ }

func TestReminderLeadFromEnvTakesOnlyAPositiveDuration(t *testing.T) {
	for _, tc := range []struct {
		value           string
		want            time.Duration
		warnings, infos int
	}{
		{"", 0, 0, 0},
		{"45s", 45 * time.Second, 0, 1},
		{"soon", 0, 1, 0},
		{"0s", 0, 1, 0},
		{"-1m", 0, 1, 0},
	} {
		log := &countingLog{}
		got := ReminderLeadFromEnv(func(name string) string {
			if name == EnvReminderLead {
				return tc.value
			}
			return ""
		}, log)
		if got != tc.want || log.warnings != tc.warnings || log.infos != tc.infos {
			t.Errorf("%s=%q: %v (%d warnings, %d notes), want %v (%d, %d)", EnvReminderLead, tc.value, got, log.warnings, log.infos, tc.want, tc.warnings, tc.infos)
		}
	}
}
