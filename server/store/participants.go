package store

import "time"

// Live participants of a meeting card: zoomparticipants_<postID>, one JSON value per
// card updated with compare-and-set by every participant webhook, whichever node it
// hits. Version counts changes; Flushed is the version last written to the card.
const (
	participantsPrefix = "zoomparticipants_"
	flushLockPrefix    = "zoomflush_"
	// ParticipantsTTL is renewed on every write; it outlives any single meeting's
	// quiet spells and cleans up after cards that never end.
	ParticipantsTTL = 48 * time.Hour
	// MaxTrackedParticipants bounds the value's size; further people are not tracked.
	MaxTrackedParticipants = 1000
)

// Participant states.
const (
	ParticipantIn      = "in"
	ParticipantLeft    = "left"
	ParticipantWaiting = "waiting"
)

// Participant is one person (one participant_uuid) of a meeting instance.
type Participant struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	// ZoomID is the participant's Zoom user id when signed in (for the report merge).
	ZoomID string `json:"zoom_id,omitempty"`
	// Username is the Mattermost user matched by email; Resolved says the lookup ran.
	Username string `json:"username,omitempty"`
	Resolved bool   `json:"resolved,omitempty"`
	State    string `json:"state"`
	// At (participant join/leave time, ms) then Seq (event_ts, ms) order events: an
	// event older than the stored pair is ignored, which makes duplicates and
	// out-of-order deliveries harmless.
	At  int64 `json:"at"`
	Seq int64 `json:"seq"`
	// First is the first time seen in the meeting, for a stable order; Attended is set
	// once they were in the meeting (the summary's attendees).
	First    int64 `json:"first,omitempty"`
	Attended bool  `json:"attended,omitempty"`
	// WaitingFor is "host" (waiting for the host to start) or "room" (waiting room).
	WaitingFor string `json:"waiting_for,omitempty"`
	// Notified: the card's creator got a DM about this person waiting.
	Notified bool `json:"notified,omitempty"`
}

// Participants is the value of zoomparticipants_<postID>.
type Participants struct {
	People  map[string]*Participant `json:"people"`
	Version int64                   `json:"version"`
	Flushed int64                   `json:"flushed"`
	// LastFlush (ms) spaces card updates cluster-wide.
	LastFlush int64 `json:"last_flush,omitempty"`
	// Report is "" (not read yet), "done" or "unavailable" (the account may not read
	// Zoom's participants report); ReportAttempts counts failed reads.
	Report         string `json:"report,omitempty"`
	ReportAttempts int    `json:"report_attempts,omitempty"`
	// Final: the ended card shows the attendees (the report was read or unavailable).
	Final bool `json:"final,omitempty"`
}

// ParticipantsKey names a card's participant state.
func ParticipantsKey(postID string) string { return participantsPrefix + postID }

// FlushLockKey names the cluster mutex held by the node writing a card's participants
// (pluginapi stores it as mutex_<key>).
func FlushLockKey(postID string) string { return flushLockPrefix + postID }

// ParticipantPostIDs lists the cards that have participant state.
func (kv *KV) ParticipantPostIDs() ([]string, error) { return kv.listIDs(participantsPrefix) }

// GetParticipants reads a card's state (ErrNotFound when none).
func (kv *KV) GetParticipants(postID string) (Participants, error) {
	return GetJSON[Participants](kv, ParticipantsKey(postID))
}

// UpdateParticipants changes a card's state with compare-and-set; mutate reports
// whether anything changed.
func (kv *KV) UpdateParticipants(postID string, mutate func(p *Participants) (bool, error)) error {
	return UpdateJSON(kv, ParticipantsKey(postID), ParticipantsTTL, func(p *Participants) (bool, error) {
		if p.People == nil {
			p.People = map[string]*Participant{}
		}
		return mutate(p)
	})
}
