package app

import (
	"fmt"
	"strconv"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
)

// Post types and prop values of meeting cards. Existing posts and the webapp read
// these exact strings: never rename them.
const (
	PostTypeMeeting    = "custom_zoom"
	PostTypeChat       = "custom_zoom_chat"
	PostTypeTranscript = "custom_zoom_transcript"

	StatusStarted         = "STARTED"
	StatusEnded           = "ENDED"
	StatusRecentlyCreated = "RECENTLY_CREATED"

	providerZoom = "Zoom"
)

// meetingCard describes a card; buildCard turns it into a post. A card is read by the
// whole channel, so its text is in the server's default language (channelT).
type meetingCard struct {
	ChannelID, RootID, UserID string
	MeetingID                 int64
	UUID, JoinURL, Topic      string
	Personal                  bool
	CreatorUsername           string
	StartTime                 time.Time
}

func (a *App) buildCard(c meetingCard) *model.Post {
	post := &model.Post{
		UserId:    c.UserID,
		ChannelId: c.ChannelID,
		RootId:    c.RootID,
		Type:      PostTypeMeeting,
		Message:   a.channelT("card.started", i18n.Args{"topic": escapeMarkdown(c.Topic)}),
	}
	post.AddProp("meeting_id", c.MeetingID)
	post.AddProp("meeting_uuid", c.UUID)
	post.AddProp("meeting_link", c.JoinURL)
	post.AddProp("meeting_status", StatusStarted)
	post.AddProp("meeting_personal", c.Personal)
	post.AddProp("meeting_topic", c.Topic)
	post.AddProp("meeting_creator_username", c.CreatorUsername)
	post.AddProp("meeting_provider", providerZoom)
	post.AddProp("meeting_start_time", c.StartTime.UnixMilli())
	link := i18n.Args{"id": c.MeetingID, "link": linkTarget(c.JoinURL), "topic": strconv.Quote(c.Topic)}
	idLine := a.channelT("card.meetingID", link)
	if c.Personal {
		idLine = a.channelT("card.meetingIDPersonal", link)
	}
	model.ParseSlackAttachment(post, []*model.SlackAttachment{{
		Fallback:  a.channelT("card.startedFallback", link),
		Title:     c.Topic,
		TitleLink: c.JoinURL,
		Text:      idLine + "\n\n" + a.channelT("card.join", link),
	}})
	return post
}

// endCard turns a started card into its summary. It returns false when the card was
// already ended, so a repeated webhook changes nothing.
func (a *App) endCard(post *model.Post, end time.Time) bool {
	if status, _ := post.GetProp("meeting_status").(string); status == StatusEnded {
		return false
	}
	start := time.UnixMilli(post.CreateAt)
	if ms, ok := numberProp(post.GetProp("meeting_start_time")); ok && ms > 0 {
		start = time.UnixMilli(ms)
	}
	if end.Before(start) {
		end = start
	}
	minutes := int(end.Sub(start).Round(time.Minute) / time.Minute)
	post.AddProp("meeting_status", StatusEnded)
	post.AddProp("meeting_end_time", end.UnixMilli())
	post.Message = a.channelT("card.ended")
	topic, _ := post.GetProp("meeting_topic").(string)
	id, _ := numberProp(post.GetProp("meeting_id"))
	summary := "card.summary"
	if minutes == 1 {
		summary = "card.summaryOneMinute"
	}
	args := i18n.Args{"topic": strconv.Quote(topic), "minutes": minutes, "id": id,
		"date": start.UTC().Format(a.channelT("card.dateLayout"))}
	// Without a title link Mattermost renders the title as markdown (links included).
	model.ParseSlackAttachment(post, []*model.SlackAttachment{{
		Fallback: a.channelT("card.endedFallback", args),
		Title:    escapeMarkdown(topic),
		Text:     a.channelT(summary, args),
	}})
	return true
}

// numberProp reads a numeric prop whatever JSON or gob made of it.
func numberProp(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), true
	case int32:
		return int64(n), true
	case uint64:
		return int64(n), true
	case string:
		var x int64
		_, err := fmt.Sscan(n, &x)
		return x, err == nil
	}
	return 0, false
}

// isOpenMeetingCard reports whether a post is a meeting card (of any provider) that is
// live (neither ended, nor still scheduled, nor cancelled): the recent-meeting guard's test.
func isOpenMeetingCard(p *model.Post) bool {
	provider, _ := p.GetProp("meeting_provider").(string)
	status, _ := p.GetProp("meeting_status").(string)
	return provider != "" && status != StatusEnded && status != StatusScheduled && status != StatusCancelled && p.DeleteAt == 0
}
