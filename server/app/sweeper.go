package app

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// The card sweeper ends cards whose meeting.ended webhook never arrived (Zoom gave up,
// the plugin was down, the webhook was misconfigured). Every card is tracked from the
// moment it is posted (store.OpenCard); one node of the cluster (a pluginapi cluster
// job) looks at tracked cards every SweepInterval, asks Zoom for the meeting's past
// instance, and ends the card with Zoom's real start and end. Each card has its own
// next-check time and attempt count, growing on every check that finds nothing (the
// meeting is still running, or Zoom failed), and is dropped after sweepMaxAge or
// sweepMaxAttempts. A card lease (store.ClaimOpenCard) keeps two sweeps (two nodes, or
// an overlapping run) from ending one card twice; the card is re-read right before it
// is ended, and endCard refuses an ended card, so a late webhook changes nothing.
const (
	// SweepInterval is how often the cluster job runs.
	SweepInterval = 5 * time.Minute

	sweepFirstCheck  = 15 * time.Minute
	sweepBaseBackoff = 15 * time.Minute
	sweepMaxBackoff  = 4 * time.Hour
	sweepMaxAge      = 7 * 24 * time.Hour
	sweepMaxAttempts = 60
	// sweepLease is a card's lease during its check. sweepCardTimeout bounds the check
	// well inside it, so a live node never outlasts its lease and a dead node's card is
	// checked again half a minute later.
	sweepLease       = 30 * time.Second
	sweepCardTimeout = 20 * time.Second
	sweepTimeout     = 4 * time.Minute
	// sweepStartSlack accepts a past instance found by meeting id that started a
	// little before the card (clocks differ; a subscription's card follows the start).
	sweepStartSlack = 10 * time.Minute
)

// SweepSchedule times the sweeper. Its zero value (and each zero field) means the
// production schedule; only tests shorten it, through the environment variables
// SweepScheduleFromEnv reads when the plugin activates.
type SweepSchedule struct {
	// Interval is how often the cluster job runs (SweepInterval).
	Interval time.Duration
	// FirstCheck is how long after posting a card is first checked (sweepFirstCheck).
	FirstCheck time.Duration
}

// backoff is the wait after a card's first fruitless check, doubling after each: a
// shortened first check shortens it alike.
func (s SweepSchedule) backoff() time.Duration { return min(s.FirstCheck, sweepBaseBackoff) }

// Environment variables that shorten the sweeper's schedule (Go durations, such as
// "500ms"), read once at activation. For tests: production leaves them unset.
const (
	EnvSweepInterval   = "ZOOM_PLUGIN_SWEEP_INTERVAL"
	EnvSweepFirstCheck = "ZOOM_PLUGIN_SWEEP_FIRST_CHECK"
	// minSweepDuration is the shortest value the variables accept.
	minSweepDuration = 100 * time.Millisecond
)

// SweepScheduleFromEnv reads the schedule's environment variables with getenv
// (os.Getenv); see jobs.DurationFromEnv.
func SweepScheduleFromEnv(getenv func(string) string) (s SweepSchedule, problems []string) {
	read := func(name string, def time.Duration) time.Duration {
		d, problem := jobs.DurationFromEnv(getenv, name, minSweepDuration, def)
		if problem != "" {
			problems = append(problems, problem)
		}
		return d
	}
	return SweepSchedule{Interval: read(EnvSweepInterval, SweepInterval), FirstCheck: read(EnvSweepFirstCheck, sweepFirstCheck)}, problems
}

// orDefaults fills the zero fields with the production schedule.
func (s SweepSchedule) orDefaults() SweepSchedule {
	s.Interval = cmp.Or(s.Interval, SweepInterval)
	s.FirstCheck = cmp.Or(s.FirstCheck, sweepFirstCheck)
	return s
}

// trackOpenCard starts tracking a card that was just posted.
func (a *App) trackOpenCard(post *model.Post, meetingID int64, uuid, userID string) {
	if post == nil || propsOf(post).ended() {
		return
	}
	now := a.now()
	rec := store.OpenCard{
		PostID: post.Id, ChannelID: post.ChannelId, MeetingID: meetingID, UUID: uuid, UserID: userID,
		PostedAt: now.UnixMilli(), NextCheck: now.Add(a.sweep.FirstCheck).UnixMilli(),
	}
	if err := a.kv.TrackOpenCard(rec); err != nil {
		a.host.LogWarn("Could not track the meeting's card; it ends only by webhook", "error", err.Error())
	}
}

// SweepResult counts what one sweep did.
type SweepResult struct {
	Checked, Ended, Dropped, Flushed int
}

// SweepOpenCards is the cluster job's body.
func (a *App) SweepOpenCards() {
	if a.Settings() == nil {
		return
	}
	// Deactivation (StopLiveUpdates) cancels a sweep in progress.
	ctx, cancel := context.WithTimeout(a.live.ctx, sweepTimeout)
	defer cancel()
	res := a.sweepOpenCards(ctx)
	log := a.host.LogDebug
	if res.Ended > 0 || res.Dropped > 0 {
		log = a.host.LogInfo
	}
	log("Zoom card sweep", "checked", res.Checked, "ended", res.Ended, "dropped", res.Dropped, "flushed", res.Flushed)
}

