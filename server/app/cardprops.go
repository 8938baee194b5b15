package app

import (
	"fmt"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// The props of a meeting card. Existing posts, the webapp and other integrations read
// these exact names: never rename them.
const (
	propMeetingID         = "meeting_id"
	propUUID              = "meeting_uuid"
	propLink              = "meeting_link"
	propStatus            = "meeting_status"
	propPersonal          = "meeting_personal"
	propTopic             = "meeting_topic"
	propCreator           = "meeting_creator_username"
	propProvider          = "meeting_provider"
	propStartTime         = "meeting_start_time"
	propEndTime           = "meeting_end_time"
	propDuration          = "meeting_duration"
	propTimezone          = "meeting_timezone"
	propParticipantsCount = "meeting_participants_count"
	propParticipants      = "meeting_participants"
	propAttendees         = "meeting_attendees"
	propAttendeesCount    = "meeting_attendees_count"
	// propShared marks a card posted for an existing meeting (ours).
	propShared = "meeting_shared"
	// propMoreCards marks a card whose meeting has cards elsewhere (cardgroup.go).
	propMoreCards = "meeting_more_cards"
)

// cardProps reads and writes the props of a meeting card's post. Anyone can post a
// custom_zoom post, so a prop of an unexpected type reads as absent.
type cardProps struct{ post *model.Post }

func propsOf(post *model.Post) cardProps { return cardProps{post} }

func (c cardProps) str(name string) string {
	s, _ := c.post.GetProp(name).(string)
	return s
}

func (c cardProps) status() string  { return c.str(propStatus) }
func (c cardProps) ended() bool     { return c.status() == StatusEnded }
func (c cardProps) uuid() string    { return c.str(propUUID) }
func (c cardProps) link() string    { return c.str(propLink) }
func (c cardProps) topic() string   { return c.str(propTopic) }
func (c cardProps) creator() string { return c.str(propCreator) }
func (c cardProps) moreCards() bool { return c.post.GetProp(propMoreCards) == true }
func (c cardProps) isMeetingCard() bool {
	return c.post.Type == PostTypeMeeting && c.post.DeleteAt == 0
}
func (c cardProps) fromPlugin() bool {
	return fmt.Sprint(c.post.GetProp(model.PostPropsFromPlugin)) == "true"
}

// threadRoot is the post that replies about the card go under.
func (c cardProps) threadRoot() string {
	if c.post.RootId != "" {
		return c.post.RootId
	}
	return c.post.Id
}

// meetingID is the Zoom meeting id, 0 when absent.
func (c cardProps) meetingID() int64 {
	id, _ := numberProp(c.post.GetProp(propMeetingID))
	return id
}

// start is when the card's meeting started: its start time, else when it was posted.
func (c cardProps) start() time.Time {
	if ms, ok := numberProp(c.post.GetProp(propStartTime)); ok && ms > 0 {
		return time.UnixMilli(ms)
	}
	return time.UnixMilli(c.post.CreateAt)
}

func (c cardProps) end() (time.Time, bool) {
	ms, ok := numberProp(c.post.GetProp(propEndTime))
	return time.UnixMilli(ms), ok
}

// open reports whether the post is a live meeting card of any provider: neither
// ended, nor still scheduled, nor cancelled.
func (c cardProps) open() bool {
	switch c.status() {
	case StatusEnded, StatusScheduled, StatusCancelled:
		return false
	}
	return c.isMeetingCard() && c.str(propProvider) != ""
}

// setMeeting writes what identifies the card's meeting and who shared it.
func (c cardProps) setMeeting(m meetingCard) {
	c.setIdentity(m.MeetingID, m.UUID)
	c.setLink(m.JoinURL)
	c.post.AddProp(propPersonal, m.Personal)
	c.setTopic(m.Topic)
	c.setCreator(m.CreatorUsername)
	c.setProvider()
}

// setIdentity writes the meeting's id and instance uuid (bot replies carry them too).
func (c cardProps) setIdentity(meetingID int64, uuid string) {
	c.post.AddProp(propMeetingID, meetingID)
	c.post.AddProp(propUUID, uuid)
}

// setScheduled writes a scheduled card's status, start, length and the creator's zone.
func (c cardProps) setScheduled(start time.Time, minutes int) {
	c.setStatus(StatusScheduled)
	c.setStart(start)
	c.post.AddProp(propDuration, minutes)
	c.post.AddProp(propTimezone, start.Location().String())
}

func (c cardProps) setStatus(s string)     { c.post.AddProp(propStatus, s) }
func (c cardProps) setLink(link string)    { c.post.AddProp(propLink, link) }
func (c cardProps) setTopic(topic string)  { c.post.AddProp(propTopic, topic) }
func (c cardProps) setCreator(name string) { c.post.AddProp(propCreator, name) }
func (c cardProps) setProvider()           { c.post.AddProp(propProvider, providerZoom) }
func (c cardProps) setStart(t time.Time)   { c.post.AddProp(propStartTime, t.UnixMilli()) }
func (c cardProps) setEnd(t time.Time)     { c.post.AddProp(propEndTime, t.UnixMilli()) }
func (c cardProps) setShared()             { c.post.AddProp(propShared, true) }
func (c cardProps) setMoreCards()          { c.post.AddProp(propMoreCards, true) }

// setParticipants writes who is in a live meeting: the total and the names listed.
func (c cardProps) setParticipants(count int, names []string) {
	c.post.AddProp(propParticipantsCount, int64(count))
	c.post.AddProp(propParticipants, names)
}

func (c cardProps) dropParticipants() {
	c.post.DelProp(propParticipantsCount)
	c.post.DelProp(propParticipants)
}

// setAttendees writes who attended an ended meeting: the names listed and the total.
func (c cardProps) setAttendees(names []string, count int) {
	c.post.AddProp(propAttendees, names)
	c.post.AddProp(propAttendeesCount, int64(count))
}

// numberProp reads a numeric prop whatever made of it: posts read back from the server
// hold JSON's float64, posts built in this process int64; digits in a string count.
func numberProp(v any) (int64, bool) {
	var n int64
	switch v := v.(type) {
	case float64:
		return int64(v), true
	case int64, int, int32, uint64, string:
		_, err := fmt.Sscan(fmt.Sprint(v), &n)
		return n, err == nil
	}
	return 0, false
}
