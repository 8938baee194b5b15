package zoomsim

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// createRequest uses pointers where Zoom distinguishes "absent" from zero.
type createRequest struct {
	Topic     string          `json:"topic"`
	Type      *int            `json:"type"`
	StartTime string          `json:"start_time"`
	Duration  int             `json:"duration"`
	Timezone  string          `json:"timezone"`
	Password  string          `json:"password"`
	Agenda    string          `json:"agenda"`
	Settings  *createSettings `json:"settings"`
}

type createSettings struct {
	HostVideo        *bool  `json:"host_video"`
	ParticipantVideo *bool  `json:"participant_video"`
	JoinBeforeHost   *bool  `json:"join_before_host"`
	MuteUponEntry    *bool  `json:"mute_upon_entry"`
	WaitingRoom      *bool  `json:"waiting_room"`
	UsePMI           *bool  `json:"use_pmi"`
	ApprovalType     *int   `json:"approval_type"`
	Audio            string `json:"audio"`
	AutoRecording    string `json:"auto_recording"`
	AlternativeHosts string `json:"alternative_hosts"`
}

func flag(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// validate returns the first invalid field, as Zoom's "Validation Failed." does.
func (req *createRequest) validate() string {
	if req.Type != nil {
		switch *req.Type {
		case zoom.MeetingTypeInstant, zoom.MeetingTypeScheduled, zoom.MeetingTypeRecurringNoFixedTime,
			zoom.MeetingTypeRecurringFixedTime, zoom.MeetingTypeScreenShareOnlyLegacy:
		default:
			return "type"
		}
	}
	if len([]rune(req.Topic)) > 200 {
		return "topic"
	}
	if req.Duration < 0 {
		return "duration"
	}
	if req.StartTime != "" {
		if _, err := time.Parse(time.RFC3339, req.StartTime); err != nil {
			if _, err := time.Parse("2006-01-02T15:04:05", req.StartTime); err != nil {
				return "start_time"
			}
		}
	}
	if st := req.Settings; st != nil {
		if st.ApprovalType != nil && (*st.ApprovalType < 0 || *st.ApprovalType > 2) {
			return "settings.approval_type"
		}
		switch st.Audio {
		case "", "both", "telephony", "voip", "thirdParty":
		default:
			return "settings.audio"
		}
		switch st.AutoRecording {
		case "", "local", "cloud", "none":
		default:
			return "settings.auto_recording"
		}
	}
	return ""
}

func (s *Server) apiCreateMeeting(w http.ResponseWriter, r *http.Request, tok *accessToken, ref string) {
	var req createRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 256<<10))
	if err := dec.Decode(&req); err != nil || dec.More() {
		writeError(w, http.StatusBadRequest, 300, "Request Body should be a valid JSON object.")
		return
	}
	if field := req.validate(); field != "" {
		writeValidation(w, field)
		return
	}
	usePMI := req.Settings != nil && flag(req.Settings.UsePMI, false)

	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.resolveUserLocked(tok, ref)
	if u == nil {
		writeError(w, http.StatusNotFound, 1001, "User does not exist: "+ref+".")
		return
	}
	if usePMI && (u.PMI == 0 || u.PMIDisabled) {
		// Zoom's exact code here is undocumented; 3000 is its generic meeting error.
		writeError(w, http.StatusBadRequest, 3000, "Personal Meeting ID is not enabled for this user.")
		return
	}
	m := s.newMeetingLocked(u, &req, usePMI)
	writeJSON(w, http.StatusCreated, m.view())
}

func (s *Server) newMeetingLocked(u *User, req *createRequest, usePMI bool) *meeting {
	id := newMeetingID()
	for s.meetings[id] != nil {
		id = newMeetingID()
	}
	typ := zoom.MeetingTypeScheduled
	if req.Type != nil {
		typ = *req.Type
	}
	st := req.Settings
	if st == nil {
		st = &createSettings{}
	}
	settings := &zoom.MeetingSettings{
		HostVideo: flag(st.HostVideo, false), ParticipantVideo: flag(st.ParticipantVideo, false),
		JoinBeforeHost: flag(st.JoinBeforeHost, false), MuteUponEntry: flag(st.MuteUponEntry, false),
		WaitingRoom: flag(st.WaitingRoom, false), UsePMI: usePMI,
		ApprovalType: zoom.ApprovalNoRegistration, Audio: st.Audio, AutoRecording: st.AutoRecording,
		AlternativeHosts: st.AlternativeHosts,
	}
	if st.ApprovalType != nil {
		settings.ApprovalType = *st.ApprovalType
	}
	if settings.Audio == "" {
		settings.Audio = "both"
	}
	if settings.AutoRecording == "" {
		settings.AutoRecording = "none"
	}
	tz := req.Timezone
	if tz == "" {
		tz = u.Timezone
	}
	password := req.Password
	if password == "" {
		password = randString(6, alnum)
	}
	idText := strconv.FormatInt(id, 10)
	s.seq++
	m := &meeting{
		accountID: u.AccountID, h323: randString(6, "0123456789"), usePMI: usePMI,
		m: zoom.Meeting{
			ID: id, UUID: newMeetingUUID(s.seq%3 == 1), HostID: u.ID, HostEmail: u.Email,
			Topic: req.Topic, Type: typ, Status: "waiting", Timezone: tz, Agenda: req.Agenda,
			CreatedAt: time.Now().UTC().Format(time.RFC3339), Password: password,
			EncryptedPassword: randString(32, alnum), Settings: settings,
			StartURL: s.URL() + "/s/" + idText + "?zak=" + newJWT(map[string]any{"uid": u.ID, "typ": "zak"}),
		},
	}
	if typ != zoom.MeetingTypeInstant {
		m.m.StartTime = req.StartTime
		if m.m.StartTime == "" {
			m.m.StartTime = time.Now().UTC().Format(time.RFC3339)
		}
		m.m.Duration = req.Duration
		if m.m.Duration == 0 {
			m.m.Duration = 60
		}
	}
	m.m.JoinURL = s.URL() + "/j/" + idText + "?pwd=" + m.m.EncryptedPassword
	if usePMI {
		pmi := strconv.FormatInt(u.PMI, 10)
		m.pmi, m.m.PMI = u.PMI, pmi
		m.m.EncryptedPassword = u.pmiPassword
		m.m.JoinURL = s.URL() + "/j/" + pmi + "?pwd=" + u.pmiPassword + "&omn=" + idText
	}
	if strings.TrimSpace(m.m.Topic) == "" {
		m.m.Topic = "Zoom Meeting"
	}
	s.meetings[id] = m
	s.meetingOrder = append(s.meetingOrder, id)
	return m
}
