package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Limits of what the participant state puts on a card.
const (
	// At most this many names go into a prop; the count props carry the totals.
	maxListedParticipants = 50
	maxListedAttendees    = 100
	// Names shown in the attachment fallback before "and N more".
	maxNamesInText = 20

	// The card's participant lines, in the channel's language (channelT).
	liveLineID     = "card.live"
	attendeeLineID = "card.attended"

	// reportMaxAttempts bounds retries of Zoom's participants report (outages only;
	// an account that may not read it is answered at once).
	reportMaxAttempts = 3
	reportRetry       = time.Minute
)

// flushCard writes a card's participant state onto the card, DMs the creator about
// people waiting, and on an ended card completes the attendee list (with Zoom's
// participants report) once. It returns when to try again (0: nothing left to do).
func (a *App) flushCard(ctx context.Context, postID string) time.Duration {
	// Most calls (the sweeper's, every few minutes for every open card) find nothing to
	// do: look before taking the lock, which costs two KV writes.
	if card, _, wait := a.flushDue(postID); card == nil {
		return wait
	}
	// One node at a time writes a card. A node that finds it busy comes back soon
	// rather than waiting: the sweeper has other cards, and the wait would eat into
	// the time Zoom's participants report needs.
	lockCtx, cancel := context.WithTimeout(ctx, flushDelay)
	unlock, err := a.lock(lockCtx, store.FlushLockKey(postID))
	cancel()
	if err != nil {
		return flushDelay
	}
	defer unlock()
	// Again under the lock: another node may have written the card meanwhile.
	card, s, wait := a.flushDue(postID)
	if card == nil {
		return wait
	}
	report, reportErr := "", error(nil)
	if propsOf(card).ended() && !s.Final {
		report, reportErr = a.mergeReport(ctx, card, &s)
	}
	a.resolveUsernames(&s)
	a.notifyWaiting(card, &s)

	// Re-read the card right before writing it: a webhook may have ended it meanwhile.
	if fresh := a.cardPost(postID); fresh != nil {
		card = fresh
	}
	if propsOf(card).ended() {
		a.applyAttendees(card, &s)
	} else {
		a.applyLive(card, &s)
	}
	if _, appErr := a.host.UpdatePost(card); appErr != nil {
		a.host.LogWarn("Could not update a meeting card's participants", "post_id", postID, "error", appErr.Error())
		return flushInterval
	}
	return a.recordFlush(postID, s, report, reportErr)
}

// flushDue reads a card and its participant state. It returns the card when an update
// is due now, else nil and when to look again (0: nothing left to do).
func (a *App) flushDue(postID string) (*model.Post, store.Participants, time.Duration) {
	s, err := a.kv.GetParticipants(postID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		a.host.LogWarn("Could not read a meeting's participants", "post_id", postID, "error", err.Error())
		return nil, s, flushInterval
	}
	dirty := s.Version > s.Flushed
	if !dirty && s.Final {
		return nil, s, 0
	}
	card := a.cardPost(postID)
	if card == nil {
		if err := a.kv.Delete(store.ParticipantsKey(postID)); err != nil {
			a.host.LogWarn("Could not drop the participants of a deleted card", "error", err.Error())
		}
		return nil, s, 0
	}
	ended := propsOf(card).ended()
	if !dirty && !ended {
		return nil, s, 0
	}
	if !ended && s.LastFlush > 0 {
		if wait := time.UnixMilli(s.LastFlush).Add(flushInterval).Sub(a.now()); wait > 0 {
			return nil, s, wait
		}
	}
	if s.People == nil {
		s.People = map[string]*store.Participant{}
	}
	return card, s, 0
}

