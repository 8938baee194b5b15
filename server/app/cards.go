package app

import (
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
	props := propsOf(post)
	props.setMeeting(c)
	props.setStatus(StatusStarted)
	props.setStart(c.StartTime)
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
	props := propsOf(post)
	if props.ended() {
		return false
	}
	start := props.start()
	if end.Before(start) {
		end = start
	}
	minutes := int(end.Sub(start).Round(time.Minute) / time.Minute)
	props.setStatus(StatusEnded)
	props.setEnd(end)
	post.Message = a.channelT("card.ended")
	topic, id := props.topic(), props.meetingID()
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
