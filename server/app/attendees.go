package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
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
	// Most calls (the sweeper's) find nothing to do: look before taking the lock.
	if card, _, wait := a.flushDue(postID); card == nil {
		return wait
	}
	// One node at a time writes a card.
	unlock, err := a.lock(ctx, store.FlushLockKey(postID))
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
	waiting := a.notifyWaiting(card, &s)

	// Re-read the card right before writing it: a webhook may have ended it meanwhile.
	if fresh := a.cardPost(postID); fresh != nil {
		card = fresh
	}
	lines := a.lineWriter()
	if propsOf(card).ended() {
		lines.applyAttendees(card, &s)
	} else {
		lines.applyLive(card, &s)
	}
	if _, appErr := a.host.UpdatePost(card); appErr != nil {
		a.host.LogWarn("Could not update a meeting card's participants", "post_id", postID, "error", appErr.Error())
		return flushInterval
	}
	return a.recordFlush(postID, s, waiting, report, reportErr)
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
func (a *App) recordFlush(postID string, s store.Participants, waiting map[string]bool, report string, reportErr error) time.Duration {
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
					cp := *p
					cur.People[key] = &cp // added by the report
				}
				continue
			}
			if p.Resolved && c.Email == p.Email {
				c.Username, c.Resolved = p.Username, true
			}
			if waiting[key] {
				c.Notified = true
			}
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
	if uuid == "" {
		if id := propsOf(card).meetingID(); id > 0 {
			uuid = fmt.Sprint(id) // the latest instance of the meeting
		}
	}
	owner := a.cardOwner(card)
	if uuid == "" || owner == "" {
		return "unavailable", nil
	}
	who, err := a.identityFor(ctx, owner)
	if err != nil {
		if errors.Is(err, ErrNotConnected) || errors.Is(err, ErrReconnect) || errors.Is(err, ErrAdminNotConnected) || errors.Is(err, ErrZoomUserNotFound) {
			return "unavailable", nil
		}
		return "", err
	}
	people, _, err := who.snap.zoom.ListPastMeetingParticipants(ctx, who.accessToken, uuid)
	if err != nil {
		var ae *zoom.APIError
		if errors.As(err, &ae) && ae.StatusCode >= 400 && ae.StatusCode < 500 && ae.StatusCode != http.StatusTooManyRequests {
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

// notifyWaiting DMs the card's owner about people waiting for them, once per person,
// and returns whom it told about.
func (a *App) notifyWaiting(card *model.Post, s *store.Participants) map[string]bool {
	var forHost, inRoom []*store.Participant
	told := map[string]bool{}
	for _, key := range orderedKeys(s) {
		p := s.People[key]
		if p.State != store.ParticipantWaiting || p.Notified {
			continue
		}
		told[key] = true
		if p.WaitingFor == "host" {
			forHost = append(forHost, p)
		} else {
			inRoom = append(inRoom, p)
		}
	}
	if len(told) == 0 || propsOf(card).ended() {
		return told
	}
	owner := a.cardOwner(card)
	if owner == "" {
		return told
	}
	topic, link := propsOf(card).topic(), propsOf(card).link()
	// A DM is read by its owner alone: their language.
	t := func(id string, args ...i18n.Args) string { return a.t(owner, id, args...) }
	names := func(people []*store.Participant) string {
		out := make([]string, len(people))
		for i, p := range people {
			out[i] = displayName(p, t("names.guest"))
		}
		return namesText(t, out, maxNamesInText)
	}
	var lines []string
	topic = escapeMarkdown(topic)
	if len(forHost) > 0 {
		id := "waiting.forHostMany"
		if len(forHost) == 1 {
			id = "waiting.forHostOne"
		}
		lines = append(lines, t(id, i18n.Args{"names": names(forHost), "topic": topic}))
	}
	if len(inRoom) > 0 {
		id := "waiting.inRoomMany"
		if len(inRoom) == 1 {
			id = "waiting.inRoomOne"
		}
		lines = append(lines, t(id, i18n.Args{"names": names(inRoom), "topic": topic}))
	}
	if link != "" {
		lines = append(lines, t("waiting.open", i18n.Args{"link": linkTarget(link)}))
	}
	a.directMessage(owner, strings.Join(lines, "\n"))
	return told
}

// orderedKeys sorts participants by first appearance, then name.
func orderedKeys(s *store.Participants) []string {
	keys := make([]string, 0, len(s.People))
	for k := range s.People {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := s.People[keys[i]], s.People[keys[j]]
		if a.First != b.First {
			return a.First < b.First
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return keys[i] < keys[j]
	})
	return keys
}

// displayName is @username for a matched Mattermost user, else the Zoom name, else
// guest (translated by the caller).
func displayName(p *store.Participant, guest string) string {
	switch {
	case p.Username != "":
		return "@" + p.Username
	case strings.TrimLeft(strings.TrimSpace(p.Name), "@") != "":
		// A Zoom name is chosen by whoever joins: it never becomes a mention.
		return strings.TrimLeft(strings.TrimSpace(p.Name), "@")
	}
	return guest
}

// liveNames lists who is in the meeting now; the count is of connections, names are
// listed once.
func liveNames(s *store.Participants, guest string) ([]string, int) {
	var names []string
	seen := map[string]bool{}
	count := 0
	for _, key := range orderedKeys(s) {
		p := s.People[key]
		if p.State != store.ParticipantIn {
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

// attendeeNames lists everyone who was in the meeting, once per name.
func attendeeNames(s *store.Participants, guest string) []string {
	var names []string
	seen := map[string]bool{}
	for _, key := range orderedKeys(s) {
		p := s.People[key]
		if !p.Attended {
			continue
		}
		if n := displayName(p, guest); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return names
}

// namesText is "a, b and c", or "a, b and 7 more" past limit names, escaped for
// markdown (@mentions stay mentions), in t's language.
func namesText(t func(string, ...i18n.Args) string, names []string, limit int) string {
	shown := names
	more := 0
	if len(names) > limit {
		shown, more = names[:limit], len(names)-limit
	}
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

func capped(names []string, limit int) []string {
	if len(names) > limit {
		return names[:limit]
	}
	if names == nil {
		return []string{}
	}
	return names
}

// cardLines writes a card's participant lines in the channel's language. It finds
// the line to replace by its start in any language, so a change of the server's
// default language leaves no stale line behind.
type cardLines struct {
	t        func(string, ...i18n.Args) string
	prefixes map[string][]string // line id → its text before the first {placeholder}, per language
}

func (a *App) lineWriter() *cardLines {
	c := &cardLines{t: a.channelT, prefixes: map[string][]string{}}
	for _, id := range []string{liveLineID, attendeeLineID} {
		for _, lang := range a.tr.loc.Languages() {
			text := a.tr.loc.Messages(lang)[id]
			if i := strings.Index(text, "{"); i > 0 {
				text = text[:i]
			}
			if text != "" {
				c.prefixes[id] = append(c.prefixes[id], text)
			}
		}
	}
	return c
}

// applyLive puts the live participants on a STARTED card.
func (c *cardLines) applyLive(card *model.Post, s *store.Participants) {
	names, count := liveNames(s, c.t("names.guest"))
	propsOf(card).setParticipants(count, capped(names, maxListedParticipants))
	line := ""
	if count > 0 {
		line = c.t(liveLineID, i18n.Args{"count": count, "names": namesText(c.t, names, maxNamesInText)})
	}
	setAttachmentLine(card, c.prefixes[liveLineID], line)
}

// applyAttendees puts the attendee summary on an ENDED card and drops the live props.
func (c *cardLines) applyAttendees(card *model.Post, s *store.Participants) {
	names := attendeeNames(s, c.t("names.guest"))
	propsOf(card).dropParticipants()
	setAttachmentLine(card, c.prefixes[liveLineID], "")
	if len(names) == 0 {
		return
	}
	propsOf(card).setAttendees(capped(names, maxListedAttendees), len(names))
	setAttachmentLine(card, c.prefixes[attendeeLineID], c.t(attendeeLineID, i18n.Args{"count": len(names), "names": namesText(c.t, names, maxNamesInText)}))
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