// recordFlush records what was written from s: the version, the usernames found, whom
// the creator was told about and the report's outcome. It returns when to try again.
func (a *App) recordFlush(postID string, s store.Participants, report string, reportErr error) time.Duration {
	var retry time.Duration
	// The spacing counts from the write: a slow update followed by a quick one must not
	// land less than flushInterval apart.
	written := a.now()
	err := a.kv.UpdateParticipants(postID, func(cur *store.Participants) (bool, error) {
		retry = 0
		cur.LastFlush = written.UnixMilli()
		cur.Flushed = max(cur.Flushed, s.Version)
		for key, p := range s.People {
			c := cur.People[key]
			if c == nil {
				if len(cur.People) < store.MaxTrackedParticipants {
					cur.People[key] = p // added by the report
				}
				continue
			}
			if p.Resolved && c.Email == p.Email {
				c.Username, c.Resolved = p.Username, true
			}
			c.Notified = c.Notified || p.Notified
		}
		switch {
		case report != "":
			cur.Report, cur.Final = report, true
		case reportErr != nil:
			cur.ReportAttempts++
			if cur.ReportAttempts >= reportMaxAttempts {
				cur.Report, cur.Final = "unavailable", true
			} else {
				retry = reportRetry
			}
		}
		if cur.Version > cur.Flushed {
			retry = flushInterval
		}
		return true, nil
	})
	if err != nil {
		a.host.LogWarn("Could not record a card update", "post_id", postID, "error", err.Error())
		return flushInterval
	}
	if report != "" {
		if err := a.kv.ForgetOpenCard(postID); err != nil {
			a.host.LogWarn("Could not stop tracking an ended card", "error", err.Error())
		}
	}
	return retry
}

// resolveUsernames matches participants to Mattermost users by email, once each.
func (a *App) resolveUsernames(s *store.Participants) {
	for _, p := range s.People {
		if p.Resolved || p.Email == "" {
			continue
		}
		p.Resolved = true
		if u, appErr := a.host.GetUserByEmail(p.Email); appErr == nil && u != nil && u.DeleteAt == 0 && emailTrusted(u) {
			p.Username = u.Username
		}
	}
}

// cardOwner is the Mattermost user behind a card: whose Zoom identity reads the
// meeting's reports and who is told about people waiting.
func (a *App) cardOwner(card *model.Post) string {
	if rec, err := a.kv.GetOpenCard(card.Id); err == nil && rec.UserID != "" {
		return rec.UserID
	}
	if card.UserId != "" && card.UserId != a.botUserID {
		return card.UserId
	}
	if id := propsOf(card).meetingID(); id > 0 {
		if mc, err := a.kv.GetMeetingChannel(id); err == nil {
			return mc.CreatedBy
		}
	}
	return ""
}

// mergeReport adds the people of Zoom's participants report to the state. It returns
// "done" or "unavailable" when the attendee list is final, or "" with an error when a
// later try may succeed.
func (a *App) mergeReport(ctx context.Context, card *model.Post, s *store.Participants) (string, error) {
	uuid := propsOf(card).uuid()
	if id := propsOf(card).meetingID(); uuid == "" && id > 0 {
		uuid = fmt.Sprint(id) // the latest instance of the meeting
	}
	owner := a.cardOwner(card)
	if uuid == "" || owner == "" {
		return "unavailable", nil
	}
	who, err := a.identityFor(ctx, owner)
	if err != nil {
		if noZoomIdentity(err) {
			return "unavailable", nil
		}
		return "", err
	}
	people, _, err := who.snap.zoom.ListPastMeetingParticipants(ctx, who.accessToken, uuid)
	if err != nil {
		if zoom.IsRefusedForGood(err) {
			// Free accounts, missing scopes, and meetings Zoom no longer knows.
			a.host.LogDebug("Zoom's participants report is not available", "error", err.Error())
			return "unavailable", nil
		}
		return "", err
	}
	mergeReportPeople(s, people)
	return "done", nil
}

