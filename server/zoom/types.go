package zoom

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// User is the subset of GET /users/{id} the plugin needs.
type User struct {
	ID                 string `json:"id"`
	Email              string `json:"email"`
	FirstName          string `json:"first_name"`
	LastName           string `json:"last_name"`
	DisplayName        string `json:"display_name"`
	AccountID          string `json:"account_id"`
	PersonalMeetingURL string `json:"personal_meeting_url"`
	// VanityURL is the user's personal link (https://<zoom host>/my/<name>), when
	// the account has one.
	VanityURL string `json:"vanity_url,omitempty"`
	Status    string `json:"status"`
	Timezone  string `json:"timezone"`
	Type      int    `json:"type"`
	// PMI is a number in /users but a string in meeting objects and old specs.
	PMI    int64 `json:"pmi"`
	UsePMI bool  `json:"use_pmi"`
}

// UnmarshalJSON accepts pmi as a number or a string of digits.
func (u *User) UnmarshalJSON(b []byte) error {
	type plain User
	aux := struct {
		*plain
		PMI FlexInt64 `json:"pmi"`
	}{plain: (*plain)(u)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	u.PMI = int64(aux.PMI)
	return nil
}

// Meeting is a meeting object as returned by create, get and list.
type Meeting struct {
	ID                int64  `json:"id"`
	UUID              string `json:"uuid"`
	HostID            string `json:"host_id"`
	HostEmail         string `json:"host_email"`
	Topic             string `json:"topic"`
	Type              int    `json:"type"`
	Status            string `json:"status,omitempty"`
	StartTime         string `json:"start_time,omitempty"`
	Duration          int    `json:"duration,omitempty"`
	Timezone          string `json:"timezone,omitempty"`
	Agenda            string `json:"agenda"`
	CreatedAt         string `json:"created_at,omitempty"`
	JoinURL           string `json:"join_url"`
	StartURL          string `json:"start_url,omitempty"`
	Password          string `json:"password,omitempty"`
	EncryptedPassword string `json:"encrypted_password,omitempty"`
	// PMI is present only on meetings held in the host's personal meeting room.
	PMI      string           `json:"pmi,omitempty"`
	Settings *MeetingSettings `json:"settings,omitempty"`
}

// UnmarshalJSON accepts id and pmi as numbers or strings, as Zoom's specs disagree.
func (m *Meeting) UnmarshalJSON(b []byte) error {
	type plain Meeting
	aux := struct {
		*plain
		ID  FlexInt64  `json:"id"`
		PMI flexString `json:"pmi"`
	}{plain: (*plain)(m)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	m.ID = int64(aux.ID)
	m.PMI = string(aux.PMI)
	return nil
}

// MeetingSettings is used both in requests and responses. Fields whose zero value
// means something odd to Zoom (approval_type 0 turns registration on, an empty
// audio or auto_recording is not a valid choice) are omitted when zero so that
// Zoom applies the account default.
type MeetingSettings struct {
	HostVideo        bool   `json:"host_video"`
	ParticipantVideo bool   `json:"participant_video"`
	JoinBeforeHost   bool   `json:"join_before_host"`
	MuteUponEntry    bool   `json:"mute_upon_entry"`
	WaitingRoom      bool   `json:"waiting_room"`
	UsePMI           bool   `json:"use_pmi"`
	ApprovalType     int    `json:"approval_type,omitempty"`
	Audio            string `json:"audio,omitempty"`
	AutoRecording    string `json:"auto_recording,omitempty"`
	// AlternativeHosts lists the emails (";" or "," separated) that may host the
	// meeting besides its owner.
	AlternativeHosts string `json:"alternative_hosts,omitempty"`
}

// ApprovalNoRegistration is the MeetingSettings.ApprovalType of a meeting without
// registration (0 and 1 approve registrants automatically or by hand).
const ApprovalNoRegistration = 2

// CreateMeetingRequest is the body of POST /users/{id}/meetings.
type CreateMeetingRequest struct {
	Topic     string           `json:"topic"`
	Type      int              `json:"type"`
	StartTime string           `json:"start_time,omitempty"`
	Duration  int              `json:"duration,omitempty"`
	Timezone  string           `json:"timezone,omitempty"`
	Password  string           `json:"password,omitempty"`
	Agenda    string           `json:"agenda,omitempty"`
	Settings  *MeetingSettings `json:"settings,omitempty"`
}

// PastMeeting is GET /past_meetings/{uuid}: one finished instance of a meeting.
type PastMeeting struct {
	UUID              string `json:"uuid"`
	ID                int64  `json:"id"`
	HostID            string `json:"host_id"`
	Topic             string `json:"topic"`
	Type              int    `json:"type"`
	StartTime         string `json:"start_time"`
	EndTime           string `json:"end_time"`
	Duration          int    `json:"duration"`
	TotalMinutes      int    `json:"total_minutes"`
	ParticipantsCount int    `json:"participants_count"`
	UserName          string `json:"user_name,omitempty"`
	UserEmail         string `json:"user_email,omitempty"`
}

// UnmarshalJSON accepts the id as a number or a string.
func (p *PastMeeting) UnmarshalJSON(b []byte) error {
	type plain PastMeeting
	aux := struct {
		*plain
		ID FlexInt64 `json:"id"`
	}{plain: (*plain)(p)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	p.ID = int64(aux.ID)
	return nil
}

// flexString decodes a JSON string as it is, or an integer number as its decimal text.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	*s = "" // null
	if json.Unmarshal(b, (*string)(s)) == nil {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("zoom: want a string or a number, got %.20s", b)
	}
	if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
		return fmt.Errorf("zoom: not an integer: %s", n)
	}
	*s = flexString(n)
	return nil
}