func (a *App) sweepOpenCards(ctx context.Context) SweepResult {
	var res SweepResult
	a.forEachID(ctx, "open meeting cards", a.kv.OpenCardIDs, func(id string) { a.sweepCard(ctx, id, &res) })
	// Participant updates whose timer died with its process.
	a.forEachID(ctx, "meeting participants", a.kv.ParticipantPostIDs, func(id string) {
		if s, err := a.kv.GetParticipants(id); err == nil && (s.Version > s.Flushed || !s.Final) {
			a.flushCard(ctx, id)
			res.Flushed++
		}
	})
	return res
}

// forEachID calls fn with each id list returns, until ctx ends.
func (a *App) forEachID(ctx context.Context, what string, list func() ([]string, error), fn func(id string)) {
	ids, err := list()
	if err != nil {
		a.host.LogWarn("Could not list "+what, "error", err.Error())
		return
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			return
		}
		fn(id)
	}
}

// sweepCard checks one tracked card if its check is due.
func (a *App) sweepCard(ctx context.Context, postID string, res *SweepResult) {
	now := a.now()
	owner := a.jobs.Owner()
	rec, err := a.kv.ClaimOpenCard(postID, owner, now, now.Add(sweepLease))
	if errors.Is(err, store.ErrCardBusy) || (err == nil && rec == nil) {
		return
	}
	if err != nil {
		a.host.LogWarn("Could not claim an open card", "post_id", postID, "error", err.Error())
		return
	}
	res.Checked++
	ctx, cancel := context.WithTimeout(ctx, sweepCardTimeout)
	defer cancel()
	forget := func() {
		if err := a.kv.ForgetOpenCard(postID); err != nil {
			a.host.LogWarn("Could not stop tracking a card", "post_id", postID, "error", err.Error())
		}
	}
	card := a.cardPost(postID)
	switch {
	case card == nil || propsOf(card).ended():
		// Deleted, or ended by webhook: only the attendee summary may be missing (a
		// deleted card's participants are dropped).
		forget()
		a.flushCard(ctx, postID)
		return
	case now.Sub(time.UnixMilli(rec.PostedAt)) > sweepMaxAge || rec.Attempts >= sweepMaxAttempts:
		a.host.LogInfo("Giving up on ending a meeting card: Zoom never reported its meeting as ended",
			"post_id", postID, "meeting_id", rec.MeetingID, "attempts", rec.Attempts)
		forget()
		res.Dropped++
		return
	}
	past, err := a.findPastMeeting(ctx, rec, card)
	if err == nil && past != nil {
		var ended bool
		if ended, err = a.endCardFromZoom(postID, past); err == nil {
			if ended {
				res.Ended++
			}
			forget()
			a.flushCard(ctx, postID)
			return
		}
	}
	if err != nil {
		a.host.LogDebug("Could not check a meeting card with Zoom", "post_id", postID, "error", err.Error())
	}
	wait := min(a.sweep.backoff()<<min(rec.Attempts, 10), sweepMaxBackoff)
	if err := a.kv.ReleaseOpenCard(postID, owner, rec.Attempts+1, now.Add(wait)); err != nil {
		a.host.LogWarn("Could not save a card's next check", "post_id", postID, "error", err.Error())
	}
}

// findPastMeeting asks Zoom for the card's ended instance: by the card's uuid, then by
// meeting id (the latest instance: personal rooms and recurring meetings start new
// instances). nil, nil means Zoom has no ended instance yet.
func (a *App) findPastMeeting(ctx context.Context, rec *store.OpenCard, card *model.Post) (*zoom.PastMeeting, error) {
	who, err := a.identityFor(ctx, rec.UserID)
	if err != nil {
		return nil, err
	}
	if uuid := cmp.Or(propsOf(card).uuid(), rec.UUID); uuid != "" {
		pm, err := who.snap.zoom.GetPastMeeting(ctx, who.accessToken, uuid)
		if err == nil {
			return pm, nil
		}
		if !zoom.IsNotFound(err) {
			return nil, err
		}
	}
	if rec.MeetingID == 0 {
		return nil, nil
	}
	pm, err := who.snap.zoom.GetPastMeeting(ctx, who.accessToken, strconv.FormatInt(rec.MeetingID, 10))
	if zoom.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if start, err := time.Parse(time.RFC3339, pm.StartTime); err != nil || start.Before(propsOf(card).start().Add(-sweepStartSlack)) {
		return nil, nil // an earlier instance of the meeting, not the card's
	}
	return pm, nil
}

// endCardFromZoom ends a card with a past instance's real start and end. The card is
// read again first, so a webhook that ended it meanwhile wins and nothing changes.
func (a *App) endCardFromZoom(postID string, pm *zoom.PastMeeting) (bool, error) {
	card := a.cardPost(postID)
	if card == nil || propsOf(card).ended() {
		return false, nil
	}
	end := zoomTime(pm.EndTime, a.now())
	if start, err := time.Parse(time.RFC3339, pm.StartTime); err == nil && !start.After(end) {
		propsOf(card).setStart(start)
	}
	if !a.endCard(card, end) {
		return false, nil
	}
	if _, appErr := a.host.UpdatePost(card); appErr != nil {
		return false, appErr
	}
	return true, nil
}
