package app

import (
	"slices"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Meetings with several cards: /zoom join shares a meeting in two channels, a
// subscribed meeting is also shared elsewhere, a personal room is started twice.
// post_meeting_<uuid> and meeting_channel_<id> name one card each (their shapes are
// fixed by existing installations), so:
//
//   - The first card of an instance keeps post_meeting_<uuid> (ClaimMeetingPost never
//     overwrites it): the "primary" card, the one recordings and live participants go to.
//   - A card that finds another open card of its meeting lists both in the index
//     zoommeetingcards_<meetingID>, and every open card listed gets meeting_more_cards.
//     Subscription cards always list themselves: their uuids may differ.
//   - meeting.ended reads the index only for a card with the mark, and ends the others.
//     A meeting with one card costs what it always did.
//
// Marking an older card (GetPost + UpdatePost, once per card) can race a concurrent
// write of it; the sweeper still ends whatever a lost mark leaves.
//
// otherCardSlack lets a card posted just after Zoom's end time (which has whole seconds,
// and another clock) still end with it; a card posted later belongs to a later instance.
const otherCardSlack = time.Minute

// joinCardGroup lists a just-posted card with the other cards of its meeting and marks
// every open card of the group. Unless always is set (subscriptions, which must meet
// cards they cannot see yet), others that are ended or gone make no group at all.
func (a *App) joinCardGroup(meetingIDs []int64, post *model.Post, others []string, always bool) {
	read := map[string]*model.Post{}
	openCard := func(id string) *model.Post {
		p, ok := read[id]
		if !ok {
			p = a.cardPost(id)
			if p != nil && propsOf(p).ended() {
				p = nil
			}
			read[id] = p
		}
		return p
	}
	var candidates []string
	for _, id := range others {
		if id != "" && id != post.Id && !slices.Contains(candidates, id) && (always || openCard(id) != nil) {
			candidates = append(candidates, id)
		}
	}
	if len(candidates) == 0 && !always {
		return
	}
	listed := slices.Clone(candidates)
	for _, mid := range meetingIDs {
		ids, err := a.kv.AddMeetingCards(mid, append([]string{post.Id}, candidates...)...)
		if err != nil {
			a.host.LogWarn("Could not list the meeting's cards; the others end by the sweeper", "meeting_id", mid, "error", err.Error())
			continue
		}
		listed = append(listed, ids...)
	}
	open := 0
	slices.Sort(listed)
	for _, id := range slices.Compact(listed) {
		if id == post.Id {
			continue
		}
		if p := openCard(id); p != nil {
			open++
			a.markMoreCards(p)
		}
	}
	if open > 0 && !propsOf(post).ended() {
		a.markMoreCards(post)
	}
}

func (a *App) markMoreCards(p *model.Post) {
	if propsOf(p).moreCards() {
		return
	}
	propsOf(p).setMoreCards()
	if _, appErr := a.host.UpdatePost(p); appErr != nil {
		a.host.LogWarn("Could not mark a card of a meeting with several cards", "post_id", p.Id, "error", appErr.Error())
	}
}

// endOtherCards ends the open cards listed for a meeting besides skip (the card the
// webhook found). Each card ends once: endCard skips ended ones, so a repeated
// meeting.ended writes nothing. A card posted after the end belongs to a later instance
// and is left alone. A failed update answers 503 so Zoom's retry finishes the rest.
func (a *App) endOtherCards(meetingID int64, skip string, end time.Time) error {
	if meetingID == 0 {
		return nil
	}
	ids, err := a.kv.MeetingCardIDs(meetingID)
	if err != nil {
		return unavailable(err)
	}
	var failed error
	for _, id := range ids {
		if id == skip {
			continue
		}
		card := a.cardPost(id)
		if card == nil || propsOf(card).start().After(end.Add(otherCardSlack)) || !a.endCard(card, end) {
			continue
		}
		if _, appErr := a.host.UpdatePost(card); appErr != nil {
			failed = appErr
			continue
		}
		a.live.schedule(card.Id, endedFlushDelay)
	}
	if failed != nil {
		return unavailable(failed)
	}
	return nil
}