// mergeReportPeople marks report entries as attendees, matching people already known
// from events by email, Zoom user id or name.
func mergeReportPeople(s *store.Participants, people []zoom.PastParticipant) {
	for i, rp := range people {
		var match *store.Participant
		for _, p := range s.People {
			if (rp.UserEmail != "" && strings.EqualFold(p.Email, rp.UserEmail)) ||
				(rp.ID != "" && p.ZoomID == rp.ID) || (rp.UserEmail == "" && rp.ID == "" && p.Name == rp.Name) {
				match = p
				break
			}
		}
		if match != nil {
			match.Attended = true
			continue
		}
		if rp.Name == "" && rp.UserEmail == "" {
			continue
		}
		key := "report:" + strings.ToLower(rp.UserEmail)
		if rp.UserEmail == "" {
			key = "report:" + rp.ID + ":" + rp.Name
		}
		if s.People[key] != nil || len(s.People) >= store.MaxTrackedParticipants {
			continue
		}
		// Report entries keep the report's order after everyone seen live.
		s.People[key] = &store.Participant{Name: rp.Name, Email: rp.UserEmail, ZoomID: rp.ID, State: store.ParticipantLeft,
			Attended: true, First: 1<<62 + int64(i)}
	}
}

// waitingLines are the DM's lines about people waiting for the host, then in the
// waiting room: the message ids for one person and for several.
var waitingLines = []struct {
	forHost   bool
	one, many string
}{
	{true, "waiting.forHostOne", "waiting.forHostMany"},
	{false, "waiting.inRoomOne", "waiting.inRoomMany"},
}

// notifyWaiting DMs the card's owner about people waiting for them, once per person
// (marked Notified, even when there is no one to tell).
func (a *App) notifyWaiting(card *model.Post, s *store.Participants) {
	waiting := map[bool][]*store.Participant{} // by whether they wait for the host
	for _, key := range orderedKeys(s) {
		if p := s.People[key]; p.State == store.ParticipantWaiting && !p.Notified {
			p.Notified = true
			forHost := p.WaitingFor == "host"
			waiting[forHost] = append(waiting[forHost], p)
		}
	}
	if len(waiting) == 0 || propsOf(card).ended() {
		return
	}
	owner := a.cardOwner(card)
	if owner == "" {
		return
	}
	// A DM is read by its owner alone: their language.
	t := a.translator(owner)
	topic := escapeMarkdown(propsOf(card).topic())
	var lines []string
	for _, l := range waitingLines {
		people := waiting[l.forHost]
		if len(people) == 0 {
			continue
		}
		names := make([]string, len(people))
		for i, p := range people {
			names[i] = displayName(p, t("names.guest"))
		}
		id := l.many
		if len(people) == 1 {
			id = l.one
		}
		lines = append(lines, t(id, i18n.Args{"names": namesText(t, names, maxNamesInText), "topic": topic}))
	}
	if link := propsOf(card).link(); link != "" {
		lines = append(lines, t("waiting.open", i18n.Args{"link": linkTarget(link)}))
	}
	a.directMessage(owner, strings.Join(lines, "\n"))
}

// orderedKeys sorts participants by first appearance, then name.
func orderedKeys(s *store.Participants) []string {
	keys := slices.Collect(maps.Keys(s.People))
	slices.SortFunc(keys, func(x, y string) int {
		a, b := s.People[x], s.People[y]
		return cmp.Or(cmp.Compare(a.First, b.First), strings.Compare(a.Name, b.Name), strings.Compare(x, y))
	})
	return keys
}

// displayName is @username for a matched Mattermost user, else the Zoom name, else
// guest (translated by the caller).
func displayName(p *store.Participant, guest string) string {
	if p.Username != "" {
		return "@" + p.Username
	}
	// A Zoom name is chosen by whoever joins: it never becomes a mention.
	return cmp.Or(strings.TrimLeft(strings.TrimSpace(p.Name), "@"), guest)
}

