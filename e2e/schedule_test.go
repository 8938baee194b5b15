//go:build e2e

package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// setTimezone gives a user a manual Mattermost time zone.
func (e *env) setTimezone(user, zone string) {
	u := *e.h.User(user)
	u.Timezone = model.StringMap{"useAutomaticTimezone": "false", "manualTimezone": zone}
	e.h.Store().PutUser(&u)
}

// scheduled runs /zoom schedule as alice in town-square and returns the new card.
func (e *env) scheduled(text string) *model.Post {
	e.t.Helper()
	before := e.lastCard("town-square")
	e.command("alice", "town-square", "/zoom schedule "+text)
	card := e.lastCard("town-square")
	if card == nil || (before != nil && card.Id == before.Id) {
		e.t.Fatalf("/zoom schedule %s posted no card; alice saw: %s\nlog: %s", text, e.ephemeralText("alice"), e.problems())
	}
	return card
}

func (e *env) reminders(card *model.Post) []*model.Post {
	var out []*model.Post
	for _, p := range e.replies(card) {
		if strings.Contains(p.Message, "starts in") {
			out = append(out, p)
		}
	}
	return out
}

// nextSkippedHour finds the next day (after tomorrow) on which 02:30 does not exist in
// loc: the day its clocks go forward.
func nextSkippedHour(t *testing.T, loc *time.Location) time.Time {
	day := time.Now().In(loc).AddDate(0, 0, 2)
	for i := 0; i < 400; i++ {
		d := time.Date(day.Year(), day.Month(), day.Day()+i, 2, 30, 0, 0, loc)
		if d.Hour() != 2 {
			return d
		}
	}
	t.Fatalf("no clock change in %s within 400 days", loc)
	return time.Time{}
}

// The grammar through the loader: a time in alice's own zone becomes the card's UTC
// start and Zoom's start_time; a skipped hour and a past date get the accepted forms.
func TestScheduleCommandInTheUsersTimeZone(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	e.setTimezone("alice", "America/New_York")
	ny, _ := time.LoadLocation("America/New_York")

	card := e.scheduled("tomorrow 9:30 for 45m Design review")
	now := time.Now().In(ny)
	want := time.Date(now.Year(), now.Month(), now.Day()+1, 9, 30, 0, 0, ny)
	if ms, _ := num(card.GetProp("meeting_start_time")); ms != want.UnixMilli() || card.GetProp("meeting_status") != "SCHEDULED" {
		t.Fatalf("card start %v status %v, want %d", card.GetProp("meeting_start_time"), card.GetProp("meeting_status"), want.UnixMilli())
	}
	m, ok := e.sim.Meeting(e.cardMeetingID(card))
	if !ok || m.Type != 2 || m.StartTime != want.UTC().Format("2006-01-02T15:04:05Z") || m.Duration != 45 || m.Timezone != "America/New_York" {
		t.Fatalf("Zoom meeting %+v", m)
	}
	if fb := card.Attachments()[0].Fallback; !strings.Contains(fb, "at 09:30 (America/New_York)") {
		t.Fatalf("fallback %q does not state the time with its zone", fb)
	}

	skipped := nextSkippedHour(t, ny)
	e.command("alice", "town-square", "/zoom schedule "+skipped.Format("2006-01-02")+" 02:30")
	if got := e.lastEphemeral("alice").Message; !strings.Contains(got, "clocks change") || !strings.Contains(got, "/zoom schedule tomorrow 9:00") {
		t.Fatalf("skipped hour: %q", got)
	}
	e.command("alice", "town-square", "/zoom schedule 2020-01-06 10:00")
	if got := e.lastEphemeral("alice").Message; !strings.Contains(got, "already passed") {
		t.Fatalf("past date: %q", got)
	}
	if e.lastCard("town-square").Id != card.Id {
		t.Fatal("a refused schedule posted a card")
	}
}

// The reminder is a durable cluster job: scheduled by one node that then dies, picked
// up by two restarted nodes, posted exactly once in the card's thread.
func TestScheduleReminderOnceAcrossNodesAndRestarts(t *testing.T) {
	// A start 2-3 minutes away, and a reminder lead that makes it due 15 seconds
	// after this line: time for the first node to schedule it and stop first.
	now := time.Now().UTC()
	startAt := now.Truncate(time.Minute).Add(3 * time.Minute)
	t.Setenv("ZOOM_PLUGIN_REMINDER_LEAD", startAt.Sub(now.Add(15*time.Second)).String())

	a := start(t, nil)
	a.connect("alice")
	b := a.node()
	card := a.scheduled(startAt.Format("2006-01-02 15:04") + " Standup")
	a.h.Close() // the node that scheduled it is gone
	earlyReminders := len(a.reminders(card))

	if err := b.h.Restart(); err != nil {
		t.Fatal(err)
	}
	c := b.node() // a third process, also finding the job at activation
	b.waitFor("the reminder", func() bool { return len(b.reminders(card)) > 0 })
	if err := c.h.Restart(); err != nil { // a restart after it ran finds nothing to do
		t.Fatal(err)
	}
	reminders := b.reminders(card)
	if len(reminders) != 1 {
		t.Fatalf("%d reminders: %s", len(reminders), messages(reminders))
	}
	link, _ := card.GetProp("meeting_link").(string)
	if r := reminders[0]; r.RootId != card.Id || !strings.Contains(r.Message, link) || !strings.Contains(r.Message, "starts in") {
		t.Fatalf("reminder %q in thread %q", r.Message, r.RootId)
	}
	var rec struct {
		Reminded bool `json:"reminded"`
	}
	b.kvJSON("zoomschedule_"+card.Id, &rec)
	if !rec.Reminded {
		t.Fatal("the record does not say the reminder was posted")
	}
	for _, k := range b.h.KVKeys() {
		if strings.HasPrefix(k, "once_zoomremind_") {
			t.Fatalf("the reminder job %s is still stored", k)
		}
	}
	// Whether the first node still ran it before it closed depends on timing.
	t.Logf("reminders posted before the first node closed: %d", earlyReminders)
}

