package zoomsim

import (
	"net/http"
	"strconv"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// SetPastParticipantsDenied makes GET /past_meetings/{id}/participants answer as
// for an account that may not read it (free accounts, or an app without the
// meeting:read:past_participant scope). Which status and code Zoom uses there is
// not documented; the simulator answers 400 with code 200, the
// "only available for paid accounts" shape seen in the wild.
func (s *Server) SetPastParticipantsDenied(denied bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pastParticipantsDenied = denied
}

// pastLocked finds an ended instance by uuid, or by meeting id for the latest
// ended instance reported under that id, as Zoom's past-meeting endpoints do.
func (s *Server) pastLocked(ref string) (*instance, bool) {
	if in, ok := s.past[ref]; ok {
		return in, true
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return nil, false
	}
	var latest *instance
	for _, in := range s.past {
		if in.reportedID == id && (latest == nil || in.end.After(latest.end)) {
			latest = in
		}
	}
	return latest, latest != nil
}

type pastParticipantJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	UserEmail    string `json:"user_email"`
	RegistrantID string `json:"registrant_id,omitempty"`
}

type pastParticipantsJSON struct {
	PageCount     int                   `json:"page_count"`
	PageSize      int                   `json:"page_size"`
	TotalRecords  int                   `json:"total_records"`
	NextPageToken string                `json:"next_page_token"`
	Participants  []pastParticipantJSON `json:"participants"`
}

// apiPastParticipants serves the participants report of an ended instance, paged
// with next_page_token (the token is the offset, opaque to clients).
func (s *Server) apiPastParticipants(w http.ResponseWriter, r *http.Request, tok *accessToken, ref string) {
	pageSize := 30
	if ps := r.URL.Query().Get("page_size"); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil || n < 1 || n > 300 {
			writeValidation(w, "page_size")
			return
		}
		pageSize = n
	}
	offset := 0
	if t := r.URL.Query().Get("next_page_token"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			writeValidation(w, "next_page_token")
			return
		}
		offset = n
	}
	s.mu.Lock()
	denied := s.pastParticipantsDenied
	in, ok := s.pastLocked(ref)
	ok = ok && in.mtg.accountID == tok.accountID
	var all []pastParticipantJSON
	if ok {
		for _, p := range in.attendees {
			all = append(all, pastParticipantJSON{ID: p.ID, Name: p.UserName, UserEmail: p.Email, RegistrantID: p.RegistrantID})
		}
		if len(all) == 0 {
			if host := s.userByIDLocked(in.mtg.m.HostID); host != nil {
				all = append(all, pastParticipantJSON{ID: host.ID, Name: host.FirstName + " " + host.LastName, UserEmail: host.Email})
			}
		}
	}
	s.mu.Unlock()
	switch {
	case denied:
		writeError(w, http.StatusBadRequest, 200, "Only available for Paid account.")
		return
	case !ok:
		writeError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+ref+".")
		return
	}
	out := pastParticipantsJSON{PageSize: pageSize, TotalRecords: len(all), Participants: []pastParticipantJSON{}}
	out.PageCount = (len(all) + pageSize - 1) / pageSize
	if offset < len(all) {
		end := min(offset+pageSize, len(all))
		out.Participants = append(out.Participants, all[offset:end]...)
		if end < len(all) {
			out.NextPageToken = strconv.Itoa(end)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// ParticipantEventAt is ParticipantEvent as of the given moment: join or leave
// time and event_ts are at (unless p sets its own times), so tests can deliver
// events out of order.
func (s *Server) ParticipantEventAt(id int64, event string, p zoom.Participant, at time.Time) ([]byte, error) {
	return s.participantEvent(id, event, p, at)
}