// namesOf lists the people include selects, each name once, and counts them (live:
// connections).
func namesOf(s *store.Participants, guest string, include func(*store.Participant) bool) ([]string, int) {
	var names []string
	seen := map[string]bool{}
	count := 0
	for _, key := range orderedKeys(s) {
		p := s.People[key]
		if !include(p) {
			continue
		}
		count++
		if n := displayName(p, guest); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return names, count
}

func isIn(p *store.Participant) bool { return p.State == store.ParticipantIn }

func attended(p *store.Participant) bool { return p.Attended }

// namesText is "a, b and c", or "a, b and 7 more" past limit names, escaped for
// markdown (@mentions stay mentions), in t's language.
func namesText(t func(string, ...i18n.Args) string, names []string, limit int) string {
	shown := names[:min(len(names), limit)]
	more := len(names) - len(shown)
	esc := make([]string, len(shown))
	for i, n := range shown {
		if strings.HasPrefix(n, "@") {
			esc[i] = n
		} else {
			esc[i] = escapeMarkdown(n)
		}
	}
	switch {
	case more > 0:
		return t("names.more", i18n.Args{"names": strings.Join(esc, ", "), "count": more})
	case len(esc) > 1:
		return t("names.last", i18n.Args{"names": strings.Join(esc[:len(esc)-1], ", "), "last": esc[len(esc)-1]})
	}
	return strings.Join(esc, "")
}

// capped is the first limit names, never nil (the props hold a list).
func capped(names []string, limit int) []string {
	return append([]string{}, names[:min(len(names), limit)]...)
}

// applyLive puts the live participants on a STARTED card.
func (a *App) applyLive(card *model.Post, s *store.Participants) {
	names, count := namesOf(s, a.channelT("names.guest"), isIn)
	propsOf(card).setParticipants(count, capped(names, maxListedParticipants))
	line := ""
	if count > 0 {
		line = a.channelT(liveLineID, i18n.Args{"count": count, "names": namesText(a.channelT, names, maxNamesInText)})
	}
	setAttachmentLine(card, a.linePrefixes(liveLineID), line)
}

// applyAttendees puts the attendee summary on an ENDED card and drops the live props.
func (a *App) applyAttendees(card *model.Post, s *store.Participants) {
	names, _ := namesOf(s, a.channelT("names.guest"), attended)
	propsOf(card).dropParticipants()
	setAttachmentLine(card, a.linePrefixes(liveLineID), "")
	if len(names) == 0 {
		return
	}
	propsOf(card).setAttendees(capped(names, maxListedAttendees), len(names))
	line := a.channelT(attendeeLineID, i18n.Args{"count": len(names), "names": namesText(a.channelT, names, maxNamesInText)})
	setAttachmentLine(card, a.linePrefixes(attendeeLineID), line)
}

// linePrefixes are the starts of a card line (its text before the first placeholder)
// in every language, so a change of the server's default language leaves no stale
// line behind.
func (a *App) linePrefixes(id string) []string {
	var out []string
	for _, lang := range a.tr.loc.Languages() {
		text := a.tr.loc.Messages(lang)[id]
		if i := strings.Index(text, "{"); i > 0 {
			text = text[:i]
		}
		if text != "" {
			out = append(out, text)
		}
	}
	return out
}

// setAttachmentLine replaces (or removes, when line is "") the line of the card's
// fallback attachment that starts with one of prefixes.
func setAttachmentLine(card *model.Post, prefixes []string, line string) {
	atts := card.Attachments()
	if len(atts) == 0 {
		return
	}
	att := atts[0]
	var kept []string
	for _, l := range strings.Split(att.Text, "\n") {
		if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(l, p) }) {
			kept = append(kept, l)
		}
	}
	for len(kept) > 0 && kept[len(kept)-1] == "" {
		kept = kept[:len(kept)-1]
	}
	if line != "" {
		kept = append(kept, "", line)
	}
	att.Text = strings.Join(kept, "\n")
	model.ParseSlackAttachment(card, atts)
}
