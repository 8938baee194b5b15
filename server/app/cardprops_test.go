package app

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// A card reads the same whether it was built in this process (int64 props) or read
// back from the server (JSON's float64), and a missing start falls back to CreateAt.
func TestCardPropsReadStoredAndInMemoryAlike(t *testing.T) {
	start := time.UnixMilli(1_764_000_000_123)
	built := &model.Post{Type: PostTypeMeeting, CreateAt: 42}
	props := propsOf(built)
	props.setMeeting(meetingCard{MeetingID: 7391846250, UUID: "abc==", JoinURL: "https://zoom.us/j/7391846250", Topic: "Plan"})
	props.setStatus(StatusStarted)
	props.setStart(start)
	props.setEnd(start.Add(time.Hour))

	raw, err := json.Marshal(built)
	if err != nil {
		t.Fatal(err)
	}
	var stored model.Post
	if err := json.Unmarshal(raw, &stored); err != nil {
		t.Fatal(err)
	}
	for name, post := range map[string]*model.Post{"in memory": built, "stored": &stored} {
		c := propsOf(post)
		end, ok := c.end()
		if c.meetingID() != 7391846250 || !c.start().Equal(start) || !ok || !end.Equal(start.Add(time.Hour)) {
			t.Errorf("%s: id %d start %v end %v/%v", name, c.meetingID(), c.start(), end, ok)
		}
		if c.uuid() != "abc==" || c.topic() != "Plan" || !c.open() || c.ended() {
			t.Errorf("%s: uuid %q topic %q open %v ended %v", name, c.uuid(), c.topic(), c.open(), c.ended())
		}
	}

	bare := &model.Post{Type: PostTypeMeeting, CreateAt: 42}
	bare.AddProp(propStartTime, "soon") // anyone can post a custom_zoom post
	if got := propsOf(bare).start(); !got.Equal(time.UnixMilli(42)) {
		t.Errorf("start without a usable start time = %v, want the post's CreateAt", got)
	}
}
