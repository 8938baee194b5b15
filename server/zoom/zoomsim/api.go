package zoomsim

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// userJSON mirrors ../testdata/users-me.json; pmi is a number here.
type userJSON struct {
	ID                 string `json:"id"`
	FirstName          string `json:"first_name"`
	LastName           string `json:"last_name"`
	DisplayName        string `json:"display_name"`
	Email              string `json:"email"`
	Type               int    `json:"type"`
	RoleName           string `json:"role_name"`
	PMI                int64  `json:"pmi,omitempty"`
	UsePMI             bool   `json:"use_pmi"`
	PersonalMeetingURL string `json:"personal_meeting_url,omitempty"`
	VanityURL          string `json:"vanity_url,omitempty"`
	Timezone           string `json:"timezone"`
	Verified           int    `json:"verified"`
	Dept               string `json:"dept"`
	CreatedAt          string `json:"created_at"`
	LastLoginTime      string `json:"last_login_time"`
	PicURL             string `json:"pic_url"`
	Language           string `json:"language"`
	PhoneNumber        string `json:"phone_number"`
	Status             string `json:"status"`
	AccountID          string `json:"account_id"`
	AccountNumber      int64  `json:"account_number"`
	Cluster            string `json:"cluster"`
	LoginTypes         []int  `json:"login_types"`
	GroupIDs           []any  `json:"group_ids"`
}

func (s *Server) apiGetUser(w http.ResponseWriter, tok *accessToken, ref string) {
	s.mu.Lock()
	u := s.resolveUserLocked(tok, ref)
	var out userJSON
	if u != nil {
		now := time.Now().UTC().Format(time.RFC3339)
		out = userJSON{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName,
			DisplayName: strings.TrimSpace(u.FirstName + " " + u.LastName), Email: u.Email, Type: u.Type,
			RoleName: "Member", Timezone: u.Timezone, Verified: 1, CreatedAt: now, LastLoginTime: now,
			PicURL: s.URL() + "/p/" + u.ID, Language: "en-US", Status: "active", AccountID: u.AccountID,
			AccountNumber: 4820173365, Cluster: "us05", LoginTypes: []int{100}, GroupIDs: []any{}}
		if s.ownerLocked(u.AccountID) == u {
			out.RoleName = "Owner"
		}
		if u.PMI != 0 {
			out.PMI = u.PMI
			out.PersonalMeetingURL = s.URL() + "/j/" + strconv.FormatInt(u.PMI, 10) + "?pwd=" + u.pmiPassword
		}
		if u.VanityName != "" {
			out.VanityURL = s.URL() + "/my/" + u.VanityName
		}
	}
	s.mu.Unlock()
	if u == nil {
		writeError(w, http.StatusNotFound, 1001, "User does not exist: "+ref+".")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiGetMeeting(w http.ResponseWriter, tok *accessToken, idText string) {
	id, err := strconv.ParseInt(idText, 10, 64)
	s.mu.Lock()
	var m *meeting
	if err == nil {
		m = s.meetingLocked(id)
	}
	ok := m != nil && m.accountID == tok.accountID
	var v meetingJSON
	if ok {
		v = m.view()
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+idText+".")
		return
	}
	writeJSON(w, http.StatusOK, v)
}

type meetingListJSON struct {
	PageSize      int           `json:"page_size"`
	TotalRecords  int           `json:"total_records"`
	NextPageToken string        `json:"next_page_token"`
	Meetings      []meetingJSON `json:"meetings"`
}

func (s *Server) apiListMeetings(w http.ResponseWriter, r *http.Request, tok *accessToken, ref string) {
	q := r.URL.Query()
	kind := q.Get("type")
	if kind == "" {
		kind = "scheduled"
	}
	pageSize := 30
	if ps := q.Get("page_size"); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil || n < 1 || n > 300 {
			writeValidation(w, "page_size")
			return
		}
		pageSize = n
	}
	switch kind {
	case "scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings":
	default:
		writeValidation(w, "type")
		return
	}
	s.mu.Lock()
	u := s.resolveUserLocked(tok, ref)
	out := meetingListJSON{PageSize: pageSize, Meetings: []meetingJSON{}}
	if u != nil {
		for _, id := range s.meetingOrder {
			m := s.meetings[id]
			if m.m.HostID != u.ID || !listed(m, kind) {
				continue
			}
			out.TotalRecords++
			if len(out.Meetings) < pageSize {
				v := m.view()
				// Lists carry no secrets or settings.
				v.StartURL, v.Password, v.EncryptedPassword, v.H323Password, v.PSTNPassword, v.Settings = "", "", "", "", "", nil
				out.Meetings = append(out.Meetings, v)
			}
		}
	}
	s.mu.Unlock()
	if u == nil {
		writeError(w, http.StatusNotFound, 1001, "User does not exist: "+ref+".")
		return
	}
	if out.TotalRecords > len(out.Meetings) {
		out.NextPageToken = randString(32, alnum)
	}
	writeJSON(w, http.StatusOK, out)
}

func listed(m *meeting, kind string) bool {
	cur := m.current()
	switch kind {
	case "live":
		return m.m.Status == "started"
	case "previous_meetings":
		return cur != nil && cur.ended
	default: // scheduled and upcoming: meetings one can still join later
		return m.m.Type != 1 && !m.personal
	}
}

func writeValidation(w http.ResponseWriter, field string) {
	writeJSON(w, http.StatusBadRequest, apiError{Code: 300, Message: "Validation Failed.",
		Errors: []fieldError{{Field: field, Message: "Invalid field."}}})
}

type pastMeetingJSON struct {
	UUID              string `json:"uuid"`
	ID                int64  `json:"id"`
	HostID            string `json:"host_id"`
	Type              int    `json:"type"`
	Topic             string `json:"topic"`
	UserName          string `json:"user_name"`
	UserEmail         string `json:"user_email"`
	StartTime         string `json:"start_time"`
	EndTime           string `json:"end_time"`
	Duration          int    `json:"duration"`
	TotalMinutes      int    `json:"total_minutes"`
	ParticipantsCount int    `json:"participants_count"`
	Dept              string `json:"dept"`
	Source            string `json:"source"`
}

func (s *Server) apiGetPastMeeting(w http.ResponseWriter, tok *accessToken, uuid string) {
	s.mu.Lock()
	in, ok := s.pastLocked(uuid)
	var out pastMeetingJSON
	if ok && in.mtg.accountID == tok.accountID {
		host := s.userByIDLocked(in.mtg.m.HostID)
		mins := minutesBetween(in.start, in.end)
		count := len(in.participants)
		if count == 0 {
			count = 1 // the host
		}
		out = pastMeetingJSON{UUID: in.uuid, ID: in.reportedID, HostID: in.mtg.m.HostID, Type: in.reportedType,
			Topic: in.mtg.m.Topic, StartTime: in.start.UTC().Format(time.RFC3339), EndTime: in.end.UTC().Format(time.RFC3339),
			Duration: mins, TotalMinutes: mins * count, ParticipantsCount: count, Source: "Zoom"}
		if host != nil {
			out.UserName, out.UserEmail = strings.TrimSpace(host.FirstName+" "+host.LastName), host.Email
		}
	} else {
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, 3001, "Meeting does not exist: "+uuid+".")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// minutesBetween rounds up, as Zoom never reports a held meeting as 0 minutes.
func minutesBetween(a, b time.Time) int {
	d := b.Sub(a)
	if d <= 0 {
		return 1
	}
	return int((d + time.Minute - 1) / time.Minute)
}