// Cancel from the card (only the creator), then a meeting whose time changed in Zoom.
func TestScheduleCancelAndTimeChangedInZoom(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	card := e.scheduled("friday 16:00 Retro")
	id := e.cardMeetingID(card)

	if resp := e.click("bob", card, "Cancel meeting"); !strings.Contains(resp.EphemeralText, "Only the person who scheduled") {
		t.Fatalf("bob's click: %+v", resp)
	}
	e.click("alice", card, "Cancel meeting")
	if _, ok := e.sim.Meeting(id); ok || e.sim.CountCalls(http.MethodDelete, "/v2/meetings/") != 1 {
		t.Fatal("the meeting was not deleted in Zoom")
	}
	got := e.h.Post(card.Id)
	if got.GetProp("meeting_status") != "CANCELLED" || !strings.Contains(got.Message, "cancelled") {
		t.Fatalf("card after cancel: %q %v", got.Message, got.GetProps())
	}
	for _, k := range e.h.KVKeys() {
		if strings.HasPrefix(k, "once_zoomremind_"+card.Id) {
			t.Fatalf("the cancelled meeting's reminder job %s is still stored", k)
		}
	}

	card = e.scheduled("monday 11:00 Planning")
	id = e.cardMeetingID(card)
	moved := time.Now().Add(72 * time.Hour).Truncate(time.Minute).UTC()
	e.mustWebhook(e.simEvent(e.sim.RescheduleMeeting(id, moved)), "meeting.updated")
	got = e.h.Post(card.Id)
	if ms, _ := num(got.GetProp("meeting_start_time")); ms != moved.UnixMilli() || !strings.Contains(got.Attachments()[0].Fallback, moved.Format("15:04")) {
		t.Fatalf("card after meeting.updated: %v %q", got.GetProp("meeting_start_time"), got.Attachments()[0].Fallback)
	}
	var rec struct {
		RemindAt int64 `json:"remind_at"`
	}
	e.kvJSON("zoomschedule_"+card.Id, &rec)
	if rec.RemindAt != moved.Add(-10*time.Minute).UnixMilli() {
		t.Fatalf("reminder at %d, want 10 minutes before the new start", rec.RemindAt)
	}
	if e.h.KVGet("once_zoomremind_"+card.Id+"_"+strconv.FormatInt(rec.RemindAt, 10)) == nil {
		t.Fatalf("no reminder job for the new time; keys %q", e.h.KVKeys())
	}

	e.mustWebhook(e.simEvent(e.sim.DeleteMeetingEvent(id)), "meeting.deleted")
	if got := e.h.Post(card.Id); got.GetProp("meeting_status") != "CANCELLED" {
		t.Fatalf("card after meeting.deleted: %v", got.GetProps())
	}
}

// /zoom schedule alone opens the form; its submission posts the card.
func TestScheduleDialog(t *testing.T) {
	e := start(t, nil)
	e.connect("alice")
	before := len(e.h.Dialogs(e.userID("alice")))
	e.command("alice", "town-square", "/zoom schedule")
	dialogs := e.h.Dialogs(e.userID("alice"))
	if len(dialogs) != before+1 {
		t.Fatalf("no dialog; alice saw %s", e.ephemeralText("alice"))
	}
	d := dialogs[len(dialogs)-1]
	date := time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02")
	req := model.SubmitDialogRequest{URL: d.URL, CallbackId: d.Dialog.CallbackId, State: d.Dialog.State, ChannelId: e.channelID("town-square"),
		Submission: map[string]any{"date": date, "time": "7:05", "duration": "90", "topic": "From the form"}}
	resp, err := e.h.SubmitDialog(e.userID("alice"), req)
	if err != nil || resp.Error != "" || len(resp.Errors) != 0 {
		t.Fatalf("submit: %+v %v", resp, err)
	}
	card := e.lastCard("town-square")
	if card == nil || card.GetProp("meeting_topic") != "From the form" || card.GetProp("meeting_status") != "SCHEDULED" {
		t.Fatalf("card %v", card)
	}
	if m, _ := e.sim.Meeting(e.cardMeetingID(card)); m.Duration != 90 || m.StartTime != date+"T07:05:00Z" {
		t.Fatalf("Zoom meeting %+v", m)
	}
}
