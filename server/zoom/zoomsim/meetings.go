package zoomsim

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// meeting is the simulator's record of one meeting id and its instances.
type meeting struct {
	m         zoom.Meeting
	accountID string
	h323      string
	usePMI    bool  // held in the host's personal room
	pmi       int64 // the room's number when usePMI or personal
	personal  bool  // the personal room itself (id == pmi, type 4)
	instances []*instance
}

// instance is one start of a meeting. reportedID is the id Zoom puts in events:
// the PMI for meetings held in the personal room.
type instance struct {
	uuid         string
	mtg          *meeting
	reportedID   int64
	reportedType int
	start, end   time.Time
	ended        bool
	participants map[string]bool
	// attendees are the people who joined, in order, for the participants report.
	attendees []zoom.Participant
}

// endOrNow is when the instance ended, or now while it is still running: what
// artifacts of a meeting that is still going on report as its end.
func (in *instance) endOrNow() time.Time {
	if in.ended {
		return in.end
	}
	return time.Now()
}

// meetingJSON is a meeting as Zoom serializes it, with the fields the plugin
// ignores but a faithful response carries.
type meetingJSON struct {
	zoom.Meeting
	AssistantID  string `json:"assistant_id"`
	H323Password string `json:"h323_password,omitempty"`
	PSTNPassword string `json:"pstn_password,omitempty"`
	PreSchedule  bool   `json:"pre_schedule"`
}

func (m *meeting) view() meetingJSON {
	v := meetingJSON{Meeting: m.m, H323Password: m.h323, PSTNPassword: m.h323}
	if m.m.Settings != nil {
		st := *m.m.Settings
		v.Settings = &st
	}
	return v
}

// current is the latest instance, or nil before the first start.
func (m *meeting) current() *instance {
	if len(m.instances) == 0 {
		return nil
	}
	return m.instances[len(m.instances)-1]
}

// Meeting returns the simulator's view of a meeting, as GET /meetings/{id} would.
func (s *Server) Meeting(id int64) (zoom.Meeting, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.meetingLocked(id)
	if m == nil {
		return zoom.Meeting{}, false
	}
	return m.view().Meeting, true
}

// meetingLocked finds a meeting by id; a user's PMI names their personal room,
// which exists without being created.
func (s *Server) meetingLocked(id int64) *meeting {
	if m, ok := s.meetings[id]; ok {
		return m
	}
	for _, u := range s.users {
		if u.PMI != 0 && u.PMI == id && !u.PMIDisabled {
			return s.personalRoomLocked(u)
		}
	}
	return nil
}

func (s *Server) personalRoomLocked(u *User) *meeting {
	if m, ok := s.meetings[u.PMI]; ok {
		return m
	}
	pmi := strconv.FormatInt(u.PMI, 10)
	m := &meeting{
		accountID: u.AccountID, h323: randString(6, "0123456789"), pmi: u.PMI, personal: true,
		m: zoom.Meeting{
			ID: u.PMI, UUID: newMeetingUUID(false), HostID: u.ID, HostEmail: u.Email,
			Topic: strings.TrimSpace(u.FirstName+" "+u.LastName) + "'s Personal Meeting Room",
			Type:  zoom.MeetingTypePersonal, Status: "waiting", Timezone: u.Timezone,
			CreatedAt: time.Now().UTC().Format(time.RFC3339),
			JoinURL:   s.URL() + "/j/" + pmi + "?pwd=" + u.pmiPassword,
			StartURL:  s.URL() + "/s/" + pmi + "?zak=" + newJWT(map[string]any{"uid": u.ID, "typ": "zak"}),
			Password:  randString(6, alnum), EncryptedPassword: u.pmiPassword, PMI: pmi,
			Settings: &zoom.MeetingSettings{UsePMI: true, ApprovalType: zoom.ApprovalNoRegistration,
				Audio: "both", AutoRecording: "none"},
		},
	}
	s.meetings[u.PMI] = m
	return m
}

func unescape(seg string) string {
	if v, err := url.PathUnescape(seg); err == nil {
		return v
	}
	return seg
}

// unescapeUUID accepts single and double encoding. Base64 never contains "%",
// so a "%" left after one decoding means the client encoded twice.
func unescapeUUID(seg string) string {
	v := unescape(seg)
	if strings.Contains(v, "%") {
		v = unescape(v)
	}
	return v
}
