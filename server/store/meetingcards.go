package store

import "slices"

// The card index of a meeting that has more than one card (ours): the same meeting
// shared in two channels, shared where it is also subscribed, or a personal room
// started twice. post_meeting_<uuid> and meeting_channel_<id> name one card each
// (their shapes are fixed by existing installations), so the other cards are listed
// here for meeting.ended to end them too.
const (
	meetingCardsPrefix = "zoommeetingcards_"
	// MaxMeetingCards bounds an index; the oldest cards (long ended, most likely) are
	// dropped first, and the sweeper still ends anything an index forgot.
	MaxMeetingCards = 50
)

// MeetingCards is the value of zoommeetingcards_<meetingID>.
type MeetingCards struct {
	PostIDs []string `json:"post_ids"`
}

// MeetingCardsKey names a meeting's card index.
func MeetingCardsKey(meetingID int64) string { return meetingKey(meetingCardsPrefix, meetingID) }

// AddMeetingCards adds cards to a meeting's index (compare-and-set, 24 h from the last
// addition) and returns every card it lists.
func (kv *KV) AddMeetingCards(meetingID int64, postIDs ...string) ([]string, error) {
	var out []string
	err := UpdateJSON(kv, MeetingCardsKey(meetingID), MeetingTTL, func(idx *MeetingCards) (bool, error) {
		changed := false
		for _, id := range postIDs {
			if id != "" && !slices.Contains(idx.PostIDs, id) {
				idx.PostIDs = append(idx.PostIDs, id)
				changed = true
			}
		}
		if n := len(idx.PostIDs) - MaxMeetingCards; n > 0 {
			idx.PostIDs = idx.PostIDs[n:]
		}
		out = slices.Clone(idx.PostIDs)
		return changed, nil
	})
	return out, err
}

// MeetingCardIDs lists a meeting's indexed cards (none when it has no index).
func (kv *KV) MeetingCardIDs(meetingID int64) ([]string, error) {
	idx, err := getOrZero[MeetingCards](kv, MeetingCardsKey(meetingID))
	return idx.PostIDs, err
}
